/*
 * db: see db.h.
 */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/stemtok.h"
#include "util/fault.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define DB_BUSY_TIMEOUT_MS	10000
/* The archive reads many scattered rows (months, threads, the full-text
 * index): a 32 MiB page cache and reads through a 256 MiB map. */
#define DB_CACHE_KIB		"-32768"
#define DB_MMAP_BYTES		"268435456"

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
	    db_exec(db, "PRAGMA mmap_size=" DB_MMAP_BYTES, "") == -1 ||
	    stemtok_register(db) == -1 ||
	    db_migrate(db, db_schema_latest()) == -1) {
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

void
db_close(sqlite3 *db)
{
	if (db != NULL)
		sqlite3_close(db);
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

	va_start(ap, types);
	st = db_vstmt(db, sql, types, ap);
	va_end(ap);
	return st;
}

int
db_exec(sqlite3 *db, const char *sql, const char *types, ...)
{
	sqlite3_stmt	*st;
	va_list		 ap;
	int		 rc;

	va_start(ap, types);
	st = db_vstmt(db, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		log_warnx("db: %s: %s", sql, sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int64_t
db_int(sqlite3 *db, int64_t dflt, const char *sql, const char *types, ...)
{
	sqlite3_stmt	*st;
	va_list		 ap;
	int64_t		 v = dflt;
	int		 rc;

	va_start(ap, types);
	st = db_vstmt(db, sql, types, ap);
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
	sqlite3_finalize(st);
	return v;
}

int
db_begin(sqlite3 *db)
{
	return db_exec(db, "BEGIN IMMEDIATE", "");
}

int
db_commit(sqlite3 *db)
{
	return db_exec(db, "COMMIT", "");
}

void
db_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		(void)db_exec(db, "ROLLBACK", "");
}

char *
db_text(sqlite3_stmt *st, int col)
{
	const unsigned char	*s = sqlite3_column_text(st, col);

	return xstrdup(s ? (const char *)s : "");
}
