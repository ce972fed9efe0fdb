/*
 * cli-deliver: metodist deliver [-f SENDER] [RECIPIENT] — one message on
 * standard input, as an MTA's pipe transport or an aliases entry gives it.
 *
 * Exit codes (sysexits.h), which Postfix's pipe(8) and local(8) read:
 *   0   the message is durable in the spool (and, with process_inline,
 *       already processed);
 *   75  EX_TEMPFAIL: anything transient; the MTA keeps the message;
 *   67  EX_NOUSER: the recipient is not an address of this gateway;
 *   69  EX_UNAVAILABLE: the message is larger than the site accepts;
 *   65  EX_DATAERR: the message passes a bound of its shape ([limits]
 *       max_header_fields, max_header_line, max_mime_depth,
 *       max_mime_parts); Postfix bounces it with the line printed
 *       (core/msglimit.h), which names the bound;
 *   64  EX_USAGE: no recipient given.
 * Every non-zero exit prints one line on stderr saying why.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "core/config.h"
#include "core/msglimit.h"
#include "core/outq.h"
#include "core/process.h"
#include "core/route.h"
#include "core/site.h"
#include "io/spool.h"
#include "mail/address.h"
#include "mail/header.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define DELIVER_OUTQ_BATCH	100000

/* Read all of fd up to max bytes; -1 with errno, EFBIG when larger. */
static int
deliver_read(int fd, size_t max, struct buf *b)
{
	char	chunk[65536];
	ssize_t	n;

	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			return 0;
		if (b->len + (size_t)n > max) {
			errno = EFBIG;
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
	}
}

static const char *
deliver_recipient(int argc, char **argv)
{
	const char	*env;

	if (argc > 0)
		return argv[0];
	if ((env = getenv("ORIGINAL_RECIPIENT")) != NULL && *env != '\0')
		return env;
	if ((env = getenv("RECIPIENT")) != NULL && *env != '\0')
		return env;
	return NULL;
}

/* The envelope sender: -f, $SENDER, or the Return-Path the MTA added. */
static char *
deliver_sender(const char *given, const struct buf *msg)
{
	struct header_list	 hl;
	const char		*env;
	char			*v, *addr = NULL;
	long			 i;

	if (given != NULL)
		return xstrdup(given);
	if ((env = getenv("SENDER")) != NULL)
		return xstrdup(env);
	header_split(msg->data ? msg->data : "", msg->len, &hl);
	if ((i = header_find(&hl, "Return-Path", 0)) >= 0) {
		v = header_value(&hl, (size_t)i);
		if (strstr(v, "<>") == NULL)
			addr = address_normalize(v);
		free(v);
	}
	header_list_free(&hl);
	return addr ? addr : xstrdup("");
}

static void
deliver_process(struct config *cfg, const char *id)
{
	struct site	s;
	int		transient;

	/* The message is safe in the spool: failures here are only logged;
	 * the daemon or the next run picks the entry up. */
	if (site_open(cfg, &s, &transient) == -1) {
		log_warnx("deliver %s: left in the spool for later", id);
		return;
	}
	if (process_spool_entry(&s, id) == PROCESS_TEMP)
		log_warnx("deliver %s: left in the spool for later", id);
	if (outq_run(&s, DELIVER_OUTQ_BATCH) == -1)
		log_warnx("deliver %s: the outbound queue will be retried", id);
	site_close(&s);
}

static int
deliver_spool(struct cli_ctx *ctx, const char *rcpt, const char *sender_opt)
{
	struct config	*cfg = ctx->cfg;
	struct msglimit_verdict verdict;
	struct buf	 msg;
	char		 id[SPOOL_ID_MAX], *sender;
	int		 rc = 0;

	buf_init(&msg);
	if (deliver_read(STDIN_FILENO, cfg->max_message_size, &msg) == -1) {
		rc = errno == EFBIG ? EX_UNAVAILABLE : EX_TEMPFAIL;
		fprintf(stderr, "metodist: %s\n", errno == EFBIG ?
		    "5.3.4 message too large for this gateway" :
		    "4.3.0 cannot read the message");
		buf_free(&msg);
		return rc;
	}
	if (msglimit_check(cfg, buf_cstr(&msg), msg.len, &verdict)) {
		fprintf(stderr, "metodist: %s\n", verdict.text);
		buf_free(&msg);
		return EX_DATAERR;
	}
	sender = deliver_sender(sender_opt, &msg);
	if (spool_init(cfg->spool_dir) == -1 || spool_enter(cfg->spool_dir,
	    rcpt, sender, buf_cstr(&msg), msg.len, id) == -1) {
		fprintf(stderr, "metodist: 4.3.0 cannot spool the message: %s\n",
		    strerror(errno));
		rc = EX_TEMPFAIL;
	} else {
		log_debug("deliver: %s spooled for %s from <%s>", id, rcpt,
		    sender);
		if (cfg->process_inline)
			deliver_process(cfg, id);
	}
	free(sender);
	buf_free(&msg);
	return rc;
}

static int
cli_deliver_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct route	 rt;
	const char	*rcpt, *sender = NULL;
	int		 ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "f:")) != -1) {
		if (ch != 'f') {
			fprintf(stderr, "usage: metodist deliver [-f sender] "
			    "[recipient]\n");
			return EX_USAGE;
		}
		sender = optarg;
	}
	if ((rcpt = deliver_recipient(argc - optind, argv + optind)) == NULL) {
		fprintf(stderr, "metodist: 5.1.3 no recipient given\n");
		return EX_USAGE;
	}
	if (route_address(ctx->cfg, rcpt, &rt) == -1) {
		fprintf(stderr, "metodist: 5.1.1 <%s>: %s\n", rcpt, rt.reason);
		return EX_NOUSER;
	}
	return deliver_spool(ctx, rcpt, sender);
}

const struct cli_command cli_deliver = {
	"deliver", "[-f sender] [recipient]",
	"take one message on stdin (MTA pipe)", 1, cli_deliver_run
};
