/*
 * cli: the subcommands of the metodist program, one file each, gathered
 * in one table in metodist.c.
 *
 * Contract: a subcommand's run function returns a sysexits.h code (0 on
 * success).  When `needs_config` is set, metodist.c has loaded the
 * configuration into ctx->cfg before calling it and exits 78 (EX_CONFIG)
 * itself when that failed.
 */
#ifndef METODIST_CLI_H
#define METODIST_CLI_H

struct config;

struct cli_ctx {
	const char	*config_path;
	struct config	*cfg;
	int		 verbose;
};

struct cli_command {
	const char	*name;
	const char	*usage;
	const char	*summary;
	int		 needs_config;
	int		(*run)(struct cli_ctx *, int argc, char **argv);
};

extern const struct cli_command cli_check;
extern const struct cli_command cli_deliver;
extern const struct cli_command cli_run;
extern const struct cli_command cli_members;
extern const struct cli_command cli_held;
extern const struct cli_command cli_approve;
extern const struct cli_command cli_reject;
extern const struct cli_command cli_init;
extern const struct cli_command cli_parse;
extern const struct cli_command cli_import;
extern const struct cli_command cli_submissions;
extern const struct cli_command cli_material;
extern const struct cli_command cli_archive;
extern const struct cli_command cli_search;
extern const struct cli_command cli_digest;
extern const struct cli_command cli_feeds;
extern const struct cli_command cli_newsletter;
extern const struct cli_command cli_report;

#endif
