/*
 * fetch.c: curl's multi interface on the libuv loop, and feedfold's queue.
 *
 * The skeleton is curl's docs/examples/multi-uv.c: curl tells us through
 * CURLMOPT_SOCKETFUNCTION which sockets to watch (we keep one uv_poll_t per
 * socket, attached to curl's socket with curl_multi_assign) and through
 * CURLMOPT_TIMERFUNCTION when to call it back (one uv_timer_t). Unlike the
 * example, every curl_* and uv_* return is checked, poll errors are passed
 * to curl as CURL_CSELECT_ERR, and handles are freed in their close
 * callbacks only.
 *
 * In front of curl sits our own queue: per host a FIFO of waiting requests
 * and a count in flight, plus a round-robin list of hosts that could start
 * one more. A request is handed to curl only when both the global and the
 * per-host limits allow it, so curl's timeouts start when the transfer does.
 *
 * Owns: the multi handle, every easy handle, every uv handle it creates,
 * the queued requests and their results until their callbacks return.
 */
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "config.h"
#include "fetch.h"
#include "log.h"
#include "xmalloc.h"

/* Longest header value we keep (ETag, Last-Modified, Content-Type, ...). */
#define FETCH_HEADER_MAX	1024
#define FETCH_MAX_REDIRS	5
#define FETCH_ACCEPT	"application/rss+xml, application/atom+xml, " \
	"application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, " \
	"*/*;q=0.1"

struct fetch_host;

struct fetch_xfer {
	struct fetcher		*f;
	struct fetch_host	*host;
	CURL			*easy;
	struct curl_slist	*headers;
	fetch_done_cb		*done;
	void			*arg;
	char			*url;
	char			*etag;
	char			*last_modified;
	int			 allow_file;
	int			 public_only;
	char			*refused;	/* the address public_only refused */
	size_t			 max_body;	/* this transfer's cap */
	char			*accept;	/* NULL: FETCH_ACCEPT */

	/* Redirect chain, followed in the header callback. */
	char			*cur_url;
	int			 hop_status;
	int			 chain_permanent;
	int			 toobig;
	int64_t			 date;	/* the response's Date, or -1 */
	char			*retry_after_raw;
	char			*expires_raw;

	struct fetch_result	 res;
	char			*curl_err;	/* CURL_ERROR_SIZE, once begun */
	TAILQ_ENTRY(fetch_xfer)	 entry;
};
TAILQ_HEAD(fetch_xfers, fetch_xfer);

struct fetch_host {
	char			*name;
	unsigned int		 hash;
	int			 active;
	int			 ready;		/* on f->ready */
	struct fetch_xfers	 waiting;
	struct fetch_host	*next;		/* hash chain */
	TAILQ_ENTRY(fetch_host)	 ready_entry;
};
TAILQ_HEAD(fetch_hosts, fetch_host);

struct fetch_sock {
	uv_poll_t		 poll;
	struct fetcher		*f;
	curl_socket_t		 fd;
	LIST_ENTRY(fetch_sock)	 entry;
};
LIST_HEAD(fetch_socks, fetch_sock);

struct fetcher {
	uv_loop_t		*loop;
	CURLM			*multi;
	uv_timer_t		 timer;		/* curl's timeout */
	uv_timer_t		 pump;		/* deferred queue runs */
	struct fetch_opts	 opts;
	char			*user_agent;

	struct fetch_host	**hosts;	/* hash table */
	size_t			 nbuckets;
	size_t			 nhosts;
	struct fetch_hosts	 ready;
	struct fetch_xfers	 running;
	struct fetch_socks	 socks;
	int			 active;	/* in curl */
	size_t			 pending;	/* queued + in curl */

	int			 proxy_env;	/* a *_proxy variable is set */
	int			 closing;
	int			 open_handles;	/* uv handles not yet closed */
	fetch_close_cb		*close_cb;
	void			*close_arg;
};

static void	fetch_pump(struct fetcher *);
static void	fetch_check_done(struct fetcher *);
static void	fetch_handle_closed(uv_handle_t *);

static int	fetch_curl_ready;

void
fetch_opts_default(struct fetch_opts *o)
{
	memset(o, 0, sizeof *o);
	o->user_agent = NULL;
	o->timeout = 30;
	o->connect_timeout = 0;
	o->low_speed_limit = 1;
	o->low_speed_time = 30;
	o->max_body = 16 * 1024 * 1024;
	o->concurrency = 32;
	o->per_host = 2;
}

void
fetch_opts_from_config(struct fetch_opts *o, const struct config *c)
{
	fetch_opts_default(o);
	o->user_agent = c->user_agent;
	if (c->timeout > 0)
		o->timeout = (long)c->timeout;
	/* Stalled for a third of the timeout (at least 10 s): give up. */
	o->low_speed_time = o->timeout / 3 > 10 ? o->timeout / 3 : 10;
	if (c->max_body > 0)
		o->max_body = (size_t)c->max_body;
	if (c->concurrency > 0)
		o->concurrency = c->concurrency;
	if (c->per_host > 0)
		o->per_host = c->per_host;
}

const char *
fetch_error_name(enum fetch_error e)
{
	switch (e) {
	case FETCH_OK:			return "ok";
	case FETCH_ERR_RESOLVE:		return "resolve";
	case FETCH_ERR_CONNECT:		return "connect";
	case FETCH_ERR_TIMEOUT:		return "timeout";
	case FETCH_ERR_TOOBIG:		return "too-big";
	case FETCH_ERR_REDIRECT:	return "redirect";
	case FETCH_ERR_SCHEME:		return "scheme";
	case FETCH_ERR_TLS:		return "tls";
	case FETCH_ERR_NETWORK:		return "network";
	case FETCH_ERR_CANCELLED:	return "cancelled";
	case FETCH_ERR_OTHER:		return "other";
	}
	return "other";
}

/* ---- hosts: hash table and ready list ---------------------------------- */

