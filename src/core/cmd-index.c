/*
 * cmd-index: index [YYYY-MM] / оглавление [ГГГГ-ММ] — the archive's
 * table of contents: the posts of one month (at most ARCHMAIL_MAX), or
 * without a month the latest ones and how many each month has.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/archmail.h"
#include "core/command.h"
#include "core/site.h"
#include "store/db.h"
#include "util/buf.h"

/* One line per post of the query; the count or -1. */
static int
cmd_index_lines(struct command_ctx *ctx, struct buf *b, const char *sql,
    const char *month)
{
	sqlite3_stmt	*st;
	char		*name, *subject;
	int		 rc, n = 0;

	st = db_stmt(ctx->site->db, sql, month ? "it" : "i",
	    archmail_list_id(ctx), month);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		name = db_text(st, 2);
		subject = db_text(st, 3);
		archmail_line(ctx, b, sqlite3_column_int64(st, 0),
		    sqlite3_column_int64(st, 1), name, subject);
		free(name);
		free(subject);
		n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : -1;
}

static int
cmd_index_months(struct command_ctx *ctx, struct buf *b)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_stmt(ctx->site->db, "SELECT strftime('%Y-%m', date, "
	    "'unixepoch', 'localtime') AS m, count(*) FROM posts WHERE "
	    "list_id = ?1 GROUP BY m ORDER BY m DESC LIMIT 120", "i",
	    archmail_list_id(ctx));
	if (st == NULL)
		return -1;
	buf_adds(b, COMMAND_TEXT(ctx, "\nПо месяцам (оглавление ГГГГ-ММ):\n",
	    "\nBy month (index YYYY-MM):\n"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		buf_addf(b, "  %s: %lld\n", (const char *)sqlite3_column_text(st,
		    0), (long long)sqlite3_column_int64(st, 1));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
cmd_index_exec(struct command_ctx *ctx, const struct command *c)
{
	struct buf	b;
	int		rc;

	if ((rc = archmail_allow(ctx, c)) != 1)
		return rc;
	buf_init(&b);
	if (c->arg != NULL) {
		buf_addf(&b, COMMAND_TEXT(ctx, "Архив «%s», %s:\n",
		    "Archive of \"%s\", %s:\n"), ctx->list->title, c->arg);
		rc = cmd_index_lines(ctx, &b, "SELECT number, date, "
		    "coalesce(author_name, ''), subject FROM posts WHERE "
		    "list_id = ?1 AND strftime('%Y-%m', date, 'unixepoch', "
		    "'localtime') = ?2 ORDER BY date, number LIMIT 100", c->arg);
	} else {
		buf_addf(&b, COMMAND_TEXT(ctx, "Архив «%s», последние письма:\n",
		    "Archive of \"%s\", the latest posts:\n"), ctx->list->title);
		rc = cmd_index_lines(ctx, &b, "SELECT * FROM (SELECT number, "
		    "date, coalesce(author_name, ''), subject FROM posts WHERE "
		    "list_id = ?1 ORDER BY date DESC, number DESC LIMIT 30) "
		    "ORDER BY date, number", NULL);
		if (rc >= 0 && cmd_index_months(ctx, &b) == -1)
			rc = -1;
	}
	if (rc == 0)
		buf_adds(&b, COMMAND_TEXT(ctx, "Писем нет.", "No posts."));
	buf_adds(&b, COMMAND_TEXT(ctx, "\nПисьмо целиком: получить N; "
	    "обсуждение: ветка N.", "\nA whole post: get N; its thread: "
	    "thread N."));
	if (rc >= 0)
		command_result(ctx, c, buf_cstr(&b));
	buf_free(&b);
	return rc < 0 ? -1 : 0;
}

const struct command_entry cmd_index_entry = {
	"index", "оглавление",
	"index [YYYY-MM]", "оглавление [ГГГГ-ММ]",
	"the archive's table of contents",
	"оглавление архива",
	COMMAND_NEEDS_LIST, cmd_index_exec
};
