/*
 * check_smtpd: the SMTP/LMTP engine, driven over real sockets.
 *
 * Each test starts the engine in a forked child listening on 127.0.0.1
 * with an ephemeral port (or on a unix socket in a private directory) and
 * talks to it as a client would.  The child's handler writes each message
 * it gets to the directory (data.N, env.N) before it answers, so a test
 * that has read the reply can compare what reached the callback.
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io/smtpd.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#include "testlib.h"

#define IO_TIMEOUT_MS	5000
#define MAX_SIZE	65536

struct opts {
	int	lmtp;
	size_t	max_size;
	size_t	max_rcpts;
	int	idle_s;
	size_t	max_clients;
	int	unix_sock;
};

struct client {
	int	fd;
	char	buf[65536];
	size_t	len;
	char	last[8192];	/* text of the last reply read */
};

static const char		*test_dir;
static pid_t			 server_pid = -1;
static int			 server_port;
static char			 server_sock[100];
static volatile sig_atomic_t	 server_stop;
static int			 server_seq;

/* The handler, run in the server child */

static void
write_file(const char *name, const char *data, size_t len)
{
	char	path[256];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s", test_dir, name);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	if (fwrite(data, 1, len, f) != len || fclose(f) != 0)
		abort();
}

static void
h_rcpt(void *arg, const char *from, const char *rcpt, struct smtpd_reply *r)
{
	if (strncmp(rcpt, "nobody@", 7) == 0) {
		r->code = 550;
		snprintf(r->text, sizeof r->text, "5.1.1 no such list");
	} else {
		r->code = 250;
		snprintf(r->text, sizeof r->text, "2.1.5 OK");
	}
}

static void
h_message(void *arg, const char *from, char **rcpts, size_t nrcpts,
    const char *data, size_t len, struct smtpd_reply *r, size_t nr)
{
	struct buf	env;
	char		name[32];
	size_t		i;

	server_seq++;
	snprintf(name, sizeof name, "data.%d", server_seq);
	write_file(name, data, len);
	buf_init(&env);
	buf_addf(&env, "%s|", from);
	for (i = 0; i < nrcpts; i++)
		buf_addf(&env, "%s%s", i ? "," : "", rcpts[i]);
	snprintf(name, sizeof name, "env.%d", server_seq);
	write_file(name, env.data, env.len);
	buf_free(&env);
	for (i = 0; i < nr; i++) {
		if (nr > 1 && strncmp(rcpts[i], "full@", 5) == 0) {
			r[i].code = 452;
			snprintf(r[i].text, sizeof r[i].text,
			    "4.2.2 mailbox full");
		} else {
			r[i].code = 250;
			snprintf(r[i].text, sizeof r[i].text,
			    "2.0.0 queued as %d", server_seq);
		}
	}
}

static void
h_tick(void *arg)
{
	write_file("tick", "", 0);
}

static void
on_term(int sig)
{
	server_stop = 1;
}

static void
server_child(int lfd, const struct opts *o)
{
	struct smtpd_config	cfg;
	struct smtpd_handler	h = { NULL, h_rcpt, h_message, h_tick };
	struct smtpd		*sd;
	int			rc;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(60);
	signal(SIGTERM, on_term);
	memset(&cfg, 0, sizeof cfg);
	cfg.lmtp = o->lmtp;
	cfg.hostname = "test.example";
	cfg.max_message_size = o->max_size ? o->max_size : MAX_SIZE;
	cfg.max_recipients = o->max_rcpts;
	cfg.idle_timeout_s = o->idle_s ? o->idle_s : 30;
	cfg.tick_ms = 50;
	cfg.max_clients = o->max_clients;
	sd = smtpd_new(&cfg, &h);
	if (smtpd_add_listener(sd, lfd) == -1)
		_exit(2);
	rc = smtpd_run(sd, &server_stop);
	smtpd_free(sd);
	_exit(rc == 0 ? 0 : 1);
}