static unsigned int
fetch_hash(const char *s)
{
	unsigned int	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void
fetch_hosts_grow(struct fetcher *f)
{
	struct fetch_host	**nb, *h, *next;
	size_t			  n = f->nbuckets * 2, i;

	nb = xcalloc(n, sizeof *nb);
	for (i = 0; i < f->nbuckets; i++) {
		for (h = f->hosts[i]; h != NULL; h = next) {
			next = h->next;
			h->next = nb[h->hash & (n - 1)];
			nb[h->hash & (n - 1)] = h;
		}
	}
	free(f->hosts);
	f->hosts = nb;
	f->nbuckets = n;
}

static struct fetch_host *
fetch_host_get(struct fetcher *f, const char *name)
{
	struct fetch_host	*h;
	unsigned int		 hash = fetch_hash(name);

	for (h = f->hosts[hash & (f->nbuckets - 1)]; h != NULL; h = h->next) {
		if (h->hash == hash && strcmp(h->name, name) == 0)
			return h;
	}
	if (f->nhosts + 1 > f->nbuckets)
		fetch_hosts_grow(f);
	h = xcalloc(1, sizeof *h);
	h->name = xstrdup(name);
	h->hash = hash;
	TAILQ_INIT(&h->waiting);
	h->next = f->hosts[hash & (f->nbuckets - 1)];
	f->hosts[hash & (f->nbuckets - 1)] = h;
	f->nhosts++;
	return h;
}

/* Free a host with nothing waiting and nothing in flight. */
static void
fetch_host_release(struct fetcher *f, struct fetch_host *h)
{
	struct fetch_host	**pp;

	if (h->active > 0 || !TAILQ_EMPTY(&h->waiting))
		return;
	if (h->ready) {
		TAILQ_REMOVE(&f->ready, h, ready_entry);
		h->ready = 0;
	}
	for (pp = &f->hosts[h->hash & (f->nbuckets - 1)]; *pp != h;
	    pp = &(*pp)->next)
		;
	*pp = h->next;
	f->nhosts--;
	free(h->name);
	free(h);
}

/* Put a host on the ready list if it has work and room for it. */
static void
fetch_host_update(struct fetcher *f, struct fetch_host *h)
{
	int	 want;

	want = !TAILQ_EMPTY(&h->waiting) && h->active < f->opts.per_host;
	if (want && !h->ready) {
		TAILQ_INSERT_TAIL(&f->ready, h, ready_entry);
		h->ready = 1;
	} else if (!want && h->ready) {
		TAILQ_REMOVE(&f->ready, h, ready_entry);
		h->ready = 0;
	}
}

/* ---- results ----------------------------------------------------------- */

/* r->url is borrowed from the transfer; everything else is the result's. */
static void
fetch_result_free(struct fetch_result *r)
{
	free(r->final_url);
	free(r->permanent_url);
	free(r->etag);
	free(r->last_modified);
	free(r->content_type);
	free(r->charset);
	buf_free(&r->body);
}

char *
fetch_result_take_body(struct fetch_result *r, size_t *len)
{
	if (len != NULL)
		*len = r->body.len;
	return buf_detach(&r->body);
}

int64_t
fetch_parse_http_date(const char *s)
{
	time_t	 t;

	if (s == NULL || *s == '\0')
		return -1;
	t = curl_getdate(s, NULL);
	return t == (time_t)-1 ? -1 : (int64_t)t;
}

int64_t
fetch_parse_retry_after(const char *s, int64_t now)
{
	const char	*p;
	int64_t		 v = 0, t;

	if (s == NULL)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	if (isdigit((unsigned char)*s)) {
		for (p = s; isdigit((unsigned char)*p); p++) {
			/* A hostile value saturates rather than overflows. */
			if (v > INT64_MAX / 10 - 10)
				return INT64_MAX / 2;
			v = v * 10 + (*p - '0');
		}
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		return *p == '\0' ? v : -1;
	}
	if ((t = fetch_parse_http_date(s)) < 0)
		return -1;
	return t > now ? t - now : 0;
}

/* "max-age=N" in a Cache-Control value; sets no_cache too. */
static void
fetch_parse_cache_control(struct fetch_result *r, const char *v)
{
	const char	*p = v;
	int64_t		 n;

	while (*p != '\0') {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (strncasecmp(p, "max-age=", 8) == 0) {
			p += 8;
			if (*p == '"')
				p++;
			n = 0;
			if (!isdigit((unsigned char)*p))
				goto skip;
			for (; isdigit((unsigned char)*p); p++) {
				if (n < INT64_MAX / 20)
					n = n * 10 + (*p - '0');
			}
			r->max_age = n;
		} else if (strncasecmp(p, "no-cache", 8) == 0 ||
		    strncasecmp(p, "no-store", 8) == 0)
			r->no_cache = 1;
skip:
		while (*p != '\0' && *p != ',')
			p++;
	}
}

/* Content-Type: media type lower-cased, charset parameter unquoted. */
static void
fetch_parse_content_type(struct fetch_result *r, const char *v)
{
	const char	*p, *e;
	size_t		 n, i;

	free(r->content_type);
	free(r->charset);
	r->content_type = r->charset = NULL;
	for (e = v; *e != '\0' && *e != ';' && *e != ' '; e++)
		;
	r->content_type = xstrndup(v, (size_t)(e - v));
	for (i = 0; r->content_type[i] != '\0'; i++)
		r->content_type[i] = (char)tolower(
		    (unsigned char)r->content_type[i]);
	for (p = v; (p = strchr(p, ';')) != NULL; ) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "charset=", 8) != 0)
			continue;
		p += 8;
		if (*p == '"')
			p++;
		n = strcspn(p, "\"; \t");
		/* Charset names are short; anything long is not one. */
		if (n > 0 && n < 64)
			r->charset = xstrndup(p, n);
		break;
	}
}

/* ---- curl callbacks ------------------------------------------------------ */

static size_t
fetch_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct fetch_xfer	*x = userdata;
	size_t			 n = size * nmemb;

	if (buf_add(&x->res.body, ptr, n) != 0) {
		/* Returning short makes curl abort with CURLE_WRITE_ERROR. */
		x->toobig = 1;
		return 0;
	}
	return n;
}

/* Resolve a Location against the URL it came from; NULL if unusable. */
static char *
fetch_resolve(const char *base, const char *loc)
{
	CURLU	*u;
	char	*out = NULL, *s;

	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK)
		goto out;
	if (curl_url_set(u, CURLUPART_URL, loc,
	    CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_URL, &s, 0) != CURLUE_OK)
		goto out;
	out = xstrdup(s);
	curl_free(s);
