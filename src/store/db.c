/*
 * db: see db.h.
 */
#include <config.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/stemtok.h"
#include "util/fault.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define DB_BUSY_TIMEOUT_MS	10000
/* A connection's page cache: enough for the queue and the post path,
 * whose pages are few and hot, and bounded, so memory stays flat however
 * many members a list has. */
#define DB_CACHE_KIB		"-4096"
/* The archive reads many scattered rows (months, threads, the full-text
 * index): there a 32 MiB page cache and reads through a 256 MiB map. */
#define DB_READER_CACHE_KIB	"-32768"
#define DB_READER_MMAP_BYTES	"268435456"
#define DB_CACHE_SLOTS		64	/* prepared statements kept per connection */

/*
 * The statement cache of db_exec() and db_int(): the hot paths (the queue
 * marking a delivery per relay reply, the post path adding a delivery per
 * member) run the same few statements again and again, and preparing one
 * costs more than running it.  A slot is picked by the SQL's address and
 * taken only when the statement's text is the same, so SQL built at run
 * time and freed is never mistaken for another.  A slot in use (a second
 * thread on the same connection) is bypassed with a fresh statement.
 */
struct db_slot {
	sqlite3_stmt	*st;
	const char	*sql;
	int		 busy;
};

/* What is kept per open connection: its statements, and whether it is
 * inside a transaction of db_begin(). */
struct db_conn {
	sqlite3		*db;
	struct db_slot	 slot[DB_CACHE_SLOTS];
	int		 txn;
	struct db_conn	*next;
};

static pthread_mutex_t	 db_conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db_conn	*db_conns;

static void
db_conn_add(sqlite3 *db)
{
	struct db_conn	*c = xcalloc(1, sizeof *c);

	c->db = db;
	pthread_mutex_lock(&db_conns_lock);
	c->next = db_conns;
	db_conns = c;
	pthread_mutex_unlock(&db_conns_lock);
}

static void
db_conn_drop(sqlite3 *db)
{
	struct db_conn	**pp, *c;
	int		  i;

	pthread_mutex_lock(&db_conns_lock);
	for (pp = &db_conns; (c = *pp) != NULL; pp = &c->next)
		if (c->db == db)
			break;
	if (c != NULL)
		*pp = c->next;
	pthread_mutex_unlock(&db_conns_lock);
	if (c == NULL)
		return;
	for (i = 0; i < DB_CACHE_SLOTS; i++)
		sqlite3_finalize(c->slot[i].st);
	free(c);
}

static void
db_cache_give(struct db_slot *sl)
{
	pthread_mutex_lock(&db_conns_lock);
	sl->busy = 0;
	pthread_mutex_unlock(&db_conns_lock);
}

/* db's entry; the caller holds db_conns_lock. */
static struct db_conn *
db_conn_find(sqlite3 *db)
{
	struct db_conn	*c;

	for (c = db_conns; c != NULL && c->db != db; c = c->next)
		;
	return c;
}

static void
db_txn_mark(sqlite3 *db, int on)
{
	struct db_conn	*c;

	pthread_mutex_lock(&db_conns_lock);
	if ((c = db_conn_find(db)) != NULL)
		c->txn = on;
	pthread_mutex_unlock(&db_conns_lock);
}

/*
 * After some errors (out of memory, I/O, a full disk) SQLite rolls the
 * whole transaction back by itself.  The statements that follow would
 * then each commit on their own, making half a transaction durable (a
 * post's index entry without the post, say).  So once db_begin()'s
 * transaction is gone, every statement fails until the caller commits
 * (which fails) or rolls back.
 */
static int
db_txn_lost(sqlite3 *db, const char *sql)
{
	struct db_conn	*c;
	int		 lost;

	pthread_mutex_lock(&db_conns_lock);
	c = db_conn_find(db);
	lost = c != NULL && c->txn && sqlite3_get_autocommit(db);
	pthread_mutex_unlock(&db_conns_lock);
	if (lost)
		log_warnx("db: %s: not run, the transaction was rolled back "
		    "after an error", sql);
	return lost;
}

