/*
 * cmd_parse.c: feedfold parse FILE|URL... [--url URL] [--charset CS]
 * [-c FILE] [--format yaml|tsv]: print the entries of feeds.
 *
 * By default each entry becomes one record (the entry as primary, nothing
 * related) written by record_write_emit, in feed order, file after file,
 * through one large stdio buffer: a benchmark runs one process over a
 * whole corpus. --format tsv prints one line per entry instead, the way
 * sfeed does (docs/parsing.md gives the columns): the same fields, without
 * the cost of a YAML emitter, so that a comparison with sfeed compares
 * like with like. Files are read in 64 KiB chunks into the push parser,
 * as the fetcher will hand over a body. Fetching http(s) URLs is the
 * fetcher's job and is not built yet.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#if defined(__has_include)
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
#endif

#include "buf.h"
#include "cmd.h"
#include "config.h"
#include "dates.h"
#include "errbuf.h"
#include "normalize.h"
#include "parse.h"
#include "record.h"
#include "record_write.h"
#include "xmalloc.h"

#define CMD_PARSE_CHUNK		(64 * 1024)
#define CMD_PARSE_STDIO		(1024 * 1024)
/* glibc's malloc policy for a run over many files (cmd_parse_malloc). */
#define CMD_PARSE_MMAP_MIN	(1024 * 1024)
#define CMD_PARSE_TRIM_MIN	(4 * 1024 * 1024)

static int	cmd_parse_exec(int, char **);

const struct cmd_entry cmd_parse_entry = {
	"parse",
	"[--url URL] [--charset CS] [-c FILE] [--format yaml|tsv] FILE|URL...",
	"print the entries of feeds as record documents",
	cmd_parse_exec,
};

struct cmd_parse_out {
	struct buf	 buf;
	int		 tsv;		/* --format tsv */
	int		 failed;	/* a record could not be written */
};

/*
 * A TSV field as sfeed writes one: tab, newline and backslash escaped as
 * \t, \n and \\, carriage returns dropped. NULL is an empty field.
 * Text fields come out of text.c with their whitespace collapsed, so the
 * loop nearly always copies the string in one piece.
 */
static void
cmd_parse_tsv_field(struct buf *b, const char *s)
{
	const char	*p;
	size_t		 n;

	if (s == NULL)
		return;
	for (;;) {
		n = strcspn(s, "\t\n\r\\");
		buf_add(b, s, n);
		p = s + n;
		switch (*p) {
		case '\0':
			return;
		case '\t':
			buf_add(b, "\\t", 2);
			break;
		case '\n':
			buf_add(b, "\\n", 2);
			break;
		case '\\':
			buf_add(b, "\\\\", 2);
			break;
		}
		s = p + 1;
	}
}

