/*
 * egress: where outgoing mail goes, behind one small set of operations.
 *
 * Contract: a transport fills struct egress_ops.  send() hands over one
 * message for one recipient and answers EGRESS_OK only when the message
 * is durably accepted (a maildir file fsynced and renamed into new/, or a
 * relay's 250 to that RCPT), EGRESS_TEMP for trouble worth retrying and
 * EGRESS_PERM for a final refusal, with a one-line reason in err.  The
 * message bytes use LF line ends; a network transport converts them.
 */
#ifndef METODIST_EGRESS_H
#define METODIST_EGRESS_H

#include <stddef.h>

struct config;

enum egress_result {
	EGRESS_OK,
	EGRESS_TEMP,
	EGRESS_PERM
};

struct egress_msg {
	const char	*id;		/* unique per delivery: a transport may
					 * use it to make a resend idempotent */
	const char	*envelope_from;	/* "" for the null sender */
	const char	*recipient;
	const char	*data;
	size_t		 len;
};

struct egress;

/*
 * Told once per message of a send_many() call, as soon as its fate is
 * known (the relay's reply to its RCPT, or after DATA).  After the
 * reports of one transaction (or of one run of reports) it is called
 * once more with index EGRESS_DONE_FLUSH: the caller may make durable
 * together what it was told so far, before the transport talks to the
 * relay again.
 */
typedef void (*egress_done_fn)(void *arg, size_t index,
    enum egress_result, const char *err);

#define EGRESS_DONE_FLUSH	((size_t)-1)

struct egress_ops {
	const char	*name;
	int		(*open)(struct egress *);
	enum egress_result (*send)(struct egress *, const struct egress_msg *,
			    char *err, size_t errsz);
	/*
	 * Optional: hand over n messages at once, over parallel connections
	 * or several RCPTs per transaction, calling done for each.  Returns
	 * when every message has been reported.
	 */
	void		(*send_many)(struct egress *, const struct egress_msg *,
			    size_t n, egress_done_fn done, void *arg);
	void		(*close)(struct egress *);
};

struct egress {
	const struct egress_ops	*ops;
	const struct config	*cfg;
	void			*state;
};

extern const struct egress_ops egress_maildir_ops;
extern const struct egress_ops egress_smtp_ops;

/* The transport the configuration names, opened; NULL on failure. */
struct egress	*egress_open(const struct config *);
void		 egress_close(struct egress *);

#endif
