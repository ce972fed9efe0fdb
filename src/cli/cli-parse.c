/*
 * cli-parse: metodist parse FILE... — show how the parser reads messages
 * (decoded subject, author, text length, attachments, and whether it is
 * a delivery report, of what kind and for whom).  A diagnostic for
 * administrators and the corpus check; needs no configuration.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "mail/dsn.h"
#include "mail/filename.h"
#include "mail/message.h"
#include "util/atomicfile.h"

#define PARSE_MAX	((size_t)256 * 1024 * 1024)

static void
cli_parse_show(const char *path, const struct message *m)
{
	size_t	i;
	char	*safe;

	printf("%s\n  subject: %s\n  from: %s <%s>\n  message-id: %s\n"
	    "  text: %zu bytes%s\n  attachments: %zu\n", path, m->subject,
	    m->from_name ? m->from_name : "", m->from_addr ? m->from_addr : "",
	    m->message_id ? m->message_id : "", strlen(m->text),
	    m->text_from_html ? " (from HTML)" : "", m->nattachments);
	for (i = 0; i < m->nattachments; i++) {
		safe = filename_safe(m->attachments[i].filename ?
		    m->attachments[i].filename : "");
		printf("    %s (%s, %zu bytes)\n", safe,
		    m->attachments[i].content_type, m->attachments[i].len);
		free(safe);
	}
	if (m->malformed)
		printf("  malformed: yes\n");
}

/* As a delivery report: is it a bounce, of what kind, for whom. */
static void
cli_parse_bounce(const char *raw, size_t len)
{
	struct dsn_report	r;
	size_t			i;

	dsn_parse(raw, len, &r);
	if (!r.is_bounce)
		printf("  bounce: no (%s)\n", r.reason ? r.reason : "");
	else
		printf("  bounce: %s, %s, %zu recipients\n",
		    dsn_kind_name(r.kind), r.format ? r.format : "?",
		    r.nrecipients);
	for (i = 0; r.is_bounce && i < r.nrecipients; i++)
		printf("    %s %s\n", r.recipients[i].address ?
		    r.recipients[i].address : "?", r.recipients[i].status);
	dsn_report_free(&r);
}

static int
cli_parse_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct message	*m;
	char		*raw;
	size_t		 len;
	int		 i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: metodist parse FILE...\n");
		return EX_USAGE;
	}
	for (i = 1; i < argc; i++) {
		if ((raw = atomicfile_read(argv[i], PARSE_MAX, &len)) == NULL) {
			perror(argv[i]);
			rc = EX_NOINPUT;
			continue;
		}
		m = message_parse(raw, len);
		cli_parse_show(argv[i], m);
		cli_parse_bounce(raw, len);
		message_free(m);
		free(raw);
	}
	return rc;
}

const struct cli_command cli_parse = {
	"parse", "FILE...", "show how messages are read", 0, cli_parse_run
};
