/*
 * spool: durable hand-over between ingress and processing.
 *
 * Contract: spool_enter() returns 0 only when the message and its
 * envelope are on disk under new/: written to tmp/ with O_EXCL, fsynced,
 * closed with its result checked, renamed, and the directory fsynced.  Any
 * failure unlinks the temporary file and returns -1 with errno set: the
 * caller answers temporarily (exit 75, 4xx).  Processing claims an entry
 * by renaming it from new/ to cur/, so two processors never take the same
 * one; spool_done() removes it once its outcome is committed, and
 * spool_release() puts it back in new/ after a transient failure.  After a
 * crash, spool_recover() returns entries left in cur/ to new/ and removes
 * stale files in tmp/.
 *
 * File format: "X-Metodist-Recipient: R\nX-Metodist-Sender: S\n
 * X-Metodist-Received: T\n\n" then the message bytes unchanged.
 */
#ifndef METODIST_SPOOL_H
#define METODIST_SPOOL_H

#include <stddef.h>
#include <time.h>

#define SPOOL_ID_MAX	64

struct spool_entry {
	char	 id[SPOOL_ID_MAX];
	char	*recipient;
	char	*sender;	/* "" for the null sender */
	time_t	 received;
	char	*file;		/* the whole file */
	size_t	 file_len;
	const char *message;	/* points into file */
	size_t	 message_len;
};

int	spool_init(const char *dir);
int	spool_enter(const char *dir, const char *recipient, const char *sender,
	    const char *data, size_t len, char id[SPOOL_ID_MAX]);
/*
 * The same with an id the caller chose (a hosted mailbox's message:
 * mailbox, UIDVALIDITY, UID), so that taking a message again after a
 * crash lands on the same entry: an entry still waiting is replaced by
 * the same bytes, one already processed is recognised by its id.  The
 * id is [A-Za-z0-9._-] only, at most SPOOL_ID_MAX - 1 bytes.
 */
int	spool_enter_as(const char *dir, const char *id, const char *recipient,
	    const char *sender, const char *data, size_t len);
/* 0 claimed, 1 gone (another processor has it), -1 error. */
int	spool_claim(const char *dir, const char *id);
/* Load a claimed entry; 0 or -1. */
int	spool_load(const char *dir, const char *id, size_t max,
	    struct spool_entry *);
void	spool_entry_free(struct spool_entry *);
int	spool_done(const char *dir, const char *id);
int	spool_release(const char *dir, const char *id);
/* Set aside an entry that can never be processed (damaged, or larger
 * than the site now accepts) in bad/, where it stays for the admin. */
int	spool_set_aside(const char *dir, const char *id);
/* Ids waiting in new/, oldest first; *ids is freed with spool_ids_free. */
int	spool_pending(const char *dir, char ***ids, size_t *n);
void	spool_ids_free(char **, size_t);
/* Move cur/ entries older than age seconds back to new/; clean tmp/. */
int	spool_recover(const char *dir, time_t age);

#endif
