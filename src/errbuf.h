/*
 * errbuf.h: a reason for a person to read, filled in by a failing call.
 *
 * As in redis's anet.c, a function that can fail for reasons a user must
 * see takes a struct errbuf * that may be NULL; on failure it writes one
 * line there (without a trailing newline) and returns a negative code.
 */
#ifndef FEEDFOLD_ERRBUF_H
#define FEEDFOLD_ERRBUF_H

#define ERRBUF_SIZE	512

struct errbuf {
	char	msg[ERRBUF_SIZE];
};

/* Set the message; a NULL errbuf is ignored. */
void	errbuf_set(struct errbuf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	errbuf_clear(struct errbuf *);

#endif