out:
	curl_url_cleanup(u);
	return out;
}

/*
 * Called for each header line of every response in a redirect chain
 * (curl includes the status lines). A new status line resets what we
 * keep, so that the result describes the final response only.
 */
static size_t
fetch_header_cb(char *buffer, size_t size, size_t nitems, void *userdata)
{
	struct fetch_xfer	*x = userdata;
	struct fetch_result	*r = &x->res;
	size_t			 n = size * nitems, len = n, nl;
	char			 line[FETCH_HEADER_MAX + 1], *v, *next;

	while (len > 0 && (buffer[len - 1] == '\n' || buffer[len - 1] == '\r'))
		len--;
	if (len > FETCH_HEADER_MAX)
		return n;	/* too long to be a header we want: ignore */
	memcpy(line, buffer, len);
	line[len] = '\0';

	if (strncmp(line, "HTTP/", 5) == 0) {
		v = strchr(line, ' ');
		x->hop_status = v != NULL ? atoi(v + 1) : 0;
		free(r->etag);
		free(r->last_modified);
		free(r->content_type);
		free(r->charset);
		free(x->retry_after_raw);
		free(x->expires_raw);
		r->etag = r->last_modified = r->content_type = r->charset = NULL;
		x->retry_after_raw = x->expires_raw = NULL;
		r->max_age = -1;
		r->no_cache = 0;
		x->date = -1;
		return n;
	}
	if ((v = strchr(line, ':')) == NULL)
		return n;
	nl = (size_t)(v - line);
	v++;
	while (*v == ' ' || *v == '\t')
		v++;
#define FETCH_IS(name) (nl == sizeof name - 1 && strncasecmp(line, name, nl) == 0)
	if (FETCH_IS("etag")) {
		free(r->etag);
		r->etag = xstrdup(v);
	} else if (FETCH_IS("last-modified")) {
		free(r->last_modified);
		r->last_modified = xstrdup(v);
	} else if (FETCH_IS("content-type"))
		fetch_parse_content_type(r, v);
	else if (FETCH_IS("cache-control"))
		fetch_parse_cache_control(r, v);
	else if (FETCH_IS("retry-after")) {
		free(x->retry_after_raw);
		x->retry_after_raw = xstrdup(v);
	} else if (FETCH_IS("expires")) {
		free(x->expires_raw);
		x->expires_raw = xstrdup(v);
	} else if (FETCH_IS("date"))
		x->date = fetch_parse_http_date(v);
	else if (FETCH_IS("location") && x->hop_status >= 300 &&
	    x->hop_status < 400 && x->hop_status != 304) {
		/*
		 * Follow the chain ourselves: curl's own view of the redirect
		 * target is not available yet at header time.
		 */
		if ((next = fetch_resolve(x->cur_url, v)) != NULL) {
			if ((x->hop_status == 301 || x->hop_status == 308) &&
			    x->chain_permanent) {
				free(r->permanent_url);
				r->permanent_url = xstrdup(next);
			} else
				x->chain_permanent = 0;
			free(x->cur_url);
			x->cur_url = next;
		}
	}
#undef FETCH_IS
	return n;
}

/* ---- where a transfer may connect --------------------------------------- */

/* IPv4 a.b.c.d as a host-order number. */
#define FETCH_V4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | \
	(uint32_t)(d))

static int
fetch_v4_public(uint32_t a)
{
	/* Not public: network/prefix bits, by the IANA special registry. */
	static const struct {
		uint32_t	 net;
		int		 bits;
	} blocked[] = {
		{ FETCH_V4(0, 0, 0, 0), 8 },		/* "this network" */
		{ FETCH_V4(10, 0, 0, 0), 8 },		/* private */
		{ FETCH_V4(100, 64, 0, 0), 10 },	/* shared (CGN) */
		{ FETCH_V4(127, 0, 0, 0), 8 },		/* loopback */
		{ FETCH_V4(169, 254, 0, 0), 16 },	/* link-local */
		{ FETCH_V4(172, 16, 0, 0), 12 },	/* private */
		{ FETCH_V4(192, 0, 0, 0), 24 },		/* IETF protocols */
		{ FETCH_V4(192, 0, 2, 0), 24 },		/* documentation */
		{ FETCH_V4(192, 88, 99, 0), 24 },	/* 6to4 relays */
		{ FETCH_V4(192, 168, 0, 0), 16 },	/* private */
		{ FETCH_V4(198, 18, 0, 0), 15 },	/* benchmarks */
		{ FETCH_V4(198, 51, 100, 0), 24 },	/* documentation */
		{ FETCH_V4(203, 0, 113, 0), 24 },	/* documentation */
		{ FETCH_V4(224, 0, 0, 0), 4 },		/* multicast */
		{ FETCH_V4(240, 0, 0, 0), 4 },		/* reserved, broadcast */
	};
	size_t	 i;

	for (i = 0; i < sizeof blocked / sizeof blocked[0]; i++) {
		if ((a >> (32 - blocked[i].bits)) ==
		    (blocked[i].net >> (32 - blocked[i].bits)))
			return 0;
	}
	return 1;
}

static int
fetch_v6_public(const unsigned char *b)
{
	static const unsigned char zero[16];
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const unsigned char nat64[12] = { 0, 0x64, 0xff, 0x9b };

	/* IPv4 inside: mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d). */
	if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
		return fetch_v4_public(FETCH_V4(b[12], b[13], b[14], b[15]));
	/* ::/96: unspecified, loopback, the old IPv4-compatible form. */
	if (memcmp(b, zero, 12) == 0)
		return 0;
	if ((b[0] & 0xfe) == 0xfc)			/* fc00::/7 unique local */
		return 0;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)	/* fe80::/10 link-local */
		return 0;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)	/* fec0::/10 site-local */
		return 0;
	if (b[0] == 0xff)				/* multicast */
		return 0;
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
		return 0;				/* 2001:db8::/32 docs */
	if (b[0] == 0x01 && b[1] == 0 && memcmp(b + 2, zero, 6) == 0)
		return 0;				/* 100::/64 discard */
	/* 2002::/16 (6to4) carries an IPv4 address in its next 32 bits. */
	if (b[0] == 0x20 && b[1] == 0x02)
		return fetch_v4_public(FETCH_V4(b[2], b[3], b[4], b[5]));
	return 1;
}

