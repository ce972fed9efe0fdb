/*
 * fuzz_smtpd: a whole SMTP or LMTP session with arbitrary client bytes.
 *
 * The first input byte picks the protocol (odd: LMTP); the rest is what a
 * client sends, all at once, before it closes its half of the connection.
 * The engine (src/io/smtpd.c) is driven through its public API: a real
 * listener on a unix socket, smtpd_run() with a tick that reads the
 * replies and stops the loop once the engine has closed the connection.
 *
 * Contract checked (src/io/smtpd.h): the engine answers an end of input
 * by closing the connection (within a bounded number of ticks: no hang);
 * every reply line is three digits, a space or a hyphen and at most
 * SMTPD_LINE_MAX bytes; a final reply's text, beyond the greeting and the
 * EHLO/LHLO capabilities and 354, starts with an enhanced status code
 * whose class agrees with the reply code; the message callback sees no more
 * recipients than were accepted.  FUZZ_SMTPD_TRACE=1 prints the replies.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fuzz.h"
#include "io/smtpd.h"

#define FUZZ_SMTPD_MAX_TICKS	5000	/* 1 ms each */
#define FUZZ_SMTPD_REPLY_MAX	(1 << 20)

static struct smtpd		*fuzz_sd;
static char			 fuzz_path[2][108];
static int			 fuzz_client = -1;
static volatile sig_atomic_t	 fuzz_stop;
static unsigned			 fuzz_ticks;
static char			*fuzz_replies;
static size_t			 fuzz_nreplies;
static size_t			 fuzz_accepted;

static void
fuzz_rcpt(void *arg, const char *from, const char *rcpt,
    struct smtpd_reply *r)
{
	size_t	n = strlen(rcpt);

	if (n > 18 && strcmp(rcpt + n - 18, "@lists.example.org") == 0) {
		r->code = 250;
		snprintf(r->text, sizeof r->text, "2.1.5 OK");
		fuzz_accepted++;
	} else {
		r->code = 550;
		snprintf(r->text, sizeof r->text, "5.1.1 no such list");
	}
}

static void
fuzz_message(void *arg, const char *from, char **rcpts, size_t nrcpts,
    const char *data, size_t len, struct smtpd_reply *replies, size_t n)
{
	size_t	i;

	FUZZ_CHECK(nrcpts <= fuzz_accepted, "more recipients than accepted");
	FUZZ_CHECK(nrcpts > 0, "a message with no recipient");
	for (i = 0; i < nrcpts; i++)
		FUZZ_CHECK(rcpts[i] != NULL, "NULL recipient");
	if (len > 0)
		FUZZ_CHECK(data[0] == data[0] && data[len - 1] == data[len - 1],
		    "data unreadable");
	for (i = 0; i < n; i++) {
		replies[i].code = 250;
		snprintf(replies[i].text, sizeof replies[i].text, "2.0.0 OK");
	}
}

/* Read what the engine wrote; stop once it has closed the connection. */
static void
fuzz_tick(void *arg)
{
	char	buf[65536];
	ssize_t	n;

	while ((n = read(fuzz_client, buf, sizeof buf)) > 0) {
		if (fuzz_nreplies + (size_t)n <= FUZZ_SMTPD_REPLY_MAX) {
			memcpy(fuzz_replies + fuzz_nreplies, buf, (size_t)n);
			fuzz_nreplies += (size_t)n;
		}
	}
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
		fuzz_stop = 1;
	FUZZ_CHECK(++fuzz_ticks < FUZZ_SMTPD_MAX_TICKS,
	    "the engine did not close after the client's end of input");
}

