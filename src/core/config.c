/*
 * config: see config.h.
 *
 * The site file is read first, then each lists.d/NAME.conf in name order;
 * each file's keys go through one table per section, so an unknown key is
 * found by the table lookup failing.  Values are checked where they are
 * read; the whole load fails if any problem was reported.
 */
#include <config.h>

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/config.h"
#include "core/mbconfig.h"
#include "mail/address.h"
#include "mail/message.h"
#include "util/ini.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

struct config_load {
	struct config		*cfg;
	struct list_config	*list;	/* the list being read, or NULL */
	config_error_fn		 error;
	void			*arg;
	int			 problems;
	char			 msg[512];
	unsigned		 seen;	/* bit per required key */
	struct mailbox_config	*mailbox;	/* the [mailbox] being read */
};

typedef const char *(*config_key_fn)(struct config_load *, const char *);

static const char *limits_int(const char *, int, int, int *, const char *);
static const char *site_feeds(struct config_load *, const char *);

struct config_key {
	const char	*section;
	const char	*key;
	config_key_fn	 set;
};

static const char *
config_set_string(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
	return NULL;
}

static const char *
config_bool(const char *v, int *out)
{
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0 || strcasecmp(v, "on") == 0)
		*out = 1;
	else if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0)
		*out = 0;
	else
		return "expected yes or no";
	return NULL;
}

static const char *
config_size(const char *v, uint64_t *out)
{
	if (str_to_u64(v, (uint64_t)1 << 40, out) == -1)
		return "expected a size in bytes";
	return NULL;
}

static const char *
config_language(const char *v, char **dst)
{
	if (strcmp(v, "ru") != 0 && strcmp(v, "en") != 0)
		return "language must be ru or en";
	return config_set_string(dst, v);
}

/* --- [site] --- */

static const char *
site_domain(struct config_load *l, const char *v)
{
	char	*probe, *norm;

	if (*v == '\0')
		return "domain must not be empty";
	probe = xasprintf("x@%s", v);
	norm = address_normalize(probe);
	free(probe);
	if (norm == NULL)
		return "not a valid domain";
	config_set_string(&l->cfg->domain, strchr(norm, '@') + 1);
	free(norm);
	return NULL;
}

static const char *
site_name(struct config_load *l, const char *v)
{
	return config_set_string(&l->cfg->site_name, v);
}

