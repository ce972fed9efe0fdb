/*
 * mailbox: see mailbox.h.
 */
#include <config.h>

#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "core/mbconfig.h"
#include "io/mailbox-int.h"
#include "io/mailbox.h"
#include "io/tlscheck.h"
#include "store/db.h"
#include "store/fetched.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define POLLER_PURGE_DAYS	30

struct pollers {
	struct poller	**v;
	size_t		  n;
};

int
poller_stopping(struct poller *p)
{
	return atomic_load(&p->stop);
}

int
poller_wait_fd(struct poller *p, int fd, int seconds)
{
	struct pollfd	pfd[2];
	int		rc;

	pfd[0].fd = p->wake[0];
	pfd[0].events = POLLIN;
	pfd[1].fd = fd;
	pfd[1].events = POLLIN;
	do {
		if (poller_stopping(p))
			return -1;
		rc = poll(pfd, fd >= 0 ? 2 : 1, seconds * 1000);
	} while (rc == -1 && errno == EINTR);
	if (poller_stopping(p) || (rc > 0 && pfd[0].revents != 0))
		return -1;
	return rc > 0 && fd >= 0 && pfd[1].revents != 0;
}

int
poller_sleep(struct poller *p, int seconds)
{
	return poller_wait_fd(p, -1, seconds) == -1;
}

void
poller_fail(struct poller *p, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof p->err, fmt, ap);
	va_end(ap);
}

/* connect(2) that gives up after timeout seconds; errno on -1. */
static int
poller_connect_fd(int fd, const struct sockaddr *sa, socklen_t len,
    int timeout)
{
	struct pollfd	pfd;
	socklen_t	elen = sizeof(int);
	int		flags, err = 0, rc;

	flags = fcntl(fd, F_GETFL);
	if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		return -1;
	if (connect(fd, sa, len) == -1) {
		if (errno != EINPROGRESS)
			return -1;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		while ((rc = poll(&pfd, 1, timeout * 1000)) == -1 &&
		    errno == EINTR)
			;
		if (rc == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (rc == -1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
		    &elen) == -1)
			return -1;
		if (err != 0) {
			errno = err;
			return -1;
		}
	}
	return fcntl(fd, F_SETFL, flags);
}

/* A TCP connection within the timeout; -1 with p->err set. */
static int
poller_tcp(struct poller *p)
{
	struct addrinfo	 hints, *res, *ai;
	char		 port[16];
	int		 fd = -1, rc, saved = 0;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof port, "%d", p->mb->port);
	if ((rc = getaddrinfo(p->mb->host, port, &hints, &res)) != 0) {
		poller_fail(p, "cannot find %s: %s", p->mb->host,
		    gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype |
		    SOCK_CLOEXEC, ai->ai_protocol)) == -1)
			continue;
		if (poller_connect_fd(fd, ai->ai_addr, ai->ai_addrlen,
		    p->mb->timeout) == -1) {
			saved = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd == -1)
		poller_fail(p, "cannot connect to %s:%d: %s", p->mb->host,
		    p->mb->port, strerror(saved ? saved : ECONNREFUSED));
	return fd;
}

int
poller_verify(struct poller *p, mailstream *s)
{
	char	why[400];

	if (tlscheck_peer(s, p->mb->host, p->mb->cafile, why, sizeof why) ==
	    0)
		return 0;
	poller_fail(p, "TLS to %s:%d refused: %s", p->mb->host, p->mb->port,
	    why);
	return -1;
}

mailstream *
poller_connect(struct poller *p)
{
	mailstream	*s;
	int		 fd;

	if ((fd = poller_tcp(p)) == -1)
		return NULL;
	if (p->mb->tls != MBCONFIG_TLS_IMPLICIT) {
		if ((s = mailstream_socket_open_timeout(fd, p->mb->timeout)) ==
		    NULL) {
			close(fd);
			poller_fail(p, "out of memory");
		}
		return s;
	}
	if ((s = mailstream_ssl_open_with_callback_timeout(fd,
	    p->mb->timeout, tlscheck_prepare, p->mb->host)) == NULL) {
		close(fd);
		poller_fail(p, "TLS handshake with %s:%d failed", p->mb->host,
		    p->mb->port);
		return NULL;
	}
	if (poller_verify(p, s) == -1) {
		mailstream_close(s);
		return NULL;
	}
	return s;
}

void
poller_finished(struct poller *p, int64_t uidvalidity, const char *uid)
{
	if (fetch_finished(&p->fetch, uidvalidity, uid) == -1)
		log_warnx("mailbox %s: cannot record message %s as done; it "
		    "will be recognised and skipped", p->name, uid);
}

static void
poller_config_error(void *arg, const char *file, int line, const char *msg)
{
	log_debug("mailbox: %s:%d: %s", file, line, msg);
}

/* The thread's own configuration, mailbox and database; -1 if gone. */
static int
poller_open(struct poller *p)
{
	size_t	i;

	if ((p->cfg = config_load(p->config_path, poller_config_error,
	    NULL)) == NULL)
		return -1;
	for (i = 0; i < p->cfg->nmailboxes; i++)
		if (strcmp(p->cfg->mailboxes[i]->name, p->name) == 0)
			p->mb = p->cfg->mailboxes[i];
	if (p->mb == NULL || db_open(p->cfg->db_path, &p->fetch.db) == -1)
		return -1;
	p->fetch.cfg = p->cfg;
	p->fetch.mb = p->mb;
	return 0;
}

