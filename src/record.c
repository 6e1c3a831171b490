/*
 * record.c: building and freeing entries and records (record.h).
 */
#include <stdlib.h>
#include <strings.h>

#include "record.h"
#include "xmalloc.h"

struct entry *
entry_new(void)
{
	struct entry	*e;

	e = xcalloc(1, sizeof *e);
	e->published = ENTRY_NO_DATE;
	return e;
}

static char *
entry_strdup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

struct entry *
entry_dup(const struct entry *src)
{
	struct entry	*e;
	size_t		 i;

	e = entry_new();
	e->category = entry_strdup(src->category);
	e->title = entry_strdup(src->title);
	e->excerpt = entry_strdup(src->excerpt);
	e->published = src->published;
	e->original_url = entry_strdup(src->original_url);
	e->web_url = entry_strdup(src->web_url);
	e->amp_url = entry_strdup(src->amp_url);
	e->cdn_amp_url = entry_strdup(src->cdn_amp_url);
	e->type = entry_strdup(src->type);
	e->quality = src->quality;
	e->provider_name = entry_strdup(src->provider_name);
	e->provider_domain = entry_strdup(src->provider_domain);
	for (i = 0; i < src->ntopics; i++)
		entry_add_topic(e, src->topics[i]);
	for (i = 0; i < src->nimages; i++) {
		entry_add_image(e, src->images[i].url, src->images[i].width,
		    src->images[i].height);
		e->images[i].cached = src->images[i].cached;
	}
	e->guid = entry_strdup(src->guid);
	e->feed_url = entry_strdup(src->feed_url);
	e->fetched = src->fetched;
	e->content_hash = src->content_hash;
	return e;
}

void
entry_free(struct entry *e)
{
	size_t	 i;

	if (e == NULL)
		return;
	free(e->category);
	free(e->title);
	free(e->excerpt);
	free(e->original_url);
	free(e->web_url);
	free(e->amp_url);
	free(e->cdn_amp_url);
	free(e->type);
	free(e->provider_name);
	free(e->provider_domain);
	for (i = 0; i < e->ntopics; i++)
		free(e->topics[i]);
	free(e->topics);
	for (i = 0; i < e->nimages; i++)
		free(e->images[i].url);
	free(e->images);
	free(e->guid);
	free(e->feed_url);
	free(e);
}

void
entry_add_topic(struct entry *e, const char *topic)
{
	size_t	 i;

	for (i = 0; i < e->ntopics; i++) {
		if (strcasecmp(e->topics[i], topic) == 0)
			return;
	}
	e->topics = xreallocarray(e->topics, e->ntopics + 1,
	    sizeof *e->topics);
	e->topics[e->ntopics++] = xstrdup(topic);
}

void
entry_add_image(struct entry *e, const char *url, int width, int height)
{
	struct entry_image	*im;

	e->images = xreallocarray(e->images, e->nimages + 1,
	    sizeof *e->images);
	im = &e->images[e->nimages++];
	im->url = xstrdup(url);
	im->width = width;
	im->height = height;
	im->cached = 0;
}

void
entry_set(char **field, const char *value)
{
	free(*field);
	*field = entry_strdup(value);
}

struct record *
record_new(struct entry *primary)
{
	struct record	*r;

	r = xcalloc(1, sizeof *r);
	r->primary = primary;
	r->heat = -1;
	return r;
}

void
record_add_related(struct record *r, struct entry *e)
{
	r->related = xreallocarray(r->related, r->nrelated + 1,
	    sizeof *r->related);
	r->related[r->nrelated++] = e;
}

void
record_free(struct record *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	entry_free(r->primary);
	for (i = 0; i < r->nrelated; i++)
		entry_free(r->related[i]);
	free(r->related);
	free(r->secured);
	free(r);
}