static int
config_local_part_ok(const char *v)
{
	const char	*p;

	if (*v == '\0' || strlen(v) > 64)
		return 0;
	for (p = v; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.'))
			return 0;
	return 1;
}

static const char *
site_address(struct config_load *l, const char *v)
{
	if (!config_local_part_ok(v))
		return "address must be a lower-case ASCII local part";
	return config_set_string(&l->cfg->site_address, v);
}

static const char *
site_language(struct config_load *l, const char *v)
{
	return config_language(v, &l->cfg->language);
}

static const char *
site_timezone(struct config_load *l, const char *v)
{
	char		 path[PATH_MAX];
	struct stat	 st;

	if (*v == '\0' || strstr(v, "..") != NULL || v[0] == '/')
		return "not a timezone name";
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", v);
	if (stat(path, &st) == -1 && strcmp(v, "UTC") != 0)
		return "unknown timezone (see /usr/share/zoneinfo)";
	return config_set_string(&l->cfg->timezone, v);
}

static const char *
site_delimiter(struct config_load *l, const char *v)
{
	if (strlen(v) != 1 || strchr("+-_=", v[0]) == NULL)
		return "delimiter must be one of + - _ =";
	l->cfg->delimiter = v[0];
	return NULL;
}

static const char *
site_local_part_case(struct config_load *l, const char *v)
{
	if (strcmp(v, "exact") == 0)
		l->cfg->local_part_ci = 0;
	else if (strcmp(v, "ignore") == 0)
		l->cfg->local_part_ci = 1;
	else
		return "local_part_case must be exact or ignore";
	return NULL;
}

static const char *
site_replies_per_day(struct config_load *l, const char *v)
{
	if (str_to_u64(v, 100000, &l->cfg->replies_per_day) == -1)
		return "expected a number";
	return NULL;
}

/* --- [paths] --- */

static char *
config_resolve(const struct config *cfg, const char *v)
{
	char	*copy, *dir, *out;

	if (v[0] == '/')
		return xstrdup(v);
	copy = xstrdup(cfg->path);
	dir = dirname(copy);
	out = str_path_join(dir, v);
	free(copy);
	return out;
}

static const char *
paths_set(struct config_load *l, char **dst, const char *v)
{
	if (*v == '\0')
		return "path must not be empty";
	free(*dst);
	*dst = config_resolve(l->cfg, v);
	return NULL;
}

static const char *
paths_var(struct config_load *l, const char *v)
{
	return paths_set(l, &l->cfg->var_dir, v);
}

static const char *
paths_lists(struct config_load *l, const char *v)
{
	return paths_set(l, &l->cfg->lists_dir, v);
}

static const char *
paths_templates(struct config_load *l, const char *v)
{
	return paths_set(l, &l->cfg->templates_dir, v);
}

static const char *
paths_html(struct config_load *l, const char *v)
{
	return paths_set(l, &l->cfg->html_dir, v);
}

/* --- [ingress] [egress] [dmarc] --- */

static const char *
ingress_listen_value(char **dst, const char *v)
{
	if (*v != '\0' && strchr(v, ':') == NULL)
		return "expected HOST:PORT, unix:/path, or nothing";
	return config_set_string(dst, v);
}

static const char *
ingress_listen(struct config_load *l, const char *v)
{
	return ingress_listen_value(&l->cfg->listen, v);
}

static const char *
ingress_lmtp(struct config_load *l, const char *v)
{
	char	*path;

	if (*v == '\0' || strncmp(v, "unix:", 5) != 0)
		return ingress_listen_value(&l->cfg->lmtp, v);
	if (v[5] == '\0')
		return "unix: needs a socket path";
	path = config_resolve(l->cfg, v + 5);
	free(l->cfg->lmtp);
	l->cfg->lmtp = xasprintf("unix:%s", path);
	free(path);
	return NULL;
}

static const char *
ingress_max_size(struct config_load *l, const char *v)
{
	const char	*err = config_size(v, &l->cfg->max_message_size);

	if (err == NULL && l->cfg->max_message_size < 1024)
		return "max_message_size below 1024 bytes";
	return err;
}

static const char *
ingress_inline(struct config_load *l, const char *v)
{
	return config_bool(v, &l->cfg->process_inline);
}

static const char *
egress_transport(struct config_load *l, const char *v)
{
	if (strcmp(v, "maildir") != 0 && strcmp(v, "smtp") != 0)
		return "transport must be maildir or smtp";
	return config_set_string(&l->cfg->egress, v);
}

static const char *
egress_outbox(struct config_load *l, const char *v)
{
	return paths_set(l, &l->cfg->outbox_dir, v);
}

static const char *
egress_bounce_domain(struct config_load *l, const char *v)
{
	if (*v == '\0')
		return NULL;
	return config_set_string(&l->cfg->bounce_domain, v);
}

static const char *
egress_relay(struct config_load *l, const char *v)
{
	const char	*colon = strrchr(v, ':');

	if (*v == '\0')
		return NULL;
	if (colon == NULL || colon == v || colon[1] == '\0')
		return "relay must be HOST:PORT";
	return config_set_string(&l->cfg->relay, v);
}

static const char *
egress_tls(struct config_load *l, const char *v)
{
	if (strcmp(v, "none") != 0 && strcmp(v, "starttls") != 0 &&
	    strcmp(v, "implicit") != 0)
		return "tls must be none, starttls or implicit";
	return config_set_string(&l->cfg->relay_tls, v);
}

static const char *
egress_optional(char **dst, const char *v)
{
	if (*v == '\0')
		return NULL;
	return config_set_string(dst, v);
}

static const char *
egress_user(struct config_load *l, const char *v)
{
	return egress_optional(&l->cfg->relay_user, v);
}

static const char *
egress_password(struct config_load *l, const char *v)
{
	return egress_optional(&l->cfg->relay_password, v);
}

static const char *
egress_cafile(struct config_load *l, const char *v)
{
	if (*v == '\0')
		return NULL;
	return paths_set(l, &l->cfg->relay_cafile, v);
}

static const char *
egress_connections(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 64, &l->cfg->relay_connections,
	    "connections must be 1 to 64");
}

static const char *
egress_batch(struct config_load *l, const char *v)
{
	return config_bool(v, &l->cfg->relay_batch);
}

static const char *
egress_timeout(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 600, &l->cfg->relay_timeout,
	    "timeout must be 1 to 600 seconds");
}

static const char *
egress_retry_days(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 30, &l->cfg->retry_days,
	    "retry_days must be 1 to 30");
}

static const char *
egress_per_hour(struct config_load *l, const char *v)
{
	return limits_int(v, 0, 1000000, &l->cfg->relay_per_hour,
	    "max_per_hour must be 0 (no cap) to 1000000");
}

static const char *
dmarc_mode(struct config_load *l, const char *v)
{
	if (strcmp(v, "auto") == 0)
		l->cfg->dmarc = DMARC_AUTO;
	else if (strcmp(v, "always") == 0)
		l->cfg->dmarc = DMARC_ALWAYS;
	else if (strcmp(v, "never") == 0)
		l->cfg->dmarc = DMARC_NEVER;
	else
		return "mode must be auto, always or never";
	return NULL;
}

static const char *
dmarc_timeout(struct config_load *l, const char *v)
{
	uint64_t	n;

	if (str_to_u64(v, 30, &n) == -1 || n == 0)
		return "timeout must be 1 to 30 seconds";
	l->cfg->dmarc_timeout = (int)n;
	return NULL;
}

static const char *
dmarc_nameserver(struct config_load *l, const char *v)
{
	if (*v == '\0')
		return NULL;
	return config_set_string(&l->cfg->dmarc_nameserver, v);
}

static const char *
limits_int(const char *v, int lo, int hi, int *out, const char *what)
{
	uint64_t	n;

	if (str_to_u64(v, (uint64_t)hi, &n) == -1 || n < (uint64_t)lo)
		return what;
	*out = (int)n;
	return NULL;
}

