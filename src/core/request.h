/*
 * request: commands by email — L-request@D, the L+subscribe, +unsubscribe,
 * +help, +digest and +confirm-TOKEN shortcuts, and the site address.
 *
 * Contract: request_handle() reads the commands of one message (Subject
 * and body, in Russian or English; see command.h for the grammar), runs
 * them in order for the envelope sender, stopping at end/конец or after
 * the site's max_unknown_commands unknown lines, and sends exactly one
 * reply summarising what was done, in the list's language (the site's at
 * the site address).  Subscription and unsubscription are confirmed by a
 * reply to L+confirm-TOKEN@D unless the list says otherwise; a
 * confirmation is the only thing ever sent to an address that did not
 * itself send the request.  Returns 0 when the outcome is recorded in the
 * database, -1 on a temporary failure (the message is processed again).
 */
#ifndef METODIST_REQUEST_H
#define METODIST_REQUEST_H

#include "core/route.h"
#include "mail/message.h"

struct site;

int	request_handle(struct site *, const struct route *,
	    const struct message *, const char *envelope_sender);

#endif
