/*
 * rate: how much one address, or one list, may make the gateway do.
 *
 * Contract: rate_post() counts a post by author to list l in the current
 * hour, and the list's posts in that hour; the list's coordinators are
 * not counted.  Over either limit ([limits] posts_per_hour,
 * list_posts_per_hour) it returns 0 and writes the reason, in the list's
 * language, for the coordinators who will see the post held.  The caller
 * asks post_duplicate() first, so a post the MTA delivers again after a
 * temporary failure, already sent to the list, is not counted again.
 * rate_commands() counts a letter of commands from sender in the current
 * day against [limits] commands_per_day; over it, 0, and *first is 1 on
 * the first letter over the limit (the one that is answered).  Both
 * return 1 within the limits and -1 on a database error.
 */
#ifndef METODIST_RATE_H
#define METODIST_RATE_H

#include <stddef.h>
#include <time.h>

#include "core/config.h"
#include "core/site.h"

int	rate_post(struct site *, const struct list_config *, const char *author,
	    time_t now, char *reason, size_t reasonsz);
int	rate_commands(struct site *, const char *sender, time_t now,
	    int *first);

#endif
