/*
 * record_write.c: records to YAML text and to files (record_write.h).
 *
 * This module owns the record layout: key order, indentation, blank lines
 * between groups and which keys are left out. It does not own YAML
 * escaping: every string goes through a libyaml emitter, one scalar at a
 * time, and the emitter's text for it is placed after its key. That keeps
 * the layout byte-exact (the emitter's own block layout differs from the
 * seed's) while every escape is libyaml's.
 *
 * It also owns the files of the record folder: atomic replacement, the
 * consumer's `published` flag kept across rewrites, corrupt files moved
 * aside, and crash leftovers removed.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <xxhash.h>
#include <yaml.h>

#include "dates.h"
#include "log.h"
#include "record_read.h"
#include "record_write.h"
#include "seal.h"
#include "xmalloc.h"

/*
 * The emitter for one record. The libyaml emitter stays open for the whole
 * record: each scalar is one explicit document ("--- <scalar>\n") of one
 * long stream, so that its buffers are allocated once per record rather
 * than once per scalar. It is started only when a scalar misses the cache.
 */
struct record_emitter {
	yaml_emitter_t	 yaml;
	int		 started;	/* yaml is initialised */
	int		 broken;	/* the emitter failed; stop using it */
	struct buf	 scalar;	/* the emitter's text for one scalar */
	struct buf	 fixed;		/* a string repaired to valid UTF-8 */
};

/*
 * What the emitter made of recent strings. A record is rewritten on every
 * change of its story, and most of its strings (the related items, names,
 * domains, topics) are the same as last time and as in other records;
 * libyaml looks at every byte of every string, so remembering its answer
 * makes a rewrite several times cheaper. The text for a string depends on
 * nothing but the string and the style asked for (each is its own
 * document), so a remembered answer is exactly what libyaml would say.
 * Direct-mapped by XXH3; only short strings, so the cache stays under
 * RECORD_CACHE_SLOTS * (RECORD_CACHE_IN + RECORD_CACHE_OUT) bytes. Shared
 * by all threads under one lock.
 */
#define RECORD_CACHE_SLOTS	2048
#define RECORD_CACHE_IN		1024	/* longest string remembered */
#define RECORD_CACHE_OUT	2048	/* longest text remembered */

struct record_cache_slot {
	uint64_t	 hash;
	char		*in;		/* NULL: empty slot */
	size_t		 inlen;
	char		*out;
	size_t		 outlen;
	int		 style;
};

static struct record_cache_slot	 record_cache[RECORD_CACHE_SLOTS];
static pthread_mutex_t		 record_cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* Styles we ask for: the file holds only these two. */
enum record_style {
	RECORD_STYLE_PLAIN,
	RECORD_STYLE_QUOTED,
};

void
record_write_opts_init(struct record_write_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->mode = 0644;
	opts->fsync = 1;
	opts->fsync_dir = 1;
	opts->how = RECORD_WRITE_CREATE;
	opts->key = NULL;
}

static int
record_emitter_output(void *arg, unsigned char *data, size_t len)
{
	struct record_emitter	*em = arg;

	return buf_add(&em->scalar, data, len) == 0;
}

static void
record_emitter_init(struct record_emitter *em)
{
	memset(em, 0, sizeof *em);
	buf_init(&em->scalar, RECORD_WRITE_MAX);
	buf_init(&em->fixed, RECORD_WRITE_MAX);
}

/* Start libyaml's emitter, once per record and only when needed. */
static void
record_emitter_start(struct record_emitter *em)
{
	yaml_event_t	 ev;

	em->started = 1;
	if (!yaml_emitter_initialize(&em->yaml)) {
		em->broken = 1;
		return;
	}
	yaml_emitter_set_output(&em->yaml, record_emitter_output, em);
	/* Never wrap lines; write UTF-8 as it is. */
	yaml_emitter_set_width(&em->yaml, -1);
	yaml_emitter_set_unicode(&em->yaml, 1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if (!yaml_emitter_emit(&em->yaml, &ev))
		em->broken = 1;
}

static void
record_emitter_close(struct record_emitter *em)
{
	if (em->started)
		yaml_emitter_delete(&em->yaml);
	buf_free(&em->scalar);
	buf_free(&em->fixed);
}

/* Append the remembered text for s (n bytes) in style; -1 if not known. */
static int
record_cache_get(uint64_t h, const char *s, size_t n, int style,
    struct buf *out)
{
	struct record_cache_slot	*slot;
	int				 found = -1;

	slot = &record_cache[h % RECORD_CACHE_SLOTS];
	pthread_mutex_lock(&record_cache_lock);
	if (slot->in != NULL && slot->hash == h && slot->inlen == n &&
	    slot->style == style && memcmp(slot->in, s, n) == 0)
		found = buf_add(out, slot->out, slot->outlen);
	pthread_mutex_unlock(&record_cache_lock);
	return found;
}

static void
record_cache_put(uint64_t h, const char *s, size_t n, int style,
    const char *text, size_t len)
{
	struct record_cache_slot	*slot;
	char				*in, *out, *old_in, *old_out;

	if (len == 0 || len > RECORD_CACHE_OUT)
		return;
	in = xmalloc(n + 1);
	memcpy(in, s, n + 1);
	out = xmalloc(len);
	memcpy(out, text, len);
	slot = &record_cache[h % RECORD_CACHE_SLOTS];
	pthread_mutex_lock(&record_cache_lock);
	old_in = slot->in;
	old_out = slot->out;
	slot->hash = h;
	slot->in = in;
	slot->inlen = n;
	slot->out = out;
	slot->outlen = len;
	slot->style = style;
	pthread_mutex_unlock(&record_cache_lock);
	free(old_in);
	free(old_out);
}

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), or 0 if it is
 * not one. The rules are yaml_check_utf8()'s: no overlong forms, no
 * surrogates, nothing above U+10FFFF.
 */
