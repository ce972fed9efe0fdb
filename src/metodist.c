/*
 * metodist: the command-line program; one table of subcommands, each in
 * its own file under cli/.
 *
 * Usage: metodist [-v] [-c CONFIG] COMMAND [ARGS]
 * The configuration is -c, else $METODIST_CONFIG, else the installed one.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "core/config.h"
#include "util/fault.h"
#include "util/log.h"

static const struct cli_command *const cli_commands[] = {
	&cli_check, &cli_init, &cli_deliver, &cli_run, &cli_members,
	&cli_held, &cli_approve, &cli_reject, &cli_import, &cli_parse,
	&cli_submissions, &cli_material,
	&cli_archive, &cli_search,
	&cli_digest, &cli_feeds, &cli_newsletter,
	&cli_report,
};

#define CLI_NCOMMANDS	(sizeof cli_commands / sizeof cli_commands[0])

static void
usage(void)
{
	size_t	i;

	fprintf(stderr, "usage: metodist [-v] [-c config] command [args]\n\n");
	for (i = 0; i < CLI_NCOMMANDS; i++)
		fprintf(stderr, "  %-10s %-28s %s\n", cli_commands[i]->name,
		    cli_commands[i]->usage, cli_commands[i]->summary);
	exit(EX_USAGE);
}

static void
cli_config_error(void *arg, const char *file, int line, const char *msg)
{
	if (line > 0)
		fprintf(stderr, "%s:%d: %s\n", file, line, msg);
	else
		fprintf(stderr, "%s: %s\n", file, msg);
}

static const char *
cli_config_path(const char *given)
{
	const char	*env;

	if (given != NULL)
		return given;
	if ((env = getenv("METODIST_CONFIG")) != NULL && *env != '\0')
		return env;
	return METODIST_SYSCONFDIR "/metodist.conf";
}

int
main(int argc, char *argv[])
{
	struct cli_ctx	 ctx;
	const char	*conf = NULL;
	size_t		 i;
	int		 ch;

	fault_init();
	memset(&ctx, 0, sizeof ctx);
	while ((ch = getopt(argc, argv, "+c:v")) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'v':
			ctx.verbose = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	log_init("metodist", 0, ctx.verbose);
	ctx.config_path = cli_config_path(conf);
	for (i = 0; i < CLI_NCOMMANDS; i++) {
		if (strcmp(argv[0], cli_commands[i]->name) != 0)
			continue;
		if (cli_commands[i]->needs_config) {
			ctx.cfg = config_load(ctx.config_path,
			    cli_config_error, NULL);
			if (ctx.cfg == NULL)
				return EX_CONFIG;
			setenv("TZ", ctx.cfg->timezone, 1);
			tzset();
		}
		ch = cli_commands[i]->run(&ctx, argc, argv);
		config_free(ctx.cfg);
		return ch;
	}
	fprintf(stderr, "metodist: unknown command %s\n", argv[0]);
	usage();
}
