/*
 * moderate: posts held for a coordinator, and the decisions on them.
 *
 * Contract: moderate_hold() keeps the raw post under var/held, records it,
 * tells the author it waits (held) and the coordinators what to decide
 * (held-notify).  moderate_approve() distributes the held post exactly as
 * if it had just been accepted; moderate_reject() tells the author the
 * reason.  A post is decided once: a second decision returns 1 and names
 * who decided first.
 */
#ifndef METODIST_MODERATE_H
#define METODIST_MODERATE_H

#include <stdint.h>

#include "core/config.h"
#include "core/route.h"
#include "mail/message.h"

struct site;

/* 0 held, -1 temporary failure. */
int	moderate_hold(struct site *, const struct list_config *,
	    const struct message *, const char *envelope_sender,
	    const char *reason);
/* 0 done, 1 already decided (by in *by, owned by caller), 2 no such post,
 * -1 temporary failure. */
int	moderate_approve(struct site *, int64_t id, const char *who,
	    char **by);
int	moderate_reject(struct site *, int64_t id, const char *who,
	    const char *reason, char **by);

/*
 * A coordinator's reply to L+mod-TOKEN@D: its first words decide
 * (approve/одобрить, reject/отклонить [reason], discard/удалить).  The
 * sender must be a coordinator of the token's list; a second decision is
 * answered "already decided by X".  0 recorded, -1 temporary failure.
 */
int	moderate_reply(struct site *, const struct route *,
	    const struct message *, const char *envelope_sender);

#endif
