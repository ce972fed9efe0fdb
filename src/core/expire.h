/*
 * expire: the gateway's periodic clean-up.
 *
 * Contract: expire_run() is safe to call often (it does nothing when
 * nothing is due): held posts older than the site's held_expire_days are
 * expired with a notice to their author; used and expired tokens are
 * purged after a grace period; reviewers who have not answered are
 * reminded and, later, replaced (core/review); rate counters older than
 * a week are dropped; bounce scores decay.  Returns the number of things
 * it changed, or -1 on a database error.
 */
#ifndef METODIST_EXPIRE_H
#define METODIST_EXPIRE_H

struct site;

int	expire_run(struct site *);

#endif
