/*
 * rate: see rate.h.  The counts are store/limit's, keyed
 * "post:LIST:ADDRESS", "list-posts:LIST" (hourly) and "commands:ADDRESS"
 * (daily).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rate.h"
#include "store/limit.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

static int
rate_take(struct site *s, const char *key, const char *window, int max)
{
	return limit_take(s->db, key, window, (int64_t)max);
}

int
rate_post(struct site *s, const struct list_config *l, const char *author,
    time_t now, char *reason, size_t reasonsz)
{
	char	 hour[24], *key;
	int	 en = strcmp(l->language, "en") == 0, rc;

	if (author != NULL && config_is_coordinator(s->cfg, l, author))
		return 1;
	time_hour(now, hour, sizeof hour);
	if (author != NULL) {
		key = xasprintf("post:%s:%s", l->name, author);
		rc = rate_take(s, key, hour, s->cfg->posts_per_hour);
		free(key);
		if (rc != 1) {
			snprintf(reason, reasonsz, en ? "more than %d posts "
			    "an hour from this address" : "больше %d писем в "
			    "час с этого адреса", s->cfg->posts_per_hour);
			return rc;
		}
	}
	key = xasprintf("list-posts:%s", l->name);
	rc = rate_take(s, key, hour, s->cfg->list_posts_per_hour);
	free(key);
	if (rc == 0)
		snprintf(reason, reasonsz, en ? "more than %d posts an hour to "
		    "the list" : "больше %d писем в час в список",
		    s->cfg->list_posts_per_hour);
	return rc;
}

int
rate_commands(struct site *s, const char *sender, time_t now, int *first)
{
	char	 day[16], *key;
	int	 rc;
	int64_t	 n = 0;

	time_day(now, day, sizeof day);
	key = xasprintf("commands:%s", sender);
	rc = rate_take(s, key, day, s->cfg->commands_per_day);
	if (rc == 0)
		n = limit_count(s->db, key, day);
	free(key);
	*first = rc == 0 && n == (int64_t)s->cfg->commands_per_day + 1;
	return n < 0 ? -1 : rc;
}
