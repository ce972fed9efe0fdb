/*
 * cli-held: metodist held | approve N | reject N [REASON] — the
 * moderation queue from the server's shell.
 */
#include <config.h>

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "core/moderate.h"
#include "core/outq.h"
#include "core/site.h"
#include "store/held.h"
#include "util/strutil.h"

static int
cli_held_print(void *arg, const struct held_post *h)
{
	int	*n = arg;

	printf("%lld\t%s\t%s\t%s\t%s\n", (long long)h->id, h->list, h->sender,
	    h->subject, h->reason);
	(*n)++;
	return 0;
}

static int
cli_held_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct site	s;
	int		transient, n = 0, rc;

	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	rc = held_foreach(s.db, cli_held_print, &n);
	if (rc == 0 && n == 0)
		printf("no posts are held\n");
	site_close(&s);
	return rc == -1 ? EX_TEMPFAIL : 0;
}

static const char *
cli_held_who(void)
{
	struct passwd	*pw = getpwuid(getuid());

	return pw ? pw->pw_name : "shell";
}

static int
cli_held_decide(struct cli_ctx *ctx, int argc, char **argv, int approve)
{
	struct site	 s;
	uint64_t	 id;
	char		*by = NULL;
	int		 transient, rc;

	if (argc < 2 || str_to_u64(argv[1], INT64_MAX, &id) == -1) {
		fprintf(stderr, "usage: metodist %s N%s\n", argv[0],
		    approve ? "" : " [reason]");
		return EX_USAGE;
	}
	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	rc = approve ? moderate_approve(&s, (int64_t)id, cli_held_who(), &by) :
	    moderate_reject(&s, (int64_t)id, cli_held_who(),
	    argc > 2 ? argv[2] : "", &by);
	if (rc == 0)
		outq_run(&s, 1000000);
	site_close(&s);
	switch (rc) {
	case 0:
		printf("post %llu %s\n", (unsigned long long)id,
		    approve ? "approved and sent" : "rejected");
		return 0;
	case 1:
		printf("post %llu was already decided by %s\n",
		    (unsigned long long)id, by);
		free(by);
		return EX_DATAERR;
	case 2:
		fprintf(stderr, "metodist: no held post %llu\n",
		    (unsigned long long)id);
		return EX_DATAERR;
	}
	return EX_TEMPFAIL;
}

static int
cli_approve_run(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_held_decide(ctx, argc, argv, 1);
}

static int
cli_reject_run(struct cli_ctx *ctx, int argc, char **argv)
{
	return cli_held_decide(ctx, argc, argv, 0);
}

const struct cli_command cli_held = {
	"held", "", "list posts awaiting moderation", 1, cli_held_run
};
const struct cli_command cli_approve = {
	"approve", "N", "send held post N to the list", 1, cli_approve_run
};
const struct cli_command cli_reject = {
	"reject", "N [reason]", "refuse held post N", 1, cli_reject_run
};
