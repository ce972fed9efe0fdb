/*
 * request: see request.h.
 */
#include <config.h>

#include "core/later.h"
#include "core/request.h"

int
request_handle(struct site *s, const struct route *rt,
    const struct message *m, const char *envelope_sender)
{
	return later_answer(s, rt, m, envelope_sender);
}