static size_t
record_utf8_len(const unsigned char *s, size_t n)
{
	uint32_t	 cp;
	size_t		 len, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000))
		return 0;
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * s itself if it is valid UTF-8, else a copy (in em->fixed) where each
 * byte that starts no valid sequence is replaced by U+FFFD. libyaml
 * refuses invalid UTF-8, and a story must not be lost to one bad byte that
 * slipped past the normalizer.
 */
static const char *
record_emitter_repair(struct record_emitter *em, const char *s, size_t *lenp)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = *lenp, i, l;

	for (i = 0; i < n; i += l) {
		if (p[i] < 0x80) {
			l = 1;
			continue;
		}
		if ((l = record_utf8_len(p + i, n - i)) == 0)
			break;
	}
	if (i == n)
		return s;

	buf_reset(&em->fixed);
	if (buf_add(&em->fixed, s, i) != 0)
		return NULL;
	while (i < n) {
		if ((l = record_utf8_len(p + i, n - i)) == 0) {
			if (buf_add(&em->fixed, "\xef\xbf\xbd", 3) != 0)
				return NULL;
			i++;
			continue;
		}
		if (buf_add(&em->fixed, p + i, l) != 0)
			return NULL;
		i += l;
	}
	*lenp = em->fixed.len;
	return buf_str(&em->fixed);
}

static int
record_word_in(const char *s, const char *const *words)
{
	for (; *words != NULL; words++) {
		if (strcmp(s, *words) == 0)
			return 1;
	}
	return 0;
}

/*
 * True when a plain s would be read back by a YAML 1.1 or 1.2 reader as
 * something other than a string: a boolean, null, number, timestamp,
 * merge or value key. libyaml's emitter leaves these plain because it
 * does not resolve types, so a string field must quote them itself. The
 * test errs on the side of quoting (any digits-dots-colons run counts).
 */
static int
record_plain_ambiguous(const char *s)
{
	static const char *const words[] = {
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"on", "On", "ON", "off", "Off", "OFF",
		"null", "Null", "NULL", "~", "<<", "=", NULL
	};
	const char	*p = s;
	int		 digits = 0;

	if (*s == '\0')
		return 1;
	/* Every word is five bytes at most and starts with one of these. */
	if (strchr("yYnNtTfFoO~<=", *s) != NULL && strlen(s) <= 5 &&
	    record_word_in(s, words))
		return 1;
	if (*p == '+' || *p == '-')
		p++;
	if (*p == '.' && (strcasecmp(p, ".inf") == 0 ||
	    strcasecmp(p, ".nan") == 0))
		return 1;
	/* 0x1F, 0o17, 0b101 (YAML 1.1 and 1.2 integers). */
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b') &&
	    p[2] != '\0' && strspn(p + 2, "0123456789abcdefABCDEF_") ==
	    strlen(p + 2))
		return 1;
	/* Decimal, octal, float, exponent, sexagesimal (1:30:00). */
	if ((*p >= '0' && *p <= '9') || *p == '.') {
		const char	*q;

		for (q = p; *q != '\0'; q++) {
			if (*q >= '0' && *q <= '9')
				digits = 1;
			else if (strchr("_.:eE+-", *q) == NULL)
				break;
		}
		/* The YAML 1.1 float pattern even takes "." and "..". */
		if (*q == '\0' && (digits || *p == '.'))
			return 1;
	}
	/* Timestamps: anything starting YYYY-M(M)-D(D). */
	if (*s >= '0' && *s <= '9' && strlen(s) >= 8 &&
	    strspn(s, "0123456789") == 4 && s[4] == '-' &&
	    s[5] >= '0' && s[5] <= '9')
		return 1;
	return 0;
}

