/*
 * config.c: placeholder until the configuration loader lands (issue 2).
 */
#include <stdlib.h>

#include "config.h"
#include "xmalloc.h"

struct config *
config_load(const char *path, config_error_cb *err, void *arg)
{
	(void)path;
	if (err != NULL)
		err(arg, "configuration loading is not built yet");
	return NULL;
}

struct config *
config_default(const char *dir)
{
	struct config	*c;

	c = xcalloc(1, sizeof *c);
	c->dir = xstrdup(dir);
	return c;
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	free(c->dir);
	free(c);
}

int
config_parse_duration(const char *s, int64_t *out)
{
	(void)s;
	(void)out;
	return -1;
}

int
config_parse_size(const char *s, uint64_t *out)
{
	(void)s;
	(void)out;
	return -1;
}
