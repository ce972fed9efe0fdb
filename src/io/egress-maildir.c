/*
 * egress-maildir: the default transport, a local maildir outbox.
 *
 * Contract: each delivery becomes one file in OUTBOX/new/, named as
 * maildir readers expect (unique.host, the unique part being the
 * delivery's own id, so that a resend is idempotent), starting with the envelope as
 * Return-Path and Delivered-To fields, as a local delivery agent writes
 * them, then the message.  The file is written in tmp/, fsynced and
 * renamed, so a reader never sees half a message.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/config.h"
#include "io/egress.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/xmalloc.h"

struct maildir_state {
	char	*tmp;
	char	*new;
	char	 host[64];
};

static int
maildir_open(struct egress *e)
{
	struct maildir_state	*m = xcalloc(1, sizeof *m);
	char			*cur;

	m->tmp = xasprintf("%s/tmp", e->cfg->outbox_dir);
	m->new = xasprintf("%s/new", e->cfg->outbox_dir);
	cur = xasprintf("%s/cur", e->cfg->outbox_dir);
	if (atomicfile_mkdirs(m->tmp, 0750) == -1 ||
	    atomicfile_mkdirs(m->new, 0750) == -1 ||
	    atomicfile_mkdirs(cur, 0750) == -1) {
		log_warn("maildir: %s", e->cfg->outbox_dir);
		free(cur);
		free(m->tmp);
		free(m->new);
		free(m);
		return -1;
	}
	free(cur);
	if (gethostname(m->host, sizeof m->host) == -1)
		snprintf(m->host, sizeof m->host, "localhost");
	m->host[sizeof m->host - 1] = '\0';
	e->state = m;
	return 0;
}

static enum egress_result
maildir_write(struct egress *e, const struct egress_msg *msg, char *err,
    size_t errsz, int dirsync)
{
	struct maildir_state	*m = e->state;
	struct buf		 b;
	char			 tok[17], *dst;
	int			 rc, saved;

	/* Named by the delivery: a copy resent after a crash replaces the
	 * first one instead of doubling it. */
	if (msg->id != NULL)
		dst = xasprintf("%s/%s.metodist.%s", m->new, msg->id, m->host);
	else {
		rnd_hex(tok, 8);
		dst = xasprintf("%s/%lld.M%sP%d.%s", m->new,
		    (long long)time(NULL), tok, (int)getpid(), m->host);
	}
	buf_init(&b);
	buf_addf(&b, "Return-Path: <%s>\nDelivered-To: %s\n",
	    msg->envelope_from, msg->recipient);
	buf_add(&b, msg->data, msg->len);
	rc = dirsync ? atomicfile_write(m->tmp, dst, b.data, b.len) :
	    atomicfile_write_nodirsync(m->tmp, dst, b.data, b.len);
	saved = errno;
	buf_free(&b);
	free(dst);
	if (rc == 0)
		return EGRESS_OK;
	snprintf(err, errsz, "maildir write: %s", strerror(saved));
	return EGRESS_TEMP;
}

static enum egress_result
maildir_send(struct egress *e, const struct egress_msg *msg, char *err,
    size_t errsz)
{
	return maildir_write(e, msg, err, errsz, 1);
}

/*
 * Many at once: each file is written and fsynced, then the directory is
 * fsynced once for all of them before any is reported delivered.
 */
static void
maildir_send_many(struct egress *e, const struct egress_msg *msgs, size_t n,
    egress_done_fn done, void *arg)
{
	struct maildir_state	*m = e->state;
	enum egress_result	*r;
	char			(*err)[256], *inside;
	size_t			 i;
	int			 synced;

	r = xreallocarray(NULL, n, sizeof *r);
	err = xreallocarray(NULL, n, sizeof *err);
	for (i = 0; i < n; i++) {
		err[i][0] = '\0';
		r[i] = maildir_write(e, &msgs[i], err[i], sizeof err[i], 0);
	}
	inside = xasprintf("%s/.", m->new);	/* its directory is new/ */
	synced = atomicfile_sync_dir(inside) == 0;
	free(inside);
	for (i = 0; i < n; i++) {
		if (r[i] == EGRESS_OK && !synced) {
			r[i] = EGRESS_TEMP;
			snprintf(err[i], sizeof err[i], "maildir: cannot sync");
		}
		done(arg, i, r[i], err[i]);
	}
	done(arg, EGRESS_DONE_FLUSH, EGRESS_OK, "");
	free(r);
	free(err);
}

static void
maildir_close(struct egress *e)
{
	struct maildir_state	*m = e->state;

	free(m->tmp);
	free(m->new);
	free(m);
}

const struct egress_ops egress_maildir_ops = {
	"maildir", maildir_open, maildir_send, maildir_send_many,
	maildir_close
};
