/*
 * cmd_import_opml.c: feedfold import-opml, config entries from an OPML file.
 *
 *	feedfold import-opml FILE
 *
 * Prints a `feeds:` list that config_load() accepts, one item per outline
 * with an xmlUrl, in document order:
 *
 *	feeds:
 *	- url: "https://feeds.bbci.co.uk/news/rss.xml"
 *	  name: "BBC News"
 *	  topics: ["World"]
 *
 * name is the outline's title (else its text); topics are the titles of
 * the enclosing folders, outermost first, then the outline's category
 * attribute (the same rules as an `opml:` entry of the configuration, see
 * docs/configuration.md). Strings are emitted by libyaml, double-quoted,
 * so no URL or title can break the YAML. Relative file feeds are made
 * absolute against the OPML file's folder, because the output will live in
 * some other file. A URL listed twice (after canonicalization: the config
 * would refuse the second) is printed once, with the topics of both.
 *
 * Exit 0; 1 when the file cannot be read as OPML, or an outline had to be
 * left out (its URL is not http, https or file; a warning names it, and the
 * rest is still printed); 2 for usage errors.
 */
#include <ctype.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "cmd.h"
#include "errbuf.h"
#include "opml.h"
#include "url.h"
#include "xmalloc.h"

/* The configuration refuses a feed with more. */
#define CMD_IMPORT_MAX_TOPICS	64

static int	cmd_import_opml_exec(int, char **);

const struct cmd_entry cmd_import_opml_entry = {
	"import-opml",
	"FILE",
	"print config feed entries from an OPML file",
	cmd_import_opml_exec,
};

struct cmd_import_feed {
	char		*url;		/* as the config will read it */
	char		*canonical;	/* the key for duplicates */
	const char	*name;		/* the outline's; or NULL */
	const char	**topics;	/* point into the struct opml */
	size_t		 ntopics;
	int		 line;
	int		 dup;		/* merged into an earlier one */
};

/* Percent-encode an absolute path for a file:// URL. Caller frees. */
static char *
cmd_import_path_url(const char *path)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out, *o;
	unsigned char		 c;

	out = o = xmalloc(strlen(path) * 3 + sizeof "file://");
	o += sprintf(o, "file://");
	for (; *path != '\0'; path++) {
		c = (unsigned char)*path;
		/* RFC 3986 pchar and '/': what a path may hold as is. */
		if (isalnum(c) || strchr("/-._~!$&'()*+,;=:@", c) != NULL)
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 0xf];
		}
	}
	*o = '\0';
	return out;
}

/*
 * The url: value for an xmlUrl, or NULL with *why set. The forms are the
 * ones an `opml:` entry accepts; relative file references are resolved
 * against dir (absolute, no trailing '/') so that the output works from
 * any config folder.
 */
static char *
cmd_import_url(const char *dir, const char *xml_url, const char **why)
{
	char		*scheme, *base, *out;
	const char	*rest;

	*why = "not a valid URL";
	if (strncasecmp(xml_url, "file:", 5) == 0 && xml_url[5] != '/') {
		/* "file:rel/path": a URL path relative to the OPML file. */
		rest = xml_url + 5;
		if (*rest == '\0')
			return NULL;
		base = cmd_import_path_url(dir);
		out = xasprintf("%s/%s", base, rest);
		free(base);
		base = out;
		out = url_resolve(NULL, base);
		free(base);
		return out;
	}
	if (strncmp(xml_url, "./", 2) == 0 || strncmp(xml_url, "../", 3) == 0) {
		/* A bare path: the config takes an absolute one literally. */
		while (strncmp(xml_url, "./", 2) == 0)
			xml_url += 2;
		return xasprintf("%s/%s", dir, xml_url);
	}
	if (*xml_url == '/')
		return xstrdup(xml_url);
	if ((scheme = url_scheme(xml_url)) == NULL ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0 &&
	    strcmp(scheme, "file") != 0)) {
		*why = "not an http, https or file URL";
		free(scheme);
		return NULL;
	}
	free(scheme);
	return url_resolve(NULL, xml_url);
}

