/*
 * cli-submissions: metodist submissions [--list L] [--state S] — the
 * submitted developments, one per line (code, list, state, level,
 * version, author, title; tab-separated), then the approved ones counted
 * by list and level (the region's indicator of replicated developments).
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "core/site.h"
#include "store/submission.h"

#define CLI_SUB_LEVELS	3

static const char *const cli_sub_levels[CLI_SUB_LEVELS] = {
	"municipal", "regional", "portal"
};

struct cli_sub_counts {
	char	 list[64];
	int64_t	 n[CLI_SUB_LEVELS];
	int64_t	 total[CLI_SUB_LEVELS];
	int	 rows;
};

static int
cli_sub_print(void *arg, const struct submission *s)
{
	int	*n = arg;

	printf("%s\t%s\t%s\t%s\tv%lld\t%s\t%s\n", s->code, s->list, s->state,
	    s->level, (long long)s->version, s->author, s->title);
	(*n)++;
	return 0;
}

static void
cli_sub_flush(struct cli_sub_counts *c)
{
	int	i;

	if (c->list[0] == '\0')
		return;
	printf("%s", c->list);
	for (i = 0; i < CLI_SUB_LEVELS; i++)
		printf("\t%lld", (long long)c->n[i]);
	printf("\n");
	memset(c->n, 0, sizeof c->n);
	c->rows++;
}

static int
cli_sub_count(void *arg, const char *list, const char *level, int64_t n)
{
	struct cli_sub_counts	*c = arg;
	int			 i;

	if (strcmp(c->list, list) != 0) {
		cli_sub_flush(c);
		snprintf(c->list, sizeof c->list, "%s", list);
	}
	for (i = 0; i < CLI_SUB_LEVELS; i++)
		if (strcmp(cli_sub_levels[i], level) == 0) {
			c->n[i] += n;
			c->total[i] += n;
		}
	return 0;
}

static int
cli_sub_levels_print(struct site *s)
{
	struct cli_sub_counts	c;
	int			i;

	memset(&c, 0, sizeof c);
	printf("\napproved by level\nlist\tmunicipal\tregional\tportal\n");
	if (submission_count_levels(s->db, cli_sub_count, &c) == -1)
		return -1;
	cli_sub_flush(&c);
	printf("total");
	for (i = 0; i < CLI_SUB_LEVELS; i++)
		printf("\t%lld", (long long)c.total[i]);
	printf("\n");
	return 0;
}

static int
cli_submissions_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "list", required_argument, NULL, 'l' },
		{ "state", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const struct list_config	*l = NULL;
	const char			*state = NULL;
	struct site			 s;
	int				 ch, transient, n = 0, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "l:s:", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if ((l = config_list(ctx->cfg, optarg)) == NULL) {
				fprintf(stderr, "metodist: no list %s\n",
				    optarg);
				return EX_DATAERR;
			}
			break;
		case 's':
			state = optarg;
			break;
		default:
			fprintf(stderr, "usage: metodist submissions "
			    "[--list L] [--state S]\n");
			return EX_USAGE;
		}
	}
	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	rc = submission_foreach(s.db, l ? site_list_id(&s, l) : 0, state, NULL,
	    cli_sub_print, &n);
	if (rc == 0 && n == 0)
		printf("no submissions\n");
	if (rc == 0)
		rc = cli_sub_levels_print(&s);
	site_close(&s);
	return rc == -1 ? EX_TEMPFAIL : 0;
}

const struct cli_command cli_submissions = {
	"submissions", "[--list L] [--state S]",
	"submitted developments, and counts by level", 1, cli_submissions_run
};
