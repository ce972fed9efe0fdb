/*
 * xmalloc: see xmalloc.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "log.h"
#include "xmalloc.h"

void *
xmalloc(size_t n)
{
	void	*p;

	if (fault_fail(FAULT_ALLOC) || (p = malloc(n == 0 ? 1 : n)) == NULL)
		fatal("xmalloc %zu", n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if (fault_fail(FAULT_ALLOC) ||
	    (p = calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size)) == NULL)
		fatal("xcalloc %zu*%zu", nmemb, size);
	return p;
}

void *
xreallocarray(void *old, size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		fatalx("xreallocarray: %zu*%zu overflows", nmemb, size);
	if (fault_fail(FAULT_ALLOC) ||
	    (p = realloc(old, nmemb * size == 0 ? 1 : nmemb * size)) == NULL)
		fatal("xreallocarray %zu*%zu", nmemb, size);
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (fault_fail(FAULT_ALLOC) || vasprintf(&s, fmt, ap) == -1)
		fatal("xasprintf");
	va_end(ap);
	return s;
}
