/*
 * test_notify.c: the sd_notify protocol against a listener of our own, on
 * a path socket and an abstract one; $WATCHDOG_USEC and $WATCHDOG_PID; the
 * watchdog's cadence on a uv loop, and its silence when the loop stalls.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "log.h"
#include "notify.h"
#include "test.h"
#include "xmalloc.h"

/* ---- a listener standing in for systemd ---------------------------------- */

struct listener {
	int	 fd;
	char	*dir;		/* temp folder of a path socket, or NULL */
	char	 env[128];	/* what NOTIFY_SOCKET is set to */
};

/* Bind a datagram socket: in a temp folder, or abstract when asked. */
static void
listener_open(struct listener *l, int abstract)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;

	memset(l, 0, sizeof *l);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (abstract) {
		snprintf(l->env, sizeof l->env, "@feedfold-test-notify-%ld",
		    (long)getpid());
		memcpy(sun.sun_path + 1, l->env + 1, strlen(l->env) - 1);
		len = offsetof(struct sockaddr_un, sun_path) + strlen(l->env);
	} else {
		l->dir = test_tmpdir();
		snprintf(l->env, sizeof l->env, "%s/notify", l->dir);
		ASSERT(strlen(l->env) < sizeof sun.sun_path);
		strcpy(sun.sun_path, l->env);
		len = sizeof sun;
	}
	l->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ASSERT(l->fd >= 0);
	if (bind(l->fd, (struct sockaddr *)&sun, len) != 0)
		test_fail(__FILE__, __LINE__, "bind %s: %s", l->env,
		    strerror(errno));
	ASSERT_INT_EQ(setenv("NOTIFY_SOCKET", l->env, 1), 0);
}

static void
listener_close(struct listener *l)
{
	unsetenv("NOTIFY_SOCKET");
	close(l->fd);
	if (l->dir != NULL) {
		test_rmtree(l->dir);
		free(l->dir);
	}
}

/*
 * The next datagram, NUL-terminated, in buf; -1 if none is queued. A send
 * on a datagram socket queues the message before sendto() returns, so
 * nothing here waits.
 */
static ssize_t
listener_recv(struct listener *l, char *buf, size_t size)
{
	ssize_t	 r;

	r = recv(l->fd, buf, size - 1, MSG_DONTWAIT);
	buf[r < 0 ? 0 : r] = '\0';
	return r;
}

