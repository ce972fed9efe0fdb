/*
 * outq: the runner that empties the outbound queue through the egress.
 *
 * Contract: outq_run() sends each delivery that is due and records its
 * new state as soon as the transport answers for it.  Each delivery is claimed with a lease before it is
 * sent, so concurrent runners (several deliver processes, the daemon)
 * never send one twice; the leases of a runner that died are freed at
 * the next run.  Posts go out with a VERP return path
 * (L+bounces-TOKEN@D) so a bounce names its delivery; replies go out with
 * the null sender.  A temporary failure is retried with exponential
 * backoff (1 minute doubling, at most 4 hours) until the delivery is
 * older than the configured retry_days, then it fails for good and the
 * list's coordinators are told.  A transport that can take many messages
 * at once (send_many: parallel connections, batched RCPTs) gets the due
 * deliveries a chunk at a time; the recipients a relay transaction
 * accepted are recorded in the runner's sent log (store/sentlog.h) right
 * after the relay's reply, before the connection is used again, and the
 * log is applied to the deliveries table at the end of each chunk.  The
 * sent logs of a runner that died are applied before its leases are
 * freed, so a restart never sends again what a relay acknowledged and
 * was recorded.  When the database cannot take what the relay took, each
 * copy is recorded again on its own (twice at most), so that a database
 * error does not send a member a second copy.  Neither the log nor the
 * state commits (SQLite's synchronous=NORMAL, WAL) are fsync'd: they
 * survive any crash of the process; only a power cut could lose the last
 * ones, and then a copy is sent twice, never lost.  Returns the number
 * sent, or -1 on a database error.
 */
#ifndef METODIST_OUTQ_H
#define METODIST_OUTQ_H

#include <stddef.h>

struct site;

int	outq_run(struct site *, size_t max);

#endif
