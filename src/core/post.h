/*
 * post: an accepted post becomes an archived, numbered post and one
 * delivery per member.
 *
 * Contract: post_distribute() does in one database transaction: allocate
 * the list's next number, record the post in the archive index, queue the
 * list copy for every member in normal delivery mode, and record the
 * processing key (spool id or held id) as done.  The archived copy (the
 * received bytes, unchanged) and the list copy are on disk before the
 * commit.  A Message-ID the list already has is not sent again
 * (POST_DUPLICATE); post_duplicate() asks the same question beforehand
 * (1 already sent, 0 not, -1 error), so that a redelivered copy can be
 * dropped before it is counted against the rate limits.  A crash before the commit leaves nothing recorded,
 * so the message is simply processed again.
 */
#ifndef METODIST_POST_H
#define METODIST_POST_H

#include "core/config.h"
#include "mail/message.h"

struct site;

enum post_outcome {
	POST_SENT,
	POST_DUPLICATE,
	POST_TEMPFAIL
};

enum post_outcome post_distribute(struct site *, const struct list_config *,
		    const struct message *, const char *key);
int		 post_duplicate(struct site *, const struct list_config *,
		    const struct message *, const char *key);
/* Should From be rewritten for this author (DMARC)?  Never blocks longer
 * than the configured timeout; caches answers. */
int		 post_rewrite_from(struct site *, const char *author);

#endif