static const char *
limits_token_days(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 60, &l->cfg->token_lifetime_days,
	    "token_lifetime_days must be 1 to 60");
}

static const char *
limits_held_days(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 365, &l->cfg->held_expire_days,
	    "held_expire_days must be 1 to 365");
}

static const char *
limits_unknown(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 100, &l->cfg->max_unknown_commands,
	    "max_unknown_commands must be 1 to 100");
}

static const char *
limits_posts_sender(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 100000, &l->cfg->posts_per_hour,
	    "posts_per_hour must be 1 to 100000");
}

static const char *
limits_posts_list(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 1000000, &l->cfg->list_posts_per_hour,
	    "list_posts_per_hour must be 1 to 1000000");
}

static const char *
limits_commands(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 100000, &l->cfg->commands_per_day,
	    "commands_per_day must be 1 to 100000");
}

/* The bounds of one message: at least 1 (0 would refuse every message),
 * at most the parser's own ceilings (core/msglimit.h). */
static const char *
limits_header_fields(struct config_load *l, const char *v)
{
	return limits_int(v, 1, MESSAGE_MAX_HEADERS,
	    &l->cfg->max_header_fields,
	    "max_header_fields must be 1 to 1000");
}

/* A line must hold at least a folded header line of RFC 5322 (78). */
static const char *
limits_header_line(struct config_load *l, const char *v)
{
	return limits_int(v, 78, MESSAGE_MAX_LINE, &l->cfg->max_header_line,
	    "max_header_line must be 78 to 65536 (octets)");
}

static const char *
limits_mime_depth(struct config_load *l, const char *v)
{
	return limits_int(v, 1, MESSAGE_MAX_DEPTH, &l->cfg->max_mime_depth,
	    "max_mime_depth must be 1 to 20");
}

static const char *
limits_mime_parts(struct config_load *l, const char *v)
{
	return limits_int(v, 1, MESSAGE_MAX_PARTS, &l->cfg->max_mime_parts,
	    "max_mime_parts must be 1 to 500");
}

/* Below COMMAND_MAX (32), so a letter over the limit is always seen. */
static const char *
limits_command_addresses(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 30, &l->cfg->max_command_addresses,
	    "max_command_addresses must be 1 to 30");
}

static const char *config_url(char **, const char *);

static const char *
archive_search_url(struct config_load *l, const char *v)
{
	return config_url(&l->cfg->search_url, v);
}

static const char *
archive_requests(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 10000, &l->cfg->archive_requests_per_day,
	    "requests_per_day must be 1 to 10000");
}

static const char *config_address_list(struct config_load *, const char *,
    char ***, size_t *);

static const char *
report_administrators(struct config_load *l, const char *v)
{
	return config_address_list(l, v, &l->cfg->report_admins,
	    &l->cfg->nreport_admins);
}

static const char *
report_mail(struct config_load *l, const char *v)
{
	return config_bool(v, &l->cfg->report_mail);
}

static const struct config_key config_site_keys[] = {
	{ "site", "domain", site_domain },
	{ "site", "name", site_name },
	{ "site", "address", site_address },
	{ "site", "language", site_language },
	{ "site", "timezone", site_timezone },
	{ "site", "delimiter", site_delimiter },
	{ "site", "local_part_case", site_local_part_case },
	{ "site", "replies_per_day", site_replies_per_day },
	{ "paths", "var", paths_var },
	{ "paths", "lists", paths_lists },
	{ "paths", "templates", paths_templates },
	{ "ingress", "listen", ingress_listen },
	{ "ingress", "lmtp", ingress_lmtp },
	{ "ingress", "max_message_size", ingress_max_size },
	{ "ingress", "process_inline", ingress_inline },
	{ "egress", "transport", egress_transport },
	{ "egress", "outbox", egress_outbox },
	{ "egress", "bounce_domain", egress_bounce_domain },
	{ "egress", "relay", egress_relay },
	{ "egress", "tls", egress_tls },
	{ "egress", "user", egress_user },
	{ "egress", "password", egress_password },
	{ "egress", "cafile", egress_cafile },
	{ "egress", "connections", egress_connections },
	{ "egress", "batch", egress_batch },
	{ "egress", "timeout", egress_timeout },
	{ "egress", "retry_days", egress_retry_days },
	{ "egress", "max_per_hour", egress_per_hour },
	{ "dmarc", "mode", dmarc_mode },
	{ "dmarc", "timeout", dmarc_timeout },
	{ "dmarc", "nameserver", dmarc_nameserver },
	{ "limits", "token_lifetime_days", limits_token_days },
	{ "limits", "held_expire_days", limits_held_days },
	{ "limits", "max_unknown_commands", limits_unknown },
	{ "limits", "posts_per_hour", limits_posts_sender },
	{ "limits", "list_posts_per_hour", limits_posts_list },
	{ "limits", "commands_per_day", limits_commands },
	{ "limits", "max_header_fields", limits_header_fields },
	{ "limits", "max_header_line", limits_header_line },
	{ "limits", "max_mime_depth", limits_mime_depth },
	{ "limits", "max_mime_parts", limits_mime_parts },
	{ "limits", "max_command_addresses", limits_command_addresses },
	{ "paths", "html", paths_html },
	{ "archive", "search_url", archive_search_url },
	{ "archive", "requests_per_day", archive_requests },
	{ "report", "administrators", report_administrators },
	{ "report", "mail", report_mail },
	{ "site", "feeds", site_feeds },
};

