/*
 * request: see request.h.
 *
 * The shortcut addresses become the one command they stand for; the
 * request and site addresses are read with command_extract().  Each
 * command runs with its list (the one it names, or the address's), and
 * its outcome goes into one summary.  A letter of its own (a
 * confirmation carrying its token, a welcome, a goodbye) answers its
 * command by itself: when every command was answered so, and nothing was
 * misunderstood, the summary is not sent at all.
 *
 * A letter with more commands acting on addresses than [limits]
 * max_command_addresses allows (subscribe, unsubscribe, confirm, set,
 * format: each changes the sender's membership of one list; who: shows
 * a list's addresses) is carried out not at all: one answer says so and
 * names the limit, so the sender never has to work out which half
 * happened, and one forged letter cannot bring a mailbox more than that
 * many confirmations.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/command.h"
#include "core/rate.h"
#include "core/request.h"
#include "core/reply.h"
#include "core/site.h"
#include "mail/address.h"
#include "store/member.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

struct request_tally {
	size_t	 known;		/* commands understood */
	size_t	 own_letter;	/* of them, answered by a letter of their own */
	int	 helped;	/* help is in the summary already */
};

static void
request_one(struct command_list *cl, const struct command_entry *e,
    const char *mode, const char *token, const char *line)
{
	struct command	c;

	memset(&c, 0, sizeof c);
	c.entry = e;
	c.mode = mode ? xstrdup(mode) : NULL;
	if (token != NULL) {
		c.token = xstrdup(token);
		str_lower_ascii(c.token);	/* tokens are lower-case hex */
	}
	c.line = xstrdup(line);
	command_list_add(cl, &c);
}

/* The mode word of an L+subscribe Subject ("подписаться дайджест",
 * "Re: дайджест"), or NULL. */
static char *
request_subject_mode(const struct message *m)
{
	struct command	 c;
	char		*subject, *mode = NULL;
	int		 rc;

	subject = command_subject_strip(m->subject ? m->subject : "");
	rc = command_parse(subject, &c);
	if ((rc == 1 && c.entry == &cmd_subscribe_entry) || rc == 2) {
		mode = c.mode;
		c.mode = NULL;
	}
	command_free(&c);
	free(subject);
	return mode;
}

static int
request_shortcut(struct site *s, const struct route *rt,
    const struct message *m, const char *sender, struct command_list *cl)
{
	char	*mode, *line, suffix[ROUTE_TOKEN_MAX + 16];
	int	 member = 0, rc = 0;

	snprintf(suffix, sizeof suffix, "+%s%s%s",
	    route_action_name(rt->action), *rt->token ? "-" : "", rt->token);
	line = site_list_address(s->cfg, rt->list, suffix);
	switch (rt->action) {
	case ROUTE_SUBSCRIBE:
		mode = request_subject_mode(m);
		request_one(cl, &cmd_subscribe_entry, mode, NULL, line);
		free(mode);
		break;
	case ROUTE_UNSUBSCRIBE:
		request_one(cl, &cmd_unsubscribe_entry, NULL, NULL, line);
		break;
	case ROUTE_HELP:
		request_one(cl, &cmd_help_entry, NULL, NULL, line);
		break;
	case ROUTE_CONFIRM:
		request_one(cl, &cmd_confirm_entry, NULL, rt->token, line);
		break;
	default:
		if ((member = member_is(s->db, site_list_id(s, rt->list),
		    sender, s->cfg->local_part_ci)) == -1)
			rc = -1;
		else
			request_one(cl, member ? &cmd_set_entry :
			    &cmd_subscribe_entry, "digest", NULL, line);
		break;
	}
	free(line);
	return rc;
}

static int
request_commands(struct site *s, const struct route *rt,
    const struct message *m, const char *sender, struct command_list *cl)
{
	int	max = s->cfg->max_unknown_commands;

	memset(cl, 0, sizeof *cl);
	switch (rt->action) {
	case ROUTE_SUBSCRIBE:
	case ROUTE_UNSUBSCRIBE:
	case ROUTE_HELP:
	case ROUTE_DIGEST:
	case ROUTE_CONFIRM:
		return request_shortcut(s, rt, m, sender, cl);
	default:
		command_extract(m, max > 0 ? (size_t)max : 0, cl);
		return 0;
	}
}

