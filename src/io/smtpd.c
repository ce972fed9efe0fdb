/*
 * smtpd: see smtpd.h.
 *
 * Each client moves through these states; RSET and HELO/EHLO/LHLO go back
 * to READY, end of DATA goes back to READY:
 *
 *   GREET --HELO/EHLO/LHLO--> READY --MAIL--> MAIL --RCPT ok--> MAIL
 *                                               --DATA (rcpts)--> DATA
 *
 * Input is read into c->in and cut into lines there; c->inoff marks what
 * is consumed.  Replies go to c->out and are sent from c->outoff as the
 * socket takes them.  While more than SMTPD_OUT_MAX bytes wait to be sent,
 * the client is neither read nor served, so its input stays bounded too.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "io/smtpd.h"
#include "util/buf.h"
#include "util/fault.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define SMTPD_OUT_MAX		65536	/* pending output pausing a client */
#define SMTPD_IN_MAX		65536	/* unconsumed input read at most */
#define SMTPD_PATH_MAX		256	/* RFC 5321 4.5.3.1.3 */
#define SMTPD_BACKLOG		128

enum smtpd_state {
	SMTPD_GREET,
	SMTPD_READY,
	SMTPD_MAIL,
	SMTPD_DATA
};

struct smtpd_client {
	struct smtpd_client	*next;
	struct smtpd		*sd;
	int			 fd;
	int			 lmtp;		/* the listener's protocol */
	enum smtpd_state	 state;
	int			 closing;	/* flush, then close */
	int			 dead;		/* close at end of pass */
	int			 discard_line;	/* in an overlong command */
	int			 bad;		/* bad commands so far */
	uint64_t		 last_ms;	/* last progress either way */
	struct buf		 in;
	size_t			 inoff;
	struct buf		 out;
	size_t			 outoff;
	char			*mail_from;
	char			**rcpts;
	size_t			 nrcpts;
	int			 rcpt_tried;
	struct buf		 data;
	int			 data_bol;	/* at the start of a line */
	int			 data_over;	/* over the size limit */
};

struct smtpd_listener {
	int	fd;
	int	lmtp;
};

struct smtpd {
	struct smtpd_config	 cfg;
	struct smtpd_handler	 h;
	char			 hostname[256];
	struct smtpd_listener	*listeners;
	size_t			 nlisteners;
	struct smtpd_client	*clients;
	size_t			 nclients;
	struct pollfd		*pfd;
	struct smtpd_client	**pcl;
	size_t			 pcap;
};

struct smtpd_cmd {
	const char	*name;
	void		(*fn)(struct smtpd_client *, char *);
};

static void	smtpd_cmd_helo(struct smtpd_client *, char *);
static void	smtpd_cmd_ehlo(struct smtpd_client *, char *);
static void	smtpd_cmd_lhlo(struct smtpd_client *, char *);
static void	smtpd_cmd_mail(struct smtpd_client *, char *);
static void	smtpd_cmd_rcpt(struct smtpd_client *, char *);
static void	smtpd_cmd_data(struct smtpd_client *, char *);
static void	smtpd_cmd_rset(struct smtpd_client *, char *);
static void	smtpd_cmd_noop(struct smtpd_client *, char *);
static void	smtpd_cmd_quit(struct smtpd_client *, char *);
static void	smtpd_cmd_vrfy(struct smtpd_client *, char *);
static void	smtpd_cmd_help(struct smtpd_client *, char *);

static const struct smtpd_cmd smtpd_cmds[] = {
	{ "HELO", smtpd_cmd_helo },
	{ "EHLO", smtpd_cmd_ehlo },
	{ "LHLO", smtpd_cmd_lhlo },
	{ "MAIL", smtpd_cmd_mail },
	{ "RCPT", smtpd_cmd_rcpt },
	{ "DATA", smtpd_cmd_data },
	{ "RSET", smtpd_cmd_rset },
	{ "NOOP", smtpd_cmd_noop },
	{ "QUIT", smtpd_cmd_quit },
	{ "VRFY", smtpd_cmd_vrfy },
	{ "HELP", smtpd_cmd_help },
};

