/*
 * sentlog: the relay's acknowledgements, recorded as they arrive.
 *
 * Contract: a queue runner opens its own log (DIR/sent.PID, created, and
 * locked with flock(2) for as long as it is open).  sentlog_add() records
 * the ids of deliveries the relay has accepted with a single write(2),
 * so the record survives any death of the process (the data is in the
 * kernel once write returns); it costs one system call, where a database
 * commit per relay transaction costs a dozen.  sentlog_apply() marks every
 * recorded delivery sent in the deliveries table in one transaction and
 * empties the log; applying twice is harmless (only pending deliveries
 * change).  sentlog_close() removes an empty log; a log that could not be
 * applied stays for recovery.  sentlog_recover() applies and removes the
 * logs of runners that died, which must happen before their leases are
 * freed (queue_release_orphans), or their acknowledged deliveries would
 * go out again.  A log whose owner still holds its lock is left alone.
 * Like the WAL commits it replaces, a log is not fsync'd: after a power
 * cut the last acknowledgements may be lost and those copies sent twice,
 * never lost.
 */
#ifndef METODIST_SENTLOG_H
#define METODIST_SENTLOG_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct sentlog;

struct sentlog	*sentlog_open(const char *dir);
int		 sentlog_add(struct sentlog *, const int64_t *ids, size_t n);
/* Recorded and not yet applied. */
size_t		 sentlog_pending(const struct sentlog *);
int		 sentlog_apply(struct sentlog *, sqlite3 *);
void		 sentlog_close(struct sentlog *);
/* The number of deliveries marked sent from dead runners' logs; -1. */
int		 sentlog_recover(const char *dir, sqlite3 *);

#endif
