/*
 * notify.c: the sd_notify protocol over $NOTIFY_SOCKET (notify.h).
 *
 * One unconnected SOCK_DGRAM socket, opened once; each message is one
 * sendto(). Not connecting keeps us working across a manager re-exec,
 * which rebinds the same address.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "notify.h"
#include "xmalloc.h"

struct notify {
	int			 fd;
	struct sockaddr_un	 addr;
	socklen_t		 addrlen;
};

struct notify_watchdog {
	uv_timer_t		 timer;
	struct notify		*n;
	uint64_t		 pings;
	int			 failing;	/* the last ping failed */
};

/*
 * Fill addr from $NOTIFY_SOCKET's value. An abstract name ("@name") is the
 * bytes after the '@' following a NUL, and its length is exactly what the
 * address length says (no terminator): that is how systemd binds it.
 */
static int
notify_parse_addr(const char *path, struct sockaddr_un *addr,
    socklen_t *addrlen)
{
	size_t	 len = strlen(path);

	memset(addr, 0, sizeof *addr);
	addr->sun_family = AF_UNIX;
	if (path[0] == '@') {
		if (len < 2)
			return -EINVAL;
		if (len > sizeof addr->sun_path)
			return -ENAMETOOLONG;
		memcpy(addr->sun_path + 1, path + 1, len - 1);
		*addrlen = offsetof(struct sockaddr_un, sun_path) + len;
		return 0;
	}
	if (path[0] != '/')
		return -EAFNOSUPPORT;
	if (len >= sizeof addr->sun_path)
		return -ENAMETOOLONG;
	memcpy(addr->sun_path, path, len + 1);
	*addrlen = offsetof(struct sockaddr_un, sun_path) + len + 1;
	return 0;
}

struct notify *
notify_open(void)
{
	struct notify	*n;
	const char	*path;
	int		 rc;

	if ((path = getenv("NOTIFY_SOCKET")) == NULL || *path == '\0')
		return NULL;
	n = xcalloc(1, sizeof *n);
	if ((rc = notify_parse_addr(path, &n->addr, &n->addrlen)) != 0) {
		log_warn("notify", "NOTIFY_SOCKET=%s: %s; not notifying the "
		    "service manager", path, rc == -EAFNOSUPPORT ?
		    "neither an absolute path nor an @abstract name" :
		    rc == -EINVAL ? "an empty abstract name" : strerror(-rc));
		free(n);
		return NULL;
	}
	if ((n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("notify", "socket: %s; not notifying the service "
		    "manager", strerror(errno));
		free(n);
		return NULL;
	}
	return n;
}

void
notify_close(struct notify *n)
{
	if (n == NULL)
		return;
	close(n->fd);
	free(n);
}

int
notify_send(struct notify *n, const char *msg)
{
	ssize_t	 r;
	size_t	 len;

	if (n == NULL)
		return 0;
	len = strlen(msg);
	/*
	 * MSG_DONTWAIT: the loop must never wait for the manager. Its queue
	 * is only full when it is far behind, and then a lost WATCHDOG=1 is
	 * sent again at the next tick. MSG_NOSIGNAL: a vanished peer must
	 * be an error code, never a SIGPIPE that kills the daemon.
	 */
	do
		r = sendto(n->fd, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL,
		    (struct sockaddr *)&n->addr, n->addrlen);
	while (r == -1 && errno == EINTR);
	if (r == -1)
		return -errno;
	/* A datagram is sent whole or not at all. */
	return (size_t)r == len ? 0 : -EMSGSIZE;
}

int
notify_ready(struct notify *n)
{
	return notify_send(n, "READY=1");
}

int
notify_status(struct notify *n, const char *fmt, ...)
{
	va_list	 ap;
	char	*text, *msg, *p;
	int	 rc;

	if (n == NULL)
		return 0;
	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	/* A newline would end the assignment and start a bogus one. */
	for (p = text; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	msg = xasprintf("STATUS=%s", text);
	rc = notify_send(n, msg);
	free(msg);
	free(text);
	return rc;
}

int
notify_reloading(struct notify *n)
{
	struct timespec	 ts;
	char		 msg[64];

	if (n == NULL)
		return 0;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return -errno;
	snprintf(msg, sizeof msg, "RELOADING=1\nMONOTONIC_USEC=%" PRIu64,
	    (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000);
	return notify_send(n, msg);
}

int
notify_stopping(struct notify *n)
{
	return notify_send(n, "STOPPING=1");
}

/* A positive decimal number, all of s, into *v; -1 if it is not one. */
static int
notify_parse_u64(const char *s, uint64_t *v)
{
	char			*end;
	unsigned long long	 u;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	u = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || u == 0)
		return -1;
	*v = u;
	return 0;
}

uint64_t
notify_watchdog_usec(void)
{
	uint64_t	 usec, pid;

	if (notify_parse_u64(getenv("WATCHDOG_USEC"), &usec) != 0)
		return 0;
	if (getenv("WATCHDOG_PID") != NULL &&
	    (notify_parse_u64(getenv("WATCHDOG_PID"), &pid) != 0 ||
	    pid != (uint64_t)getpid()))
		return 0;
	return usec;
}

static void
notify_watchdog_cb(uv_timer_t *t)
{
	struct notify_watchdog	*wd = t->data;
	int			 rc;

	if ((rc = notify_send(wd->n, "WATCHDOG=1")) == 0) {
		wd->pings++;
		wd->failing = 0;
		return;
	}
	/* Once per streak: the next ticks retry on their own. */
	if (!wd->failing)
		log_warn("notify", "WATCHDOG=1: %s", strerror(-rc));
	wd->failing = 1;
}

struct notify_watchdog *
notify_watchdog_start(uv_loop_t *loop, struct notify *n)
{
	struct notify_watchdog	*wd;
	uint64_t		 usec, ms;
	int			 rc;

	if (n == NULL || (usec = notify_watchdog_usec()) == 0)
		return NULL;
	/*
	 * Half the interval, as sd_watchdog_enabled(3) advises: one late
	 * tick still lands in time. Millisecond timers: round down, and a
	 * sub-millisecond watchdog gets the fastest tick there is.
	 */
	if ((ms = usec / 2000) == 0)
		ms = 1;
	wd = xcalloc(1, sizeof *wd);
	wd->n = n;
	if ((rc = uv_timer_init(loop, &wd->timer)) != 0) {
		log_error("notify", "uv_timer_init: %s", uv_strerror(rc));
		free(wd);
		return NULL;
	}
	wd->timer.data = wd;
	if ((rc = uv_timer_start(&wd->timer, notify_watchdog_cb, ms, ms)) != 0) {
		log_error("notify", "uv_timer_start: %s", uv_strerror(rc));
		notify_watchdog_stop(wd);
		return NULL;
	}
	uv_unref((uv_handle_t *)&wd->timer);
	log_debug("notify", "watchdog: WATCHDOG=1 every %" PRIu64 " ms", ms);
	return wd;
}

uint64_t
notify_watchdog_pings(const struct notify_watchdog *wd)
{
	return wd->pings;
}

static void
notify_watchdog_closed(uv_handle_t *h)
{
	free(h->data);
}

void
notify_watchdog_stop(struct notify_watchdog *wd)
{
	if (wd == NULL)
		return;
	uv_close((uv_handle_t *)&wd->timer, notify_watchdog_closed);
}