/* The list a command acts on, into ctx->list; 0 go on, 1 answered. */
static int
request_target(struct command_ctx *ctx, const struct command *c)
{
	const struct config	*cfg = ctx->site->cfg;
	const struct command_entry *e = c->entry;
	char			*text;

	ctx->list = ctx->route->list;
	if (c->list_domain != NULL && strcasecmp(c->list_domain,
	    cfg->domain) != 0) {
		command_result(ctx, c, COMMAND_TEXT(ctx,
		    "Команды действуют только для вашего собственного адреса "
		    "(того, с которого пришло письмо); список указывается по "
		    "имени, например: подписаться math.",
		    "Commands act only for your own address (the one this "
		    "letter came from); name the list, e.g. subscribe math."));
		return 1;
	}
	if (c->list != NULL && (ctx->list = config_list(cfg, c->list)) ==
	    NULL) {
		text = xasprintf(COMMAND_TEXT(ctx, "Списка «%s» нет. Все "
		    "списки: команда «списки».", "There is no list \"%s\"; "
		    "the command \"lists\" shows them all."), c->list);
		command_result(ctx, c, text);
		free(text);
		return 1;
	}
	if (ctx->list != NULL || (e->flags & COMMAND_NEEDS_LIST) == 0)
		return 0;
	text = xasprintf(COMMAND_TEXT(ctx, "Укажите список: «%s ИМЯ», "
	    "например «%s math». Все списки: команда «списки».",
	    "Name the list: \"%s NAME\", e.g. \"%s math\"; the command "
	    "\"lists\" shows them all."),
	    COMMAND_TEXT(ctx, e->name_ru, e->name),
	    COMMAND_TEXT(ctx, e->name_ru, e->name));
	command_result(ctx, c, text);
	free(text);
	return 1;
}

static int
request_run_one(struct command_ctx *ctx, const struct command *c,
    struct request_tally *t)
{
	size_t	before = ctx->answered;

	if (c->entry == NULL) {
		command_result(ctx, c, COMMAND_TEXT(ctx,
		    "Команда не распознана.", "Not a command."));
		return 0;
	}
	t->known++;
	if (c->entry == &cmd_help_entry)
		t->helped = 1;
	if (request_target(ctx, c) == 1)
		return 0;
	if (c->entry->exec(ctx, c) == -1)
		return -1;
	if (ctx->answered > before || (c->entry->flags & COMMAND_STOP))
		t->own_letter++;
	return 0;
}

static int
request_run(struct command_ctx *ctx, const struct command_list *cl,
    struct request_tally *t)
{
	size_t	i;

	for (i = 0; i < cl->n; i++) {
		if (request_run_one(ctx, &cl->v[i], t) == -1)
			return -1;
		if (cl->v[i].entry != NULL &&
		    (cl->v[i].entry->flags & COMMAND_STOP))
			break;
	}
	return 0;
}

/* Help once: when nothing was understood or too much was not. */
static int
request_help_once(struct command_ctx *ctx, const struct command_list *cl,
    const struct request_tally *t)
{
	struct command	help;

	if (cl->too_many_unknown)
		command_result(ctx, NULL, COMMAND_TEXT(ctx,
		    "Слишком много нераспознанных строк: остальная часть "
		    "письма не прочитана.", "Too many lines that are not "
		    "commands: the rest of the letter was not read."));
	if (t->helped || (t->known > 0 && !cl->too_many_unknown))
		return 0;
	memset(&help, 0, sizeof help);
	help.entry = &cmd_help_entry;
	ctx->list = ctx->route->list;
	return cmd_help_entry.exec(ctx, &help);
}

static int
request_summary(struct command_ctx *ctx, const struct command_list *cl,
    const struct request_tally *t)
{
	struct template_var	v[1];
	struct reply		r;

	if (cl->unknown == 0 && t->known > 0 && t->own_letter == t->known)
		return 0;
	if (request_help_once(ctx, cl, t) == -1)
		return -1;
	v[0] = (struct template_var){ "results", buf_cstr(ctx->results) };
	memset(&r, 0, sizeof r);
	r.template = "request-result";
	r.list = ctx->route->list;
	r.to = ctx->sender;
	r.orig = ctx->msg;
	r.vars = v;
	r.nvars = 1;
	return reply_send(ctx->site, &r) == -1 ? -1 : 0;
}

