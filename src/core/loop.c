/*
 * loop: see loop.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/loop.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

char *
loop_marker(const struct config *cfg)
{
	return xasprintf("%s@%s", cfg->site_address, cfg->domain);
}

/* Does a List-Id value name one of this gateway's lists? */
static int
loop_own_list_id(const struct config *cfg, const char *value)
{
	const char	*lt, *gt, *dot;
	size_t		 dlen = strlen(cfg->domain);

	if ((lt = strrchr(value, '<')) == NULL ||
	    (gt = strchr(lt, '>')) == NULL)
		return 0;
	/* <NAME.DOMAIN> */
	if ((size_t)(gt - lt - 1) <= dlen + 1)
		return 0;
	dot = gt - dlen - 1;
	return *dot == '.' && strncasecmp(dot + 1, cfg->domain, dlen) == 0;
}

static int
loop_is_daemon(const char *addr)
{
	return addr != NULL && (str_has_prefix_ci(addr, "mailer-daemon@") ||
	    str_has_prefix_ci(addr, "postmaster@") ||
	    strcasecmp(addr, "mailer-daemon") == 0);
}

static const char *
loop_header_reason(const struct config *cfg, const char *name,
    const char *v)
{
	char	*marker;
	int	 own;

	if (strcasecmp(name, "List-Id") == 0)
		return loop_own_list_id(cfg, v) ? "own List-Id" : NULL;
	if (strcasecmp(name, "X-Loop") == 0) {
		marker = loop_marker(cfg);
		own = strcasestr(v, marker) != NULL;
		free(marker);
		return own ? "own X-Loop" : NULL;
	}
	if (strcasecmp(name, "Auto-Submitted") == 0)
		return str_has_prefix_ci(v, "no") ? NULL : "Auto-Submitted";
	if (strcasecmp(name, "Precedence") == 0)
		return (str_has_prefix_ci(v, "bulk") ||
		    str_has_prefix_ci(v, "junk") ||
		    str_has_prefix_ci(v, "list")) ? "Precedence bulk/junk/list"
		    : NULL;
	return NULL;
}

const char *
loop_reason(const struct config *cfg, const struct message *m,
    const char *envelope_sender)
{
	static const char *const names[] = {
		"List-Id", "X-Loop", "Auto-Submitted", "Precedence"
	};
	const char	*reason = NULL;
	char		*v;
	size_t		 i;

	if (envelope_sender != NULL && *envelope_sender == '\0')
		return "empty envelope sender (a bounce)";
	if (loop_is_daemon(envelope_sender) || loop_is_daemon(m->from_addr))
		return "sender is a mailer daemon";
	for (i = 0; reason == NULL && i < sizeof names / sizeof names[0];
	    i++) {
		if ((v = message_header(m, names[i])) == NULL)
			continue;
		reason = loop_header_reason(cfg, names[i], v);
		free(v);
	}
	return reason;
}
