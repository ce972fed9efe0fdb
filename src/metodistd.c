/*
 * metodistd: the gateway daemon.
 *
 * Usage: metodistd [-dv] [-c CONFIG]
 *   -d  stay in the foreground and log to stderr (default: detach, syslog)
 *
 * It listens where [ingress] listen says (SMTP on a loopback address or a
 * unix socket), spools each accepted message before answering 250, and on
 * every tick processes the spool and sends what is due in the outbound
 * queue.  A message over a bound of [limits] (core/msglimit.h) is answered
 * 554 5.6.0 and not spooled.  SIGTERM and SIGINT finish the work in hand
 * and exit; SIGHUP reloads the configuration, keeping the old one when the
 * new one has problems.  A bad configuration at start exits 78
 * (EX_CONFIG).
 *
 * Each [mailbox] of the configuration gets a poller thread (io/mailbox.h
 * says why a thread) that reads the hosted mailbox into the spool; the
 * tick processes what it spooled like anything else.  A reload stops the
 * old pollers without waiting and starts new ones; the tick reaps the old.
 */
#include <config.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/digest.h"
#include "core/expire.h"
#include "core/feeds.h"
#include "core/msglimit.h"
#include "core/newsletter.h"
#include "core/outq.h"
#include "core/process.h"
#include "core/report-mail.h"
#include "core/route.h"
#include "core/site.h"
#include "io/mailbox.h"
#include "io/smtpd.h"
#include "io/spool.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/fault.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define DAEMON_OUTQ_BATCH	2000
#define DAEMON_EXPIRE_EVERY	60	/* seconds */
#define DAEMON_PERIODIC_EVERY	10	/* seconds: digests, feeds, newsletters */
#define DAEMON_FEEDS_EVERY	60	/* seconds between looks at the feeds */

static volatile sig_atomic_t daemon_stop;
static volatile sig_atomic_t daemon_reload;

struct daemon {
	const char	*config_path;
	struct config	*cfg;
	struct site	 site;
	int		 site_open;
	char		*pidfile;
	time_t		 last_expire;
	time_t		 last_periodic;	/* digests, feeds, newsletters */
	time_t		 last_feeds;
	pid_t		 feeds_child;	/* fetching feeds, or 0 */
	struct pollers	*pollers;	/* reading hosted mailboxes */
	struct pollers	*retiring;	/* of the configuration before a reload */
};

static void
daemon_signal(int sig)
{
	if (sig == SIGHUP)
		daemon_reload = 1;
	else
		daemon_stop = 1;
}

static void
daemon_config_error(void *arg, const char *file, int line, const char *msg)
{
	if (line > 0)
		log_warnx("%s:%d: %s", file, line, msg);
	else
		log_warnx("%s: %s", file, msg);
}

static void
daemon_rcpt(void *arg, const char *mail_from, const char *rcpt,
    struct smtpd_reply *r)
{
	struct daemon	*d = arg;
	struct route	 rt;

	if (route_address(d->cfg, rcpt, &rt) == -1) {
		r->code = 550;
		snprintf(r->text, sizeof r->text, "5.1.1 <%s>: %s", rcpt,
		    rt.reason);
		return;
	}
	r->code = 250;
	snprintf(r->text, sizeof r->text, "2.1.5 OK");
}

/* SMTP carries CRLF; the spool and everything after it use LF. */
static void
daemon_unix_eol(const char *data, size_t len, struct buf *out)
{
	size_t	i, start = 0;

	for (i = 0; i + 1 < len; i++) {
		if (data[i] == '\r' && data[i + 1] == '\n') {
			buf_add(out, data + start, i - start);
			start = i + 1;
		}
	}
	buf_add(out, data + start, len - start);
}

/* A message over a bound of [limits]: every reply refuses it; 1. */
static int
daemon_over_limits(struct daemon *d, const char *mail_from,
    struct buf *msg, struct smtpd_reply *replies, size_t nreplies)
{
	struct msglimit_verdict	v;
	size_t			i;

	if (!msglimit_check(d->cfg, buf_cstr(msg), msg->len, &v))
		return 0;
	log_info("smtp: refused a message from <%s>: %s %zu over %zu",
	    mail_from, v.key, v.found, v.limit);
	for (i = 0; i < nreplies; i++) {
		replies[i].code = MSGLIMIT_SMTP_CODE;
		snprintf(replies[i].text, sizeof replies[i].text, "%s",
		    v.text);
	}
	return 1;
}

/*
 * An SMTP transaction gets one reply for all its recipients: when one of
 * them cannot be spooled, the 451 makes the client send them all again,
 * so the entries this transaction did spool are taken back first (a
 * command letter would otherwise be acted on twice).
 */
static void
daemon_withdraw(struct daemon *d, char (*ids)[SPOOL_ID_MAX], size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (ids[i][0] == '\0')
			continue;
		if (spool_claim(d->cfg->spool_dir, ids[i]) == -1 ||
		    spool_done(d->cfg->spool_dir, ids[i]) == -1)
			log_warn("smtp: %s could not be taken back; the "
			    "client's retry may repeat it", ids[i]);
		else
			log_info("smtp: %s taken back, the transaction is "
			    "refused for now", ids[i]);
	}
}