static void
fuzz_cleanup(void)
{
	unlink(fuzz_path[0]);
	unlink(fuzz_path[1]);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct smtpd_config	cfg;
	struct smtpd_handler	h = { NULL, fuzz_rcpt, fuzz_message, fuzz_tick };
	int			i, fd;

	fuzz_log_init("fuzz_smtpd");
	memset(&cfg, 0, sizeof cfg);
	cfg.hostname = "fuzz.example.org";
	cfg.max_message_size = 65536;
	cfg.max_recipients = 20;
	cfg.tick_ms = 1;
	if ((fuzz_sd = smtpd_new(&cfg, &h)) == NULL)
		abort();
	for (i = 0; i < 2; i++) {
		snprintf(fuzz_path[i], sizeof fuzz_path[i],
		    "/tmp/fuzz-smtpd-%d-%d.sock", (int)getpid(), i);
		{
			char where[128];

			snprintf(where, sizeof where, "unix:%s", fuzz_path[i]);
			if ((fd = smtpd_listen(where)) == -1 ||
			    smtpd_add_listener_proto(fuzz_sd, fd, i) == -1)
				abort();
		}
	}
	atexit(fuzz_cleanup);
	if ((fuzz_replies = malloc(FUZZ_SMTPD_REPLY_MAX)) == NULL)
		abort();
	return 0;
}

static int
fuzz_connect(int lmtp)
{
	struct sockaddr_un	sun;
	int			fd, sz = 1 << 20;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", fuzz_path[lmtp]);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		abort();
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1)
		abort();
	return fd;
}

/* Send everything, letting the engine run whenever the socket is full. */
static void
fuzz_send(const uint8_t *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fuzz_client, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n == -1 && errno == EAGAIN) {
			fuzz_stop = 0;
			fuzz_ticks = 0;
			/* One tick's worth of serving, then back to us. */
			fuzz_stop = 1;
			smtpd_run(fuzz_sd, &fuzz_stop);
			continue;
		}
		break;		/* the engine closed on us */
	}
	shutdown(fuzz_client, SHUT_WR);
}

static int
fuzz_code_class_ok(const char *line, size_t n)
{
	/* "DDD T.S.D text": the enhanced code's class is the reply's. */
	if (n < 10 || !isdigit((unsigned char)line[4]) || line[5] != '.')
		return 0;
	return line[4] == line[0];
}

/* A line the enhanced-code rule does not cover: the greeting, 354, the
 * HELO answer (the host name) and the last line of an EHLO/LHLO answer. */
static int
fuzz_reply_exempt(const char *line, size_t n, int after_250_more)
{
	if (line[0] == '3' || strncmp(line, "220", 3) == 0)
		return 1;
	if (strncmp(line, "250", 3) != 0)
		return 0;
	return after_250_more ||
	    (n >= 20 && strncmp(line + 4, "fuzz.example.org", 16) == 0);
}

static void
fuzz_check_replies(void)
{
	size_t	 i = 0, n;
	char	*nl, *line;
	int	 after_250_more = 0;

	while (i < fuzz_nreplies) {
		line = fuzz_replies + i;
		nl = memchr(line, '\n', fuzz_nreplies - i);
		n = nl ? (size_t)(nl - line) + 1 : fuzz_nreplies - i;
		FUZZ_CHECK(n <= SMTPD_LINE_MAX, "reply line too long");
		FUZZ_CHECK(n >= 4 && isdigit((unsigned char)line[0]) &&
		    isdigit((unsigned char)line[1]) &&
		    isdigit((unsigned char)line[2]) &&
		    (line[3] == ' ' || line[3] == '-' || line[3] == '\r'),
		    "malformed reply line");
		FUZZ_CHECK(line[0] >= '2' && line[0] <= '5',
		    "reply code out of range");
		if (line[3] == ' ' &&
		    !fuzz_reply_exempt(line, n, after_250_more))
			FUZZ_CHECK(fuzz_code_class_ok(line, n),
			    "reply without a matching enhanced status code");
		after_250_more = strncmp(line, "250-", 4) == 0;
		i += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	int	lmtp;

	if (len < 1 || len > 200000)
		return 0;
	lmtp = data[0] & 1;
	fuzz_client = fuzz_connect(lmtp);
	(void)fcntl(fuzz_client, F_SETFL, O_NONBLOCK);
	fuzz_nreplies = 0;
	fuzz_accepted = 0;
	fuzz_send(data + 1, len - 1);
	fuzz_stop = 0;
	fuzz_ticks = 0;
	smtpd_run(fuzz_sd, &fuzz_stop);
	close(fuzz_client);
	if (getenv("FUZZ_SMTPD_TRACE") != NULL)
		fwrite(fuzz_replies, 1, fuzz_nreplies, stderr);
	fuzz_check_replies();
	return 0;
}
