/*
 * cli-init: metodist init — create var/, the database and list rows.
 * Safe to run any number of times.
 */
#include <config.h>

#include <stdio.h>
#include <sysexits.h>

#include "cli.h"
#include "core/config.h"
#include "core/site.h"

static int
cli_init_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct site	s;
	int		transient;

	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	printf("%s: ready, %zu lists, database %s\n", ctx->cfg->var_dir,
	    ctx->cfg->nlists, ctx->cfg->db_path);
	site_close(&s);
	return 0;
}

const struct cli_command cli_init = {
	"init", "", "create var/ and the database", 1, cli_init_run
};
