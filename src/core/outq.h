/*
 * outq: the runner that empties the outbound queue through the egress.
 *
 * Contract: outq_run() sends each delivery that is due, one recipient at
 * a time, and commits that recipient's new state right after the
 * transport answers.  Each delivery is claimed with a lease before it is
 * sent, so concurrent runners (several deliver processes, the daemon)
 * never send one twice; the leases of a runner that died are freed at
 * the next run.  Posts go out with a VERP return path
 * (L+bounces-TOKEN@D) so a bounce names its delivery; replies go out with
 * the null sender.  A temporary failure is retried with exponential
 * backoff (1 minute doubling, at most 4 hours) until the delivery is
 * older than the configured retry_days, then it fails for good and the
 * list's coordinators are told.  A transport that can take many messages
 * at once (send_many: parallel connections, batched RCPTs) gets the whole
 * due batch; each recipient's state is still committed as soon as the
 * relay answers for it; when that commit or statement fails, what the
 * relay took is recorded again one by one (twice at most), so that a
 * database error does not send a member a second copy.  Delivery-state
 * commits run with SQLite's
 * synchronous=NORMAL: in WAL mode they survive any crash of the process;
 * only a power cut could lose the last ones, and then a copy is sent
 * twice, never lost.  Returns the number sent, or -1 on a database error.
 */
#ifndef METODIST_OUTQ_H
#define METODIST_OUTQ_H

#include <stddef.h>

struct site;

int	outq_run(struct site *, size_t max);

#endif
