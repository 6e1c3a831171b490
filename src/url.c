/*
 * url.c: placeholder until the URL module lands (issue 2/3).
 */
#include <stddef.h>

#include "url.h"

char *
url_resolve(const char *base, const char *ref)
{
	(void)base;
	(void)ref;
	return NULL;
}

char *
url_canonical(const char *url)
{
	(void)url;
	return NULL;
}

char *
url_domain(const char *url)
{
	(void)url;
	return NULL;
}

char *
url_scheme(const char *url)
{
	(void)url;
	return NULL;
}

int
url_is_tracking_param(const char *name, size_t len)
{
	(void)name;
	(void)len;
	return 0;
}
