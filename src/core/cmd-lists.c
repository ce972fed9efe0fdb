/*
 * cmd-lists: lists / списки — every list of the gateway with its address,
 * title and description.
 */
#include <config.h>

#include <stdlib.h>

#include "core/command.h"
#include "core/site.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static int
cmd_lists_exec(struct command_ctx *ctx, const struct command *c)
{
	const struct config	*cfg = ctx->site->cfg;
	struct template_var	 v[1];
	struct buf		 b;
	char			*addr, *body;
	size_t			 i;

	buf_init(&b);
	for (i = 0; i < cfg->nlists; i++) {
		addr = site_list_address(cfg, &cfg->lists[i], "");
		buf_addf(&b, "  %s\n      %s\n", cfg->lists[i].title, addr);
		if (*cfg->lists[i].description != '\0')
			buf_addf(&b, "      %s\n", cfg->lists[i].description);
		buf_addc(&b, '\n');
		free(addr);
	}
	v[0] = (struct template_var){ "lists", buf_cstr(&b) };
	body = command_render(ctx, NULL, ctx->lang, "lists", v, 1);
	buf_free(&b);
	if (body == NULL)
		return -1;
	command_result(ctx, c, body);
	free(body);
	return 0;
}

const struct command_entry cmd_lists_entry = {
	"lists", "списки",
	"lists", "списки",
	"all lists of this gateway", "все списки рассылки этого шлюза",
	0, cmd_lists_exec
};
