/*
 * submit: see submit.h.
 */
#include <config.h>

#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/command.h"
#include "core/reply.h"
#include "core/review.h"
#include "core/site.h"
#include "core/submail.h"
#include "core/submit.h"
#include "mail/address.h"
#include "mail/filename.h"
#include "store/db.h"
#include "store/member.h"
#include "store/submission.h"
#include "util/buf.h"
#include "util/filetype.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define SUBMIT_TITLE_MAX	300	/* bytes of a title */
#define SUBMIT_TEXT_MAX		20000	/* bytes of a description */

/* One attachment as judged. */
struct submit_file {
	char				*name;	/* safe */
	const char			*type;	/* NULL: refused */
	const char			*why;	/* why refused */
	const struct message_attachment	*att;
	char				*path;	/* once stored */
	char				 sha256[2 * SHA256_DIGEST_SIZE + 1];
};

struct submit_ctx {
	struct site			*site;
	const struct list_config	*list;
	const struct message		*msg;
	const char			*to;	/* envelope sender */
	char				*author;
	struct submit_file		*files;
	size_t				 nfiles;
	size_t				 naccepted;
};

/* A macro, so that the compiler checks both as formats. */
#define SUBMIT_TEXT(c, ru, en) \
	(strcmp((c)->list->language, "en") == 0 ? (en) : (ru))

static const char *
submit_text(const struct submit_ctx *c, const char *ru, const char *en)
{
	return strcmp(c->list->language, "en") == 0 ? en : ru;
}

static void
submit_sha256(const void *data, size_t len, char *out)
{
	static const char	hex[] = "0123456789abcdef";
	struct sha256_ctx	ctx;
	uint8_t			d[SHA256_DIGEST_SIZE];
	size_t			i;

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof d, d);
	for (i = 0; i < sizeof d; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * sizeof d] = '\0';
}

/* Why one file cannot be taken, or NULL (f->type set). */
static const char *
submit_judge(struct submit_ctx *c, struct submit_file *f)
{
	const struct list_config	*l = c->list;
	char				 ext[16];
	const char			*t;

	if (f->att->len == 0)
		return submit_text(c, "пустой файл (0 байт)", "empty file "
		    "(0 bytes)");
	if ((uint64_t)f->att->len > l->submit_max_file)
		return submit_text(c, "файл больше допустимого размера",
		    "the file is larger than allowed");
	filetype_extension(f->name, ext, sizeof ext);
	if (!config_submit_type_allowed(l, ext))
		return submit_text(c, "такой тип файла не принимается",
		    "files of this type are not accepted");
	if ((t = filetype_of(f->name, f->att->data, f->att->len)) == NULL ||
	    !config_submit_type_allowed(l, t))
		return submit_text(c, "содержимое файла не соответствует его "
		    "расширению", "the content does not match the extension");
	f->type = t;
	return NULL;
}

static void
submit_judge_all(struct submit_ctx *c)
{
	const struct message	*m = c->msg;
	uint64_t		 total = 0;
	size_t			 i;

	c->files = xreallocarray(NULL, m->nattachments + 1, sizeof *c->files);
	for (i = 0; i < m->nattachments; i++) {
		struct submit_file *f = &c->files[c->nfiles++];

		memset(f, 0, sizeof *f);
		f->att = &m->attachments[i];
		f->name = filename_safe(f->att->filename);
		if ((f->why = submit_judge(c, f)) == NULL) {
			total += f->att->len;
			c->naccepted++;
		}
	}
	if (total <= c->list->submit_max_total)
		return;
	for (i = 0; i < c->nfiles; i++)
		if (c->files[i].why == NULL) {
			c->files[i].type = NULL;
			c->files[i].why = submit_text(c, "вместе файлы больше "
			    "допустимого размера разработки", "together the "
			    "files are larger than a submission may be");
		}
	c->naccepted = 0;
}