static void
daemon_message(void *arg, const char *mail_from, char **rcpts, size_t nrcpts,
    const char *data, size_t len, struct smtpd_reply *replies,
    size_t nreplies)
{
	struct daemon	*d = arg;
	struct buf	 msg;
	char		(*ids)[SPOOL_ID_MAX];
	size_t		 i;
	int		 failed = 0, anyfailed = 0;

	buf_init(&msg);
	daemon_unix_eol(data, len, &msg);
	if (daemon_over_limits(d, mail_from, &msg, replies, nreplies)) {
		buf_free(&msg);
		return;
	}
	ids = xcalloc(nrcpts > 0 ? nrcpts : 1, sizeof *ids);
	for (i = 0; i < nrcpts; i++) {
		if (spool_enter(d->cfg->spool_dir, rcpts[i], mail_from,
		    buf_cstr(&msg), msg.len, ids[i]) == -1) {
			log_warn("smtp: cannot spool for %s", rcpts[i]);
			ids[i][0] = '\0';
			failed = anyfailed = 1;
		} else
			log_info("smtp: %s queued for %s from <%s>", ids[i],
			    rcpts[i], mail_from);
		if (nreplies == nrcpts) {
			replies[i].code = failed ? 451 : 250;
			snprintf(replies[i].text, sizeof replies[i].text,
			    failed ? "4.3.0 try again later" : "2.0.0 %s",
			    ids[i]);
			failed = 0;
		}
	}
	if (nreplies == 1 && nrcpts != 1) {
		if (anyfailed)
			daemon_withdraw(d, ids, nrcpts);
		replies[0].code = anyfailed ? 451 : 250;
		snprintf(replies[0].text, sizeof replies[0].text,
		    anyfailed ? "4.3.0 try again later" : "2.0.0 queued");
	}
	free(ids);
	buf_free(&msg);
}

/* New pollers for the new configuration; the old ones finish alone. */
static void
daemon_restart_pollers(struct daemon *d)
{
	if (d->retiring != NULL) {
		pollers_join(d->retiring);	/* a reload before the last ended */
		d->retiring = NULL;
	}
	pollers_stop(d->pollers);
	d->retiring = d->pollers;
	d->pollers = pollers_start(d->cfg, d->config_path);
}

static void
daemon_reload_config(struct daemon *d)
{
	struct config	*cfg;
	int		 transient;

	daemon_reload = 0;
	if ((cfg = config_load(d->config_path, daemon_config_error, NULL)) ==
	    NULL) {
		log_warnx("reload: the new configuration has problems; "
		    "keeping the old one");
		return;
	}
	if (d->site_open)
		site_close(&d->site);
	config_free(d->cfg);
	d->cfg = cfg;
	d->site_open = site_open(cfg, &d->site, &transient) == 0;
	daemon_restart_pollers(d);
	log_info("reload: configuration %s loaded, %zu lists", d->config_path,
	    cfg->nlists);
}

static int
daemon_has_feeds(const struct config *cfg)
{
	size_t	i;

	for (i = 0; i < cfg->nlists; i++)
		if (cfg->lists[i].nfeeds > 0)
			return 1;
	return cfg->nfeeds > 0;
}

/*
 * Feeds are fetched in a process of their own, with its own database
 * connection, so that a slow or hanging feed never holds up the spool
 * and the queue; one such process at a time.
 */
static void
daemon_feeds(struct daemon *d)
{
	struct site	s;
	int		transient, rc = 1;
	pid_t		pid;

	if (d->feeds_child > 0) {
		if (waitpid(d->feeds_child, NULL, WNOHANG) == 0)
			return;
		d->feeds_child = 0;
	}
	if (time(NULL) - d->last_feeds < DAEMON_FEEDS_EVERY ||
	    !daemon_has_feeds(d->cfg))
		return;
	d->last_feeds = time(NULL);
	if ((pid = fork()) == -1) {
		log_warn("tick: cannot start the feed fetcher");
		return;
	}
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_IGN);
		if (site_open(d->cfg, &s, &transient) == 0) {
			rc = feeds_run(&s, time(NULL)) == -1;
			site_close(&s);
		}
		_exit(rc);
	}
	d->feeds_child = pid;
}

