/*
 * cmd_cluster.c: feedfold cluster, batch same-story clustering of a TSV.
 *
 * Reads lines "id TAB publishedDateTime TAB domain TAB title [TAB excerpt]"
 * (sorted by time), runs them through the daemon's clusterer with the
 * daemon's defaults (cluster_params_default), and prints "id TAB
 * cluster_id" for every line in input order. A story's cluster_id is what
 * the daemon would name its record: 16 lower-case hex digits of XXH3_64 of
 * the founding item's webUrl; a TSV has no URLs, so the founding item's id
 * stands in for it. Output waits for the end of the input because a merge
 * (stories.merge) may rename earlier lines' stories.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "cluster.h"
#include "cmd.h"
#include "xmalloc.h"

/* A line longer than this is refused (titles and excerpts are short). */
#define CMD_CLUSTER_LINE_MAX	(1024 * 1024)
#define CMD_CLUSTER_ID_MAX	1024

static int	cmd_cluster_exec(int, char **);

const struct cmd_entry cmd_cluster_entry = {
	"cluster",
	"[-s] [-t THRESHOLD] [-w WINDOW] [-p NAME=VALUE] FILE.tsv | -",
	"cluster a TSV of items into stories",
	cmd_cluster_exec,
};

struct cmd_cluster_run {
	char		*ids;		/* every id, NUL-separated */
	size_t		 ids_len, ids_cap;
	size_t		*id_off;	/* per line */
	uint32_t	*story;		/* per line */
	size_t		 nlines, cap_lines;
	uint64_t	*story_id;	/* per story number */
	uint32_t	*parent;	/* per story number: merged into */
	size_t		 cap_stories;
};

static void
cmd_cluster_grow_stories(struct cmd_cluster_run *r, uint32_t number)
{
	size_t	 n = r->cap_stories, i;

	if (number < n)
		return;
	while (n <= number)
		n = n == 0 ? 1024 : n * 2;
	r->story_id = xreallocarray(r->story_id, n, sizeof *r->story_id);
	r->parent = xreallocarray(r->parent, n, sizeof *r->parent);
	for (i = r->cap_stories; i < n; i++) {
		r->story_id[i] = 0;
		r->parent[i] = (uint32_t)i;
	}
	r->cap_stories = n;
}

static uint32_t
cmd_cluster_root(struct cmd_cluster_run *r, uint32_t n)
{
	while (r->parent[n] != n) {
		r->parent[n] = r->parent[r->parent[n]];
		n = r->parent[n];
	}
	return n;
}

static void
cmd_cluster_merged(void *arg, uint32_t from, uint32_t into)
{
	struct cmd_cluster_run	*r = arg;

	cmd_cluster_grow_stories(r, from > into ? from : into);
	r->parent[cmd_cluster_root(r, from)] = cmd_cluster_root(r, into);
}

/* "3600", "90s", "15m", "72h", "7d" to seconds; -1 if malformed. */
static int64_t
cmd_cluster_duration(const char *s)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v < 0 || v > 100LL * 365 * 86400)
		return -1;
	switch (*end) {
	case '\0':
	case 's':
		break;
	case 'm':
		v *= 60;
		break;
	case 'h':
		v *= 3600;
		break;
	case 'd':
		v *= 86400;
		break;
	default:
		return -1;
	}
	if (*end != '\0' && end[1] != '\0')
		return -1;
	return v;
}