static int
record_hex_value(const char *s, size_t n, uint32_t *v)
{
	size_t	 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		*v <<= 4;
		if (s[i] >= '0' && s[i] <= '9')
			*v |= (uint32_t)(s[i] - '0');
		else if (s[i] >= 'A' && s[i] <= 'F')
			*v |= (uint32_t)(s[i] - 'A' + 10);
		else if (s[i] >= 'a' && s[i] <= 'f')
			*v |= (uint32_t)(s[i] - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

/*
 * Append libyaml's double-quoted text s (n bytes) to out, with its
 * "\UXXXXXXXX" escapes of characters outside the Basic Multilingual Plane
 * written back as UTF-8. libyaml 0.2 counts every 4-byte character as
 * unprintable, which would turn an emoji into an escape although the
 * record format writes UTF-8 as is; anything else it escaped stays.
 */
static int
record_add_quoted(struct buf *out, const char *s, size_t n)
{
	size_t		 i, start;
	uint32_t	 cp;
	unsigned char	 u[4];

	for (i = 0; i + 1 < n; i++) {
		if (s[i] == '\\' && s[i + 1] == 'U')
			break;
	}
	if (i + 1 >= n)
		return buf_add(out, s, n);
	start = 0;
	for (i = 0; i < n; i++) {
		if (s[i] != '\\')
			continue;
		if (i + 1 < n && s[i + 1] == 'U' && i + 10 <= n &&
		    record_hex_value(s + i + 2, 8, &cp) == 0 &&
		    cp >= 0x10000 && cp <= 0x10ffff &&
		    (cp & 0xfffe) != 0xfffe) {
			if (buf_add(out, s + start, i - start) != 0)
				return -E2BIG;
			u[0] = (unsigned char)(0xf0 | (cp >> 18));
			u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
			u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
			u[3] = (unsigned char)(0x80 | (cp & 0x3f));
			if (buf_add(out, u, 4) != 0)
				return -E2BIG;
			i += 9;
			start = i + 1;
			continue;
		}
		/* Any other escape, "\\" included: skip its second byte. */
		i++;
	}
	return buf_add(out, s + start, n - start);
}

/*
 * Run one scalar through the emitter as its own document and leave the
 * emitter's text for it (without the "--- " and the newline) in
 * em->scalar. Returns 0 or a negative code.
 */
static int
record_emitter_run(struct record_emitter *em, const char *s, size_t n,
    yaml_scalar_style_t style)
{
	yaml_event_t	 ev;
	char		*t;

	if (!em->started)
		record_emitter_start(em);
	if (em->broken)
		return -EINVAL;
	buf_reset(&em->scalar);
	/* An explicit document start makes every document "--- ...". */
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0);
	if (!yaml_emitter_emit(&em->yaml, &ev))
		goto fail;
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL,
	    (yaml_char_t *)(uintptr_t)s, (int)n, 1, 1, style))
		goto fail;
	if (!yaml_emitter_emit(&em->yaml, &ev))
		goto fail;
	yaml_document_end_event_initialize(&ev, 1);
	if (!yaml_emitter_emit(&em->yaml, &ev))
		goto fail;
	if (!yaml_emitter_flush(&em->yaml))
		goto fail;

	t = em->scalar.data;
	if (em->scalar.len < 5 || memcmp(t, "--- ", 4) != 0 ||
	    t[em->scalar.len - 1] != '\n')
		goto fail;
	memmove(t, t + 4, em->scalar.len - 5);
	buf_truncate(&em->scalar, em->scalar.len - 5);
	return 0;

fail:
	em->broken = 1;
	return -EINVAL;
}

/*
 * Append the YAML text of the string s in the wanted style. A plain
 * string that YAML would read as something else, or that libyaml cannot
 * write plain, is written double-quoted instead (never single-quoted, whose
 * line breaks would fold across lines).
 */
static int
record_emitter_text(struct record_emitter *em, struct buf *out,
    const char *s, size_t n, enum record_style style)
{
	int	 error;

	if ((s = record_emitter_repair(em, s, &n)) == NULL)
		return -E2BIG;
	if (style == RECORD_STYLE_PLAIN && !record_plain_ambiguous(s)) {
		if ((error = record_emitter_run(em, s, n,
		    YAML_PLAIN_SCALAR_STYLE)) != 0)
			return error;
		if (em->scalar.len != 0 && em->scalar.data[0] != '\'' &&
		    em->scalar.data[0] != '"' &&
		    memchr(em->scalar.data, '\n', em->scalar.len) == NULL)
			return buf_add(out, em->scalar.data, em->scalar.len);
	}
	if ((error = record_emitter_run(em, s, n,
	    YAML_DOUBLE_QUOTED_SCALAR_STYLE)) != 0)
		return error;
	if (memchr(em->scalar.data, '\n', em->scalar.len) != NULL)
		return -EINVAL;
	return record_add_quoted(out, em->scalar.data, em->scalar.len);
}

/*
 * Length of the character at s (n bytes left) if libyaml's emitter writes
 * it unchanged, in a plain scalar as in a double-quoted one; else 0. That
 * is printable ASCII other than '"' and '\\', and the valid characters of
 * two or three bytes that libyaml counts printable (IS_PRINTABLE in its
 * yaml_private.h) except the line breaks U+0085, U+2028 and U+2029 and
 * the byte order mark. Four-byte characters, controls and invalid UTF-8
 * are left to the emitter (and to record_emitter_repair()).
 */