static int
poller_backoff(const struct poller *p, int failures)
{
	int	delay = p->mb->retry_min;

	while (failures-- > 1 && delay < p->mb->retry_max)
		delay *= 2;
	return delay < p->mb->retry_max ? delay : p->mb->retry_max;
}

void
poller_logged_in(struct poller *p)
{
	p->logged_in = 1;
	if (p->failures > 0)
		log_info("mailbox %s: connected again after %d failed "
		    "attempts", p->name, p->failures);
	p->failures = 0;
	p->reported[0] = '\0';
}

/*
 * One clear line per kind of failure; the same failure again is only
 * a debug line, so a mailbox down for a day does not fill the log.
 */
static void
poller_report(struct poller *p, int delay)
{
	if (strcmp(p->err, p->reported) == 0) {
		log_debug("mailbox %s: %s (attempt %d); next in %d s",
		    p->name, p->err, p->failures, delay);
		return;
	}
	snprintf(p->reported, sizeof p->reported, "%s", p->err);
	log_warnx("mailbox %s: %s; retrying in %d s, then less often "
	    "(up to every %d s)", p->name, p->err, delay, p->mb->retry_max);
}

static void
poller_loop(struct poller *p)
{
	enum mbsession	 r;
	int		 delay;
	time_t		 purged = 0;

	while (!poller_stopping(p)) {
		if (time(NULL) - purged > 3600) {
			purged = time(NULL);
			(void)fetched_purge(p->fetch.db, purged -
			    POLLER_PURGE_DAYS * 86400);
		}
		p->err[0] = '\0';
		p->logged_in = 0;
		r = p->mb->pop3 ? mailbox_pop3_session(p) :
		    mailbox_imap_session(p);
		if (r == MBSESSION_STOPPED)
			break;
		if (r == MBSESSION_PASS) {
			if (poller_sleep(p, p->mb->poll_interval))
				break;
			continue;
		}
		if (p->logged_in) {
			/* a working session ended (server restart, network):
			 * not a failure yet; a failure to get back is */
			log_info("mailbox %s: %s; connecting again", p->name,
			    p->err);
			if (poller_sleep(p, p->mb->retry_min))
				break;
			continue;
		}
		delay = poller_backoff(p, ++p->failures);
		poller_report(p, delay);
		if (poller_sleep(p, delay))
			break;
	}
}

static void *
poller_main(void *arg)
{
	struct poller	*p = arg;
	sigset_t	 all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	if (poller_open(p) == -1)
		log_warnx("mailbox %s: cannot start (configuration or "
		    "database unavailable)", p->name);
	else {
		log_info("mailbox %s: reading %s@%s:%d by %s", p->name,
		    p->mb->user, p->mb->host, p->mb->port,
		    p->mb->pop3 ? "POP3" : "IMAP");
		poller_loop(p);
	}
	if (p->fetch.db != NULL)
		db_close(p->fetch.db);
	config_free(p->cfg);
	p->cfg = NULL;
	atomic_store(&p->finished, 1);
	return NULL;
}

static struct poller *
poller_new(const char *config_path, const char *name)
{
	struct poller	*p = xcalloc(1, sizeof *p);

	p->config_path = xstrdup(config_path);
	p->name = xstrdup(name);
	if (pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("mailbox %s: pipe", name);
		free(p->config_path);
		free(p->name);
		free(p);
		return NULL;
	}
	if ((errno = pthread_create(&p->thread, NULL, poller_main, p)) != 0) {
		log_warn("mailbox %s: cannot start a thread", name);
		close(p->wake[0]);
		close(p->wake[1]);
		free(p->config_path);
		free(p->name);
		free(p);
		return NULL;
	}
	return p;
}

static void
poller_free(struct poller *p)
{
	close(p->wake[0]);
	close(p->wake[1]);
	free(p->config_path);
	free(p->name);
	free(p);
}

struct pollers *
pollers_start(const struct config *cfg, const char *config_path)
{
	struct pollers	*ps;
	struct poller	*p;
	size_t		 i;

	if (cfg->nmailboxes == 0)
		return NULL;
	ps = xcalloc(1, sizeof *ps);
	for (i = 0; i < cfg->nmailboxes; i++) {
		if ((p = poller_new(config_path, cfg->mailboxes[i]->name)) ==
		    NULL)
			continue;
		ps->v = xreallocarray(ps->v, ps->n + 1, sizeof *ps->v);
		ps->v[ps->n++] = p;
	}
	return ps;
}

void
pollers_stop(struct pollers *ps)
{
	size_t	i;

	for (i = 0; ps != NULL && i < ps->n; i++) {
		atomic_store(&ps->v[i]->stop, 1);
		(void)write(ps->v[i]->wake[1], "x", 1);
	}
}

int
pollers_reap(struct pollers *ps)
{
	size_t	i, k = 0;

	if (ps == NULL)
		return 1;
	for (i = 0; i < ps->n; i++) {
		if (atomic_load(&ps->v[i]->finished)) {
			pthread_join(ps->v[i]->thread, NULL);
			poller_free(ps->v[i]);
		} else
			ps->v[k++] = ps->v[i];
	}
	ps->n = k;
	if (k > 0)
		return 0;
	free(ps->v);
	free(ps);
	return 1;
}

void
pollers_join(struct pollers *ps)
{
	size_t	i;

	if (ps == NULL)
		return;
	pollers_stop(ps);
	for (i = 0; i < ps->n; i++) {
		pthread_join(ps->v[i]->thread, NULL);
		poller_free(ps->v[i]);
	}
	free(ps->v);
	free(ps);
}