static void
server_start(const struct opts *o)
{
	struct sockaddr_in	sin;
	socklen_t		slen = sizeof sin;
	char			where[256];
	int			lfd;

	if (o->unix_sock) {
		snprintf(server_sock, sizeof server_sock, "%.60s/lmtp.sock",
		    test_dir);
		snprintf(where, sizeof where, "unix:%s", server_sock);
	} else
		snprintf(where, sizeof where, "127.0.0.1:0");
	lfd = smtpd_listen(where);
	ck_assert_int_ge(lfd, 0);
	if (!o->unix_sock) {
		ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&sin,
		    &slen), 0);
		server_port = ntohs(sin.sin_port);
		ck_assert_int_ne(server_port, 0);
	}
	server_pid = fork();
	ck_assert_int_ge(server_pid, 0);
	if (server_pid == 0)
		server_child(lfd, o);
	close(lfd);
}

static int
server_stop_wait(void)
{
	int	status, i;

	if (server_pid <= 0)
		return -1;
	kill(server_pid, SIGTERM);
	for (i = 0; i < 300; i++) {
		if (waitpid(server_pid, &status, WNOHANG) == server_pid) {
			server_pid = -1;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
		}
		usleep(10000);
	}
	kill(server_pid, SIGKILL);
	waitpid(server_pid, &status, 0);
	server_pid = -1;
	return -1;
}

static void
setup(void)
{
	testlib_tmp_setup();
	test_dir = testlib_dir();
	/* room for "/lmtp.sock" in server_sock and sun_path */
	ck_assert_msg(strlen(test_dir) <= 60, "%s: too long for a socket",
	    test_dir);
	server_pid = -1;
	signal(SIGPIPE, SIG_IGN);
}

static void
teardown(void)
{
	server_stop_wait();
	testlib_tmp_teardown();
	test_dir = NULL;
}

/* Client side */

static int
file_exists(const char *name)
{
	char		path[256];
	struct stat	st;

	snprintf(path, sizeof path, "%s/%s", test_dir, name);
	return stat(path, &st) == 0;
}

static void
client_open(struct client *c)
{
	struct sockaddr_in	sin;
	struct sockaddr_un	sun;

	memset(c, 0, sizeof *c);
	if (server_sock[0] != '\0') {
		c->fd = socket(AF_UNIX, SOCK_STREAM, 0);
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof sun.sun_path, "%s", server_sock);
		ck_assert_int_eq(connect(c->fd, (struct sockaddr *)&sun,
		    sizeof sun), 0);
		return;
	}
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(server_port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(c->fd, (struct sockaddr *)&sin, sizeof sin),
	    0);
}

static void
client_send_n(struct client *c, const char *s, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		w = write(c->fd, s, n);
		ck_assert_int_gt(w, 0);
		s += w;
		n -= (size_t)w;
	}
}

static void
client_send(struct client *c, const char *s)
{
	client_send_n(c, s, strlen(s));
}

/* Read more input; 0 on EOF, -1 on timeout or error. */
static int
client_fill(struct client *c)
{
	struct pollfd	pfd = { c->fd, POLLIN, 0 };
	ssize_t		n;

	if (c->len == sizeof c->buf)
		return -1;
	if (poll(&pfd, 1, IO_TIMEOUT_MS) != 1)
		return -1;
	n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
	if (n < 0)
		return -1;
	c->len += (size_t)n;
	return n == 0 ? 0 : 1;
}

static int
reply_code(const char *p, size_t n)
{
	if (n < 4 || p[0] < '2' || p[0] > '5' || p[1] < '0' || p[1] > '9' ||
	    p[2] < '0' || p[2] > '9')
		return -1;
	return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}

/* One whole reply (all its lines); returns its code, -1 on none. */
static int
client_reply(struct client *c)
{
	char	*nl;
	size_t	 n, used = 0;
	int	 code;

	c->last[0] = '\0';
	for (;;) {
		while ((nl = memchr(c->buf, '\n', c->len)) != NULL) {
			n = (size_t)(nl - c->buf) + 1;
			if (used + n < sizeof c->last) {
				memcpy(c->last + used, c->buf, n);
				used += n;
				c->last[used] = '\0';
			}
			code = reply_code(c->buf, n);
			memmove(c->buf, c->buf + n, c->len - n);
			c->len -= n;
			if (n < 4 || c->last[used - n + 3] != '-')
				return code;
		}
		if (client_fill(c) != 1)
			return -1;
	}
}