/* --- lists.d/NAME.conf [list] --- */

static const char *
list_title(struct config_load *l, const char *v)
{
	if (*v == '\0')
		return "title must not be empty";
	return config_set_string(&l->list->title, v);
}

static const char *
list_description(struct config_load *l, const char *v)
{
	return config_set_string(&l->list->description, v);
}

static const char *
list_language(struct config_load *l, const char *v)
{
	return config_language(v, &l->list->language);
}

static const char *
list_policy(struct config_load *l, const char *v)
{
	if (strcmp(v, "open") == 0)
		l->list->policy = POLICY_OPEN;
	else if (strcmp(v, "members") == 0)
		l->list->policy = POLICY_MEMBERS;
	else if (strcmp(v, "moderated") == 0)
		l->list->policy = POLICY_MODERATED;
	else if (strcmp(v, "announce") == 0)
		l->list->policy = POLICY_ANNOUNCE;
	else
		return "policy must be open, members, moderated or announce";
	return NULL;
}

static const char *
list_subject_tag(struct config_load *l, const char *v)
{
	if (strlen(v) > 64)
		return "subject_tag longer than 64 bytes";
	return config_set_string(&l->list->subject_tag, v);
}

static const char *
config_address_list(struct config_load *l, const char *v, char ***out,
    size_t *n)
{
	char	*copy, *p, *item, *norm;

	copy = xstrdup(v);
	for (p = copy; (item = strsep(&p, ",")) != NULL; ) {
		str_trim(item);
		if (*item == '\0')
			continue;
		if ((norm = address_normalize(item)) == NULL) {
			snprintf(l->msg, sizeof l->msg, "not an address: %s",
			    item);
			free(copy);
			return l->msg;
		}
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = norm;
	}
	free(copy);
	return NULL;
}

static const char *
list_coordinators(struct config_load *l, const char *v)
{
	return config_address_list(l, v, &l->list->coordinators,
	    &l->list->ncoordinators);
}

static const char *
list_reviewers(struct config_load *l, const char *v)
{
	return config_address_list(l, v, &l->list->reviewers,
	    &l->list->nreviewers);
}

static const char *
list_max_size(struct config_load *l, const char *v)
{
	return config_size(v, &l->list->max_message_size);
}

static const char *
list_confirm(struct config_load *l, const char *v)
{
	return config_bool(v, &l->list->confirm);
}

static const char *
list_subscription(struct config_load *l, const char *v)
{
	if (strcmp(v, "open") == 0)
		l->list->subscription = SUBSCRIPTION_OPEN;
	else if (strcmp(v, "moderated") == 0)
		l->list->subscription = SUBSCRIPTION_MODERATED;
	else if (strcmp(v, "closed") == 0)
		l->list->subscription = SUBSCRIPTION_CLOSED;
	else
		return "subscription must be open, moderated or closed";
	return NULL;
}

static const char *
list_bounce_threshold(struct config_load *l, const char *v)
{
	uint64_t	n;

	if (str_to_u64(v, 1000, &n) == -1 || n == 0)
		return "bounce_threshold must be a whole number 1 to 1000";
	l->list->bounce_threshold = (double)n;
	return NULL;
}

static const char *
list_require_auth(struct config_load *l, const char *v)
{
	return config_bool(v, &l->list->require_auth);
}

static const char *
config_url(char **dst, const char *v)
{
	if (*v == '\0')
		return NULL;
	if (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0)
		return "URL must start with http:// or https://";
	if (strpbrk(v, " <>\"") != NULL)
		return "URL must not contain spaces, quotes or angle brackets";
	return config_set_string(dst, v);
}

static const char *
list_archive_url(struct config_load *l, const char *v)
{
	return config_url(&l->list->archive_url, v);
}

static const char *
list_unsubscribe_url(struct config_load *l, const char *v)
{
	return config_url(&l->list->unsubscribe_url, v);
}

/* Document kinds the type check can confirm (util/filetype). */
static const char *const config_submit_known[] = {
	"pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "zip", "doc",
	"xls", "ppt",
};

static const char *
list_submit_types(struct config_load *l, const char *v)
{
	char	*copy, *p, *item;
	size_t	 i;

	str_array_free(l->list->submit_types, l->list->nsubmit_types);
	l->list->submit_types = NULL;
	l->list->nsubmit_types = 0;
	copy = xstrdup(v);
	for (p = copy; (item = strsep(&p, ",")) != NULL; ) {
		str_trim(item);
		str_lower_ascii(item);
		if (*item == '.')
			item++;
		if (*item == '\0')
			continue;
		for (i = 0; i < sizeof config_submit_known /
		    sizeof config_submit_known[0]; i++)
			if (strcmp(item, config_submit_known[i]) == 0)
				break;
		if (i == sizeof config_submit_known /
		    sizeof config_submit_known[0]) {
			snprintf(l->msg, sizeof l->msg, "submit_types: unknown "
			    "type %s (known: pdf docx xlsx pptx odt ods odp zip "
			    "doc xls ppt)", item);
			free(copy);
			return l->msg;
		}
		l->list->submit_types = xreallocarray(l->list->submit_types,
		    l->list->nsubmit_types + 1, sizeof *l->list->submit_types);
		l->list->submit_types[l->list->nsubmit_types++] = xstrdup(item);
	}
	free(copy);
	return NULL;
}

