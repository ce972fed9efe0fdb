/*
 * fault: test-only fault injection at the points where the gateway makes
 * something durable.
 *
 * Contract: in a build configured with --enable-fault-injection,
 * fault_init() reads METODIST_FAULT="KIND:N" and makes the Nth operation
 * of that kind in this process fail, once: fault_fail(KIND) returns 1 for
 * it (the caller then fails as the real call would, errno set by
 * fault_fail), and 0 for every other call.  The kinds are the file
 * writes, fsyncs and renames of util/atomicfile and io/spool, every
 * allocation through util/xmalloc, and, inside SQLite, the Nth file write
 * or sync of the database (dbio), the Nth statement run (dbstep, which is
 * interrupted) and the Nth allocation (dballoc).  fault_point(NAME) is
 * 1 when METODIST_FAULT is exactly NAME: a named place where a test wants
 * the process to die (the mailbox poller's "after-spool", say).  METODIST_FAULT_COUNT=FILE
 * appends "KIND COUNT" lines for every kind to FILE when the process
 * exits, so a test can walk N over a whole path.
 *
 * METODIST_FAULT_FROM=POINT makes counting (and so the fault) start
 * only when the process first reaches fault_start(POINT): the daemon
 * calls fault_start("session") when it accepts its first client, so N
 * counts the operations of one delivery, not those of start-up.
 *
 * In other builds fault_fail() is the constant 0 and fault_init(),
 * fault_db() and fault_start() do nothing: release code carries no trace
 * of this.
 */
#ifndef METODIST_FAULT_H
#define METODIST_FAULT_H

#include <sqlite3.h>

enum fault_kind {
	FAULT_WRITE,
	FAULT_FSYNC,
	FAULT_RENAME,
	FAULT_ALLOC,
	FAULT_DBIO,
	FAULT_DBSTEP,
	FAULT_DBALLOC,
	FAULT_NKINDS
};

#ifdef METODIST_FAULTS
void	fault_init(void);
void	fault_db(sqlite3 *);
int	fault_fail(enum fault_kind);
int	fault_point(const char *name);
void	fault_start(const char *point);
#else
#define fault_init()		((void)0)
#define fault_db(db)		((void)(db))
#define fault_fail(kind)	0
#define fault_point(name)	0
#define fault_start(point)	((void)0)
#endif

#endif