/* Send a command (may be empty) and expect a reply code and text. */
static void
client_cmd(struct client *c, const char *cmd, int code, const char *text)
{
	int	got;

	if (cmd != NULL)
		client_send(c, cmd);
	got = client_reply(c);
	ck_assert_msg(got == code, "after %s: wanted %d, got %d: %s",
	    cmd != NULL ? cmd : "(nothing)", code, got, c->last);
	if (text != NULL)
		ck_assert_msg(strstr(c->last, text) != NULL,
		    "after %s: wanted \"%s\" in: %s",
		    cmd != NULL ? cmd : "(nothing)", text, c->last);
}

static void
client_expect_eof(struct client *c)
{
	int	rc;

	while ((rc = client_fill(c)) == 1)
		;
	ck_assert_int_eq(rc, 0);
}

static void
client_close(struct client *c)
{
	close(c->fd);
	c->fd = -1;
}

/* MAIL FROM:<from>, RCPT TO:<rcpt> and DATA, each accepted. */
static void
client_envelope(struct client *c, const char *from, const char *rcpt)
{
	char	cmd[512];

	snprintf(cmd, sizeof cmd, "MAIL FROM:<%s>\r\n", from);
	client_cmd(c, cmd, 250, NULL);
	snprintf(cmd, sizeof cmd, "RCPT TO:<%s>\r\n", rcpt);
	client_cmd(c, cmd, 250, NULL);
	client_cmd(c, "DATA\r\n", 354, NULL);
}

static void
client_hello(struct client *c, int lmtp)
{
	client_open(c);
	client_cmd(c, NULL, 220, "test.example");
	client_cmd(c, lmtp ? "LHLO client.example\r\n" :
	    "EHLO client.example\r\n", 250, "ENHANCEDSTATUSCODES");
}

static void
expect_file(const char *name, const char *want, size_t wantlen)
{
	char	*path, *got;
	size_t	 len;

	path = xasprintf("%s/%s", test_dir, name);
	got = testlib_read_file(path, &len);
	free(path);
	ck_assert_msg(len == wantlen && memcmp(got, want, len) == 0,
	    "%s: wanted %zu bytes \"%.60s\", got %zu bytes \"%.60s\"", name,
	    wantlen, want, len, got);
	free(got);
}

static void
expect_str_file(const char *name, const char *want)
{
	expect_file(name, want, strlen(want));
}

static const struct opts smtp_opts = { 0, 0, 0, 0, 0, 0 };
static const struct opts lmtp_opts = { 1, 0, 0, 0, 0, 0 };

/* Tests */

START_TEST(test_smtp_transaction)
{
	struct client	c;

	server_start(&smtp_opts);
	client_open(&c);
	client_cmd(&c, NULL, 220, "ESMTP");
	client_cmd(&c, "EHLO client.example\r\n", 250, "PIPELINING");
	ck_assert_ptr_nonnull(strstr(c.last, "250-SIZE 65536\r\n"));
	ck_assert_ptr_nonnull(strstr(c.last, "8BITMIME"));
	ck_assert_ptr_nonnull(strstr(c.last, "250 ENHANCEDSTATUSCODES\r\n"));
	client_cmd(&c, "MAIL FROM:<Author@School.example> BODY=8BITMIME\r\n",
	    250, "2.1.0");
	client_cmd(&c, "RCPT TO:<math@metodist.example>\r\n", 250, "2.1.5");
	client_cmd(&c, "DATA\r\n", 354, NULL);
	client_send(&c, "Subject: t\r\n\r\n..leading dot\r\n.\t\r\n"
	    "a . in the middle\r\n..\r\nend\r\n.\r\n");
	client_cmd(&c, NULL, 250, "2.0.0 queued as 1");
	expect_str_file("data.1", "Subject: t\r\n\r\n.leading dot\r\n\t\r\n"
	    "a . in the middle\r\n.\r\nend\r\n");
	expect_str_file("env.1", "Author@School.example|math@metodist.example");
	client_cmd(&c, "QUIT\r\n", 221, "2.0.0");
	client_expect_eof(&c);
	client_close(&c);
}
END_TEST