static int
cmd_cluster_number(const char *s, double lo, double hi, double *out)
{
	char	*end;
	double	 v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

/* -p NAME=VALUE: the clusterer's finer parameters, for experiments. */
static int
cmd_cluster_param(struct cluster_params *p, const char *arg)
{
	const char	*eq = strchr(arg, '=');
	double		 v;
	size_t		 n;

	if (eq == NULL)
		return -1;
	n = (size_t)(eq - arg);
	if (cmd_cluster_number(eq + 1, 0, 1e9, &v) != 0)
		return -1;
	if (n == 12 && strncmp(arg, "title_weight", n) == 0)
		p->title_weight = (float)v;
	else if (n == 11 && strncmp(arg, "pair_weight", n) == 0)
		p->pair_weight = (float)v;
	else if (n == 13 && strncmp(arg, "excerpt_words", n) == 0 && v <= 1000)
		p->excerpt_words = (int)v;
	else if (n == 12 && strncmp(arg, "centroid_max", n) == 0 && v <= 1024)
		p->centroid_max = (int)v;
	else if (n == 10 && strncmp(arg, "size_bonus", n) == 0 && v <= 1)
		p->size_bonus = v;
	else if (n == 5 && strncmp(arg, "merge", n) == 0 && v <= 1)
		p->merge = v;
	else if (n == 8 && strncmp(arg, "fragment", n) == 0 && v <= 1e6)
		p->fragment = (int)v;
	else if (n == 7 && strncmp(arg, "recheck", n) == 0)
		p->recheck = (int64_t)v;
	else
		return -1;
	return 0;
}

static void
cmd_cluster_add_line(struct cmd_cluster_run *r, const char *id, size_t idlen,
    uint32_t story)
{
	if (r->nlines == r->cap_lines) {
		r->cap_lines = r->cap_lines == 0 ? 4096 : r->cap_lines * 2;
		r->id_off = xreallocarray(r->id_off, r->cap_lines,
		    sizeof *r->id_off);
		r->story = xreallocarray(r->story, r->cap_lines,
		    sizeof *r->story);
	}
	while (r->ids_len + idlen + 1 > r->ids_cap) {
		r->ids_cap = r->ids_cap == 0 ? 65536 : r->ids_cap * 2;
		r->ids = xrealloc(r->ids, r->ids_cap);
	}
	r->id_off[r->nlines] = r->ids_len;
	memcpy(r->ids + r->ids_len, id, idlen);
	r->ids[r->ids_len + idlen] = '\0';
	r->ids_len += idlen + 1;
	r->story[r->nlines++] = story;
}

static int
cmd_cluster_print(struct cmd_cluster_run *r)
{
	static const char	 hex[] = "0123456789abcdef";
	/* Lines are built here and written in blocks: stdio per line cost
	   as much as a tenth of the clustering. */
	char			 buf[65536];
	const char		*id;
	uint64_t		 v;
	size_t			 i, n, o = 0;
	int			 k;

	for (i = 0; i < r->nlines; i++) {
		id = r->ids + r->id_off[i];
		n = (i + 1 < r->nlines ? r->id_off[i + 1] : r->ids_len) -
		    r->id_off[i] - 1;
		if (o + n + 18 > sizeof buf) {
			fwrite(buf, 1, o, stdout);
			o = 0;
		}
		memcpy(buf + o, id, n);
		o += n;
		buf[o] = '\t';
		v = r->story_id[cmd_cluster_root(r, r->story[i])];
		for (k = 16; k >= 1; k--) {
			buf[o + k] = hex[v & 0xf];
			v >>= 4;
		}
		buf[o + 17] = '\n';
		o += 18;
	}
	fwrite(buf, 1, o, stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "feedfold: cluster: writing output: %s\n",
		    strerror(errno));
		return 1;
	}
	return 0;
}

/*
 * Lines from a stream through one fixed buffer: a line longer than
 * CMD_CLUSTER_LINE_MAX is refused before anything grows (getline would
 * allocate whatever the input asks for).
 */
struct cmd_cluster_reader {
	FILE		*fp;
	char		*buf;		/* 2 * CMD_CLUSTER_LINE_MAX + 1 bytes */
	size_t		 start, end;
	int		 eof;
};

/*
 * The next line, NUL-terminated, without its newline, and its length in
 * *lenp. NULL at the end of the input, with *toolong set when it stopped
 * at an overlong line instead, and ferror(fp) set on a read error.
 */
static char *
cmd_cluster_read_line(struct cmd_cluster_reader *lr, size_t *lenp,
    int *toolong)
{
	const size_t	 size = 2 * CMD_CLUSTER_LINE_MAX;
	char		*line, *nl;
	size_t		 n;

	*toolong = 0;
	for (;;) {
		nl = memchr(lr->buf + lr->start, '\n', lr->end - lr->start);
		if (nl != NULL || (lr->eof && lr->start < lr->end)) {
			line = lr->buf + lr->start;
			if (nl == NULL)
				nl = lr->buf + lr->end;	/* room: end < size */
			*lenp = (size_t)(nl - line);
			lr->start = nl == lr->buf + lr->end ? lr->end :
			    (size_t)(nl - lr->buf) + 1;
			*nl = '\0';
			if (*lenp > CMD_CLUSTER_LINE_MAX) {
				*toolong = 1;
				return NULL;
			}
			return line;
		}
		if (lr->eof)
			return NULL;
		if (lr->end - lr->start > CMD_CLUSTER_LINE_MAX) {
			*toolong = 1;
			return NULL;
		}
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
		n = fread(lr->buf + lr->end, 1, size - lr->end, lr->fp);
		lr->end += n;
		if (n == 0)
			lr->eof = 1;
	}
}

static void
cmd_cluster_stats(const struct cluster *c, size_t peak_bytes,
    size_t peak_items)
{
	struct cluster_stats	 st;

	cluster_get_stats(c, &st);
	fprintf(stderr, "items=%llu stories=%llu merges=%llu open_stories=%zu "
	    "open_items=%zu bytes=%zu peak_bytes=%zu peak_open_items=%zu\n",
	    (unsigned long long)st.items, (unsigned long long)st.stories,
	    (unsigned long long)st.merges, st.open_stories, st.open_items,
	    st.bytes, peak_bytes, peak_items);
}

