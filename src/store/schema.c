/*
 * schema: the database's versions and the steps between them.
 *
 * Contract: version N of the schema is what migrations 1..N produce;
 * PRAGMA user_version records N.  Each step runs in its own transaction
 * together with the version bump, so a crash leaves the database at a
 * whole version.  Steps are append-only: a released step is never edited,
 * a change is a new step.
 */
#include <config.h>

#include <stdio.h>

#include "store/db.h"
#include "util/log.h"

static const char *const schema_steps[] = {
	/* 1: lists, members, the archive index, the outbound queue. */
	"CREATE TABLE lists ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  last_post INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE members ("
	"  id INTEGER PRIMARY KEY,"
	"  list_id INTEGER NOT NULL REFERENCES lists(id),"
	"  address TEXT NOT NULL,"
	"  name TEXT,"
	"  mode TEXT NOT NULL DEFAULT 'normal'"
	"    CHECK (mode IN ('normal','digest','nomail')),"
	"  created INTEGER NOT NULL,"
	"  UNIQUE (list_id, address));"
	"CREATE TABLE posts ("
	"  id INTEGER PRIMARY KEY,"
	"  list_id INTEGER NOT NULL REFERENCES lists(id),"
	"  number INTEGER NOT NULL,"
	"  message_id TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  author TEXT NOT NULL,"
	"  author_name TEXT,"
	"  in_reply_to TEXT,"
	"  refs TEXT,"
	"  received INTEGER NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  path TEXT NOT NULL,"
	"  UNIQUE (list_id, number),"
	"  UNIQUE (list_id, message_id));"
	"CREATE VIRTUAL TABLE posts_fts USING fts5(subject, author, body);"
	"CREATE TABLE outbound ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('post','reply','notice')),"
	"  list_id INTEGER REFERENCES lists(id),"
	"  post_id INTEGER REFERENCES posts(id),"
	"  path TEXT NOT NULL,"
	"  envelope_from TEXT NOT NULL,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE deliveries ("
	"  id INTEGER PRIMARY KEY,"
	"  outbound_id INTEGER NOT NULL REFERENCES outbound(id),"
	"  recipient TEXT NOT NULL,"
	"  token TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (state IN ('pending','sent','failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  updated INTEGER NOT NULL,"
	"  UNIQUE (outbound_id, recipient));"
	"CREATE INDEX deliveries_pending ON deliveries(state, next_attempt);"
	"CREATE TABLE processed ("
	"  spool_id TEXT PRIMARY KEY,"
	"  outcome TEXT NOT NULL,"
	"  at INTEGER NOT NULL);",

	/* 2: moderation queue, DMARC answers, reply rate limit. */
	"CREATE TABLE held ("
	"  id INTEGER PRIMARY KEY,"
	"  list_id INTEGER NOT NULL REFERENCES lists(id),"
	"  sender TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'held'"
	"    CHECK (state IN ('held','approved','rejected')),"
	"  decided_by TEXT,"
	"  decided_at INTEGER,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE dmarc_cache ("
	"  domain TEXT PRIMARY KEY,"
	"  policy TEXT NOT NULL,"
	"  expires INTEGER NOT NULL);"
	"CREATE TABLE reply_log ("
	"  address TEXT NOT NULL,"
	"  day TEXT NOT NULL,"
	"  count INTEGER NOT NULL,"
	"  PRIMARY KEY (address, day));",

	/* 3: membership by email: tokens, the teacher registry, bounces. */
	"CREATE TABLE tokens ("
	"  token TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL"
	"    CHECK (kind IN ('subscribe','unsubscribe','mod','invite',"
	"    'request')),"
	"  list_id INTEGER NOT NULL REFERENCES lists(id),"
	"  address TEXT NOT NULL,"
	"  mode TEXT,"
	"  held_id INTEGER REFERENCES held(id),"
	"  created INTEGER NOT NULL,"
	"  expires INTEGER NOT NULL,"
	"  used INTEGER,"
	"  used_by TEXT);"
	"CREATE INDEX tokens_expires ON tokens(expires);"
	"CREATE TABLE teachers ("
	"  id INTEGER PRIMARY KEY,"
	"  email TEXT NOT NULL UNIQUE,"
	"  full_name TEXT NOT NULL,"
	"  school TEXT,"
	"  municipality TEXT,"
	"  subject TEXT,"
	"  imported INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL);"
	"ALTER TABLE members ADD COLUMN bounce_score REAL NOT NULL DEFAULT 0;"
	"ALTER TABLE members ADD COLUMN bounce_updated INTEGER;"
	"ALTER TABLE members ADD COLUMN disabled INTEGER;"
	"CREATE TABLE bounces ("
	"  id INTEGER PRIMARY KEY,"
	"  list_id INTEGER NOT NULL REFERENCES lists(id),"
	"  address TEXT NOT NULL,"
	"  delivery_id INTEGER REFERENCES deliveries(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('hard','soft')),"
	"  status TEXT,"
	"  diagnostic TEXT,"
	"  received INTEGER NOT NULL);"
	"CREATE INDEX bounces_member ON bounces(list_id, address);"
	"ALTER TABLE held ADD COLUMN kind TEXT NOT NULL DEFAULT 'post'"
	"  CHECK (kind IN ('post','subscription'));"
	"ALTER TABLE held ADD COLUMN expires INTEGER;",

	/* 4: which process holds a delivery's lease, to free it if it died. */
	"ALTER TABLE deliveries ADD COLUMN claimed_by INTEGER;",

	/* 5: the runner takes pending deliveries in id order, chunk by chunk. */
	"CREATE INDEX deliveries_pending_id ON deliveries(state, id);",

	/*
	 * 6: methodological developments: a submission (numbered per year
	 * across the site, e.g. "М-2026-0042"), its files by version, and
	 * the reviewers' assignments with their decisions.  A submission's
	 * level is where it has been recognised: municipal (approved on the
	 * list), regional (passed regional expertise), portal (published on
	 * the regional portal).
	 */
	"CREATE TABLE submissions ("
	"  id INTEGER PRIMARY KEY,"
	"  list_id INTEGER NOT NULL REFERENCES lists(id),"
	"  year INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  code TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  author TEXT NOT NULL,"
	"  author_name TEXT,"
	"  message_id TEXT,"
	"  version INTEGER NOT NULL DEFAULT 1,"
	"  state TEXT NOT NULL DEFAULT 'review'"
	"    CHECK (state IN ('review','revise','approved','rejected',"
	"    'withdrawn')),"
	"  level TEXT NOT NULL DEFAULT 'municipal'"
	"    CHECK (level IN ('municipal','regional','portal')),"
	"  created INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL,"
	"  decided INTEGER,"
	"  post_id INTEGER REFERENCES posts(id),"
	"  UNIQUE (year, seq));"
	"CREATE INDEX submissions_list ON submissions(list_id, state);"
	"CREATE INDEX submissions_author ON submissions(author);"
	"CREATE TABLE submission_files ("
	"  id INTEGER PRIMARY KEY,"
	"  submission_id INTEGER NOT NULL REFERENCES submissions(id),"
	"  version INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL);"
	"CREATE INDEX submission_files_sub ON"
	"  submission_files(submission_id, version);"
	"CREATE TABLE review_assignments ("
	"  id INTEGER PRIMARY KEY,"
	"  submission_id INTEGER NOT NULL REFERENCES submissions(id),"
	"  version INTEGER NOT NULL,"
	"  reviewer TEXT NOT NULL,"
	"  token TEXT NOT NULL UNIQUE,"
	"  state TEXT NOT NULL DEFAULT 'open'"
	"    CHECK (state IN ('open','decided','reassigned')),"
	"  decision TEXT CHECK (decision IN ('approve','revise','reject')),"
	"  comment TEXT,"
	"  assigned INTEGER NOT NULL,"
	"  reminded INTEGER,"
	"  decided INTEGER);"
	"CREATE INDEX review_assignments_open ON"
	"  review_assignments(state, assigned);"
	"CREATE TABLE submission_levels ("
	"  submission_id INTEGER NOT NULL REFERENCES submissions(id),"
	"  level TEXT NOT NULL,"
	"  recorded_by TEXT NOT NULL,"
	"  at INTEGER NOT NULL);",

	/*
	 * 7: the monthly indicator report.  The figures of each month, per
	 * scope ('' the whole site, else a list's name), are computed once
	 * the month has ended and kept unchanged, so a past report is
	 * regenerated exactly; mailed records when it went out.
	 */
	"CREATE TABLE report_snapshots ("
	"  month TEXT NOT NULL,"
	"  scope TEXT NOT NULL,"
	"  computed INTEGER NOT NULL,"
	"  figures TEXT NOT NULL,"
	"  mailed INTEGER,"
	"  PRIMARY KEY (month, scope));",
};