static size_t
record_kept_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] <= 0x7e && s[0] != '"' &&
		    s[0] != '\\';
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		if (n < 2 || (s[1] & 0xc0) != 0x80)
			return 0;
		/* C1 controls, U+0085 among them. */
		return s[0] == 0xc2 && s[1] < 0xa0 ? 0 : 2;
	}
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xe0 && s[1] < 0xa0) ||	/* overlong */
		    (s[0] == 0xed && s[1] >= 0xa0) ||	/* surrogates */
		    (s[0] == 0xe2 && s[1] == 0x80 &&
		    (s[2] == 0xa8 || s[2] == 0xa9)) ||	/* U+2028, U+2029 */
		    (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) || /* BOM */
		    (s[0] == 0xef && s[1] == 0xbf && s[2] >= 0xbe))
			return 0;
		return 3;
	}
	return 0;
}

/*
 * Length of the character at s (n bytes left) when it is one of four
 * bytes that comes out of a double-quoted scalar as itself; else 0.
 * libyaml 0.2 escapes every character past the Basic Multilingual Plane
 * as "\UXXXXXXXX", and record_add_quoted() writes each back as its UTF-8
 * unless it is a noncharacter (U+xFFFE, U+xFFFF): an emoji costs the
 * whole string a run through libyaml for bytes that end as they began.
 * A plain scalar with one is written quoted: not the fast path's.
 */
static size_t
record_kept4_len(const unsigned char *s, size_t n)
{
	uint32_t	 cp;

	if (n < 4 || s[0] < 0xf0 || s[0] > 0xf4 || (s[1] & 0xc0) != 0x80 ||
	    (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
		return 0;
	cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	    (uint32_t)(s[2] & 0x3f) << 6 | (uint32_t)(s[3] & 0x3f);
	if (cp < 0x10000 || cp > 0x10ffff || (cp & 0xfffe) == 0xfffe)
		return 0;
	return 4;
}

#ifdef __SSE2__
/*
 * A bit for each of the sixteen bytes at p that is not kept ASCII: below
 * 0x20 or above 0x7e (a signed compare: bytes from 0x80 are negative), a
 * quote or a backslash.
 */
static inline unsigned int
record_kept16(const unsigned char *p)
{
	const __m128i	 lo = _mm_set1_epi8(0x20), hi = _mm_set1_epi8(0x7e);
	const __m128i	 quote = _mm_set1_epi8('"');
	const __m128i	 bslash = _mm_set1_epi8('\\');
	__m128i		 v;

	v = _mm_loadu_si128((const __m128i *)(const void *)p);
	return (unsigned int)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
	    _mm_cmplt_epi8(v, lo), _mm_cmpgt_epi8(v, hi)), _mm_or_si128(
	    _mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash))));
}
#endif

/*
 * The fast path: append the text of s without running libyaml when its
 * answer is known, and return 1; else append nothing and return 0.
 *
 * libyaml writes a double-quoted scalar character by character, escaping
 * only what record_kept_len() refuses (lines are never wrapped: the
 * width is -1), so a string of kept characters comes out as itself
 * between quotes. A plain scalar is kept plain by libyaml unless an
 * indicator, a leading or trailing space, or ": " / " #" says otherwise;
 * the plain path asks for less than that allows: a first character that
 * is a letter, a digit or not ASCII, no space at the end, and none of
 * ":#,?[]{}" anywhere, plus record_plain_ambiguous()'s own test. Anything
 * else goes the slow way. tests/test_record_write.c and
 * fuzz/fuzz_record_read.c check both paths give the same bytes.
 */
static int
record_fast_text(struct buf *out, const char *s, size_t n,
    enum record_style style)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, l;
#ifdef __SSE2__
	unsigned int		 bad;
#endif

	for (i = 0; i < n; i += l) {
#ifdef __SSE2__
		/*
		 * Sixteen bytes at a time while all are kept ASCII. A
		 * character past ASCII (an accent, a curly quote) does not
		 * end the vector scan: it goes on after it. The last bytes
		 * of a long string are tested as the last sixteen, which
		 * may overlap what was seen (a character past ASCII there
		 * sends them to the byte loop).
		 */
		if (n - i >= 16) {
			if ((bad = record_kept16(p + i)) == 0) {
				l = 16;
				continue;
			}
			i += (size_t)__builtin_ctz(bad);
		} else if (n >= 16 && record_kept16(p + n - 16) == 0)
			break;
#endif
		if ((l = record_kept_len(p + i, n - i)) == 0 &&
		    (style != RECORD_STYLE_QUOTED ||
		    (l = record_kept4_len(p + i, n - i)) == 0))
			return 0;
	}
	/* Ambiguous strings skip the plain attempt on the slow path too. */
	if (style == RECORD_STYLE_PLAIN && !record_plain_ambiguous(s)) {
		if (n == 0 || p[n - 1] == ' ' ||
		    (p[0] < 0x80 && !((p[0] >= 'a' && p[0] <= 'z') ||
		    (p[0] >= 'A' && p[0] <= 'Z') ||
		    (p[0] >= '0' && p[0] <= '9'))) ||
		    strpbrk(s, ":#,?[]{}") != NULL)
			return 0;
		return buf_add(out, s, n) == 0 ? 1 : -E2BIG;
	}
	if (buf_add(out, "\"", 1) != 0 || buf_add(out, s, n) != 0 ||
	    buf_add(out, "\"", 1) != 0)
		return -E2BIG;
	return 1;
}