static uint64_t
smtpd_now_ms(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		fatal("smtpd: clock_gettime");
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Replies */

/* One reply line; more != 0 makes it a continuation line ("250-"). */
static void
smtpd_reply_line(struct smtpd_client *c, int code, int more, const char *text)
{
	buf_addf(&c->out, "%03d%c%s\r\n", code, more ? '-' : ' ', text);
}

static void
smtpd_reply(struct smtpd_client *c, int code, const char *text)
{
	smtpd_reply_line(c, code, 0, text);
}

/* A reply a callback filled: keep it to one printable line. */
static void
smtpd_reply_from(struct smtpd_client *c, const struct smtpd_reply *r)
{
	char	text[sizeof r->text];
	size_t	i;

	if (r->code < 200 || r->code > 599) {
		smtpd_reply(c, 451, "4.3.0 internal error");
		return;
	}
	memcpy(text, r->text, sizeof text);
	text[sizeof text - 1] = '\0';
	for (i = 0; text[i] != '\0'; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			text[i] = ' ';
	smtpd_reply(c, r->code, text[0] != '\0' ? text : "OK");
}

static void
smtpd_reply_set(struct smtpd_reply *r, int code, const char *text)
{
	r->code = code;
	str_lcpy(r->text, text, sizeof r->text);
}

/* A bad command: answer it, and end the session after too many. */
static void
smtpd_bad(struct smtpd_client *c, int code, const char *text)
{
	smtpd_reply(c, code, text);
	if (++c->bad >= SMTPD_MAX_BAD_COMMANDS) {
		smtpd_reply(c, 421, "4.7.0 too many errors, closing");
		c->closing = 1;
	}
}

/* Transactions */

static void
smtpd_txn_reset(struct smtpd_client *c)
{
	size_t	i;

	for (i = 0; i < c->nrcpts; i++)
		free(c->rcpts[i]);
	free(c->rcpts);
	c->rcpts = NULL;
	c->nrcpts = 0;
	c->rcpt_tried = 0;
	free(c->mail_from);
	c->mail_from = NULL;
	buf_free(&c->data);
	c->data_over = 0;
	c->data_bol = 1;
	if (c->state != SMTPD_GREET)
		c->state = SMTPD_READY;
}

/* No controls anywhere; no space or angle bracket outside quotes. */
static int
smtpd_path_ok(const char *s)
{
	const char	*p;
	int		 quoted = 0;

	if (strlen(s) > SMTPD_PATH_MAX)
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '\\' && quoted && p[1] != '\0')
			p++;
		else if (!quoted && strchr(" <>", *p) != NULL)
			return 0;
	}
	return !quoted;
}

/*
 * Split "<path> params" (or "path params") in place.  Sets *addr to the
 * address without brackets and *params to the rest, trimmed.  A source
 * route ("@a,@b:user@d") is dropped.  Returns -1 on bad syntax.
 */
static int
smtpd_parse_path(char *s, char **addr, char **params)
{
	char	*end, *p;
	int	 quoted = 0;

	while (*s == ' ')
		s++;
	if (*s == '<') {
		s++;
		for (end = s; *end != '\0'; end++) {
			if (*end == '"')
				quoted = !quoted;
			else if (*end == '\\' && quoted && end[1] != '\0')
				end++;
			else if (*end == '>' && !quoted)
				break;
		}
		if (*end != '>')
			return -1;
	} else
		end = s + strcspn(s, " ");
	p = *end != '\0' ? end + 1 : end;
	*end = '\0';
	if (*s == '@' && (end = strchr(s, ':')) != NULL)
		s = end + 1;
	if (!smtpd_path_ok(s))
		return -1;
	*addr = s;
	*params = str_trim(p);
	return 0;
}

/* Expect "FROM:" or "TO:" before the path, spaces allowed after it. */
static char *
smtpd_after_keyword(char *arg, const char *kw)
{
	if (!str_has_prefix_ci(arg, kw))
		return NULL;
	return arg + strlen(kw);
}

