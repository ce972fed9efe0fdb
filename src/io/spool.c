/*
 * spool: see spool.h.
 */
#include <config.h>

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/spool.h"
#include "util/atomicfile.h"
#include "util/fault.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define SPOOL_ENVELOPE_MAX	2048

static int
spool_path(char *out, size_t sz, const char *dir, const char *sub,
    const char *id)
{
	if ((size_t)snprintf(out, sz, "%s/%s/%s", dir, sub, id) >= sz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int
spool_init(const char *dir)
{
	static const char *const subs[] = { "tmp", "new", "cur", "bad" };
	char	 path[4096];
	size_t	 i;

	for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		if (spool_path(path, sizeof path, dir, subs[i], "") == -1 ||
		    atomicfile_mkdirs(path, 0750) == -1)
			return -1;
	}
	return 0;
}

static int
spool_field_ok(const char *s)
{
	return strpbrk(s, "\r\n") == NULL && strlen(s) < 1000;
}

int
spool_enter(const char *dir, const char *rcpt, const char *sender,
    const char *data, size_t len, char id[SPOOL_ID_MAX])
{
	struct buf	 b;
	char		 tok[17], tmpdir[4096], dst[4096];
	time_t		 now = time(NULL);
	int		 rc;

	if (!spool_field_ok(rcpt) || !spool_field_ok(sender)) {
		errno = EINVAL;
		return -1;
	}
	rnd_hex(tok, 8);
	snprintf(id, SPOOL_ID_MAX, "%lld.%d.%s", (long long)now,
	    (int)getpid(), tok);
	if (spool_path(tmpdir, sizeof tmpdir, dir, "tmp", "") == -1 ||
	    spool_path(dst, sizeof dst, dir, "new", id) == -1)
		return -1;
	buf_init(&b);
	buf_addf(&b, "X-Metodist-Recipient: %s\nX-Metodist-Sender: %s\n"
	    "X-Metodist-Received: %lld\n\n", rcpt, sender, (long long)now);
	buf_add(&b, data, len);
	rc = atomicfile_write(tmpdir, dst, b.data, b.len);
	buf_free(&b);
	return rc;
}

static int
spool_id_ok(const char *id)
{
	size_t	n = strspn(id, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

	return n > 0 && id[n] == '\0' && n < SPOOL_ID_MAX && id[0] != '.';
}

int
spool_enter_as(const char *dir, const char *id, const char *rcpt,
    const char *sender, const char *data, size_t len)
{
	struct buf	 b;
	char		 tmpdir[4096], dst[4096];
	int		 rc;

	if (!spool_id_ok(id) || !spool_field_ok(rcpt) ||
	    !spool_field_ok(sender)) {
		errno = EINVAL;
		return -1;
	}
	if (spool_path(tmpdir, sizeof tmpdir, dir, "tmp", "") == -1 ||
	    spool_path(dst, sizeof dst, dir, "new", id) == -1)
		return -1;
	buf_init(&b);
	buf_addf(&b, "X-Metodist-Recipient: %s\nX-Metodist-Sender: %s\n"
	    "X-Metodist-Received: %lld\n\n", rcpt, sender,
	    (long long)time(NULL));
	buf_add(&b, data, len);
	rc = atomicfile_write(tmpdir, dst, b.data, b.len);
	buf_free(&b);
	return rc;
}

static int
spool_move(const char *dir, const char *from, const char *to, const char *id)
{
	char	src[4096], dst[4096];

	if (spool_path(src, sizeof src, dir, from, id) == -1 ||
	    spool_path(dst, sizeof dst, dir, to, id) == -1)
		return -1;
	if (fault_fail(FAULT_RENAME) || rename(src, dst) == -1)
		return -1;
	return atomicfile_sync_dir(dst);
}

int
spool_claim(const char *dir, const char *id)
{
	if (strchr(id, '/') != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (spool_move(dir, "new", "cur", id) == 0)
		return 0;
	return errno == ENOENT ? 1 : -1;
}

int
spool_set_aside(const char *dir, const char *id)
{
	return spool_move(dir, "cur", "bad", id);
}

int
spool_release(const char *dir, const char *id)
{
	return spool_move(dir, "cur", "new", id);
}

int
spool_done(const char *dir, const char *id)
{
	char	path[4096];

	if (spool_path(path, sizeof path, dir, "cur", id) == -1)
		return -1;
	if (unlink(path) == -1)
		return -1;
	return atomicfile_sync_dir(path);
}

static char *
spool_envelope_field(const char *env, const char *name)
{
	const char	*p, *nl;
	size_t		 nlen = strlen(name);

	for (p = env; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			return NULL;
		if (strncmp(p, name, nlen) == 0 && p[nlen] == ':')
			return xstrndup(p + nlen + 1 +
			    (p[nlen + 1] == ' '), (size_t)(nl - p - nlen - 1 -
			    (p[nlen + 1] == ' ')));
	}
	return NULL;
}

static int
spool_parse(struct spool_entry *e)
{
	char		*sep, *env, *t;
	uint64_t	 when;

	sep = memmem(e->file, e->file_len < SPOOL_ENVELOPE_MAX ? e->file_len :
	    SPOOL_ENVELOPE_MAX, "\n\n", 2);
	if (sep == NULL)
		return -1;
	env = xstrndup(e->file, (size_t)(sep - e->file) + 1);
	e->recipient = spool_envelope_field(env, "X-Metodist-Recipient");
	e->sender = spool_envelope_field(env, "X-Metodist-Sender");
	t = spool_envelope_field(env, "X-Metodist-Received");
	free(env);
	e->received = (t && str_to_u64(t, INT64_MAX, &when) == 0) ?
	    (time_t)when : time(NULL);
	free(t);
	if (e->recipient == NULL || e->sender == NULL)
		return -1;
	e->message = sep + 2;
	e->message_len = e->file_len - (size_t)(sep + 2 - e->file);
	return 0;
}

int
spool_load(const char *dir, const char *id, size_t max, struct spool_entry *e)
{
	char	path[4096];

	memset(e, 0, sizeof *e);
	str_lcpy(e->id, id, sizeof e->id);
	if (spool_path(path, sizeof path, dir, "cur", id) == -1)
		return -1;
	if ((e->file = atomicfile_read(path, max + SPOOL_ENVELOPE_MAX,
	    &e->file_len)) == NULL)
		return -1;
	if (spool_parse(e) == -1) {
		log_warnx("spool %s: damaged envelope", id);
		spool_entry_free(e);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

void
spool_entry_free(struct spool_entry *e)
{
	free(e->recipient);
	free(e->sender);
	free(e->file);
	memset(e, 0, sizeof *e);
}

static int
spool_id_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
spool_list(const char *dir, const char *sub, char ***ids, size_t *n)
{
	char		 path[4096];
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL;
	size_t		 k = 0;

	if (spool_path(path, sizeof path, dir, sub, "") == -1 ||
	    (d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		v = xreallocarray(v, k + 1, sizeof *v);
		v[k++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (k > 0)
		qsort(v, k, sizeof *v, spool_id_cmp);
	*ids = v;
	*n = k;
	return 0;
}

int
spool_pending(const char *dir, char ***ids, size_t *n)
{
	return spool_list(dir, "new", ids, n);
}

void
spool_ids_free(char **ids, size_t n)
{
	str_array_free(ids, n);
}

static int
spool_older(const char *dir, const char *sub, const char *id, time_t age)
{
	char		path[4096];
	struct stat	st;

	if (spool_path(path, sizeof path, dir, sub, id) == -1 ||
	    stat(path, &st) == -1)
		return 0;
	return st.st_mtime + age <= time(NULL);
}

int
spool_recover(const char *dir, time_t age)
{
	char	**ids, path[4096];
	size_t	  n, i;

	if (spool_list(dir, "cur", &ids, &n) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (spool_older(dir, "cur", ids[i], age) &&
		    spool_release(dir, ids[i]) == 0)
			log_info("spool %s: recovered after an interruption",
			    ids[i]);
	spool_ids_free(ids, n);
	if (spool_list(dir, "tmp", &ids, &n) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (spool_older(dir, "tmp", ids[i], age) &&
		    spool_path(path, sizeof path, dir, "tmp", ids[i]) == 0 &&
		    unlink(path) == 0)
			log_info("spool: removed partial file %s", ids[i]);
	spool_ids_free(ids, n);
	return 0;
}
