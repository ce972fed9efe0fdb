/*
 * review: reviewers' work on submissions — assignment, the letter that
 * carries a submission to a reviewer, the decision by reply, reminders
 * and reassignment, and publication of an approved submission.
 *
 * Contract: reviewers are taken round-robin in the order the list names
 * them, after the one assigned last on that list, skipping the author
 * and anyone already on this version (review_next_reviewer, pure).  Each
 * assignment has its own token; its letter has Reply-To L+review-TOKEN@D,
 * the submission's description, author (with school and municipality
 * when the registry knows them) and files — attached, or listed with
 * their sizes when together they exceed the list's submit_attach_max.
 *
 * review_reply() accepts a decision only from the assigned reviewer (the
 * envelope sender and From both), only while the assignment is open and
 * the submission under review; anyone or anything else gets an answer and
 * nothing changes.  Revise and reject decide at once; approve decides when
 * the list's review_decisions approvals are in (or, when the author is
 * one of few reviewers, as many as there are other reviewers).  The
 * author is told the decision and the comment (the reviewer is not
 * named).  An approved submission is posted to the list through the
 * normal post path (archived, numbered, one copy per member), its level
 * recorded as municipal and submissions.post_id set; a publication cut
 * short (a crash after the decision's commit) is completed by the next
 * decision attempt or by review_run().
 *
 * review_run(now) reminds each open assignment once after the list's
 * review_remind_days and hands it to the next reviewer after
 * review_reassign_days (kept when there is no one else).  The clock is
 * the caller's, so that tests need not wait.
 */
#ifndef METODIST_REVIEW_H
#define METODIST_REVIEW_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/config.h"
#include "core/route.h"
#include "mail/message.h"
#include "store/submission.h"

struct site;

enum review_decision {
	REVIEW_NONE,
	REVIEW_APPROVE,
	REVIEW_REVISE,
	REVIEW_REJECT
};

/*
 * The decision in a reply: the first line of the reply's own text (not
 * quoted with ">" or "|", not a reply header such as "... написал:" or
 * "From: ...", not a greeting; lines told apart by mail/replyscan, and
 * the signature or "-----Original Message-----" ends the search) must
 * begin with
 * одобрено/одобрить/approve(d), на доработку/доработать/revise/revision,
 * or отклонено/отклонить/reject(ed); else the Subject (Re: stripped) is
 * tried.  *comment (owned by the caller, "" when none, never NULL when a
 * decision was found) is the rest of that line and the reviewer's own
 * lines after it, quoted lines and quoted letters left out, up to the
 * signature.
 */
enum review_decision review_decision_parse(const char *text,
	    const char *subject, char **comment);
const char	*review_decision_name(enum review_decision);

/* The reviewer after `last` (may be "" or NULL) in the list's order who
 * is not the author and not in exclude; NULL when there is none. */
const char	*review_next_reviewer(const struct config *,
		    const struct list_config *, const char *last,
		    const char *author, char *const *exclude, size_t nexclude);

/* Assign up to `count` reviewers to the submission's current version and
 * queue their letters, inside the caller's transaction.  exclude: who
 * must not get it.  Number assigned, or -1. */
int	review_assign_reviewers(struct site *, const struct list_config *,
	    const struct submission *, int count, char *const *exclude,
	    size_t nexclude, time_t now);
/* Assign the named reviewer (a revision goes back to the same one). */
int	review_assign_to(struct site *, const struct list_config *,
	    const struct submission *, const char *reviewer, time_t now);

int	review_reply(struct site *, const struct route *,
	    const struct message *, const char *envelope_sender);
/* Things done, or -1 on a database error. */
int	review_run(struct site *, time_t now);
/* Announce an approved submission to its list if not yet done: 0, -1. */
int	review_publish(struct site *, const struct list_config *,
	    int64_t submission_id);

#endif
