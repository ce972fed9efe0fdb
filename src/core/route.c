/*
 * route: see route.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/route.h"
#include "mail/address.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

struct route_suffix {
	const char		*word;
	enum route_action	 action;
	int			 token;	/* 0 none, 1 required, 2 optional */
};

static const struct route_suffix route_suffixes[] = {
	{ "subscribe",		ROUTE_SUBSCRIBE,	0 },
	{ "unsubscribe",	ROUTE_UNSUBSCRIBE,	0 },
	{ "help",		ROUTE_HELP,		0 },
	{ "digest",		ROUTE_DIGEST,		0 },
	{ "confirm",		ROUTE_CONFIRM,		1 },
	{ "mod",		ROUTE_MOD,		1 },
	{ "submit",		ROUTE_SUBMIT,		0 },
	{ "review",		ROUTE_REVIEW,		1 },
	{ "event",		ROUTE_EVENT,		2 },
	{ "bounces",		ROUTE_BOUNCES,		2 },
};

static int
route_token_ok(const char *t)
{
	size_t	n = strlen(t), i;

	if (n == 0 || n > ROUTE_TOKEN_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') ||
		    (t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= '0' && t[i] <= '9') || t[i] == '-' || t[i] == '_'))
			return 0;
	return 1;
}

static int
route_none(struct route *r, const char *reason)
{
	r->action = ROUTE_NONE;
	r->list = NULL;
	r->reason = reason;
	return -1;
}

/* "word" or "word-TOKEN" after the delimiter. */
static int
route_extension(struct route *r, const char *ext)
{
	const struct route_suffix	*s;
	size_t				 i, wl;

	for (i = 0; i < sizeof route_suffixes / sizeof route_suffixes[0];
	    i++) {
		s = &route_suffixes[i];
		wl = strlen(s->word);
		if (strncasecmp(ext, s->word, wl) != 0)
			continue;
		if (ext[wl] == '\0' && s->token != 1) {
			r->action = s->action;
			return 0;
		}
		if (ext[wl] == '-' && s->token != 0) {
			if (!route_token_ok(ext + wl + 1))
				return route_none(r, "malformed token");
			str_lcpy(r->token, ext + wl + 1, sizeof r->token);
			r->action = s->action;
			return 0;
		}
	}
	return route_none(r, "unknown address extension");
}

static int
route_local(const struct config *cfg, const char *local, struct route *r)
{
	char	*name, *ext = NULL, *dash;
	size_t	 len;
	int	 rc = 0;

	name = xstrdup(local);
	if ((ext = strchr(name, cfg->delimiter)) != NULL)
		*ext++ = '\0';
	r->action = ROUTE_POST;
	len = strlen(name);
	if ((r->list = config_list(cfg, name)) == NULL && ext == NULL &&
	    (dash = strrchr(name, '-')) != NULL) {
		*dash = '\0';
		if (strcasecmp(dash + 1, "request") == 0)
			r->action = ROUTE_REQUEST;
		else if (strcasecmp(dash + 1, "owner") == 0)
			r->action = ROUTE_OWNER;
		else
			*dash = '-';
		if (strlen(name) < len)
			r->list = config_list(cfg, name);
	}
	if (r->list == NULL) {
		if (ext == NULL && strcasecmp(name, cfg->site_address) == 0)
			r->action = ROUTE_SITE;
		else
			rc = route_none(r, "no such list");
	} else if (ext != NULL)
		rc = route_extension(r, ext);
	free(name);
	return rc;
}

int
route_address(const struct config *cfg, const char *rcpt, struct route *r)
{
	char	*norm, *local = NULL, *domain = NULL;
	int	 rc;

	memset(r, 0, sizeof *r);
	if ((norm = address_normalize(rcpt)) == NULL)
		return route_none(r, "not an address");
	if (address_split(norm, &local, &domain) == -1) {
		free(norm);
		return route_none(r, "not an address");
	}
	if (strcasecmp(domain, cfg->domain) != 0)
		rc = route_none(r, "not this gateway's domain");
	else
		rc = route_local(cfg, local, r);
	free(norm);
	free(local);
	free(domain);
	return rc;
}

const char *
route_action_name(enum route_action a)
{
	static const char *const names[] = {
		"none", "post", "request", "owner", "subscribe", "unsubscribe",
		"help", "digest", "confirm", "mod", "submit", "review", "event",
		"bounces", "site"
	};

	if ((size_t)a >= sizeof names / sizeof names[0])
		return "?";
	return names[a];
}
