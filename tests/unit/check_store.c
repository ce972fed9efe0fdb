/*
 * check_store: unit tests of the SQLite store: schema creation and
 * migration from every earlier version, members, posts and the full-text
 * index, the outbound queue, held posts, the reply limit and the DMARC
 * cache.  Each test works on a fresh database in its own temporary
 * directory.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/stemtok.h"
#include "store/dmarc_cache.h"
#include "store/held.h"
#include "store/limit.h"
#include "store/list.h"
#include "store/member.h"
#include "store/post.h"
#include "store/queue.h"
#include "store/sentlog.h"
#include "store/token.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#include "testlib.h"

/* ---- helpers ---- */

static char	*dbpath;
static sqlite3	*db;

/* A temporary directory and the path of a database in it. */
static void
tmp_setup(void)
{
	testlib_tmp_setup();
	dbpath = xasprintf("%s/metodist.db", testlib_dir());
}

static void
tmp_teardown(void)
{
	free(dbpath);
	dbpath = NULL;
	testlib_tmp_teardown();
}

/* A temporary directory and a database opened with db_open. */
static void
db_setup(void)
{
	tmp_setup();
	ck_assert_int_eq(db_open(dbpath, &db), 0);
}

static void
db_teardown(void)
{
	db_close(db);
	db = NULL;
	tmp_teardown();
}

/* Text of the first column of the first row, or NULL. */
static char *
query_text(sqlite3 *d, const char *sql)
{
	sqlite3_stmt	*st;
	char		*s = NULL;

	ck_assert_int_eq(sqlite3_prepare_v2(d, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0) != NULL)
		s = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

/* Every row of a one-column query joined by ",". */
static char *
query_join(sqlite3 *d, const char *sql)
{
	sqlite3_stmt	*st;
	struct buf	 b;
	int		 rc;

	buf_init(&b);
	buf_adds(&b, "");
	ck_assert_int_eq(sqlite3_prepare_v2(d, sql, -1, &st, NULL), SQLITE_OK);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (b.len > 0)
			buf_addc(&b, ',');
		buf_adds(&b, (const char *)sqlite3_column_text(st, 0));
	}
	ck_assert_int_eq(rc, SQLITE_DONE);
	sqlite3_finalize(st);
	return buf_detach(&b);
}

static int64_t
query_int(sqlite3 *d, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 v = -999;

	ck_assert_int_eq(sqlite3_prepare_v2(d, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void
exec_ok(sqlite3 *d, const char *sql)
{
	char	*err = NULL;

	ck_assert_msg(sqlite3_exec(d, sql, NULL, NULL, &err) == SQLITE_OK,
	    "%s: %s", sql, err ? err : "?");
}

#define SCHEMA_OBJECTS_SQL \
	"SELECT type || ' ' || name FROM sqlite_master ORDER BY type, name"

/* ---- schema ---- */

START_TEST(test_db_fresh)
{
	char	*mode;

	ck_assert_int_ge(db_schema_latest(), 1);
	ck_assert_int_eq(db_schema_version(db), db_schema_latest());
	ck_assert_int_eq(query_int(db, "PRAGMA user_version"),
	    db_schema_latest());
	mode = query_text(db, "PRAGMA journal_mode");
	ck_assert_ptr_nonnull(mode);
	ck_assert_str_eq(mode, "wal");
	free(mode);
	ck_assert_int_eq(query_int(db, "PRAGMA foreign_keys"), 1);
	/* the tables the modules use are there */
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name IN ('lists', 'members', 'posts', "
	    "'posts_fts', 'outbound', 'deliveries', 'processed', 'held', "
	    "'dmarc_cache', 'reply_log')"), 10);
	/* opening again is harmless */
	db_close(db);
	ck_assert_int_eq(db_open(dbpath, &db), 0);
	ck_assert_int_eq(db_schema_version(db), db_schema_latest());
}
END_TEST

/* Rows that are valid at schema version v (and every later one). */
static void
upgrade_fill(sqlite3 *d, int v)
{
	exec_ok(d, "INSERT INTO lists (id, name, last_post, created) "
	    "VALUES (1, 'math', 1, 1000)");
	exec_ok(d, "INSERT INTO members (list_id, address, name, mode, "
	    "created) VALUES (1, 'ivan@school.example.org', 'Иван', "
	    "'digest', 1000)");
	exec_ok(d, "INSERT INTO posts (id, list_id, number, message_id, "
	    "subject, author, author_name, in_reply_to, refs, received, size, "
	    "path) VALUES (7, 1, 1, 'm1@school.example.org', 'Уроки', "
	    "'ivan@school.example.org', 'Иван', NULL, NULL, 1000, 42, "
	    "'/var/archive/math/000001.eml')");
	exec_ok(d, "INSERT INTO posts_fts (rowid, subject, author, body) "
	    "VALUES (7, 'Уроки', 'ivan@school.example.org', "
	    "'parallelogram lesson plan')");
	exec_ok(d, "INSERT INTO outbound (id, kind, list_id, post_id, path, "
	    "envelope_from, created) VALUES (3, 'post', 1, 7, '/q/1.eml', "
	    "'math+bounces@lists.example.org', 1000)");
	exec_ok(d, "INSERT INTO deliveries (outbound_id, recipient, token, "
	    "state, updated) VALUES (3, 'ivan@school.example.org', "
	    "'0123456789abcdef', 'pending', 1000)");
	exec_ok(d, "INSERT INTO processed (spool_id, outcome, at) VALUES "
	    "('1000.1.abc', 'post', 1000)");
	if (v >= 2) {
		exec_ok(d, "INSERT INTO held (list_id, sender, subject, reason, "
		    "path, created) VALUES (1, 'x@example.com', 'Вопрос', "
		    "'moderated list', '/held/1.eml', 1000)");
		exec_ok(d, "INSERT INTO dmarc_cache (domain, policy, expires) "
		    "VALUES ('example.com', 'reject', 4000000000)");
		exec_ok(d, "INSERT INTO reply_log (address, day, count) VALUES "
		    "('x@example.com', '2026-05-12', 2)");
	}
}

START_TEST(test_db_upgrade)
{
	int		 v = _i;
	sqlite3		*old, *fresh;
	char		*freshpath, *want, *got, *s;

	ck_assert_int_lt(v, db_schema_latest());
	/* the reference: a database made fresh at the latest version */
	freshpath = xasprintf("%s/fresh.db", testlib_dir());
	ck_assert_int_eq(db_open(freshpath, &fresh), 0);
	want = query_join(fresh, SCHEMA_OBJECTS_SQL);
	db_close(fresh);

	/* a database left at version v by an older program */
	ck_assert_int_eq(sqlite3_open(dbpath, &old), SQLITE_OK);
	/* the archive's steps need its tokenizer, as every db_open has it */
	ck_assert_int_eq(stemtok_register(old), 0);
	ck_assert_int_eq(db_migrate(old, v), 0);
	ck_assert_int_eq(db_schema_version(old), v);
	upgrade_fill(old, v);
	sqlite3_close(old);

	ck_assert_int_eq(db_open(dbpath, &db), 0);
	ck_assert_int_eq(db_schema_version(db), db_schema_latest());
	got = query_join(db, SCHEMA_OBJECTS_SQL);
	ck_assert_str_eq(got, want);
	free(got);
	got = query_join(db, "SELECT type || ' ' || name FROM sqlite_master "
	    "WHERE type = 'table' ORDER BY name");
	ck_assert_ptr_nonnull(strstr(got, "table posts_fts"));
	free(got);

	/* the rows survived */
	s = query_text(db, "SELECT name || '/' || last_post FROM lists "
	    "WHERE id = 1");
	ck_assert_str_eq(s, "math/1");
	free(s);
	s = query_text(db, "SELECT address || '/' || name || '/' || mode "
	    "FROM members");
	ck_assert_str_eq(s, "ivan@school.example.org/Иван/digest");
	free(s);
	s = query_text(db, "SELECT message_id || '/' || subject FROM posts "
	    "WHERE id = 7");
	ck_assert_str_eq(s, "m1@school.example.org/Уроки");
	free(s);
	ck_assert_int_eq(query_int(db, "SELECT rowid FROM posts_fts WHERE "
	    "posts_fts MATCH 'parallelogram'"), 7);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM deliveries "
	    "WHERE state = 'pending' AND outbound_id = 3"), 1);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM processed"), 1);
	/* the store modules work on the upgraded database */
	ck_assert_int_eq(list_id(db, "math"), 1);
	ck_assert_int_eq(member_is(db, 1, "ivan@school.example.org", 0), 1);
	ck_assert_int_eq(post_seen(db, 1, "m1@school.example.org"), 1);
	ck_assert_int_eq(list_next_post_number(db, 1), 2);
	ck_assert_int_gt(held_add(db, 1, "a@example.com", "s", "r", "/p"), 0);
	ck_assert_int_eq(limit_take(db, "a@example.com", "2026-05-12",
	    5), 1);
	if (v >= 2)
		ck_assert_int_eq(query_int(db, "SELECT count(*) FROM held"), 2);

	free(want);
	free(freshpath);
	db_close(db);
	db = NULL;
}
END_TEST