/* The same, through the fast path, else the cache for short strings. */
static int
record_emitter_scalar(struct record_emitter *em, struct buf *out,
    const char *s, enum record_style style)
{
	size_t		 n = strlen(s), start = out->len;
	uint64_t	 h;
	int		 error;

	if (n > RECORD_WRITE_MAX)
		return -E2BIG;
	if ((error = record_fast_text(out, s, n, style)) != 0)
		return error < 0 ? error : 0;
	if (n > RECORD_CACHE_IN)
		return record_emitter_text(em, out, s, n, style);
	h = XXH3_64bits_withSeed(s, n, (XXH64_hash_t)style);
	if ((error = record_cache_get(h, s, n, (int)style, out)) != -1)
		return error;
	if ((error = record_emitter_text(em, out, s, n, style)) != 0)
		return error;
	record_cache_put(h, s, n, (int)style, out->data + start,
	    out->len - start);
	return 0;
}

/*
 * Where the next key goes: "indent" spaces, except that the first key of a
 * sequence item takes "- " in the last two of them.
 */
struct record_line {
	int	 indent;
	int	 item;		/* the next key opens a sequence item */
};

static int
record_key(struct buf *out, struct record_line *ln, const char *key)
{
	static const char spaces[] = "                ";
	int	 error;

	if (ln->item) {
		error = buf_add(out, spaces, (size_t)ln->indent - 2);
		if (error == 0)
			error = buf_add(out, "- ", 2);
		ln->item = 0;
	} else
		error = buf_add(out, spaces, (size_t)ln->indent);
	if (error == 0)
		error = buf_adds(out, key);
	if (error == 0)
		error = buf_add(out, ":", 1);
	return error;
}

static int
record_str(struct record_emitter *em, struct buf *out, struct record_line *ln,
    const char *key, const char *value, enum record_style style)
{
	int	 error;

	if (value == NULL || *value == '\0')
		return 0;
	if ((error = record_key(out, ln, key)) != 0 ||
	    (error = buf_add(out, " ", 1)) != 0 ||
	    (error = record_emitter_scalar(em, out, value, style)) != 0)
		return error;
	return buf_add(out, "\n", 1);
}

static int
record_int(struct buf *out, struct record_line *ln, const char *key, int v)
{
	char		 t[16], *p = t + sizeof t;
	unsigned int	 u = v < 0 ? 0u - (unsigned int)v : (unsigned int)v;
	int		 error;

	if ((error = record_key(out, ln, key)) != 0)
		return error;
	/* By hand: printf's machinery was a tenth of a record's cost. */
	*--p = '\n';
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	*--p = ' ';
	return buf_add(out, p, (size_t)(t + sizeof t - p));
}

static int
record_bool(struct buf *out, struct record_line *ln, const char *key, int v)
{
	int	 error;

	if ((error = record_key(out, ln, key)) != 0)
		return error;
	return buf_adds(out, v ? " true\n" : " false\n");
}

/* publishedDateTime; left out when unknown or outside years 0000-9999. */
static int
record_date(struct buf *out, struct record_line *ln, const char *key,
    int64_t t)
{
	char	 d[1 + DATES_BUFSIZE + 1];
	int	 error;

	if (t == ENTRY_NO_DATE || t < -62167219200LL || t > 253402300799LL)
		return 0;
	if ((error = record_key(out, ln, key)) != 0)
		return error;
	/* Years 0000-9999 are always "YYYY-MM-DDThh:mm:ssZ", 20 bytes. */
	d[0] = ' ';
	dates_format(t, d + 1, DATES_BUFSIZE);
	d[21] = '\n';
	return buf_add(out, d, 22);
}

/* Is there anything to write for the provider of e? */
static int
record_has_provider(const struct entry *e)
{
	return (e->provider_name != NULL && *e->provider_name != '\0') ||
	    (e->provider_domain != NULL && *e->provider_domain != '\0');
}

/* A topic list of nothing but empty strings writes no `topics:` at all. */
static int
record_has_topics(const struct entry *e)
{
	size_t	 i;

	for (i = 0; i < e->ntopics; i++) {
		if (e->topics[i] != NULL && *e->topics[i] != '\0')
			return 1;
	}
	return 0;
}

static int
record_has_images(const struct entry *e)
{
	size_t	 i;

	for (i = 0; i < e->nimages; i++) {
		if (e->images[i].url != NULL && *e->images[i].url != '\0')
			return 1;
	}
	return 0;
}