/* One MAIL parameter; 0 if fine, else the reply is already sent. */
static int
smtpd_mail_param(struct smtpd_client *c, char *kv)
{
	char		*v;
	uint64_t	 size;

	if ((v = strchr(kv, '=')) != NULL)
		*v++ = '\0';
	if (strcasecmp(kv, "SIZE") == 0 && v != NULL) {
		if (str_to_u64(v, UINT64_MAX, &size) == -1) {
			smtpd_bad(c, 501, "5.5.4 bad SIZE parameter");
			return -1;
		}
		if (size > c->sd->cfg.max_message_size) {
			smtpd_reply(c, 552, "5.3.4 message size exceeds limit");
			return -1;
		}
		return 0;
	}
	if (strcasecmp(kv, "BODY") == 0 && v != NULL) {
		if (strcasecmp(v, "7BIT") == 0 ||
		    strcasecmp(v, "8BITMIME") == 0)
			return 0;
		smtpd_bad(c, 501, "5.5.4 bad BODY parameter");
		return -1;
	}
	smtpd_bad(c, 555, "5.5.4 unsupported MAIL parameter");
	return -1;
}

static int
smtpd_mail_params(struct smtpd_client *c, char *params)
{
	char	*p = params, *next;

	while (*p != '\0') {
		next = p + strcspn(p, " ");
		if (*next != '\0')
			*next++ = '\0';
		if (*p != '\0' && smtpd_mail_param(c, p) == -1)
			return -1;
		p = next;
	}
	return 0;
}

/* Commands */

static void
smtpd_hello_done(struct smtpd_client *c)
{
	c->state = SMTPD_READY;
	smtpd_txn_reset(c);
}

static void
smtpd_cmd_helo(struct smtpd_client *c, char *arg)
{
	if (c->lmtp) {
		smtpd_bad(c, 500, "5.5.1 this is LMTP, say LHLO");
		return;
	}
	if (*arg == '\0') {
		smtpd_bad(c, 501, "5.5.4 HELO needs a domain");
		return;
	}
	smtpd_hello_done(c);
	smtpd_reply(c, 250, c->sd->hostname);
}

static void
smtpd_ehlo_reply(struct smtpd_client *c)
{
	char	size[64];

	snprintf(size, sizeof size, "SIZE %zu", c->sd->cfg.max_message_size);
	smtpd_reply_line(c, 250, 1, c->sd->hostname);
	smtpd_reply_line(c, 250, 1, size);
	smtpd_reply_line(c, 250, 1, "PIPELINING");
	smtpd_reply_line(c, 250, 1, "8BITMIME");
	smtpd_reply_line(c, 250, 0, "ENHANCEDSTATUSCODES");
}

static void
smtpd_cmd_ehlo(struct smtpd_client *c, char *arg)
{
	if (c->lmtp) {
		smtpd_bad(c, 500, "5.5.1 this is LMTP, say LHLO");
		return;
	}
	if (*arg == '\0') {
		smtpd_bad(c, 501, "5.5.4 EHLO needs a domain");
		return;
	}
	smtpd_hello_done(c);
	smtpd_ehlo_reply(c);
}

static void
smtpd_cmd_lhlo(struct smtpd_client *c, char *arg)
{
	if (!c->lmtp) {
		smtpd_bad(c, 500, "5.5.1 command unrecognized");
		return;
	}
	if (*arg == '\0') {
		smtpd_bad(c, 501, "5.5.4 LHLO needs a domain");
		return;
	}
	smtpd_hello_done(c);
	smtpd_ehlo_reply(c);
}

static void
smtpd_cmd_mail(struct smtpd_client *c, char *arg)
{
	char	*path, *addr, *params;

	if (c->state == SMTPD_GREET) {
		smtpd_bad(c, 503, c->lmtp ? "5.5.1 send LHLO first" :
		    "5.5.1 send EHLO first");
		return;
	}
	if (c->state != SMTPD_READY) {
		smtpd_bad(c, 503, "5.5.1 nested MAIL command");
		return;
	}
	if ((path = smtpd_after_keyword(arg, "FROM:")) == NULL ||
	    smtpd_parse_path(path, &addr, &params) == -1) {
		smtpd_bad(c, 501, "5.5.4 syntax: MAIL FROM:<address>");
		return;
	}
	if (smtpd_mail_params(c, params) == -1)
		return;
	c->mail_from = xstrdup(addr);
	c->state = SMTPD_MAIL;
	smtpd_reply(c, 250, "2.1.0 OK");
}

