/*
 * outq: the runner that empties the outbound queue through the egress.
 *
 * Contract: outq_run() sends each delivery that is due, one recipient at
 * a time, and commits that recipient's new state right after the
 * transport answers.  Each delivery is claimed with a lease before it is
 * sent, so concurrent runners (several deliver processes, the daemon)
 * never send one twice.  Posts go out with a VERP return path
 * (L+bounces-TOKEN@D) so a bounce names its delivery; replies go out with
 * the null sender.  A temporary failure is retried with exponential
 * backoff (1 minute doubling, at most 4 hours) until the delivery is
 * older than OUTQ_LIFETIME, then it fails for good.  Returns the number
 * sent, or -1 on a database error.
 */
#ifndef METODIST_OUTQ_H
#define METODIST_OUTQ_H

#include <stddef.h>

#define OUTQ_LIFETIME	(5 * 24 * 3600)

struct site;

int	outq_run(struct site *, size_t max);

#endif