#define SCHEMA_NSTEPS	((int)(sizeof schema_steps / sizeof schema_steps[0]))

int
db_schema_latest(void)
{
	return SCHEMA_NSTEPS;
}

int
db_schema_version(sqlite3 *db)
{
	return (int)db_int(db, 0, "PRAGMA user_version", "");
}

static int
db_migrate_step(sqlite3 *db, int to)
{
	char	pragma[64];

	if (db_begin(db) == -1)
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	if (db_schema_version(db) >= to)
		return db_commit(db);
	if (sqlite3_exec(db, schema_steps[to - 1], NULL, NULL, NULL) !=
	    SQLITE_OK) {
		log_warnx("db_migrate: step %d: %s", to, sqlite3_errmsg(db));
		db_rollback(db);
		return -1;
	}
	snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", to);
	if (db_exec(db, pragma, "") == -1 || db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	log_debug("db_migrate: schema version %d", to);
	return 0;
}

int
db_migrate(sqlite3 *db, int target)
{
	int	v = db_schema_version(db);

	if (v < 0)
		return -1;
	if (v > SCHEMA_NSTEPS) {
		log_warnx("db_migrate: database schema %d is newer than this "
		    "program's %d", v, SCHEMA_NSTEPS);
		return -1;
	}
	while (v < target)
		if (db_migrate_step(db, ++v) == -1)
			return -1;
	return 0;
}
