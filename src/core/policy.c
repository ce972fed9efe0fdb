/*
 * policy: see policy.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/policy.h"
#include "mail/header.h"

enum policy_verdict
policy_decide(const struct policy_input *in)
{
	if (in->max_size > 0 && in->size > in->max_size)
		return VERDICT_REFUSE_SIZE;
	if (in->is_coordinator) {
		if (in->policy == POLICY_ANNOUNCE && in->require_auth &&
		    !in->authenticated)
			return VERDICT_REFUSE_UNAUTHENTICATED;
		return VERDICT_ACCEPT;
	}
	switch (in->policy) {
	case POLICY_OPEN:
		return VERDICT_ACCEPT;
	case POLICY_MEMBERS:
		return in->is_member ? VERDICT_ACCEPT :
		    VERDICT_REFUSE_NONMEMBER;
	case POLICY_MODERATED:
		return in->is_member ? VERDICT_HOLD :
		    VERDICT_REFUSE_NONMEMBER;
	case POLICY_ANNOUNCE:
		return VERDICT_REFUSE_ANNOUNCE;
	}
	return VERDICT_REFUSE_NONMEMBER;
}

const char *
policy_verdict_name(enum policy_verdict v)
{
	switch (v) {
	case VERDICT_ACCEPT:			return "accept";
	case VERDICT_HOLD:			return "hold";
	case VERDICT_REFUSE_NONMEMBER:		return "refuse-nonmember";
	case VERDICT_REFUSE_ANNOUNCE:		return "refuse-announce";
	case VERDICT_REFUSE_SIZE:		return "refuse-size";
	case VERDICT_REFUSE_UNAUTHENTICATED:	return "refuse-unauthenticated";
	}
	return "?";
}

/*
 * Authentication-Results: authserv-id; method=result ...  Only fields
 * whose authserv-id is the local MTA's count (others may be forged by the
 * sender); dkim, spf or dmarc "pass" is enough.
 */
static int
policy_ar_pass(const char *v, const char *authserv_id)
{
	size_t	idlen = strlen(authserv_id);

	while (*v == ' ' || *v == '\t')
		v++;
	if (strncasecmp(v, authserv_id, idlen) != 0 ||
	    (v[idlen] != ';' && v[idlen] != ' '))
		return 0;
	return strcasestr(v, "dmarc=pass") != NULL ||
	    strcasestr(v, "dkim=pass") != NULL ||
	    strcasestr(v, "spf=pass") != NULL;
}

int
policy_authenticated(const struct message *m, const char *authserv_id)
{
	struct header_list	 hl;
	long			 i;
	size_t			 from = 0;
	char			*v;
	int			 pass = 0;

	header_split(m->raw, m->raw_len, &hl);
	while (!pass && (i = header_find(&hl, "Authentication-Results",
	    from)) >= 0) {
		v = header_value(&hl, (size_t)i);
		pass = policy_ar_pass(v, authserv_id);
		free(v);
		from = (size_t)i + 1;
	}
	header_list_free(&hl);
	return pass;
}
