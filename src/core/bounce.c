/*
 * bounce: see bounce.h.
 */
#include <config.h>

#include "core/bounce.h"
#include "util/log.h"

int
bounce_handle(struct site *s, const struct route *rt,
    const struct message *m, const char *envelope_sender)
{
	log_info("bounce: for %s from <%s> kept for bounce handling",
	    rt->list ? rt->list->name : "site", envelope_sender);
	return 0;
}