static uint64_t
now_usec(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* ---- the messages -------------------------------------------------------- */

static void
check_messages(int abstract)
{
	struct listener	 l;
	struct notify	*n;
	char		 buf[256];
	uint64_t	 before, after, usec;
	ssize_t		 r;

	listener_open(&l, abstract);
	n = notify_open();
	ASSERT_NOT_NULL(n);

	ASSERT_INT_EQ(notify_ready(n), 0);
	r = listener_recv(&l, buf, sizeof buf);
	ASSERT_INT_EQ(r, 7);
	ASSERT_STR_EQ(buf, "READY=1");

	ASSERT_INT_EQ(notify_status(n, "%d feeds, %d ok, %d failing", 12, 10,
	    2), 0);
	listener_recv(&l, buf, sizeof buf);
	ASSERT_STR_EQ(buf, "STATUS=12 feeds, 10 ok, 2 failing");

	/* A newline inside the status must not start a second assignment. */
	ASSERT_INT_EQ(notify_status(n, "two\nlines\r"), 0);
	listener_recv(&l, buf, sizeof buf);
	ASSERT_STR_EQ(buf, "STATUS=two lines ");

	before = now_usec();
	ASSERT_INT_EQ(notify_reloading(n), 0);
	after = now_usec();
	listener_recv(&l, buf, sizeof buf);
	ASSERT_INT_EQ(strncmp(buf, "RELOADING=1\nMONOTONIC_USEC=", 27), 0);
	ASSERT_INT_EQ(sscanf(buf + 27, "%" SCNu64, &usec), 1);
	ASSERT(usec >= before && usec <= after);

	ASSERT_INT_EQ(notify_send(n, "READY=1\nSTATUS=reloaded"), 0);
	listener_recv(&l, buf, sizeof buf);
	ASSERT_STR_EQ(buf, "READY=1\nSTATUS=reloaded");

	ASSERT_INT_EQ(notify_stopping(n), 0);
	listener_recv(&l, buf, sizeof buf);
	ASSERT_STR_EQ(buf, "STOPPING=1");

	/* Exactly one datagram per call: nothing else is queued. */
	ASSERT_INT_EQ(listener_recv(&l, buf, sizeof buf), -1);
	notify_close(n);
	listener_close(&l);
}

static void
test_path_socket(void)
{
	check_messages(0);
}

static void
test_abstract_socket(void)
{
	check_messages(1);
}

static void
test_unset_is_noop(void)
{
	unsetenv("NOTIFY_SOCKET");
	ASSERT_NULL(notify_open());
	setenv("NOTIFY_SOCKET", "", 1);
	ASSERT_NULL(notify_open());
	unsetenv("NOTIFY_SOCKET");
	ASSERT_INT_EQ(notify_send(NULL, "READY=1"), 0);
	ASSERT_INT_EQ(notify_ready(NULL), 0);
	ASSERT_INT_EQ(notify_status(NULL, "x %d", 1), 0);
	ASSERT_INT_EQ(notify_reloading(NULL), 0);
	ASSERT_INT_EQ(notify_stopping(NULL), 0);
	notify_close(NULL);
}

static void
test_bad_addresses(void)
{
	char	 longname[200];

	/* Each is refused with a warning; quiet the log for the test. */
	log_set_level(LOG_LEVEL_ERROR);
	setenv("NOTIFY_SOCKET", "run/notify", 1);
	ASSERT_NULL(notify_open());
	setenv("NOTIFY_SOCKET", "vsock:2:1234", 1);
	ASSERT_NULL(notify_open());
	setenv("NOTIFY_SOCKET", "@", 1);
	ASSERT_NULL(notify_open());
	memset(longname, 'a', sizeof longname - 1);
	longname[0] = '/';
	longname[sizeof longname - 1] = '\0';
	setenv("NOTIFY_SOCKET", longname, 1);
	ASSERT_NULL(notify_open());
	longname[0] = '@';
	ASSERT_NULL(notify_open());
	unsetenv("NOTIFY_SOCKET");
	log_set_level(LOG_LEVEL_NOTICE);
}

/* Nobody listening: the error comes back as a negative errno. */
static void
test_no_listener(void)
{
	struct notify	*n;
	char		*dir, *path;
	int		 rc;

	dir = test_tmpdir();
	path = xasprintf("%s/nobody", dir);
	setenv("NOTIFY_SOCKET", path, 1);
	n = notify_open();
	unsetenv("NOTIFY_SOCKET");
	ASSERT_NOT_NULL(n);
	rc = notify_ready(n);
	ASSERT_INT_EQ(rc, -ENOENT);
	notify_close(n);
	test_rmtree(dir);
	free(dir);
	free(path);
}

static void
test_watchdog_usec(void)
{
	char	 pid[32];

	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
	ASSERT_INT_EQ(notify_watchdog_usec(), 0);
	setenv("WATCHDOG_USEC", "30000000", 1);
	ASSERT_INT_EQ(notify_watchdog_usec(), 30000000);
	setenv("WATCHDOG_USEC", "0", 1);
	ASSERT_INT_EQ(notify_watchdog_usec(), 0);
	setenv("WATCHDOG_USEC", "-5", 1);
	ASSERT_INT_EQ(notify_watchdog_usec(), 0);
	setenv("WATCHDOG_USEC", "20s", 1);
	ASSERT_INT_EQ(notify_watchdog_usec(), 0);
	setenv("WATCHDOG_USEC", "", 1);
	ASSERT_INT_EQ(notify_watchdog_usec(), 0);

	setenv("WATCHDOG_USEC", "500000", 1);
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	ASSERT_INT_EQ(notify_watchdog_usec(), 500000);
	/* Meant for another process (our parent, say): not ours to feed. */
	snprintf(pid, sizeof pid, "%ld", (long)getpid() + 1);
	setenv("WATCHDOG_PID", pid, 1);
	ASSERT_INT_EQ(notify_watchdog_usec(), 0);
	setenv("WATCHDOG_PID", "junk", 1);
	ASSERT_INT_EQ(notify_watchdog_usec(), 0);
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
}

/* ---- the watchdog on a loop ---------------------------------------------- */

#define WD_USEC		20000	/* a ping every 10 ms */
#define WD_WANT		8	/* pings to see */
#define WD_GUARD_MS	10000	/* give up: the pings are not coming */

static void
wd_setenv(void)
{
	char	 v[32];

	snprintf(v, sizeof v, "%d", WD_USEC);
	ASSERT_INT_EQ(setenv("WATCHDOG_USEC", v, 1), 0);
}

struct wd_run {
	struct listener		 l;
	uv_poll_t		 poll;
	uv_timer_t		 guard;
	struct notify_watchdog	*wd;
	int			 pings;
	int			 bad;		/* datagrams that were not pings */
	int			 timed_out;
	uint64_t		 start, done;	/* uv_now() */
	int			 stalled_pings;	/* sent while the loop stalled */
};

static void
wd_finish(struct wd_run *r)
{
	notify_watchdog_stop(r->wd);
	r->wd = NULL;
	uv_close((uv_handle_t *)&r->poll, NULL);
	uv_close((uv_handle_t *)&r->guard, NULL);
}

static void
wd_readable(uv_poll_t *p, int status, int events)
{
	struct wd_run	*r = p->data;
	char		 buf[64];

	(void)events;
	if (status < 0 || r->wd == NULL)
		return;
	while (listener_recv(&r->l, buf, sizeof buf) >= 0) {
		if (strcmp(buf, "WATCHDOG=1") == 0)
			r->pings++;
		else
			r->bad++;
	}
	if (r->pings >= WD_WANT) {
		r->done = uv_now(p->loop);
		wd_finish(r);
	}
}

static void
wd_guard(uv_timer_t *t)
{
	struct wd_run	*r = t->data;

	r->timed_out = 1;
	wd_finish(r);
}

static void
test_watchdog_cadence(void)
{
	struct wd_run	 r;
	uv_loop_t	 loop;
	struct notify	*n;
	uint64_t	 elapsed;

	memset(&r, 0, sizeof r);
	listener_open(&r.l, 0);
	wd_setenv();
	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	n = notify_open();
	ASSERT_NOT_NULL(n);

	r.wd = notify_watchdog_start(&loop, n);
	ASSERT_NOT_NULL(r.wd);
	ASSERT_INT_EQ(uv_poll_init(&loop, &r.poll, r.l.fd), 0);
	r.poll.data = &r;
	ASSERT_INT_EQ(uv_poll_start(&r.poll, UV_READABLE, wd_readable), 0);
	ASSERT_INT_EQ(uv_timer_init(&loop, &r.guard), 0);
	r.guard.data = &r;
	ASSERT_INT_EQ(uv_timer_start(&r.guard, wd_guard, WD_GUARD_MS, 0), 0);
	r.start = uv_now(&loop);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);
	notify_close(n);
	unsetenv("WATCHDOG_USEC");
	listener_close(&r.l);

	ASSERT_INT_EQ(r.timed_out, 0);
	ASSERT_INT_EQ(r.bad, 0);
	ASSERT(r.pings >= WD_WANT);
	/*
	 * uv timers never fire early, so WD_WANT pings at half of
	 * WATCHDOG_USEC take at least WD_WANT * 10 ms of loop time. That
	 * rules out pinging at the full interval's rate or faster; the guard
	 * rules out never pinging.
	 */
	elapsed = r.done - r.start;
	if (elapsed < (uint64_t)WD_WANT * WD_USEC / 2000)
		test_fail(__FILE__, __LINE__, "%d pings in %" PRIu64 " ms: "
		    "faster than one per %d ms", r.pings, elapsed,
		    WD_USEC / 2000);
}