static void
cmd_import_topic(struct cmd_import_feed *f, const char *t)
{
	size_t	 i;

	if (*t == '\0' || f->ntopics == CMD_IMPORT_MAX_TOPICS)
		return;
	/* The config drops repeats in any case; print what it keeps. */
	for (i = 0; i < f->ntopics; i++) {
		if (strcasecmp(f->topics[i], t) == 0)
			return;
	}
	f->topics = xreallocarray(f->topics, f->ntopics + 1,
	    sizeof *f->topics);
	f->topics[f->ntopics++] = t;
}

static int
cmd_import_cmp(const void *a, const void *b)
{
	const struct cmd_import_feed *const *x = a, *const *y = b;
	int	 c;

	if ((c = strcmp((*x)->canonical, (*y)->canonical)) != 0)
		return c;
	return (*x)->line < (*y)->line ? -1 : (*x)->line > (*y)->line;
}

/*
 * Mark every feed whose URL an earlier one has, and give its topics to
 * the first: sorting by URL keeps this O(n log n) for large files.
 */
static void
cmd_import_merge(const char *file, struct cmd_import_feed *feeds, size_t n)
{
	struct cmd_import_feed	**by, *first;
	size_t			  i, j;

	if (n == 0)
		return;
	by = xreallocarray(NULL, n, sizeof *by);
	for (i = 0; i < n; i++)
		by[i] = &feeds[i];
	qsort(by, n, sizeof *by, cmd_import_cmp);
	for (i = 0, first = by[0]; i < n; i++) {
		if (i == 0 || strcmp(by[i]->canonical, first->canonical) != 0) {
			first = by[i];
			continue;
		}
		by[i]->dup = 1;
		fprintf(stderr, "feedfold: %s:%d: '%s' again (first at line "
		    "%d): one entry, with the topics of both\n", file,
		    by[i]->line, by[i]->url, first->line);
		for (j = 0; j < by[i]->ntopics; j++)
			cmd_import_topic(first, by[i]->topics[j]);
	}
	free(by);
}

/* ---- YAML output ------------------------------------------------------- */

static int
cmd_import_write(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	return fwrite(buf, 1, len, stdout) == len;
}

static int
cmd_import_emit(yaml_emitter_t *em, yaml_event_t *ev)
{
	if (yaml_emitter_emit(em, ev))
		return 0;
	fprintf(stderr, "feedfold: writing YAML: %s\n",
	    em->problem != NULL ? em->problem : "error");
	return -1;
}

/* A scalar: keys plain, values double-quoted so that nothing is misread. */
static int
cmd_import_scalar(yaml_emitter_t *em, const char *s, int quoted)
{
	yaml_event_t	 ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
	    (int)strlen(s), 1, 1, quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE :
	    YAML_PLAIN_SCALAR_STYLE);
	return cmd_import_emit(em, &ev);
}

static int
cmd_import_feed_emit(yaml_emitter_t *em, const struct cmd_import_feed *f)
{
	yaml_event_t	 ev;
	size_t		 i;

	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_BLOCK_MAPPING_STYLE);
	if (cmd_import_emit(em, &ev) != 0 ||
	    cmd_import_scalar(em, "url", 0) != 0 ||
	    cmd_import_scalar(em, f->url, 1) != 0)
		return -1;
	if (f->name != NULL && *f->name != '\0' &&
	    (cmd_import_scalar(em, "name", 0) != 0 ||
	    cmd_import_scalar(em, f->name, 1) != 0))
		return -1;
	if (f->ntopics > 0) {
		if (cmd_import_scalar(em, "topics", 0) != 0)
			return -1;
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
		    YAML_FLOW_SEQUENCE_STYLE);
		if (cmd_import_emit(em, &ev) != 0)
			return -1;
		for (i = 0; i < f->ntopics; i++) {
			if (cmd_import_scalar(em, f->topics[i], 1) != 0)
				return -1;
		}
		yaml_sequence_end_event_initialize(&ev);
		if (cmd_import_emit(em, &ev) != 0)
			return -1;
	}
	yaml_mapping_end_event_initialize(&ev);
	return cmd_import_emit(em, &ev);
}

