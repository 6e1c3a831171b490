/*
 * state.c: the per-feed state, its file and its debounced saving (state.h).
 *
 * Owns every struct state_feed (one allocation each, so pointers handed
 * out stay valid), their strings, an index from configured URL to feed
 * (open addressing over ids, hashed with xxhash), and the state file.
 *
 * The file is line-oriented text so that it can be read, diffed and
 * repaired by hand, and so that a damaged line costs one feed, not all:
 *
 *	feedfold-state 2
 *	F <key> <url> <etag> <last-modified> <last_fetch> <next_due>
 *	  <interval> <last_status> <error_streak> <retired> <rate> <hint>
 *	  <last_success>
 *	end <number of F lines>
 *
 * (one F line per feed, fields separated by one tab). Strings are written
 * with bytes below 0x21, 0x7f and '%' as %XX; "-" stands for no value and
 * "=" in the url field for "same as the key".
 *
 * Version 1 files (written before last_success existed) have 13 fields
 * and still load; the next save writes version 2.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "log.h"
#include "state.h"
#include "xmalloc.h"

#define STATE_MAGIC	"feedfold-state 2"
#define STATE_MAGIC_V1	"feedfold-state 1"
/* F lines of a version 1 file lack the trailing last_success. */
#define STATE_NFIELDS	14
#define STATE_NFIELDS_V1 13
#define STATE_EMPTY	UINT32_MAX
/* A state file is ~150 bytes a feed; 1 GiB is millions of feeds. */
#define STATE_MAX_FILE	((size_t)1 << 30)

struct state {
	struct state_feed	**feeds;
	size_t			  nfeeds;
	size_t			  cap;
	uint32_t		 *index;	/* ids, STATE_EMPTY */
	size_t			  nindex;	/* power of two */
	int			  dirty;
};

struct state *
state_new(void)
{
	struct state	*st;
	size_t		 i;

	st = xcalloc(1, sizeof *st);
	st->nindex = 64;
	st->index = xreallocarray(NULL, st->nindex, sizeof *st->index);
	for (i = 0; i < st->nindex; i++)
		st->index[i] = STATE_EMPTY;
	return st;
}

static void
state_feed_free(struct state_feed *sf)
{
	if (sf->url != sf->key)
		free(sf->url);
	free(sf->key);
	free(sf->etag);
	free(sf->last_modified);
	free(sf);
}

void
state_free(struct state *st)
{
	size_t	 i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nfeeds; i++)
		state_feed_free(st->feeds[i]);
	free(st->feeds);
	free(st->index);
	free(st);
}

static size_t
state_slot(const struct state *st, const char *key)
{
	return (size_t)XXH3_64bits(key, strlen(key)) & (st->nindex - 1);
}

static void
state_index_grow(struct state *st)
{
	size_t	 i, j;

	free(st->index);
	st->nindex *= 2;
	st->index = xreallocarray(NULL, st->nindex, sizeof *st->index);
	for (i = 0; i < st->nindex; i++)
		st->index[i] = STATE_EMPTY;
	for (i = 0; i < st->nfeeds; i++) {
		j = state_slot(st, st->feeds[i]->key);
		while (st->index[j] != STATE_EMPTY)
			j = (j + 1) & (st->nindex - 1);
		st->index[j] = (uint32_t)i;
	}
}

/* Also a dropped feed, for state_feed_add to bring back. */
static struct state_feed *
state_feed_find(struct state *st, const char *key)
{
	size_t	 j;

	for (j = state_slot(st, key); st->index[j] != STATE_EMPTY;
	    j = (j + 1) & (st->nindex - 1)) {
		if (strcmp(st->feeds[st->index[j]]->key, key) == 0)
			return st->feeds[st->index[j]];
	}
	return NULL;
}

struct state_feed *
state_feed_get(struct state *st, const char *key)
{
	struct state_feed	*sf;

	if ((sf = state_feed_find(st, key)) == NULL || sf->dropped)
		return NULL;
	return sf;
}