START_TEST(test_bare_lf)
{
	struct client	c;

	server_start(&smtp_opts);
	client_open(&c);
	client_cmd(&c, NULL, 220, NULL);
	client_cmd(&c, "HELO client.example\n", 250, "test.example");
	client_cmd(&c, "mail from: <a@x.example>\n", 250, NULL);
	client_cmd(&c, "rcpt to:b@y.example\n", 250, NULL);
	client_cmd(&c, "data\n", 354, NULL);
	client_send(&c, "line one\n..two\r\nthree\n.\n");
	client_cmd(&c, NULL, 250, NULL);
	expect_str_file("data.1", "line one\n.two\r\nthree\n");
	expect_str_file("env.1", "a@x.example|b@y.example");
	client_close(&c);
}
END_TEST

START_TEST(test_pipelining)
{
	struct client	c;

	server_start(&smtp_opts);
	client_hello(&c, 0);
	client_send(&c, "MAIL FROM:<>\r\nRCPT TO:<a@d.example>\r\n"
	    "RCPT TO:<nobody@d.example>\r\nRCPT TO:<b@d.example>\r\nDATA\r\n");
	client_cmd(&c, NULL, 250, "2.1.0");
	client_cmd(&c, NULL, 250, "2.1.5");
	client_cmd(&c, NULL, 550, "5.1.1 no such list");
	client_cmd(&c, NULL, 250, "2.1.5");
	client_cmd(&c, NULL, 354, NULL);
	client_send(&c, "x\r\n.\r\n");
	client_cmd(&c, NULL, 250, "queued as 1");
	expect_str_file("env.1", "|a@d.example,b@d.example");
	/* a whole second session in one write, message and QUIT too */
	client_send(&c, "RSET\r\nMAIL FROM:<c@d.example>\r\n"
	    "RCPT TO:<e@d.example>\r\nDATA\r\nbody\r\n.\r\nQUIT\r\n");
	client_cmd(&c, NULL, 250, "2.0.0");
	client_cmd(&c, NULL, 250, "2.1.0");
	client_cmd(&c, NULL, 250, "2.1.5");
	client_cmd(&c, NULL, 354, NULL);
	client_cmd(&c, NULL, 250, "queued as 2");
	client_cmd(&c, NULL, 221, NULL);
	client_expect_eof(&c);
	expect_str_file("data.2", "body\r\n");
	client_close(&c);
}
END_TEST

START_TEST(test_lmtp_per_recipient)
{
	struct client	c;

	server_start(&lmtp_opts);
	client_open(&c);
	client_cmd(&c, NULL, 220, "LMTP");
	client_cmd(&c, "EHLO client.example\r\n", 500, "5.5.1");
	client_cmd(&c, "HELO client.example\r\n", 500, "5.5.1");
	client_cmd(&c, "MAIL FROM:<a@x.example>\r\n", 503, "5.5.1");
	client_cmd(&c, "LHLO client.example\r\n", 250, "PIPELINING");
	client_cmd(&c, "MAIL FROM:<a@x.example>\r\n", 250, NULL);
	client_cmd(&c, "RCPT TO:<nobody@d.example>\r\n", 550, "5.1.1");
	client_cmd(&c, "RCPT TO:<list@d.example>\r\n", 250, NULL);
	client_cmd(&c, "RCPT TO:<full@d.example>\r\n", 250, NULL);
	client_cmd(&c, "DATA\r\n", 354, NULL);
	client_send(&c, "hello\r\n.\r\n");
	client_cmd(&c, NULL, 250, "2.0.0 queued as 1");
	client_cmd(&c, NULL, 452, "4.2.2 mailbox full");
	expect_str_file("env.1", "a@x.example|list@d.example,full@d.example");
	client_cmd(&c, "NOOP\r\n", 250, NULL);
	client_close(&c);
}
END_TEST