static int
cmd_cluster_exec(int argc, char **argv)
{
	struct cluster_params	 params;
	struct cluster_hooks	 hooks;
	struct cmd_cluster_run	 r;
	struct cluster		*c = NULL;
	struct cluster_stats	 st;
	const char		*path, *f[6];
	struct cmd_cluster_reader lr;
	char			*line, *p, *nl;
	size_t			 len, nf, flen[6], lineno = 0, peak_bytes = 0;
	size_t			 peak_items = 0;
	FILE			*fp;
	int64_t			 when;
	uint32_t		 number;
	int			 ch, is_new, stats = 0, rc = 2, toolong;
	double			 v;

	cluster_params_default(&params);
	while ((ch = getopt(argc, argv, "+hsp:t:w:")) != -1) {
		switch (ch) {
		case 's':
			stats = 1;
			break;
		case 't':
			if (cmd_cluster_number(optarg, 0, 1, &v) != 0) {
				fprintf(stderr, "feedfold: cluster: bad "
				    "threshold '%s' (0 to 1)\n", optarg);
				return 2;
			}
			params.threshold = v;
			break;
		case 'w':
			if ((params.window = cmd_cluster_duration(optarg)) <= 0) {
				fprintf(stderr, "feedfold: cluster: bad window "
				    "'%s' (like 72h or 7d)\n", optarg);
				return 2;
			}
			break;
		case 'p':
			if (cmd_cluster_param(&params, optarg) != 0) {
				fprintf(stderr, "feedfold: cluster: bad "
				    "parameter '%s'\n", optarg);
				return 2;
			}
			break;
		case 'h':
			return cmd_help(&cmd_cluster_entry);
		default:
			return cmd_usage(&cmd_cluster_entry);
		}
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_cluster_entry);
	path = argv[optind];
	if (strcmp(path, "-") == 0) {
		fp = stdin;
		path = "<stdin>";
	} else if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "feedfold: cluster: %s: %s\n", path,
		    strerror(errno));
		return 1;
	}

	memset(&r, 0, sizeof r);
	hooks.closed = NULL;
	hooks.merged = cmd_cluster_merged;
	hooks.arg = &r;
	c = cluster_new(&params, &hooks);
	lr.fp = fp;
	lr.buf = xmalloc(2 * CMD_CLUSTER_LINE_MAX + 1);
	lr.start = lr.end = 0;
	lr.eof = 0;
	for (;;) {
		if ((line = cmd_cluster_read_line(&lr, &len, &toolong)) ==
		    NULL) {
			if (!toolong)
				break;
			fprintf(stderr, "%s:%zu: line longer than %d bytes\n",
			    path, lineno + 1, CMD_CLUSTER_LINE_MAX);
			goto out;
		}
		lineno++;
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (memchr(line, '\0', len) != NULL) {
			fprintf(stderr, "%s:%zu: NUL byte in line\n", path,
			    lineno);
			goto out;
		}
		/* Bounded by the line's length: no scan for the NUL. */
		nf = 0;
		for (p = line; nf < 6; p = nl + 1) {
			f[nf] = p;
			if ((nl = memchr(p, '\t', (size_t)(line + len - p))) ==
			    NULL) {
				flen[nf++] = (size_t)(line + len - p);
				break;
			}
			flen[nf++] = (size_t)(nl - p);
			*nl = '\0';
		}
		if (nf < 4 || nf > 5) {
			fprintf(stderr, "%s:%zu: expected 5 tab-separated "
			    "fields (id, publishedDateTime, domain, title, "
			    "excerpt), found %s%zu\n", path, lineno,
			    nf > 5 ? "more than " : "", nf > 5 ? 5 : nf);
			goto out;
		}
		if (flen[0] == 0 || flen[0] > CMD_CLUSTER_ID_MAX) {
			fprintf(stderr, "%s:%zu: %s id\n", path, lineno,
			    *f[0] == '\0' ? "empty" : "overlong");
			goto out;
		}
		if (cluster_parse_time(f[1], flen[1], &when) != 0) {
			fprintf(stderr, "%s:%zu: bad publishedDateTime '%s' "
			    "(want YYYY-MM-DDTHH:MM:SSZ)\n", path, lineno,
			    f[1]);
			goto out;
		}
		number = cluster_add(c, when, f[3], nf == 5 ? f[4] : NULL,
		    &is_new);
		cmd_cluster_grow_stories(&r, number);
		if (is_new)
			r.story_id[number] = XXH3_64bits(f[0], flen[0]);
		cmd_cluster_add_line(&r, f[0], flen[0], number);
		if (stats && (lineno & 1023) == 0) {
			cluster_get_stats(c, &st);
			if (st.bytes > peak_bytes) {
				peak_bytes = st.bytes;
				peak_items = st.open_items;
			}
		}
	}
	if (ferror(fp)) {
		fprintf(stderr, "feedfold: cluster: %s: read error\n", path);
		rc = 1;
		goto out;
	}
	rc = cmd_cluster_print(&r);
	if (stats)
		cmd_cluster_stats(c, peak_bytes, peak_items);
out:
	if (fp != stdin)
		fclose(fp);
	free(lr.buf);
	cluster_free(c);
	free(r.ids);
	free(r.id_off);
	free(r.story);
	free(r.story_id);
	free(r.parent);
	return rc;
}
