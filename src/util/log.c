/*
 * log: see log.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static const char *log_progname = "metodist";
static int log_to_syslog;
static int log_verbose;
static __thread char log_id[80];	/* per thread: pollers log too */

void
log_init(const char *progname, int to_syslog, int verbose)
{
	log_progname = progname;
	log_to_syslog = to_syslog;
	log_verbose = verbose;
	if (to_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

void
log_set_id(const char *id)
{
	if (id == NULL)
		log_id[0] = '\0';
	else
		snprintf(log_id, sizeof log_id, "%s: ", id);
}

void
log_set_verbose(int v)
{
	log_verbose = v;
}

static void
log_vwrite(int prio, const char *suffix, const char *fmt, va_list ap)
{
	char	line[2048];

	size_t	n;

	n = strlen(log_id);
	memcpy(line, log_id, n + 1);
	vsnprintf(line + n, sizeof line - n, fmt, ap);
	if (log_to_syslog) {
		if (suffix != NULL)
			syslog(prio, "%s: %s", line, suffix);
		else
			syslog(prio, "%s", line);
		return;
	}
	if (suffix != NULL)
		fprintf(stderr, "%s: %s: %s\n", log_progname, line, suffix);
	else
		fprintf(stderr, "%s: %s\n", log_progname, line);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, strerror(saved), fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, strerror(saved), fmt, ap);
	va_end(ap);
	exit(LOG_FATAL_EXIT);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, NULL, fmt, ap);
	va_end(ap);
	exit(LOG_FATAL_EXIT);
}