static void
smtpd_rcpt_ask(struct smtpd_client *c, const char *addr)
{
	struct smtpd		*sd = c->sd;
	struct smtpd_reply	 r;

	smtpd_reply_set(&r, 250, "2.1.5 OK");
	if (sd->h.rcpt != NULL) {
		smtpd_reply_set(&r, 451, "4.3.0 internal error");
		sd->h.rcpt(sd->h.arg, c->mail_from, addr, &r);
	}
	smtpd_reply_from(c, &r);
	if (r.code >= 200 && r.code < 400) {
		c->rcpts = xreallocarray(c->rcpts, c->nrcpts + 1,
		    sizeof *c->rcpts);
		c->rcpts[c->nrcpts++] = xstrdup(addr);
	}
}

static void
smtpd_cmd_rcpt(struct smtpd_client *c, char *arg)
{
	char	*path, *addr, *params;

	if (c->state != SMTPD_MAIL) {
		smtpd_bad(c, 503, "5.5.1 need MAIL before RCPT");
		return;
	}
	if ((path = smtpd_after_keyword(arg, "TO:")) == NULL ||
	    smtpd_parse_path(path, &addr, &params) == -1 || *addr == '\0') {
		smtpd_bad(c, 501, "5.5.4 syntax: RCPT TO:<address>");
		return;
	}
	if (*params != '\0') {
		smtpd_bad(c, 555, "5.5.4 unsupported RCPT parameter");
		return;
	}
	c->rcpt_tried = 1;
	if (c->nrcpts >= c->sd->cfg.max_recipients) {
		smtpd_reply(c, 452, "4.5.3 too many recipients");
		return;
	}
	smtpd_rcpt_ask(c, addr);
}

static void
smtpd_cmd_data(struct smtpd_client *c, char *arg)
{
	if (*arg != '\0') {
		smtpd_bad(c, 501, "5.5.4 DATA takes no argument");
		return;
	}
	if (c->state != SMTPD_MAIL || (c->nrcpts == 0 && !c->rcpt_tried)) {
		smtpd_bad(c, 503, "5.5.1 need MAIL and RCPT before DATA");
		return;
	}
	if (c->nrcpts == 0) {
		smtpd_reply(c, 554, "5.5.1 no valid recipients");
		return;
	}
	buf_init(&c->data);
	c->data_bol = 1;
	c->data_over = 0;
	c->state = SMTPD_DATA;
	smtpd_reply(c, 354, "end data with <CR><LF>.<CR><LF>");
}

static void
smtpd_cmd_rset(struct smtpd_client *c, char *arg)
{
	smtpd_txn_reset(c);
	smtpd_reply(c, 250, "2.0.0 OK");
}

static void
smtpd_cmd_noop(struct smtpd_client *c, char *arg)
{
	smtpd_reply(c, 250, "2.0.0 OK");
}

static void
smtpd_cmd_quit(struct smtpd_client *c, char *arg)
{
	smtpd_reply(c, 221, "2.0.0 bye");
	c->closing = 1;
}

static void
smtpd_cmd_vrfy(struct smtpd_client *c, char *arg)
{
	if (*arg == '\0') {
		smtpd_bad(c, 501, "5.5.4 VRFY needs an argument");
		return;
	}
	smtpd_reply(c, 252, "2.5.0 cannot VRFY, but will take the message");
}

static void
smtpd_cmd_help(struct smtpd_client *c, char *arg)
{
	smtpd_reply_line(c, 214, 1, c->lmtp ?
	    "2.0.0 commands: LHLO MAIL RCPT DATA" :
	    "2.0.0 commands: EHLO HELO MAIL RCPT DATA");
	smtpd_reply_line(c, 214, 1, "2.0.0 and: RSET NOOP QUIT VRFY HELP");
	smtpd_reply_line(c, 214, 0, "2.0.0 end of HELP");
}

/* One command line, CRLF or LF already removed. */
static void
smtpd_dispatch(struct smtpd_client *c, char *line)
{
	const struct smtpd_cmd	*cmd;
	size_t			 i, vlen;
	char			*arg;

	vlen = strcspn(line, " ");
	arg = line + vlen;
	while (*arg == ' ')
		arg++;
	for (i = 0; i < sizeof smtpd_cmds / sizeof smtpd_cmds[0]; i++) {
		cmd = &smtpd_cmds[i];
		if (strlen(cmd->name) == vlen &&
		    strncasecmp(line, cmd->name, vlen) == 0) {
			cmd->fn(c, str_trim(arg));
			return;
		}
	}
	smtpd_bad(c, 500, "5.5.1 command unrecognized");
}