/*
 * Whether curl may send transfers through a proxy named in the
 * environment (it reads these; http_proxy only in lower case).
 */
static int
fetch_proxy_env(void)
{
	static const char *const names[] = {
		"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy",
		"ALL_PROXY",
	};
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if ((v = getenv(names[i])) != NULL && *v != '\0')
			return 1;
	}
	return 0;
}

int
fetch_addr_public(const struct sockaddr *sa)
{
	const struct sockaddr_in	*in4;
	const struct sockaddr_in6	*in6;

	if (sa->sa_family == AF_INET) {
		in4 = (const struct sockaddr_in *)(const void *)sa;
		return fetch_v4_public(ntohl(in4->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		in6 = (const struct sockaddr_in6 *)(const void *)sa;
		return fetch_v6_public(in6->sin6_addr.s6_addr);
	}
	return 0;
}

/* Note the refused address for the error message. */
static void
fetch_refuse(struct fetch_xfer *x, const struct sockaddr *sa)
{
	char	 ip[INET6_ADDRSTRLEN];

	if (x->refused != NULL)
		return;
	if (inet_ntop(sa->sa_family, sa->sa_family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)(const void *)sa)->
	    sin_addr : (const void *)&((const struct sockaddr_in6 *)
	    (const void *)sa)->sin6_addr, ip, sizeof ip) == NULL)
		snprintf(ip, sizeof ip, "?");
	x->refused = xstrdup(ip);
}

/*
 * public_only, before a socket is opened: a non-public address gets no
 * connection at all (curl goes on to the host's next address, if any).
 */
static curl_socket_t
fetch_opensocket_cb(void *arg, curlsocktype purpose,
    struct curl_sockaddr *a)
{
	struct fetch_xfer	*x = arg;

	if (purpose == CURLSOCKTYPE_IPCXN && !fetch_addr_public(&a->addr)) {
		fetch_refuse(x, &a->addr);
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/*
 * public_only, before each request, on every hop: a connection curl
 * reuses (one a feed's transfer opened to the same host) was never seen
 * by fetch_opensocket_cb.
 */
static int
fetch_prereq_cb(void *arg, char *primary_ip, char *local_ip,
    int primary_port, int local_port)
{
	struct fetch_xfer	*x = arg;
	struct sockaddr_in6	 in6;
	struct sockaddr_in	 in4;

	(void)local_ip;
	(void)primary_port;
	(void)local_port;
	memset(&in4, 0, sizeof in4);
	memset(&in6, 0, sizeof in6);
	in4.sin_family = AF_INET;
	in6.sin6_family = AF_INET6;
	if ((inet_pton(AF_INET, primary_ip, &in4.sin_addr) == 1 &&
	    fetch_addr_public((struct sockaddr *)(void *)&in4)) ||
	    (inet_pton(AF_INET6, primary_ip, &in6.sin6_addr) == 1 &&
	    fetch_addr_public((struct sockaddr *)(void *)&in6)))
		return CURL_PREREQFUNC_OK;
	/* curl's own text of the address, for the message. */
	if (x->refused == NULL)
		x->refused = xstrdup(primary_ip);
	return CURL_PREREQFUNC_ABORT;
}

/* ---- finishing a transfer ---------------------------------------------- */

static enum fetch_error
fetch_map_error(struct fetch_xfer *x, CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return FETCH_OK;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return FETCH_ERR_RESOLVE;
	case CURLE_COULDNT_CONNECT:
		return FETCH_ERR_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return FETCH_ERR_TIMEOUT;
	case CURLE_FILESIZE_EXCEEDED:
		return FETCH_ERR_TOOBIG;
	case CURLE_WRITE_ERROR:
		return x->toobig ? FETCH_ERR_TOOBIG : FETCH_ERR_OTHER;
	case CURLE_TOO_MANY_REDIRECTS:
		return FETCH_ERR_REDIRECT;
	case CURLE_UNSUPPORTED_PROTOCOL:
		return x->res.redirects > 0 || (x->cur_url != NULL &&
		    strcmp(x->cur_url, x->url) != 0) ?
		    FETCH_ERR_REDIRECT : FETCH_ERR_SCHEME;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return FETCH_ERR_TLS;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_FILE_COULDNT_READ_FILE:
		return FETCH_ERR_NETWORK;
	default:
		return FETCH_ERR_OTHER;
	}
}

static void
fetch_xfer_free(struct fetch_xfer *x)
{
	fetch_result_free(&x->res);
	curl_slist_free_all(x->headers);
	free(x->url);
	free(x->etag);
	free(x->last_modified);
	free(x->accept);
	free(x->cur_url);
	free(x->curl_err);
	free(x->retry_after_raw);
	free(x->expires_raw);
	free(x->refused);
	free(x);
}

/* Fill the rest of the result, call back, free. x is out of curl. */
static void
fetch_xfer_finish(struct fetch_xfer *x, CURLcode rc)
{
	struct fetch_result	*r = &x->res;
	char			*s;
	long			 l;
	double			 d;
	int64_t			 now = (int64_t)time(NULL), base, t;

	if (x->easy != NULL) {
		if (curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE,
		    &l) == CURLE_OK)
			r->status = l;
		if (curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL,
		    &s) == CURLE_OK && s != NULL)
			r->final_url = xstrdup(s);
		if (curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_COUNT,
		    &l) == CURLE_OK)
			r->redirects = (int)l;
		if (curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME,
		    &d) == CURLE_OK)
			r->seconds = d;
	}
	if (r->error == FETCH_OK)
		r->error = fetch_map_error(x, rc);
	if (x->refused != NULL && rc != CURLE_OK) {
		r->error = FETCH_ERR_CONNECT;
		r->refused = 1;
		snprintf(r->errmsg, sizeof r->errmsg,
		    "%.60s is not a public address: refused for a URL a feed "
		    "names (allow_private_addresses)", x->refused);
	}
	/* file:// has no status: a file read whole is as good as a 200. */
	if (r->error == FETCH_OK && r->status == 0)
		r->status = 200;
	if (r->error != FETCH_OK && r->errmsg[0] == '\0') {
		if (r->error == FETCH_ERR_TOOBIG)
			snprintf(r->errmsg, sizeof r->errmsg,
			    "body larger than max_body (%zu bytes): aborted",
			    x->max_body);
		else if (r->error == FETCH_ERR_REDIRECT &&
		    rc == CURLE_UNSUPPORTED_PROTOCOL)
			snprintf(r->errmsg, sizeof r->errmsg,
			    "redirect to %.180s refused: only http and https",
			    x->cur_url != NULL ? x->cur_url : x->url);
		else
			snprintf(r->errmsg, sizeof r->errmsg, "%s",
			    x->curl_err != NULL && x->curl_err[0] != '\0' ?
			    x->curl_err : curl_easy_strerror(rc));
	}
	if (r->error != FETCH_OK) {
		/* A failed transfer's partial body must not be parsed. */
		buf_reset(&r->body);
	}
	r->not_modified = r->error == FETCH_OK && r->status == 304;
	/* Headers are relative to the server's clock when it sent one. */
	base = x->date >= 0 ? x->date : now;
	if (x->retry_after_raw != NULL)
		r->retry_after = fetch_parse_retry_after(x->retry_after_raw,
		    base);
	if (x->expires_raw != NULL) {
		t = fetch_parse_http_date(x->expires_raw);
		/* An invalid Expires (often "0" or "-1") means already expired. */
		r->expires_in = t < 0 ? 0 : (t > base ? t - base : 0);
	}
	if (r->permanent_url != NULL && r->error != FETCH_OK) {
		/* Only a redirect that led to an answer is worth storing. */
		free(r->permanent_url);
		r->permanent_url = NULL;
	}
	if (x->easy != NULL)
		curl_easy_cleanup(x->easy);
	x->easy = NULL;
	if (x->done != NULL)
		x->done(r, x->arg);
	fetch_xfer_free(x);
}