struct state_feed *
state_feed_add(struct state *st, const char *key)
{
	struct state_feed	*sf;
	size_t			 j;

	if ((sf = state_feed_find(st, key)) != NULL) {
		if (sf->dropped) {
			sf->dropped = 0;
			st->dirty = 1;
		}
		return sf;
	}
	/* Keep the table at most half full so probes stay short. */
	if ((st->nfeeds + 1) * 2 > st->nindex)
		state_index_grow(st);
	if (st->nfeeds == st->cap) {
		st->cap = st->cap == 0 ? 64 : st->cap * 2;
		st->feeds = xreallocarray(st->feeds, st->cap,
		    sizeof *st->feeds);
	}
	sf = xcalloc(1, sizeof *sf);
	sf->key = xstrdup(key);
	sf->url = sf->key;
	sf->rate = -1;
	sf->id = (uint32_t)st->nfeeds;
	st->feeds[st->nfeeds++] = sf;
	for (j = state_slot(st, key); st->index[j] != STATE_EMPTY;
	    j = (j + 1) & (st->nindex - 1))
		;
	st->index[j] = sf->id;
	st->dirty = 1;
	return sf;
}

struct state_feed *
state_feed_at(struct state *st, uint32_t id)
{
	return id < st->nfeeds ? st->feeds[id] : NULL;
}

size_t
state_count(const struct state *st)
{
	return st->nfeeds;
}

void
state_feed_drop(struct state *st, struct state_feed *sf)
{
	if (!sf->dropped)
		st->dirty = 1;
	sf->dropped = 1;
}

void
state_feed_set(struct state_feed *sf, char **field, const char *value)
{
	if (*field == value)
		return;		/* also keeps a field set to itself alive */
	if (field == &sf->url) {
		/* url shares the key's string while they are equal. */
		if (sf->url != sf->key)
			free(sf->url);
		if (value == NULL || strcmp(value, sf->key) == 0)
			sf->url = sf->key;
		else
			sf->url = xstrdup(value);
		return;
	}
	free(*field);
	*field = value != NULL ? xstrdup(value) : NULL;
}

void
state_touch(struct state *st)
{
	st->dirty = 1;
}

int
state_dirty(const struct state *st)
{
	return st->dirty;
}

/* ---- the file ------------------------------------------------------------ */

static void
state_put_str(FILE *fp, const char *s, const char *same_as)
{
	const unsigned char	*p;

	if (s == NULL) {
		fputc('-', fp);
		return;
	}
	if (same_as != NULL && strcmp(s, same_as) == 0) {
		fputc('=', fp);
		return;
	}
	/* A value that is exactly "-" or "=" must not read back as a marker. */
	if ((s[0] == '-' || s[0] == '=') && s[1] == '\0') {
		fprintf(fp, "%%%02X", (unsigned char)s[0]);
		return;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p <= 0x20 || *p == 0x7f || *p == '%')
			fprintf(fp, "%%%02X", *p);
		else
			fputc(*p, fp);
	}
}

static int
state_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode a field in place; 0, or -1 if it is malformed. */
static int
state_get_str(char *s, char **out)
{
	char	*r, *w;
	int	 hi, lo;

	if (strcmp(s, "-") == 0) {
		*out = NULL;
		return 0;
	}
	for (r = w = s; *r != '\0'; r++) {
		if (*r != '%') {
			*w++ = *r;
			continue;
		}
		if ((hi = state_hex(r[1])) < 0 || (lo = state_hex(r[2])) < 0)
			return -1;
		*w++ = (char)(hi * 16 + lo);
		r += 2;
	}
	*w = '\0';
	if (memchr(s, '\0', (size_t)(w - s)) != NULL)
		return -1;	/* an encoded NUL cannot be a C string */
	*out = s;
	return 0;
}