static const char *
list_digest_schedule(struct config_load *l, const char *v)
{
	return schedule_parse(v, &l->list->digest_schedule);
}

static const char *
list_digest_max_size(struct config_load *l, const char *v)
{
	return config_size(v, &l->list->digest_max_size);
}

static const char *
list_digest_max_posts(struct config_load *l, const char *v)
{
	return limits_int(v, 0, 1000, &l->list->digest_max_posts,
	    "digest_max_posts must be a whole number 0 to 1000");
}

static const char *
list_newsletter_schedule(struct config_load *l, const char *v)
{
	return schedule_parse(v, &l->list->newsletter_schedule);
}

static const char *
list_event_notify(struct config_load *l, const char *v)
{
	return config_bool(v, &l->list->event_notify);
}

/* A comma-separated list of feed URLs, appended to *out. */
static const char *
config_feed_list(struct config_load *l, const char *v, char ***out,
    size_t *n)
{
	char	*copy, *p, *item;

	copy = xstrdup(v);
	for (p = copy; (item = strsep(&p, ",")) != NULL; ) {
		str_trim(item);
		if (*item == '\0')
			continue;
		if ((strncmp(item, "https://", 8) != 0 &&
		    strncmp(item, "http://", 7) != 0) ||
		    strpbrk(item, " <>\"") != NULL) {
			snprintf(l->msg, sizeof l->msg, "not a feed URL "
			    "(http:// or https://): %s", item);
			free(copy);
			return l->msg;
		}
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = xstrdup(item);
	}
	free(copy);
	return NULL;
}

static const char *
list_review_decisions(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 10, &l->list->review_decisions,
	    "review_decisions must be 1 to 10");
}

static const char *
list_submit_max_file(struct config_load *l, const char *v)
{
	const char	*err = config_size(v, &l->list->submit_max_file);

	if (err == NULL && l->list->submit_max_file == 0)
		return "submit_max_file must be above 0";
	return err;
}

static const char *
list_submit_max_total(struct config_load *l, const char *v)
{
	const char	*err = config_size(v, &l->list->submit_max_total);

	if (err == NULL && l->list->submit_max_total == 0)
		return "submit_max_total must be above 0";
	return err;
}

static const char *
list_submit_attach_max(struct config_load *l, const char *v)
{
	return config_size(v, &l->list->submit_attach_max);
}

static const char *
list_review_remind(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 365, &l->list->review_remind_days,
	    "review_remind_days must be 1 to 365");
}

static const char *
list_review_reassign(struct config_load *l, const char *v)
{
	return limits_int(v, 1, 365, &l->list->review_reassign_days,
	    "review_reassign_days must be 1 to 365");
}

static const char *
list_archive(struct config_load *l, const char *v)
{
	if (strcmp(v, "public") == 0)
		l->list->archive_private = 0;
	else if (strcmp(v, "private") == 0)
		l->list->archive_private = 1;
	else
		return "archive must be public or private";
	return NULL;
}

static const char *
list_feeds(struct config_load *l, const char *v)
{
	return config_feed_list(l, v, &l->list->feeds, &l->list->nfeeds);
}

static const char *
site_feeds(struct config_load *l, const char *v)
{
	return config_feed_list(l, v, &l->cfg->feeds, &l->cfg->nfeeds);
}

static const struct config_key config_list_keys[] = {
	{ "list", "title", list_title },
	{ "list", "description", list_description },
	{ "list", "language", list_language },
	{ "list", "policy", list_policy },
	{ "list", "subject_tag", list_subject_tag },
	{ "list", "coordinators", list_coordinators },
	{ "list", "reviewers", list_reviewers },
	{ "list", "max_message_size", list_max_size },
	{ "list", "confirm", list_confirm },
	{ "list", "require_auth", list_require_auth },
	{ "list", "subscription", list_subscription },
	{ "list", "bounce_threshold", list_bounce_threshold },
	{ "list", "archive_url", list_archive_url },
	{ "list", "unsubscribe_url", list_unsubscribe_url },
	{ "list", "review_decisions", list_review_decisions },
	{ "list", "submit_types", list_submit_types },
	{ "list", "submit_max_file", list_submit_max_file },
	{ "list", "submit_max_total", list_submit_max_total },
	{ "list", "submit_attach_max", list_submit_attach_max },
	{ "list", "review_remind_days", list_review_remind },
	{ "list", "review_reassign_days", list_review_reassign },
	{ "list", "archive", list_archive },
	{ "list", "digest_schedule", list_digest_schedule },
	{ "list", "digest_max_size", list_digest_max_size },
	{ "list", "digest_max_posts", list_digest_max_posts },
	{ "list", "newsletter_schedule", list_newsletter_schedule },
	{ "list", "event_notify", list_event_notify },
	{ "list", "feeds", list_feeds },
};

