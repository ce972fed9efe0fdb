/*
 * mailbox-int: what the poller thread (mailbox.c) shares with its
 * protocols (mailbox-imap.c, mailbox-pop3.c).  Not for other modules.
 *
 * A protocol's session function connects, logs in, takes what is there
 * and, for IMAP, waits for more with IDLE (or polls), until it fails or
 * the poller is asked to stop.  It returns MBSESSION_STOPPED,
 * MBSESSION_PASS (POP3: one pass done; wait poll_interval) or
 * MBSESSION_FAILED with the reason in p->err.
 */
#ifndef METODIST_MAILBOX_INT_H
#define METODIST_MAILBOX_INT_H

#include <stdatomic.h>
#include <stdint.h>
#include <pthread.h>

#include <libetpan/libetpan.h>

#include "core/fetch.h"

struct config;
struct mailbox_config;

enum mbsession {
	MBSESSION_STOPPED,
	MBSESSION_PASS,
	MBSESSION_FAILED
};

struct poller {
	pthread_t		 thread;
	char			*config_path;
	char			*name;
	int			 wake[2];	/* a byte here: stop */
	atomic_int		 stop;
	atomic_int		 finished;

	/* owned by the thread */
	struct config		*cfg;
	const struct mailbox_config *mb;
	struct fetch_ctx	 fetch;
	char			 err[512];	/* why the session failed */
	char			 reported[512];	/* the failure last logged */
	int			 failures;	/* in a row, for the backoff */
	int			 logged_in;	/* this session got that far */
};

int	poller_stopping(struct poller *);
/* The session has logged in: says so when it follows failures. */
void	poller_logged_in(struct poller *);
/* Sleep up to seconds; 1 when asked to stop meanwhile. */
int	poller_sleep(struct poller *, int seconds);
/* Wait for fd to be readable: 1 readable, 0 timed out, -1 asked to stop. */
int	poller_wait_fd(struct poller *, int fd, int seconds);
void	poller_fail(struct poller *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* TCP to host:port, then TLS when implicit, verified; NULL on failure. */
mailstream *poller_connect(struct poller *);
/* Verify the certificate after STARTTLS; -1 with p->err set. */
int	poller_verify(struct poller *, mailstream *);
/* The spooled message is off the server: record it done. */
void	poller_finished(struct poller *, int64_t uidvalidity, const char *uid);

enum mbsession	mailbox_imap_session(struct poller *);
enum mbsession	mailbox_pop3_session(struct poller *);

#endif
