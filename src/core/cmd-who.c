/*
 * cmd-who: who / участники — the members of a list, for its coordinators
 * only; anyone else is refused and learns nothing.
 */
#include <config.h>

#include <stdlib.h>

#include "core/command.h"
#include "core/site.h"
#include "store/member.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct cmd_who_out {
	struct buf	*b;
	const char	*lang;
	size_t		 n;
};

static int
cmd_who_member(void *arg, const struct member *m)
{
	struct cmd_who_out	*o = arg;

	buf_addf(o->b, "  %s", m->address);
	if (m->name != NULL && *m->name != '\0')
		buf_addf(o->b, " (%s)", m->name);
	buf_addf(o->b, " — %s\n", command_mode_name(o->lang, m->mode));
	o->n++;
	return 0;
}

static int
cmd_who_exec(struct command_ctx *ctx, const struct command *c)
{
	const struct list_config	*l = ctx->list;
	struct cmd_who_out		 o;
	struct buf			 b;

	buf_init(&b);
	if (!config_is_coordinator(ctx->site->cfg, l, ctx->sender)) {
		log_info("request: %s: who refused to %s", l->name,
		    ctx->sender);
		buf_addf(&b, COMMAND_TEXT(ctx, "Список участников «%s» "
		    "доступен только координаторам списка.", "The members of "
		    "\"%s\" are shown to its coordinators only."), l->title);
	} else {
		buf_addf(&b, COMMAND_TEXT(ctx, "Участники списка «%s»:\n",
		    "Members of \"%s\":\n"), l->title);
		o = (struct cmd_who_out){ &b, ctx->lang, 0 };
		if (member_foreach(ctx->site->db, site_list_id(ctx->site, l),
		    NULL, cmd_who_member, &o) == -1) {
			buf_free(&b);
			return -1;
		}
		buf_addf(&b, COMMAND_TEXT(ctx, "Всего: %zu.", "In all: %zu."),
		    o.n);
	}
	command_result(ctx, c, buf_cstr(&b));
	buf_free(&b);
	return 0;
}

const struct command_entry cmd_who_entry = {
	"who", "участники",
	"who", "участники",
	"the list's members (for coordinators)",
	"участники списка (для координаторов)",
	COMMAND_NEEDS_LIST, cmd_who_exec
};
