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
 *
 * Scores: a hard failure (5.x.x) adds BOUNCE_HARD_WEIGHT, a soft one
 * (4.x.x) BOUNCE_SOFT_WEIGHT; a delay adds nothing.  Before adding, the
 * old score is halved once for every whole BOUNCE_HALF_LIFE_DAYS since
 * members.bounce_updated, and bounce_updated becomes now.  Delivery is
 * disabled (members.disabled = now) when the score reaches the list's
 * bounce_threshold; the probe (template bounce-probe, Reply-To
 * L+subscribe@D) and the coordinators' notice (bounce-disabled, with the
 * report attached) go once, when that happens.  Each bounce is a row in
 * the bounces table, counted or not for a member already disabled.
 *
 * bounce_decay_all() is the periodic job (the scheduler's expiry pass
 * calls it, daily is enough): it applies the same halving to every
 * positive score and moves bounce_updated on by the whole periods it
 * applied, so running it often loses nothing; a score below 0.01 becomes
 * 0.  It never re-enables delivery: a disabled member comes back by
 * subscribing again.  It returns the number of members changed, or -1.
 */
#ifndef METODIST_BOUNCE_H
#define METODIST_BOUNCE_H

#include <stdint.h>

#include "core/route.h"
#include "mail/message.h"

#define BOUNCE_HARD_WEIGHT	1.0
#define BOUNCE_SOFT_WEIGHT	0.5
#define BOUNCE_HALF_LIFE_DAYS	7

struct site;

int	bounce_handle(struct site *, const struct route *,
	    const struct message *, const char *envelope_sender);
int	bounce_decay_all(struct site *);
/* A relay's 5xx for one delivery of list l to address: a hard failure
 * counted as a bounce would be.  0, or -1 on a database error. */
int	bounce_relay_refused(struct site *, const struct list_config *,
	    const char *address, int64_t delivery_id, const char *reply);
/* A score last changed at updated, decayed to now. */
double	bounce_decayed(double score, int64_t updated, int64_t now);

#endif