START_TEST(test_lmtp_oversized)
{
	struct opts	o = lmtp_opts;
	struct client	c;
	char		line[101];

	o.max_size = 500;
	server_start(&o);
	client_hello(&c, 1);
	client_cmd(&c, "MAIL FROM:<a@x.example>\r\n", 250, NULL);
	client_cmd(&c, "RCPT TO:<l1@d.example>\r\n", 250, NULL);
	client_cmd(&c, "RCPT TO:<l2@d.example>\r\n", 250, NULL);
	client_cmd(&c, "DATA\r\n", 354, NULL);
	memset(line, 'y', 98);
	memcpy(line + 98, "\r\n", 3);
	for (int i = 0; i < 10; i++)
		client_send(&c, line);
	client_send(&c, ".\r\n");
	client_cmd(&c, NULL, 552, "5.3.4");
	client_cmd(&c, NULL, 552, "5.3.4");
	ck_assert(!file_exists("data.1"));
	client_close(&c);
}
END_TEST

START_TEST(test_oversized_data)
{
	struct client	c;
	char		*big;
	size_t		 n = 200000;

	server_start(&smtp_opts);
	client_hello(&c, 0);
	client_envelope(&c, "a@x.example", "b@y.example");
	/* one huge line without CRLF, then ordinary lines */
	big = malloc(n);
	memset(big, 'z', n);
	client_send_n(&c, big, n);
	free(big);
	for (int i = 0; i < 1000; i++)
		client_send(&c, "\r\n.not the end\r\n");
	client_send(&c, ".\r\n");
	client_cmd(&c, NULL, 552, "5.3.4");
	ck_assert(!file_exists("data.1"));
	/* the session goes on, and a fitting message still passes */
	client_envelope(&c, "a@x.example", "b@y.example");
	client_cmd(&c, "small\r\n.\r\n", 250, "queued as 1");
	expect_str_file("data.1", "small\r\n");
	client_close(&c);
}
END_TEST

START_TEST(test_long_data_line)
{
	struct client	c;
	char		 want[7000];

	server_start(&smtp_opts);
	client_hello(&c, 0);
	client_envelope(&c, "a@x.example", "b@y.example");
	memset(want, 'q', 6000);
	want[0] = '.';
	memcpy(want + 6000, "\r\n", 3);
	client_send(&c, ".");
	client_send(&c, want);
	client_send(&c, ".\r\n");
	client_cmd(&c, NULL, 250, NULL);
	expect_str_file("data.1", want);
	client_close(&c);
}
END_TEST

/*
 * Dialogues after the greeting: each command gets the reply with the code
 * and, unless NULL, the text; a step with code 0 ends the dialogue.
 */
struct step {
	const char	*cmd;
	int		 code;
	const char	*text;
};

static const struct step unknown_command_steps[] = {
	{ "EHLO client.example\r\n", 250, "ENHANCEDSTATUSCODES" },
	{ "FROB nicate\r\n", 500, "5.5.1" },
	{ "LHLO x\r\n", 500, "5.5.1" },
	{ "\r\n", 500, "5.5.1" },
	{ "NOOP\r\n", 250, "2.0.0" },
	{ NULL, 0, NULL },
};

static const struct step bad_sequence_steps[] = {
	{ "MAIL FROM:<a@x.example>\r\n", 503, "5.5.1" },
	{ "EHLO client.example\r\n", 250, NULL },
	{ "RCPT TO:<b@y.example>\r\n", 503, "5.5.1" },
	{ "DATA\r\n", 503, "5.5.1" },
	{ "MAIL FROM:<a@x.example>\r\n", 250, NULL },
	{ "DATA\r\n", 503, "5.5.1" },
	{ "RCPT TO:<nobody@y.example>\r\n", 550, NULL },
	{ "DATA\r\n", 554, "5.5.1" },
	{ "RCPT TO:\r\n", 501, "5.5.4" },
	{ "RCPT TO:<b@y.example\r\n", 501, "5.5.4" },
	{ "RSET\r\n", 250, NULL },
	{ "RCPT TO:<b@y.example>\r\n", 503, "5.5.1" },
	{ NULL, 0, NULL },
};

