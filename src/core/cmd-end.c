/*
 * cmd-end: end / конец / stop — nothing after it is read (a signature
 * that the gateway would not recognise, say).
 */
#include <config.h>

#include "core/command.h"

static int
cmd_end_exec(struct command_ctx *ctx, const struct command *c)
{
	(void)ctx;
	(void)c;
	return 0;
}

const struct command_entry cmd_end_entry = {
	"end", "конец",
	"end", "конец",
	"stop reading commands here", "дальше команды не читать",
	COMMAND_STOP, cmd_end_exec
};
