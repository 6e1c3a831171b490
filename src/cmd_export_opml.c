/*
 * cmd_export_opml.c: feedfold export-opml, the configured feeds as OPML.
 *
 *	feedfold export-opml [-c FILE]
 *
 * Prints an OPML 2.0 document with one flat <outline type="rss"> per
 * configured feed (those from `opml:` entries included), in the order of
 * the configuration:
 *
 *	<outline type="rss" text="BBC News" title="BBC News"
 *	    xmlUrl="https://feeds.bbci.co.uk/news/rss.xml"
 *	    category="news,World"/>
 *
 * (on one line). text and title are the feed's name, else its URL; the
 * category attribute lists the feed's category, then its topics, comma-
 * separated (OPML 2.0's "tags"). There are no folders: a feed with several
 * topics would have to sit in several of them. `import-opml` reads the
 * category list back as topics. A category or topic holding ',' or '/'
 * cannot be written as an OPML tag; it is left out with a warning.
 *
 * The XML is escaped here rather than through libxml2's writer so that
 * libxml2 stays in the parser and OPML reader; the rules are the few of an
 * attribute value. Exit 0; 1 when the output cannot be written; 2 for
 * usage or configuration errors.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "config.h"

static int	cmd_export_opml_exec(int, char **);

const struct cmd_entry cmd_export_opml_entry = {
	"export-opml",
	"[-c FILE]",
	"print the configured feeds as OPML",
	cmd_export_opml_exec,
};

/*
 * Write s as the inside of a double-quoted attribute. Tab and line breaks
 * become character references so that a parser's attribute-value
 * normalization does not turn them into spaces; other control characters
 * cannot appear in XML 1.0 at all and are dropped. The configuration
 * loader (libyaml) only hands out valid UTF-8, which is written as is.
 */
static void
cmd_export_attr(FILE *fp, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\t':
		case '\n':
		case '\r':
			fprintf(fp, "&#%d;", *p);
			break;
		default:
			if (*p >= 0x20)
				fputc(*p, fp);
			break;
		}
	}
}

/* One tag of the category list; 0 when written, -1 when left out. */
static int
cmd_export_tag(FILE *fp, const struct config_feed *f, const char *tag,
    int *first)
{
	if (*tag == '\0')
		return 0;
	if (strpbrk(tag, ",/") != NULL) {
		fprintf(stderr, "feedfold: %s: '%s' left out of the OPML "
		    "category (',' and '/' separate categories there)\n",
		    f->url, tag);
		return -1;
	}
	if (!*first)
		fputc(',', fp);
	*first = 0;
	cmd_export_attr(fp, tag);
	return 0;
}

static void
cmd_export_feed(FILE *fp, const struct config_feed *f)
{
	const char	*text = f->name != NULL ? f->name : f->url;
	size_t		 i;
	int		 first = 1;

	fputs("    <outline type=\"rss\" text=\"", fp);
	cmd_export_attr(fp, text);
	fputs("\" title=\"", fp);
	cmd_export_attr(fp, text);
	fputs("\" xmlUrl=\"", fp);
	cmd_export_attr(fp, f->url);
	fputc('"', fp);
	if (f->category != NULL || f->ntopics > 0) {
		fputs(" category=\"", fp);
		if (f->category != NULL)
			cmd_export_tag(fp, f, f->category, &first);
		for (i = 0; i < f->ntopics; i++)
			cmd_export_tag(fp, f, f->topics[i], &first);
		fputc('"', fp);
	}
	fputs("/>\n", fp);
}

static int
cmd_export_opml_exec(int argc, char **argv)
{
	struct config	*c;
	const char	*arg = NULL;
	size_t		 i;
	int		 ch, rc = 0;

	while ((ch = getopt(argc, argv, "c:")) != -1) {
		switch (ch) {
		case 'c':
			arg = optarg;
			break;
		default:
			return cmd_usage(&cmd_export_opml_entry);
		}
	}
	if (optind != argc)
		return cmd_usage(&cmd_export_opml_entry);
	if ((c = cmd_load_config(arg)) == NULL)
		return 2;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<opml version=\"2.0\">\n"
	    "  <head>\n"
	    "    <title>feedfold feeds</title>\n"
	    "  </head>\n"
	    "  <body>\n", stdout);
	for (i = 0; i < c->nfeeds; i++)
		cmd_export_feed(stdout, &c->feeds[i]);
	fputs("  </body>\n"
	    "</opml>\n", stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "feedfold: writing the OPML failed\n");
		rc = 1;
	}
	config_free(c);
	return rc;
}