static const struct step size_param_steps[] = {
	{ "EHLO client.example\r\n", 250, "ENHANCEDSTATUSCODES" },
	{ "MAIL FROM:<a@x.example> SIZE=65537\r\n", 552, "5.3.4" },
	{ "MAIL FROM:<a@x.example> SIZE=99999999999999999999999\r\n", 501,
	    "5.5.4" },
	{ "MAIL FROM:<a@x.example> FOO=1\r\n", 555, "5.5.4" },
	{ "MAIL FROM:<a@x.example> BODY=BINARYMIME\r\n", 501, "5.5.4" },
	{ "MAIL FROM:<a@x.example> SIZE=65536 BODY=7BIT\r\n", 250, "2.1.0" },
	{ "MAIL FROM:<a@x.example>\r\n", 503, "5.5.1" },
	{ NULL, 0, NULL },
};

static const struct step *const dialogues[] = {
	unknown_command_steps,
	bad_sequence_steps,
	size_param_steps,
};

START_TEST(test_dialogue)
{
	const struct step	*st;
	struct client		 c;

	server_start(&smtp_opts);
	client_open(&c);
	client_cmd(&c, NULL, 220, NULL);
	for (st = dialogues[_i]; st->code != 0; st++)
		client_cmd(&c, st->cmd, st->code, st->text);
	client_close(&c);
}
END_TEST

START_TEST(test_long_line)
{
	struct client	c;
	char		 line[5010];

	server_start(&smtp_opts);
	client_hello(&c, 0);
	memcpy(line, "NOOP ", 5);
	memset(line + 5, 'x', 5000);
	memcpy(line + 5005, "\r\n", 3);
	client_cmd(&c, line, 500, "5.5.2");
	/* exactly at the limit: 4096 bytes with CRLF is fine */
	memset(line + 5, 'x', 4096 - 7);
	memcpy(line + 4094, "\r\n", 3);
	client_cmd(&c, line, 250, NULL);
	client_cmd(&c, "NOOP\r\n", 250, NULL);
	client_close(&c);
}
END_TEST

START_TEST(test_too_many_errors)
{
	struct client	c;
	int		i;

	server_start(&smtp_opts);
	client_hello(&c, 0);
	for (i = 0; i < SMTPD_MAX_BAD_COMMANDS - 1; i++)
		client_cmd(&c, "BOGUS\r\n", 500, NULL);
	client_cmd(&c, "BOGUS\r\n", 500, NULL);
	client_cmd(&c, NULL, 421, "4.7.0");
	client_expect_eof(&c);
	client_close(&c);
}
END_TEST

START_TEST(test_max_recipients)
{
	struct opts	o = smtp_opts;
	struct client	c;

	o.max_rcpts = 2;
	server_start(&o);
	client_hello(&c, 0);
	client_cmd(&c, "MAIL FROM:<a@x.example>\r\n", 250, NULL);
	client_cmd(&c, "RCPT TO:<r1@y.example>\r\n", 250, NULL);
	client_cmd(&c, "RCPT TO:<r2@y.example>\r\n", 250, NULL);
	client_cmd(&c, "RCPT TO:<r3@y.example>\r\n", 452, "4.5.3");
	client_cmd(&c, "DATA\r\n", 354, NULL);
	client_cmd(&c, "m\r\n.\r\n", 250, NULL);
	expect_str_file("env.1", "a@x.example|r1@y.example,r2@y.example");
	client_close(&c);
}
END_TEST

