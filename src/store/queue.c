/*
 * store/queue: see queue.h.
 */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "store/db.h"
#include "store/queue.h"
#include "util/rnd.h"
#include "util/xmalloc.h"

int64_t
queue_outbound(sqlite3 *db, const char *kind, int64_t lid, int64_t pid,
    const char *path, const char *envelope_from)
{
	if (db_exec(db, "INSERT INTO outbound (kind, list_id, post_id, path, "
	    "envelope_from, created) VALUES (?1, nullif(?2, 0), "
	    "nullif(?3, 0), ?4, ?5, ?6)", "tiitti", kind, lid, pid, path,
	    envelope_from, (int64_t)time(NULL)) == -1)
		return -1;
	return sqlite3_last_insert_rowid(db);
}

int
queue_add_recipient(sqlite3 *db, int64_t oid, const char *rcpt)
{
	char	token[17];

	rnd_hex(token, 8);
	if (db_exec(db, "INSERT INTO deliveries (outbound_id, recipient, "
	    "token, updated) VALUES (?1, ?2, ?3, ?4) ON CONFLICT "
	    "(outbound_id, recipient) DO NOTHING", "itti",
	    oid, rcpt, token, (int64_t)time(NULL)) == -1)
		return -1;
	return sqlite3_changes(db) > 0 ? 0 : 1;
}

int64_t
queue_add_members(sqlite3 *db, int64_t oid, int64_t lid)
{
	/* randomblob() draws from SQLite's generator, which the system's
	 * randomness seeds; 64 bits, as rnd_hex() gives one recipient */
	if (db_exec(db, "INSERT INTO deliveries (outbound_id, recipient, "
	    "token, updated) SELECT ?1, address, lower(hex(randomblob(8))), "
	    "?3 FROM members WHERE list_id = ?2 AND mode = 'normal' AND "
	    "disabled IS NULL ORDER BY address ON CONFLICT (outbound_id, "
	    "recipient) DO NOTHING", "iii", oid, lid, (int64_t)time(NULL)) ==
	    -1)
		return -1;
	return sqlite3_changes(db);
}

static void
queue_row(sqlite3_stmt *st, struct delivery *d)
{
	d->id = sqlite3_column_int64(st, 0);
	d->outbound_id = sqlite3_column_int64(st, 1);
	d->recipient = db_text(st, 2);
	d->token = db_text(st, 3);
	d->path = db_text(st, 4);
	d->envelope_from = db_text(st, 5);
	d->list = db_text(st, 6);
	d->attempts = sqlite3_column_int(st, 7);
	d->created = sqlite3_column_int64(st, 8);
}

int
queue_due(sqlite3 *db, time_t now, size_t max, struct delivery **out,
    size_t *n)
{
	sqlite3_stmt	*st;
	struct delivery	*v = NULL;
	size_t		 k = 0;
	int		 rc;

	st = db_stmt(db, "SELECT d.id, d.outbound_id, d.recipient, d.token, "
	    "o.path, o.envelope_from, coalesce(l.name, ''), d.attempts, "
	    "o.created FROM deliveries d JOIN outbound o ON o.id = "
	    "d.outbound_id LEFT JOIN lists l ON l.id = o.list_id "
	    "WHERE d.state = 'pending' AND d.next_attempt <= ?1 "
	    "ORDER BY d.id LIMIT ?2", "ii", (int64_t)now, (int64_t)max);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, k + 1, sizeof *v);
		queue_row(st, &v[k++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		queue_free(v, k);
		return -1;
	}
	*out = v;
	*n = k;
	return 0;
}

void
queue_free(struct delivery *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].recipient);
		free(v[i].token);
		free(v[i].path);
		free(v[i].envelope_from);
		free(v[i].list);
	}
	free(v);
}

int
queue_claim(sqlite3 *db, int64_t id, time_t now, time_t lease)
{
	if (db_exec(db, "UPDATE deliveries SET next_attempt = ?2, claimed_by = "
	    "?4 WHERE id = ?1 AND state = 'pending' AND next_attempt <= ?3",
	    "iiii", id, (int64_t)(now + lease), (int64_t)now,
	    (int64_t)getpid()) == -1)
		return -1;
	return sqlite3_changes(db) > 0;
}

