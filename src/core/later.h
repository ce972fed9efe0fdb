/*
 * later: the answer for addresses whose function this gateway does not
 * have yet.
 *
 * Contract: a message to such an address is never met with silence: its
 * envelope sender gets the not-available reply naming the function in the
 * list's language, unless the message is a loop or an automaton's.
 */
#ifndef METODIST_LATER_H
#define METODIST_LATER_H

#include "core/route.h"
#include "mail/message.h"

struct site;

int		 later_answer(struct site *, const struct route *,
		    const struct message *, const char *envelope_sender);
const char	*later_function_name(enum route_action, const char *lang);

#endif
