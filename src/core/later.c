/*
 * later: see later.h.
 */
#include <config.h>

#include <string.h>

#include "core/later.h"
#include "core/reply.h"
#include "core/site.h"
#include "util/log.h"

struct later_name {
	enum route_action	 action;
	const char		*ru;
	const char		*en;
};

static const struct later_name later_names[] = {
	{ ROUTE_REQUEST, "команды по почте", "commands by email" },
	{ ROUTE_SUBSCRIBE, "подписка по почте", "subscription by email" },
	{ ROUTE_UNSUBSCRIBE, "отписка по почте", "unsubscription by email" },
	{ ROUTE_HELP, "справка по почте", "help by email" },
	{ ROUTE_CONFIRM, "подтверждение по почте", "confirmation by email" },
	{ ROUTE_MOD, "модерация ответом на письмо", "moderation by reply" },
	{ ROUTE_SITE, "команды сайта по почте", "site commands by email" },
};

const char *
later_function_name(enum route_action a, const char *lang)
{
	size_t	i;

	for (i = 0; i < sizeof later_names / sizeof later_names[0]; i++)
		if (later_names[i].action == a)
			return strcmp(lang, "en") == 0 ? later_names[i].en :
			    later_names[i].ru;
	return route_action_name(a);
}

int
later_answer(struct site *s, const struct route *rt, const struct message *m,
    const char *envelope_sender)
{
	struct template_var	 v[1];
	struct reply		 r;
	const char		*lang;

	lang = rt->list ? rt->list->language : s->cfg->language;
	v[0] = (struct template_var){ "action",
	    later_function_name(rt->action, lang) };
	memset(&r, 0, sizeof r);
	r.template = "not-available";
	r.list = rt->list;
	r.to = envelope_sender;
	r.orig = m;
	r.vars = v;
	r.nvars = 1;
	log_info("later: %s for %s is not available yet; answered %s",
	    route_action_name(rt->action), rt->list ? rt->list->name : "site",
	    envelope_sender);
	return reply_send(s, &r) == -1 ? -1 : 0;
}
