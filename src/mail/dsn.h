/*
 * dsn: reports that a message could not be delivered, and the automatic
 * answers that only look like them.
 *
 * Contract: dsn_parse() reads the raw bytes of one received message and
 * never fails: garbage, truncation, NULs and missing headers give a
 * report that says "not a bounce" with a reason.  It understands
 *  - RFC 3464 multipart/report; report-type=delivery-status: every
 *    per-recipient block (Final-Recipient, Original-Recipient, Action,
 *    Status, Diagnostic-Code) of the message/delivery-status part;
 *  - the free-text notices of qmail, Exim, Postfix, Microsoft Exchange
 *    and the Russian texts of mail.ru and Yandex, whose recipients are
 *    the addresses named in the notice before the returned copy;
 * and it recognises what is not a bounce: vacation and other automatic
 * replies (RFC 3834 Auto-Submitted, X-Autoreply, "Out of Office",
 * "Автоответ", "В отпуске") and challenge-response requests.
 *
 * A recipient's kind follows its RFC 3463 status class: 5.x.x is hard,
 * 4.x.x soft; Action: delayed, delivered, relayed and expanded are no
 * failure at all.  The report is a bounce when at least one recipient
 * failed; a notice that only announces a delay is not (reason "delivery
 * delayed").  Everything is bounded: at most DSN_MAX_RECIPIENTS
 * recipients, DSN_SCAN_MAX bytes of text examined, diagnostics of at most
 * DSN_DIAG_MAX bytes.  Strings are valid UTF-8.  Mail code only: nothing
 * here knows lists or members.
 */
#ifndef METODIST_DSN_H
#define METODIST_DSN_H

#include <stddef.h>

#define DSN_MAX_RECIPIENTS	64
#define DSN_SCAN_MAX		(64 * 1024)
#define DSN_DIAG_MAX		512
#define DSN_STATUS_MAX		16

enum dsn_kind {
	DSN_NONE,		/* no failure */
	DSN_SOFT,		/* temporary: 4.x.x */
	DSN_HARD		/* permanent: 5.x.x */
};

enum dsn_action {
	DSN_ACTION_UNKNOWN,
	DSN_ACTION_FAILED,
	DSN_ACTION_DELAYED,
	DSN_ACTION_DELIVERED,
	DSN_ACTION_RELAYED,
	DSN_ACTION_EXPANDED
};

struct dsn_recipient {
	char		*address;	/* normalised final recipient, or NULL */
	char		*original;	/* Original-Recipient, or NULL */
	enum dsn_action	 action;
	enum dsn_kind	 kind;
	char		 status[DSN_STATUS_MAX];	/* "5.1.1", or "" */
	char		*diagnostic;	/* one line of UTF-8, or NULL */
};

struct dsn_report {
	int			 is_bounce;
	enum dsn_kind		 kind;		/* worst failure */
	const char		*format;	/* "rfc3464", "qmail", "exim",
						 * "postfix", "exchange",
						 * "russian", or NULL */
	const char		*reason;	/* why it is not a bounce */
	struct dsn_recipient	*recipients;
	size_t			 nrecipients;
};

void		 dsn_parse(const char *raw, size_t len, struct dsn_report *);
void		 dsn_report_free(struct dsn_report *);
/* "hard", "soft" or "none". */
const char	*dsn_kind_name(enum dsn_kind);
/* The kind an RFC 3463 status (or an SMTP reply code) means. */
enum dsn_kind	 dsn_status_kind(const char *status);

#endif
