/*
 * store/submission: see submission.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/submission.h"
#include "util/xmalloc.h"

#define SUBMISSION_DUE_MAX	1000	/* ids per call; the rest wait */

#define SUBMISSION_COLUMNS "s.id, s.list_id, l.name, s.code, s.title, " \
	"s.description, s.author, coalesce(s.author_name, ''), s.version, " \
	"s.state, s.level, s.created, coalesce(s.decided, 0), " \
	"coalesce(s.post_id, 0)"
#define SUBMISSION_FROM " FROM submissions s JOIN lists l ON l.id = s.list_id"

#define REVIEW_COLUMNS "id, submission_id, version, reviewer, token, " \
	"state, coalesce(decision, ''), coalesce(comment, ''), assigned, " \
	"coalesce(reminded, 0), coalesce(decided, 0)"

int
submission_code_format(int year, int64_t seq, char *out, size_t sz)
{
	int	n = snprintf(out, sz, "\xd0\x9c-%04d-%04lld", year,
		    (long long)seq);

	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

/* Length of an "М"/"M" (either case) at p, or 0. */
static size_t
submission_code_letter(const unsigned char *p)
{
	if (*p == 'M' || *p == 'm')
		return 1;
	if (p[0] == 0xd0 && (p[1] == 0x9c || p[1] == 0xbc))
		return 2;
	return 0;
}

static size_t
submission_digits(const unsigned char *p, size_t max)
{
	size_t	n = 0;

	while (n <= max && p[n] >= '0' && p[n] <= '9')
		n++;
	return n;
}

int
submission_code_find(const char *text, int *year, int64_t *seq)
{
	const unsigned char	*p = (const unsigned char *)text, *q;
	size_t			 k, nd;

	for (; *p != '\0'; p++) {
		if ((k = submission_code_letter(p)) == 0 || p[k] != '-')
			continue;
		q = p + k + 1;
		if (submission_digits(q, 4) != 4 || q[4] != '-')
			continue;
		nd = submission_digits(q + 5, 6);
		if (nd == 0 || nd > 6)
			continue;
		*year = (int)strtol((const char *)q, NULL, 10);
		*seq = (int64_t)strtoll((const char *)q + 5, NULL, 10);
		return 1;
	}
	return 0;
}

int64_t
submission_create(sqlite3 *db, const struct submission_new *n,
    char out[SUBMISSION_CODE_MAX])
{
	struct tm	tm;
	int64_t		seq;
	int		year;

	localtime_r(&n->now, &tm);
	year = tm.tm_year + 1900;
	if ((seq = db_int(db, 0, "SELECT coalesce(max(seq), 0) + 1 FROM "
	    "submissions WHERE year = ?1", "i", (int64_t)year)) == -1)
		return -1;
	if (submission_code_format(year, seq, out, SUBMISSION_CODE_MAX) == -1)
		return -1;
	if (db_exec(db, "INSERT INTO submissions (list_id, year, seq, code, "
	    "title, description, author, author_name, message_id, created, "
	    "updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
	    "iiitttttti", n->list_id, (int64_t)year, seq, out, n->title,
	    n->description, n->author, n->author_name, n->message_id,
	    (int64_t)n->now) == -1)
		return -1;
	return sqlite3_last_insert_rowid(db);
}

int
submission_file_add(sqlite3 *db, int64_t id, int64_t version,
    const struct submission_file *f)
{
	return db_exec(db, "INSERT INTO submission_files (submission_id, "
	    "version, name, path, type, size, sha256) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6, ?7)", "iitttit", id, version, f->name, f->path, f->type,
	    f->size, f->sha256);
}

static void
submission_row(sqlite3_stmt *st, struct submission *s)
{
	s->id = sqlite3_column_int64(st, 0);
	s->list_id = sqlite3_column_int64(st, 1);
	s->list = db_text(st, 2);
	s->code = db_text(st, 3);
	s->title = db_text(st, 4);
	s->description = db_text(st, 5);
	s->author = db_text(st, 6);
	s->author_name = db_text(st, 7);
	s->version = sqlite3_column_int64(st, 8);
	s->state = db_text(st, 9);
	s->level = db_text(st, 10);
	s->created = sqlite3_column_int64(st, 11);
	s->decided = sqlite3_column_int64(st, 12);
	s->post_id = sqlite3_column_int64(st, 13);
}

/* One row of a prepared query into s: 0, 1 none, -1. */
static int
submission_one(sqlite3_stmt *st, struct submission *s)
{
	int	rc;

	memset(s, 0, sizeof *s);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		submission_row(st, s);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int
submission_get(sqlite3 *db, int64_t id, struct submission *s)
{
	return submission_one(db_stmt(db, "SELECT " SUBMISSION_COLUMNS
	    SUBMISSION_FROM " WHERE s.id = ?1", "i", id), s);
}

int
submission_by_number(sqlite3 *db, int year, int64_t seq,
    struct submission *s)
{
	return submission_one(db_stmt(db, "SELECT " SUBMISSION_COLUMNS
	    SUBMISSION_FROM " WHERE s.year = ?1 AND s.seq = ?2", "ii",
	    (int64_t)year, seq), s);
}

int
submission_by_message(sqlite3 *db, const char *author, const char *mid,
    struct submission *s)
{
	return submission_one(db_stmt(db, "SELECT " SUBMISSION_COLUMNS
	    SUBMISSION_FROM " WHERE s.author = ?1 AND s.message_id = ?2",
	    "tt", author, mid), s);
}

void
submission_free(struct submission *s)
{
	free(s->list);
	free(s->code);
	free(s->title);
	free(s->description);
	free(s->author);
	free(s->author_name);
	free(s->state);
	free(s->level);
	memset(s, 0, sizeof *s);
}

int
submission_set_state(sqlite3 *db, int64_t id, const char *state, time_t now)
{
	int	final = strcmp(state, "approved") == 0 ||
		    strcmp(state, "rejected") == 0;

	return db_exec(db, "UPDATE submissions SET state = ?2, updated = ?3, "
	    "decided = CASE WHEN ?4 THEN ?3 ELSE decided END WHERE id = ?1",
	    "itii", id, state, (int64_t)now, (int64_t)final);
}

int
submission_set_version(sqlite3 *db, int64_t id, int64_t version, time_t now)
{
	return db_exec(db, "UPDATE submissions SET version = ?2, state = "
	    "'review', updated = ?3 WHERE id = ?1", "iii", id, version,
	    (int64_t)now);
}

int
submission_set_post(sqlite3 *db, int64_t id, int64_t post_id)
{
	return db_exec(db, "UPDATE submissions SET post_id = ?2 WHERE id = ?1",
	    "ii", id, post_id);
}

int
submission_level_record(sqlite3 *db, int64_t id, const char *level,
    const char *who, time_t now)
{
	if (db_exec(db, "UPDATE submissions SET level = ?2, updated = ?3 "
	    "WHERE id = ?1", "iti", id, level, (int64_t)now) == -1)
		return -1;
	return db_exec(db, "INSERT INTO submission_levels (submission_id, "
	    "level, recorded_by, at) VALUES (?1, ?2, ?3, ?4)", "itti", id,
	    level, who, (int64_t)now);
}

int
submission_files(sqlite3 *db, int64_t id, int64_t version,
    struct submission_file **out, size_t *n)
{
	sqlite3_stmt		*st;
	struct submission_file	*v = NULL, *f;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((st = db_stmt(db, "SELECT version, name, path, type, size, sha256 "
	    "FROM submission_files WHERE submission_id = ?1 AND version = ?2 "
	    "ORDER BY id", "ii", id, version)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, *n + 1, sizeof *v);
		f = &v[(*n)++];
		f->version = sqlite3_column_int64(st, 0);
		f->name = db_text(st, 1);
		f->path = db_text(st, 2);
		f->type = db_text(st, 3);
		f->size = sqlite3_column_int64(st, 4);
		f->sha256 = db_text(st, 5);
	}
	sqlite3_finalize(st);
	*out = v;
	if (rc != SQLITE_DONE) {
		submission_files_free(v, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
submission_files_free(struct submission_file *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].path);
		free(v[i].type);
		free(v[i].sha256);
	}
	free(v);
}

int
submission_foreach(sqlite3 *db, int64_t list_id, const char *state,
    const char *author, int (*cb)(void *, const struct submission *),
    void *arg)
{
	sqlite3_stmt		*st;
	struct submission	 s;
	int			 rc, stop = 0;

	if ((st = db_stmt(db, "SELECT " SUBMISSION_COLUMNS SUBMISSION_FROM
	    " WHERE (?1 = 0 OR s.list_id = ?1) AND (?2 IS NULL OR s.state = ?2)"
	    " AND (?3 IS NULL OR s.author = ?3) ORDER BY s.id DESC", "itt",
	    list_id, state, author)) == NULL)
		return -1;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		submission_row(st, &s);
		stop = cb(arg, &s);
		submission_free(&s);
	}
	sqlite3_finalize(st);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}

int
submission_unpublished(sqlite3 *db, int64_t **ids, size_t *n)
{
	sqlite3_stmt	*st;
	int		 rc;

	*ids = NULL;
	*n = 0;
	if ((st = db_stmt(db, "SELECT id FROM submissions WHERE state = "
	    "'approved' AND post_id IS NULL ORDER BY id LIMIT ?1", "i",
	    (int64_t)SUBMISSION_DUE_MAX)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
submission_count_levels(sqlite3 *db,
    int (*cb)(void *, const char *, const char *, int64_t), void *arg)
{
	sqlite3_stmt	*st;
	int		 rc, stop = 0;

	if ((st = db_stmt(db, "SELECT l.name, s.level, count(*)"
	    SUBMISSION_FROM " WHERE s.state = 'approved' GROUP BY l.name, "
	    "s.level ORDER BY l.name, s.level", "")) == NULL)
		return -1;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
		stop = cb(arg, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    sqlite3_column_int64(st, 2));
	sqlite3_finalize(st);
	return stop || rc == SQLITE_DONE ? 0 : -1;
}

int64_t
review_assign(sqlite3 *db, int64_t sid, int64_t version, const char *reviewer,
    const char *token, time_t now)
{
	if (db_exec(db, "INSERT INTO review_assignments (submission_id, "
	    "version, reviewer, token, assigned) VALUES (?1, ?2, ?3, ?4, ?5)",
	    "iitti", sid, version, reviewer, token, (int64_t)now) == -1)
		return -1;
	return sqlite3_last_insert_rowid(db);
}

static void
review_row(sqlite3_stmt *st, struct review_assignment *a)
{
	a->id = sqlite3_column_int64(st, 0);
	a->submission_id = sqlite3_column_int64(st, 1);
	a->version = sqlite3_column_int64(st, 2);
	a->reviewer = db_text(st, 3);
	a->token = db_text(st, 4);
	a->state = db_text(st, 5);
	a->decision = db_text(st, 6);
	a->comment = db_text(st, 7);
	a->assigned = sqlite3_column_int64(st, 8);
	a->reminded = sqlite3_column_int64(st, 9);
	a->decided = sqlite3_column_int64(st, 10);
}

static int
review_one(sqlite3_stmt *st, struct review_assignment *a)
{
	int	rc;

	memset(a, 0, sizeof *a);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		review_row(st, a);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int
review_by_token(sqlite3 *db, const char *token, struct review_assignment *a)
{
	return review_one(db_stmt(db, "SELECT " REVIEW_COLUMNS " FROM "
	    "review_assignments WHERE token = ?1", "t", token), a);
}

int
review_get(sqlite3 *db, int64_t id, struct review_assignment *a)
{
	return review_one(db_stmt(db, "SELECT " REVIEW_COLUMNS " FROM "
	    "review_assignments WHERE id = ?1", "i", id), a);
}

void
review_assignment_free(struct review_assignment *a)
{
	free(a->reviewer);
	free(a->token);
	free(a->state);
	free(a->decision);
	free(a->comment);
	memset(a, 0, sizeof *a);
}

int
review_decide(sqlite3 *db, int64_t id, const char *decision,
    const char *comment, time_t now)
{
	if (db_exec(db, "UPDATE review_assignments SET state = 'decided', "
	    "decision = ?2, comment = ?3, decided = ?4 WHERE id = ?1 AND "
	    "state = 'open'", "itti", id, decision, comment, (int64_t)now) ==
	    -1)
		return -1;
	return sqlite3_changes(db) == 1 ? 0 : 1;
}

int
review_mark_reminded(sqlite3 *db, int64_t id, time_t now)
{
	return db_exec(db, "UPDATE review_assignments SET reminded = ?2 WHERE "
	    "id = ?1", "ii", id, (int64_t)now);
}

int
review_mark_reassigned(sqlite3 *db, int64_t id)
{
	if (db_exec(db, "UPDATE review_assignments SET state = 'reassigned' "
	    "WHERE id = ?1 AND state = 'open'", "i", id) == -1)
		return -1;
	return sqlite3_changes(db) == 1 ? 0 : 1;
}

int64_t
review_approvals(sqlite3 *db, int64_t sid, int64_t version)
{
	return db_int(db, 0, "SELECT count(*) FROM review_assignments WHERE "
	    "submission_id = ?1 AND version = ?2 AND decision = 'approve'",
	    "ii", sid, version);
}

int
review_list(sqlite3 *db, int64_t sid, struct review_assignment **out,
    size_t *n)
{
	sqlite3_stmt		*st;
	struct review_assignment *v = NULL;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((st = db_stmt(db, "SELECT " REVIEW_COLUMNS " FROM "
	    "review_assignments WHERE submission_id = ?1 ORDER BY id", "i",
	    sid)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, *n + 1, sizeof *v);
		review_row(st, &v[(*n)++]);
	}
	sqlite3_finalize(st);
	*out = v;
	if (rc != SQLITE_DONE) {
		review_list_free(v, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
review_list_free(struct review_assignment *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		review_assignment_free(&v[i]);
	free(v);
}

int
review_open_before(sqlite3 *db, time_t before, int unreminded, int64_t **ids,
    size_t *n)
{
	sqlite3_stmt	*st;
	int		 rc;

	*ids = NULL;
	*n = 0;
	if ((st = db_stmt(db, "SELECT id FROM review_assignments WHERE state = "
	    "'open' AND assigned < ?1 AND (?2 = 0 OR reminded IS NULL) "
	    "ORDER BY id LIMIT ?3", "iii", (int64_t)before, (int64_t)unreminded,
	    (int64_t)SUBMISSION_DUE_MAX)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

char *
review_last_reviewer(sqlite3 *db, int64_t list_id)
{
	sqlite3_stmt	*st;
	char		*r;

	if ((st = db_stmt(db, "SELECT a.reviewer FROM review_assignments a "
	    "JOIN submissions s ON s.id = a.submission_id WHERE s.list_id = ?1 "
	    "ORDER BY a.id DESC LIMIT 1", "i", list_id)) == NULL)
		return NULL;
	r = sqlite3_step(st) == SQLITE_ROW ? db_text(st, 0) : xstrdup("");
	sqlite3_finalize(st);
	return r;
}
