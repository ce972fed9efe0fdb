/*
 * history: see history.h.
 *
 * The import reads the mbox twice: a first pass learns each message's
 * place, date and Message-ID from its header alone; after sorting by
 * date, a second pass parses and stores each message in turn.  The mbox
 * is mapped, not read into memory.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/history.h"
#include "core/site.h"
#include "mail/address.h"
#include "mail/header.h"
#include "mail/maildate.h"
#include "mail/mbox.h"
#include "mail/message.h"
#include "mail/subject.h"
#include "store/db.h"
#include "store/list.h"
#include "store/post.h"
#include "store/thread.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/progress.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

struct history_entry {
	size_t	 off;		/* where its From_ line starts */
	size_t	 seq;		/* its place in the file */
	int64_t	 date;
};

struct history_import {
	struct site			*site;
	const struct list_config	*list;
	int64_t				 lid;
	char				*dir;	/* archive_dir/LIST */
	struct history_counts		*counts;
};

static int
history_entry_cmp(const void *x, const void *y)
{
	const struct history_entry	*a = x, *b = y;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int64_t
history_header_date(const char *raw, size_t len)
{
	struct header_list	 h;
	long			 i;
	char			*v;
	int64_t			 t = -1;

	header_split(raw, len, &h);
	if ((i = header_find(&h, "Date", 0)) >= 0) {
		v = header_value(&h, (size_t)i);
		t = maildate_parse(v);
		free(v);
	}
	header_list_free(&h);
	return t;
}

/* First pass: each message's offset and date, in file order. */
static struct history_entry *
history_scan(const char *data, size_t len, size_t *n,
    struct history_counts *c)
{
	struct history_entry	*v = NULL;
	struct buf		 msg;
	size_t			 off = 0, start;
	int64_t			 last = 0, t;

	*n = 0;
	buf_init(&msg);
	for (;;) {
		start = off;
		if (mbox_next(data, len, &off, &msg) != 1)
			break;
		/* mbox_next skips to the From_ line: find where it is */
		while (start < off && !(data[start] == 'F' && (start == 0 ||
		    data[start - 1] == '\n') && strncmp(data + start, "From ",
		    5) == 0))
			start++;
		t = history_header_date(msg.data, msg.len);
		if (t < 0) {
			c->undated++;
			t = last;
		}
		last = t;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[*n] = (struct history_entry){ start, *n, t };
		(*n)++;
	}
	buf_free(&msg);
	c->read = *n;
	return v;
}

static char *
history_message_id(struct history_import *hi, const struct message *m,
    int64_t date, size_t seq)
{
	if (m->message_id != NULL && *m->message_id != '\0')
		return xstrdup(m->message_id);
	return xasprintf("metodist.import.%lld.%zu@%s", (long long)date, seq,
	    hi->site->cfg->domain);
}

/*
 * Write one archived message (a temporary name, then renamed) without
 * its own fsync: the batch's syncfs in history_batch_end makes every file
 * of the batch durable before the batch's commit names them.
 */
static int
history_write(const char *dir, const char *path, const char *raw,
    size_t len)
{
	char	*tmp;
	int	 fd, ok, rc = -1;

	tmp = xasprintf("%s/.import.%ld", dir, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640))
	    != -1) {
		ok = atomicfile_write_all(fd, raw, len) == 0;
		if (close(fd) != 0)
			ok = 0;
		if (ok && rename(tmp, path) == 0)
			rc = 0;
		else
			unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* Store one message as the list's next post; 0 stored or skipped, -1. */
static int
history_store(struct history_import *hi, const char *raw, size_t len,
    const struct history_entry *e)
{
	struct post_record	 r;
	struct message		*m;
	char			 name[64], *mid, *author, *path;
	int64_t			 number;
	int			 rc = -1, seen;

	m = message_parse(raw, len);
	mid = history_message_id(hi, m, e->date, e->seq);
	if ((seen = post_seen(hi->site->db, hi->lid, mid)) != 0) {
		if (seen == 1)
			hi->counts->duplicates++;
		free(mid);
		message_free(m);
		return seen == 1 ? 0 : -1;
	}
	author = m->from_addr ? address_normalize(m->from_addr) : NULL;
	if ((number = list_next_post_number(hi->site->db, hi->lid)) == -1)
		goto out;
	snprintf(name, sizeof name, "%06lld.eml", (long long)number);
	path = str_path_join(hi->dir, name);
	if (history_write(hi->dir, path, raw, len) == -1) {
		log_warn("history: write %s", path);
		free(path);
		goto out;
	}
	memset(&r, 0, sizeof r);
	r.list_id = hi->lid;
	r.number = number;
	r.message_id = mid;
	r.subject = m->subject;
	r.author = author ? author : "";
	r.author_name = m->from_name;
	r.in_reply_to = m->in_reply_to;
	r.refs = m->references;
	r.size = (int64_t)len;
	r.path = path;
	r.text = m->text;
	r.date = e->date > 0 ? e->date : 0;
	if (post_insert(hi->site->db, &r) != -1) {
		hi->counts->added++;
		rc = 0;
	}
	free(path);
out:
	free(author);
	free(mid);
	message_free(m);
	return rc;
}

static int
history_batch_end(struct history_import *hi)
{
	int	fd, rc;

	if ((fd = open(hi->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_warn("history: %s", hi->dir);
		db_rollback(hi->site->db);
		return -1;
	}
	rc = syncfs(fd);
	close(fd);
	if (rc == -1) {
		log_warn("history: syncfs %s", hi->dir);
		db_rollback(hi->site->db);
		return -1;
	}
	return db_commit(hi->site->db);
}

static int
history_store_all(struct history_import *hi, const char *data, size_t len,
    const struct history_entry *v, size_t n, struct progress *pr)
{
	struct buf	msg;
	size_t		i, off;
	int		rc = 0;

	buf_init(&msg);
	for (i = 0; i < n && rc == 0; i++) {
		if (i % HISTORY_BATCH == 0 && db_begin(hi->site->db) == -1) {
			rc = -1;
			break;
		}
		off = v[i].off;
		if (mbox_next(data, len, &off, &msg) == 1)
			rc = history_store(hi, msg.data, msg.len, &v[i]);
		if (rc == -1)
			db_rollback(hi->site->db);
		else if ((i + 1) % HISTORY_BATCH == 0 || i + 1 == n)
			rc = history_batch_end(hi);
		if (pr != NULL)
			progress_step(pr, i + 1);
	}
	buf_free(&msg);
	return rc;
}

int
history_import(struct site *s, const struct list_config *l,
    const char *path, struct progress *pr, struct history_counts *c)
{
	struct history_import	 hi = { s, l, -1, NULL, c };
	struct history_entry	*v;
	struct stat		 sb;
	size_t			 n;
	char			*data;
	int			 fd, rc;

	memset(c, 0, sizeof *c);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1) {
		log_warn("history: %s", path);
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (sb.st_size == 0 || (size_t)sb.st_size > HISTORY_MAX_MBOX) {
		close(fd);
		return sb.st_size == 0 ? 0 : -1;
	}
	data = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (data == MAP_FAILED) {
		log_warn("history: mmap %s", path);
		return -1;
	}
	v = history_scan(data, (size_t)sb.st_size, &n, c);
	qsort(v, n, sizeof *v, history_entry_cmp);
	hi.lid = list_id(s->db, l->name);
	hi.dir = str_path_join(s->cfg->archive_dir, l->name);
	rc = -1;
	if (hi.lid != -1 && atomicfile_mkdirs(hi.dir, 0750) == 0) {
		if (pr != NULL)
			progress_start(pr, l->name, n);
		rc = history_store_all(&hi, data, (size_t)sb.st_size, v, n, pr);
		if (pr != NULL)
			progress_end(pr);
	}
	free(hi.dir);
	free(v);
	munmap(data, (size_t)sb.st_size);
	return rc;
}

int
history_export(struct site *s, const struct list_config *l,
    const char *month, FILE *out, size_t *count)
{
	sqlite3_stmt	*st;
	char		*raw, *path;
	size_t		 len;
	int		 rc;

	*count = 0;
	st = db_stmt(s->db, "SELECT path, author, date FROM posts WHERE "
	    "list_id = ?1 AND (?2 IS NULL OR strftime('%Y-%m', date, "
	    "'unixepoch', 'localtime') = ?2) ORDER BY number", "it",
	    site_list_id(s, l), month);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		path = db_text(st, 0);
		raw = atomicfile_read(path, (size_t)1 << 30, &len);
		if (raw == NULL)
			log_warn("history: %s", path);
		else if (mbox_write(out, raw, len, (const char *)
		    sqlite3_column_text(st, 1), (time_t)sqlite3_column_int64(st,
		    2)) == 0)
			(*count)++;
		free(raw);
		free(path);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE && fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* One post's subject key and full-text entry from its archived message. */
static int
history_reindex_post(sqlite3 *db, int64_t id, const char *path)
{
	struct message	*m;
	char		*raw, *key;
	size_t		 len;
	int		 rc;

	if ((raw = atomicfile_read(path, (size_t)1 << 30, &len)) == NULL) {
		log_warn("history: %s", path);
		return 0;
	}
	m = message_parse(raw, len);
	key = subject_key(m->subject);
	rc = db_exec(db, "UPDATE posts SET subject_key = ?1, thread = number "
	    "WHERE id = ?2", "ti", key, id);
	if (rc == 0)
		rc = db_exec(db, "DELETE FROM posts_fts WHERE rowid = ?1", "i",
		    id);
	if (rc == 0)
		rc = db_exec(db, "INSERT INTO posts_fts (rowid, subject, author, "
		    "body) SELECT id, subject, author, ?2 FROM posts WHERE "
		    "id = ?1", "it", id, m->text);
	free(key);
	message_free(m);
	free(raw);
	return rc;
}

/* Thread every post again, in date order. */
static int
history_rethread(sqlite3 *db, int64_t lid)
{
	struct thread_post	 t;
	sqlite3_stmt		*st;
	int			 rc;

	st = db_stmt(db, "SELECT id, number, date, message_id, in_reply_to, "
	    "refs, subject_key, subject FROM posts WHERE list_id = ?1 ORDER BY "
	    "date, number", "i", lid);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&t, 0, sizeof t);
		t.list_id = lid;
		t.id = sqlite3_column_int64(st, 0);
		t.number = sqlite3_column_int64(st, 1);
		t.date = sqlite3_column_int64(st, 2);
		t.message_id = (const char *)sqlite3_column_text(st, 3);
		t.in_reply_to = (const char *)sqlite3_column_text(st, 4);
		t.refs = (const char *)sqlite3_column_text(st, 5);
		t.subject_key = (const char *)sqlite3_column_text(st, 6);
		t.is_reply = subject_is_reply((const char *)
		    sqlite3_column_text(st, 7));
		if (thread_assign(db, &t) == -1)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
history_reindex(struct site *s, const struct list_config *l,
    struct progress *pr, size_t *count)
{
	sqlite3_stmt	*st;
	int64_t		 lid = site_list_id(s, l), total;
	char		*path;
	int		 rc;

	*count = 0;
	total = db_int(s->db, 0, "SELECT count(*) FROM posts WHERE list_id = "
	    "?1", "i", lid);
	if (total < 0 || db_begin(s->db) == -1)
		return -1;
	if (pr != NULL)
		progress_start(pr, l->name, (size_t)total);
	st = db_stmt(s->db, "SELECT id, path FROM posts WHERE list_id = ?1 "
	    "ORDER BY number", "i", lid);
	rc = st == NULL ? SQLITE_ERROR : SQLITE_OK;
	while (st != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		path = db_text(st, 1);
		if (history_reindex_post(s->db, sqlite3_column_int64(st, 0),
		    path) == -1)
			rc = SQLITE_ERROR;
		free(path);
		if (rc == SQLITE_ERROR)
			break;
		++*count;
		if (pr != NULL)
			progress_step(pr, *count);
	}
	sqlite3_finalize(st);
	if (pr != NULL)
		progress_end(pr);
	if (rc != SQLITE_DONE || thread_forget(s->db, lid) == -1 ||
	    history_rethread(s->db, lid) == -1 ||
	    db_commit(s->db) == -1) {
		db_rollback(s->db);
		return -1;
	}
	return 0;
}
