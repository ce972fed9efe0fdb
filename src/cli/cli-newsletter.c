/*
 * cli-newsletter: metodist newsletter preview LIST [--html FILE] prints
 * the list's next issue as its members would read it (the text part; the
 * HTML part into FILE) without sending it; metodist newsletter send LIST
 * --now sends it at once, whatever the schedule (an empty issue is not
 * sent), and runs the queue.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "cli.h"
#include "core/config.h"
#include "core/newsletter.h"
#include "core/outq.h"
#include "core/site.h"

static int
cli_newsletter_write(const char *path, const char *s)
{
	FILE	*f = fopen(path, "w");

	if (f == NULL)
		return -1;
	if (fputs(s, f) == EOF) {
		fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

static int
cli_newsletter_preview(struct site *s, const struct list_config *l,
    const char *html_path)
{
	struct newsletter_issue	 is;
	char			*msg, *text = NULL, *html = NULL;
	int			 rc = 0;

	if (newsletter_build(s, l, time(NULL), &is) == -1) {
		newsletter_free(&is);
		return EX_TEMPFAIL;
	}
	if (newsletter_empty(&is))
		printf("(the next issue of %s is empty and would not be "
		    "sent)\n", l->name);
	if ((msg = newsletter_render(s, &is, &text, &html)) == NULL)
		rc = EX_SOFTWARE;
	else {
		fputs(text, stdout);
		if (html_path != NULL && cli_newsletter_write(html_path,
		    html) == -1) {
			fprintf(stderr, "metodist newsletter: cannot write "
			    "%s\n", html_path);
			rc = EX_CANTCREAT;
		}
	}
	free(msg);
	free(text);
	free(html);
	newsletter_free(&is);
	return rc;
}

static int
cli_newsletter_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct list_config	*l;
	struct site			 s;
	int				 transient, rc;

	if (argc < 3 || (strcmp(argv[1], "preview") != 0 &&
	    !(strcmp(argv[1], "send") == 0 && argc > 3 &&
	    strcmp(argv[3], "--now") == 0))) {
		fprintf(stderr, "usage: metodist newsletter preview LIST "
		    "[--html FILE] | send LIST --now\n");
		return EX_USAGE;
	}
	if ((l = config_list(ctx->cfg, argv[2])) == NULL) {
		fprintf(stderr, "metodist newsletter: no list %s\n", argv[2]);
		return EX_USAGE;
	}
	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	if (strcmp(argv[1], "preview") == 0)
		rc = cli_newsletter_preview(&s, l, argc > 4 &&
		    strcmp(argv[3], "--html") == 0 ? argv[4] : NULL);
	else {
		rc = newsletter_send(&s, l, time(NULL));
		printf(rc > 0 ? "newsletter of %s sent\n" : rc == 0 ?
		    "newsletter of %s is empty: not sent\n" :
		    "newsletter of %s: error\n", l->name);
		rc = rc == -1 || outq_run(&s, 1000000) == -1 ? EX_TEMPFAIL : 0;
	}
	site_close(&s);
	return rc;
}

const struct cli_command cli_newsletter = {
	"newsletter", "preview LIST [--html FILE] | send LIST --now",
	"show the next issue of a list's newsletter, or send it now", 1,
	cli_newsletter_run
};
