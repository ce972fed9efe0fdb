/*
 * cmd-format: set digest plain|mime / режим дайджест простой|полный —
 * which digest a member receives: MIME (the posts whole, attachments
 * included) or plain text (RFC 1153); members only.  The choice is kept
 * whatever the delivery mode, and counts once the mode is digest.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "core/command.h"
#include "core/site.h"
#include "store/digest.h"
#include "util/log.h"
#include "util/xmalloc.h"

static int
cmd_format_exec(struct command_ctx *ctx, const struct command *c)
{
	const struct list_config	*l = ctx->list;
	const char			*format = c->mode;
	int				 plain, rc;
	char				*text;

	plain = format != NULL && strcmp(format, "plain") == 0;
	if ((rc = digest_set_format(ctx->site->db, site_list_id(ctx->site,
	    l), ctx->sender, ctx->site->cfg->local_part_ci,
	    plain ? "plain" : "mime")) == -1)
		return -1;
	if (rc == 1)
		text = xasprintf(COMMAND_TEXT(ctx, "Адрес %s не участник "
		    "списка «%s»: вид дайджеста выбирают только участники.",
		    "%s is not a member of \"%s\": only members choose a "
		    "digest."), ctx->sender, l->title);
	else if (plain)
		text = xasprintf(COMMAND_TEXT(ctx, "Готово: дайджест списка "
		    "«%s» будет приходить простым текстом (RFC 1153); "
		    "вложения в нём только называются, сами они в архиве.%s",
		    "Done: the digest of \"%s\" comes as plain text (RFC "
		    "1153); attachments are named in it and kept in the "
		    "archive.%s"), l->title, COMMAND_TEXT(ctx, " Чтобы "
		    "получать дайджест, а не каждое письмо: «режим дайджест».",
		    " To get the digest instead of every post: \"set "
		    "digest\"."));
	else
		text = xasprintf(COMMAND_TEXT(ctx, "Готово: дайджест списка "
		    "«%s» будет приходить письмами целиком, с вложениями "
		    "(MIME).%s", "Done: the digest of \"%s\" carries the posts "
		    "whole, attachments included (MIME).%s"), l->title,
		    COMMAND_TEXT(ctx, " Чтобы получать дайджест, а не каждое "
		    "письмо: «режим дайджест».", " To get the digest instead "
		    "of every post: \"set digest\"."));
	log_info("request: %s: %s digest format %s%s", l->name, ctx->sender,
	    plain ? "plain" : "mime", rc == 1 ? " refused: not a member" :
	    "");
	command_result(ctx, c, text);
	free(text);
	return 0;
}

const struct command_entry cmd_format_entry = {
	"format", "формат",
	"set digest plain|mime", "режим дайджест простой|полный",
	"the digest as plain text (RFC 1153) or whole posts with "
	    "attachments (MIME)",
	"дайджест простым текстом (RFC 1153) или письмами целиком, "
	    "с вложениями (MIME)",
	COMMAND_NEEDS_LIST, cmd_format_exec
};
