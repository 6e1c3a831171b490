/*
 * buf.h: a growable byte buffer with a hard size cap.
 *
 * Modelled on curl's dynbuf: every buffer has a maximum length fixed when it
 * is initialised, and an append that would pass it fails with -E2BIG and
 * leaves the buffer as it was. That is how feedfold bounds everything a
 * remote peer can make it store. The content is always NUL-terminated.
 */
#ifndef FEEDFOLD_BUF_H
#define FEEDFOLD_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char	*data;		/* NULL until the first append */
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* largest len allowed */
};

#define BUF_NOMAX	((size_t)-1)

void	 buf_init(struct buf *, size_t max);
/* Each returns 0, or -E2BIG when the result would pass the cap. */
static inline int buf_add(struct buf *, const void *, size_t);
static inline int buf_addc(struct buf *, char);
static inline int buf_adds(struct buf *, const char *);
/* buf_add() when the buffer must grow first. */
int	 buf_add_grow(struct buf *, const void *, size_t);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The content as a C string; "" for an empty buffer. Owned by the buffer. */
const char *buf_str(const struct buf *);
/* Hand the content to the caller (never NULL) and reset the buffer. */
char	*buf_detach(struct buf *);
void	 buf_truncate(struct buf *, size_t len);
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);

/*
 * Appends of a few bytes (a key, a quote, a newline) are most of what the
 * record writer and text.c do: when the room is there, which is nearly
 * always, they are inlined, and an append of a constant length becomes a
 * move or two rather than two calls and a memcpy call.
 */
static inline int
buf_add(struct buf *b, const void *p, size_t n)
{
	/* len + n + 1 <= cap, and len + n <= max (len never passes max). */
	if (b->cap - b->len > n && b->max - b->len >= n) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return buf_add_grow(b, p, n);
}

static inline int
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

static inline int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

#endif
