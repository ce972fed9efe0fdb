/*
 * cmd-set: set digest|nomail|normal / режим дайджест|без писем|обычный —
 * how a member receives the list; members only.
 */
#include <config.h>

#include <sqlite3.h>
#include <stdlib.h>

#include "core/command.h"
#include "core/site.h"
#include "store/db.h"
#include "store/member.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* 0 changed, 1 not a member, -1 error. */
static int
cmd_set_mode(struct command_ctx *ctx, int64_t lid, const char *mode)
{
	const char	*sql;

	sql = ctx->site->cfg->local_part_ci ?
	    "UPDATE members SET mode = ?3 WHERE list_id = ?1 AND "
	    "lower(address) = lower(?2)" :
	    "UPDATE members SET mode = ?3 WHERE list_id = ?1 AND "
	    "address = ?2";
	if (db_exec(ctx->site->db, sql, "itt", lid, ctx->sender, mode) == -1)
		return -1;
	return sqlite3_changes(ctx->site->db) > 0 ? 0 : 1;
}

static int
cmd_set_exec(struct command_ctx *ctx, const struct command *c)
{
	const struct list_config	*l = ctx->list;
	char				*text;
	int				 rc;

	if ((rc = cmd_set_mode(ctx, site_list_id(ctx->site, l),
	    c->mode)) == -1)
		return -1;
	if (rc == 1)
		text = xasprintf(COMMAND_TEXT(ctx, "Адрес %s не участник "
		    "списка «%s»: режим меняют только участники. Подписаться: "
		    "команда «подписаться».", "%s is not a member of \"%s\": "
		    "only members set a mode. To join: \"subscribe\"."),
		    ctx->sender, l->title);
	else
		text = xasprintf(COMMAND_TEXT(ctx, "Готово: %s получает список "
		    "«%s» в режиме «%s».", "Done: %s now receives \"%s\" as: "
		    "%s."), ctx->sender, l->title, command_mode_name(ctx->lang,
		    c->mode));
	log_info("request: %s: %s mode %s%s", l->name, ctx->sender, c->mode,
	    rc == 1 ? " refused: not a member" : "");
	command_result(ctx, c, text);
	free(text);
	return 0;
}

const struct command_entry cmd_set_entry = {
	"set", "режим",
	"set digest|nomail|normal", "режим дайджест|без писем|обычный",
	"how you receive the list: a digest, nothing, or every post",
	"как получать письма списка: дайджестом, никак или каждое сразу",
	COMMAND_NEEDS_LIST, cmd_set_exec
};