/* ---- starting a transfer ----------------------------------------------- */

#define FETCH_SETOPT(e, o, v) do {					\
	if ((rc = curl_easy_setopt((e), (o), (v))) != CURLE_OK) {	\
		what = #o;						\
		goto fail;						\
	}								\
} while (0)

/* Append "name: value" to a header list; 0, or -1 (list unchanged). */
static int
fetch_add_header(struct curl_slist **list, const char *name,
    const char *value)
{
	struct curl_slist	*l;
	char			*h;

	h = xasprintf("%s: %s", name, value);
	l = curl_slist_append(*list, h);
	free(h);
	if (l == NULL)
		return -1;
	*list = l;
	return 0;
}

/* A stored validator is sent only if it cannot break the header block. */
static int
fetch_header_safe(const char *v)
{
	for (; *v != '\0'; v++) {
		if ((unsigned char)*v < 0x20 && *v != '\t')
			return 0;
	}
	return 1;
}

/* Hand x to curl. On failure x is finished with an error (callback). */
static void
fetch_xfer_begin(struct fetcher *f, struct fetch_xfer *x)
{
	CURL		*e;
	CURLcode	 rc = CURLE_OK;
	CURLMcode	 mrc;
	const char	*what = "curl_easy_init";

	/* Allocated only now: a queue of 100,000 waiting requests stays small. */
	x->curl_err = xcalloc(1, CURL_ERROR_SIZE);
	x->cur_url = xstrdup(x->url);
	if ((e = curl_easy_init()) == NULL) {
		rc = CURLE_OUT_OF_MEMORY;
		goto fail;
	}
	x->easy = e;
	if (fetch_add_header(&x->headers, "Accept",
	    x->accept != NULL ? x->accept : FETCH_ACCEPT) != 0 ||
	    (x->etag != NULL && fetch_add_header(&x->headers,
	    "If-None-Match", x->etag) != 0) ||
	    (x->last_modified != NULL && fetch_add_header(&x->headers,
	    "If-Modified-Since", x->last_modified) != 0)) {
		rc = CURLE_OUT_OF_MEMORY;
		what = "curl_slist_append";
		goto fail;
	}
	FETCH_SETOPT(e, CURLOPT_URL, x->url);
	FETCH_SETOPT(e, CURLOPT_PRIVATE, x);
	FETCH_SETOPT(e, CURLOPT_ERRORBUFFER, x->curl_err);
	FETCH_SETOPT(e, CURLOPT_NOSIGNAL, 1L);
	FETCH_SETOPT(e, CURLOPT_USERAGENT, f->user_agent);
	FETCH_SETOPT(e, CURLOPT_HTTPHEADER, x->headers);
	/* "": every encoding this libcurl was built with. */
	FETCH_SETOPT(e, CURLOPT_ACCEPT_ENCODING, "");
	FETCH_SETOPT(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	/* Wait to share a host's HTTP/2 connection rather than open another. */
	FETCH_SETOPT(e, CURLOPT_PIPEWAIT, 1L);
	FETCH_SETOPT(e, CURLOPT_FOLLOWLOCATION, 1L);
	FETCH_SETOPT(e, CURLOPT_MAXREDIRS, (long)FETCH_MAX_REDIRS);
#if LIBCURL_VERSION_NUM >= 0x075500
	FETCH_SETOPT(e, CURLOPT_PROTOCOLS_STR,
	    x->allow_file ? "http,https,file" : "http,https");
	FETCH_SETOPT(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	FETCH_SETOPT(e, CURLOPT_PROTOCOLS, x->allow_file ?
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FILE) :
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	FETCH_SETOPT(e, CURLOPT_REDIR_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	if (x->public_only) {
		FETCH_SETOPT(e, CURLOPT_OPENSOCKETFUNCTION, fetch_opensocket_cb);
		FETCH_SETOPT(e, CURLOPT_OPENSOCKETDATA, x);
		FETCH_SETOPT(e, CURLOPT_PREREQFUNCTION, fetch_prereq_cb);
		FETCH_SETOPT(e, CURLOPT_PREREQDATA, x);
	}
	FETCH_SETOPT(e, CURLOPT_SSL_VERIFYPEER, 1L);
	FETCH_SETOPT(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (f->opts.timeout > 0)
		FETCH_SETOPT(e, CURLOPT_TIMEOUT, f->opts.timeout);
	FETCH_SETOPT(e, CURLOPT_CONNECTTIMEOUT, f->opts.connect_timeout);
	if (f->opts.low_speed_limit > 0 && f->opts.low_speed_time > 0) {
		FETCH_SETOPT(e, CURLOPT_LOW_SPEED_LIMIT,
		    f->opts.low_speed_limit);
		FETCH_SETOPT(e, CURLOPT_LOW_SPEED_TIME,
		    f->opts.low_speed_time);
	}
	/* Refused early when Content-Length says so; the write cap is final. */
	FETCH_SETOPT(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)x->max_body);
	FETCH_SETOPT(e, CURLOPT_WRITEFUNCTION, fetch_write_cb);
	FETCH_SETOPT(e, CURLOPT_WRITEDATA, x);
	FETCH_SETOPT(e, CURLOPT_HEADERFUNCTION, fetch_header_cb);
	FETCH_SETOPT(e, CURLOPT_HEADERDATA, x);

	if ((mrc = curl_multi_add_handle(f->multi, e)) != CURLM_OK) {
		snprintf(x->res.errmsg, sizeof x->res.errmsg,
		    "curl_multi_add_handle: %s", curl_multi_strerror(mrc));
		x->res.error = FETCH_ERR_OTHER;
		goto fail_nomsg;
	}
	f->active++;
	x->host->active++;
	TAILQ_INSERT_TAIL(&f->running, x, entry);
	return;

fail:
	snprintf(x->res.errmsg, sizeof x->res.errmsg, "%s: %s", what,
	    curl_easy_strerror(rc));
	x->res.error = FETCH_ERR_OTHER;
fail_nomsg:
	log_error("fetch", "%s: %s", x->url, x->res.errmsg);
	f->pending--;
	fetch_xfer_finish(x, rc);
}

/* Start as many queued requests as the limits allow. */
static void
fetch_pump(struct fetcher *f)
{
	struct fetch_host	*h;
	struct fetch_xfer	*x;

	while (!f->closing && f->active < f->opts.concurrency &&
	    (h = TAILQ_FIRST(&f->ready)) != NULL) {
		x = TAILQ_FIRST(&h->waiting);
		TAILQ_REMOVE(&h->waiting, x, entry);
		/* Round robin: the host goes to the back of the line. */
		TAILQ_REMOVE(&f->ready, h, ready_entry);
		h->ready = 0;
		fetch_xfer_begin(f, x);
		if (f->closing)
			return;	/* its callback closed us; h is gone */
		fetch_host_update(f, h);
		fetch_host_release(f, h);
	}
}

static void
fetch_pump_cb(uv_timer_t *t)
{
	struct fetcher	*f = t->data;

	fetch_pump(f);
}

/* The host part of a URL, lower-cased, for the per-host limit. */
static char *
fetch_url_host(const char *url)
{
	CURLU	*u;
	char	*host = NULL, *out = NULL, *p;

	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url,
	    CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
			out = xstrdup(host);
			curl_free(host);
		} else if (strncasecmp(url, "file:", 5) == 0)
			out = xstrdup("");	/* file:// has no host */
	}
	curl_url_cleanup(u);
	if (out != NULL) {
		for (p = out; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	return out;
}

int
fetcher_start(struct fetcher *f, const struct fetch_req *req,
    fetch_done_cb *done, void *arg)
{
	struct fetch_xfer	*x;
	char			*host;

	if (f->closing)
		return -ESHUTDOWN;
	if (req->url == NULL || (host = fetch_url_host(req->url)) == NULL)
		return -EINVAL;
	x = xcalloc(1, sizeof *x);
	x->f = f;
	x->done = done;
	x->arg = arg;
	x->url = xstrdup(req->url);
	x->chain_permanent = 1;
	x->date = -1;
	if (req->etag != NULL && *req->etag != '\0' &&
	    fetch_header_safe(req->etag))
		x->etag = xstrdup(req->etag);
	if (req->last_modified != NULL && *req->last_modified != '\0' &&
	    fetch_header_safe(req->last_modified))
		x->last_modified = xstrdup(req->last_modified);
	x->allow_file = req->allow_file;
	x->public_only = req->public_only && !f->proxy_env;
	x->max_body = req->max_body > 0 ? req->max_body : f->opts.max_body;
	if (req->accept != NULL && fetch_header_safe(req->accept))
		x->accept = xstrdup(req->accept);
	x->res.url = x->url;
	x->res.retry_after = -1;
	x->res.max_age = -1;
	x->res.expires_in = -1;
	buf_init(&x->res.body, x->max_body);
	x->host = fetch_host_get(f, host);
	free(host);
	TAILQ_INSERT_TAIL(&x->host->waiting, x, entry);
	fetch_host_update(f, x->host);
	f->pending++;
	/*
	 * Not fetch_pump() here: a transfer that fails to start calls its
	 * callback, which must never happen inside fetcher_start(). A zero
	 * timer of our own (curl's must keep curl's deadline) runs the pump on
	 * the next loop iteration instead.
	 */
	if (f->active < f->opts.concurrency &&
	    !uv_is_active((uv_handle_t *)&f->pump)) {
		int	 rc;

		if ((rc = uv_timer_start(&f->pump, fetch_pump_cb, 0, 0)) != 0)
			log_error("fetch", "uv_timer_start: %s",
			    uv_strerror(rc));
	}
	return 0;
}

size_t
fetcher_pending(const struct fetcher *f)
{
	return f->pending;
}

/* ---- the loop side ----------------------------------------------------- */

static void
fetch_check_done(struct fetcher *f)
{
	CURLMsg			*msg;
	int			 left;
	struct fetch_xfer	*x;
	struct fetch_host	*h;
	char			*priv;
	CURLMcode		 mrc;
	CURLcode		 rc;

	while (f->multi != NULL &&
	    (msg = curl_multi_info_read(f->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		rc = msg->data.result;
		if (curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		    &priv) != CURLE_OK || priv == NULL) {
			log_error("fetch", "transfer without owner");
			continue;
		}
		x = (struct fetch_xfer *)(void *)priv;
		if ((mrc = curl_multi_remove_handle(f->multi,
		    x->easy)) != CURLM_OK)
			log_error("fetch", "curl_multi_remove_handle: %s",
			    curl_multi_strerror(mrc));
		TAILQ_REMOVE(&f->running, x, entry);
		f->active--;
		f->pending--;
		h = x->host;
		h->active--;
		x->host = NULL;
		fetch_host_update(f, h);
		fetch_host_release(f, h);
		fetch_xfer_finish(x, rc);
	}
	if (f->multi != NULL)
		fetch_pump(f);
}

static void
fetch_timer_cb(uv_timer_t *t)
{
	struct fetcher	*f = t->data;
	CURLMcode	 mrc;
	int		 running;

	if (f->closing)
		return;
	mrc = curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0,
	    &running);
	if (mrc != CURLM_OK)
		log_error("fetch", "curl_multi_socket_action: %s",
		    curl_multi_strerror(mrc));
	fetch_check_done(f);
}

static void
fetch_poll_cb(uv_poll_t *p, int status, int events)
{
	struct fetch_sock	*s = p->data;
	struct fetcher		*f = s->f;
	int			 flags = 0, running;
	CURLMcode		 mrc;

	if (f->closing)
		return;
	if (status < 0)
		flags = CURL_CSELECT_ERR;	/* let curl see the socket fail */
	else {
		if (events & UV_READABLE)
			flags |= CURL_CSELECT_IN;
		if (events & UV_WRITABLE)
			flags |= CURL_CSELECT_OUT;
	}
	/* s may be freed during this call (CURL_POLL_REMOVE): not used after. */
	mrc = curl_multi_socket_action(f->multi, s->fd, flags, &running);
	if (mrc != CURLM_OK)
		log_error("fetch", "curl_multi_socket_action: %s",
		    curl_multi_strerror(mrc));
	fetch_check_done(f);
}

static void
fetch_sock_close(struct fetch_sock *s)
{
	int	 rc;

	LIST_REMOVE(s, entry);
	if ((rc = uv_poll_stop(&s->poll)) != 0)
		log_error("fetch", "uv_poll_stop: %s", uv_strerror(rc));
	uv_close((uv_handle_t *)&s->poll, fetch_handle_closed);
}

/* CURLMOPT_SOCKETFUNCTION: watch, change or forget one socket. */
static int
fetch_socket_cb(CURL *e, curl_socket_t fd, int action, void *userp,
    void *socketp)
{
	struct fetcher		*f = userp;
	struct fetch_sock	*s = socketp;
	int			 events = 0, rc;
	CURLMcode		 mrc;

	(void)e;
	if (f->closing)
		return 0;
	if (action == CURL_POLL_REMOVE) {
		if (s != NULL) {
			if ((mrc = curl_multi_assign(f->multi, fd,
			    NULL)) != CURLM_OK)
				log_error("fetch", "curl_multi_assign: %s",
				    curl_multi_strerror(mrc));
			fetch_sock_close(s);
		}
		return 0;
	}
	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		s->f = f;
		s->fd = fd;
		if ((rc = uv_poll_init_socket(f->loop, &s->poll, fd)) != 0) {
			log_error("fetch", "uv_poll_init_socket: %s",
			    uv_strerror(rc));
			free(s);
			return -1;
		}
		s->poll.data = s;
		f->open_handles++;
		LIST_INSERT_HEAD(&f->socks, s, entry);
		if ((mrc = curl_multi_assign(f->multi, fd, s)) != CURLM_OK) {
			log_error("fetch", "curl_multi_assign: %s",
			    curl_multi_strerror(mrc));
			fetch_sock_close(s);
			return -1;
		}
	}
	if (action == CURL_POLL_IN || action == CURL_POLL_INOUT)
		events |= UV_READABLE;
	if (action == CURL_POLL_OUT || action == CURL_POLL_INOUT)
		events |= UV_WRITABLE;
	if ((rc = uv_poll_start(&s->poll, events, fetch_poll_cb)) != 0) {
		log_error("fetch", "uv_poll_start: %s", uv_strerror(rc));
		return -1;
	}
	return 0;
}

/* CURLMOPT_TIMERFUNCTION: arm or disarm the one timer. */
static int
fetch_timerfunc_cb(CURLM *m, long timeout_ms, void *userp)
{
	struct fetcher	*f = userp;
	int		 rc;

	(void)m;
	if (timeout_ms < 0) {
		if ((rc = uv_timer_stop(&f->timer)) != 0) {
			log_error("fetch", "uv_timer_stop: %s",
			    uv_strerror(rc));
			return -1;
		}
		return 0;
	}
	/* 0 means "as soon as possible": the next loop iteration, not now. */
	if ((rc = uv_timer_start(&f->timer, fetch_timer_cb,
	    (uint64_t)timeout_ms, 0)) != 0) {
		log_error("fetch", "uv_timer_start: %s", uv_strerror(rc));
		return -1;
	}
	return 0;
}

/* ---- create and destroy ------------------------------------------------ */

#define FETCH_MSETOPT(o, v) do {					\
	if ((mrc = curl_multi_setopt(f->multi, (o), (v))) != CURLM_OK) { \
		snprintf(err, errlen, "curl_multi_setopt %s: %s", #o,	\
		    curl_multi_strerror(mrc));				\
		goto fail;						\
	}								\
} while (0)

/* Copy opts into f with the defaults filled in. */
static void
fetch_opts_take(struct fetcher *f, const struct fetch_opts *opts)
{
	free(f->user_agent);
	f->opts = *opts;
	if (f->opts.concurrency < 1)
		f->opts.concurrency = 1;
	if (f->opts.per_host < 1)
		f->opts.per_host = 1;
	if (f->opts.max_body == 0)
		f->opts.max_body = 16 * 1024 * 1024;
	if (f->opts.connect_timeout <= 0)
		f->opts.connect_timeout = f->opts.timeout > 0 &&
		    f->opts.timeout < 15 ? f->opts.timeout : 15;
	f->user_agent = xstrdup(opts->user_agent != NULL ?
	    opts->user_agent : "feedfold");
	f->opts.user_agent = f->user_agent;
}

void
fetcher_set_opts(struct fetcher *f, const struct fetch_opts *opts)
{
	CURLMcode	 mrc;

	if (f->closing)
		return;
	/* curl copied the old User-Agent into each running handle. */
	fetch_opts_take(f, opts);
	if ((mrc = curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)f->opts.per_host)) != CURLM_OK ||
	    (mrc = curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)f->opts.concurrency)) != CURLM_OK ||
	    (mrc = curl_multi_setopt(f->multi, CURLMOPT_MAXCONNECTS,
	    (long)f->opts.concurrency)) != CURLM_OK)
		log_warn("fetch", "curl_multi_setopt: %s",
		    curl_multi_strerror(mrc));
	/* Higher limits may let queued requests start now. */
	fetch_pump(f);
}