static int
state_get_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char		*end;
	long long	 v;

	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * Parse one F line (already split into nf fields: STATE_NFIELDS, or
 * STATE_NFIELDS_V1 from a version 1 file); 0 or -1 if any field is bad.
 */
static int
state_parse_feed(struct state *st, char **f, size_t nf)
{
	struct state_feed	*sf;
	char			*key, *url, *etag, *lm, *end;
	int64_t			 last_fetch, next_due, interval, status, streak;
	int64_t			 retired, hint, last_success = 0;
	double			 rate;

	if (strcmp(f[0], "F") != 0)
		return -1;
	if (state_get_str(f[1], &key) != 0 || key == NULL || *key == '\0')
		return -1;
	if (strcmp(f[2], "=") == 0)
		url = key;
	else if (state_get_str(f[2], &url) != 0 || url == NULL)
		return -1;
	if (state_get_str(f[3], &etag) != 0 ||
	    state_get_str(f[4], &lm) != 0)
		return -1;
	if (state_get_i64(f[5], 0, INT64_MAX, &last_fetch) != 0 ||
	    state_get_i64(f[6], 0, INT64_MAX, &next_due) != 0 ||
	    state_get_i64(f[7], 0, INT64_MAX, &interval) != 0 ||
	    state_get_i64(f[8], -1000, 1000, &status) != 0 ||
	    state_get_i64(f[9], 0, 1000000, &streak) != 0 ||
	    state_get_i64(f[10], 0, 1, &retired) != 0 ||
	    state_get_i64(f[12], 0, INT64_MAX, &hint) != 0)
		return -1;
	if (nf > STATE_NFIELDS_V1 &&
	    state_get_i64(f[13], 0, INT64_MAX, &last_success) != 0)
		return -1;
	/*
	 * Version 1 did not store it, but a feed whose last fetch succeeded
	 * (no error streak, a 2xx or 304) last succeeded then.
	 */
	if (nf == STATE_NFIELDS_V1 && streak == 0 && retired == 0 &&
	    ((status >= 200 && status < 300) || status == 304))
		last_success = last_fetch;
	errno = 0;
	rate = strtod(f[11], &end);
	if (errno != 0 || *end != '\0' || end == f[11] || rate != rate)
		return -1;

	sf = state_feed_add(st, key);
	state_feed_set(sf, &sf->url, url);
	state_feed_set(sf, &sf->etag, etag);
	state_feed_set(sf, &sf->last_modified, lm);
	sf->last_fetch = last_fetch;
	sf->next_due = next_due;
	sf->interval = interval;
	sf->last_status = (int)status;
	sf->error_streak = (int)streak;
	sf->retired = (int)retired;
	sf->rate = rate < 0 ? -1 : rate;
	sf->hint = hint;
	sf->last_success = last_success;
	return 0;
}

