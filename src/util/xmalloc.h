/*
 * xmalloc: allocation that never returns NULL.
 *
 * Contract: running out of memory is a broken invariant for this program;
 * these wrappers call fatal() instead of returning NULL.  xreallocarray
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
