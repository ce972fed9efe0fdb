/*
 * mbconfig: the hosted mailboxes metodist.conf names, one section each.
 *
 * A centre without a mail server of its own keeps its list addresses in
 * one mailbox at a hosting provider (plus-addressing or a catch-all
 * alias).  "[mailbox]" or "[mailbox.NAME]" describes one such mailbox:
 * how to reach it (IMAP or POP3, TLS, account), where processed
 * messages go, and how the list address is found in a message that the
 * provider has already delivered (Delivered-To, X-Original-To, the plus
 * part of To/Cc...).
 *
 * Contract: mbconfig_section() recognises a mailbox section name and
 * appends a mailbox with the defaults; mbconfig_set() checks and sets one
 * key, returning NULL or a message; mbconfig_finish() fills what depends
 * on other keys (port, password file) and reports what is missing.  A
 * loaded mailbox is read-only; mbconfig_copy() gives a poller its own.
 */
#ifndef METODIST_MBCONFIG_H
#define METODIST_MBCONFIG_H

#include <stddef.h>

struct config;

enum mbconfig_tls {
	MBCONFIG_TLS_IMPLICIT,	/* 993, 995 */
	MBCONFIG_TLS_STARTTLS,	/* 143, 110 */
	MBCONFIG_TLS_NONE	/* loopback only */
};

/* Where the list address of a delivered message is looked for. */
enum mbconfig_source {
	MBSRC_DELIVERED_TO,	/* Delivered-To: (Postfix, Dovecot, Gmail) */
	MBSRC_X_ORIGINAL_TO,	/* X-Original-To: (Postfix) */
	MBSRC_X_DELIVERED_TO,	/* X-Delivered-To: */
	MBSRC_ENVELOPE_TO,	/* Envelope-To: (Exim) */
	MBSRC_TO,		/* To: and Cc: */
	MBSRC_COUNT
};

#define MBCONFIG_MAX_SOURCES	MBSRC_COUNT

struct mailbox_config {
	char		*name;		/* "default" or NAME of [mailbox.NAME] */
	int		 pop3;		/* protocol pop3, else imap */
	char		*host;
	int		 port;		/* 0: the protocol's for the tls mode */
	enum mbconfig_tls tls;
	char		*cafile;	/* NULL: the system's trust store */
	char		*user;
	char		*password;
	char		*password_file;
	char		*folder;	/* IMAP folder read, "INBOX" */
	char		*processed;	/* IMAP folder for done mail; NULL: delete */
	int		 poll_interval;	/* seconds, without IDLE and for POP3 */
	int		 idle_timeout;	/* seconds before IDLE is re-issued */
	int		 retry_min;	/* backoff after a failure, doubling */
	int		 retry_max;
	int		 timeout;	/* network, per step */
	enum mbconfig_source sources[MBCONFIG_MAX_SOURCES];
	size_t		 nsources;
	char		*address;	/* the mailbox's own address (plus mode) */
	char		*folder_imap;	/* folder and processed as IMAP names */
	char		*processed_imap;	/* (modified UTF-7, RFC 3501 5.1.3) */
	char		*file;		/* where it was defined */
	int		 line;
};

/* A new mailbox when section is "mailbox" or "mailbox.NAME"; else NULL.
 * *err is set when the name is not acceptable. */
struct mailbox_config *mbconfig_section(struct config *, const char *section,
		    const char *file, int line, const char **err);
int		 mbconfig_is_section(const char *section);
const char	*mbconfig_set(struct config *, struct mailbox_config *,
		    const char *key, const char *value, char *msg, size_t msgsz);
/* Fill defaults that depend on other keys; the first problem, or NULL. */
const char	*mbconfig_finish(struct config *, struct mailbox_config *,
		    char *msg, size_t msgsz);
struct mailbox_config *mbconfig_copy(const struct mailbox_config *);
void		 mbconfig_free(struct mailbox_config *);
void		 mbconfig_free_all(struct config *);
const char	*mbconfig_source_name(enum mbconfig_source);
/* A UTF-8 folder name in IMAP's modified UTF-7; NULL if not UTF-8. */
char		*mbconfig_mutf7(const char *utf8);

#endif