/* Input */

/* Handle one command line from p; returns the bytes consumed, 0: need more. */
static size_t
smtpd_command_input(struct smtpd_client *c, const char *p, size_t len)
{
	char		 line[SMTPD_LINE_MAX + 1];
	const char	*nl;
	size_t		 n;

	nl = memchr(p, '\n', len);
	if (c->discard_line) {
		if (nl == NULL)
			return len;
		c->discard_line = 0;
		smtpd_bad(c, 500, "5.5.2 line too long");
		return (size_t)(nl - p) + 1;
	}
	if (nl == NULL) {
		if (len < SMTPD_LINE_MAX)
			return 0;
		c->discard_line = 1;
		return len;
	}
	n = (size_t)(nl - p) + 1;
	if (n > SMTPD_LINE_MAX) {
		smtpd_bad(c, 500, "5.5.2 line too long");
		return n;
	}
	memcpy(line, p, n - 1);
	line[n - 1] = '\0';
	if (n >= 2 && line[n - 2] == '\r')
		line[n - 2] = '\0';
	if (memchr(p, '\0', n) != NULL)
		smtpd_bad(c, 500, "5.5.2 NUL in command");
	else
		smtpd_dispatch(c, line);
	return n;
}

/* Add a piece of a message line; a leading dot at line start is stuffing. */
static void
smtpd_data_add(struct smtpd_client *c, const char *p, size_t n)
{
	if (c->data_bol && n > 0 && p[0] == '.') {
		p++;
		n--;
	}
	if (c->data_over)
		return;
	if (n > c->sd->cfg.max_message_size - c->data.len) {
		c->data_over = 1;
		buf_free(&c->data);
		return;
	}
	buf_add(&c->data, p, n);
}

static void
smtpd_data_done(struct smtpd_client *c)
{
	struct smtpd		*sd = c->sd;
	struct smtpd_reply	*r;
	size_t			 i, nr;

	nr = c->lmtp ? c->nrcpts : 1;
	r = xcalloc(nr, sizeof *r);
	for (i = 0; i < nr; i++)
		smtpd_reply_set(&r[i], 451, "4.3.0 message not taken");
	if (c->data_over) {
		for (i = 0; i < nr; i++)
			smtpd_reply_set(&r[i], 552,
			    "5.3.4 message size exceeds limit");
	} else if (sd->h.message != NULL)
		sd->h.message(sd->h.arg, c->mail_from, c->rcpts, c->nrcpts,
		    buf_cstr(&c->data), c->data.len, r, nr);
	for (i = 0; i < nr; i++)
		smtpd_reply_from(c, &r[i]);
	free(r);
	smtpd_txn_reset(c);
}

/* Handle message data from p; returns the bytes consumed, 0: need more. */
static size_t
smtpd_data_input(struct smtpd_client *c, const char *p, size_t len)
{
	const char	*nl;
	size_t		 n;

	nl = memchr(p, '\n', len);
	if (nl == NULL) {
		if (len < SMTPD_LINE_MAX)
			return 0;
		/* Too long to be the final dot: take it as it is. */
		smtpd_data_add(c, p, len);
		c->data_bol = 0;
		return len;
	}
	n = (size_t)(nl - p) + 1;
	if (c->data_bol && ((n == 2 && p[0] == '.') ||
	    (n == 3 && p[0] == '.' && p[1] == '\r'))) {
		smtpd_data_done(c);
		return n;
	}
	smtpd_data_add(c, p, n);
	c->data_bol = 1;
	return n;
}

static size_t
smtpd_pending_out(const struct smtpd_client *c)
{
	return c->out.len - c->outoff;
}

/* Serve what has arrived, as far as output room allows. */
static void
smtpd_process(struct smtpd_client *c)
{
	const char	*p;
	size_t		 len, n;

	while (!c->closing && smtpd_pending_out(c) < SMTPD_OUT_MAX &&
	    c->inoff < c->in.len) {
		p = c->in.data + c->inoff;
		len = c->in.len - c->inoff;
		if (c->state == SMTPD_DATA)
			n = smtpd_data_input(c, p, len);
		else
			n = smtpd_command_input(c, p, len);
		if (n == 0)
			break;
		c->inoff += n;
	}
	if (c->closing)
		c->inoff = c->in.len;
	if (c->inoff > 0) {
		len = c->in.len - c->inoff;
		memmove(c->in.data, c->in.data + c->inoff, len);
		c->in.len = len;
		c->in.data[len] = '\0';
		c->inoff = 0;
	}
}