static const char *
config_dispatch(struct config_load *l, const struct config_key *keys,
    size_t nkeys, const char *section, const char *key, const char *value)
{
	size_t	i;
	int	section_known = 0;

	for (i = 0; i < nkeys; i++) {
		if (strcmp(keys[i].section, section) != 0)
			continue;
		section_known = 1;
		if (strcmp(keys[i].key, key) == 0) {
			if (i < 32)
				l->seen |= 1u << i;
			return keys[i].set(l, value);
		}
	}
	if (!section_known)
		return NULL;	/* reported once, at the [section] line */
	else
		snprintf(l->msg, sizeof l->msg,
		    "unknown key '%s' in [%s]", key, section);
	return l->msg;
}

static const char *
config_section(struct config_load *l, const struct config_key *keys,
    size_t nkeys, const char *section)
{
	size_t	i;

	for (i = 0; i < nkeys; i++)
		if (strcmp(keys[i].section, section) == 0)
			return NULL;
	snprintf(l->msg, sizeof l->msg, "unknown section [%s]", section);
	return l->msg;
}

static const char *
config_site_section(void *arg, const char *section, int line)
{
	struct config_load	*l = arg;
	const char		*err;

	l->mailbox = NULL;
	if (mbconfig_is_section(section)) {
		l->mailbox = mbconfig_section(l->cfg, section, l->cfg->path,
		    line, &err);
		return err;
	}
	return config_section(arg, config_site_keys,
	    sizeof config_site_keys / sizeof config_site_keys[0], section);
}

static const char *
config_list_section(void *arg, const char *section, int line)
{
	return config_section(arg, config_list_keys,
	    sizeof config_list_keys / sizeof config_list_keys[0], section);
}

static const char *
config_site_pair(void *arg, const char *section, const char *key,
    const char *value, int line)
{
	struct config_load	*l = arg;

	if (mbconfig_is_section(section))
		return l->mailbox == NULL ? NULL : mbconfig_set(l->cfg,
		    l->mailbox, key, value, l->msg, sizeof l->msg);
	return config_dispatch(arg, config_site_keys,
	    sizeof config_site_keys / sizeof config_site_keys[0],
	    section, key, value);
}

static const char *
config_list_pair(void *arg, const char *section, const char *key,
    const char *value, int line)
{
	return config_dispatch(arg, config_list_keys,
	    sizeof config_list_keys / sizeof config_list_keys[0],
	    section, key, value);
}

static void
config_report(void *arg, const char *file, int line, const char *msg)
{
	struct config_load	*l = arg;

	l->problems++;
	l->error(l->arg, file, line, msg);
}

static void
config_defaults(struct config *cfg)
{
	cfg->domain = xstrdup("localhost");
	cfg->site_name = xstrdup("metodist");
	cfg->site_address = xstrdup("metodist");
	cfg->language = xstrdup("ru");
	cfg->timezone = xstrdup("Asia/Yekaterinburg");
	cfg->delimiter = '+';
	cfg->listen = xstrdup("");
	cfg->lmtp = xstrdup("");
	cfg->max_message_size = 26214400;
	cfg->process_inline = 1;
	cfg->egress = xstrdup("maildir");
	cfg->relay_tls = xstrdup("none");
	cfg->relay_connections = 4;
	cfg->relay_timeout = 60;
	cfg->retry_days = 5;
	cfg->dmarc = DMARC_AUTO;
	cfg->dmarc_timeout = 2;
	cfg->replies_per_day = 10;
	cfg->token_lifetime_days = 3;
	cfg->held_expire_days = 14;
	cfg->max_unknown_commands = 5;
	cfg->posts_per_hour = 20;
	cfg->list_posts_per_hour = 200;
	cfg->commands_per_day = 50;
	cfg->max_header_fields = MESSAGE_MAX_HEADERS;
	cfg->max_header_line = MESSAGE_DEFAULT_LINE;
	cfg->max_mime_depth = MESSAGE_MAX_DEPTH;
	cfg->max_mime_parts = MESSAGE_MAX_PARTS;
	cfg->max_command_addresses = 10;
	cfg->archive_requests_per_day = 30;
	cfg->report_mail = 1;
	cfg->var_dir = config_resolve(cfg, "../var");
	cfg->lists_dir = config_resolve(cfg, "lists.d");
	cfg->templates_dir = config_resolve(cfg, "../templates");
}

static void
config_derive(struct config *cfg)
{
	cfg->spool_dir = str_path_join(cfg->var_dir, "spool");
	cfg->db_path = str_path_join(cfg->var_dir, "metodist.db");
	cfg->archive_dir = str_path_join(cfg->var_dir, "archive");
	if (cfg->outbox_dir == NULL)
		cfg->outbox_dir = str_path_join(cfg->var_dir, "outbox");
	if (cfg->html_dir == NULL)
		cfg->html_dir = str_path_join(cfg->var_dir, "html");
	if (cfg->bounce_domain == NULL)
		cfg->bounce_domain = xstrdup(cfg->domain);
}

