/*
 * xmalloc.h: allocation that never returns NULL.
 *
 * feedfold treats running out of memory as fatal (as tmux and git do): every
 * allocation goes through these wrappers, which print a message and abort.
 * Anything whose size comes from the network is capped by its module before
 * it reaches an allocator, so a hostile feed cannot make us ask for too much.
 */
#ifndef FEEDFOLD_XMALLOC_H
#define FEEDFOLD_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Like asprintf(3); the result is owned by the caller. */
char	*xasprintf(const char *, ...)
	    __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list)
	    __attribute__((format(printf, 1, 0)));

#endif