/* "provider:" and its two keys, the keys at indent + 2. */
static int
record_provider(struct record_emitter *em, struct buf *out,
    struct record_line *ln, const struct entry *e)
{
	struct record_line	 sub = { ln->indent + 2, 0 };
	int			 error;

	if (!record_has_provider(e))
		return 0;
	if ((error = record_key(out, ln, "provider")) != 0 ||
	    (error = buf_add(out, "\n", 1)) != 0 ||
	    (error = record_str(em, out, &sub, "name", e->provider_name,
	    RECORD_STYLE_PLAIN)) != 0)
		return error;
	return record_str(em, out, &sub, "domain", e->provider_domain,
	    RECORD_STYLE_PLAIN);
}

/* "images:" and its items, as in the seed's related items. */
static int
record_images(struct record_emitter *em, struct buf *out,
    struct record_line *ln, const struct entry *e)
{
	const struct entry_image	*im;
	struct record_line		 sub;
	size_t				 i;
	int				 error;

	if (!record_has_images(e))
		return 0;
	if ((error = record_key(out, ln, "images")) != 0 ||
	    (error = buf_add(out, "\n", 1)) != 0)
		return error;
	for (i = 0; i < e->nimages; i++) {
		im = &e->images[i];
		if (im->url == NULL || *im->url == '\0')
			continue;
		sub.indent = ln->indent + 4;
		sub.item = 1;
		if ((error = record_str(em, out, &sub, "url", im->url,
		    RECORD_STYLE_QUOTED)) != 0)
			return error;
		if (im->width != ENTRY_NO_SIZE &&
		    (error = record_int(out, &sub, "width", im->width)) != 0)
			return error;
		if (im->height != ENTRY_NO_SIZE &&
		    (error = record_int(out, &sub, "height", im->height)) != 0)
			return error;
		if ((error = record_bool(out, &sub, "isCached",
		    im->cached)) != 0)
			return error;
	}
	return 0;
}

/* One item of `related`, in the seed's key order. */
static int
record_related(struct record_emitter *em, struct buf *out,
    const struct entry *e)
{
	struct record_line	 ln = { 4, 1 };
	int			 error;

	if ((error = record_str(em, out, &ln, "title", e->title,
	    RECORD_STYLE_QUOTED)) != 0 ||
	    (error = record_str(em, out, &ln, "excerpt", e->excerpt,
	    RECORD_STYLE_QUOTED)) != 0 ||
	    (error = record_date(out, &ln, "publishedDateTime",
	    e->published)) != 0 ||
	    (error = record_str(em, out, &ln, "webUrl", e->web_url,
	    RECORD_STYLE_QUOTED)) != 0 ||
	    (error = record_str(em, out, &ln, "ampWebUrl", e->amp_url,
	    RECORD_STYLE_QUOTED)) != 0 ||
	    (error = record_str(em, out, &ln, "cdnAmpWebUrl", e->cdn_amp_url,
	    RECORD_STYLE_QUOTED)) != 0 ||
	    (error = record_str(em, out, &ln, "type", e->type,
	    RECORD_STYLE_PLAIN)) != 0 ||
	    (error = record_provider(em, out, &ln, e)) != 0 ||
	    (error = record_int(out, &ln, "quality", e->quality)) != 0)
		return error;
	return record_images(em, out, &ln, e);
}

/*
 * The record's text with published and secured given separately, so that
 * record_write_file() can keep the file's flag and seal afresh without
 * touching the caller's record.
 */
static int
record_write_text(const struct record *r, int published, const char *secured,
    struct buf *out)
{
	struct record_emitter	 em;
	struct record_line	 ln = { 0, 0 };
	const struct entry	*p = r->primary;
	size_t			 i;
	int			 error;

	record_emitter_init(&em);
	if ((error = buf_add(out, "---\n", 4)) != 0)
		goto out;
	if ((error = record_str(&em, out, &ln, "category", p->category,
	    RECORD_STYLE_PLAIN)) != 0 ||
	    (error = record_str(&em, out, &ln, "title", p->title,
	    RECORD_STYLE_QUOTED)) != 0 ||
	    (error = record_str(&em, out, &ln, "excerpt", p->excerpt,
	    RECORD_STYLE_QUOTED)) != 0 ||
	    (error = record_date(out, &ln, "publishedDateTime",
	    p->published)) != 0 ||
	    (error = record_str(&em, out, &ln, "originalUrl", p->original_url,
	    RECORD_STYLE_QUOTED)) != 0 ||
	    (error = record_str(&em, out, &ln, "webUrl", p->web_url,
	    RECORD_STYLE_QUOTED)) != 0 ||
	    (error = record_str(&em, out, &ln, "ampWebUrl", p->amp_url,
	    RECORD_STYLE_QUOTED)) != 0 ||
	    (error = record_str(&em, out, &ln, "cdnAmpWebUrl", p->cdn_amp_url,
	    RECORD_STYLE_QUOTED)) != 0 ||
	    (error = record_str(&em, out, &ln, "type", p->type,
	    RECORD_STYLE_PLAIN)) != 0 ||
	    (error = record_int(out, &ln, "quality", p->quality)) != 0 ||
	    (error = record_int(out, &ln, "heat", r->heat)) != 0 ||
	    (error = record_bool(out, &ln, "published", published)) != 0)
		goto out;