START_TEST(test_db_newer_refused)
{
	sqlite3	*d;
	char	 sql[64];

	ck_assert_int_eq(sqlite3_open(dbpath, &d), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
	    db_schema_latest() + 1);
	exec_ok(d, sql);
	sqlite3_close(d);
	db = NULL;
	ck_assert_int_eq(db_open(dbpath, &db), -1);
	/* and it was left as it was */
	ck_assert_int_eq(sqlite3_open(dbpath, &d), SQLITE_OK);
	ck_assert_int_eq(query_int(d, "PRAGMA user_version"),
	    db_schema_latest() + 1);
	ck_assert_int_eq(query_int(d, "SELECT count(*) FROM sqlite_master"),
	    0);
	sqlite3_close(d);
}
END_TEST

START_TEST(test_db_params)
{
	sqlite3_stmt	*st;
	char		*s;

	/* bound parameters, never spliced: a quote is just a character */
	ck_assert_int_eq(db_exec(db, "INSERT INTO lists (name, created) "
	    "VALUES (?1, ?2)", "ti", "o'hara", (int64_t)5), 0);
	ck_assert_int_eq(db_int(db, -2, "SELECT created FROM lists WHERE "
	    "name = ?1", "t", "o'hara"), 5);
	ck_assert_int_eq(db_int(db, -2, "SELECT created FROM lists WHERE "
	    "name = ?1", "t", "absent"), -2);
	ck_assert_int_eq(db_int(db, -2, "SELECT nosuchcolumn FROM lists",
	    ""), -1);
	ck_assert_int_eq(db_exec(db, "INSERT INTO nosuchtable VALUES (1)",
	    ""), -1);
	st = db_stmt(db, "SELECT ?1, ?2", "nt", "x");
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	s = db_text(st, 0);
	ck_assert_str_eq(s, "");
	free(s);
	s = db_text(st, 1);
	ck_assert_str_eq(s, "x");
	free(s);
	sqlite3_finalize(st);
}
END_TEST

/* ---- lists and members ---- */

START_TEST(test_list_id)
{
	int64_t	a, b;

	a = list_id(db, "math");
	ck_assert_int_gt(a, 0);
	ck_assert_int_eq(list_id(db, "math"), a);
	b = list_id(db, "physics");
	ck_assert_int_gt(b, 0);
	ck_assert_int_ne(a, b);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM lists"), 2);
}
END_TEST

