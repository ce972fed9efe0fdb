/*
 * reply: see reply.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/loop.h"
#include "core/reply.h"
#include "core/site.h"
#include "mail/header.h"
#include "store/db.h"
#include "store/limit.h"
#include "store/queue.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#define REPLY_MAX_VARS	32

struct reply_addrs {
	char	*post, *request, *owner, *subscribe, *help, *site;
};

static void
reply_addrs_make(const struct config *cfg, const struct list_config *l,
    struct reply_addrs *a)
{
	a->site = xasprintf("%s@%s", cfg->site_address, cfg->domain);
	if (l == NULL) {
		a->post = xstrdup(a->site);
		a->request = xstrdup(a->site);
		a->owner = xasprintf("postmaster@%s", cfg->domain);
		a->subscribe = xstrdup(a->site);
		a->help = xstrdup(a->site);
		return;
	}
	a->post = site_list_address(cfg, l, "");
	a->request = site_list_address(cfg, l, "-request");
	a->owner = site_list_address(cfg, l, "-owner");
	a->subscribe = site_list_address(cfg, l, "+subscribe");
	a->help = site_list_address(cfg, l, "+help");
}

static void
reply_addrs_free(struct reply_addrs *a)
{
	free(a->post); free(a->request); free(a->owner);
	free(a->subscribe); free(a->help); free(a->site);
}

static size_t
reply_vars(const struct config *cfg, const struct reply *r,
    const struct reply_addrs *a, const char *date, struct template_var *v)
{
	const struct list_config	*l = r->list;
	size_t				 n = 0, i;

	v[n++] = (struct template_var){ "list_title", l ? l->title : "" };
	v[n++] = (struct template_var){ "list_name", l ? l->name : "" };
	v[n++] = (struct template_var){ "list_address", a->post };
	v[n++] = (struct template_var){ "request_address", a->request };
	v[n++] = (struct template_var){ "owner_address", a->owner };
	v[n++] = (struct template_var){ "subscribe_address", a->subscribe };
	v[n++] = (struct template_var){ "help_address", a->help };
	v[n++] = (struct template_var){ "site_address", a->site };
	v[n++] = (struct template_var){ "site_name", cfg->site_name };
	v[n++] = (struct template_var){ "site_domain", cfg->domain };
	v[n++] = (struct template_var){ "sender", r->to };
	v[n++] = (struct template_var){ "subject",
	    r->orig ? r->orig->subject : "" };
	v[n++] = (struct template_var){ "date", date };
	for (i = 0; i < r->nvars && n < REPLY_MAX_VARS; i++)
		v[n++] = r->vars[i];
	return n;
}

static void
reply_headers(struct buf *b, const struct config *cfg, const struct reply *r,
    const struct reply_addrs *a, const char *subject, const char *to)
{
	char	 date[64], id[33], *from, *enc, *marker;
	time_t	 now = time(NULL);

	time_rfc5322(now, date, sizeof date);
	rnd_hex(id, 16);
	from = header_encode_address(r->list ? r->list->title :
	    cfg->site_name, r->list ? a->request : a->site);
	enc = header_encode(subject, strlen("Subject"));
	marker = loop_marker(cfg);
	buf_addf(b, "From: %s\nTo: %s\nSubject: %s\nDate: %s\n"
	    "Message-ID: <%s@%s>\n", from, to, enc, date, id, cfg->domain);
	if (r->orig != NULL && r->orig->message_id != NULL)
		buf_addf(b, "In-Reply-To: <%s>\nReferences: <%s>\n",
		    r->orig->message_id, r->orig->message_id);
	if (r->reply_to != NULL)
		buf_addf(b, "Reply-To: %s\n", r->reply_to);
	buf_addf(b, "MIME-Version: 1.0\nAuto-Submitted: auto-replied\n"
	    "X-Loop: %s\n", marker);
	free(marker);
	free(enc);
	free(from);
}

/* The body: plain text, or the text and the attached message. */
static void
reply_body(struct buf *b, const struct reply *r, const char *text)
{
	char	boundary[33];

	if (r->attach == NULL) {
		buf_addf(b, "Content-Type: text/plain; charset=utf-8\n"
		    "Content-Transfer-Encoding: 8bit\n\n%s", text);
		return;
	}
	rnd_hex(boundary, 16);
	buf_addf(b, "Content-Type: multipart/mixed; boundary=\"=_%s\"\n\n"
	    "--=_%s\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n%s\n--=_%s\n"
	    "Content-Type: message/rfc822\nContent-Disposition: inline\n\n",
	    boundary, boundary, text, boundary);
	buf_add(b, r->attach->raw, r->attach->raw_len);
	buf_addf(b, "\n--=_%s--\n", boundary);
}

/* Render and write the message file; returns its path or NULL. */
static char *
reply_compose(struct site *s, const struct reply *r, const char *to)
{
	const struct config	*cfg = s->cfg;
	struct template_var	 vars[REPLY_MAX_VARS];
	struct template_text	 t;
	struct reply_addrs	 a;
	struct buf		 b;
	char			 date[64], name[64], *path = NULL;
	size_t			 n;

	time_human_date(time(NULL), r->list ? r->list->language :
	    cfg->language, date, sizeof date);
	reply_addrs_make(cfg, r->list, &a);
	n = reply_vars(cfg, r, &a, date, vars);
	if (template_render(cfg->templates_dir, r->list ? r->list->language :
	    cfg->language, r->template, vars, n, &t) == 0) {
		buf_init(&b);
		reply_headers(&b, cfg, r, &a, t.subject, to);
		reply_body(&b, r, t.body);
		rnd_hex(name, 12);
		strncat(name, ".eml", sizeof name - strlen(name) - 1);
		path = site_store_file(s, s->queue_dir, name, b.data, b.len);
		buf_free(&b);
		template_text_free(&t);
	}
	reply_addrs_free(&a);
	return path;
}

static int
reply_queue(struct site *s, const struct reply *r, char *const *to,
    size_t nto)
{
	char	*path;
	int64_t	 oid;
	size_t	 i;
	int	 rc = -1;

	if ((path = reply_compose(s, r, nto == 1 ? to[0] :
	    "undisclosed-recipients:;")) == NULL)
		return -1;
	if (db_begin(s->db) == -1)
		goto out;
	oid = queue_outbound(s->db, nto == 1 ? "reply" : "notice", 0, 0, path,
	    "");
	for (i = 0; oid != -1 && i < nto; i++)
		if (queue_add_recipient(s->db, oid, to[i]) == -1)
			oid = -1;
	if (oid == -1 || db_commit(s->db) == -1)
		db_rollback(s->db);
	else
		rc = 0;
out:
	free(path);
	return rc;
}

int
reply_send(struct site *s, const struct reply *r)
{
	char	day[16];
	char	*to[1];
	int	ok;

	if (r->to == NULL || *r->to == '\0')
		return 1;
	time_day(time(NULL), day, sizeof day);
	if ((ok = limit_take(s->db, r->to, day,
	    (int64_t)s->cfg->replies_per_day)) == -1)
		return -1;
	if (!ok) {
		log_info("reply: %s to %s suppressed: over %llu replies today",
		    r->template, r->to,
		    (unsigned long long)s->cfg->replies_per_day);
		return 1;
	}
	to[0] = (char *)r->to;
	return reply_queue(s, r, to, 1);
}

int
reply_notify(struct site *s, const struct reply *r, char *const *to,
    size_t nto)
{
	if (nto == 0)
		return 0;
	return reply_queue(s, r, to, nto);
}