/* The cached statement for sql, taken; NULL to prepare a fresh one. */
static struct db_slot *
db_cache_take(sqlite3 *db, const char *sql)
{
	struct db_conn	*c;
	struct db_slot	*sl = NULL;
	uintptr_t	 h = (uintptr_t)sql;

	pthread_mutex_lock(&db_conns_lock);
	if ((c = db_conn_find(db)) != NULL) {
		h ^= h >> 7;
		sl = &c->slot[(h ^ (h >> 13)) % DB_CACHE_SLOTS];
		if (sl->busy)
			sl = NULL;
		else
			sl->busy = 1;
	}
	pthread_mutex_unlock(&db_conns_lock);
	if (sl == NULL)
		return NULL;
	if (sl->st != NULL && (sl->sql != sql ||
	    strcmp(sqlite3_sql(sl->st), sql) != 0)) {
		sqlite3_finalize(sl->st);
		sl->st = NULL;
	}
	if (sl->st == NULL) {
		if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT,
		    &sl->st, NULL) != SQLITE_OK) {
			sqlite3_finalize(sl->st);
			sl->st = NULL;
			db_cache_give(sl);
			return NULL;
		}
		sl->sql = sql;
	}
	return sl;
}

int
db_open(const char *path, sqlite3 **out)
{
	sqlite3	*db;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		log_warnx("db_open %s: %s", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return -1;
	}
	fault_db(db);
	sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	if (db_exec(db, "PRAGMA journal_mode=WAL", "") == -1 ||
	    db_exec(db, "PRAGMA synchronous=FULL", "") == -1 ||
	    db_exec(db, "PRAGMA foreign_keys=ON", "") == -1 ||
	    db_exec(db, "PRAGMA cache_size=" DB_CACHE_KIB, "") == -1 ||
	    stemtok_register(db) == -1 ||
	    db_migrate(db, db_schema_latest()) == -1) {
		sqlite3_close(db);
		return -1;
	}
	db_conn_add(db);
	*out = db;
	return 0;
}

void
db_close(sqlite3 *db)
{
	if (db != NULL) {
		db_conn_drop(db);
		sqlite3_close(db);
	}
}

int
db_transient(sqlite3 *db)
{
	switch (sqlite3_errcode(db) & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_INTERRUPT:
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_NOMEM:
	case SQLITE_READONLY:
	case SQLITE_PROTOCOL:
		return 1;
	}
	return 0;
}

static int
db_bind(sqlite3_stmt *st, const char *types, va_list ap)
{
	const char	*s;
	const void	*p;
	int		 i, n, rc = SQLITE_OK;

	for (i = 0; types[i] != '\0' && rc == SQLITE_OK; i++) {
		switch (types[i]) {
		case 't':
			s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st, i + 1, s, -1,
			    SQLITE_TRANSIENT) : sqlite3_bind_null(st, i + 1);
			break;
		case 'i':
			rc = sqlite3_bind_int64(st, i + 1,
			    va_arg(ap, int64_t));
			break;
		case 'b':
			p = va_arg(ap, const void *);
			n = va_arg(ap, int);
			rc = sqlite3_bind_blob(st, i + 1, p, n,
			    SQLITE_TRANSIENT);
			break;
		case 'n':
			rc = sqlite3_bind_null(st, i + 1);
			break;
		default:
			fatalx("db_bind: bad type '%c'", types[i]);
		}
	}
	return rc == SQLITE_OK ? 0 : -1;
}