START_TEST(test_list_next_post_number)
{
	int64_t	a = list_id(db, "math"), b = list_id(db, "physics");

	ck_assert_int_eq(db_begin(db), 0);
	ck_assert_int_eq(list_next_post_number(db, a), 1);
	ck_assert_int_eq(list_next_post_number(db, a), 2);
	ck_assert_int_eq(db_commit(db), 0);
	ck_assert_int_eq(db_begin(db), 0);
	ck_assert_int_eq(list_next_post_number(db, a), 3);
	ck_assert_int_eq(db_commit(db), 0);
	/* numbers are per list */
	ck_assert_int_eq(list_next_post_number(db, b), 1);
	/* a rolled back number is given again: nothing is lost or skipped */
	ck_assert_int_eq(db_begin(db), 0);
	ck_assert_int_eq(list_next_post_number(db, a), 4);
	db_rollback(db);
	ck_assert_int_eq(list_next_post_number(db, a), 4);
}
END_TEST

START_TEST(test_member_add_is_remove)
{
	int64_t	l = list_id(db, "math"), o = list_id(db, "physics");

	ck_assert_int_eq(member_add(db, l, "Ivan.Petrov@school.example.org",
	    "Иван Петров", NULL), 0);
	ck_assert_int_eq(member_add(db, l, "Ivan.Petrov@school.example.org",
	    "Иван", "digest"), 1);
	ck_assert_int_eq(member_count(db, l), 1);
	ck_assert_int_eq(member_count(db, o), 0);

	ck_assert_int_eq(member_is(db, l, "Ivan.Petrov@school.example.org",
	    0), 1);
	ck_assert_int_eq(member_is(db, l, "Ivan.Petrov@school.example.org",
	    1), 1);
	/* local part: exact by default, case-blind when asked */
	ck_assert_int_eq(member_is(db, l, "ivan.petrov@school.example.org",
	    0), 0);
	ck_assert_int_eq(member_is(db, l, "ivan.petrov@school.example.org",
	    1), 1);
	ck_assert_int_eq(member_is(db, l, "other@school.example.org", 1), 0);
	/* per list */
	ck_assert_int_eq(member_is(db, o, "Ivan.Petrov@school.example.org",
	    0), 0);

	ck_assert_int_eq(member_remove(db, l,
	    "ivan.petrov@school.example.org", 0), 1);
	ck_assert_int_eq(member_is(db, l, "Ivan.Petrov@school.example.org",
	    0), 1);
	ck_assert_int_eq(member_remove(db, l,
	    "ivan.petrov@school.example.org", 1), 0);
	ck_assert_int_eq(member_is(db, l, "Ivan.Petrov@school.example.org",
	    0), 0);
	ck_assert_int_eq(member_remove(db, l,
	    "Ivan.Petrov@school.example.org", 0), 1);
	ck_assert_int_eq(member_count(db, l), 0);
	/* a second address differing only in case is a different member */
	ck_assert_int_eq(member_add(db, l, "a@example.org", NULL, NULL), 0);
	ck_assert_int_eq(member_add(db, l, "A@example.org", NULL, NULL), 0);
	ck_assert_int_eq(member_count(db, l), 2);
	/* a list that does not exist has no members to add to */
	ck_assert_int_eq(member_add(db, l + 1000, "x@example.org", NULL, NULL),
	    -1);
}
END_TEST

/* A mode outside normal/digest/nomail is an error, not "already a member". */
START_TEST(test_member_bad_mode)
{
	int64_t	l = list_id(db, "math");

	ck_assert_int_eq(member_add(db, l, "b@example.org", NULL, "weekly"),
	    -1);
	ck_assert_int_eq(member_is(db, l, "b@example.org", 0), 0);
}
END_TEST

struct collect {
	struct buf	b;
	int		stop_at;	/* return 7 at this call, 0 never */
	int		calls;
};

static int
collect_member(void *arg, const struct member *m)
{
	struct collect	*c = arg;

	c->calls++;
	if (c->b.len > 0)
		buf_addc(&c->b, ',');
	buf_addf(&c->b, "%s:%s:%s", m->address, m->name, m->mode);
	return c->calls == c->stop_at ? 7 : 0;
}

static char *
members_of(int64_t l, const char *mode)
{
	struct collect	c;

	memset(&c, 0, sizeof c);
	buf_init(&c.b);
	buf_adds(&c.b, "");
	ck_assert_int_eq(member_foreach(db, l, mode, collect_member, &c), 0);
	return buf_detach(&c.b);
}

START_TEST(test_member_foreach)
{
	int64_t		 l = list_id(db, "math");
	struct collect	 c;
	char		*s;

	ck_assert_int_eq(member_add(db, l, "d@example.org", "D", "nomail"), 0);
	ck_assert_int_eq(member_add(db, l, "b@example.org", NULL, NULL), 0);
	ck_assert_int_eq(member_add(db, l, "c@example.org", "C", "digest"), 0);
	ck_assert_int_eq(member_add(db, l, "a@example.org", "A", "normal"), 0);
	ck_assert_int_eq(member_add(db, list_id(db, "other"),
	    "z@example.org", "Z", "normal"), 0);

	s = members_of(l, NULL);
	ck_assert_str_eq(s, "a@example.org:A:normal,b@example.org::normal,"
	    "c@example.org:C:digest,d@example.org:D:nomail");
	free(s);
	s = members_of(l, "normal");
	ck_assert_str_eq(s, "a@example.org:A:normal,b@example.org::normal");
	free(s);
	s = members_of(l, "digest");
	ck_assert_str_eq(s, "c@example.org:C:digest");
	free(s);
	s = members_of(l, "nomail");
	ck_assert_str_eq(s, "d@example.org:D:nomail");
	free(s);
	s = members_of(list_id(db, "empty"), NULL);
	ck_assert_str_eq(s, "");
	free(s);

	/* the callback's non-zero value stops the walk and is returned */
	memset(&c, 0, sizeof c);
	buf_init(&c.b);
	c.stop_at = 2;
	ck_assert_int_eq(member_foreach(db, l, NULL, collect_member, &c), 7);
	ck_assert_int_eq(c.calls, 2);
	buf_free(&c.b);
}
END_TEST

/* ---- posts ---- */

