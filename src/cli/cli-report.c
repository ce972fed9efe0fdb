/*
 * cli-report: metodist report [--month YYYY-MM] [--format html|csv|text]
 * [--list L] [--mail] — the region's indicators for a month on standard
 * output, or with --mail sent (again) to the administrators and the
 * lists' coordinators, as the daemon sends them once a month.
 *
 * Without --month it is the last finished month.  A finished month's
 * figures are kept the first time they are asked for (or by the daemon
 * at the month's end) and every later report of that month is rendered
 * from what was kept; the current month is provisional and not kept.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "cli.h"
#include "core/config.h"
#include "core/outq.h"
#include "core/report.h"
#include "core/report-mail.h"
#include "core/site.h"
#include "render/report.h"
#include "store/db.h"
#include "util/strutil.h"

static int
cli_report_usage(void)
{
	fprintf(stderr, "usage: metodist report [--month YYYY-MM] "
	    "[--format html|csv|text] [--list LIST] [--mail]\n");
	return EX_USAGE;
}

static char *
cli_report_render(const struct report *r, const char *format,
    const char *site_name)
{
	if (strcmp(format, "html") == 0)
		return report_html(r, site_name);
	if (strcmp(format, "csv") == 0)
		return report_csv(r);
	return report_text(r, site_name);
}

static int
cli_report_print(struct cli_ctx *ctx, const char *month, const char *list,
    const char *format)
{
	struct site	 s;
	struct report	 r;
	char		*out;
	int		 transient, rc;

	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	db_reader(s.db);
	rc = report_get(&s, month, list, time(NULL), &r);
	site_close(&s);
	if (rc != 0) {
		fprintf(stderr, "metodist: the report of %s could not be "
		    "made (see the log)\n", month);
		return EX_TEMPFAIL;
	}
	out = cli_report_render(&r, format, ctx->cfg->site_name);
	fputs(out, stdout);
	free(out);
	report_free(&r);
	return fflush(stdout) == 0 ? 0 : EX_IOERR;
}

static int
cli_report_mail(struct cli_ctx *ctx, const char *month, const char *list)
{
	struct site	s;
	int		transient, n;

	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	n = report_mail_month(&s, month, list, time(NULL));
	if (n >= 0)
		outq_run(&s, 1000000);
	site_close(&s);
	if (n == -2) {
		fprintf(stderr, "metodist: %s has not ended yet\n", month);
		return EX_DATAERR;
	}
	if (n == -1)
		return EX_TEMPFAIL;
	printf("%s: %d report%s sent\n", month, n, n == 1 ? "" : "s");
	return 0;
}

static int
cli_report_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ "list", required_argument, NULL, 'l' },
		{ "mail", no_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 }
	};
	char		 month[8];
	const char	*format = "text", *list = "";
	int		 ch, mail = 0;

	report_month_of(time(NULL), month);
	report_month_before(month, month);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "m:f:l:M", opts, NULL)) != -1) {
		switch (ch) {
		case 'm':
			if (!report_month_valid(optarg))
				return cli_report_usage();
			str_lcpy(month, optarg, sizeof month);
			break;
		case 'f':
			format = optarg;
			break;
		case 'l':
			list = optarg;
			break;
		case 'M':
			mail = 1;
			break;
		default:
			return cli_report_usage();
		}
	}
	if (optind != argc || (strcmp(format, "html") != 0 &&
	    strcmp(format, "csv") != 0 && strcmp(format, "text") != 0))
		return cli_report_usage();
	if (*list != '\0' && config_list(ctx->cfg, list) == NULL) {
		fprintf(stderr, "metodist: no list %s\n", list);
		return EX_DATAERR;
	}
	if (mail)
		return cli_report_mail(ctx, month, list);
	return cli_report_print(ctx, month, list, format);
}

const struct cli_command cli_report = {
	"report", "[--month M] [--format F] [--mail]",
	"the region's indicators, shown or mailed",
	1, cli_report_run
};
