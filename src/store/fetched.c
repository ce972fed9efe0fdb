/*
 * store/fetched: see fetched.h.
 */
#include <config.h>

#include <time.h>

#include "store/db.h"
#include "store/fetched.h"

int
fetched_state(sqlite3 *db, const char *mailbox, int64_t uidvalidity,
    const char *uid)
{
	int64_t	n;

	n = db_int(db, 0, "SELECT CASE state WHEN 'done' THEN 2 ELSE 1 END "
	    "FROM fetched WHERE mailbox = ?1 AND uidvalidity = ?2 AND "
	    "uid = ?3", "tit", mailbox, uidvalidity, uid);
	return (int)n;
}

int
fetched_duplicate(sqlite3 *db, const char *mailbox, const char *message_id,
    const char *recipients)
{
	int64_t	n;

	if (message_id == NULL || *message_id == '\0')
		return 0;
	n = db_int(db, 0, "SELECT count(*) FROM fetched WHERE mailbox = ?1 "
	    "AND message_id = ?2 AND recipients = ?3", "ttt", mailbox,
	    message_id, recipients);
	return n < 0 ? -1 : n > 0;
}

int
fetched_record(sqlite3 *db, const char *mailbox, int64_t uidvalidity,
    const char *uid, const char *message_id, const char *recipients)
{
	return db_exec(db, "INSERT OR IGNORE INTO fetched (mailbox, "
	    "uidvalidity, uid, message_id, recipients, at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6)", "tittti", mailbox, uidvalidity, uid,
	    message_id, recipients, (int64_t)time(NULL));
}

int
fetched_done(sqlite3 *db, const char *mailbox, int64_t uidvalidity,
    const char *uid)
{
	return db_exec(db, "UPDATE fetched SET state = 'done', at = ?4 "
	    "WHERE mailbox = ?1 AND uidvalidity = ?2 AND uid = ?3", "titi",
	    mailbox, uidvalidity, uid, (int64_t)time(NULL));
}

int
fetched_forget_uidvalidity(sqlite3 *db, const char *mailbox,
    int64_t uidvalidity)
{
	if (db_exec(db, "UPDATE fetched SET state = 'done' WHERE mailbox = "
	    "?1 AND uidvalidity <> ?2 AND uidvalidity <> 0 AND state = "
	    "'spooled'", "ti", mailbox, uidvalidity) == -1)
		return -1;
	return sqlite3_changes(db);
}

int
fetched_purge(sqlite3 *db, time_t before)
{
	if (db_exec(db, "DELETE FROM fetched WHERE state = 'done' AND at < "
	    "?1", "i", (int64_t)before) == -1)
		return -1;
	return sqlite3_changes(db);
}
