/*
 * sentlog: see sentlog.h.
 */
#include <config.h>

#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/queue.h"
#include "store/sentlog.h"
#include "util/fault.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define SENTLOG_PREFIX	"sent."
#define SENTLOG_MAX	((off_t)64 * 1024 * 1024)	/* a log read back */
#define SENTLOG_LINE	24				/* "ID\n" at most */

struct sentlog {
	int	 fd;
	char	*path;
	int64_t	*ids;		/* recorded, not yet applied */
	size_t	 n;
	size_t	 cap;
};

static void
sentlog_keep(struct sentlog *l, int64_t id)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->ids = xreallocarray(l->ids, l->cap, sizeof *l->ids);
	}
	l->ids[l->n++] = id;
}

/* The ids in a log file; a torn last line (no newline) is not an id. */
static int
sentlog_read(int fd, const char *path, struct sentlog *into)
{
	struct stat	 sb;
	char		*buf, *p, *nl, *end;
	ssize_t		 r;
	size_t		 got = 0;
	int64_t		 id;

	if (fstat(fd, &sb) == -1 || sb.st_size > SENTLOG_MAX) {
		log_warnx("sentlog: %s: unreadable or too large", path);
		return -1;
	}
	buf = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size) {
		r = pread(fd, buf + got, (size_t)sb.st_size - got, (off_t)got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	for (p = buf, end = buf + got; p < end &&
	    (nl = memchr(p, '\n', (size_t)(end - p))) != NULL; p = nl + 1) {
		*nl = '\0';
		if (sscanf(p, "%" SCNd64, &id) == 1 && id > 0)
			sentlog_keep(into, id);
	}
	free(buf);
	return 0;
}

struct sentlog *
sentlog_open(const char *dir)
{
	struct sentlog	*l;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		log_warn("sentlog: %s", dir);
		return NULL;
	}
	l = xcalloc(1, sizeof *l);
	l->path = xasprintf("%s/" SENTLOG_PREFIX "%ld", dir, (long)getpid());
	l->fd = open(l->path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (l->fd == -1 || flock(l->fd, LOCK_EX | LOCK_NB) == -1 ||
	    sentlog_read(l->fd, l->path, l) == -1) {
		log_warn("sentlog: %s", l->path);
		if (l->fd != -1)
			close(l->fd);
		free(l->path);
		free(l->ids);
		free(l);
		return NULL;
	}
	return l;
}

int
sentlog_add(struct sentlog *l, const int64_t *ids, size_t n)
{
	char	*buf, *p;
	size_t	 i, len;
	ssize_t	 w;

	if (n == 0)
		return 0;
	buf = p = xmalloc(n * SENTLOG_LINE);
	for (i = 0; i < n; i++)
		p += snprintf(p, SENTLOG_LINE, "%" PRId64 "\n", ids[i]);
	len = (size_t)(p - buf);
	for (p = buf; len > 0; p += w, len -= (size_t)w) {
		if (fault_fail(FAULT_WRITE))
			w = -1;
		else
			w = write(l->fd, p, len);
		if (w == -1 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0) {
			log_warn("sentlog: %s", l->path);
			free(buf);
			return -1;
		}
	}
	free(buf);
	for (i = 0; i < n; i++)
		sentlog_keep(l, ids[i]);
	return 0;
}

size_t
sentlog_pending(const struct sentlog *l)
{
	return l->n;
}

int
sentlog_apply(struct sentlog *l, sqlite3 *db)
{
	if (queue_mark_sent_many(db, l->ids, l->n) == -1)
		return -1;
	l->n = 0;
	/* Applied: what the log holds is now only a harmless repeat. */
	if (ftruncate(l->fd, 0) == -1)
		log_warn("sentlog: %s", l->path);
	return 0;
}

void
sentlog_close(struct sentlog *l)
{
	if (l == NULL)
		return;
	if (l->n == 0 && unlink(l->path) == -1)
		log_warn("sentlog: %s", l->path);
	else if (l->n > 0)
		log_warnx("sentlog: %zu acknowledgements left in %s for "
		    "recovery", l->n, l->path);
	close(l->fd);
	free(l->path);
	free(l->ids);
	free(l);
}

static int
sentlog_owner_alive(const char *name)
{
	long	pid;
	char	*end;

	errno = 0;
	pid = strtol(name + strlen(SENTLOG_PREFIX), &end, 10);
	if (errno != 0 || *end != '\0' || pid <= 0 || pid == (long)getpid())
		return 0;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/*
 * Take a dead runner's log: 1 when this process now holds it, 0 when its
 * owner lives or another runner recovered it first.
 */
static int
sentlog_take(int fd, const char *name)
{
	struct stat	sb;

	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK || sentlog_owner_alive(name))
			return 0;
		/* another runner is recovering it: wait for it */
		if (flock(fd, LOCK_EX) == -1)
			return 0;
	}
	return fstat(fd, &sb) == 0 && sb.st_nlink > 0;
}

/* Apply and remove one dead runner's log; the ids marked, -1. */
static int
sentlog_recover_one(const char *dir, const char *name, sqlite3 *db)
{
	struct sentlog	 l;
	char		*path;
	int		 fd, rc = 0;

	memset(&l, 0, sizeof l);
	path = xasprintf("%s/%s", dir, name);
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1) {
		free(path);
		return 0;	/* gone: recovered or closed meanwhile */
	}
	if (sentlog_take(fd, name)) {
		if (sentlog_read(fd, path, &l) == -1 ||
		    queue_mark_sent_many(db, l.ids, l.n) == -1)
			rc = -1;
		else if (unlink(path) == -1)
			log_warn("sentlog: %s", path);
		else
			rc = (int)l.n;
	}
	close(fd);
	free(l.ids);
	free(path);
	return rc;
}

int
sentlog_recover(const char *dir, sqlite3 *db)
{
	DIR		*d;
	struct dirent	*de;
	char		 own[32];
	int		 rc, total = 0;

	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : -1;
	/* a log under this process's own pid is a dead predecessor's, and
	 * sentlog_open() takes it over */
	snprintf(own, sizeof own, SENTLOG_PREFIX "%ld", (long)getpid());
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, SENTLOG_PREFIX,
		    strlen(SENTLOG_PREFIX)) != 0 || strcmp(de->d_name, own) == 0)
			continue;
		if ((rc = sentlog_recover_one(dir, de->d_name, db)) == -1) {
			total = -1;
			break;
		}
		total += rc;
	}
	closedir(d);
	return total;
}
