/*
 * clock.c: the system clock and a manual clock for tests (clock.h).
 */
#include <time.h>

#include "clock.h"

static int64_t
clock_system_now(void *arg)
{
	struct timespec	 ts;

	(void)arg;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return (int64_t)time(NULL);
	return (int64_t)ts.tv_sec;
}

static const struct clock clock_system_clock = { clock_system_now, NULL };

const struct clock *
clock_system(void)
{
	return &clock_system_clock;
}

int64_t
clock_now(const struct clock *c)
{
	return c->now(c->arg);
}

static int64_t
clock_manual_now(void *arg)
{
	return *(int64_t *)arg;
}

void
clock_manual(struct clock *c, int64_t *t)
{
	c->now = clock_manual_now;
	c->arg = t;
}
