/*
 * msglimit: the site's bounds on one message, as ingress applies them.
 *
 * Contract: msglimit_check() measures a message against the [limits]
 * keys max_header_fields, max_header_line, max_mime_depth and
 * max_mime_parts (mail/message.h says how each is counted) and, when one
 * is passed, fills a verdict: the key that was passed, what was found,
 * the limit, and the answer for the sender's mail server, one line
 * starting with its RFC 3463 code.  Every one of these bounds answers
 * 5.6.0 (SMTP and LMTP 554; the pipe exits 65, EX_DATAERR, which Postfix
 * reports as 5.6.0 too): the message is refused whole and permanently,
 * never truncated.  What was checked is not kept: the sender's server
 * keeps the message and returns it to its author with the answer.
 */
#ifndef METODIST_MSGLIMIT_H
#define METODIST_MSGLIMIT_H

#include <stddef.h>

#include "core/config.h"
#include "mail/message.h"

#define MSGLIMIT_SMTP_CODE	554

struct msglimit_verdict {
	enum message_bound	 bound;
	const char		*key;		/* "max_mime_parts" ... */
	size_t			 found;
	size_t			 limit;
	char			 text[200];	/* "5.6.0 ..." */
};

/* The configured bounds as the mail layer takes them. */
void	msglimit_of(const struct config *, struct message_limits *);
/* 0 within the bounds; 1 over one of them (v filled). */
int	msglimit_check(const struct config *, const char *raw, size_t len,
	    struct msglimit_verdict *v);

#endif