static sqlite3_stmt *
db_vstmt(sqlite3 *db, const char *sql, const char *types, va_list ap)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		log_warnx("db: %s: %s", sql, sqlite3_errmsg(db));
		return NULL;
	}
	if (db_bind(st, types, ap) == -1) {
		log_warnx("db: bind %s: %s", sql, sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

sqlite3_stmt *
db_stmt(sqlite3 *db, const char *sql, const char *types, ...)
{
	sqlite3_stmt	*st;
	va_list		 ap;

	if (db_txn_lost(db, sql))
		return NULL;
	va_start(ap, types);
	st = db_vstmt(db, sql, types, ap);
	va_end(ap);
	return st;
}

/*
 * A statement for db_exec() and db_int(), bound: the cached one when its
 * slot is free (*slp set), else a fresh one (*slp NULL).
 */
static sqlite3_stmt *
db_vstmt_cached(sqlite3 *db, const char *sql, const char *types,
    va_list ap, struct db_slot **slp)
{
	struct db_slot	*sl;

	*slp = NULL;
	if (db_txn_lost(db, sql))
		return NULL;
	if ((*slp = sl = db_cache_take(db, sql)) == NULL)
		return db_vstmt(db, sql, types, ap);
	if (db_bind(sl->st, types, ap) == -1) {
		log_warnx("db: bind %s: %s", sql, sqlite3_errmsg(db));
		sqlite3_clear_bindings(sl->st);
		sqlite3_reset(sl->st);
		db_cache_give(sl);
		return NULL;
	}
	return sl->st;
}

/* Done with a statement of db_vstmt_cached(); the connection keeps the
 * statement's error for db_transient(). */
static void
db_stmt_done(sqlite3_stmt *st, struct db_slot *sl)
{
	if (sl == NULL) {
		sqlite3_finalize(st);
		return;
	}
	sqlite3_clear_bindings(st);
	sqlite3_reset(st);
	db_cache_give(sl);
}

int
db_exec(sqlite3 *db, const char *sql, const char *types, ...)
{
	struct db_slot	*sl;
	sqlite3_stmt	*st;
	va_list		 ap;
	int		 rc;

	va_start(ap, types);
	st = db_vstmt_cached(db, sql, types, ap, &sl);
	va_end(ap);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE)
		log_warnx("db: %s: %s", sql, sqlite3_errmsg(db));
	db_stmt_done(st, sl);
	return rc == SQLITE_DONE ? 0 : -1;
}

int64_t
db_int(sqlite3 *db, int64_t dflt, const char *sql, const char *types, ...)
{
	struct db_slot	*sl;
	sqlite3_stmt	*st;
	va_list		 ap;
	int64_t		 v = dflt;
	int		 rc;

	va_start(ap, types);
	st = db_vstmt_cached(db, sql, types, ap, &sl);
	va_end(ap);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE) {
		log_warnx("db: %s: %s", sql, sqlite3_errmsg(db));
		v = -1;
	}
	db_stmt_done(st, sl);
	return v;
}

void
db_reader(sqlite3 *db)
{
	(void)db_exec(db, "PRAGMA cache_size=" DB_READER_CACHE_KIB, "");
	(void)db_exec(db, "PRAGMA mmap_size=" DB_READER_MMAP_BYTES, "");
}

int
db_begin(sqlite3 *db)
{
	db_txn_mark(db, 0);
	if (db_exec(db, "BEGIN IMMEDIATE", "") == -1)
		return -1;
	db_txn_mark(db, 1);
	return 0;
}

/* Fails, and ends the transaction's watch, when SQLite already rolled
 * it back. */
int
db_commit(sqlite3 *db)
{
	int	rc;

	rc = db_exec(db, "COMMIT", "");
	db_txn_mark(db, 0);
	return rc;
}

void
db_rollback(sqlite3 *db)
{
	db_txn_mark(db, 0);
	if (!sqlite3_get_autocommit(db))
		(void)db_exec(db, "ROLLBACK", "");
}

char *
db_text(sqlite3_stmt *st, int col)
{
	const unsigned char	*s = sqlite3_column_text(st, col);

	return xstrdup(s ? (const char *)s : "");
}
