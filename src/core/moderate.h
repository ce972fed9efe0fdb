/*
 * moderate: posts and subscription requests held for a coordinator, and
 * the decisions on them.
 *
 * Contract: moderate_hold() keeps the raw post under var/held, records it
 * with a single-use "mod" token that expires with it (the site's
 * held_expire_days), tells the author it waits (held) and sends the
 * coordinators the held-notify notice with the post attached unchanged
 * and Reply-To L+mod-TOKEN@D, so that a plain Reply decides.
 * moderate_hold_subscription() does the same for a request to join a
 * list whose subscriptions a coordinator approves; telling the requester
 * that the request waits is left to the caller, which owns the
 * subscription texts.
 *
 * moderate_approve() distributes a held post exactly as if it had just
 * been accepted, or adds a held subscriber (welcome, or mod-result when
 * no welcome template exists); moderate_reject() tells the author or the
 * requester the reason; moderate_discard() records a rejection and tells
 * nobody.  An item is decided once: a second decision returns 1 and names
 * who decided first.  The shell (metodist approve/reject) and replies by
 * mail go through the same functions, so either may come first.
 */
#ifndef METODIST_MODERATE_H
#define METODIST_MODERATE_H

#include <stdint.h>

#include "core/config.h"
#include "core/route.h"
#include "mail/message.h"

struct site;

enum moderate_decision {
	MODERATE_NONE,		/* no decision word found */
	MODERATE_APPROVE,
	MODERATE_REJECT,
	MODERATE_DISCARD
};

/* 0 held, -1 temporary failure. */
int	moderate_hold(struct site *, const struct list_config *,
	    const struct message *, const char *envelope_sender,
	    const char *reason);
/* address asks to join in mode ("normal", "digest", "nomail" or NULL);
 * request is the message that asked.  0 held, -1 temporary failure. */
int	moderate_hold_subscription(struct site *, const struct list_config *,
	    const char *address, const char *mode,
	    const struct message *request);
/* 0 done, 1 already decided (by in *by, owned by caller), 2 no such post,
 * -1 temporary failure. */
int	moderate_approve(struct site *, int64_t id, const char *who,
	    char **by);
int	moderate_reject(struct site *, int64_t id, const char *who,
	    const char *reason, char **by);
int	moderate_discard(struct site *, int64_t id, const char *who,
	    char **by);
/*
 * Expire held item id (waited past its time): recorded as rejected by
 * HELD_BY_EXPIRY and its author or requester told (held-expired).  0
 * expired now, 1 already decided, 2 no such item, -1 error.
 */
int	moderate_expire(struct site *, int64_t id);

/*
 * The decision in a coordinator's reply: the first words of the text
 * after quoted lines ("> ", "| "), empty lines and reply headers ("...
 * wrote:", "... написал(а):", "From: ..."), as mail/replyscan tells the
 * lines apart, unless the signature ("-- ") or an unmarked copy of the
 * notice ("-----Original Message-----") comes first; else the Subject
 * with its "Re:" prefixes stripped.  Words, in any case: approve,
 * approved, ok, yes, одобрить, одобрено, да, ок; reject, rejected,
 * отклонить, отклонено; discard, удалить.  For a rejection *reason (owned
 * by the caller, "" when none) is the rest of that line and the lines
 * after it up to the quotation, a reply header, the signature or the
 * copy of the notice (a sign-off such as "С уважением, ..." stays);
 * otherwise *reason is NULL.
 */
enum moderate_decision moderate_decision_parse(const char *text,
	    const char *subject, char **reason);

/*
 * A coordinator's reply to L+mod-TOKEN@D.  The envelope sender and the
 * From address must both be coordinators of the token's list; anyone
 * else is refused with an answer and nothing changes.  A reply without a
 * decision word is answered with the words; a decision on an item
 * already decided (by reply or from the shell) is answered mod-already;
 * otherwise the coordinator gets mod-result saying what was done.  0
 * recorded, -1 temporary failure (the message is processed again, and
 * the decision is then taken as if for the first time).
 */
int	moderate_reply(struct site *, const struct route *,
	    const struct message *, const char *envelope_sender);

#endif