static void
daemon_tick(void *arg)
{
	struct daemon	*d = arg;
	int		 transient;

	if (daemon_reload)
		daemon_reload_config(d);
	if (d->retiring != NULL && pollers_reap(d->retiring))
		d->retiring = NULL;
	if (!d->site_open &&
	    !(d->site_open = site_open(d->cfg, &d->site, &transient) == 0))
		return;
	if (process_spool(&d->site) == -1)
		log_warnx("tick: cannot read the spool");
	if (outq_run(&d->site, DAEMON_OUTQ_BATCH) == -1)
		log_warnx("tick: outbound queue: database error");
	if (time(NULL) - d->last_expire >= DAEMON_EXPIRE_EVERY) {
		d->last_expire = time(NULL);
		if (expire_run(&d->site) == -1)
			log_warnx("tick: expiry: database error");
		if (report_mail_run(&d->site, d->last_expire) == -1)
			log_warnx("tick: monthly report: database error");
	}
	if (time(NULL) - d->last_periodic >= DAEMON_PERIODIC_EVERY) {
		d->last_periodic = time(NULL);
		if (digest_run(&d->site, d->last_periodic) == -1)
			log_warnx("tick: digests: database error");
		if (newsletter_run(&d->site, d->last_periodic) == -1)
			log_warnx("tick: newsletters: database error");
	}
	daemon_feeds(d);
}

static int
daemon_pidfile(struct daemon *d)
{
	char	buf[32];
	int	n;

	d->pidfile = str_path_join(d->cfg->var_dir, "metodistd.pid");
	n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (atomicfile_write(d->cfg->var_dir, d->pidfile, buf, (size_t)n) ==
	    -1) {
		log_warn("pid file %s", d->pidfile);
		return -1;
	}
	return 0;
}

/* Listen at where (nothing when empty) speaking SMTP or LMTP. */
static int
daemon_listen(struct smtpd *srv, const char *where, int lmtp,
    const char *domain)
{
	int	fd;

	if (*where == '\0')
		return 0;
	if ((fd = smtpd_listen(where)) == -1) {
		log_warn("cannot listen on %s", where);
		return -1;
	}
	if (smtpd_add_listener_proto(srv, fd, lmtp) == -1)
		return -1;
	log_info("%s on %s for %s", lmtp ? "LMTP" : "SMTP", where, domain);
	return 0;
}

static int
daemon_serve(struct daemon *d)
{
	struct smtpd_config	 sc;
	struct smtpd_handler	 h = { d, daemon_rcpt, daemon_message,
				    daemon_tick };
	struct smtpd		*srv;
	int			 rc;

	memset(&sc, 0, sizeof sc);
	sc.hostname = d->cfg->domain;
	sc.max_message_size = d->cfg->max_message_size;
	/* What a poller spools waits for the next tick: a shorter one when
	 * there are hosted mailboxes, so a post is out within a second. */
	sc.tick_ms = d->cfg->nmailboxes > 0 ? 100 : 500;
	srv = smtpd_new(&sc, &h);
	if (daemon_listen(srv, d->cfg->listen, 0, d->cfg->domain) == -1 ||
	    daemon_listen(srv, d->cfg->lmtp, 1, d->cfg->domain) == -1) {
		smtpd_free(srv);
		return EX_UNAVAILABLE;
	}
	/* What waits in the spool goes at once, not a tick later; a client
	 * that connects meanwhile waits in the listen queue. */
	daemon_tick(d);
	rc = smtpd_run(srv, &daemon_stop);
	smtpd_free(srv);
	return rc == -1 ? EX_OSERR : 0;
}

static void
daemon_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = daemon_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char *argv[])
{
	struct daemon	 d;
	int		 ch, foreground = 0, verbose = 0, transient, rc;

	memset(&d, 0, sizeof d);
	d.config_path = getenv("METODIST_CONFIG") ? getenv("METODIST_CONFIG") :
	    METODIST_SYSCONFDIR "/metodist.conf";
	fault_init();
	while ((ch = getopt(argc, argv, "c:dv")) != -1) {
		switch (ch) {
		case 'c': d.config_path = optarg; break;
		case 'd': foreground = 1; break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: metodistd [-dv] [-c config]\n");
			return EX_USAGE;
		}
	}
	log_init("metodistd", 0, verbose);
	if ((d.cfg = config_load(d.config_path, daemon_config_error, NULL)) ==
	    NULL)
		return EX_CONFIG;
	setenv("TZ", d.cfg->timezone, 1);
	tzset();
	if (site_open(d.cfg, &d.site, &transient) == -1)
		return EX_TEMPFAIL;
	d.site_open = 1;
	if (!foreground) {
		if (daemon(1, 0) == -1)
			fatal("daemon");
		log_init("metodistd", 1, verbose);
	}
	daemon_signals();
	if (daemon_pidfile(&d) == -1)
		return EX_CANTCREAT;
	spool_recover(d.cfg->spool_dir, 0);
	log_info("started, %zu lists, domain %s", d.cfg->nlists, d.cfg->domain);
	d.pollers = pollers_start(d.cfg, d.config_path);
	rc = daemon_serve(&d);
	log_info("stopping");
	if (d.feeds_child > 0) {
		kill(d.feeds_child, SIGTERM);
		waitpid(d.feeds_child, NULL, 0);
	}
	pollers_join(d.pollers);
	pollers_join(d.retiring);
	unlink(d.pidfile);
	free(d.pidfile);
	if (d.site_open)
		site_close(&d.site);
	config_free(d.cfg);
	return rc;
}