int
state_load(struct state *st, const char *path, struct errbuf *err)
{
	char		*data = NULL, *line, *next, *tab, *f[STATE_NFIELDS];
	struct stat	 sb;
	size_t		 lineno = 0, bad = 0, first_bad = 0, nf, good = 0;
	size_t		 want = STATE_NFIELDS;
	ssize_t		 n;
	size_t		 off = 0;
	long long	 count = -1;
	int		 fd, saw_magic = 0, truncated;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		errbuf_set(err, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (fstat(fd, &sb) != 0) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		return -EIO;
	}
	if ((uint64_t)sb.st_size > STATE_MAX_FILE) {
		errbuf_set(err, "%s: larger than 1 GiB", path);
		close(fd);
		return -EFBIG;
	}
	data = xmalloc((size_t)sb.st_size + 1);
	while (off < (size_t)sb.st_size) {
		n = read(fd, data + off, (size_t)sb.st_size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	data[off] = '\0';

	/* Only whole lines count: a last line without '\n' was cut short. */
	truncated = off > 0 && data[off - 1] != '\n';
	for (line = data; line < data + off; line = next) {
		if ((next = memchr(line, '\n', (size_t)(data + off - line))) ==
		    NULL)
			break;
		*next++ = '\0';
		lineno++;
		if (!saw_magic) {
			if (strcmp(line, STATE_MAGIC_V1) == 0)
				want = STATE_NFIELDS_V1;
			else if (strcmp(line, STATE_MAGIC) != 0) {
				log_warn("state", "%s: not a feedfold state "
				    "file (version 1 or 2): every feed starts "
				    "fresh", path);
				st->dirty = 1;
				free(data);
				return 0;
			}
			saw_magic = 1;
			continue;
		}
		if (count >= 0) {
			bad++;		/* nothing may follow "end" */
			if (first_bad == 0)
				first_bad = lineno;
			continue;
		}
		if (strncmp(line, "end\t", 4) == 0) {
			count = strtoll(line + 4, NULL, 10);
			continue;
		}
		for (nf = 1, f[0] = line; (tab = strchr(f[nf - 1], '\t')) !=
		    NULL; nf++) {
			if (nf == want) {
				nf++;	/* a field too many: damaged */
				break;
			}
			*tab = '\0';
			f[nf] = tab + 1;
		}
		if (nf != want || state_parse_feed(st, f, nf) != 0) {
			bad++;
			if (first_bad == 0)
				first_bad = lineno;
			continue;
		}
		good++;
	}
	if (!saw_magic) {
		log_warn("state", "%s: %s: every feed starts fresh", path,
		    off == 0 ? "empty" :
		    "not a feedfold state file (version 1 or 2)");
		st->dirty = 1;
		free(data);
		return 0;
	}
	if (bad > 0)
		log_warn("state", "%s:%zu: %zu damaged line%s skipped: those "
		    "feeds start fresh", path, first_bad, bad,
		    bad == 1 ? "" : "s");
	if (truncated || count < 0)
		log_warn("state", "%s: truncated after line %zu: feeds after "
		    "it start fresh", path, lineno);
	else if (count >= 0 && (size_t)count != good + bad)
		log_warn("state", "%s: says %lld feeds, has %zu: the missing "
		    "ones start fresh", path, count, good + bad);
	free(data);
	/* Loaded state is what is on disk, unless it had to be repaired. */
	st->dirty = bad > 0 || truncated || count < 0;
	return 0;
}

/* fsync the folder holding path, so that a rename in it is durable. */
static int
state_sync_dir(const char *path)
{
	char	*dir, *slash;
	int	 fd, rc = 0;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		dir = xstrdup(".");
	} else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		rc = -errno;
	else {
		if (fsync(fd) != 0)
			rc = -errno;
		close(fd);
	}
	free(dir);
	return rc;
}

static void
state_mkdir_parent(const char *path)
{
	char	*dir, *slash;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		/* One level: state_dir itself; its parent must exist. */
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			log_warn("state", "mkdir %s: %s", dir,
			    strerror(errno));
	}
	free(dir);
}

