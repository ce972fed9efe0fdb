/*
 * cmd-search: search WORDS / найти СЛОВА — the best CMD_SEARCH_HITS posts
 * of the list's archive holding all the words in any of their forms,
 * with numbers to ask for with get.
 */
#include <config.h>

#include <stdlib.h>

#include "core/archmail.h"
#include "core/command.h"
#include "core/site.h"
#include "store/search.h"
#include "util/buf.h"

#define CMD_SEARCH_HITS	10

struct cmd_search_out {
	struct command_ctx	*ctx;
	struct buf		*b;
};

static int
cmd_search_hit(void *arg, const struct search_hit *h)
{
	struct cmd_search_out	*o = arg;

	archmail_line(o->ctx, o->b, h->number, h->date, h->author_name,
	    h->subject);
	buf_addf(o->b, "        %s\n", h->snippet);
	return 0;
}

static int
cmd_search_exec(struct command_ctx *ctx, const struct command *c)
{
	struct cmd_search_out	o;
	struct buf		b;
	int			rc;

	if ((rc = archmail_allow(ctx, c)) != 1)
		return rc;
	buf_init(&b);
	o = (struct cmd_search_out){ ctx, &b };
	rc = search_posts(ctx->site->db, archmail_list_id(ctx), c->arg,
	    CMD_SEARCH_HITS, cmd_search_hit, &o);
	if (rc == 0)
		buf_adds(&b, COMMAND_TEXT(ctx, "Ничего не найдено.",
		    "Nothing found."));
	else if (rc > 0)
		buf_adds(&b, COMMAND_TEXT(ctx, "\nПисьмо целиком: получить N.",
		    "\nA whole post: get N."));
	if (rc >= 0)
		command_result(ctx, c, buf_cstr(&b));
	buf_free(&b);
	return rc < 0 ? -1 : 0;
}

const struct command_entry cmd_search_entry = {
	"search", "найти",
	"search WORDS", "найти СЛОВА",
	"search the archive (all word forms)",
	"поиск по архиву (с любыми формами слов)",
	COMMAND_NEEDS_LIST, cmd_search_exec
};
