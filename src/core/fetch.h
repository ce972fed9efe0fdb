/*
 * fetch: what happens to one message read from a hosted mailbox.
 *
 * The pollers (io/mailbox-*.c) speak IMAP or POP3; this module decides.
 * The order of events for each message is the durability argument:
 *
 *   1. fetch_state(): a message recorded before is not downloaded again;
 *      the poller only finishes it on the server (or, when it is done
 *      already and still there -- set aside where processed messages
 *      are deleted, or put back by a person -- leaves it alone).
 *   2. fetch_take(): the bytes go into the spool, one entry per list
 *      address, under ids made of mailbox, UIDVALIDITY and UID, with
 *      write, fsync and rename (spool_enter_as); then the message is
 *      recorded in the database.
 *   3. the poller flags and moves (or deletes, or DELEs) it on the
 *      server, then fetch_finished() marks the record done.
 *
 * A crash before 2 completes leaves the message on the server, unrecorded:
 * it is taken again, and lands on the same spool ids, which the spool
 * processor recognises when they were processed already (the processed
 * table is keyed by spool id).  A crash after 2 leaves it recorded: it is
 * only finished.  A new UIDVALIDITY, a copy left behind by COPY without
 * EXPUNGE, or a POP3 server that renumbers are caught by Message-ID and
 * list addresses.  So no message is lost and none is processed twice.
 *
 * The fault-injection point METODIST_FAULT=after-spool (or after-record)
 * kills the process right after step 2's spool write (or its record), to
 * let the tests prove the above with a real kill; like every fault point
 * (util/fault.h) it exists only in builds with --enable-fault-injection.
 */
#ifndef METODIST_FETCH_H
#define METODIST_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct config;
struct mailbox_config;

struct fetch_ctx {
	const struct config		*cfg;
	const struct mailbox_config	*mb;
	sqlite3				*db;
};

enum fetch_result {
	FETCH_SPOOLED,		/* in the spool now; finish it on the server */
	FETCH_SET_ASIDE,	/* no list address, too large, over a bound
				 * of [limits], or a duplicate:
				 * nothing to process; finish it on the server */
	FETCH_TEMP		/* spool or database trouble; leave it */
};

/* FETCHED_NONE, _SPOOLED (finish it), _DONE (leave it alone), or -1. */
int			fetch_state(struct fetch_ctx *, int64_t uidvalidity,
			    const char *uid);
enum fetch_result	fetch_take(struct fetch_ctx *, int64_t uidvalidity,
			    const char *uid, const char *data, size_t len);
/* A message too large to download: recorded, so it is only moved. */
enum fetch_result	fetch_too_large(struct fetch_ctx *,
			    int64_t uidvalidity, const char *uid,
			    uint64_t size);
int			fetch_finished(struct fetch_ctx *, int64_t uidvalidity,
			    const char *uid);

#endif
