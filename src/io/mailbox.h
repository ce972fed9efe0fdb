/*
 * mailbox: the pollers that read hosted mailboxes (IMAP with IDLE, or
 * POP3) into the spool, one per [mailbox] section.
 *
 * Each poller is a thread of metodistd, not a child process.  A thread
 * dies with the daemon, so a kill -9 or a crash never leaves a poller
 * behind still holding the mailbox while a restarted daemon starts
 * another; it needs nothing of the daemon but the spool directory and
 * its own SQLite connection (the only shared state is on disk, which
 * is already safe for several processes); and the SMTP/LMTP listeners
 * and the tick never wait for it, since it blocks only in its own
 * network calls.  libetpan keeps all state per session and GnuTLS is
 * thread-safe, so sessions in parallel threads do not meet.  What a
 * child process would add -- a crash in the IMAP parser not taking the
 * listeners down -- is covered by the spool and the fetched table: the
 * daemon restarts (systemd) and loses or doubles nothing.
 *
 * Each poller reads the configuration file itself and keeps it for its
 * life, so a reload (SIGHUP) never frees what a poller uses: the old
 * pollers are asked to stop and reaped when they have, the new ones
 * start at once.  Two pollers on one mailbox for a moment (an old one
 * finishing its message, the new one starting) are harmless: the spool
 * ids and the fetched table make taking a message idempotent.
 *
 * On any failure -- connection, TLS certificate, login, folder -- a
 * poller logs one clear line, then retries after retry_min seconds,
 * doubling up to retry_max; the same failure again is not logged again
 * (only with -v), and the first success after failures says so.
 */
#ifndef METODIST_MAILBOX_H
#define METODIST_MAILBOX_H

struct config;
struct pollers;

/* Start a poller for each mailbox of cfg (NULL when there is none). */
struct pollers	*pollers_start(const struct config *, const char *config_path);
/* Ask every poller to stop; returns at once. */
void		 pollers_stop(struct pollers *);
/* Join the pollers that have stopped; 1 when none is left (all freed). */
int		 pollers_reap(struct pollers *);
/* Stop and wait for every poller, then free. */
void		 pollers_join(struct pollers *);

#endif