static int64_t
insert_post(int64_t l, int64_t number, const char *mid, const char *subject,
    const char *text)
{
	struct post_record	r;

	memset(&r, 0, sizeof r);
	r.list_id = l;
	r.number = number;
	r.message_id = mid;
	r.subject = subject;
	r.author = "ivan@school.example.org";
	r.author_name = "Иван";
	r.size = 100;
	r.path = "/archive/x.eml";
	r.text = text;
	return post_insert(db, &r);
}

START_TEST(test_post_insert_seen)
{
	int64_t	l = list_id(db, "math"), o = list_id(db, "physics");
	int64_t	p1, p2;

	ck_assert_int_eq(post_seen(db, l, "m1@example.org"), 0);
	p1 = insert_post(l, 1, "m1@example.org", "Уравнения",
	    "Обсуждаем квадратные уравнения и parallelogram");
	ck_assert_int_gt(p1, 0);
	ck_assert_int_eq(post_seen(db, l, "m1@example.org"), 1);
	ck_assert_int_eq(post_seen(db, l, "m2@example.org"), 0);
	ck_assert_int_eq(post_seen(db, o, "m1@example.org"), 0);
	/* the same Message-ID on the same list is refused */
	ck_assert_int_eq(insert_post(l, 2, "m1@example.org", "x", "y"), -1);
	/* on another list it is a different post */
	p2 = insert_post(o, 1, "m1@example.org", "Физика", "оптика lens");
	ck_assert_int_gt(p2, 0);
	ck_assert_int_ne(p1, p2);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM posts"), 2);
}
END_TEST

START_TEST(test_post_fts)
{
	int64_t	l = list_id(db, "math"), p1, p2;
	char	sql[256];

	p1 = insert_post(l, 1, "m1@example.org", "Geometry",
	    "the parallelogram area formula");
	p2 = insert_post(l, 2, "m2@example.org", "Олимпиада",
	    "задачи олимпиады по алгебре");
	ck_assert_int_gt(p1, 0);
	ck_assert_int_gt(p2, 0);
	ck_assert_int_eq(query_int(db, "SELECT rowid FROM posts_fts WHERE "
	    "posts_fts MATCH 'parallelogram'"), p1);
	ck_assert_int_eq(query_int(db, "SELECT rowid FROM posts_fts WHERE "
	    "posts_fts MATCH 'алгебре'"), p2);
	ck_assert_int_eq(query_int(db, "SELECT rowid FROM posts_fts WHERE "
	    "posts_fts MATCH 'geometry'"), p1);	/* the subject too */
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM posts_fts WHERE "
	    "posts_fts MATCH 'trapezoid'"), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM posts p JOIN posts_fts "
	    "f ON f.rowid = p.id WHERE p.id IN (%lld, %lld)", (long long)p1,
	    (long long)p2);
	ck_assert_int_eq(query_int(db, sql), 2);
}
END_TEST

/* ---- queue ---- */

static char *
delivery_state(int64_t id)
{
	char	sql[128];

	snprintf(sql, sizeof sql, "SELECT state || '/' || attempts FROM "
	    "deliveries WHERE id = %lld", (long long)id);
	return query_text(db, sql);
}