static int
smtpd_wants_read(const struct smtpd_client *c)
{
	return !c->closing && !c->dead &&
	    smtpd_pending_out(c) < SMTPD_OUT_MAX &&
	    c->in.len - c->inoff < SMTPD_IN_MAX;
}

static void
smtpd_read(struct smtpd_client *c, uint64_t now)
{
	char	chunk[16384];
	size_t	room;
	ssize_t	n;

	room = SMTPD_IN_MAX - (c->in.len - c->inoff);
	if (room > sizeof chunk)
		room = sizeof chunk;
	n = recv(c->fd, chunk, room, 0);
	if (n == -1) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			c->dead = 1;
		return;
	}
	if (n == 0) {
		c->closing = 1;	/* send what is left, then close */
		return;
	}
	buf_add(&c->in, chunk, (size_t)n);
	c->last_ms = now;
}

static void
smtpd_flush(struct smtpd_client *c, uint64_t now)
{
	ssize_t	n;

	while (c->outoff < c->out.len) {
		n = send(c->fd, c->out.data + c->outoff,
		    c->out.len - c->outoff, MSG_NOSIGNAL);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				c->dead = 1;
			return;
		}
		c->outoff += (size_t)n;
		c->last_ms = now;
	}
	buf_reset(&c->out);
	c->outoff = 0;
	if (c->closing)
		c->dead = 1;
}

static void
smtpd_check_idle(struct smtpd_client *c, uint64_t now)
{
	uint64_t	limit = (uint64_t)c->sd->cfg.idle_timeout_s * 1000;

	if (c->dead || now - c->last_ms < limit)
		return;
	if (c->closing) {
		c->dead = 1;	/* it would not even take the goodbye */
		return;
	}
	smtpd_reply(c, 421, "4.4.2 idle timeout, closing");
	c->closing = 1;
	c->last_ms = now;
	smtpd_flush(c, now);
}

/* Clients */

static void
smtpd_client_free(struct smtpd_client *c)
{
	smtpd_txn_reset(c);
	close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	free(c);
}

static void
smtpd_client_new(struct smtpd *sd, int fd, int lmtp, uint64_t now)
{
	struct smtpd_client	*c;
	char			 greet[300];

	fault_start("session");
	c = xcalloc(1, sizeof *c);
	c->sd = sd;
	c->fd = fd;
	c->lmtp = lmtp;
	c->state = SMTPD_GREET;
	c->data_bol = 1;
	c->last_ms = now;
	buf_init(&c->in);
	buf_init(&c->out);
	buf_init(&c->data);
	c->next = sd->clients;
	sd->clients = c;
	sd->nclients++;
	snprintf(greet, sizeof greet, "%s %s metodist ready", sd->hostname,
	    lmtp ? "LMTP" : "ESMTP");
	smtpd_reply(c, 220, greet);
	smtpd_flush(c, now);
}

static void
smtpd_accept(struct smtpd *sd, const struct smtpd_listener *l, uint64_t now)
{
	static const char	 busy[] = "421 4.3.2 too many connections\r\n";
	int			 fd;

	for (;;) {
		fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("smtpd_accept");
			return;
		}
		if (sd->nclients >= sd->cfg.max_clients) {
			(void)send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL);
			close(fd);
			continue;
		}
		smtpd_client_new(sd, fd, l->lmtp, now);
	}
}

static void
smtpd_reap(struct smtpd *sd)
{
	struct smtpd_client	**pp, *c;

	for (pp = &sd->clients; (c = *pp) != NULL; ) {
		if (c->dead) {
			*pp = c->next;
			sd->nclients--;
			smtpd_client_free(c);
		} else
			pp = &c->next;
	}
}

/* The loop */

