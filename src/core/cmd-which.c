/*
 * cmd-which: which / мои — the lists the sender is a member of, across
 * the whole gateway.
 */
#include <config.h>

#include <stdlib.h>

#include "core/command.h"
#include "core/site.h"
#include "store/member.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static int
cmd_which_exec(struct command_ctx *ctx, const struct command *c)
{
	const struct config	*cfg = ctx->site->cfg;
	struct buf		 b;
	char			*addr;
	size_t			 i, n = 0;
	int			 rc;

	buf_init(&b);
	buf_addf(&b, COMMAND_TEXT(ctx, "Адрес %s — участник списков:\n",
	    "%s is a member of:\n"), ctx->sender);
	for (i = 0; i < cfg->nlists; i++) {
		if ((rc = member_is(ctx->site->db, site_list_id(ctx->site,
		    &cfg->lists[i]), ctx->sender, cfg->local_part_ci)) == -1) {
			buf_free(&b);
			return -1;
		}
		if (rc == 0)
			continue;
		addr = site_list_address(cfg, &cfg->lists[i], "");
		buf_addf(&b, "  %s — %s\n", cfg->lists[i].title, addr);
		free(addr);
		n++;
	}
	if (n == 0) {
		buf_reset(&b);
		buf_addf(&b, COMMAND_TEXT(ctx, "Адрес %s не участник ни одного "
		    "списка. Все списки: команда «списки».", "%s is not a "
		    "member of any list. The command \"lists\" shows them all."),
		    ctx->sender);
	}
	command_result(ctx, c, buf_cstr(&b));
	buf_free(&b);
	return 0;
}

const struct command_entry cmd_which_entry = {
	"which", "мои",
	"which", "мои",
	"the lists you are a member of", "списки, в которых вы участник",
	0, cmd_which_exec
};
