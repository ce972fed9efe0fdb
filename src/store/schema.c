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
	 * 7: the archive.  Each post gets the date it was written (Date:,
	 * else when it arrived), its thread (the number of the thread's
	 * first post) and its normalised subject, the fallback for
	 * threading when a mail client broke References.  A post that
	 * started a thread because the ones it answers were not there yet
	 * waits for them in thread_waits.  The full-text
	 * index moves to the "metodist" tokenizer (Russian and English
	 * stemming, ё = е), keeping its name and the text it holds.
	 */
	"ALTER TABLE posts ADD COLUMN date INTEGER;"
	"ALTER TABLE posts ADD COLUMN thread INTEGER;"
	"ALTER TABLE posts ADD COLUMN subject_key TEXT;"
	"UPDATE posts SET date = received, thread = number;"
	"CREATE INDEX posts_thread ON posts(list_id, thread, date);"
	"CREATE INDEX posts_date ON posts(list_id, date);"
	"CREATE INDEX posts_subject_key ON posts(list_id, subject_key);"
	"CREATE TABLE thread_waits ("
	"  list_id INTEGER NOT NULL REFERENCES lists(id),"
	"  message_id TEXT NOT NULL,"
	"  post_id INTEGER NOT NULL REFERENCES posts(id));"
	"CREATE INDEX thread_waits_mid ON thread_waits(list_id, message_id);"
	"CREATE VIRTUAL TABLE posts_stem USING fts5(subject, author, body,"
	"  tokenize='metodist');"
	"INSERT INTO posts_stem (rowid, subject, author, body)"
	"  SELECT rowid, subject, author, body FROM posts_fts;"
	"DROP TABLE posts_fts;"
	"ALTER TABLE posts_stem RENAME TO posts_fts;",

	/*
	 * 8: digests, events, feeds and the newsletter.  digest_state keeps
	 * per list the volume, the last issue and the number of the last
	 * post a digest included, so a restart neither repeats nor skips a
	 * post.  A member chooses a MIME or a plain (RFC 1153) digest.  An
	 * event comes from a coordinator's mail, an .ics or a feed; each
	 * occurrence of a recurring event is a row of its own.  A feed keeps
	 * what its conditional GET needs and its failures; feed_entries
	 * remembers every entry seen, by GUID or link.
	 */
	"CREATE TABLE digest_state ("
	"  list_id INTEGER PRIMARY KEY REFERENCES lists(id),"
	"  volume INTEGER NOT NULL DEFAULT 1,"
	"  issue INTEGER NOT NULL DEFAULT 0,"
	"  last_number INTEGER NOT NULL DEFAULT 0,"
	"  last_sent INTEGER NOT NULL);"
	"CREATE TABLE digests ("
	"  id INTEGER PRIMARY KEY,"
	"  list_id INTEGER NOT NULL REFERENCES lists(id),"
	"  volume INTEGER NOT NULL,"
	"  issue INTEGER NOT NULL,"
	"  first_number INTEGER NOT NULL,"
	"  last_number INTEGER NOT NULL,"
	"  sent INTEGER NOT NULL,"
	"  UNIQUE (list_id, volume, issue));"
	"ALTER TABLE members ADD COLUMN digest_format TEXT NOT NULL"
	"  DEFAULT 'mime' CHECK (digest_format IN ('mime','plain'));"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  list_id INTEGER REFERENCES lists(id),"
	"  source TEXT NOT NULL CHECK (source IN ('mail','ics','feed')),"
	"  uid TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  starts INTEGER NOT NULL,"
	"  ends INTEGER,"
	"  all_day INTEGER NOT NULL DEFAULT 0,"
	"  place TEXT,"
	"  url TEXT,"
	"  description TEXT,"
	"  author TEXT,"
	"  token TEXT,"
	"  state TEXT NOT NULL DEFAULT 'active'"
	"    CHECK (state IN ('active','cancelled')),"
	"  created INTEGER NOT NULL,"
	"  UNIQUE (list_id, uid, starts));"
	"CREATE INDEX events_upcoming ON events(state, starts);"
	"CREATE INDEX events_token ON events(token);"
	"CREATE TABLE feeds ("
	"  id INTEGER PRIMARY KEY,"
	"  list_id INTEGER REFERENCES lists(id),"
	"  url TEXT NOT NULL,"
	"  etag TEXT,"
	"  last_modified TEXT,"
	"  last_fetch INTEGER,"
	"  last_status INTEGER,"
	"  next_fetch INTEGER NOT NULL DEFAULT 0,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  reported INTEGER,"
	"  UNIQUE (list_id, url));"
	"CREATE TABLE feed_entries ("
	"  feed_id INTEGER NOT NULL REFERENCES feeds(id),"
	"  key TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  link TEXT,"
	"  published INTEGER,"
	"  summary TEXT,"
	"  seen INTEGER NOT NULL,"
	"  PRIMARY KEY (feed_id, key));"
	"CREATE TABLE newsletter_issues ("
	"  id INTEGER PRIMARY KEY,"
	"  list_id INTEGER NOT NULL REFERENCES lists(id),"
	"  number INTEGER NOT NULL,"
	"  period_from INTEGER NOT NULL,"
	"  period_to INTEGER NOT NULL,"
	"  sent INTEGER NOT NULL,"
	"  UNIQUE (list_id, number));"
	"CREATE TABLE newsletter_state ("
	"  list_id INTEGER PRIMARY KEY REFERENCES lists(id),"
	"  last_run INTEGER NOT NULL);",

	/*
	 * 9: messages read from hosted mailboxes (IMAP, POP3), so that a
	 * crash between the spool write and the server's flag, move or
	 * DELE neither loses nor doubles one: by mailbox and UID (IMAP
	 * UIDVALIDITY and UID; POP3 0 and UIDL) and by Message-ID and
	 * list addresses.  And the sent deliveries by time, for the
	 * hourly sending cap.
	 */
	"CREATE TABLE fetched ("
	"  mailbox TEXT NOT NULL,"
	"  uidvalidity INTEGER NOT NULL,"
	"  uid TEXT NOT NULL,"
	"  message_id TEXT,"
	"  recipients TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'spooled'"
	"    CHECK (state IN ('spooled','done')),"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (mailbox, uidvalidity, uid));"
	"CREATE INDEX fetched_message_id ON fetched(mailbox, message_id);"
	"CREATE INDEX deliveries_sent ON deliveries(state, updated);",

	/*
	 * 10: the monthly indicator report.  The figures of each month, per
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
