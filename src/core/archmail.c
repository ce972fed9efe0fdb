/*
 * archmail: see archmail.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/archmail.h"
#include "core/site.h"
#include "mail/message.h"
#include "store/db.h"
#include "store/limit.h"
#include "store/member.h"
#include "util/atomicfile.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#define ARCHMAIL_MAX_MESSAGE	(16 * 1024 * 1024)
#define ARCHMAIL_MAX_TEXT	(64 * 1024)

int64_t
archmail_list_id(struct command_ctx *ctx)
{
	return site_list_id(ctx->site, ctx->list);
}

static int
archmail_reader(struct command_ctx *ctx)
{
	const struct list_config	*l = ctx->list;

	if (!l->archive_private ||
	    config_is_coordinator(ctx->site->cfg, l, ctx->sender))
		return 1;
	return member_is(ctx->site->db, archmail_list_id(ctx), ctx->sender,
	    ctx->site->cfg->local_part_ci);
}

int
archmail_allow(struct command_ctx *ctx, const struct command *c)
{
	char	 day[16], *key;
	int	 rc;

	if ((rc = archmail_reader(ctx)) != 1) {
		if (rc == 0) {
			log_info("request: %s: archive refused to %s",
			    ctx->list->name, ctx->sender);
			command_result(ctx, c, COMMAND_TEXT(ctx, "Архив этого "
			    "списка доступен только его участникам.", "This "
			    "list's archive is open to its members only."));
		}
		return rc;
	}
	time_day(time(NULL), day, sizeof day);
	key = xasprintf("archive:%s", ctx->sender);
	rc = limit_take(ctx->site->db, key, day,
	    (int64_t)ctx->site->cfg->archive_requests_per_day);
	free(key);
	if (rc == 0) {
		log_info("request: %s: archive requests of %s over the "
		    "daily limit", ctx->list->name, ctx->sender);
		command_result(ctx, c, COMMAND_TEXT(ctx, "На сегодня запросов "
		    "к архиву достаточно; повторите завтра.", "That is enough "
		    "archive requests for today; please ask again tomorrow."));
	}
	return rc;
}

void
archmail_line(struct command_ctx *ctx, struct buf *b, int64_t number,
    int64_t date, const char *name, const char *subject)
{
	char	when[16];

	time_day((time_t)date, when, sizeof when);
	buf_addf(b, "%6lld  %s  %s — %s\n", (long long)number, when,
	    name && *name ? name : COMMAND_TEXT(ctx, "участник", "member"),
	    subject && *subject ? subject : COMMAND_TEXT(ctx, "(без темы)",
	    "(no subject)"));
}

static void
archmail_text(struct buf *b, const char *text)
{
	size_t	n = strlen(text);

	if (n > ARCHMAIL_MAX_TEXT) {
		n = ARCHMAIL_MAX_TEXT;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	buf_add(b, text, n);
	if (n < strlen(text))
		buf_adds(b, "\n[…]");
	if (n == 0 || text[n - 1] != '\n')
		buf_addc(b, '\n');
}

/* One post: a header block and the text, as in a digest. */
static void
archmail_post(struct command_ctx *ctx, struct buf *b, sqlite3_stmt *st)
{
	struct message	*m = NULL;
	const char	*path = (const char *)sqlite3_column_text(st, 5);
	const char	*name = (const char *)sqlite3_column_text(st, 3);
	char		 when[64], *raw;
	size_t		 len, i;
	time_t		 date = (time_t)sqlite3_column_int64(st, 1);

	time_rfc5322(date, when, sizeof when);
	buf_addf(b, "%s: %lld\n", COMMAND_TEXT(ctx, "Номер", "Number"),
	    (long long)sqlite3_column_int64(st, 0));
	if (ctx->list->archive_private || name == NULL || *name == '\0')
		buf_addf(b, "From: %s\n", name && *name ? name :
		    COMMAND_TEXT(ctx, "участник", "member"));
	else
		buf_addf(b, "From: %s <%s>\n", name, (const char *)
		    sqlite3_column_text(st, 4));
	buf_addf(b, "Date: %s\nSubject: %s\n", when,
	    (const char *)sqlite3_column_text(st, 2));
	if ((raw = atomicfile_read(path, ARCHMAIL_MAX_MESSAGE, &len)) != NULL)
		m = message_parse(raw, len);
	for (i = 0; m != NULL && i < m->nattachments; i++)
		buf_addf(b, "%s: %s (%zu)\n", COMMAND_TEXT(ctx, "Вложение",
		    "Attachment"), m->attachments[i].filename ?
		    m->attachments[i].filename : "—", m->attachments[i].len);
	buf_addc(b, '\n');
	archmail_text(b, m != NULL ? m->text : "");
	message_free(m);
	free(raw);
}

int
archmail_posts(struct command_ctx *ctx, struct buf *b, const char *where,
    int64_t x, int64_t y)
{
	sqlite3_stmt	*st;
	char		*sql;
	int		 rc, n = 0;

	sql = xasprintf("SELECT number, date, subject, author_name, author, "
	    "path FROM posts WHERE list_id = ?1 %s LIMIT %d", where,
	    ARCHMAIL_MAX);
	st = db_stmt(ctx->site->db, sql, strstr(where, "?3") ? "iii" : "ii",
	    archmail_list_id(ctx), x, y);
	free(sql);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ > 0)
			buf_adds(b, "\n------------------------------\n\n");
		archmail_post(ctx, b, st);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : -1;
}