static int
queue_pid_alive(int64_t pid)
{
	if (pid <= 0 || pid > INT32_MAX)
		return 0;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

int
queue_release_orphans(sqlite3 *db, time_t now)
{
	sqlite3_stmt	*st;
	int64_t		 pid;
	int		 rc, freed = 0;

	st = db_stmt(db, "SELECT DISTINCT claimed_by FROM deliveries WHERE "
	    "state = 'pending' AND claimed_by IS NOT NULL AND next_attempt > "
	    "?1", "i", (int64_t)now);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		pid = sqlite3_column_int64(st, 0);
		if (pid == (int64_t)getpid() || queue_pid_alive(pid))
			continue;
		if (db_exec(db, "UPDATE deliveries SET next_attempt = ?2, "
		    "claimed_by = NULL WHERE state = 'pending' AND claimed_by = "
		    "?1", "ii", pid, (int64_t)now) == -1)
			break;
		freed += sqlite3_changes(db);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? freed : -1;
}

int
queue_mark_sent(sqlite3 *db, int64_t id)
{
	return db_exec(db, "UPDATE deliveries SET state = 'sent', attempts = "
	    "attempts + 1, last_error = NULL, updated = ?2 WHERE id = ?1 AND "
	    "state = 'pending'", "ii", id, (int64_t)time(NULL));
}

static int
queue_id_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every id from first to last was accepted: one statement for the run. */
static int
queue_mark_sent_run(sqlite3 *db, int64_t first, int64_t last)
{
	if (first == last)
		return queue_mark_sent(db, first);
	return db_exec(db, "UPDATE deliveries SET state = 'sent', attempts = "
	    "attempts + 1, last_error = NULL, updated = ?3 WHERE id BETWEEN "
	    "?1 AND ?2 AND state = 'pending'", "iii", first, last,
	    (int64_t)time(NULL));
}

/* The ids sorted, marked a run of consecutive ids at a time (a post's
 * deliveries are numbered in a row, so a chunk is mostly one run). */
static int
queue_mark_sent_sorted(sqlite3 *db, const int64_t *v, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[j] <= v[j - 1] + 1; j++)
			;
		if (queue_mark_sent_run(db, v[i], v[j - 1]) == -1)
			return -1;
	}
	return 0;
}

int
queue_mark_sent_many(sqlite3 *db, const int64_t *ids, size_t n)
{
	int64_t	*v;
	int	 rc;

	if (n == 0)
		return 0;
	v = xreallocarray(NULL, n, sizeof *v);
	memcpy(v, ids, n * sizeof *v);
	qsort(v, n, sizeof *v, queue_id_cmp);
	if ((rc = db_begin(db)) == 0 &&
	    (rc = queue_mark_sent_sorted(db, v, n)) == 0)
		rc = db_commit(db);
	if (rc == -1)
		db_rollback(db);
	free(v);
	return rc;
}

int
queue_mark_deferred(sqlite3 *db, int64_t id, time_t next, const char *err)
{
	return db_exec(db, "UPDATE deliveries SET attempts = attempts + 1, "
	    "next_attempt = ?2, last_error = ?3, updated = ?4 WHERE id = ?1 "
	    "AND state = 'pending'", "iiti", id, (int64_t)next, err,
	    (int64_t)time(NULL));
}

int
queue_mark_failed(sqlite3 *db, int64_t id, const char *err)
{
	return db_exec(db, "UPDATE deliveries SET state = 'failed', attempts "
	    "= attempts + 1, last_error = ?2, updated = ?3 WHERE id = ?1 AND "
	    "state = 'pending'", "iti", id, err, (int64_t)time(NULL));
}

int64_t
queue_pending(sqlite3 *db)
{
	return db_int(db, 0, "SELECT count(*) FROM deliveries WHERE state = "
	    "'pending'", "");
}