/*
 * The day's allowance of command letters: 1 within it, 0 over (the first
 * letter over it is told so, the later ones are only logged), -1 error.
 */
static int
request_rate(struct site *s, const struct route *rt, const struct message *m,
    const char *sender)
{
	struct template_var	 v[1];
	struct reply		 r;
	char			 max[16];
	int			 rc, first;

	if ((rc = rate_commands(s, sender, time(NULL), &first)) != 0)
		return rc;
	log_info("request: %s over the daily limit of %d command letters%s",
	    sender, s->cfg->commands_per_day, first ? "; told so" : "");
	if (!first)
		return 0;
	snprintf(max, sizeof max, "%d", s->cfg->commands_per_day);
	v[0] = (struct template_var){ "limit", max };
	memset(&r, 0, sizeof r);
	r.template = "limit-commands";
	r.list = rt->list;
	r.to = sender;
	r.orig = m;
	r.vars = v;
	r.nvars = 1;
	return reply_send(s, &r) == -1 ? -1 : 0;
}

/* Commands that act on an address: a membership of the sender, or the
 * addresses of a list (who). */
static int
request_acts_on_address(const struct command_entry *e)
{
	return e == &cmd_subscribe_entry || e == &cmd_unsubscribe_entry ||
	    e == &cmd_confirm_entry || e == &cmd_set_entry ||
	    e == &cmd_format_entry || e == &cmd_who_entry;
}

/*
 * More commands acting on addresses than max_command_addresses: nothing
 * is carried out, the sender is told.  1 over (answered), 0 within, -1
 * error.
 */
static int
request_over_addresses(struct site *s, const struct route *rt,
    const struct message *m, const char *sender,
    const struct command_list *cl)
{
	struct template_var	 v[1];
	struct reply		 r;
	char			 max[16];
	size_t			 i, n = 0;

	for (i = 0; i < cl->n; i++)
		if (cl->v[i].entry != NULL &&
		    request_acts_on_address(cl->v[i].entry))
			n++;
	if (n <= (size_t)s->cfg->max_command_addresses)
		return 0;
	log_info("request: %s %s: %zu commands act on addresses, over "
	    "max_command_addresses %d; none carried out",
	    rt->list ? rt->list->name : "site", sender, n,
	    s->cfg->max_command_addresses);
	snprintf(max, sizeof max, "%d", s->cfg->max_command_addresses);
	v[0] = (struct template_var){ "limit", max };
	memset(&r, 0, sizeof r);
	r.template = "limit-addresses";
	r.list = rt->list;
	r.to = sender;
	r.orig = m;
	r.vars = v;
	r.nvars = 1;
	return reply_send(s, &r) == -1 ? -1 : 1;
}

int
request_handle(struct site *s, const struct route *rt,
    const struct message *m, const char *envelope_sender)
{
	struct command_ctx	ctx;
	struct command_list	cl;
	struct request_tally	t;
	struct buf		results;
	char			*sender;
	int			 rc;

	if ((sender = address_normalize(envelope_sender)) == NULL) {
		log_warnx("request: no usable envelope sender \"%s\"; "
		    "nothing done", envelope_sender);
		return 0;
	}
	switch (request_rate(s, rt, m, sender)) {
	case -1:
		free(sender);
		return -1;
	case 0:
		free(sender);
		return 0;
	}
	if (request_commands(s, rt, m, sender, &cl) == -1) {
		free(sender);
		return -1;
	}
	if ((rc = request_over_addresses(s, rt, m, sender, &cl)) != 0) {
		command_list_free(&cl);
		free(sender);
		return rc == -1 ? -1 : 0;
	}
	buf_init(&results);
	memset(&ctx, 0, sizeof ctx);
	memset(&t, 0, sizeof t);
	ctx.site = s;
	ctx.route = rt;
	ctx.msg = m;
	ctx.sender = sender;
	ctx.lang = rt->list ? rt->list->language : s->cfg->language;
	ctx.results = &results;
	rc = request_run(&ctx, &cl, &t);
	if (rc == 0)
		rc = request_summary(&ctx, &cl, &t);
	log_info("request: %s %s: %zu commands, %zu not understood%s",
	    rt->list ? rt->list->name : "site", sender, t.known, cl.unknown,
	    rc == -1 ? "; will try again" : "");
	buf_free(&results);
	command_list_free(&cl);
	free(sender);
	return rc;
}