	if (record_has_provider(p)) {
		if ((error = buf_add(out, "\n", 1)) != 0 ||
		    (error = record_provider(&em, out, &ln, p)) != 0)
			goto out;
	}
	if (record_has_images(p)) {
		if ((error = buf_add(out, "\n", 1)) != 0 ||
		    (error = record_images(&em, out, &ln, p)) != 0)
			goto out;
	}
	if (record_has_topics(p)) {
		if ((error = buf_adds(out, "\ntopics:\n")) != 0)
			goto out;
		for (i = 0; i < p->ntopics; i++) {
			if (p->topics[i] == NULL || *p->topics[i] == '\0')
				continue;
			if ((error = buf_add(out, "  - ", 4)) != 0 ||
			    (error = record_emitter_scalar(&em, out,
			    p->topics[i], RECORD_STYLE_PLAIN)) != 0 ||
			    (error = buf_add(out, "\n", 1)) != 0)
				goto out;
		}
	}
	if (r->nrelated != 0) {
		if ((error = buf_adds(out, "\nrelated:\n")) != 0)
			goto out;
		for (i = 0; i < r->nrelated; i++) {
			if ((error = record_related(&em, out,
			    r->related[i])) != 0)
				goto out;
		}
	}
	if (secured != NULL && *secured != '\0') {
		if ((error = buf_add(out, "\n", 1)) != 0 ||
		    (error = record_str(&em, out, &ln, "secured", secured,
		    RECORD_STYLE_QUOTED)) != 0)
			goto out;
	}
	/* The seed ends with an empty line after its closing "---". */
	error = buf_add(out, "---\n\n", 5);
out:
	record_emitter_close(&em);
	return error;
}

int
record_write_emit(const struct record *r, struct buf *out)
{
	return record_write_text(r, r->published, r->secured, out);
}

int
record_write_scalar(const char *s, int quoted, int slow, struct buf *out)
{
	struct record_emitter	 em;
	enum record_style	 style;
	int			 error;

	style = quoted ? RECORD_STYLE_QUOTED : RECORD_STYLE_PLAIN;
	record_emitter_init(&em);
	if (slow)
		error = record_emitter_text(&em, out, s, strlen(s), style);
	else
		error = record_emitter_scalar(&em, out, s, style);
	record_emitter_close(&em);
	return error;
}

void
record_write_id(const char *web_url, char out[RECORD_WRITE_ID_LEN + 1])
{
	XXH64_hash_t	 h;

	/*
	 * XXH3: the fastest 64-bit xxhash, stable across versions and
	 * platforms since xxhash 0.8, so ids survive upgrades.
	 */
	h = XXH3_64bits(web_url, strlen(web_url));
	snprintf(out, RECORD_WRITE_ID_LEN + 1, "%016" PRIx64, (uint64_t)h);
}

/* 16 lower-case hex digits: the only names record files have. */
static int
record_write_id_valid(const char *id)
{
	return id != NULL && strlen(id) == RECORD_WRITE_ID_LEN &&
	    strspn(id, "0123456789abcdef") == RECORD_WRITE_ID_LEN;
}

/*
 * Move a record that no longer parses to PATH.corrupt-<unix time> (with
 * ".N" added if that name is taken), so the consumer's file is never
 * overwritten silently. Returns 0 or a negative errno.
 */
static int
record_write_aside(const char *path, const char *why, struct errbuf *err)
{
	struct stat	 st;
	char		*aside;
	long long	 now = (long long)time(NULL);
	int		 i, error;

	aside = xasprintf("%s.corrupt-%lld", path, now);
	for (i = 1; lstat(aside, &st) == 0 && i < 1000; i++) {
		free(aside);
		aside = xasprintf("%s.corrupt-%lld.%d", path, now, i);
	}
	if (rename(path, aside) == -1) {
		error = -errno;
		errbuf_set(err, "%s: does not parse and cannot be moved aside: "
		    "%s", path, strerror(errno));
		free(aside);
		return error;
	}
	log_warn("write", "%s; moved aside as %s", why, aside);
	free(aside);
	return 0;
}