/* Block the loop for ten ping intervals, as a stuck callback would. */
static void
wd_stall(uv_timer_t *t)
{
	struct wd_run	*r = t->data;
	struct timespec	 ts = { 0, 10L * WD_USEC / 2 * 1000 };
	char		 buf[64];

	while (listener_recv(&r->l, buf, sizeof buf) >= 0)
		;
	nanosleep(&ts, NULL);
	while (listener_recv(&r->l, buf, sizeof buf) >= 0)
		r->stalled_pings++;
	r->pings = notify_watchdog_pings(r->wd);
	notify_watchdog_stop(r->wd);
	r->wd = NULL;
	uv_close((uv_handle_t *)&r->guard, NULL);
}

/* The pings come from the loop itself: while it is stuck, none are sent. */
static void
test_watchdog_stalls_with_loop(void)
{
	struct wd_run	 r;
	uv_loop_t	 loop;
	struct notify	*n;

	memset(&r, 0, sizeof r);
	listener_open(&r.l, 1);
	wd_setenv();
	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	n = notify_open();
	r.wd = notify_watchdog_start(&loop, n);
	ASSERT_NOT_NULL(r.wd);
	ASSERT_INT_EQ(uv_timer_init(&loop, &r.guard), 0);
	r.guard.data = &r;
	/* Stall after a few pings have gone out. */
	ASSERT_INT_EQ(uv_timer_start(&r.guard, wd_stall, 5 * WD_USEC / 2000,
	    0), 0);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);
	notify_close(n);
	unsetenv("WATCHDOG_USEC");
	listener_close(&r.l);

	ASSERT(r.pings >= 1);
	ASSERT_INT_EQ(r.stalled_pings, 0);
}

