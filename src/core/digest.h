/*
 * digest: the digests of each list, for members in digest mode.
 *
 * Contract: digest_run() sends, for every list, the digest that is due
 * at `now` (the caller's clock): when the list's schedule fired since
 * the last one, or when the posts not yet in a digest reach the list's
 * count or size threshold, whichever comes first.  One issue is one
 * number (volume, issue) and one database transaction: the row,
 * its MIME and plain copies queued to the members who chose each, and
 * the last post it includes, so a digest is never queued twice and no
 * post is skipped across restarts.  The message files are written
 * durably before that commit.  A list without posts since the last
 * digest sends nothing; a list without digest readers just moves on.
 * Returns the number of digests queued, or -1 on a database error.
 */
#ifndef METODIST_CORE_DIGEST_H
#define METODIST_CORE_DIGEST_H

#include <time.h>

#include "core/config.h"

struct site;

int	digest_run(struct site *, time_t now);
/* The list's next digest at once, whatever the schedule: 1 queued,
 * 0 nothing to send, -1 error. */
int	digest_send_now(struct site *, const struct list_config *,
	    time_t now);
/* List-Id, List-Post, List-Help, List-Unsubscribe, Precedence and
 * X-Loop for a letter the list sends to its members, LF-ended. */
char	*digest_list_headers(const struct config *,
	    const struct list_config *);

#endif