struct fetcher *
fetcher_new(uv_loop_t *loop, const struct fetch_opts *opts, char *err,
    size_t errlen)
{
	struct fetcher	*f;
	CURLcode	 rc;
	CURLMcode	 mrc;
	int		 uvrc;

	if (!fetch_curl_ready) {
		if ((rc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
			snprintf(err, errlen, "curl_global_init: %s",
			    curl_easy_strerror(rc));
			return NULL;
		}
		fetch_curl_ready = 1;
	}
	f = xcalloc(1, sizeof *f);
	f->loop = loop;
	fetch_opts_take(f, opts);
	f->proxy_env = fetch_proxy_env();
	f->nbuckets = 64;
	f->hosts = xcalloc(f->nbuckets, sizeof *f->hosts);
	TAILQ_INIT(&f->ready);
	TAILQ_INIT(&f->running);
	LIST_INIT(&f->socks);

	if ((f->multi = curl_multi_init()) == NULL) {
		snprintf(err, errlen, "curl_multi_init failed");
		goto fail;
	}
	FETCH_MSETOPT(CURLMOPT_SOCKETFUNCTION, fetch_socket_cb);
	FETCH_MSETOPT(CURLMOPT_SOCKETDATA, f);
	FETCH_MSETOPT(CURLMOPT_TIMERFUNCTION, fetch_timerfunc_cb);
	FETCH_MSETOPT(CURLMOPT_TIMERDATA, f);
	/* Our queue is the limit; curl's is a second fence behind it. */
	FETCH_MSETOPT(CURLMOPT_MAX_HOST_CONNECTIONS, (long)f->opts.per_host);
	FETCH_MSETOPT(CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)f->opts.concurrency);
	FETCH_MSETOPT(CURLMOPT_MAXCONNECTS, (long)f->opts.concurrency);

	if ((uvrc = uv_timer_init(loop, &f->timer)) != 0) {
		snprintf(err, errlen, "uv_timer_init: %s", uv_strerror(uvrc));
		goto fail;
	}
	f->timer.data = f;
	f->open_handles = 1;
	if ((uvrc = uv_timer_init(loop, &f->pump)) != 0) {
		snprintf(err, errlen, "uv_timer_init: %s", uv_strerror(uvrc));
		/* The curl timer is on the loop now: close it properly. */
		curl_multi_cleanup(f->multi);
		f->multi = NULL;
		f->closing = 1;
		uv_close((uv_handle_t *)&f->timer, fetch_handle_closed);
		return NULL;
	}
	f->pump.data = f;
	f->open_handles = 2;
	return f;

fail:
	if (f->multi != NULL)
		curl_multi_cleanup(f->multi);
	free(f->hosts);
	free(f->user_agent);
	free(f);
	return NULL;
}

