/*
 * store/teacher: see teacher.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/teacher.h"

static int
teacher_insert(sqlite3 *db, const struct teacher *t, time_t now)
{
	if (db_exec(db, "INSERT INTO teachers (email, full_name, school, "
	    "municipality, subject, imported, updated) "
	    "VALUES (?1,?2,?3,?4,?5,?6,?6) ON CONFLICT (email) DO NOTHING",
	    "ttttti", t->email, t->full_name, t->school, t->municipality,
	    t->subject, (int64_t)now) == -1)
		return -1;
	return sqlite3_changes(db) > 0;
}

/* Change the fields that differ; 1 when the row changed. */
static int
teacher_update(sqlite3 *db, const struct teacher *t, time_t now)
{
	if (db_exec(db, "UPDATE teachers SET full_name = ?2, "
	    "school = coalesce(?3, school), "
	    "municipality = coalesce(?4, municipality), "
	    "subject = coalesce(?5, subject), updated = ?6 "
	    "WHERE email = ?1 AND (full_name IS NOT ?2 "
	    "OR school IS NOT coalesce(?3, school) "
	    "OR municipality IS NOT coalesce(?4, municipality) "
	    "OR subject IS NOT coalesce(?5, subject))",
	    "ttttti", t->email, t->full_name, t->school, t->municipality,
	    t->subject, (int64_t)now) == -1)
		return -1;
	return sqlite3_changes(db) > 0;
}

int
teacher_upsert(sqlite3 *db, const struct teacher *t, time_t now)
{
	int	rc;

	if ((rc = teacher_insert(db, t, now)) != 0)
		return rc == 1 ? TEACHER_ADDED : -1;
	if ((rc = teacher_update(db, t, now)) == -1)
		return -1;
	return rc ? TEACHER_UPDATED : TEACHER_UNCHANGED;
}

int64_t
teacher_count(sqlite3 *db)
{
	return db_int(db, 0, "SELECT count(*) FROM teachers", "");
}

int
teacher_get(sqlite3 *db, const char *email, struct teacher *t)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(t, 0, sizeof *t);
	st = db_stmt(db, "SELECT email, full_name, school, municipality, "
	    "subject, imported, updated FROM teachers WHERE email = ?1", "t",
	    email);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t->email = db_text(st, 0);
		t->full_name = db_text(st, 1);
		t->school = db_text(st, 2);
		t->municipality = db_text(st, 3);
		t->subject = db_text(st, 4);
		t->imported = sqlite3_column_int64(st, 5);
		t->updated = sqlite3_column_int64(st, 6);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : -1;
}

void
teacher_free(struct teacher *t)
{
	free(t->email);
	free(t->full_name);
	free(t->school);
	free(t->municipality);
	free(t->subject);
	memset(t, 0, sizeof *t);
}

int
teacher_invited(sqlite3 *db, int64_t list_id, const char *email,
    time_t now)
{
	int64_t	n;

	n = db_int(db, 0, "SELECT count(*) FROM tokens WHERE kind = 'invite' "
	    "AND list_id = ?1 AND address = ?2 AND used IS NULL "
	    "AND expires > ?3", "iti", list_id, email, (int64_t)now);
	return n < 0 ? -1 : n > 0;
}
