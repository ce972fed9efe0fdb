/*
 * cli-feeds: metodist feeds [--now] — fetch the lists' feeds that are due
 * (with --now, every feed at once, conditional GET still), then print
 * each feed's state: URL, last status, failures, entries seen.
 */
#include <config.h>

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "cli.h"
#include "core/feeds.h"
#include "core/outq.h"
#include "core/site.h"
#include "store/db.h"

static int
cli_feeds_print(struct site *s)
{
	sqlite3_stmt	*st;

	st = db_stmt(s->db, "SELECT coalesce(l.name, '-'), f.url, "
	    "coalesce(f.last_status, 0), f.failures, coalesce(f.last_error, "
	    "''), (SELECT count(*) FROM feed_entries e WHERE e.feed_id = "
	    "f.id) FROM feeds f LEFT JOIN lists l ON l.id = f.list_id "
	    "ORDER BY f.id", "");
	if (st == NULL)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW)
		printf("%s\t%s\tstatus %d\tfailures %d\tentries %d\t%s\n",
		    (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    sqlite3_column_int(st, 2), sqlite3_column_int(st, 3),
		    sqlite3_column_int(st, 5),
		    (const char *)sqlite3_column_text(st, 4));
	sqlite3_finalize(st);
	return 0;
}

static int
cli_feeds_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct site	s;
	int		transient, rc;

	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	rc = 0;
	if (argc > 1 && strcmp(argv[1], "--now") == 0)
		rc = db_exec(s.db, "UPDATE feeds SET next_fetch = 0", "");
	if (rc == 0)
		rc = feeds_run(&s, time(NULL));
	if (rc >= 0)
		printf("fetched %d\n", rc);
	if (cli_feeds_print(&s) == -1 || outq_run(&s, 1000000) == -1)
		rc = -1;
	site_close(&s);
	return rc == -1 ? EX_TEMPFAIL : 0;
}

const struct cli_command cli_feeds = {
	"feeds", "[--now]", "fetch the lists' feeds that are due (--now: all)",
	1, cli_feeds_run
};