static void
fetch_handle_closed(uv_handle_t *h)
{
	struct fetcher		*f;
	struct fetch_sock	*s;

	if (h->type == UV_POLL) {
		s = h->data;
		f = s->f;
		free(s);
	} else
		f = h->data;
	if (--f->open_handles > 0)
		return;
	/* The last handle: nothing of ours is left on the loop. */
	if (f->close_cb != NULL)
		f->close_cb(f->close_arg);
	free(f->hosts);
	free(f->user_agent);
	free(f);
}

void
fetcher_close(struct fetcher *f, fetch_close_cb *cb, void *arg)
{
	struct fetch_xfer	*x;
	struct fetch_host	*h;
	struct fetch_sock	*s;
	CURLMcode		 mrc;
	size_t			 i;

	if (f->closing)
		return;
	f->close_cb = cb;
	f->close_arg = arg;
	/*
	 * Callbacks below may call fetcher_start (refused: closing) but must
	 * not see curl callbacks touch our handles any more.
	 */
	f->closing = 1;
	while ((x = TAILQ_FIRST(&f->running)) != NULL) {
		TAILQ_REMOVE(&f->running, x, entry);
		if ((mrc = curl_multi_remove_handle(f->multi,
		    x->easy)) != CURLM_OK)
			log_error("fetch", "curl_multi_remove_handle: %s",
			    curl_multi_strerror(mrc));
		x->host->active--;
		x->res.error = FETCH_ERR_CANCELLED;
		snprintf(x->res.errmsg, sizeof x->res.errmsg, "cancelled");
		fetch_xfer_finish(x, CURLE_ABORTED_BY_CALLBACK);
	}
	for (i = 0; i < f->nbuckets; i++) {
		while ((h = f->hosts[i]) != NULL) {
			while ((x = TAILQ_FIRST(&h->waiting)) != NULL) {
				TAILQ_REMOVE(&h->waiting, x, entry);
				x->res.error = FETCH_ERR_CANCELLED;
				snprintf(x->res.errmsg, sizeof x->res.errmsg,
				    "cancelled");
				fetch_xfer_finish(x, CURLE_ABORTED_BY_CALLBACK);
			}
			h->active = 0;
			fetch_host_release(f, h);
		}
	}
	f->active = 0;
	f->pending = 0;
	if ((mrc = curl_multi_cleanup(f->multi)) != CURLM_OK)
		log_error("fetch", "curl_multi_cleanup: %s",
		    curl_multi_strerror(mrc));
	f->multi = NULL;
	while ((s = LIST_FIRST(&f->socks)) != NULL)
		fetch_sock_close(s);
	uv_close((uv_handle_t *)&f->timer, fetch_handle_closed);
	uv_close((uv_handle_t *)&f->pump, fetch_handle_closed);
}
