/*
 * cmd-get: get N / получить N — one archived post, or a range "N-M" as a
 * digest (at most ARCHMAIL_MAX posts), in the summary.
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/archmail.h"
#include "core/command.h"
#include "util/buf.h"

/* "N" or "N-M" (spaces allowed around '-'); 0 or -1. */
static int
cmd_get_range(const char *arg, int64_t *first, int64_t *last)
{
	char	dash;
	int	n;

	if (arg == NULL)
		return -1;
	n = sscanf(arg, "%" SCNd64 " %c %" SCNd64, first, &dash, last);
	if (n == 1)
		*last = *first;
	else if (n != 3 || dash != '-')
		return -1;
	if (*first < 1 || *last < *first)
		return -1;
	if (*last - *first >= ARCHMAIL_MAX)
		*last = *first + ARCHMAIL_MAX - 1;
	return 0;
}

static int
cmd_get_exec(struct command_ctx *ctx, const struct command *c)
{
	struct buf	b;
	int64_t		first, last;
	int		rc;

	if (cmd_get_range(c->arg, &first, &last) == -1) {
		command_result(ctx, c, COMMAND_TEXT(ctx, "Укажите номер письма "
		    "или диапазон, например: получить 12 или получить 10-20.",
		    "Give a post number or a range, e.g. get 12 or "
		    "get 10-20."));
		return 0;
	}
	if ((rc = archmail_allow(ctx, c)) != 1)
		return rc;
	buf_init(&b);
	rc = archmail_posts(ctx, &b, "AND number BETWEEN ?2 AND ?3 "
	    "ORDER BY number", first, last);
	if (rc == 0)
		buf_addf(&b, COMMAND_TEXT(ctx, "В архиве «%s» нет писем с "
		    "такими номерами.", "The archive of \"%s\" has no post "
		    "with such a number."), ctx->list->title);
	if (rc >= 0)
		command_result(ctx, c, buf_cstr(&b));
	buf_free(&b);
	return rc < 0 ? -1 : 0;
}

const struct command_entry cmd_get_entry = {
	"get", "получить",
	"get N | get N-M", "получить N | получить N-M",
	"an archived post, or a range of them as a digest",
	"письмо из архива или несколько подряд одним дайджестом",
	COMMAND_NEEDS_LIST, cmd_get_exec
};
