/*
 * cmd-help: help / помощь / справка — the commands, from the one table,
 * and what the list (or the site) is, in the reader's language.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "core/command.h"
#include "core/site.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* One line per command of the table. */
static char *
cmd_help_commands(struct command_ctx *ctx, int at_site)
{
	const struct command_entry	*e;
	struct buf			 b;
	size_t				 i;

	buf_init(&b);
	for (i = 0; i < command_table_len; i++) {
		e = command_table[i];
		buf_addf(&b, "  %s%s\n      %s\n",
		    COMMAND_TEXT(ctx, e->usage_ru, e->usage),
		    at_site && (e->flags & COMMAND_NEEDS_LIST) ?
		    COMMAND_TEXT(ctx, " ИМЯ-СПИСКА", " LIST-NAME") : "",
		    COMMAND_TEXT(ctx, e->about_ru, e->about));
	}
	return buf_detach(&b);
}

static int
cmd_help_exec(struct command_ctx *ctx, const struct command *c)
{
	struct template_var	 v[2];
	char			*commands, *body, *submit, *line;

	commands = cmd_help_commands(ctx, ctx->list == NULL);
	/* Where developments go, when the list has reviewers for them. */
	submit = ctx->list != NULL && ctx->list->nreviewers > 0 ?
	    site_list_address(ctx->site->cfg, ctx->list, "+submit") : NULL;
	line = submit == NULL ? xstrdup("") : xasprintf(COMMAND_TEXT(ctx,
	    "Прислать методическую разработку на экспертизу (файлы во "
	    "вложении):\n  %s\n", "Submit a methodological development for "
	    "review (files attached):\n  %s\n"), submit);
	v[0] = (struct template_var){ "commands", commands };
	v[1] = (struct template_var){ "submit_line", line };
	body = command_render(ctx, ctx->list, ctx->lang,
	    ctx->list ? "help" : "help-site", v, 2);
	free(commands);
	free(submit);
	free(line);
	if (body == NULL)
		return -1;
	command_result(ctx, c, body);
	free(body);
	return 0;
}

const struct command_entry cmd_help_entry = {
	"help", "помощь",
	"help", "помощь (или справка)",
	"this help", "эта справка",
	0, cmd_help_exec
};
