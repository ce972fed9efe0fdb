/*
 * cli-check: metodist check — validate the configuration and templates.
 *
 * Prints "file:line: message" for every problem and exits 78 (EX_CONFIG)
 * when there is any; otherwise one summary line and 0.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>
#include <unistd.h>

#include "cli.h"
#include "core/config.h"
#include "render/template.h"
#include "util/xmalloc.h"

static const char *const cli_check_templates[] = {
	"refuse-nonmember", "refuse-announce", "refuse-size", "held",
	"held-notify", "held-expired", "rejected",
	"delivery-expired", "request-result",
	"confirm-subscribe", "confirm-unsubscribe", "welcome", "goodbye",
	"help", "help-site", "lists", "subscribe-request", "mod-result",
	"mod-already", "bounce-probe", "bounce-disabled", "registry-welcome",
	"registry-invite", "limit-commands", "submit-receipt", "submit-refused",
	"review-request", "review-answer", "review-decision",
	"submission-announce",
	"registry-invite",
	"event-confirm", "event-unclear", "event-result", "event-notice",
	"feed-failing", "newsletter", "newsletter-html",
	"report",
	"limit-addresses",
};

static void
cli_check_error(void *arg, const char *file, int line, const char *msg)
{
	int	*problems = arg;

	(*problems)++;
	if (line > 0)
		printf("%s:%d: %s\n", file, line, msg);
	else
		printf("%s: %s\n", file, msg);
}

static int
cli_check_templates_of(const struct config *cfg, const char *lang)
{
	size_t	i;
	int	problems = 0;

	for (i = 0; i < sizeof cli_check_templates /
	    sizeof cli_check_templates[0]; i++) {
		if (template_exists(cfg->templates_dir, lang,
		    cli_check_templates[i]))
			continue;
		printf("%s/%s/%s.txt: template missing\n", cfg->templates_dir,
		    lang, cli_check_templates[i]);
		problems++;
	}
	return problems;
}

/* The archive's page frame, templates/html/page.html. */
static int
cli_check_html_page(const struct config *cfg)
{
	char	*p = xasprintf("%s/html/page.html", cfg->templates_dir);
	int	 missing = access(p, R_OK) != 0;

	if (missing)
		printf("%s: template missing\n", p);
	free(p);
	return missing;
}

static int
cli_check_run(struct cli_ctx *ctx, int argc, char **argv)
{
	struct config	*cfg;
	int		 problems = 0;

	cfg = config_load(ctx->config_path, cli_check_error, &problems);
	if (cfg == NULL)
		return EX_CONFIG;
	problems += cli_check_templates_of(cfg, "ru");
	problems += cli_check_templates_of(cfg, "en");
	problems += cli_check_html_page(cfg);
	if (problems == 0)
		printf("%s: ok, %zu lists, domain %s\n", ctx->config_path,
		    cfg->nlists, cfg->domain);
	config_free(cfg);
	return problems ? EX_CONFIG : 0;
}

const struct cli_command cli_check = {
	"check", "", "validate the configuration", 0, cli_check_run
};
