/*
 * db: the gateway's one SQLite database.
 *
 * Contract: db_open() opens (creating if needed) the database in WAL mode
 * with foreign keys on and a busy timeout, and brings its schema to the
 * newest version inside one transaction per migration step; it refuses a
 * database newer than this program knows.  Every statement is prepared
 * with bound parameters: db_exec() and db_stmt() take a type string with
 * one letter per parameter ('t' text, 'i' int64, 'b' blob+length,
 * 'n' NULL) followed by the values.  Errors are logged with the SQL and
 * returned as -1; db_transient() tells whether the last error was
 * temporary (busy, locked, I/O, full) so the caller can answer 4xx/75.
 * db_exec() and db_int() keep their prepared statements per connection
 * (reset after each use), so a statement run once per recipient is
 * prepared once; db_close() finalizes them.  db_stmt() prepares afresh.
 * When SQLite has rolled back a db_begin() transaction by itself (after
 * an out-of-memory or I/O error), every statement fails until the caller
 * rolls back, and db_commit() fails: half a transaction is never made
 * durable by statements that would otherwise each commit alone.
 */
#ifndef METODIST_DB_H
#define METODIST_DB_H

#include <sqlite3.h>
#include <stdint.h>

int		 db_open(const char *path, sqlite3 **);
void		 db_close(sqlite3 *);
/* This connection reads much of the archive (search, rendering, reports):
 * a larger page cache and reads through a memory map. */
void		 db_reader(sqlite3 *);
int		 db_begin(sqlite3 *);	/* BEGIN IMMEDIATE */
int		 db_commit(sqlite3 *);
void		 db_rollback(sqlite3 *);
int		 db_exec(sqlite3 *, const char *sql, const char *types, ...);
/* Prepared and bound; NULL on error.  Finalize with sqlite3_finalize. */
sqlite3_stmt	*db_stmt(sqlite3 *, const char *sql, const char *types, ...);
/* One integer result (first column of the first row); -1 on error, dflt if no row. */
int64_t		 db_int(sqlite3 *, int64_t dflt, const char *sql,
		    const char *types, ...);
int		 db_transient(sqlite3 *);
/* Column text as a new string ("" for NULL). */
char		*db_text(sqlite3_stmt *, int col);

/* Schema (schema.c). */
int		 db_schema_version(sqlite3 *);
int		 db_schema_latest(void);
/* Apply migrations up to version target (tests use it for old versions). */
int		 db_migrate(sqlite3 *, int target);

#endif
