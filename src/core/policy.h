/*
 * policy: may this author post to this list, and how?
 *
 * Contract: policy_decide() is pure: given the list's policy, whether the
 * author is a member or a coordinator, and whether the message passed the
 * local MTA's authentication when the list requires it, it returns what
 * to do.  Coordinators may always post; announce lists take no one else;
 * members lists take members; moderated lists hold members' posts and
 * refuse others; open lists take anyone.  The size check comes first.
 */
#ifndef METODIST_POLICY_H
#define METODIST_POLICY_H

#include <stdint.h>

#include "core/config.h"
#include "mail/message.h"

enum policy_verdict {
	VERDICT_ACCEPT,
	VERDICT_HOLD,
	VERDICT_REFUSE_NONMEMBER,
	VERDICT_REFUSE_ANNOUNCE,
	VERDICT_REFUSE_SIZE,
	VERDICT_REFUSE_UNAUTHENTICATED
};

struct policy_input {
	enum list_policy policy;
	int		 is_member;
	int		 is_coordinator;
	int		 require_auth;
	int		 authenticated;	/* Authentication-Results pass */
	uint64_t	 size;
	uint64_t	 max_size;
};

enum policy_verdict	 policy_decide(const struct policy_input *);
const char		*policy_verdict_name(enum policy_verdict);
/* 1 when an Authentication-Results field of the local MTA says pass. */
int			 policy_authenticated(const struct message *,
			    const char *authserv_id);

#endif
