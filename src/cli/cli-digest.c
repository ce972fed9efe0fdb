/*
 * cli-digest: metodist digest send LIST [--now] — the list's next digest
 * at once, whatever its schedule, then the queue is run.  Without --now
 * only what is due by the schedule or the thresholds goes.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "cli.h"
#include "core/config.h"
#include "core/digest.h"
#include "core/outq.h"
#include "core/site.h"

static int
cli_digest_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct list_config	*l;
	struct site			 s;
	int				 transient, now, rc;

	if (argc < 3 || strcmp(argv[1], "send") != 0) {
		fprintf(stderr, "usage: metodist digest send LIST [--now]\n");
		return EX_USAGE;
	}
	if ((l = config_list(ctx->cfg, argv[2])) == NULL) {
		fprintf(stderr, "metodist digest: no list %s\n", argv[2]);
		return EX_USAGE;
	}
	now = argc > 3 && strcmp(argv[3], "--now") == 0;
	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	rc = now ? digest_send_now(&s, l, time(NULL)) :
	    digest_run(&s, time(NULL));
	if (rc > 0)
		printf("digest of %s queued\n", l->name);
	else if (rc == 0)
		printf("no digest due for %s\n", l->name);
	if (outq_run(&s, 1000000) == -1)
		rc = -1;
	site_close(&s);
	return rc == -1 ? EX_TEMPFAIL : 0;
}

const struct cli_command cli_digest = {
	"digest", "send LIST [--now]",
	"send a list's digest now (--now) or whatever is due", 1,
	cli_digest_run
};
