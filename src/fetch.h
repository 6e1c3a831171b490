/*
 * fetch.h: HTTP(S) transfers for feeds, on the libuv loop.
 *
 * The fetcher owns one curl multi handle driven by a uv loop (one uv_timer_t
 * for curl's timeout, one uv_poll_t per socket), and a queue inside feedfold
 * that enforces a global limit (`concurrency`) and a per-host limit
 * (`per_host`) on transfers in flight. A request that waits in that queue
 * has not been handed to curl yet, so waiting never counts against its
 * connect, total or low-speed timeouts.
 *
 * Every transfer is polite: the configured User-Agent, an Accept header for
 * feeds, every content encoding curl was built with, HTTP/2 when the server
 * offers it over TLS, conditional GET with the validators sent verbatim,
 * at most 5 redirects and only to http/https, TLS verification on, and a cap
 * on the (decompressed) body enforced while receiving.
 *
 * fetch.c is the only file in feedfold that includes curl.h.
 */
#ifndef FEEDFOLD_FETCH_H
#define FEEDFOLD_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "buf.h"

struct fetcher;

struct fetch_opts {
	const char	*user_agent;	/* copied; NULL: "feedfold" */
	long		 timeout;	/* whole transfer, seconds; 0: none */
	long		 connect_timeout; /* seconds; 0: min(timeout, 15) */
	long		 low_speed_limit; /* bytes/s ... */
	long		 low_speed_time; /* ... for this many seconds: abort */
	size_t		 max_body;	/* decompressed body cap, bytes */
	int		 concurrency;	/* transfers in flight, all hosts */
	int		 per_host;	/* transfers in flight, one host */
};

struct config;
struct sockaddr;

/*
 * Whether an address is one anyone on the Internet could reach: not
 * unspecified, loopback, private (RFC 1918, RFC 4193), shared (RFC 6598),
 * link-local (169.254/16, fe80::/10, where clouds answer metadata
 * requests), multicast, broadcast, reserved or set aside for
 * documentation and benchmarks; IPv4 inside IPv6 (mapped, NAT64) is
 * judged as IPv4. Other families are not public.
 */
int	 fetch_addr_public(const struct sockaddr *);

/* Fill the defaults of config.h's documentation (30 s, 16 MiB, 32, 2). */
void	 fetch_opts_default(struct fetch_opts *);
/* The defaults, then user_agent, timeout, max_body, concurrency, per_host
 * from a loaded config (the strings stay the config's). */
void	 fetch_opts_from_config(struct fetch_opts *, const struct config *);

struct fetch_req {
	const char	*url;		/* copied */
	const char	*etag;		/* sent as If-None-Match, or NULL */
	const char	*last_modified;	/* sent as If-Modified-Since, or NULL */
	int		 allow_file;	/* file:// allowed (never via redirect) */
	/*
	 * Connect only to public addresses (fetch_addr_public), on every
	 * hop: for URLs a feed names rather than the operator (article
	 * pages, images), which must not reach the machine's own services
	 * or the cloud's metadata address. Off through a proxy (the
	 * *_proxy variables): the proxy is then the peer, and decides.
	 */
	int		 public_only;
	size_t		 max_body;	/* 0: the fetcher's max_body */
	const char	*accept;	/* Accept header; NULL: one for feeds */
};

/* What went wrong with the transfer itself; HTTP statuses are in status. */
enum fetch_error {
	FETCH_OK = 0,
	FETCH_ERR_RESOLVE,	/* host name did not resolve */
	FETCH_ERR_CONNECT,	/* refused, unreachable */
	FETCH_ERR_TIMEOUT,	/* connect, total or low-speed timeout */
	FETCH_ERR_TOOBIG,	/* body over max_body */
	FETCH_ERR_REDIRECT,	/* too many, or to a scheme not allowed */
	FETCH_ERR_SCHEME,	/* the URL's own scheme is not allowed */
	FETCH_ERR_TLS,		/* handshake or certificate */
	FETCH_ERR_NETWORK,	/* connection dropped, bad response, ... */
	FETCH_ERR_CANCELLED,	/* fetcher_close() before it finished */
	FETCH_ERR_OTHER,
};

struct fetch_result {
	enum fetch_error error;		/* FETCH_OK: status is meaningful */
	char		 errmsg[256];	/* one line for a person; "" if OK */
	long		 status;	/* final HTTP status; 0 for none */
	int		 not_modified;	/* 304: the body is empty */
	char		*url;		/* the URL requested */
	char		*final_url;	/* after redirects, or NULL */
	int		 redirects;	/* hops followed */
	int		 refused;	/* public_only refused an address */
	/*
	 * permanent_url: set when the request was answered through a 301 or
	 * 308 and every hop up to it was permanent too; the URL to store in
	 * place of the feed's current one. A 302 or 307 anywhere before it
	 * leaves it NULL (a temporary hop makes the rest temporary too).
	 */
	char		*permanent_url;
	char		*etag;		/* of the final response, or NULL */
	char		*last_modified;
	char		*content_type;	/* media type only, lower case */
	char		*charset;	/* Content-Type's charset, or NULL */
	int64_t		 retry_after;	/* seconds from now; -1 if none */
	int64_t		 max_age;	/* Cache-Control max-age, s; -1 */
	int64_t		 expires_in;	/* Expires - Date, s; -1 if none */
	int		 no_cache;	/* Cache-Control: no-cache/no-store */
	struct buf	 body;		/* decompressed; capped at max_body */
	double		 seconds;	/* time in curl, not in our queue */
};

/*
 * Called once per fetcher_start(), from the loop, never from inside
 * fetcher_start(). The result belongs to the fetcher and is freed after the
 * callback returns; take the body with fetch_result_take_body() to keep it.
 * The callback may call fetcher_start() and fetcher_close().
 */
typedef void fetch_done_cb(struct fetch_result *, void *arg);
typedef void fetch_close_cb(void *arg);

/* A new fetcher on loop; NULL (message in err) if curl cannot start. */
struct fetcher	*fetcher_new(uv_loop_t *, const struct fetch_opts *,
		     char *err, size_t errlen);
/*
 * New options for the transfers that start from now on (a reload): the
 * limits apply to the queue at once, the rest to each transfer as it
 * starts; transfers in flight keep what they started with.
 */
void		 fetcher_set_opts(struct fetcher *, const struct fetch_opts *);
/*
 * Queue a transfer. Returns 0, or a negative errno (-EINVAL for a URL curl
 * cannot parse, -ESHUTDOWN after fetcher_close); on failure done is never
 * called.
 */
int		 fetcher_start(struct fetcher *, const struct fetch_req *,
		     fetch_done_cb *done, void *arg);
/* Transfers queued or in flight. */
size_t		 fetcher_pending(const struct fetcher *);
/*
 * Cancel everything (each done callback is called with
 * FETCH_ERR_CANCELLED), close every handle and free the fetcher; cb (may be
 * NULL) runs once the last uv handle is closed.
 */
void		 fetcher_close(struct fetcher *, fetch_close_cb *cb, void *arg);

/* Move the body out of a result: a NUL-terminated string, caller frees. */
char		*fetch_result_take_body(struct fetch_result *,
		     size_t *len);
const char	*fetch_error_name(enum fetch_error);

/*
 * Parse an HTTP date (RFC 7231 IMF-fixdate, RFC 850, asctime) to Unix
 * time; -1 if it is not one.
 */
int64_t		 fetch_parse_http_date(const char *);
/* Retry-After: delta-seconds or an HTTP date relative to now; -1. */
int64_t		 fetch_parse_retry_after(const char *, int64_t now);

#endif
