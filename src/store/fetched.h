/*
 * store/fetched: what the pollers of hosted mailboxes have taken.
 *
 * Contract: a message read from a mailbox is recorded once per mailbox
 * and (UIDVALIDITY, UID) -- POP3 uses 0 and the UIDL -- right after the
 * spool has it, in state 'spooled'; it becomes 'done' once the server
 * has flagged, moved or deleted it.  A record says "never spool this
 * again": a poller that finds one only finishes the server side.  The
 * Message-ID with the list addresses catches the same message under a
 * new UID (UIDVALIDITY changed, a copy left behind by COPY without
 * EXPUNGE, POP3 servers that renumber).  Done records are purged after
 * some days; records still 'spooled' stay until their message is gone.
 */
#ifndef METODIST_STORE_FETCHED_H
#define METODIST_STORE_FETCHED_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

enum fetched_state {
	FETCHED_NONE,		/* never seen */
	FETCHED_SPOOLED,	/* in the spool; the server still has it */
	FETCHED_DONE		/* flagged/moved/deleted on the server */
};

/* The state of one message, or -1 on a database error. */
int	fetched_state(sqlite3 *, const char *mailbox, int64_t uidvalidity,
	    const char *uid);
/* 1 when a message with this Message-ID and these list addresses was
 * taken from this mailbox before, 0 if not, -1 on error. */
int	fetched_duplicate(sqlite3 *, const char *mailbox,
	    const char *message_id, const char *recipients);
int	fetched_record(sqlite3 *, const char *mailbox, int64_t uidvalidity,
	    const char *uid, const char *message_id, const char *recipients);
int	fetched_done(sqlite3 *, const char *mailbox, int64_t uidvalidity,
	    const char *uid);
/* Records of an older UIDVALIDITY still 'spooled': now 'done' (their
 * UIDs mean nothing any more).  The number changed, or -1. */
int	fetched_forget_uidvalidity(sqlite3 *, const char *mailbox,
	    int64_t uidvalidity);
/* Remove done records older than before; the number removed, or -1. */
int	fetched_purge(sqlite3 *, time_t before);

#endif
