/*
 * url.h: URL resolution and canonical forms, on curl's URL API (CURLU).
 *
 * Every function takes and returns NUL-terminated strings; results are owned
 * by the caller. Nothing here touches the network.
 */
#ifndef FEEDFOLD_URL_H
#define FEEDFOLD_URL_H

#include <stddef.h>

/*
 * Resolve ref against base (RFC 3986). base may be NULL (ref must then be
 * absolute). Surrounding whitespace in ref is ignored. Returns the absolute
 * URL, or NULL when none can be made (empty or broken ref, no usable base).
 */
char	*url_resolve(const char *base, const char *ref);

/*
 * The canonical form used as webUrl and as the deduplication key: scheme and
 * host lower-case, default port dropped, fragment dropped, tracking
 * parameters (url_is_tracking_param) removed, every other query parameter
 * kept in its order. NULL when url is not an absolute http(s) URL... or
 * another scheme curl can parse (kept as is apart from the rules above).
 */
char	*url_canonical(const char *url);

/* The host, lower-case, without a leading "www."; NULL when there is none. */
char	*url_domain(const char *url);
/*
 * url_canonical(url), with url_domain(url) in *domain: for a caller that
 * needs both of one URL, which is then read once.
 */
char	*url_canonical_domain(const char *url, char **domain);

/* The scheme, lower-case ("http", "https", "file", ...); NULL if unparsable. */
char	*url_scheme(const char *url);

/*
 * Nonzero when the query parameter name (len bytes, ASCII case ignored) is
 * a tracking one: utm_*, mtm_*, pk_*, or a name of the table in url.c
 * (docs/configuration.md lists them).
 */
int	 url_is_tracking_param(const char *name, size_t len);

/* For tests: nonzero when url.c's bsearch tables are in order. */
int	 url_tracking_table_sorted(void);

#endif