START_TEST(test_misc_commands)
{
	struct client	c;

	server_start(&smtp_opts);
	client_hello(&c, 0);
	client_cmd(&c, "VRFY someone\r\n", 252, "2.5.0");
	client_cmd(&c, "HELP\r\n", 214, "2.0.0");
	client_cmd(&c, "noop\r\n", 250, "2.0.0");
	client_cmd(&c, "DATA extra\r\n", 501, "5.5.4");
	client_cmd(&c, "RCPT TO:<a@b.example> NOTIFY=NEVER\r\n", 503, NULL);
	client_cmd(&c, "MAIL FROM:<@relay.example:a@x.example>\r\n", 250,
	    NULL);
	client_cmd(&c, "RCPT TO:<a@b.example> NOTIFY=NEVER\r\n", 555,
	    "5.5.4");
	client_cmd(&c, "RCPT TO:<\"odd>name\"@b.example>\r\n", 250, NULL);
	client_cmd(&c, "DATA\r\n", 354, NULL);
	client_cmd(&c, ".\r\n", 250, NULL);
	expect_str_file("data.1", "");
	expect_str_file("env.1", "a@x.example|\"odd>name\"@b.example");
	client_cmd(&c, "QUIT\r\n", 221, NULL);
	client_expect_eof(&c);
	client_close(&c);
}
END_TEST

START_TEST(test_two_clients)
{
	struct client	a, b;

	server_start(&smtp_opts);
	client_hello(&a, 0);
	client_hello(&b, 0);
	client_envelope(&a, "a@x.example", "l@y.example");
	client_send(&a, "first half, no line end yet");
	client_envelope(&b, "b@x.example", "l@y.example");
	client_cmd(&b, "from b\r\n.\r\n", 250, "queued as 1");
	expect_str_file("data.1", "from b\r\n");
	client_cmd(&a, ", second half\r\n.\r\n", 250, "queued as 2");
	expect_str_file("data.2",
	    "first half, no line end yet, second half\r\n");
	expect_str_file("env.2", "a@x.example|l@y.example");
	client_close(&a);
	client_close(&b);
}
END_TEST

/* Pipeline NOOPs at a client that never reads; returns bytes sent. */
static size_t
flood_noops(struct client *c, size_t limit)
{
	char	*noops;
	size_t	 n = 6 * 20000, sent = 0;
	ssize_t	 w;
	int	 i, stalls = 0;

	noops = malloc(n);
	for (i = 0; i < 20000; i++)
		memcpy(noops + 6 * i, "NOOP\r\n", 6);
	fcntl(c->fd, F_SETFL, O_NONBLOCK);
	while (sent < limit && stalls < 25) {
		w = send(c->fd, noops, n, MSG_NOSIGNAL);
		if (w > 0) {
			sent += (size_t)w;
			stalls = 0;
			continue;
		}
		if (w == -1 && errno != EAGAIN)
			break;
		stalls++;
		usleep(20000);
	}
	free(noops);
	return sent;
}

