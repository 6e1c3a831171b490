/*
 * clock.h: an injectable source of wall-clock time.
 *
 * The scheduler and the feed state ask a struct clock for "now" instead of
 * calling time(3), so that a test can run a simulated day in milliseconds
 * by moving a number forward. Times are Unix seconds (int64_t).
 */
#ifndef FEEDFOLD_CLOCK_H
#define FEEDFOLD_CLOCK_H

#include <stdint.h>

struct clock {
	int64_t	(*now)(void *arg);
	void	*arg;
};

/* The system's real-time clock. Static: never freed. */
const struct clock	*clock_system(void);
int64_t			 clock_now(const struct clock *);

/* A clock that reads *t (tests): set *t to move time. */
void			 clock_manual(struct clock *, int64_t *t);

#endif