static int
cmd_import_print(const struct cmd_import_feed *feeds, size_t n)
{
	yaml_emitter_t	 em;
	yaml_event_t	 ev;
	size_t		 i;
	int		 rc = -1;

	if (!yaml_emitter_initialize(&em)) {
		fprintf(stderr, "feedfold: out of memory\n");
		return -1;
	}
	yaml_emitter_set_output(&em, cmd_import_write, NULL);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);	/* never fold a long URL */
	yaml_emitter_set_indent(&em, 2);

	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if (cmd_import_emit(&em, &ev) != 0)
		goto out;
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	if (cmd_import_emit(&em, &ev) != 0)
		goto out;
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_BLOCK_MAPPING_STYLE);
	if (cmd_import_emit(&em, &ev) != 0 ||
	    cmd_import_scalar(&em, "feeds", 0) != 0)
		goto out;
	yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
	    YAML_BLOCK_SEQUENCE_STYLE);
	if (cmd_import_emit(&em, &ev) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (!feeds[i].dup && cmd_import_feed_emit(&em, &feeds[i]) != 0)
			goto out;
	}
	yaml_sequence_end_event_initialize(&ev);
	if (cmd_import_emit(&em, &ev) != 0)
		goto out;
	yaml_mapping_end_event_initialize(&ev);
	if (cmd_import_emit(&em, &ev) != 0)
		goto out;
	yaml_document_end_event_initialize(&ev, 1);
	if (cmd_import_emit(&em, &ev) != 0)
		goto out;
	yaml_stream_end_event_initialize(&ev);
	if (cmd_import_emit(&em, &ev) != 0)
		goto out;
	rc = 0;
out:
	yaml_emitter_delete(&em);
	return rc;
}

/* ---- the command --------------------------------------------------------- */

/* The absolute folder of path, without a trailing '/'. Caller frees. */
static char *
cmd_import_dir(const char *path)
{
	char	*copy, *dir, *real;

	copy = xstrdup(path);
	dir = dirname(copy);		/* may point into copy */
	if ((real = realpath(dir, NULL)) == NULL)
		real = xstrdup(dir);	/* opml_read_file read it: rare */
	free(copy);
	if (strcmp(real, "/") == 0)
		*real = '\0';
	return real;
}

static int
cmd_import_opml_exec(int argc, char **argv)
{
	struct cmd_import_feed	*feeds;
	struct opml_feed	*of;
	struct opml		*o;
	struct errbuf		 err;
	const char		*file, *why;
	char			*dir;
	size_t			 i, j, n = 0, skipped = 0;
	int			 rc;

	if (argc != 2 || argv[1][0] == '-')
		return cmd_usage(&cmd_import_opml_entry);
	file = argv[1];
	errbuf_clear(&err);
	if (opml_read_file(file, &o, &err) != 0) {
		fprintf(stderr, "feedfold: %s\n", err.msg);
		return 1;
	}
	dir = cmd_import_dir(file);
	feeds = xcalloc(o->nfeeds + 1, sizeof *feeds);
	for (i = 0; i < o->nfeeds; i++) {
		of = &o->feeds[i];
		if ((feeds[n].url = cmd_import_url(dir, of->xml_url, &why)) ==
		    NULL) {
			fprintf(stderr, "feedfold: %s:%d: feed '%s' left out: "
			    "%s\n", file, of->line, of->xml_url, why);
			skipped++;
			continue;
		}
		if ((feeds[n].canonical = url_canonical(feeds[n].url)) == NULL)
			feeds[n].canonical = xstrdup(feeds[n].url);
		feeds[n].name = of->title;
		feeds[n].line = of->line;
		for (j = 0; j < of->nfolders; j++)
			cmd_import_topic(&feeds[n], of->folders[j]);
		for (j = 0; j < of->ncategories; j++)
			cmd_import_topic(&feeds[n], of->categories[j]);
		n++;
	}
	cmd_import_merge(file, feeds, n);
	rc = cmd_import_print(feeds, n) != 0 || fflush(stdout) != 0 ? 1 : 0;
	if (rc == 0 && skipped > 0) {
		fprintf(stderr, "feedfold: %s: %zu feed%s left out\n", file,
		    skipped, skipped == 1 ? "" : "s");
		rc = 1;
	}
	for (i = 0; i < n; i++) {
		free(feeds[i].url);
		free(feeds[i].canonical);
		free(feeds[i].topics);
	}
	free(feeds);
	free(dir);
	opml_free(o);
	return rc;
}
