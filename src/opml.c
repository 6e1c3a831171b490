/*
 * opml.c: reading OPML subscription lists with libxml2 (opml.h).
 *
 * The document is small and read once, so it is parsed into a tree and
 * walked; what is kept is copied out and the tree freed. Hostile input is
 * bounded by the file size cap, libxml2's own entity amplification limits
 * (no XML_PARSE_HUGE), a refusal of any DTD, and the feed and depth caps.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "errbuf.h"
#include "opml.h"
#include "xmalloc.h"

/* Folders of the outline being walked, outermost first. */
struct opml_walk {
	struct opml	*opml;
	size_t		 cap;
	char		*folders[OPML_MAX_DEPTH];
	size_t		 nfolders;
	struct errbuf	*err;
	const char	*name;
};

/* An attribute's value, trimmed; NULL when absent or blank. */
static char *
opml_attr(xmlNode *node, const char *name)
{
	xmlAttr	*a;
	xmlChar	*v;
	char	*s, *start, *end;

	/* Exporters disagree on case (xmlUrl, xmlurl, XMLURL). */
	for (a = node->properties; a != NULL; a = a->next) {
		if (strcasecmp((const char *)a->name, name) == 0)
			break;
	}
	if (a == NULL || (v = xmlNodeGetContent((xmlNode *)a)) == NULL)
		return NULL;
	start = (char *)v;
	while (isspace((unsigned char)*start))
		start++;
	end = start + strlen(start);
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	s = end > start ? xstrndup(start, (size_t)(end - start)) : NULL;
	xmlFree(v);
	return s;
}

static int
opml_is(xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)node->name, name) == 0;
}

/*
 * OPML 2.0's category attribute: comma-separated, each either a tag or a
 * slash-delimited path ("/Tech/AI"); the last path component is the topic.
 */
static void
opml_categories(struct opml_feed *f, const char *value)
{
	const char	*p = value, *end, *s, *e;

	while (*p != '\0') {
		end = p + strcspn(p, ",");
		e = end;
		while (e > p && (isspace((unsigned char)e[-1]) || e[-1] == '/'))
			e--;
		s = e;
		while (s > p && s[-1] != '/')
			s--;
		while (s < e && isspace((unsigned char)*s))
			s++;
		if (s < e && f->ncategories < OPML_MAX_DEPTH) {
			f->categories = xreallocarray(f->categories,
			    f->ncategories + 1, sizeof *f->categories);
			f->categories[f->ncategories++] =
			    xstrndup(s, (size_t)(e - s));
		}
		p = *end == ',' ? end + 1 : end;
	}
}

static int
opml_add_feed(struct opml_walk *w, xmlNode *node, char *xml_url)
{
	struct opml	*o = w->opml;
	struct opml_feed *f;
	char		*cat;
	size_t		 i;

	if (o->nfeeds == OPML_MAX_FEEDS) {
		errbuf_set(w->err, "%s: more than %d feeds", w->name,
		    OPML_MAX_FEEDS);
		free(xml_url);
		return -1;
	}
	if (o->nfeeds == w->cap) {
		w->cap = w->cap == 0 ? 16 : w->cap * 2;
		o->feeds = xreallocarray(o->feeds, w->cap, sizeof *o->feeds);
	}
	f = &o->feeds[o->nfeeds++];
	memset(f, 0, sizeof *f);
	f->xml_url = xml_url;
	if ((f->title = opml_attr(node, "title")) == NULL)
		f->title = opml_attr(node, "text");
	f->html_url = opml_attr(node, "htmlUrl");
	f->type = opml_attr(node, "type");
	if ((cat = opml_attr(node, "category")) != NULL) {
		opml_categories(f, cat);
		free(cat);
	}
	if (w->nfolders != 0) {
		f->folders = xreallocarray(NULL, w->nfolders,
		    sizeof *f->folders);
		for (i = 0; i < w->nfolders; i++)
			f->folders[i] = xstrdup(w->folders[i]);
		f->nfolders = w->nfolders;
	}
	f->line = (int)xmlGetLineNo(node);
	return 0;
}

