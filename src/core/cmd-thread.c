/*
 * cmd-thread: thread N / ветка N — the whole conversation post N belongs
 * to, as a digest (at most ARCHMAIL_MAX posts).
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>

#include "core/archmail.h"
#include "core/command.h"
#include "util/buf.h"

static int
cmd_thread_exec(struct command_ctx *ctx, const struct command *c)
{
	struct buf	b;
	int64_t		n;
	int		rc;

	if (c->arg == NULL || sscanf(c->arg, "%" SCNd64, &n) != 1 || n < 1) {
		command_result(ctx, c, COMMAND_TEXT(ctx, "Укажите номер письма, "
		    "например: ветка 12.", "Give a post number, e.g. "
		    "thread 12."));
		return 0;
	}
	if ((rc = archmail_allow(ctx, c)) != 1)
		return rc;
	buf_init(&b);
	rc = archmail_posts(ctx, &b, "AND thread = (SELECT thread FROM posts "
	    "WHERE list_id = ?1 AND number = ?2) ORDER BY date, number", n, 0);
	if (rc == 0)
		buf_addf(&b, COMMAND_TEXT(ctx, "В архиве «%s» нет письма "
		    "№ %" PRId64 ".", "The archive of \"%s\" has no post "
		    "%" PRId64 "."), ctx->list->title, n);
	if (rc >= 0)
		command_result(ctx, c, buf_cstr(&b));
	buf_free(&b);
	return rc < 0 ? -1 : 0;
}

const struct command_entry cmd_thread_entry = {
	"thread", "ветка",
	"thread N", "ветка N",
	"the whole conversation of post N as a digest",
	"всё обсуждение, в котором письмо N, одним дайджестом",
	COMMAND_NEEDS_LIST, cmd_thread_exec
};
