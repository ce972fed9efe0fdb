/*
 * config: the site's configuration and its lists.
 *
 * Contract: config_load() reads metodist.conf and every lists.d/NAME.conf
 * beside it, checks every key and value, and reports each problem as
 * "file:line: message" through the error callback (all problems, not only
 * the first).  An unknown section or key is a problem.  It returns NULL
 * when there was any problem, so a daemon never runs half-configured.
 * Relative paths in metodist.conf are taken relative to the directory of
 * metodist.conf.  A loaded config is read-only.
 */
#ifndef METODIST_CONFIG_H
#define METODIST_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "core/schedule.h"
struct mailbox_config;		/* core/mbconfig.h */

enum list_policy {
	POLICY_OPEN,		/* anyone may post */
	POLICY_MEMBERS,		/* members and coordinators post */
	POLICY_MODERATED,	/* members' posts are held for a coordinator */
	POLICY_ANNOUNCE		/* only coordinators post */
};

enum subscription_policy {
	SUBSCRIPTION_OPEN,	/* anyone may join (confirming by reply) */
	SUBSCRIPTION_MODERATED,	/* a coordinator approves each request */
	SUBSCRIPTION_CLOSED	/* only coordinators add members */
};

enum dmarc_mode {
	DMARC_AUTO,		/* rewrite From when the domain asks for it */
	DMARC_ALWAYS,
	DMARC_NEVER
};

struct list_config {
	char		*name;		/* ASCII local part, e.g. "math" */
	char		*title;		/* UTF-8, e.g. "МО учителей математики" */
	char		*description;
	char		*language;	/* "ru" or "en" */
	enum list_policy policy;
	char		*subject_tag;	/* e.g. "[Математика]"; "" for none */
	char	       **coordinators;	/* lower-cased addresses */
	size_t		 ncoordinators;
	char	       **reviewers;
	size_t		 nreviewers;
	uint64_t	 max_message_size;	/* 0: the site's limit */
	int		 confirm;	/* double opt-in */
	enum subscription_policy subscription;
	double		 bounce_threshold;	/* score that disables */
	int		 require_auth;	/* announce: Authentication-Results pass */
	char		*archive_url;	/* for List-Archive, or NULL */
	char		*unsubscribe_url;	/* RFC 8058 one-click, or NULL */
	int		 archive_private;	/* archive = private: members only */
	char		*file;		/* where it was defined */

	/* Methodological developments (submissions and their review). */
	int		 review_decisions;	/* approvals needed, default 1 */
	char	       **submit_types;	/* allowed extensions ("docx" ...) */
	size_t		 nsubmit_types;
	uint64_t	 submit_max_file;	/* bytes per file */
	uint64_t	 submit_max_total;	/* bytes per submission */
	uint64_t	 submit_attach_max;	/* above: listed, not attached */
	int		 review_remind_days;	/* remind an open review */
	int		 review_reassign_days;	/* hand it to another */
	/* digests, events, feeds, the newsletter */
	struct schedule	 digest_schedule;	/* default daily 18:00 */
	uint64_t	 digest_max_size;	/* bytes of posts; 0: none */
	int		 digest_max_posts;	/* posts; 0: none */
	struct schedule	 newsletter_schedule;	/* default weekly mon 09:00 */
	int		 event_notify;	/* send an event to members at once */
	char	       **feeds;		/* RSS, Atom or iCalendar URLs */
	size_t		 nfeeds;
};

struct config {
	char		*path;		/* metodist.conf */
	char		*domain;	/* gateway domain, lower case */
	char		*site_name;
	char		*site_address;	/* local part of the site address */
	char		*language;
	char		*timezone;
	char		 delimiter;

	char		*var_dir;
	char		*lists_dir;
	char		*templates_dir;
	char		*spool_dir;	/* var_dir/spool */
	char		*db_path;	/* var_dir/metodist.db */
	char		*archive_dir;	/* var_dir/archive */

	char		*listen;	/* SMTP "127.0.0.1:2525", or "" for none */
	char		*lmtp;		/* LMTP "unix:/path" or "HOST:PORT", or "" */
	uint64_t	 max_message_size;
	int		 process_inline;	/* deliver processes at once */

	char		*egress;	/* "maildir" or "smtp" */
	char		*outbox_dir;	/* var_dir/outbox by default */
	char		*bounce_domain;	/* VERP domain, default domain */
	char		*relay;		/* smtp: "host:port" */
	char		*relay_tls;	/* "none", "starttls", "implicit" */
	char		*relay_user;	/* AUTH user, or NULL */
	char		*relay_password;	/* AUTH password, or NULL */
	char		*relay_cafile;	/* CA bundle, or NULL: system's */
	int		 relay_connections;	/* in parallel, default 4 */
	int		 relay_batch;	/* many RCPT per transaction */
	int		 relay_timeout;	/* seconds per transaction step */
	int		 retry_days;	/* give up after, default 5 */

	enum dmarc_mode	 dmarc;
	int		 dmarc_timeout;	/* seconds */
	char		*dmarc_nameserver;	/* "IP[:port]", or NULL: system's */

	int		 local_part_ci;	/* compare local parts case-blind */
	uint64_t	 replies_per_day;

	/* [limits] */
	int		 token_lifetime_days;	/* confirmations, default 3 */
	int		 held_expire_days;	/* held posts, default 14 */
	int		 max_unknown_commands;	/* per message, default 5 */
	int		 posts_per_hour;	/* per sender and list, 20 */
	int		 list_posts_per_hour;	/* per list, 200 */
	int		 commands_per_day;	/* command letters per sender, 50 */
	/* bounds of one message and one command letter (core/msglimit.h) */
	int		 max_header_fields;	/* top-level fields, 1000 */
	int		 max_header_line;	/* octets of a line, 998 */
	int		 max_mime_depth;	/* nesting, 20 */
	int		 max_mime_parts;	/* MIME entities, 500 */
	int		 max_command_addresses;	/* per letter, 10 */

	/* [archive] */
	char		*html_dir;	/* [paths] html, var_dir/html by default */
	char		*search_url;	/* the search CGI's URL, or NULL */
	int		 archive_requests_per_day;	/* by email, default 30 */

	struct list_config *lists;
	size_t		 nlists;

	int		 relay_per_hour;	/* [egress] max_per_hour, 0: no cap */
	struct mailbox_config **mailboxes;	/* [mailbox], [mailbox.NAME] */
	size_t		 nmailboxes;
	/* [report] */
	char	       **report_admins;	/* get the whole site's report */
	size_t		 nreport_admins;
	int		 report_mail;	/* mail the monthly report */
	char	       **feeds;		/* the site's: news for every list */
	size_t		 nfeeds;
};

typedef void (*config_error_fn)(void *arg, const char *file, int line,
    const char *message);

struct config	*config_load(const char *path, config_error_fn, void *arg);
void		 config_free(struct config *);
const struct list_config *config_list(const struct config *, const char *name);
const char	*config_policy_name(enum list_policy);
const char	*config_subscription_name(enum subscription_policy);
int		 config_is_coordinator(const struct config *,
		    const struct list_config *, const char *addr);
int		 config_is_reviewer(const struct config *,
		    const struct list_config *, const char *addr);
/* 1 when ext (lower case, "docx") is on the list's allow-list. */
int		 config_submit_type_allowed(const struct list_config *,
		    const char *ext);
/* A path of metodist.conf made absolute (relative to its directory). */
char		*config_resolve_path(const struct config *, const char *);

#endif
