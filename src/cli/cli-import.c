/*
 * cli-import: metodist import — placeholder until the registry import.
 */
#include <config.h>

#include <stdio.h>
#include <sysexits.h>

#include "cli.h"

static int
cli_import_run(struct cli_ctx *ctx, int argc, char **argv)
{
	fprintf(stderr, "metodist: import is not built yet\n");
	return EX_UNAVAILABLE;
}

const struct cli_command cli_import = {
	"import", "FILE.csv", "load the teacher registry", 1, cli_import_run
};