static void
submit_files_free(struct submit_ctx *c, int unlink_stored)
{
	size_t	i;

	for (i = 0; i < c->nfiles; i++) {
		if (unlink_stored && c->files[i].path != NULL)
			(void)unlink(c->files[i].path);
		free(c->files[i].name);
		free(c->files[i].path);
	}
	free(c->files);
	c->files = NULL;
	c->nfiles = 0;
}

/* "  plan.docx (1,2 МБ)\n" per file taken, or "... — why" per refused. */
static char *
submit_list_files(struct submit_ctx *c, int accepted)
{
	struct buf	b;
	char		size[32];
	size_t		i;

	buf_init(&b);
	for (i = 0; i < c->nfiles; i++) {
		struct submit_file *f = &c->files[i];

		if ((f->why == NULL) != accepted)
			continue;
		submail_size((int64_t)f->att->len, c->list->language, size,
		    sizeof size);
		buf_addf(&b, "  %s (%s)", f->name, size);
		if (!accepted)
			buf_addf(&b, " — %s", f->why);
		buf_addc(&b, '\n');
	}
	return buf_detach(&b);
}

/* What the list takes: "docx, pdf ...; до 20,0 МБ на файл ...". */
static char *
submit_rules(struct submit_ctx *c)
{
	const struct list_config	*l = c->list;
	struct buf			 b;
	char				 one[32], all[32];
	size_t				 i;

	buf_init(&b);
	for (i = 0; i < l->nsubmit_types; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", l->submit_types[i]);
	submail_size((int64_t)l->submit_max_file, l->language, one,
	    sizeof one);
	submail_size((int64_t)l->submit_max_total, l->language, all,
	    sizeof all);
	buf_addf(&b, SUBMIT_TEXT(c, "; не больше %s на файл и %s на всю "
	    "разработку", "; at most %s per file and %s per submission"), one,
	    all);
	return buf_detach(&b);
}

static int
submit_answer(struct submit_ctx *c, const char *template,
    const struct template_var *extra, size_t nextra)
{
	struct template_var	 v[12];
	struct reply		 r;
	char			*taken, *refused, *rules, *submit;
	size_t			 n = 0, i;
	int			 rc;

	submit = site_list_address(c->site->cfg, c->list, "+submit");
	taken = submit_list_files(c, 1);
	refused = submit_list_files(c, 0);
	rules = submit_rules(c);
	v[n++] = (struct template_var){ "files", taken };
	v[n++] = (struct template_var){ "refused", *refused ? refused :
	    submit_text(c, "  (нет)\n", "  (none)\n") };
	v[n++] = (struct template_var){ "rules", rules };
	v[n++] = (struct template_var){ "submit_address", submit };
	for (i = 0; i < nextra && n < 12; i++)
		v[n++] = extra[i];
	memset(&r, 0, sizeof r);
	r.template = template;
	r.list = c->list;
	r.to = c->to;
	r.orig = c->msg;
	r.vars = v;
	r.nvars = n;
	rc = reply_send(c->site, &r);
	free(taken);
	free(refused);
	free(rules);
	free(submit);
	return rc == -1 ? -1 : 0;
}

/* submit-refused with one reason. */
static int
submit_refuse(struct submit_ctx *c, const char *reason)
{
	struct template_var	v[1];

	v[0] = (struct template_var){ "reason", reason };
	log_info("submit: %s: from %s refused: %s", c->list->name, c->author,
	    reason);
	return submit_answer(c, "submit-refused", v, 1);
}

/* submit_refuse with a reason made from a format. */
static int __attribute__((format(printf, 2, 3)))
submit_refuse_fmt(struct submit_ctx *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*reason;
	int	 rc;

	va_start(ap, fmt);
	if (vasprintf(&reason, fmt, ap) == -1)
		reason = NULL;
	va_end(ap);
	if (reason == NULL)
		return -1;
	rc = submit_refuse(c, reason);
	free(reason);
	return rc;
}

/* Write the accepted files under var/submissions; 0 or -1. */
static int
submit_store(struct submit_ctx *c)
{
	char	*dir, name[64];
	size_t	 i;

	dir = str_path_join(c->site->cfg->var_dir, "submissions");
	for (i = 0; i < c->nfiles; i++) {
		struct submit_file *f = &c->files[i];

		if (f->why != NULL)
			continue;
		rnd_hex(name, 16);
		strncat(name, ".", sizeof name - strlen(name) - 1);
		strncat(name, f->type, sizeof name - strlen(name) - 1);
		submit_sha256(f->att->data, f->att->len, f->sha256);
		if ((f->path = site_store_file(c->site, dir, name,
		    f->att->data, f->att->len)) == NULL) {
			free(dir);
			return -1;
		}
	}
	free(dir);
	return 0;
}

static int
submit_record_files(struct submit_ctx *c, int64_t id, int64_t version)
{
	struct submission_file	 sf;
	size_t			 i;

	for (i = 0; i < c->nfiles; i++) {
		struct submit_file *f = &c->files[i];

		if (f->why != NULL)
			continue;
		sf.version = version;
		sf.name = f->name;
		sf.path = f->path;
		sf.type = (char *)f->type;
		sf.size = (int64_t)f->att->len;
		sf.sha256 = f->sha256;
		if (submission_file_add(c->site->db, id, version, &sf) == -1)
			return -1;
	}
	return 0;
}

/* Cut s to at most max bytes, on a UTF-8 character boundary. */
static char *
submit_cut(char *s, size_t max)
{
	size_t	len = strlen(s);

	if (len > max) {
		len = max;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		s[len] = '\0';
	}
	return str_trim(s);
}

/* The title: the Subject without "Re:", or the first file's name. */
static char *
submit_title(struct submit_ctx *c)
{
	char	*t = command_subject_strip(c->msg->subject);
	size_t	 i;

	for (i = 0; *t == '\0' && i < c->nfiles; i++)
		if (c->files[i].why == NULL) {
			free(t);
			t = xstrdup(c->files[i].name);
		}
	return submit_cut(t, SUBMIT_TITLE_MAX);
}

static char *
submit_description(const struct message *m)
{
	return submit_cut(xstrdup(m->text), SUBMIT_TEXT_MAX);
}

/* A new submission with its files and reviewers: 0, -1. */
static int
submit_new(struct submit_ctx *c, struct submission *out)
{
	struct submission_new	 n;
	char			 code[SUBMISSION_CODE_MAX], *title, *descr;
	int64_t			 id;
	int			 rc = -1;

	title = submit_title(c);
	descr = submit_description(c->msg);
	memset(&n, 0, sizeof n);
	n.list_id = site_list_id(c->site, c->list);
	n.title = title;
	n.description = descr;
	n.author = c->author;
	n.author_name = c->msg->from_name;
	n.message_id = c->msg->message_id;
	n.now = time(NULL);
	if (db_begin(c->site->db) == -1)
		goto out;
	if ((id = submission_create(c->site->db, &n, code)) != -1 &&
	    submit_record_files(c, id, 1) == 0 &&
	    submission_get(c->site->db, id, out) == 0 &&
	    review_assign_reviewers(c->site, c->list, out,
	    c->list->review_decisions, NULL, 0, n.now) > 0 &&
	    db_commit(c->site->db) == 0)
		rc = 0;
	else {
		db_rollback(c->site->db);
		submission_free(out);
	}
out:
	free(title);
	free(descr);
	return rc;
}

/*
 * The reviewers of the version before who decided on it (whoever asked for
 * the revision first), still reviewers of the list; then others in turn
 * until the list's review_decisions are covered.  Number assigned, -1.
 */
static int
submit_revision_reviewers(struct submit_ctx *c, const struct submission *sub,
    int64_t version, time_t now)
{
	static const char *const order[] = { "revise", "approve" };
	struct review_assignment	*v;
	char				**done = NULL;
	size_t				 n, i, k, ndone = 0;
	int				 rc = 0, more;

	if (review_list(c->site->db, sub->id, &v, &n) == -1)
		return -1;
	done = xreallocarray(NULL, n + 1, sizeof *done);
	for (k = 0; k < sizeof order / sizeof order[0]; k++)
		for (i = 0; i < n && rc == 0; i++)
			if (v[i].version == version - 1 &&
			    strcmp(v[i].decision, order[k]) == 0 &&
			    config_is_reviewer(c->site->cfg, c->list,
			    v[i].reviewer)) {
				rc = review_assign_to(c->site, c->list, sub,
				    v[i].reviewer, now);
				done[ndone++] = v[i].reviewer;
			}
	more = c->list->review_decisions - (int)ndone;
	if (rc == 0 && more > 0)
		rc = review_assign_reviewers(c->site, c->list, sub, more, done,
		    ndone, now);
	free(done);
	review_list_free(v, n);
	if (rc == -1)
		return -1;
	return (int)ndone + rc;
}

/* The next version of a submission waiting for revision: 0, -1. */
static int
submit_revision(struct submit_ctx *c, struct submission *sub)
{
	int64_t	version = sub->version + 1;
	time_t	now = time(NULL);

	if (db_begin(c->site->db) == -1)
		return -1;
	sub->version = version;
	if (submission_set_version(c->site->db, sub->id, version, now) == 0 &&
	    submit_record_files(c, sub->id, version) == 0 &&
	    submit_revision_reviewers(c, sub, version, now) > 0 &&
	    db_commit(c->site->db) == 0)
		return 0;
	db_rollback(c->site->db);
	return -1;
}

static int
submit_receipt(struct submit_ctx *c, const struct submission *sub)
{
	struct template_var	v[4];
	char			ver[16];

	snprintf(ver, sizeof ver, "%lld", (long long)sub->version);
	v[0] = (struct template_var){ "code", sub->code };
	v[1] = (struct template_var){ "title", sub->title };
	v[2] = (struct template_var){ "version", ver };
	v[3] = (struct template_var){ "version_note", sub->version > 1 ?
	    submit_text(c, "Это новая версия разработки; она снова "
	    "отправлена эксперту.\n\n", "This is a new version of the "
	    "development; it has gone back to the reviewer.\n\n") : "" };
	log_info("submit: %s: %s version %lld from %s: %zu files", c->list->name,
	    sub->code, (long long)sub->version, c->author, c->naccepted);
	return submit_answer(c, "submit-receipt", v, 4);
}

/*
 * Is this a revision?  0 no (a new submission), 1 yes (*sub filled),
 * 2 answered (names a submission it cannot revise), -1.
 */
static int
submit_which(struct submit_ctx *c, struct submission *sub)
{
	int64_t	seq;
	int	year, rc;

	if (!submission_code_find(c->msg->subject, &year, &seq))
		return 0;
	if ((rc = submission_by_number(c->site->db, year, seq, sub)) != 0)
		return rc == -1 ? -1 : 0;
	if (sub->list_id != site_list_id(c->site, c->list) ||
	    !address_equal(sub->author, c->author, c->site->cfg->local_part_ci))
		rc = submit_refuse(c, submit_text(c, "в теме письма указан "
		    "номер чужой разработки или разработки другого списка; "
		    "чтобы прислать новую разработку, уберите номер из темы",
		    "the Subject names a development of another author or "
		    "list; to send a new one, take the number out of the "
		    "Subject"));
	else if (strcmp(sub->state, "revise") != 0)
		rc = submit_refuse(c, submit_text(c, "разработка с этим номером "
		    "не ждёт доработки, поэтому новая версия не принята",
		    "the development with this number is not waiting for a "
		    "revision, so a new version was not taken"));
	else
		return 1;
	submission_free(sub);
	return rc == -1 ? -1 : 2;
}

static int
submit_accepted(struct submit_ctx *c)
{
	struct submission	sub;
	int			rc;

	if ((rc = submit_which(c, &sub)) == -1 || rc == 2)
		return rc == -1 ? -1 : 0;
	if (submit_store(c) == -1)
		return -1;
	if (rc == 1)
		rc = submit_revision(c, &sub);
	else
		rc = submit_new(c, &sub);
	if (rc == -1) {
		submit_files_free(c, 1);
		return -1;
	}
	(void)submit_receipt(c, &sub);
	submission_free(&sub);
	return 0;
}

/* A message made into a submission before (processed again). */
static int
submit_seen(struct submit_ctx *c)
{
	struct submission	sub;
	int			rc;

	if (c->msg->message_id == NULL)
		return 0;
	if ((rc = submission_by_message(c->site->db, c->author,
	    c->msg->message_id, &sub)) != 0)
		return rc == -1 ? -1 : 0;
	log_info("submit: %s: message <%s> is %s already", c->list->name,
	    c->msg->message_id, sub.code);
	submission_free(&sub);
	return 1;
}

/* Who may submit: anyone to an open list, else members and coordinators
 * (by From, as for posts).  1 yes, 0 no, -1. */
static int
submit_may(struct submit_ctx *c)
{
	const struct config	*cfg = c->site->cfg;

	if (c->list->policy == POLICY_OPEN ||
	    config_is_coordinator(cfg, c->list, c->author))
		return 1;
	return member_is(c->site->db, site_list_id(c->site, c->list),
	    c->author, cfg->local_part_ci);
}

static int
submit_run(struct submit_ctx *c)
{
	char	*sub;
	int	 rc;

	if ((rc = submit_seen(c)) != 0)
		return rc == -1 ? -1 : 0;
	if ((rc = submit_may(c)) != 1) {
		if (rc == -1)
			return -1;
		sub = site_list_address(c->site->cfg, c->list, "+subscribe");
		rc = submit_refuse_fmt(c, SUBMIT_TEXT(c, "разработки в этот "
		    "список присылают его участники; чтобы вступить, напишите "
		    "на адрес %s", "developments for this list come from its "
		    "members; to join, write to %s"), sub);
		free(sub);
		return rc;
	}
	if (c->list->nreviewers == 0 || review_next_reviewer(c->site->cfg,
	    c->list, NULL, c->author, NULL, 0) == NULL)
		return submit_refuse(c, submit_text(c, "у этого списка нет "
		    "экспертов, которые могли бы рассмотреть разработку; "
		    "напишите координатору списка", "this list has no reviewer "
		    "who could review the development; write to the list's "
		    "coordinator"));
	if (c->msg->nattachments == 0)
		return submit_refuse(c, submit_text(c, "к письму не приложено "
		    "ни одного файла", "no file is attached to the message"));
	submit_judge_all(c);
	if (c->naccepted == 0)
		return submit_refuse(c, submit_text(c, "ни один из приложенных "
		    "файлов не может быть принят", "none of the attached files "
		    "can be taken"));
	return submit_accepted(c);
}

int
submit_handle(struct site *s, const struct route *rt, const struct message *m,
    const char *envelope_sender)
{
	struct submit_ctx	c;
	int			rc;

	if (rt->list == NULL)
		return 0;
	memset(&c, 0, sizeof c);
	c.site = s;
	c.list = rt->list;
	c.msg = m;
	c.to = envelope_sender;
	c.author = address_normalize(m->from_addr ? m->from_addr :
	    envelope_sender);
	if (c.author == NULL) {
		log_info("submit: %s: no author address; dropped",
		    rt->list->name);
		return 0;
	}
	rc = submit_run(&c);
	submit_files_free(&c, 0);
	free(c.author);
	return rc;
}
