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

struct buf {
	char	*data;		/* NULL until the first append */
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* largest len allowed */
};

#define BUF_NOMAX	((size_t)-1)

void	 buf_init(struct buf *, size_t max);
/* Each returns 0, or -E2BIG when the result would pass the cap. */
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_addc(struct buf *, char);
int	 buf_adds(struct buf *, const char *);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The content as a C string; "" for an empty buffer. Owned by the buffer. */
const char *buf_str(const struct buf *);
/* Hand the content to the caller (never NULL) and reset the buffer. */
char	*buf_detach(struct buf *);
void	 buf_truncate(struct buf *, size_t len);
void	 buf_reset(struct buf *);
void	 buf_free(struct buf *);

#endif
