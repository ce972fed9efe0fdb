/*
 * cli-import: metodist import [--subscribe | --invite] FILE.csv — load the
 * teacher registry (core/registry.h), report each bad row on stderr as
 * FILE:LINE: reason, send the notices it queued, and print a summary.
 * Exit 0 when the file was read (bad rows included), 66 when it cannot be
 * read, 65 when it has no usable header, 75 on a database error.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "core/config.h"
#include "core/outq.h"
#include "core/registry.h"
#include "core/site.h"

static void
cli_import_report(void *arg, const char *file, int line, const char *msg)
{
	if (line > 0)
		fprintf(stderr, "%s:%d: %s\n", file, line, msg);
	else
		fprintf(stderr, "%s: %s\n", file, msg);
}

static void
cli_import_summary(const struct config *cfg, const struct registry_summary *s)
{
	if (strcmp(cfg->language, "en") == 0)
		printf("rows %zu, added %zu, updated %zu, unchanged %zu, "
		    "bad %zu, subscribed %zu, invited %zu, no list %zu, "
		    "not sent %zu\n", s->rows, s->added, s->updated,
		    s->unchanged, s->bad, s->subscribed, s->invited,
		    s->unmatched, s->unsent);
	else
		printf("строк: %zu, добавлено: %zu, обновлено: %zu, "
		    "без изменений: %zu, с ошибками: %zu, подписано: %zu, "
		    "приглашено: %zu, без списка: %zu, не отправлено: %zu\n",
		    s->rows, s->added, s->updated, s->unchanged, s->bad,
		    s->subscribed, s->invited, s->unmatched, s->unsent);
}

/* The action from the options; -1 on a usage error. */
static int
cli_import_args(int argc, char **argv, enum registry_action *action,
    const char **file)
{
	int	i;

	*action = REGISTRY_LOAD;
	*file = NULL;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--subscribe") == 0 &&
		    *action == REGISTRY_LOAD)
			*action = REGISTRY_SUBSCRIBE;
		else if (strcmp(argv[i], "--invite") == 0 &&
		    *action == REGISTRY_LOAD)
			*action = REGISTRY_INVITE;
		else if (argv[i][0] != '-' && *file == NULL)
			*file = argv[i];
		else
			return -1;
	}
	return *file == NULL ? -1 : 0;
}

static int
cli_import_status(int rc)
{
	switch (rc) {
	case REGISTRY_OK:
		return 0;
	case REGISTRY_ENOINPUT:
		return EX_NOINPUT;
	case REGISTRY_EDATA:
		return EX_DATAERR;
	default:
		return EX_TEMPFAIL;
	}
}

static int
cli_import_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct registry_options	 opt;
	struct registry_summary	 sum;
	struct site		 s;
	const char		*file;
	int			 transient, rc;

	memset(&opt, 0, sizeof opt);
	if (cli_import_args(argc, argv, &opt.action, &file) == -1) {
		fprintf(stderr, "usage: metodist import [--subscribe | "
		    "--invite] FILE.csv\n");
		return EX_USAGE;
	}
	opt.progress = 1;
	opt.report = cli_import_report;
	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	rc = registry_import(&s, file, &opt, &sum);
	if (rc == REGISTRY_OK || rc == REGISTRY_EDB)
		cli_import_summary(ctx->cfg, &sum);
	if (outq_run(&s, 1000000) == -1 && rc == REGISTRY_OK)
		rc = REGISTRY_EDB;
	site_close(&s);
	return cli_import_status(rc);
}

const struct cli_command cli_import = {
	"import", "[--subscribe|--invite] FILE.csv",
	"load the teacher registry", 1, cli_import_run
};