static size_t
smtpd_poll_setup(struct smtpd *sd)
{
	struct smtpd_client	*c;
	size_t			 i, n = 0, need;

	need = sd->nlisteners + sd->nclients;
	if (need > sd->pcap) {
		sd->pfd = xreallocarray(sd->pfd, need, sizeof *sd->pfd);
		sd->pcl = xreallocarray(sd->pcl, need, sizeof *sd->pcl);
		sd->pcap = need;
	}
	for (i = 0; i < sd->nlisteners; i++, n++) {
		sd->pfd[n].fd = sd->listeners[i].fd;
		sd->pfd[n].events = POLLIN;
		sd->pcl[n] = NULL;
	}
	for (c = sd->clients; c != NULL; c = c->next, n++) {
		sd->pfd[n].fd = c->fd;
		sd->pfd[n].events = (smtpd_wants_read(c) ? POLLIN : 0) |
		    (smtpd_pending_out(c) > 0 ? POLLOUT : 0);
		sd->pcl[n] = c;
	}
	return n;
}

static void
smtpd_poll_events(struct smtpd *sd, size_t n, uint64_t now)
{
	struct smtpd_client	*c;
	size_t			 i;
	short			 ev;

	for (i = 0; i < n; i++) {
		ev = sd->pfd[i].revents;
		if (ev == 0)
			continue;
		if ((c = sd->pcl[i]) == NULL) {
			smtpd_accept(sd, &sd->listeners[i], now);
			continue;
		}
		if (ev & POLLOUT)
			smtpd_flush(c, now);
		if ((ev & (POLLIN | POLLHUP | POLLERR)) && smtpd_wants_read(c))
			smtpd_read(c, now);
		else if (ev & (POLLHUP | POLLERR))
			c->dead = 1;
	}
}

static void
smtpd_serve_all(struct smtpd *sd, uint64_t now)
{
	struct smtpd_client	*c;

	for (c = sd->clients; c != NULL; c = c->next) {
		if (c->dead)
			continue;
		smtpd_process(c);
		if (smtpd_pending_out(c) > 0 || c->closing)
			smtpd_flush(c, now);
		smtpd_check_idle(c, now);
	}
	smtpd_reap(sd);
}

int
smtpd_run(struct smtpd *sd, volatile sig_atomic_t *stop)
{
	uint64_t	now, last_tick;
	size_t		n;
	int		timeout;

	last_tick = smtpd_now_ms();
	while (!*stop) {
		n = smtpd_poll_setup(sd);
		now = smtpd_now_ms();
		timeout = sd->cfg.tick_ms;
		if (now - last_tick < (uint64_t)timeout)
			timeout -= (int)(now - last_tick);
		else
			timeout = 0;
		if (poll(sd->pfd, n, timeout) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("smtpd_run: poll");
			return -1;
		}
		now = smtpd_now_ms();
		smtpd_poll_events(sd, n, now);
		smtpd_serve_all(sd, now);
		if (now - last_tick >= (uint64_t)sd->cfg.tick_ms) {
			last_tick = now;
			if (sd->h.tick != NULL)
				sd->h.tick(sd->h.arg);
		}
	}
	return 0;
}

/* Setup */

struct smtpd *
smtpd_new(const struct smtpd_config *cfg, const struct smtpd_handler *h)
{
	struct smtpd	*sd;

	sd = xcalloc(1, sizeof *sd);
	sd->cfg = *cfg;
	sd->h = *h;
	if (sd->cfg.max_message_size == 0)
		sd->cfg.max_message_size = 10 * 1024 * 1024;
	if (sd->cfg.max_recipients == 0)
		sd->cfg.max_recipients = 100;
	if (sd->cfg.idle_timeout_s <= 0)
		sd->cfg.idle_timeout_s = 300;
	if (sd->cfg.tick_ms <= 0)
		sd->cfg.tick_ms = 1000;
	if (sd->cfg.max_clients == 0)
		sd->cfg.max_clients = 64;
	if (cfg->hostname != NULL) {
		if (str_lcpy(sd->hostname, cfg->hostname,
		    sizeof sd->hostname) >= sizeof sd->hostname)
			log_warnx("smtpd_new: hostname truncated");
	} else if (gethostname(sd->hostname, sizeof sd->hostname) == -1)
		str_lcpy(sd->hostname, "localhost", sizeof sd->hostname);
	sd->hostname[sizeof sd->hostname - 1] = '\0';
	sd->cfg.hostname = sd->hostname;
	return sd;
}

int
smtpd_add_listener(struct smtpd *sd, int fd)
{
	return smtpd_add_listener_proto(sd, fd, sd->cfg.lmtp);
}