START_TEST(test_stalled_client)
{
	struct client	stuck, b;
	size_t		sent, limit = 32 * 1024 * 1024;
	int		small = 4096;

	server_start(&smtp_opts);
	memset(&stuck, 0, sizeof stuck);
	client_open(&stuck);
	setsockopt(stuck.fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	client_cmd(&stuck, NULL, 220, NULL);
	sent = flood_noops(&stuck, limit);
	/* the server stopped reading it rather than buffer its replies */
	ck_assert_uint_gt(sent, 100000);
	ck_assert_uint_lt(sent, limit);
	/* and serves the others meanwhile */
	client_hello(&b, 0);
	client_envelope(&b, "b@x.example", "l@y.example");
	client_cmd(&b, "still served\r\n.\r\n", 250, NULL);
	expect_str_file("data.1", "still served\r\n");
	client_close(&stuck);
	client_close(&b);
}
END_TEST

START_TEST(test_idle_timeout)
{
	struct opts	o = smtp_opts;
	struct client	c;

	o.idle_s = 1;
	server_start(&o);
	client_hello(&c, 0);
	client_cmd(&c, NULL, 421, "4.4.2");
	client_expect_eof(&c);
	client_close(&c);
}
END_TEST

START_TEST(test_max_clients)
{
	struct opts	o = smtp_opts;
	struct client	a, b, c;

	o.max_clients = 2;
	server_start(&o);
	client_hello(&a, 0);
	client_hello(&b, 0);
	client_open(&c);
	client_cmd(&c, NULL, 421, "4.3.2");
	client_expect_eof(&c);
	client_close(&c);
	client_cmd(&a, "QUIT\r\n", 221, NULL);
	client_expect_eof(&a);
	client_close(&a);
	usleep(200000);
	client_hello(&c, 0);
	client_close(&b);
	client_close(&c);
}
END_TEST

START_TEST(test_tick_and_stop)
{
	int	i;

	server_start(&smtp_opts);
	for (i = 0; i < 100 && !file_exists("tick"); i++)
		usleep(20000);
	ck_assert(file_exists("tick"));
	ck_assert_int_eq(server_stop_wait(), 0);
}
END_TEST

START_TEST(test_unix_socket)
{
	struct opts		 o = lmtp_opts;
	struct sockaddr_un	 sun;
	struct stat		 st;
	struct client		 c;
	char			 where[256], path[100];
	int			 fd;

	/* a stale socket left by a dead daemon is replaced */
	snprintf(path, sizeof path, "%s/lmtp.sock", test_dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof sun), 0);
	close(fd);
	o.unix_sock = 1;
	server_start(&o);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0660);
	/* a live one is not */
	snprintf(where, sizeof where, "unix:%s", path);
	ck_assert_int_eq(smtpd_listen(where), -1);
	client_hello(&c, 1);
	client_envelope(&c, "", "l@y.example");
	client_cmd(&c, "over unix\r\n.\r\n", 250, NULL);
	expect_str_file("data.1", "over unix\r\n");
	client_close(&c);
	/* and a file that is not a socket is left alone */
	snprintf(where, sizeof where, "unix:%s/env.1", test_dir);
	ck_assert_int_eq(smtpd_listen(where), -1);
	ck_assert(file_exists("env.1"));
}
END_TEST

START_TEST(test_listen_addresses)
{
	int	fd;

	ck_assert_int_eq(smtpd_listen("no-port-here"), -1);
	ck_assert_int_eq(smtpd_listen("127.0.0.1:"), -1);
	ck_assert_int_eq(smtpd_listen("::1:25"), -1);
	ck_assert_int_eq(smtpd_listen("[::1:25"), -1);
	ck_assert_int_eq(smtpd_listen("127.0.0.1:notaport"), -1);
	fd = smtpd_listen("127.0.0.1:0");
	ck_assert_int_ge(fd, 0);
	ck_assert(fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
	/* IPv6 loopback may be absent in a container; accept either */
	fd = smtpd_listen("[::1]:0");
	if (fd >= 0)
		close(fd);
}
END_TEST

static Suite *
smtpd_suite(void)
{
	Suite	*s = suite_create("smtpd");
	TCase	*tc = testlib_tcase_fixture(s, "engine", setup, teardown);

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_smtp_transaction);
	tcase_add_test(tc, test_bare_lf);
	tcase_add_test(tc, test_pipelining);
	tcase_add_test(tc, test_lmtp_per_recipient);
	tcase_add_test(tc, test_lmtp_oversized);
	tcase_add_test(tc, test_oversized_data);
	tcase_add_test(tc, test_long_data_line);
	tcase_add_loop_test(tc, test_dialogue, 0, NELEM(dialogues));
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_too_many_errors);
	tcase_add_test(tc, test_max_recipients);
	tcase_add_test(tc, test_misc_commands);
	tcase_add_test(tc, test_two_clients);
	tcase_add_test(tc, test_stalled_client);
	tcase_add_test(tc, test_idle_timeout);
	tcase_add_test(tc, test_max_clients);
	tcase_add_test(tc, test_tick_and_stop);
	tcase_add_test(tc, test_unix_socket);
	tcase_add_test(tc, test_listen_addresses);
	return s;
}

int
main(void)
{
	return testlib_run(smtpd_suite());
}
