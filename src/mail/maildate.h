/*
 * maildate: the Date header field as a point in time.
 *
 * Contract: maildate_parse() reads an RFC 5322 date-time (obsolete forms
 * that libetpan accepts included) and returns seconds since the epoch, or
 * -1 when the value is missing, unreadable, or outside 1970..9999.
 */
#ifndef METODIST_MAILDATE_H
#define METODIST_MAILDATE_H

#include <time.h>

time_t	maildate_parse(const char *raw);

#endif
