/*
 * cmd-unsubscribe: unsubscribe / отписаться — the envelope sender leaves,
 * confirming by reply unless the list says confirm = no.
 */
#include <config.h>

#include <stdlib.h>

#include "core/command.h"
#include "core/site.h"
#include "store/member.h"
#include "util/xmalloc.h"

static int
cmd_unsubscribe_exec(struct command_ctx *ctx, const struct command *c)
{
	const struct list_config	*l = ctx->list;
	char				*text;
	int				 member;

	if ((member = member_is(ctx->site->db, site_list_id(ctx->site, l),
	    ctx->sender, ctx->site->cfg->local_part_ci)) == -1)
		return -1;
	if (!member) {
		text = xasprintf(COMMAND_TEXT(ctx, "Адрес %s не участник "
		    "списка «%s», отписываться не нужно. Если письма приходят "
		    "на другой ваш адрес, отправьте команду с него.", "%s is "
		    "not a member of \"%s\"; there is nothing to leave. If the "
		    "posts reach another address of yours, send the command "
		    "from there."), ctx->sender, l->title);
		command_result(ctx, c, text);
		free(text);
		return 0;
	}
	if (!l->confirm)
		return cmd_confirm_leave(ctx, c, l, ctx->sender);
	return cmd_confirm_request(ctx, c, "unsubscribe", NULL);
}

const struct command_entry cmd_unsubscribe_entry = {
	"unsubscribe", "отписаться",
	"unsubscribe", "отписаться",
	"leave the list (you will be asked to confirm by a reply)",
	"выйти из списка (попросим подтвердить ответом на письмо)",
	COMMAND_NEEDS_LIST, cmd_unsubscribe_exec
};