int
smtpd_add_listener_proto(struct smtpd *sd, int fd, int lmtp)
{
	int	flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1) {
		log_warn("smtpd_add_listener");
		return -1;
	}
	sd->listeners = xreallocarray(sd->listeners, sd->nlisteners + 1,
	    sizeof *sd->listeners);
	sd->listeners[sd->nlisteners].fd = fd;
	sd->listeners[sd->nlisteners++].lmtp = lmtp;
	return 0;
}

void
smtpd_free(struct smtpd *sd)
{
	struct smtpd_client	*c;
	size_t			 i;

	if (sd == NULL)
		return;
	while ((c = sd->clients) != NULL) {
		sd->clients = c->next;
		smtpd_client_free(c);
	}
	for (i = 0; i < sd->nlisteners; i++)
		close(sd->listeners[i].fd);
	free(sd->listeners);
	free(sd->pfd);
	free(sd->pcl);
	free(sd);
}

/* Listening sockets */

/* 1 when something answers on the unix socket path. */
static int
smtpd_unix_in_use(const struct sockaddr_un *sun)
{
	int	fd, rc;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	rc = connect(fd, (const struct sockaddr *)sun, sizeof *sun);
	close(fd);
	return rc == 0;
}

/* Make room for a new socket at path, removing only a dead socket. */
static int
smtpd_unix_clear(const struct sockaddr_un *sun)
{
	struct stat	st;

	if (lstat(sun->sun_path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("smtpd_listen: %s exists and is not a socket",
		    sun->sun_path);
		return -1;
	}
	if (smtpd_unix_in_use(sun)) {
		log_warnx("smtpd_listen: %s is in use", sun->sun_path);
		return -1;
	}
	if (unlink(sun->sun_path) == -1) {
		log_warn("smtpd_listen: unlink %s", sun->sun_path);
		return -1;
	}
	return 0;
}

static int
smtpd_listen_unix(const char *path)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (*path == '\0' || str_lcpy(sun.sun_path, path,
	    sizeof sun.sun_path) >= sizeof sun.sun_path) {
		log_warnx("smtpd_listen: bad unix socket path");
		return -1;
	}
	if (smtpd_unix_clear(&sun) == -1)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("smtpd_listen: socket");
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    chmod(path, 0660) == -1 || listen(fd, SMTPD_BACKLOG) == -1) {
		log_warn("smtpd_listen: %s", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* Split "host:port", "[v6]:port" or "*:port" into its parts. */
static int
smtpd_split_hostport(const char *where, char *host, size_t hostsz,
    const char **port)
{
	const char	*colon, *h = where;
	size_t		 hlen;

	if (*where == '[') {
		h = where + 1;
		if ((colon = strchr(h, ']')) == NULL || colon[1] != ':')
			return -1;
		hlen = (size_t)(colon - h);
		colon++;
	} else {
		if ((colon = strrchr(where, ':')) == NULL)
			return -1;
		hlen = (size_t)(colon - where);
		if (memchr(where, ':', hlen) != NULL)
			return -1;	/* IPv6 needs brackets */
	}
	if (hlen >= hostsz || colon[1] == '\0')
		return -1;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	*port = colon + 1;
	return 0;
}

static int
smtpd_listen_ai(const struct addrinfo *ai)
{
	int	fd, on = 1;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1 ||
	    (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof on) == -1) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    listen(fd, SMTPD_BACKLOG) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
smtpd_listen_inet(const char *where)
{
	struct addrinfo	 hints, *res, *ai;
	char		 host[256];
	const char	*port;
	int		 fd = -1, rc;

	if (smtpd_split_hostport(where, host, sizeof host, &port) == -1) {
		log_warnx("smtpd_listen: bad address %s", where);
		return -1;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host[0] == '\0' || strcmp(host, "*") == 0 ? NULL :
	    host, port, &hints, &res);
	if (rc != 0) {
		log_warnx("smtpd_listen: %s: %s", where, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next)
		fd = smtpd_listen_ai(ai);
	if (fd == -1)
		log_warn("smtpd_listen: %s", where);
	freeaddrinfo(res);
	return fd;
}

int
smtpd_listen(const char *where)
{
	if (str_has_prefix_ci(where, "unix:"))
		return smtpd_listen_unix(where + strlen("unix:"));
	return smtpd_listen_inet(where);
}