static int
config_list_name_ok(const char *name)
{
	const char	*p;

	if (*name == '\0' || strlen(name) > 48 || *name == '-')
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-'))
			return 0;
	return 1;
}

/* The submission settings: defaults and whether they fit together. */
static void
config_list_check_review(struct config_load *l, struct list_config *lc)
{
	static const char *const dflt[] = { "docx", "pdf", "pptx", "odt",
	    "xlsx", "zip" };
	size_t	i;

	if (lc->submit_types == NULL)
		for (i = 0; i < sizeof dflt / sizeof dflt[0]; i++) {
			lc->submit_types = xreallocarray(lc->submit_types,
			    lc->nsubmit_types + 1, sizeof *lc->submit_types);
			lc->submit_types[lc->nsubmit_types++] =
			    xstrdup(dflt[i]);
		}
	if (lc->nreviewers > 0 &&
	    (size_t)lc->review_decisions > lc->nreviewers)
		config_report(l, lc->file, 0, "review_decisions is more than "
		    "the number of reviewers");
	if (lc->review_reassign_days <= lc->review_remind_days)
		config_report(l, lc->file, 0, "review_reassign_days must be "
		    "more than review_remind_days");
	if (lc->submit_max_file > lc->submit_max_total)
		config_report(l, lc->file, 0, "submit_max_file is more than "
		    "submit_max_total");
}

static void
config_list_check(struct config_load *l, struct list_config *lc)
{
	if (lc->title == NULL)
		config_report(l, lc->file, 0, "missing key 'title' in [list]");
	if (lc->ncoordinators == 0)
		config_report(l, lc->file, 0,
		    "a list needs at least one coordinator");
	if (lc->language == NULL)
		lc->language = xstrdup(l->cfg->language);
	if (lc->subject_tag == NULL)
		lc->subject_tag = xasprintf("[%s]", lc->name);
	if (lc->description == NULL)
		lc->description = xstrdup("");
	config_list_check_review(l, lc);
}

static int
config_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
config_load_list(struct config_load *l, const char *dir, const char *fname)
{
	struct ini_handler	 h = { config_list_section, config_list_pair,
				    config_report, l };
	struct list_config	*lc;
	struct config		*cfg = l->cfg;
	size_t			 nlen = strlen(fname) - 5;

	cfg->lists = xreallocarray(cfg->lists, cfg->nlists + 1,
	    sizeof *cfg->lists);
	lc = &cfg->lists[cfg->nlists++];
	memset(lc, 0, sizeof *lc);
	lc->name = xstrndup(fname, nlen);
	lc->file = str_path_join(dir, fname);
	lc->policy = POLICY_MEMBERS;
	lc->confirm = 1;
	lc->subscription = SUBSCRIPTION_OPEN;
	lc->bounce_threshold = 5;
	lc->review_decisions = 1;
	lc->submit_max_file = 20 * 1024 * 1024;
	lc->submit_max_total = 25 * 1024 * 1024;
	lc->submit_attach_max = 10 * 1024 * 1024;
	lc->review_remind_days = 7;
	lc->review_reassign_days = 14;
	(void)schedule_parse("daily 18:00", &lc->digest_schedule);
	lc->digest_max_size = 100000;
	lc->digest_max_posts = 30;
	(void)schedule_parse("weekly mon 09:00", &lc->newsletter_schedule);
	if (!config_list_name_ok(lc->name))
		config_report(l, lc->file, 0, "list file name must be "
		    "lower-case ASCII letters, digits and '-', then .conf");
	else if (strcmp(lc->name, cfg->site_address) == 0)
		config_report(l, lc->file, 0,
		    "list name equals the site address");
	l->list = lc;
	if (ini_parse(lc->file, &h) == -1)
		config_report(l, lc->file, 0, strerror(errno));
	l->list = NULL;
	config_list_check(l, lc);
}

