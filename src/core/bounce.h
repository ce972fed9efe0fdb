/*
 * bounce: delivery failures reported back to the gateway.
 *
 * Contract: bounce_handle() takes a message that reached a list's VERP
 * address (L+bounces-TOKEN@D) or the list address with a null or
 * mailer-daemon sender.  It parses it as an RFC 3464 delivery status
 * notification or one of the common non-standard bounce formats, finds
 * the member by the VERP token first and by the report's recipient fields
 * second, and adds to that member's score (a hard failure more than a
 * soft one; scores decay with time).  Over the list's bounce_threshold
 * delivery to the member is disabled, the member is told by a probe and
 * the coordinators are informed.  Vacation replies and challenge-response
 * mails are not bounces: they are dropped with a log line.  Never replies
 * to the bounce itself.  Returns 0 when the outcome is recorded, -1 on a
 * temporary failure.
 */
#ifndef METODIST_BOUNCE_H
#define METODIST_BOUNCE_H

#include "core/route.h"
#include "mail/message.h"

struct site;

int	bounce_handle(struct site *, const struct route *,
	    const struct message *, const char *envelope_sender);

#endif