int
state_save(struct state *st, const char *path, struct errbuf *err)
{
	struct state_feed	*sf;
	char			*tmp;
	FILE			*fp;
	size_t			 i, n;
	int			 fd, rc = 0, saved;

	state_mkdir_parent(path);
	tmp = xasprintf("%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) < 0) {
		rc = -errno;
		errbuf_set(err, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		rc = -errno;
		errbuf_set(err, "%s: %s", tmp, strerror(errno));
		close(fd);
		goto fail;
	}
	setvbuf(fp, NULL, _IOFBF, 1 << 16);
	fprintf(fp, "%s\n", STATE_MAGIC);
	for (i = 0, n = 0; i < st->nfeeds; i++) {
		sf = st->feeds[i];
		if (sf->dropped)
			continue;
		n++;
		fputs("F\t", fp);
		state_put_str(fp, sf->key, NULL);
		fputc('\t', fp);
		state_put_str(fp, sf->url, sf->key);
		fputc('\t', fp);
		state_put_str(fp, sf->etag, NULL);
		fputc('\t', fp);
		state_put_str(fp, sf->last_modified, NULL);
		fprintf(fp, "\t%" PRId64 "\t%" PRId64 "\t%" PRId64
		    "\t%d\t%d\t%d\t%.9g\t%" PRId64 "\t%" PRId64 "\n",
		    sf->last_fetch, sf->next_due, sf->interval,
		    sf->last_status, sf->error_streak, sf->retired ? 1 : 0,
		    sf->rate < 0 ? -1.0 : sf->rate, sf->hint,
		    sf->last_success);
	}
	fprintf(fp, "end\t%zu\n", n);
	if (fflush(fp) != 0 || ferror(fp) || fsync(fileno(fp)) != 0) {
		rc = errno != 0 ? -errno : -EIO;
		errbuf_set(err, "%s: %s", tmp, strerror(-rc));
		fclose(fp);
		goto fail;
	}
	if (fclose(fp) != 0) {
		rc = -errno;
		errbuf_set(err, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		rc = -errno;
		errbuf_set(err, "rename %s: %s", path, strerror(errno));
		goto fail;
	}
	if ((rc = state_sync_dir(path)) != 0) {
		/* The new file is in place; only its durability is unsure. */
		log_warn("state", "fsync of the folder of %s: %s", path,
		    strerror(-rc));
		rc = 0;
	}
	st->dirty = 0;
	free(tmp);
	return 0;

fail:
	saved = errno;
	unlink(tmp);
	free(tmp);
	errno = saved;
	return rc;
}

/* ---- debounced saving ---------------------------------------------------- */

struct state_saver {
	uv_timer_t	 timer;
	struct state	*st;
	char		*path;
	uint64_t	 delay_ms;
	void		(*close_cb)(void *);
	void		*close_arg;
};

struct state_saver *
state_saver_new(uv_loop_t *loop, struct state *st, const char *path,
    uint64_t delay_ms)
{
	struct state_saver	*sv;
	int			 rc;

	sv = xcalloc(1, sizeof *sv);
	if ((rc = uv_timer_init(loop, &sv->timer)) != 0) {
		log_error("state", "uv_timer_init: %s", uv_strerror(rc));
		free(sv);
		return NULL;
	}
	sv->timer.data = sv;
	sv->st = st;
	sv->path = xstrdup(path);
	sv->delay_ms = delay_ms;
	return sv;
}

int
state_saver_flush(struct state_saver *sv)
{
	struct errbuf	 err;
	int		 rc;

	if (!sv->st->dirty)
		return 0;
	if ((rc = state_save(sv->st, sv->path, &err)) != 0)
		log_error("state", "saving feed state: %s", err.msg);
	return rc;
}

static void
state_saver_timer_cb(uv_timer_t *t)
{
	struct state_saver	*sv = t->data;

	state_saver_flush(sv);
}

void
state_saver_touch(struct state_saver *sv)
{
	int	 rc;

	sv->st->dirty = 1;
	/* Already armed: this change rides on the pending write. */
	if (uv_is_active((uv_handle_t *)&sv->timer))
		return;
	if ((rc = uv_timer_start(&sv->timer, state_saver_timer_cb,
	    sv->delay_ms, 0)) != 0) {
		log_error("state", "uv_timer_start: %s; saving now",
		    uv_strerror(rc));
		state_saver_flush(sv);
	}
}

static void
state_saver_closed(uv_handle_t *h)
{
	struct state_saver	*sv = h->data;

	if (sv->close_cb != NULL)
		sv->close_cb(sv->close_arg);
	free(sv->path);
	free(sv);
}

void
state_saver_close(struct state_saver *sv, void (*cb)(void *), void *arg)
{
	state_saver_flush(sv);
	sv->close_cb = cb;
	sv->close_arg = arg;
	uv_close((uv_handle_t *)&sv->timer, state_saver_closed);
}
