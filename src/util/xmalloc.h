/*
 * xmalloc: allocation that never returns NULL.
 *
 * Contract: these wrappers never return NULL; out of memory they call
 * fatal(), which exits with EX_TEMPFAIL so that an MTA keeps the message
 * and a supervisor restarts the daemon.  xreallocarray
 * checks the multiplication for overflow.
 */
#ifndef METODIST_XMALLOC_H
#define METODIST_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
