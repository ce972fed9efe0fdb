/*
 * cmd-subscribe: subscribe [digest|nomail] / подписаться [дайджест|без
 * писем] — only ever the envelope sender's own address.
 *
 * An open list confirms by reply unless it says confirm = no; a list
 * whose subscription is moderated passes the request to its coordinators
 * (who add members themselves); a closed list refuses politely.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "core/command.h"
#include "core/moderate.h"
#include "core/reply.h"
#include "core/site.h"
#include "store/member.h"
#include "util/log.h"
#include "util/xmalloc.h"

static void
cmd_subscribe_closed(struct command_ctx *ctx, const struct command *c)
{
	char	*owner, *text;

	owner = site_list_address(ctx->site->cfg, ctx->list, "-owner");
	text = xasprintf(COMMAND_TEXT(ctx, "В список «%s» участников "
	    "добавляют координаторы; самостоятельная подписка закрыта. "
	    "Напишите координаторам: %s.", "Members of \"%s\" are added by "
	    "its coordinators; subscribing by mail is closed. Write to the "
	    "coordinators: %s."), ctx->list->title, owner);
	command_result(ctx, c, text);
	free(text);
	free(owner);
}

/* Moderated subscription: the coordinators are told, they decide. */
static int
cmd_subscribe_ask(struct command_ctx *ctx, const struct command *c)
{
	const struct list_config	*l = ctx->list;
	char				*text;

	/* Held like a post: the coordinators decide by replying. */
	if (moderate_hold_subscription(ctx->site, l, ctx->sender, c->mode,
	    ctx->msg) == -1)
		return -1;
	log_info("request: %s: subscription of %s passed to the "
	    "coordinators", l->name, ctx->sender);
	text = xasprintf(COMMAND_TEXT(ctx, "Подписку на список «%s» "
	    "одобряют координаторы: ваша просьба передана им. Когда вас "
	    "добавят, придёт приветственное письмо.", "Subscriptions to "
	    "\"%s\" are approved by its coordinators: your request was "
	    "passed to them. A welcome letter will come when you are "
	    "added."), l->title);
	command_result(ctx, c, text);
	free(text);
	return 0;
}

static int
cmd_subscribe_exec(struct command_ctx *ctx, const struct command *c)
{
	const struct list_config	*l = ctx->list;
	char				*text;
	int				 member;

	if (l->subscription == SUBSCRIPTION_CLOSED) {
		cmd_subscribe_closed(ctx, c);
		return 0;
	}
	if ((member = member_is(ctx->site->db, site_list_id(ctx->site, l),
	    ctx->sender, ctx->site->cfg->local_part_ci)) == -1)
		return -1;
	if (member) {
		/* The member writes from that mailbox: it works again. */
		switch (member_enable(ctx->site->db, site_list_id(ctx->site, l),
		    ctx->sender, ctx->site->cfg->local_part_ci)) {
		case -1:
			return -1;
		case 1:
			text = xasprintf(COMMAND_TEXT(ctx, "Доставка писем "
			    "списка «%s» на адрес %s возобновлена.", "Delivery "
			    "of \"%s\" to %s is resumed."), l->title,
			    ctx->sender);
			command_result(ctx, c, text);
			free(text);
			return 0;
		}
		text = xasprintf(COMMAND_TEXT(ctx, "Адрес %s уже участник "
		    "списка «%s». Способ получения писем меняет команда "
		    "«режим дайджест|без писем|обычный».", "%s is already a "
		    "member of \"%s\". The command \"set digest|nomail|normal\" "
		    "changes how you receive it."), ctx->sender, l->title);
		command_result(ctx, c, text);
		free(text);
		return 0;
	}
	if (l->subscription == SUBSCRIPTION_MODERATED)
		return cmd_subscribe_ask(ctx, c);
	if (!l->confirm)
		return cmd_confirm_join(ctx, c, l, ctx->sender, c->mode);
	return cmd_confirm_request(ctx, c, "subscribe", c->mode);
}

const struct command_entry cmd_subscribe_entry = {
	"subscribe", "подписаться",
	"subscribe [digest|nomail]", "подписаться [дайджест|без писем]",
	"join the list (you will be asked to confirm by a reply)",
	"подписаться на список (попросим подтвердить ответом на письмо)",
	COMMAND_NEEDS_LIST, cmd_subscribe_exec
};
