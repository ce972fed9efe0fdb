/*
 * report-mail: the monthly indicator report by mail.
 *
 * Contract: report_mail_run() is safe to call often; it does something
 * only once per month.  Once the month before now has ended (in the
 * site's timezone) it keeps that month's figures (report_keep), then
 * sends each kept report not yet sent: the whole site's to the
 * administrators of [report] administrators, each list's to that list's
 * coordinators, in the report's language (templates/LANG/report.txt),
 * with the report as HTML and as CSV attached.  The letter goes through
 * the outbound queue with the null sender and Auto-Submitted:
 * auto-generated; queuing it and recording it as sent are one
 * transaction, so a report is sent once.  A report with nobody to send
 * to is recorded as sent.  Nothing is sent with [report] mail = no, nor
 * for a month that ended before the gateway's lists existed.  Returns
 * the number of reports queued, or -1 on a database error.
 */
#ifndef METODIST_REPORT_MAIL_H
#define METODIST_REPORT_MAIL_H

#include <time.h>

struct site;
struct report;

int	report_mail_run(struct site *, time_t now);
/*
 * Send a finished month's report now, whether or not it was sent before:
 * the site's and every list's (scope NULL or ""), or one list's.  The
 * number queued; -2 when the month has not ended; -1 on an error.
 */
int	report_mail_month(struct site *, const char *month, const char *scope,
	    time_t now);
/* Queue the report r to the n addresses (exposed for tests). */
int	report_mail_send(struct site *, const struct report *,
	    char *const *to, size_t n, time_t now);

#endif