/* A number in decimal: snprintf costs more than the rest of a line. */
static void
cmd_parse_tsv_int(struct buf *b, long long n)
{
	char			 num[24];
	size_t			 i = sizeof num;
	unsigned long long	 u;

	u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	do {
		num[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (n < 0)
		num[--i] = '-';
	buf_add(b, num + i, sizeof num - i);
}

/*
 * One line: publishedDateTime, title, webUrl, originalUrl, excerpt, type,
 * provider name, provider domain, quality, topics (joined by "|", as
 * sfeed joins categories), the first image's URL, width and height, and
 * category. An unknown value is an empty field.
 */
static void
cmd_parse_tsv(struct buf *b, const struct entry *e)
{
	char	 date[DATES_BUFSIZE];
	size_t	 i;

	if (e->published != ENTRY_NO_DATE)
		buf_adds(b, dates_format(e->published, date, sizeof date));
	buf_addc(b, '\t');
	cmd_parse_tsv_field(b, e->title);
	buf_addc(b, '\t');
	cmd_parse_tsv_field(b, e->web_url);
	buf_addc(b, '\t');
	cmd_parse_tsv_field(b, e->original_url);
	buf_addc(b, '\t');
	cmd_parse_tsv_field(b, e->excerpt);
	buf_addc(b, '\t');
	cmd_parse_tsv_field(b, e->type);
	buf_addc(b, '\t');
	cmd_parse_tsv_field(b, e->provider_name);
	buf_addc(b, '\t');
	cmd_parse_tsv_field(b, e->provider_domain);
	buf_addc(b, '\t');
	cmd_parse_tsv_int(b, e->quality);
	buf_addc(b, '\t');
	for (i = 0; i < e->ntopics; i++) {
		if (i > 0)
			buf_addc(b, '|');
		cmd_parse_tsv_field(b, e->topics[i]);
	}
	buf_addc(b, '\t');
	if (e->nimages > 0) {
		cmd_parse_tsv_field(b, e->images[0].url);
		buf_addc(b, '\t');
		if (e->images[0].width != ENTRY_NO_SIZE)
			cmd_parse_tsv_int(b, e->images[0].width);
		buf_addc(b, '\t');
		if (e->images[0].height != ENTRY_NO_SIZE)
			cmd_parse_tsv_int(b, e->images[0].height);
	} else
		buf_add(b, "\t\t", 2);
	buf_addc(b, '\t');
	cmd_parse_tsv_field(b, e->category);
	buf_addc(b, '\n');
}

static void
cmd_parse_entry_cb(struct entry *e, void *arg)
{
	struct cmd_parse_out	*out = arg;
	struct record		*r;

	buf_reset(&out->buf);
	if (out->tsv) {
		cmd_parse_tsv(&out->buf, e);
		fwrite(out->buf.data, 1, out->buf.len, stdout);
		entry_free(e);
		return;
	}
	r = record_new(e);
	if (record_write_emit(r, &out->buf) == 0)
		fwrite(out->buf.data, 1, out->buf.len, stdout);
	else
		out->failed = 1;
	record_free(r);
}

/* "file://" and the absolute path, percent-encoded where URLs need it. */
static char *
cmd_parse_file_url(const char *path)
{
	static const char	 hex[] = "0123456789ABCDEF";
	struct buf		 b;
	char			*abs;
	const unsigned char	*s;

	if ((abs = realpath(path, NULL)) == NULL)
		return NULL;
	buf_init(&b, BUF_NOMAX);
	buf_adds(&b, "file://");
	for (s = (const unsigned char *)abs; *s != '\0'; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("/-._~!$&'()*+,;=:@",
		    *s) != NULL)
			buf_addc(&b, (char)*s);
		else {
			buf_addc(&b, '%');
			buf_addc(&b, hex[*s >> 4]);
			buf_addc(&b, hex[*s & 15]);
		}
	}
	free(abs);
	return buf_detach(&b);
}

/* The configured feed whose url is url, or NULL. */
static const struct config_feed *
cmd_parse_find_feed(const struct config *cfg, const char *url)
{
	size_t	 i;

	if (cfg == NULL || url == NULL)
		return NULL;
	for (i = 0; i < cfg->nfeeds; i++) {
		if (cfg->feeds[i].url != NULL &&
		    strcmp(cfg->feeds[i].url, url) == 0)
			return &cfg->feeds[i];
	}
	return NULL;
}

static void
cmd_parse_config_error(void *arg, const char *message)
{
	(void)arg;
	fprintf(stderr, "%s\n", message);
}

/* Parse one file; 0, or -1 after a message when it could not be read. */
static int
cmd_parse_file(const char *path, const char *url_opt, const char *charset,
    const struct config *cfg, struct cmd_parse_out *out, char *chunk)
{
	struct parse_opts	 opts;
	struct parse_feed_info	 info;
	struct errbuf		 err;
	struct parser		*p;
	char			*url;
	ssize_t			 n;
	int			 fd, rc = 0;

	if ((fd = open(path, O_RDONLY)) == -1) {
		fprintf(stderr, "feedfold: %s: %s\n", path, strerror(errno));
		return -1;
	}
	url = url_opt != NULL ? xstrdup(url_opt) : cmd_parse_file_url(path);
	memset(&opts, 0, sizeof opts);
	opts.url = url;
	opts.charset = charset;
	opts.feed = cmd_parse_find_feed(cfg, url);
	opts.excerpt_length = cfg != NULL && cfg->excerpt_length > 0 ?
	    (size_t)cfg->excerpt_length : 0;
	opts.fetched = (int64_t)time(NULL);
	p = parser_new(&opts, cmd_parse_entry_cb, out);
	for (;;) {
		n = read(fd, chunk, CMD_PARSE_CHUNK);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fprintf(stderr, "feedfold: %s: %s\n", path,
			    strerror(errno));
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		if (parser_feed(p, chunk, (size_t)n) < 0)
			break;
	}
	close(fd);
	errbuf_clear(&err);
	if (parser_finish(p, &info, &err) < 0 && rc == 0) {
		fprintf(stderr, "feedfold: %s: %s\n", path, err.msg);
		rc = -1;
	}
	parse_feed_info_clear(&info);
	parser_free(p);
	free(url);
	return rc;
}

/*
 * Each document's buffers (libxml2's input buffer, the byte filter's
 * output) grow to a few hundred KiB and die with the document. Under
 * glibc's defaults they are mapped afresh, or the heap top holding them
 * is given back and grown again, for every file: a page fault each 4 KiB,
 * 36,000 of them over the benchmark's 1,000 feeds, a tenth of the run.
 * Blocks under 1 MiB now come from the heap, and up to 4 MiB of free heap
 * is kept for the next file. Where malloc has no such knobs, nothing is
 * done.
 */
static void
cmd_parse_malloc(void)
{
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
	mallopt(M_MMAP_THRESHOLD, CMD_PARSE_MMAP_MIN);
	mallopt(M_TRIM_THRESHOLD, CMD_PARSE_TRIM_MIN);
#endif
}

static int
cmd_parse_is_remote(const char *arg)
{
	return strncasecmp(arg, "http://", 7) == 0 ||
	    strncasecmp(arg, "https://", 8) == 0;
}

static int
cmd_parse_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "charset", required_argument, NULL, 'C' },
		{ "config", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "url", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_parse_out	 out;
	struct config		*cfg = NULL;
	const char		*url = NULL, *charset = NULL, *cpath = NULL;
	static char		 stdio_buf[CMD_PARSE_STDIO];
	char			*chunk;
	int			 ch, i, tsv = 0, failed = 0;

	while ((ch = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			charset = optarg;
			break;
		case 'c':
			cpath = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "tsv") == 0)
				tsv = 1;
			else if (strcmp(optarg, "yaml") == 0)
				tsv = 0;
			else {
				fprintf(stderr, "feedfold: --format: '%s' is "
				    "neither yaml nor tsv\n", optarg);
				return 2;
			}
			break;
		case 'u':
			url = optarg;
			break;
		default:
			return cmd_usage(&cmd_parse_entry);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		return cmd_usage(&cmd_parse_entry);
	if (url != NULL && argc > 1) {
		fprintf(stderr, "feedfold: --url names the feed of one file; "
		    "%d were given\n", argc);
		return 2;
	}
	for (i = 0; i < argc; i++) {
		if (cmd_parse_is_remote(argv[i])) {
			fprintf(stderr, "feedfold: %s: fetching feeds is not "
			    "built yet (the fetcher issue adds it); save the "
			    "feed to a file and parse that\n", argv[i]);
			return 2;
		}
	}
	/* Only an explicit -c: parse needs no configuration. */
	if (cpath != NULL) {
		cfg = config_load(cpath, cmd_parse_config_error, NULL);
		if (cfg == NULL)
			return 2;
	}

	cmd_parse_malloc();
	setvbuf(stdout, stdio_buf, _IOFBF, CMD_PARSE_STDIO);
	chunk = xmalloc(CMD_PARSE_CHUNK);
	buf_init(&out.buf, BUF_NOMAX);
	out.tsv = tsv;
	out.failed = 0;
	for (i = 0; i < argc; i++) {
		if (cmd_parse_file(argv[i], url, charset, cfg, &out, chunk) < 0)
			failed = 1;
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "feedfold: standard output: %s\n",
		    strerror(errno));
		failed = 1;
	}
	if (out.failed) {
		fprintf(stderr, "feedfold: some entries could not be "
		    "written\n");
		failed = 1;
	}
	buf_free(&out.buf);
	free(chunk);
	config_free(cfg);
	return failed ? 1 : 0;
}
