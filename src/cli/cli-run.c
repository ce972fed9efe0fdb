/*
 * cli-run: metodist run — process what waits in the spool and send what
 * is due in the outbound queue, once, then exit (for cron or tests).
 */
#include <config.h>

#include <stdio.h>
#include <sysexits.h>
#include <time.h>

#include "cli.h"
#include "core/digest.h"
#include "core/expire.h"
#include "core/newsletter.h"
#include "core/outq.h"
#include "core/process.h"
#include "core/report-mail.h"
#include "core/site.h"
#include "io/spool.h"

static int
cli_run_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct site	s;
	int		transient, done, sent;

	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	spool_recover(ctx->cfg->spool_dir, 600);
	done = process_spool(&s);
	if (expire_run(&s) == -1)
		done = -1;
	if (digest_run(&s, time(NULL)) == -1 ||
	    newsletter_run(&s, time(NULL)) == -1 ||
	    report_mail_run(&s, time(NULL)) == -1)
		done = -1;
	sent = outq_run(&s, 1000000);
	printf("processed %d, sent %d\n", done, sent);
	site_close(&s);
	return done < 0 || sent < 0 ? EX_TEMPFAIL : 0;
}

const struct cli_command cli_run = {
	"run", "", "process the spool and the queue once", 1, cli_run_run
};
