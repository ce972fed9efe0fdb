/*
 * reply: the gateway's answers to people, from templates.
 *
 * Contract: reply_send() renders templates/LANG/NAME.txt in the list's
 * language (the site's when there is no list), makes an RFC 3834
 * auto-reply of it (Auto-Submitted: auto-replied, In-Reply-To the
 * original, X-Loop, the null envelope sender so it can never bounce back
 * into the gateway) and queues it for the one recipient.  At most the
 * site's replies_per_day go to one address per day; beyond that the reply
 * is not sent and a log line says so.  The caller gives the recipient:
 * the envelope sender of the message being answered, never an address
 * taken from its headers.  With reply_to set, a plain Reply reaches that
 * address (a confirmation or moderation address carrying a token); with
 * attach set, the letter is multipart/mixed with that message attached
 * unchanged as message/rfc822.
 */
#ifndef METODIST_REPLY_H
#define METODIST_REPLY_H

#include <stddef.h>

#include "core/config.h"
#include "mail/message.h"
#include "render/template.h"

struct site;

struct reply {
	const char			*template;
	const struct list_config	*list;	/* or NULL */
	const char			*to;
	const struct message		*orig;	/* or NULL */
	const struct template_var	*vars;	/* extra values */
	size_t				 nvars;
	const char			*reply_to;	/* Reply-To, or NULL */
	const struct message		*attach;	/* sent along as
							 * message/rfc822, or NULL */
};

/* 0 queued, 1 suppressed by the rate limit, -1 error. */
int	reply_send(struct site *, const struct reply *);
/* Like reply_send to several addresses (coordinators); no rate limit. */
int	reply_notify(struct site *, const struct reply *, char *const *to,
	    size_t nto);

#endif
