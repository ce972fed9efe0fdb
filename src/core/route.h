/*
 * route: which list and which action an envelope recipient means.
 *
 * Contract: route_address() accepts only addresses of the site's domain
 * (compared case-blind, IDN in ASCII form) and maps the local part by the
 * scheme of DESIGN.md: L, L-request, L-owner, L+ACTION and L+ACTION-TOKEN
 * (delimiter configurable), and the site address.  A token is kept only
 * when it is 1 to 64 characters of [A-Za-z0-9_-].  Anything else is
 * ROUTE_NONE with the reason in the result; nothing is guessed.
 */
#ifndef METODIST_ROUTE_H
#define METODIST_ROUTE_H

#include "core/config.h"

enum route_action {
	ROUTE_NONE,		/* not an address of this gateway */
	ROUTE_POST,		/* L */
	ROUTE_REQUEST,		/* L-request */
	ROUTE_OWNER,		/* L-owner */
	ROUTE_SUBSCRIBE,	/* L+subscribe */
	ROUTE_UNSUBSCRIBE,	/* L+unsubscribe */
	ROUTE_HELP,		/* L+help */
	ROUTE_DIGEST,		/* L+digest */
	ROUTE_CONFIRM,		/* L+confirm-TOKEN */
	ROUTE_MOD,		/* L+mod-TOKEN */
	ROUTE_SUBMIT,		/* L+submit */
	ROUTE_REVIEW,		/* L+review-TOKEN */
	ROUTE_EVENT,		/* L+event */
	ROUTE_BOUNCES,		/* L+bounces[-TOKEN] */
	ROUTE_SITE		/* the site command address */
};

#define ROUTE_TOKEN_MAX	64

struct route {
	enum route_action	 action;
	const struct list_config *list;		/* NULL for ROUTE_SITE */
	char			 token[ROUTE_TOKEN_MAX + 1];
	const char		*reason;	/* why ROUTE_NONE */
};

int		 route_address(const struct config *, const char *rcpt,
		    struct route *);
const char	*route_action_name(enum route_action);

#endif
