/*
 * smtpd: a single-threaded SMTP (RFC 5321) and LMTP (RFC 2033) listener.
 *
 * Contract: smtpd_run() serves any number of clients from one poll(2)
 * loop and never blocks on one client: sockets are non-blocking, replies
 * are buffered and written as the peer reads them, and a client that stops
 * reading stops being read from (its output is bounded) while the others go
 * on.  Every length from the wire is bounded: command lines by
 * SMTPD_LINE_MAX, a message by max_message_size (the rest is read and
 * thrown away, then 552 is answered), recipients by max_recipients.
 *
 * The engine knows nothing of lists.  It asks handler->rcpt about each
 * recipient and hands each complete message to handler->message; it calls
 * handler->tick about every tick_ms so the daemon can do its other work.
 * Callbacks run on the loop and block it while they run.
 *
 * Message data reaches the callback dot-unstuffed, without the final
 * "." line, each line ending as the client sent it (CRLF or bare LF).
 * Every reply carries an RFC 3463 enhanced status code; reply texts filled
 * by callbacks must start with one ("2.1.5 OK").
 *
 * A client can only hurt itself: after SMTPD_MAX_BAD_COMMANDS bad commands
 * or idle_timeout_s seconds of silence it gets 421 and is closed.  SIGPIPE
 * never fires: writes use MSG_NOSIGNAL.
 */
#ifndef METODIST_SMTPD_H
#define METODIST_SMTPD_H

#include <signal.h>
#include <stddef.h>

#define SMTPD_LINE_MAX		4096	/* command line, CRLF included */
#define SMTPD_MAX_BAD_COMMANDS	10

struct smtpd;

struct smtpd_reply {
	int	code;		/* 250, 452, 550 ... */
	char	text[256];	/* "2.1.5 OK", "5.1.1 no such list" */
};

struct smtpd_handler {
	void	*arg;
	/*
	 * RCPT TO: fill the reply; a code below 400 accepts the recipient.
	 * mail_from is "" for the null reverse-path.
	 */
	void	(*rcpt)(void *arg, const char *mail_from, const char *rcpt,
		    struct smtpd_reply *);
	/*
	 * End of DATA, once per transaction, with the accepted recipients.
	 * nreplies is nrcpts in LMTP (fill replies[i] for rcpts[i]) and 1
	 * in SMTP (fill replies[0] for the whole message).  Replies come
	 * pre-filled with 451 4.3.0; answer 2xx only once the message is
	 * durable.
	 */
	void	(*message)(void *arg, const char *mail_from, char **rcpts,
		    size_t nrcpts, const char *data, size_t len,
		    struct smtpd_reply *replies, size_t nreplies);
	/* About every tick_ms, busy or idle; may be NULL. */
	void	(*tick)(void *arg);
};

struct smtpd_config {
	int		 lmtp;			/* LHLO, one reply per rcpt */
	const char	*hostname;		/* NULL: gethostname() */
	size_t		 max_message_size;	/* bytes; 0: 10 MiB */
	size_t		 max_recipients;	/* 0: 100 */
	int		 idle_timeout_s;	/* 0: 300 */
	int		 tick_ms;		/* 0: 1000 */
	size_t		 max_clients;		/* 0: 64; more get 421 */
};

/*
 * Open a listening socket: "127.0.0.1:2525", "[::1]:2525", "*:2525" or
 * "unix:/path/sock" (a stale socket there is removed; mode 0660).  Port 0
 * picks a free port.  Returns a non-blocking fd, or -1 with a warning
 * logged.
 */
int		 smtpd_listen(const char *where);
struct smtpd	*smtpd_new(const struct smtpd_config *,
		    const struct smtpd_handler *);
/* The engine owns fd from now on and closes it in smtpd_free(). */
int		 smtpd_add_listener(struct smtpd *, int fd);
/* The same, speaking LMTP (lmtp 1) or SMTP (0) on this listener whatever
 * the configuration's default, so one loop serves both. */
int		 smtpd_add_listener_proto(struct smtpd *, int fd, int lmtp);
/* Serve until *stop is set (checked at least every tick_ms); 0, or -1. */
int		 smtpd_run(struct smtpd *, volatile sig_atomic_t *stop);
/* Close every client and listener. */
void		 smtpd_free(struct smtpd *);

#endif