static int
opml_walk_outlines(struct opml_walk *w, xmlNode *parent, size_t depth)
{
	xmlNode	*n;
	char	*url, *title;
	int	 rc;

	if (depth >= OPML_MAX_DEPTH) {
		errbuf_set(w->err, "%s: outlines nested deeper than %d",
		    w->name, OPML_MAX_DEPTH);
		return -1;
	}
	for (n = parent->children; n != NULL; n = n->next) {
		if (!opml_is(n, "outline"))
			continue;
		if ((url = opml_attr(n, "xmlUrl")) != NULL) {
			if (opml_add_feed(w, n, url) != 0)
				return -1;
			continue;
		}
		/* A folder: its title groups what is inside. */
		if ((title = opml_attr(n, "title")) == NULL)
			title = opml_attr(n, "text");
		if (title != NULL)
			w->folders[w->nfolders++] = title;
		rc = opml_walk_outlines(w, n, depth + 1);
		if (title != NULL)
			free(w->folders[--w->nfolders]);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int
opml_read_memory(const char *data, size_t len, const char *name,
    struct opml **out, struct errbuf *err)
{
	struct opml_walk w;
	xmlParserCtxt	*ctxt;
	xmlDoc		*doc = NULL;
	xmlNode		*root, *n, *body = NULL, *t;
	const xmlError	*xe;
	struct opml	*o = NULL;
	xmlChar		*v;
	int		 rc = -1;

	*out = NULL;
	if (len > OPML_MAX_BYTES || len > INT32_MAX) {
		errbuf_set(err, "%s: larger than %d bytes", name,
		    OPML_MAX_BYTES);
		return -1;
	}
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		errbuf_set(err, "%s: out of memory", name);
		return -1;
	}
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL || !ctxt->wellFormed) {
		xe = xmlCtxtGetLastError(ctxt);
		if (xe != NULL && xe->message != NULL)
			errbuf_set(err, "%s: line %d: not well-formed XML: %.*s",
			    name, xe->line, (int)strcspn(xe->message, "\n"),
			    xe->message);
		else
			errbuf_set(err, "%s: not well-formed XML", name);
		goto out;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		errbuf_set(err, "%s: a DTD is not allowed in OPML", name);
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !opml_is(root, "opml")) {
		errbuf_set(err, "%s: not an OPML document (the root element "
		    "is not <opml>)", name);
		goto out;
	}

	o = xcalloc(1, sizeof *o);
	for (n = root->children; n != NULL; n = n->next) {
		if (opml_is(n, "body") && body == NULL)
			body = n;
		if (!opml_is(n, "head"))
			continue;
		for (t = n->children; t != NULL; t = t->next) {
			if (!opml_is(t, "title") || o->title != NULL)
				continue;
			if ((v = xmlNodeGetContent(t)) != NULL) {
				if (*v != '\0')
					o->title = xstrdup((char *)v);
				xmlFree(v);
			}
		}
	}
	if (body == NULL) {
		errbuf_set(err, "%s: OPML without a <body>", name);
		goto out;
	}
	memset(&w, 0, sizeof w);
	w.opml = o;
	w.err = err;
	w.name = name;
	if (opml_walk_outlines(&w, body, 0) != 0)
		goto out;
	*out = o;
	o = NULL;
	rc = 0;
out:
	opml_free(o);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

int
opml_read_file(const char *path, struct opml **out, struct errbuf *err)
{
	struct stat	 st;
	FILE		*f;
	char		*data;
	size_t		 len;
	int		 rc;

	*out = NULL;
	if ((f = fopen(path, "rb")) == NULL) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		errbuf_set(err, "%s: not a regular file", path);
		fclose(f);
		return -1;
	}
	if (st.st_size > OPML_MAX_BYTES) {
		errbuf_set(err, "%s: larger than %d bytes", path,
		    OPML_MAX_BYTES);
		fclose(f);
		return -1;
	}
	data = xmalloc((size_t)st.st_size + 1);
	len = fread(data, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		errbuf_set(err, "%s: %s", path, strerror(errno));
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	rc = opml_read_memory(data, len, path, out, err);
	free(data);
	return rc;
}

static void
opml_free_strings(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
opml_free(struct opml *o)
{
	struct opml_feed *f;
	size_t		 i;

	if (o == NULL)
		return;
	for (i = 0; i < o->nfeeds; i++) {
		f = &o->feeds[i];
		free(f->xml_url);
		free(f->title);
		free(f->html_url);
		free(f->type);
		opml_free_strings(f->categories, f->ncategories);
		opml_free_strings(f->folders, f->nfolders);
	}
	free(o->feeds);
	free(o->title);
	free(o);
}