/* No watchdog asked for, or nowhere to send: no timer at all. */
static void
test_watchdog_off(void)
{
	struct listener	 l;
	uv_loop_t	 loop;
	struct notify	*n;

	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	unsetenv("WATCHDOG_USEC");
	listener_open(&l, 0);
	n = notify_open();
	ASSERT_NOT_NULL(n);
	ASSERT_NULL(notify_watchdog_start(&loop, n));
	wd_setenv();
	ASSERT_NULL(notify_watchdog_start(&loop, NULL));
	unsetenv("WATCHDOG_USEC");
	notify_watchdog_stop(NULL);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);
	notify_close(n);
	listener_close(&l);
}

/* The watchdog alone does not keep a loop running. */
static void
test_watchdog_unref(void)
{
	struct listener		 l;
	uv_loop_t		 loop;
	struct notify		*n;
	struct notify_watchdog	*wd;

	ASSERT_INT_EQ(uv_loop_init(&loop), 0);
	listener_open(&l, 0);
	wd_setenv();
	n = notify_open();
	wd = notify_watchdog_start(&loop, n);
	unsetenv("WATCHDOG_USEC");
	ASSERT_NOT_NULL(wd);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(notify_watchdog_pings(wd), 0);
	notify_watchdog_stop(wd);
	ASSERT_INT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ASSERT_INT_EQ(uv_loop_close(&loop), 0);
	notify_close(n);
	listener_close(&l);
}

static const struct test_case cases[] = {
	TEST(test_path_socket),
	TEST(test_abstract_socket),
	TEST(test_unset_is_noop),
	TEST(test_bad_addresses),
	TEST(test_no_listener),
	TEST(test_watchdog_usec),
	TEST(test_watchdog_cadence),
	TEST(test_watchdog_stalls_with_loop),
	TEST(test_watchdog_off),
	TEST(test_watchdog_unref),
};

int
main(void)
{
	log_init(LOG_LEVEL_NOTICE);
	return TEST_MAIN(cases);
}