static int
record_write_all(int fd, const char *data, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(fd, data, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -errno;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* File systems that cannot sync a folder (EINVAL) pass. */
int
record_write_sync(const char *dir, struct errbuf *err)
{
	int	 fd, error = 0;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		error = -errno;
		errbuf_set(err, "%s: cannot sync the folder: %s", dir,
		    strerror(errno));
		return error;
	}
	if (fsync(fd) == -1 && errno != EINVAL && errno != ENOTSUP) {
		error = -errno;
		errbuf_set(err, "%s: cannot sync the folder: %s", dir,
		    strerror(errno));
	}
	close(fd);
	return error;
}

/*
 * The text into a temporary file next to path, then renamed over it: a
 * reader sees the old file or the new one, never a part. On failure the
 * temporary file is removed and the old file is untouched.
 */
static int
record_write_atomic(const char *dir, const char *id, const char *path,
    const struct buf *text, const struct record_write_opts *opts,
    struct errbuf *err)
{
	char	*tmp;
	int	 fd, error;

	/* Named so that record_write_cleanup() knows a crash leftover. */
	tmp = xasprintf("%s/.%s.yaml.tmp-XXXXXX", dir, id);
	if ((fd = mkstemp(tmp)) == -1) {
		error = -errno;
		errbuf_set(err, "%s: cannot create a temporary file in %s: %s",
		    path, dir, strerror(errno));
		free(tmp);
		return error;
	}
	/* mkstemp() made it 0600; record_mode is exact, umask aside. */
	if (fchmod(fd, opts->mode & 07777) == -1) {
		error = -errno;
		errbuf_set(err, "%s: cannot set mode %04o: %s", tmp,
		    opts->mode & 07777, strerror(errno));
		goto fail;
	}
	if ((error = record_write_all(fd, text->data, text->len)) != 0) {
		errbuf_set(err, "%s: cannot write: %s", path, strerror(-error));
		goto fail;
	}
	if (opts->fsync && fsync(fd) == -1) {
		error = -errno;
		errbuf_set(err, "%s: cannot write (fsync): %s", path,
		    strerror(errno));
		goto fail;
	}
	error = close(fd);
	fd = -1;
	if (error == -1) {
		error = -errno;
		errbuf_set(err, "%s: cannot write (close): %s", path,
		    strerror(errno));
		goto fail;
	}
	if (rename(tmp, path) == -1) {
		error = -errno;
		errbuf_set(err, "%s: cannot rename into place: %s", path,
		    strerror(errno));
		goto fail;
	}
	free(tmp);
	if (opts->fsync_dir)
		return record_write_sync(dir, err);
	return 0;

fail:
	if (fd != -1)
		close(fd);
	unlink(tmp);
	free(tmp);
	return error;
}

int
record_write_file(const char *dir, const char *id, const struct record *r,
    const struct record_write_opts *opts, struct errbuf *err)
{
	struct record_write_opts defaults;
	struct record		*old = NULL;
	struct errbuf		 rerr;
	struct buf		 text;
	char			*path, *secured = NULL;
	int			 published = r->published, error;

	if (opts == NULL) {
		record_write_opts_init(&defaults);
		opts = &defaults;
	}
	if (!record_write_id_valid(id)) {
		errbuf_set(err, "record id '%s' is not 16 lower-case hex digits",
		    id != NULL ? id : "(null)");
		return -EINVAL;
	}
	path = xasprintf("%s/%s.yaml", dir, id);

	/* The file's `published` wins: the consumer may have flipped it. */
	errbuf_clear(&rerr);
	error = record_read_file(path, &old, &rerr);
	switch (error) {
	case 0:
		published = old->published;
		record_free(old);
		break;
	case -ENOENT:
		if (opts->how == RECORD_WRITE_UPDATE) {
			free(path);
			return RECORD_WRITE_SKIPPED;
		}
		break;
	case -EBADMSG:
	case -EFBIG:
		if ((error = record_write_aside(path, rerr.msg, err)) != 0)
			goto out;
		break;
	default:
		errbuf_set(err, "cannot read the existing record: %s",
		    rerr.msg);
		goto out;
	}

	if (opts->key != NULL &&
	    (secured = seal_entry(opts->key, r->primary, err)) == NULL) {
		error = -EIO;
		goto out;
	}
	buf_init(&text, RECORD_WRITE_MAX);
	error = record_write_text(r, published,
	    secured != NULL ? secured : r->secured, &text);
	if (error != 0)
		errbuf_set(err, "%s: the record is larger than %d bytes", path,
		    RECORD_WRITE_MAX);
	else
		error = record_write_atomic(dir, id, path, &text, opts, err);
	buf_free(&text);
out:
	free(secured);
	free(path);
	return error;
}

int
record_write_cleanup(const char *dir, struct errbuf *err)
{
	struct dirent	*de;
	DIR		*d;
	int		 removed = 0, error;

	if ((d = opendir(dir)) == NULL) {
		error = -errno;
		errbuf_set(err, "%s: %s", dir, strerror(errno));
		return error;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.' ||
		    strstr(de->d_name, ".yaml.tmp-") == NULL)
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == -1) {
			if (errno == ENOENT)
				continue;
			error = -errno;
			errbuf_set(err, "%s/%s: cannot remove: %s", dir,
			    de->d_name, strerror(errno));
			closedir(d);
			return error;
		}
		log_info("write", "removed %s/%s left by a crash", dir,
		    de->d_name);
		removed++;
	}
	closedir(d);
	return removed;
}