static void
config_load_lists(struct config_load *l)
{
	DIR		*d;
	struct dirent	*de;
	char	       **names = NULL;
	size_t		 n = 0, i, len;

	if ((d = opendir(l->cfg->lists_dir)) == NULL) {
		config_report(l, l->cfg->lists_dir, 0, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 5 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, config_name_cmp);
	for (i = 0; i < n; i++) {
		config_load_list(l, l->cfg->lists_dir, names[i]);
		free(names[i]);
	}
	free(names);
}

static void
config_check_mailboxes(struct config_load *l)
{
	const char	*err;
	size_t		 i;

	for (i = 0; i < l->cfg->nmailboxes; i++)
		if ((err = mbconfig_finish(l->cfg, l->cfg->mailboxes[i],
		    l->msg, sizeof l->msg)) != NULL)
			config_report(l, l->cfg->mailboxes[i]->file,
			    l->cfg->mailboxes[i]->line, err);
}

/* The relay's password never crosses the network in clear: with tls =
 * none it may only go to a relay on this machine. */
static void
config_check_relay_auth(struct config_load *l)
{
	const struct config	*cfg = l->cfg;

	if (cfg->relay_user == NULL || cfg->relay == NULL ||
	    strcmp(cfg->relay_tls, "none") != 0)
		return;
	if (strncmp(cfg->relay, "127.", 4) == 0 ||
	    strncmp(cfg->relay, "localhost:", 10) == 0 ||
	    strncmp(cfg->relay, "[::1]", 5) == 0)
		return;
	config_report(l, cfg->path, 0, "[egress] user and password need tls "
	    "= starttls or implicit, unless the relay is on this machine "
	    "(the password would cross the network in clear)");
}

struct config *
config_load(const char *path, config_error_fn error, void *arg)
{
	struct config_load	 l;
	struct ini_handler	 h = { config_site_section, config_site_pair,
				    config_report, &l };
	struct config		*cfg;

	memset(&l, 0, sizeof l);
	l.error = error;
	l.arg = arg;
	cfg = l.cfg = xcalloc(1, sizeof *cfg);
	cfg->path = xstrdup(path);
	config_defaults(cfg);
	if (ini_parse(path, &h) == -1) {
		config_report(&l, path, 0, strerror(errno));
		config_free(cfg);
		return NULL;
	}
	if ((l.seen & 1u) == 0)
		config_report(&l, path, 0, "missing key 'domain' in [site]");
	if (strcmp(cfg->egress, "smtp") == 0 && cfg->relay == NULL)
		config_report(&l, path, 0,
		    "[egress] transport smtp needs a relay");
	config_check_relay_auth(&l);
	config_derive(cfg);
	config_check_mailboxes(&l);
	config_load_lists(&l);
	if (l.problems > 0) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

static void
config_free_list(struct list_config *lc)
{
	free(lc->name);
	free(lc->title);
	free(lc->description);
	free(lc->language);
	free(lc->subject_tag);
	str_array_free(lc->coordinators, lc->ncoordinators);
	str_array_free(lc->reviewers, lc->nreviewers);
	str_array_free(lc->submit_types, lc->nsubmit_types);
	free(lc->archive_url);
	free(lc->unsubscribe_url);
	str_array_free(lc->feeds, lc->nfeeds);
	free(lc->file);
}

void
config_free(struct config *cfg)
{
	size_t	i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nlists; i++)
		config_free_list(&cfg->lists[i]);
	free(cfg->lists);
	free(cfg->path); free(cfg->domain); free(cfg->site_name);
	free(cfg->site_address); free(cfg->language); free(cfg->timezone);
	str_array_free(cfg->feeds, cfg->nfeeds);
	free(cfg->var_dir); free(cfg->lists_dir); free(cfg->templates_dir);
	free(cfg->spool_dir); free(cfg->db_path); free(cfg->archive_dir);
	free(cfg->relay); free(cfg->relay_tls); free(cfg->relay_user);
	free(cfg->relay_password); free(cfg->relay_cafile);
	free(cfg->listen); free(cfg->lmtp); free(cfg->egress); free(cfg->outbox_dir);
	free(cfg->bounce_domain); free(cfg->dmarc_nameserver);
	free(cfg->html_dir); free(cfg->search_url);
	mbconfig_free_all(cfg);
	str_array_free(cfg->report_admins, cfg->nreport_admins);
	free(cfg);
}

const struct list_config *
config_list(const struct config *cfg, const char *name)
{
	size_t	i;

	for (i = 0; i < cfg->nlists; i++)
		if (strcasecmp(cfg->lists[i].name, name) == 0)
			return &cfg->lists[i];
	return NULL;
}

const char *
config_subscription_name(enum subscription_policy p)
{
	switch (p) {
	case SUBSCRIPTION_OPEN:		return "open";
	case SUBSCRIPTION_MODERATED:	return "moderated";
	case SUBSCRIPTION_CLOSED:	return "closed";
	}
	return "?";
}

const char *
config_policy_name(enum list_policy p)
{
	switch (p) {
	case POLICY_OPEN:	return "open";
	case POLICY_MEMBERS:	return "members";
	case POLICY_MODERATED:	return "moderated";
	case POLICY_ANNOUNCE:	return "announce";
	}
	return "?";
}

int
config_is_coordinator(const struct config *cfg, const struct list_config *lc,
    const char *addr)
{
	size_t	i;

	for (i = 0; i < lc->ncoordinators; i++)
		if (address_equal(lc->coordinators[i], addr,
		    cfg->local_part_ci))
			return 1;
	return 0;
}

int
config_is_reviewer(const struct config *cfg, const struct list_config *lc,
    const char *addr)
{
	size_t	i;

	for (i = 0; i < lc->nreviewers; i++)
		if (address_equal(lc->reviewers[i], addr, cfg->local_part_ci))
			return 1;
	return 0;
}

int
config_submit_type_allowed(const struct list_config *lc, const char *ext)
{
	size_t	i;

	for (i = 0; i < lc->nsubmit_types; i++)
		if (strcmp(lc->submit_types[i], ext) == 0)
			return 1;
	return 0;
}

char *
config_resolve_path(const struct config *cfg, const char *v)
{
	return config_resolve(cfg, v);
}
