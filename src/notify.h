/*
 * notify.h: telling the service manager how we are, over $NOTIFY_SOCKET.
 *
 * systemd's readiness protocol (sd_notify(3)) without linking libsystemd,
 * as knot-resolver does: each message is one datagram of newline-separated
 * VAR=value assignments sent to the AF_UNIX socket named by $NOTIFY_SOCKET
 * (a path, or an abstract name written with a leading '@'). When the
 * variable is unset we are not under a manager that listens, and every call
 * here is a cheap no-op: callers never test for systemd themselves.
 *
 * The watchdog helper pings WATCHDOG=1 from a uv timer at half of
 * $WATCHDOG_USEC. Because the ping rides on the loop, a loop that stalls
 * stops pinging and systemd restarts us, which is the point of a watchdog.
 */
#ifndef FEEDFOLD_NOTIFY_H
#define FEEDFOLD_NOTIFY_H

#include <stdint.h>

#include <uv.h>

struct notify;
struct notify_watchdog;

/*
 * Read $NOTIFY_SOCKET and open a socket to it. NULL when the variable is
 * unset or empty (not an error), and also when it names no usable socket
 * (a relative path, a name too long for sockaddr_un, an unsupported
 * address family such as vsock): that is logged once, as a warning, and
 * feedfold carries on without notifications. The caller owns the handle
 * (notify_close).
 */
struct notify	*notify_open(void);
/* Close the socket and free the handle; NULL is a no-op. */
void		 notify_close(struct notify *);

/*
 * Send one datagram, "VAR=value" lines separated by '\n', as is. Returns 0,
 * or a negative errno (-EAGAIN when the manager's queue is full: the send
 * never blocks the loop). A NULL handle returns 0 and sends nothing.
 */
int		 notify_send(struct notify *, const char *msg);
/* "READY=1": start-up (or a reload) is complete. */
int		 notify_ready(struct notify *);
/* "STATUS=<text>": one line for `systemctl status`; newlines become spaces. */
int		 notify_status(struct notify *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/*
 * "RELOADING=1" with "MONOTONIC_USEC=<CLOCK_MONOTONIC in µs>", which
 * Type=notify-reload needs to tell this reload from an earlier one. Send
 * notify_ready() when the reload is done, whether it succeeded or not.
 */
int		 notify_reloading(struct notify *);
/* "STOPPING=1": shutting down; systemd stops waiting for READY. */
int		 notify_stopping(struct notify *);

/*
 * The watchdog interval systemd expects pings within, in microseconds:
 * $WATCHDOG_USEC, if it is a positive decimal number and $WATCHDOG_PID is
 * either unset or our own pid (a child that inherited the variables must
 * not ping for its parent). 0 means no watchdog.
 */
uint64_t	 notify_watchdog_usec(void);
/*
 * Ping WATCHDOG=1 every notify_watchdog_usec() / 2 from a uv timer on loop.
 * NULL when there is no watchdog to feed, or n is NULL. The timer does not
 * keep the loop alive by itself (uv_unref): a daemon that has nothing else
 * left to do exits. The caller owns the result and must stop it with
 * notify_watchdog_stop() before closing the loop; n must outlive it.
 */
struct notify_watchdog *notify_watchdog_start(uv_loop_t *, struct notify *);
/* WATCHDOG=1 datagrams sent so far (failed sends not counted). */
uint64_t	 notify_watchdog_pings(const struct notify_watchdog *);
/* Stop pinging; the handle is freed once libuv has closed it. NULL: no-op. */
void		 notify_watchdog_stop(struct notify_watchdog *);

#endif