/* A notice to a@ and b@example.org, due at now: the deliveries' ids. */
static void
queue_two(time_t now, int64_t *ida, int64_t *idb)
{
	int64_t		 o;
	struct delivery	*v;
	size_t		 n;

	o = queue_outbound(db, "notice", 0, 0, "/q/n.eml", "");
	ck_assert_int_eq(queue_add_recipient(db, o, "a@example.org"), 0);
	ck_assert_int_eq(queue_add_recipient(db, o, "b@example.org"), 0);
	ck_assert_int_eq(queue_due(db, now, 10, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	*ida = v[0].id;
	*idb = v[1].id;
	queue_free(v, n);
}

static void
assert_state(int64_t id, const char *want)
{
	char	*s = delivery_state(id);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, want);
	free(s);
}

START_TEST(test_queue_due)
{
	int64_t		 l = list_id(db, "math"), o1, o2;
	struct delivery	*v;
	size_t		 n, i;
	time_t		 now = time(NULL);

	o1 = queue_outbound(db, "post", l, 0, "/q/post.eml",
	    "math+bounces@lists.example.org");
	ck_assert_int_gt(o1, 0);
	ck_assert_int_eq(queue_add_recipient(db, o1, "a@example.org"), 0);
	ck_assert_int_eq(queue_add_recipient(db, o1, "b@example.org"), 0);
	ck_assert_int_eq(queue_add_recipient(db, o1, "a@example.org"), 1);
	o2 = queue_outbound(db, "reply", 0, 0, "/q/reply.eml", "");
	ck_assert_int_gt(o2, o1);
	ck_assert_int_eq(queue_add_recipient(db, o2, "c@example.org"), 0);
	ck_assert_int_eq(queue_pending(db), 3);
	ck_assert_int_eq(queue_outbound(db, "spam", 0, 0, "/q/x", ""), -1);

	ck_assert_int_eq(queue_due(db, now, 10, &v, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[0].recipient, "a@example.org");
	ck_assert_str_eq(v[1].recipient, "b@example.org");
	ck_assert_str_eq(v[2].recipient, "c@example.org");
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(strlen(v[i].token), 16);
		ck_assert_uint_eq(strspn(v[i].token, "0123456789abcdef"), 16);
		ck_assert_int_eq(v[i].attempts, 0);
		if (i > 0)
			ck_assert_int_gt(v[i].id, v[i - 1].id);
	}
	ck_assert_str_ne(v[0].token, v[1].token);
	ck_assert_int_eq(v[0].outbound_id, o1);
	ck_assert_str_eq(v[0].path, "/q/post.eml");
	ck_assert_str_eq(v[0].envelope_from, "math+bounces@lists.example.org");
	ck_assert_str_eq(v[0].list, "math");
	ck_assert_int_eq(v[2].outbound_id, o2);
	ck_assert_str_eq(v[2].envelope_from, "");
	ck_assert_str_eq(v[2].list, "");
	ck_assert_int_ge(v[2].created, now - 5);
	queue_free(v, n);

	/* the limit */
	ck_assert_int_eq(queue_due(db, now, 2, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0].recipient, "a@example.org");
	ck_assert_str_eq(v[1].recipient, "b@example.org");
	queue_free(v, n);
}
END_TEST

START_TEST(test_queue_deferred)
{
	int64_t		 ida, idb;
	struct delivery	*v;
	size_t		 n;
	time_t		 now = time(NULL);

	queue_two(now, &ida, &idb);

	ck_assert_int_eq(queue_mark_deferred(db, ida, now + 600, "4.2.0 busy"),
	    0);
	assert_state(ida, "pending/1");
	ck_assert_int_eq(queue_pending(db), 2);
	/* not due before its time */
	ck_assert_int_eq(queue_due(db, now, 10, &v, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(v[0].id, idb);
	queue_free(v, n);
	ck_assert_int_eq(queue_due(db, now + 599, 10, &v, &n), 0);
	ck_assert_uint_eq(n, 1);
	queue_free(v, n);
	/* due at its time, first in order again, with its attempts */
	ck_assert_int_eq(queue_due(db, now + 600, 10, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(v[0].id, ida);
	ck_assert_int_eq(v[0].attempts, 1);
	queue_free(v, n);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM deliveries WHERE "
	    "last_error = '4.2.0 busy'"), 1);
}
END_TEST

START_TEST(test_queue_final_states)
{
	int64_t		 ida, idb;
	struct delivery	*v;
	size_t		 n;
	time_t		 now = time(NULL);

	queue_two(now, &ida, &idb);

	/* sent is final */
	ck_assert_int_eq(queue_mark_sent(db, ida), 0);
	assert_state(ida, "sent/1");
	ck_assert_int_eq(queue_mark_deferred(db, ida, now + 60, "late"), 0);
	assert_state(ida, "sent/1");
	ck_assert_int_eq(queue_mark_failed(db, ida, "late"), 0);
	assert_state(ida, "sent/1");
	ck_assert_int_eq(queue_mark_sent(db, ida), 0);
	assert_state(ida, "sent/1");
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM deliveries WHERE "
	    "last_error IS NOT NULL"), 0);

	/* failed is final too */
	ck_assert_int_eq(queue_mark_failed(db, idb, "5.1.1 no such user"), 0);
	assert_state(idb, "failed/1");
	ck_assert_int_eq(queue_mark_sent(db, idb), 0);
	assert_state(idb, "failed/1");
	ck_assert_int_eq(queue_mark_deferred(db, idb, now, "x"), 0);
	assert_state(idb, "failed/1");

	ck_assert_int_eq(queue_pending(db), 0);
	ck_assert_int_eq(queue_due(db, now + 86400, 10, &v, &n), 0);
	ck_assert_uint_eq(n, 0);
	queue_free(v, n);
}
END_TEST

START_TEST(test_queue_claim)
{
	int64_t		 ida, idb;
	struct delivery	*v;
	size_t		 n;
	time_t		 now = time(NULL);

	queue_two(now, &ida, &idb);

	/* one runner takes it; a second cannot */
	ck_assert_int_eq(queue_claim(db, ida, now, 600), 1);
	ck_assert_int_eq(queue_claim(db, ida, now, 600), 0);
	/* a claimed delivery is not due to anyone else until the lease ends */
	ck_assert_int_eq(queue_due(db, now + 599, 10, &v, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(v[0].id, idb);
	queue_free(v, n);
	ck_assert_int_eq(queue_due(db, now + 600, 10, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	queue_free(v, n);
	ck_assert_int_eq(queue_claim(db, ida, now + 600, 600), 1);
	assert_state(ida, "pending/0");
	/* a sent delivery cannot be claimed */
	ck_assert_int_eq(queue_mark_sent(db, idb), 0);
	ck_assert_int_eq(queue_claim(db, idb, now + 10000, 600), 0);
	/* nor one not yet due */
	ck_assert_int_eq(queue_mark_deferred(db, ida, now + 5000, "x"), 0);
	ck_assert_int_eq(queue_claim(db, ida, now + 4999, 600), 0);
	ck_assert_int_eq(queue_claim(db, ida, now + 5000, 600), 1);
}
END_TEST

START_TEST(test_queue_bad_input)
{
	int64_t	o;

	/* a recipient of an outbound message that does not exist */
	ck_assert_int_eq(queue_add_recipient(db, 4242, "a@example.org"), -1);
	ck_assert_int_eq(queue_pending(db), 0);
	/* a missing recipient is an error, not "already there" */
	o = queue_outbound(db, "notice", 0, 0, "/q/n.eml", "");
	ck_assert_int_gt(o, 0);
	ck_assert_int_eq(queue_add_recipient(db, o, NULL), -1);
	ck_assert_int_eq(queue_pending(db), 0);
}
END_TEST

/* ---- sent log ---- */

static char *
sentlog_dir(void)
{
	return xasprintf("%s/sent", testlib_dir());
}

/* Write a log as runner pid would have left it. */
static char *
sentlog_plant(const char *dir, long pid, const char *text)
{
	char	*path = xasprintf("%s/sent.%ld", dir, pid);
	FILE	*f;

	mkdir(dir, 0700);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* A pid that is surely not running: a child that has been reaped. */
static long
dead_pid(void)
{
	pid_t	pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	return (long)pid;
}

START_TEST(test_sentlog_apply)
{
	struct sentlog	*l;
	struct stat	 sb;
	int64_t		 ida, idb;
	char		*dir = sentlog_dir(), *path;

	queue_two(time(NULL), &ida, &idb);
	ck_assert_ptr_nonnull(l = sentlog_open(dir));
	ck_assert_int_eq(sentlog_add(l, &ida, 1), 0);
	ck_assert_uint_eq(sentlog_pending(l), 1);
	/* recorded, not yet in the table */
	assert_state(ida, "pending/0");
	path = xasprintf("%s/sent.%ld", dir, (long)getpid());
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_gt(sb.st_size, 0);
	ck_assert_int_eq(sentlog_apply(l, db), 0);
	assert_state(ida, "sent/1");
	assert_state(idb, "pending/0");
	ck_assert_uint_eq(sentlog_pending(l), 0);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_size, 0);
	/* applying again changes nothing */
	ck_assert_int_eq(sentlog_add(l, &ida, 1), 0);
	ck_assert_int_eq(sentlog_apply(l, db), 0);
	assert_state(ida, "sent/1");
	sentlog_close(l);
	ck_assert_int_eq(stat(path, &sb), -1);
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_sentlog_recover_dead)
{
	int64_t	 ida, idb;
	char	*dir = sentlog_dir(), *path, text[128];
	struct stat sb;

	queue_two(time(NULL), &ida, &idb);
	/* a runner that died after the relay accepted a, with a torn line */
	snprintf(text, sizeof text, "%lld\n%lld", (long long)ida,
	    (long long)idb);
	path = sentlog_plant(dir, dead_pid(), text);
	ck_assert_int_eq(sentlog_recover(dir, db), 1);
	assert_state(ida, "sent/1");
	assert_state(idb, "pending/0");
	ck_assert_int_eq(stat(path, &sb), -1);
	/* nothing left the second time */
	ck_assert_int_eq(sentlog_recover(dir, db), 0);
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_sentlog_recover_live)
{
	int64_t	 ida, idb;
	char	*dir = sentlog_dir(), *path, text[64];
	int	 go[2], fd;
	pid_t	 pid;
	struct stat sb;

	queue_two(time(NULL), &ida, &idb);
	ck_assert_int_eq(pipe(go), 0);
	mkdir(dir, 0700);
	/* a live runner holds its log: it is left alone */
	if ((pid = fork()) == 0) {
		path = xasprintf("%s/sent.%ld", dir, (long)getpid());
		fd = open(path, O_RDWR | O_CREAT | O_APPEND, 0600);
		if (fd == -1 || flock(fd, LOCK_EX) == -1)
			_exit(1);
		snprintf(text, sizeof text, "%lld\n", (long long)ida);
		if (write(fd, text, strlen(text)) <= 0)
			_exit(1);
		close(go[0]);
		if (write(go[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();	/* until the parent kills it */
	}
	ck_assert_int_gt(pid, 0);
	close(go[1]);
	{
		char	b;

		ck_assert_int_eq(read(go[0], &b, 1), 1);
	}
	path = xasprintf("%s/sent.%ld", dir, (long)pid);
	ck_assert_int_eq(sentlog_recover(dir, db), 0);
	assert_state(ida, "pending/0");
	ck_assert_int_eq(stat(path, &sb), 0);
	/* once it has died, its record is taken */
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	ck_assert_int_eq(sentlog_recover(dir, db), 1);
	assert_state(ida, "sent/1");
	ck_assert_int_eq(stat(path, &sb), -1);
	close(go[0]);
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_sentlog_own_pid)
{
	struct sentlog	*l;
	int64_t		 ida, idb;
	char		*dir = sentlog_dir(), *path, text[64];

	queue_two(time(NULL), &ida, &idb);
	/* a dead predecessor had this process's pid: its record is kept */
	snprintf(text, sizeof text, "%lld\n", (long long)idb);
	path = sentlog_plant(dir, (long)getpid(), text);
	ck_assert_int_eq(sentlog_recover(dir, db), 0);
	ck_assert_ptr_nonnull(l = sentlog_open(dir));
	ck_assert_uint_eq(sentlog_pending(l), 1);
	ck_assert_int_eq(sentlog_apply(l, db), 0);
	assert_state(idb, "sent/1");
	sentlog_close(l);
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_queue_mark_sent_many)
{
	int64_t	o, id[4];
	int	i;

	o = queue_outbound(db, "notice", 0, 0, "/q/n.eml", "");
	for (i = 0; i < 4; i++) {
		char	rcpt[32];

		snprintf(rcpt, sizeof rcpt, "r%d@example.org", i);
		ck_assert_int_eq(queue_add_recipient(db, o, rcpt), 0);
		id[i] = sqlite3_last_insert_rowid(db);
	}
	ck_assert_int_eq(queue_mark_deferred(db, id[1], time(NULL) + 60,
	    "4.2.0 later"), 0);
	/* out of order, with a repeat; the one between is not touched */
	{
		int64_t	acked[] = { id[3], id[0], id[2], id[3] };

		ck_assert_int_eq(queue_mark_sent_many(db, acked, 4), 0);
	}
	assert_state(id[0], "sent/1");
	assert_state(id[1], "pending/1");
	assert_state(id[2], "sent/1");
	assert_state(id[3], "sent/1");
}
END_TEST

START_TEST(test_db_txn_lost)
{
	ck_assert_int_eq(db_exec(db, "CREATE TABLE t (a)", ""), 0);
	ck_assert_int_eq(db_begin(db), 0);
	ck_assert_int_eq(db_exec(db, "INSERT INTO t VALUES (1)", ""), 0);
	/* SQLite rolls the transaction back itself, as after an I/O error */
	ck_assert_int_eq(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	/* the rest of it must not commit piecemeal */
	ck_assert_int_eq(db_exec(db, "INSERT INTO t VALUES (2)", ""), -1);
	ck_assert_int_eq(db_int(db, 0, "SELECT count(*) FROM t", ""), -1);
	ck_assert_ptr_null(db_stmt(db, "SELECT a FROM t", ""));
	ck_assert_int_eq(db_commit(db), -1);
	db_rollback(db);
	ck_assert_int_eq(db_int(db, -2, "SELECT count(*) FROM t", ""), 0);
	/* and the connection works as before */
	ck_assert_int_eq(db_begin(db), 0);
	ck_assert_int_eq(db_exec(db, "INSERT INTO t VALUES (3)", ""), 0);
	ck_assert_int_eq(db_commit(db), 0);
	ck_assert_int_eq(db_int(db, -2, "SELECT count(*) FROM t", ""), 1);
}
END_TEST

/* ---- the statement cache ---- */

START_TEST(test_db_stmt_cache)
{
	char	sql[32];
	int	i;

	/* the same address with other text is another statement */
	for (i = 1; i <= 3; i++) {
		snprintf(sql, sizeof sql, "SELECT %d", i);
		ck_assert_int_eq(db_int(db, 0, sql, ""), i);
	}
	/* parameters are bound afresh on every use */
	for (i = 0; i < 200; i++)
		ck_assert_int_eq(db_int(db, -2, "SELECT ?1 + 1", "i",
		    (int64_t)i), i + 1);
	/* an error leaves the cached statement usable */
	ck_assert_int_eq(db_exec(db, "INSERT INTO lists (id) VALUES (?1)",
	    "n"), -1);
	ck_assert_int_eq(db_int(db, -2, "SELECT ?1 + 1", "i", (int64_t)1), 2);
	/* a schema change under a cached statement */
	ck_assert_int_eq(db_exec(db, "CREATE TABLE t (a)", ""), 0);
	ck_assert_int_eq(db_exec(db, "INSERT INTO t VALUES (?1)", "i",
	    (int64_t)7), 0);
	ck_assert_int_eq(db_int(db, 0, "SELECT count(*) FROM t", ""), 1);
	ck_assert_int_eq(db_exec(db, "ALTER TABLE t ADD COLUMN b", ""), 0);
	ck_assert_int_eq(db_exec(db, "INSERT INTO t VALUES (?1)", "i",
	    (int64_t)8), -1);	/* two columns now: the cached one re-prepared */
	ck_assert_int_eq(db_int(db, 0, "SELECT count(*) FROM t", ""), 1);
}
END_TEST

/* ---- held ---- */

static int
count_held(void *arg, const struct held_post *h)
{
	int	*n = arg;

	ck_assert_str_eq(h->state, "held");
	(*n)++;
	return 0;
}

START_TEST(test_held)
{
	int64_t			l = list_id(db, "young-teachers"), id, id2;
	struct held_post	h;
	int			n = 0;

	id = held_add(db, l, "new@school.example.org", "Вопрос о ФГОС",
	    "moderated list", "/var/held/1.eml");
	ck_assert_int_gt(id, 0);
	id2 = held_add(db, l, "other@school.example.org", "Ещё", "r", "/p2");
	ck_assert_int_gt(id2, id);

	memset(&h, 0, sizeof h);
	ck_assert_int_eq(held_get(db, id, &h), 0);
	ck_assert_int_eq(h.id, id);
	ck_assert_str_eq(h.list, "young-teachers");
	ck_assert_str_eq(h.sender, "new@school.example.org");
	ck_assert_str_eq(h.subject, "Вопрос о ФГОС");
	ck_assert_str_eq(h.reason, "moderated list");
	ck_assert_str_eq(h.path, "/var/held/1.eml");
	ck_assert_str_eq(h.state, "held");
	ck_assert_str_eq(h.decided_by, "");
	ck_assert_int_gt(h.created, 0);
	held_post_free(&h);
	ck_assert_int_eq(held_get(db, id2 + 100, &h), 1);

	ck_assert_int_eq(held_foreach(db, count_held, &n), 0);
	ck_assert_int_eq(n, 2);

	ck_assert_int_eq(held_decide(db, id, "approved", "coord1@example.org"),
	    0);
	ck_assert_int_eq(held_decide(db, id, "rejected", "coord2@example.org"),
	    1);
	ck_assert_int_eq(held_decide(db, id, "approved", "coord2@example.org"),
	    1);
	ck_assert_int_eq(held_get(db, id, &h), 0);
	ck_assert_str_eq(h.state, "approved");
	ck_assert_str_eq(h.decided_by, "coord1@example.org");
	held_post_free(&h);

	n = 0;
	ck_assert_int_eq(held_foreach(db, count_held, &n), 0);
	ck_assert_int_eq(n, 1);
	/* a decision on a post that does not exist is not "decided now" */
	ck_assert_int_ne(held_decide(db, id2 + 100, "approved", "x"), 0);
	/* a state outside held/approved/rejected is refused */
	ck_assert_int_eq(held_decide(db, id2, "maybe", "x"), -1);
}
END_TEST

/* ---- reply limit ---- */

START_TEST(test_tokens)
{
	int64_t		l = list_id(db, "math");
	char		tok[TOKEN_LEN + 1], old[TOKEN_LEN + 1];
	struct token	t;
	time_t		now = time(NULL);

	ck_assert_int_eq(token_new(db, "subscribe", l, "a@school.example.org",
	    "digest", 0, 3600, tok), 0);
	ck_assert_uint_eq(strlen(tok), TOKEN_LEN);
	ck_assert_uint_eq(strspn(tok, "0123456789abcdef"), TOKEN_LEN);
	/* another kind with the same token does not use it */
	ck_assert_int_eq(token_use(db, tok, "unsubscribe", "x", now, &t), 1);
	ck_assert_int_eq(token_use(db, tok, "subscribe", "a@school.example.org",
	    now, &t), 0);
	ck_assert_str_eq(t.address, "a@school.example.org");
	ck_assert_str_eq(t.mode, "digest");
	ck_assert_int_eq(t.list_id, l);
	token_free(&t);
	/* single use: the second time says who used it */
	ck_assert_int_eq(token_use(db, tok, "subscribe", "b@x", now, &t), 3);
	ck_assert_str_eq(t.used_by, "a@school.example.org");
	token_free(&t);
	/* unknown */
	ck_assert_int_eq(token_use(db, "00000000000000000000000000000000",
	    "subscribe", "x", now, &t), 1);
	/* expired */
	ck_assert_int_eq(token_new(db, "mod", l, "c@x", NULL, 0, 60, old), 0);
	ck_assert_int_eq(token_use(db, old, "mod", "c@x", now + 61, &t), 2);
	token_free(&t);
	ck_assert_int_eq(token_get(db, old, &t), 0);
	ck_assert_int_eq(t.used, 0);
	token_free(&t);
	/* two tokens never coincide */
	ck_assert_str_ne(tok, old);
	/* purged after the grace period only */
	ck_assert_int_eq(token_purge(db, now + 61, 3600), 0);
	ck_assert_int_eq(token_get(db, old, &t), 0);
	token_free(&t);
	ck_assert_int_eq(token_purge(db, now + 3600 * 3, 3600), 0);
	ck_assert_int_eq(token_get(db, old, &t), 1);
}
END_TEST

START_TEST(test_limit_take)
{
	ck_assert_int_eq(limit_take(db, "a@example.org", "2026-05-12",
	    3), 1);
	ck_assert_int_eq(limit_take(db, "a@example.org", "2026-05-12",
	    3), 1);
	ck_assert_int_eq(limit_take(db, "A@Example.org", "2026-05-12",
	    3), 1);
	ck_assert_int_eq(limit_take(db, "a@example.org", "2026-05-12",
	    3), 0);
	ck_assert_int_eq(limit_take(db, "a@example.org", "2026-05-12",
	    3), 0);
	/* the count goes on past max */
	ck_assert_int_eq(query_int(db, "SELECT count FROM reply_log WHERE "
	    "address = 'a@example.org' AND day = '2026-05-12'"), 5);
	/* another day, another address: fresh */
	ck_assert_int_eq(limit_take(db, "a@example.org", "2026-05-13",
	    3), 1);
	ck_assert_int_eq(limit_take(db, "b@example.org", "2026-05-12",
	    3), 1);
	/* max 0: nothing allowed */
	ck_assert_int_eq(limit_take(db, "c@example.org", "2026-05-12",
	    0), 0);
	/* hours and namespaced keys count apart; the purge keeps the day */
	ck_assert_int_eq(limit_take(db, "post:math:a@example.org",
	    "2026-05-13T10", 1), 1);
	ck_assert_int_eq(limit_take(db, "post:math:a@example.org",
	    "2026-05-13T10", 1), 0);
	ck_assert_int_eq(limit_take(db, "post:math:a@example.org",
	    "2026-05-13T11", 1), 1);
	ck_assert_int_eq(limit_count(db, "post:math:a@example.org",
	    "2026-05-13T10"), 2);
	ck_assert_int_eq(limit_purge(db, "2026-05-13"), 0);
	ck_assert_int_eq(query_int(db, "SELECT count(*) FROM reply_log WHERE "
	    "day < '2026-05-13'"), 0);
	ck_assert_int_eq(limit_count(db, "post:math:a@example.org",
	    "2026-05-13T10"), 2);
}
END_TEST

/* ---- DMARC cache ---- */

START_TEST(test_dmarc_cache)
{
	char	*p;

	ck_assert_ptr_null(dmarc_cache_get(db, "example.com", 100));
	ck_assert_int_eq(dmarc_cache_put(db, "Example.COM", "reject", 1000), 0);
	p = dmarc_cache_get(db, "example.com", 999);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p, "reject");
	free(p);
	p = dmarc_cache_get(db, "EXAMPLE.com", 500);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p, "reject");
	free(p);
	/* expired at its expiry time and after */
	ck_assert_ptr_null(dmarc_cache_get(db, "example.com", 1000));
	ck_assert_ptr_null(dmarc_cache_get(db, "example.com", 5000));
	/* a new answer replaces the old one */
	ck_assert_int_eq(dmarc_cache_put(db, "example.com", "none", 9000), 0);
	p = dmarc_cache_get(db, "example.com", 5000);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p, "none");
	free(p);
	ck_assert_ptr_null(dmarc_cache_get(db, "example.net", 5000));
}
END_TEST

static Suite *
store_suite(void)
{
	Suite	*s = suite_create("store");
	TCase	*tc;

	tc = testlib_tcase_fixture(s, "schema", db_setup, db_teardown);
	tcase_add_test(tc, test_db_fresh);
	tcase_add_test(tc, test_db_params);

	tc = testlib_tcase_fixture(s, "upgrade", tmp_setup, tmp_teardown);
	/* each migrates a database through every step: seconds on a busy
	 * machine under the sanitizers */
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_db_upgrade, 1, db_schema_latest());
	tcase_add_test(tc, test_db_newer_refused);

	tc = testlib_tcase_fixture(s, "members", db_setup, db_teardown);
	tcase_add_test(tc, test_list_id);
	tcase_add_test(tc, test_list_next_post_number);
	tcase_add_test(tc, test_member_add_is_remove);
	tcase_add_test(tc, test_member_bad_mode);
	tcase_add_test(tc, test_member_foreach);

	tc = testlib_tcase_fixture(s, "posts", db_setup, db_teardown);
	tcase_add_test(tc, test_post_insert_seen);
	tcase_add_test(tc, test_post_fts);

	tc = testlib_tcase_fixture(s, "queue", db_setup, db_teardown);
	tcase_add_test(tc, test_queue_due);
	tcase_add_test(tc, test_queue_deferred);
	tcase_add_test(tc, test_queue_final_states);
	tcase_add_test(tc, test_queue_claim);
	tcase_add_test(tc, test_queue_bad_input);

	tc = testlib_tcase_fixture(s, "sentlog", db_setup, db_teardown);
	tcase_add_test(tc, test_sentlog_apply);
	tcase_add_test(tc, test_sentlog_recover_dead);
	tcase_add_test(tc, test_sentlog_recover_live);
	tcase_add_test(tc, test_sentlog_own_pid);
	tcase_add_test(tc, test_queue_mark_sent_many);
	tcase_add_test(tc, test_db_stmt_cache);
	tcase_add_test(tc, test_db_txn_lost);

	tc = testlib_tcase_fixture(s, "misc", db_setup, db_teardown);
	tcase_add_test(tc, test_held);
	tcase_add_test(tc, test_limit_take);
	tcase_add_test(tc, test_tokens);
	tcase_add_test(tc, test_dmarc_cache);
	return s;
}

int
main(void)
{
	return testlib_run(store_suite());
}
