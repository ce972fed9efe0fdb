/*
 * review: see review.h.
 *
 * A decision by reply runs in this order: the token must name an
 * assignment of this list (else answered, nothing used); the sender must
 * be its reviewer; a decision word must be there; the assignment must be
 * open and the submission under review.  Then, in one transaction, the
 * assignment is decided and the submission's state follows; after the
 * commit the author and the reviewer are told and an approved submission
 * is published.  Publication is keyed by the submission, so a second
 * attempt after a failure neither loses nor repeats the announcement.
 */
#include <config.h>

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/command.h"
#include "core/post.h"
#include "core/reply.h"
#include "core/review.h"
#include "core/site.h"
#include "core/submail.h"
#include "mail/address.h"
#include "mail/header.h"
#include "mail/message.h"
#include "mail/replyscan.h"
#include "store/db.h"
#include "store/queue.h"
#include "store/submission.h"
#include "store/teacher.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/strutil.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"
#include "util/pattern.h"

#define REVIEW_DAY		(24 * 3600)
#define REVIEW_COMMENT_MAX	8000	/* bytes of a reviewer's comment */
#define REVIEW_MATCH_LIMIT	100000
#define REVIEW_TOKEN_BYTES	16

/* ---- the decision in a reply ------------------------------------------ */

static const char review_re_word[] =
    "^\\s*(?:(одобрено|одобрить|одобряю|одобрена|approved?|accept(?:ed)?)|"
    "(на\\s+доработку|доработать|требует\\s+доработки|revise|revision|"
    "needs\\s+revision)|"
    "(отклонено|отклонить|отклоняю|отклонена|reject(?:ed)?))"
    "(?![\\p{L}\\p{N}])[\\s:;,.!\\x{2013}\\x{2014}-]*";
static const char review_re_greeting[] =
    "^\\s*(?:здравствуйте|добрый\\s+(?:день|вечер)|доброе\\s+утро|"
    "привет|hello|hi|dear\\b.*|уважаем\\w*\\b.*)[\\s,.!]*$";

struct review_grammar {
	pcre2_code		*word, *greeting;
	pcre2_match_data	*md;
	pcre2_match_context	*mc;
};

static struct review_grammar *
review_grammar(void)
{
	static struct review_grammar	g;

	if (g.word != NULL)
		return &g;
	g.word = pattern_compile("review", review_re_word, 0);
	g.greeting = pattern_compile("review", review_re_greeting, 0);
	if ((g.md = pcre2_match_data_create(8, NULL)) == NULL ||
	    (g.mc = pcre2_match_context_create(NULL)) == NULL)
		fatalx("review: out of memory");
	pcre2_set_match_limit(g.mc, REVIEW_MATCH_LIMIT);
	return &g;
}

static int
review_match(struct review_grammar *g, pcre2_code *code, const char *s,
    size_t len)
{
	return pcre2_match(code, (PCRE2_SPTR)s, len, 0, 0, g->md, g->mc) > 0;
}

static enum review_decision
review_word(struct review_grammar *g, const char *s, size_t len,
    struct replyscan_line *rest)
{
	PCRE2_SIZE	*ov;
	int		 i;

	if (!review_match(g, g->word, s, len))
		return REVIEW_NONE;
	ov = pcre2_get_ovector_pointer(g->md);
	rest->s = s + ov[1];
	rest->len = len - ov[1];
	for (i = 1; i <= 3; i++)
		if (ov[2 * i] != PCRE2_UNSET)
			break;
	return i == 1 ? REVIEW_APPROVE : i == 2 ? REVIEW_REVISE :
	    REVIEW_REJECT;
}

static void
review_add_bounded(struct buf *b, const char *s, size_t len)
{
	size_t	room = b->len < REVIEW_COMMENT_MAX ?
		    REVIEW_COMMENT_MAX - b->len : 0;

	if (len > room) {
		len = room;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	buf_add(b, s, len);
}

/* The comment: the rest of the decision line and the reviewer's own lines
 * after it; quoted lines and reply headers are left out, the signature
 * or an unmarked copy of the letter ends it. */
static char *
review_comment(const struct replyscan_line *rest, struct replyscan *sc)
{
	struct replyscan_line	 ln;
	struct buf		 b;
	size_t			 blank = 0;
	char			*r;

	buf_init(&b);
	review_add_bounded(&b, rest->s, rest->len);
	while (b.len < REVIEW_COMMENT_MAX && replyscan_next(sc, &ln)) {
		if (ln.kind == REPLYSCAN_SIGNATURE ||
		    ln.kind == REPLYSCAN_ORIGINAL)
			break;
		if (ln.kind == REPLYSCAN_QUOTED || ln.kind == REPLYSCAN_INTRO ||
		    ln.kind == REPLYSCAN_HEADER)
			continue;
		if (ln.kind == REPLYSCAN_BLANK) {
			blank++;
			continue;
		}
		buf_adds(&b, b.len == 0 ? "" : blank > 0 ? "\n\n" : "\n");
		blank = 0;
		review_add_bounded(&b, ln.s, ln.len);
	}
	r = buf_detach(&b);
	if (!str_utf8_valid(r, strlen(r)))
		r[0] = '\0';
	return str_trim(r);
}

static enum review_decision
review_parse_text(struct review_grammar *g, const char *text, char **comment)
{
	struct replyscan	 sc;
	struct replyscan_line	 ln, rest;
	enum review_decision	 d;

	replyscan_init(&sc, text);
	while (replyscan_next(&sc, &ln)) {
		switch (ln.kind) {
		case REPLYSCAN_BLANK:
		case REPLYSCAN_QUOTED:
		case REPLYSCAN_INTRO:
		case REPLYSCAN_HEADER:
			continue;
		case REPLYSCAN_SIGNATURE:
		case REPLYSCAN_ORIGINAL:
			return REVIEW_NONE;
		case REPLYSCAN_SIGNOFF:
		case REPLYSCAN_TEXT:
			break;
		}
		if (ln.len <= REPLYSCAN_MARKER_MAX &&
		    review_match(g, g->greeting, ln.s, ln.len))
			continue;
		if ((d = review_word(g, ln.s, ln.len, &rest)) != REVIEW_NONE)
			*comment = review_comment(&rest, &sc);
		return d;
	}
	return REVIEW_NONE;
}

enum review_decision
review_decision_parse(const char *text, const char *subject, char **comment)
{
	struct review_grammar	*g = review_grammar();
	struct replyscan_line	 rest;
	enum review_decision	 d = REVIEW_NONE;
	char			*bare;

	*comment = NULL;
	if (text != NULL)
		d = review_parse_text(g, text, comment);
	if (d == REVIEW_NONE && subject != NULL) {
		bare = command_subject_strip(subject);
		if ((d = review_word(g, bare, strlen(bare), &rest)) !=
		    REVIEW_NONE) {
			*comment = xstrndup(rest.s, rest.len);
			if (!str_utf8_valid(*comment, strlen(*comment)))
				(*comment)[0] = '\0';
			str_trim(*comment);
		}
		free(bare);
	}
	return d;
}

const char *
review_decision_name(enum review_decision d)
{
	switch (d) {
	case REVIEW_APPROVE:
		return "approve";
	case REVIEW_REVISE:
		return "revise";
	case REVIEW_REJECT:
		return "reject";
	default:
		return "none";
	}
}

/* ---- who reviews ------------------------------------------------------ */

static int
review_excluded(const struct config *cfg, const char *r, const char *author,
    char *const *exclude, size_t n)
{
	size_t	i;

	if (author != NULL && address_equal(r, author, cfg->local_part_ci))
		return 1;
	for (i = 0; i < n; i++)
		if (address_equal(r, exclude[i], cfg->local_part_ci))
			return 1;
	return 0;
}

const char *
review_next_reviewer(const struct config *cfg, const struct list_config *l,
    const char *last, const char *author, char *const *exclude,
    size_t nexclude)
{
	size_t	start = 0, i, k;

	if (l->nreviewers == 0)
		return NULL;
	for (i = 0; last != NULL && *last != '\0' && i < l->nreviewers; i++)
		if (address_equal(l->reviewers[i], last, cfg->local_part_ci)) {
			start = i + 1;
			break;
		}
	for (k = 0; k < l->nreviewers; k++) {
		i = (start + k) % l->nreviewers;
		if (!review_excluded(cfg, l->reviewers[i], author, exclude,
		    nexclude))
			return l->reviewers[i];
	}
	return NULL;
}

/* ---- the letter to a reviewer ----------------------------------------- */

/* "Имя <addr>, школа, муниципалитет" as the registry knows the author. */
static char *
review_author_info(struct site *s, const struct submission *sub)
{
	struct teacher	 t;
	struct buf	 b;
	const char	*name = sub->author_name;

	buf_init(&b);
	if (teacher_get(s->db, sub->author, &t) == 0) {
		if (*name == '\0')
			name = t.full_name;
		buf_addf(&b, "%s%s<%s>", name, *name ? " " : "", sub->author);
		if (t.school != NULL && *t.school != '\0')
			buf_addf(&b, ", %s", t.school);
		if (t.municipality != NULL && *t.municipality != '\0')
			buf_addf(&b, ", %s", t.municipality);
		teacher_free(&t);
	} else
		buf_addf(&b, "%s%s<%s>", name, *name ? " " : "", sub->author);
	return buf_detach(&b);
}

/* One line per file: "  1. plan.docx (1,2 МБ)". */
static char *
review_file_lines(const struct submission_file *f, size_t n,
    const char *lang)
{
	struct buf	b;
	char		size[32];
	size_t		i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		submail_size(f[i].size, lang, size, sizeof size);
		buf_addf(&b, "  %zu. %s (%s)\n", i + 1, f[i].name, size);
	}
	return buf_detach(&b);
}

static int64_t
review_files_total(const struct submission_file *f, size_t n)
{
	int64_t	t = 0;
	size_t	i;

	for (i = 0; i < n; i++)
		t += f[i].size;
	return t;
}

/* The note on how the files come: attached, or to be asked for. */
static char *
review_files_note(const struct list_config *l, const struct submission *sub,
    int attach, const char *request)
{
	int	en = strcmp(l->language, "en") == 0;

	if (attach)
		return xstrdup(en ? "The files are attached to this letter." :
		    "Файлы приложены к этому письму.");
	return en ? xasprintf("The files are too large to attach together. "
	    "To get them,\nsend the command \"file %s\" to %s: each file "
	    "comes in a letter of its own.", sub->code, request) :
	    xasprintf("Файлы слишком велики, чтобы приложить их вместе. "
	    "Чтобы получить их,\nотправьте команду «файл %s» на адрес %s —\n"
	    "каждый файл придёт отдельным письмом.", sub->code, request);
}

/* A submission's current files and how they travel in a letter. */
struct review_files {
	struct submission_file	*v;
	size_t			 n;
	int			 attach;	/* else listed */
	char			*lines;		/* one line per file */
	char			*note;		/* attached, or how to get them */
};

static int
review_files_load(struct site *s, const struct list_config *l,
    const struct submission *sub, struct review_files *rf)
{
	char	*request;

	memset(rf, 0, sizeof *rf);
	if (submission_files(s->db, sub->id, sub->version, &rf->v, &rf->n) ==
	    -1)
		return -1;
	rf->attach = (uint64_t)review_files_total(rf->v, rf->n) <=
	    l->submit_attach_max;
	request = site_list_address(s->cfg, l, "-request");
	rf->lines = review_file_lines(rf->v, rf->n, l->language);
	rf->note = review_files_note(l, sub, rf->attach, request);
	free(request);
	return 0;
}

static void
review_files_free(struct review_files *rf)
{
	submission_files_free(rf->v, rf->n);
	free(rf->lines);
	free(rf->note);
	memset(rf, 0, sizeof *rf);
}

/* The letter with the files as rf says, From the list's request address
 * unless m->from is set; the message's bytes, or NULL. */
static char *
review_build(struct site *s, const struct list_config *l, struct submail *m,
    const struct review_files *rf, const char *message_id, size_t *len)
{
	char	*request = NULL, *from = NULL, *data;

	if (m->from == NULL) {
		request = site_list_address(s->cfg, l, "-request");
		m->from = from = header_encode_address(l->title, request);
	}
	m->message_id = message_id;
	m->files = rf->v;
	m->nfiles = rf->n;
	m->attach = rf->attach;
	data = submail_build(s->cfg, m, len);
	if (from != NULL)
		m->from = NULL;
	free(from);
	free(request);
	return data;
}

/* review_build, written to the queue directory; its path, or NULL. */
static char *
review_write(struct site *s, const struct list_config *l, struct submail *m,
    const struct review_files *rf)
{
	char	 name[64], mid[96], *data, *path = NULL;
	size_t	 len;

	rnd_hex(name, 12);
	snprintf(mid, sizeof mid, "review.%s@%s", name, s->cfg->domain);
	if ((data = review_build(s, l, m, rf, mid, &len)) != NULL) {
		strncat(name, ".eml", sizeof name - strlen(name) - 1);
		path = site_store_file(s, s->queue_dir, name, data, len);
		free(data);
	}
	return path;
}

/* Compose the letter for one assignment; its path, or NULL. */
static char *
review_letter(struct site *s, const struct list_config *l,
    const struct submission *sub, const char *reviewer, const char *token,
    int reminder)
{
	struct review_files	 rf;
	struct template_var	 v[10];
	struct template_text	 t;
	struct submail		 m;
	char			 ver[16], due[64], *info, *raddr, *suffix;
	char			*path = NULL;
	int			 en = strcmp(l->language, "en") == 0;

	if (review_files_load(s, l, sub, &rf) == -1)
		return NULL;
	snprintf(ver, sizeof ver, "%lld", (long long)sub->version);
	time_human_date(time(NULL) + (time_t)l->review_remind_days *
	    REVIEW_DAY, l->language, due, sizeof due);
	suffix = xasprintf("+review-%s", token);
	raddr = site_list_address(s->cfg, l, suffix);
	info = review_author_info(s, sub);
	v[0] = (struct template_var){ "code", sub->code };
	v[1] = (struct template_var){ "version", ver };
	v[2] = (struct template_var){ "title", sub->title };
	v[3] = (struct template_var){ "description", *sub->description ?
	    sub->description : (en ? "(none)" : "(нет)") };
	v[4] = (struct template_var){ "author", info };
	v[5] = (struct template_var){ "files", rf.lines };
	v[6] = (struct template_var){ "files_note", rf.note };
	v[7] = (struct template_var){ "review_address", raddr };
	v[8] = (struct template_var){ "due", due };
	v[9] = (struct template_var){ "reminder", reminder ? (en ?
	    "Reminder: " : "Напоминание: ") : "" };
	if (submail_render(s, l, "review-request", v, 10, &t) == 0) {
		memset(&m, 0, sizeof m);
		m.to = reviewer;
		m.reply_to = raddr;
		m.subject = t.subject;
		m.auto_submitted = "auto-generated";
		m.text = t.body;
		path = review_write(s, l, &m, &rf);
		template_text_free(&t);
	}
	free(info);
	free(raddr);
	free(suffix);
	review_files_free(&rf);
	return path;
}

/* Queue a composed letter for one recipient, in the caller's
 * transaction. */
static int
review_queue(struct site *s, const struct list_config *l, char *path,
    const char *to)
{
	int64_t	oid;

	if (path == NULL)
		return -1;
	oid = queue_outbound(s->db, "notice", site_list_id(s, l), 0, path, "");
	free(path);
	if (oid == -1 || queue_add_recipient(s->db, oid, to) == -1)
		return -1;
	return 0;
}

int
review_assign_to(struct site *s, const struct list_config *l,
    const struct submission *sub, const char *reviewer, time_t now)
{
	char	token[2 * REVIEW_TOKEN_BYTES + 1];

	rnd_hex(token, REVIEW_TOKEN_BYTES);
	if (review_assign(s->db, sub->id, sub->version, reviewer, token,
	    now) == -1)
		return -1;
	log_info("review: %s: %s version %lld assigned to %s", l->name,
	    sub->code, (long long)sub->version, reviewer);
	return review_queue(s, l, review_letter(s, l, sub, reviewer, token, 0),
	    reviewer);
}

int
review_assign_reviewers(struct site *s, const struct list_config *l,
    const struct submission *sub, int count, char *const *exclude,
    size_t nexclude, time_t now)
{
	const char	*r;
	char		*last, **ex;
	size_t		 nex = nexclude, i;
	int		 done = 0, rc = 0;

	if ((last = review_last_reviewer(s->db, sub->list_id)) == NULL)
		return -1;
	ex = xreallocarray(NULL, nexclude + (size_t)count + 1, sizeof *ex);
	for (i = 0; i < nexclude; i++)
		ex[i] = exclude[i];
	while (done < count && (r = review_next_reviewer(s->cfg, l, last,
	    sub->author, ex, nex)) != NULL) {
		if ((rc = review_assign_to(s, l, sub, r, now)) == -1)
			break;
		ex[nex++] = (char *)r;
		free(last);
		last = xstrdup(r);
		done++;
	}
	free(ex);
	free(last);
	return rc == -1 ? -1 : done;
}

/* ---- telling people ----------------------------------------------------- */

struct review_ctx {
	struct site			*site;
	const struct list_config	*list;
	const struct message		*msg;
	const char			*to;	/* envelope sender */
};

/* A macro, so that the compiler checks both as formats. */
#define REVIEW_TEXT(l, ru, en) \
	(strcmp((l)->language, "en") == 0 ? (en) : (ru))

static const char *
review_text(const struct list_config *l, const char *ru, const char *en)
{
	return strcmp(l->language, "en") == 0 ? en : ru;
}

/* review-answer to the reviewer: what happened, and maybe how to answer. */
static int
review_answer(struct review_ctx *c, const char *code, const char *title,
    const char *text, int hint)
{
	const struct list_config	*l = c->list;
	struct template_var		 v[4];
	struct reply			 r;

	v[0] = (struct template_var){ "code", code ? code : "" };
	v[1] = (struct template_var){ "result_title", title };
	v[2] = (struct template_var){ "result", text };
	v[3] = (struct template_var){ "hint", hint ? review_text(l,
	    "Как ответить: ответьте на письмо с разработкой и напишите "
	    "решение первыми словами\nответа, над цитатой:\n"
	    "  одобрено        — разработка будет опубликована в списке;\n"
	    "  на доработку    — автор получит ваши замечания и пришлёт "
	    "новую версию;\n"
	    "  отклонено       — автор получит ваш отзыв.\n"
	    "После слова решения напишите замечания или отзыв.\n"
	    "Можно и по-английски: approve, revise, reject.\n\n",
	    "How to answer: reply to the letter with the development and write "
	    "your decision\nas the first words, above the quoted text:\n"
	    "  approve  — it will be published to the list;\n"
	    "  revise   — the author gets your comments and sends a new "
	    "version;\n"
	    "  reject   — the author gets your review.\n"
	    "Write your comments after the decision word.\n"
	    "Russian words work too: одобрено, на доработку, отклонено.\n\n") :
	    "" };
	memset(&r, 0, sizeof r);
	r.template = "review-answer";
	r.list = l;
	r.to = c->to;
	r.orig = c->msg;
	r.vars = v;
	r.nvars = 4;
	return reply_send(c->site, &r) == -1 ? -1 : 0;
}

/* review-decision to the author. */
static int
review_tell_author(struct site *s, const struct list_config *l,
    const struct submission *sub, enum review_decision d,
    const char *comment)
{
	struct template_var	 v[5];
	struct reply		 r;
	char			*submit = NULL, *subject;
	const char		*word, *next;
	int			 rc;

	word = d == REVIEW_APPROVE ? review_text(l, "одобрена", "approved") :
	    d == REVIEW_REVISE ? review_text(l, "возвращена на доработку",
	    "returned for revision") : review_text(l, "отклонена", "rejected");
	next = d == REVIEW_APPROVE ? review_text(l, "Разработка опубликована "
	    "в списке и войдёт в ближайший выпуск новостей.", "The development "
	    "has been published to the list and will be in the next "
	    "newsletter.") : d == REVIEW_REVISE ? review_text(l, "Чтобы "
	    "отправить новую версию, ответьте на это письмо и приложите\n"
	    "исправленные файлы; номер разработки в теме письма сохраните.\n"
	    "Новая версия уйдёт тому же эксперту.", "To send a new version, "
	    "reply to this letter with the corrected files attached;\n"
	    "keep the number in the Subject. The new version goes to the same "
	    "reviewer.") : review_text(l, "Вы можете учесть отзыв и прислать "
	    "новую разработку.", "You may take the review into account and "
	    "submit a new development.");
	subject = xasprintf("%s", sub->title);
	v[0] = (struct template_var){ "code", sub->code };
	v[1] = (struct template_var){ "title", subject };
	v[2] = (struct template_var){ "decision", word };
	v[3] = (struct template_var){ "comment", comment && *comment ?
	    comment : review_text(l, "(эксперт не оставил замечаний)",
	    "(the reviewer left no comments)") };
	v[4] = (struct template_var){ "next", next };
	memset(&r, 0, sizeof r);
	r.template = "review-decision";
	r.list = l;
	r.to = sub->author;
	r.vars = v;
	r.nvars = 5;
	if (d == REVIEW_REVISE)
		r.reply_to = submit = site_list_address(s->cfg, l, "+submit");
	rc = reply_notify(s, &r, (char *const *)&sub->author, 1);
	free(submit);
	free(subject);
	return rc;
}

/* ---- publication ------------------------------------------------------- */

/* The announcement of an approved submission, From its author, with a
 * Message-ID of its own so that it is posted once; its bytes, or NULL. */
static char *
review_announcement(struct site *s, const struct list_config *l,
    const struct submission *sub, size_t *len)
{
	struct review_files	 rf;
	struct template_var	 v[5];
	struct template_text	 t;
	struct submail		 m;
	char			 mid[128], *info, *post, *text, *data = NULL;

	if (review_files_load(s, l, sub, &rf) == -1)
		return NULL;
	post = site_list_address(s->cfg, l, "");
	info = review_author_info(s, sub);
	v[0] = (struct template_var){ "code", sub->code };
	v[1] = (struct template_var){ "title", sub->title };
	v[2] = (struct template_var){ "author", info };
	v[3] = (struct template_var){ "description", sub->description };
	v[4] = (struct template_var){ "files", rf.lines };
	snprintf(mid, sizeof mid, "submission.%lld.%lld@%s",
	    (long long)sub->id, (long long)sub->version, s->cfg->domain);
	if (submail_render(s, l, "submission-announce", v, 5, &t) == 0) {
		text = xasprintf("%s\n%s\n", t.body, rf.note);
		memset(&m, 0, sizeof m);
		m.from = header_encode_address(*sub->author_name ?
		    sub->author_name : NULL, sub->author);
		m.to = post;
		m.subject = t.subject;
		m.text = text;
		data = review_build(s, l, &m, &rf, mid, len);
		free((char *)m.from);
		free(text);
		template_text_free(&t);
	}
	free(info);
	free(post);
	review_files_free(&rf);
	return data;
}

int
review_publish(struct site *s, const struct list_config *l, int64_t sid)
{
	struct submission	 sub;
	struct message		*m;
	char			*raw, key[64];
	size_t			 len;
	int64_t			 pid;
	int			 rc;

	if ((rc = submission_get(s->db, sid, &sub)) != 0)
		return rc == 1 ? 0 : -1;
	if (strcmp(sub.state, "approved") != 0 || sub.post_id != 0) {
		submission_free(&sub);
		return 0;
	}
	if ((raw = review_announcement(s, l, &sub, &len)) == NULL) {
		submission_free(&sub);
		return -1;
	}
	m = message_parse(raw, len);
	snprintf(key, sizeof key, "submission-%lld", (long long)sid);
	rc = post_distribute(s, l, m, key) == POST_TEMPFAIL ? -1 : 0;
	if (rc == 0) {
		pid = db_int(s->db, 0, "SELECT id FROM posts WHERE list_id = ?1 "
		    "AND message_id = ?2", "it", site_list_id(s, l),
		    m->message_id);
		if (pid <= 0 || submission_set_post(s->db, sid, pid) == -1)
			rc = -1;
		else
			log_info("review: %s: %s published as post %lld",
			    l->name, sub.code, (long long)pid);
	}
	message_free(m);
	free(raw);
	submission_free(&sub);
	return rc;
}

/* ---- a decision by reply ------------------------------------------------ */

/* Approvals a submission needs: the list's review_decisions, but no more
 * than there are reviewers other than its author. */
static int64_t
review_needed(const struct config *cfg, const struct list_config *l,
    const char *author)
{
	int64_t	eligible = (int64_t)l->nreviewers;

	if (config_is_reviewer(cfg, l, author))
		eligible--;
	return eligible < l->review_decisions ? (eligible > 0 ? eligible : 1) :
	    l->review_decisions;
}

/* The new state of the submission after decision d. */
static const char *
review_new_state(struct site *s, const struct list_config *l,
    const struct submission *sub, enum review_decision d)
{
	if (d == REVIEW_REVISE)
		return "revise";
	if (d == REVIEW_REJECT)
		return "rejected";
	if (review_approvals(s->db, sub->id, sub->version) >=
	    review_needed(s->cfg, l, sub->author))
		return "approved";
	return "review";
}

/* Record the decision and the submission's new state: 0, 1 too late. */
static int
review_record(struct site *s, const struct list_config *l,
    const struct review_assignment *a, const struct submission *sub,
    enum review_decision d, const char *comment, const char **state)
{
	time_t	now = time(NULL);
	int	rc;

	if (db_begin(s->db) == -1)
		return -1;
	rc = review_decide(s->db, a->id, review_decision_name(d), comment,
	    now);
	if (rc == 0) {
		*state = review_new_state(s, l, sub, d);
		if (strcmp(*state, sub->state) != 0 &&
		    submission_set_state(s->db, sub->id, *state, now) == -1)
			rc = -1;
		if (rc == 0 && strcmp(*state, "approved") == 0 &&
		    submission_level_record(s->db, sub->id, "municipal",
		    a->reviewer, now) == -1)
			rc = -1;
	}
	if (rc == -1 || db_commit(s->db) == -1) {
		db_rollback(s->db);
		return -1;
	}
	return rc;
}

/* The assigned reviewer, by envelope sender and From both. */
static int
review_is_assigned(struct site *s, const struct review_assignment *a,
    const struct message *m, const char *envelope_sender)
{
	char	*env, *from;
	int	 ok;

	env = address_normalize(envelope_sender);
	from = m->from_addr != NULL ? address_normalize(m->from_addr) : NULL;
	ok = env != NULL && from != NULL &&
	    address_equal(env, a->reviewer, s->cfg->local_part_ci) &&
	    address_equal(from, a->reviewer, s->cfg->local_part_ci);
	free(env);
	free(from);
	return ok;
}

static int
review_refuse(struct review_ctx *c, const char *code, const char *ru,
    const char *en, int hint)
{
	return review_answer(c, code, review_text(c->list, "Решение не "
	    "принято", "No decision recorded"), review_text(c->list, ru, en),
	    hint);
}

/* Carry out a found decision on an open assignment. */
static int
review_carry_out(struct review_ctx *c, const struct review_assignment *a,
    const struct submission *sub, enum review_decision d,
    const char *comment)
{
	const struct list_config	*l = c->list;
	const char			*state = sub->state;
	char				*text;
	int				 rc;

	if ((rc = review_record(c->site, l, a, sub, d, comment, &state)) ==
	    -1)
		return -1;
	if (rc == 1)
		return review_refuse(c, sub->code, "По этому назначению решение "
		    "уже принято. Ничего не изменено.", "This assignment has "
		    "been decided already. Nothing was changed.", 0);
	log_info("review: %s: %s version %lld: %s by %s; now %s", l->name,
	    sub->code, (long long)sub->version, review_decision_name(d),
	    a->reviewer, state);
	if (strcmp(state, "review") != 0 &&
	    review_tell_author(c->site, l, sub, d, comment) == -1)
		log_warnx("review: %s: cannot queue the decision for the "
		    "author", sub->code);
	text = strcmp(state, "review") == 0 ? xasprintf(REVIEW_TEXT(l,
	    "Ваше решение по разработке %s записано. Разработка ждёт решений "
	    "других экспертов.", "Your decision on %s has been recorded. The "
	    "development waits for the other reviewers."), sub->code) :
	    xasprintf(REVIEW_TEXT(l, "Ваше решение по разработке %s «%s» "
	    "записано: %s.\nАвтор получил уведомление%s.", "Your decision on "
	    "%s \"%s\" has been recorded: %s.\nThe author has been told%s."),
	    sub->code, sub->title, d == REVIEW_APPROVE ? review_text(l,
	    "одобрено", "approved") : d == REVIEW_REVISE ? review_text(l,
	    "на доработку", "revise") : review_text(l, "отклонено",
	    "rejected"), *comment ? review_text(l, " с вашими замечаниями",
	    " with your comments") : "");
	(void)review_answer(c, sub->code, review_text(l, "Решение принято",
	    "Decision recorded"), text, 0);
	free(text);
	if (strcmp(state, "approved") == 0)
		return review_publish(c->site, l, sub->id);
	return 0;
}

/* The assignment is no longer open: say why, and finish a publication
 * that a failure cut short. */
static int
review_closed(struct review_ctx *c, const struct review_assignment *a,
    const struct submission *sub)
{
	if (strcmp(sub->state, "approved") == 0 && sub->post_id == 0 &&
	    review_publish(c->site, c->list, sub->id) == -1)
		return -1;
	if (strcmp(a->state, "reassigned") == 0)
		return review_refuse(c, sub->code, "Эта разработка передана "
		    "другому эксперту, потому что срок ответа истёк.\nНичего "
		    "не изменено.", "This development has been passed to "
		    "another reviewer because the time for an answer was "
		    "over.\nNothing was changed.", 0);
	return review_refuse(c, sub->code, "По этой разработке решение уже "
	    "принято. Ничего не изменено.", "This development has been "
	    "decided already. Nothing was changed.", 0);
}

static int
review_with_assignment(struct review_ctx *c, const struct review_assignment *a,
    const char *envelope_sender)
{
	struct submission	 sub;
	enum review_decision	 d;
	char			*comment = NULL;
	int			 rc;

	if ((rc = submission_get(c->site->db, a->submission_id, &sub)) != 0)
		return rc == -1 ? -1 : review_refuse(c, NULL, "Адрес, на "
		    "который пришёл ответ, не относится ни к одной разработке.",
		    "The address your reply came to belongs to no "
		    "development.", 0);
	if (sub.list_id != site_list_id(c->site, c->list))
		rc = review_refuse(c, NULL, "Адрес, на который пришёл ответ, не "
		    "относится ни к одной разработке этого списка.\nНичего не "
		    "изменено.", "The address your reply came to belongs to no "
		    "development of this list.\nNothing was changed.", 0);
	else if (!review_is_assigned(c->site, a, c->msg, envelope_sender)) {
		log_info("review: %s: decision on %s from %s refused: not the "
		    "assigned reviewer", c->list->name, sub.code,
		    envelope_sender);
		rc = review_refuse(c, sub.code, "Решение по этой разработке "
		    "может принять только эксперт, которому она\nназначена. "
		    "Ваш адрес не он, поэтому ничего не изменено.", "Only the "
		    "reviewer this development was assigned to may decide on "
		    "it.\nYour address is not that reviewer's, so nothing was "
		    "changed.", 0);
	} else if (strcmp(a->state, "open") != 0 ||
	    strcmp(sub.state, "review") != 0 || a->version != sub.version)
		rc = review_closed(c, a, &sub);
	else if ((d = review_decision_parse(c->msg->text, c->msg->subject,
	    &comment)) == REVIEW_NONE)
		rc = review_refuse(c, sub.code, "В ответе не найдено слово "
		    "решения, поэтому ничего не изменено:\nразработка "
		    "по-прежнему ждёт вашего решения.", "Your reply has no "
		    "decision word in it, so nothing was changed:\nthe "
		    "development is still waiting for your decision.", 1);
	else
		rc = review_carry_out(c, a, &sub, d, comment);
	free(comment);
	submission_free(&sub);
	return rc;
}

int
review_reply(struct site *s, const struct route *rt, const struct message *m,
    const char *envelope_sender)
{
	struct review_assignment	 a;
	struct review_ctx		 c;
	char				 tok[ROUTE_TOKEN_MAX + 1];
	int				 rc;

	if (rt->list == NULL)
		return 0;
	memset(&c, 0, sizeof c);
	c.site = s;
	c.list = rt->list;
	c.msg = m;
	c.to = envelope_sender;
	str_lcpy(tok, rt->token, sizeof tok);
	str_lower_ascii(tok);
	if ((rc = review_by_token(s->db, tok, &a)) == -1)
		return -1;
	if (rc == 1) {
		log_info("review: %s: unknown review token from %s",
		    rt->list->name, envelope_sender);
		return review_refuse(&c, NULL, "Адрес, на который пришёл ваш "
		    "ответ, не относится ни к одной разработке\n(возможно, он "
		    "искажён). Ничего не изменено.", "The address your reply "
		    "came to belongs to no development (perhaps it\nwas "
		    "altered). Nothing was changed.", 0);
	}
	rc = review_with_assignment(&c, &a, envelope_sender);
	review_assignment_free(&a);
	return rc;
}

/* ---- reminders and reassignment ----------------------------------------- */

/* Everyone on this version already (open or decided), for exclusion. */
static char **
review_on_version(struct site *s, const struct submission *sub, size_t *n)
{
	struct review_assignment	*v;
	size_t				 nv, i;
	char				**out = NULL;

	*n = 0;
	if (review_list(s->db, sub->id, &v, &nv) == -1)
		return NULL;
	out = xreallocarray(NULL, nv + 1, sizeof *out);
	for (i = 0; i < nv; i++)
		if (v[i].version == sub->version)
			out[(*n)++] = xstrdup(v[i].reviewer);
	review_list_free(v, nv);
	return out;
}

/* Hand an overdue assignment to the next reviewer: 1 done, 0 no one. */
static int
review_reassign(struct site *s, const struct list_config *l,
    const struct review_assignment *a, const struct submission *sub,
    time_t now)
{
	char	**ex;
	size_t	  nex;
	int	  rc;

	if ((ex = review_on_version(s, sub, &nex)) == NULL)
		return -1;
	if (review_next_reviewer(s->cfg, l, a->reviewer, sub->author, ex,
	    nex) == NULL) {
		str_array_free(ex, nex);
		return 0;
	}
	if (db_begin(s->db) == -1) {
		str_array_free(ex, nex);
		return -1;
	}
	if ((rc = review_mark_reassigned(s->db, a->id)) == 0)
		rc = review_assign_reviewers(s, l, sub, 1, ex, nex, now) == 1 ?
		    1 : -1;
	if (rc == -1 || db_commit(s->db) == -1) {
		db_rollback(s->db);
		rc = -1;
	} else if (rc == 1)
		log_info("review: %s: %s: %s did not answer in %d days; "
		    "reassigned", l->name, sub->code, a->reviewer,
		    l->review_reassign_days);
	str_array_free(ex, nex);
	return rc;
}

static int
review_remind(struct site *s, const struct list_config *l,
    const struct review_assignment *a, const struct submission *sub,
    time_t now)
{
	int	rc;

	if (db_begin(s->db) == -1)
		return -1;
	rc = review_queue(s, l, review_letter(s, l, sub, a->reviewer,
	    a->token, 1), a->reviewer);
	if (rc == 0)
		rc = review_mark_reminded(s->db, a->id, now);
	if (rc == -1 || db_commit(s->db) == -1) {
		db_rollback(s->db);
		return -1;
	}
	log_info("review: %s: %s: %s reminded", l->name, sub->code,
	    a->reviewer);
	return 1;
}

/* One open assignment: reminded, reassigned or left; things done, -1. */
static int
review_due_one(struct site *s, int64_t id, time_t now)
{
	const struct list_config	*l;
	struct review_assignment	 a;
	struct submission		 sub;
	int				 rc = 0;

	if ((rc = review_get(s->db, id, &a)) != 0)
		return rc == 1 ? 0 : -1;
	if (submission_get(s->db, a.submission_id, &sub) != 0) {
		review_assignment_free(&a);
		return 0;
	}
	/* An assignment of an earlier version waits for nothing. */
	if ((l = config_list(s->cfg, sub.list)) != NULL &&
	    strcmp(sub.state, "review") == 0 && a.version == sub.version) {
		if (now - a.assigned >= (time_t)l->review_reassign_days *
		    REVIEW_DAY)
			rc = review_reassign(s, l, &a, &sub, now);
		if (rc == 0 && a.reminded == 0 && now - a.assigned >=
		    (time_t)l->review_remind_days * REVIEW_DAY)
			rc = review_remind(s, l, &a, &sub, now);
	}
	submission_free(&sub);
	review_assignment_free(&a);
	return rc;
}

/* Approved submissions whose announcement a crash cut short. */
static int
review_publish_pending(struct site *s)
{
	const struct list_config	*l;
	struct submission		 sub;
	int64_t				*ids;
	size_t				 n, i;
	int				 rc = 0, done = 0;

	if (submission_unpublished(s->db, &ids, &n) == -1)
		return -1;
	for (i = 0; i < n && rc != -1; i++) {
		if ((rc = submission_get(s->db, ids[i], &sub)) != 0)
			continue;
		if ((l = config_list(s->cfg, sub.list)) != NULL &&
		    (rc = review_publish(s, l, sub.id)) == 0)
			done++;
		submission_free(&sub);
	}
	free(ids);
	return rc == -1 ? -1 : done;
}

int
review_run(struct site *s, time_t now)
{
	int64_t	*ids;
	size_t	 n, i;
	int	 rc, done;

	if ((done = review_publish_pending(s)) == -1)
		return -1;
	if (review_open_before(s->db, now - REVIEW_DAY, 0, &ids, &n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((rc = review_due_one(s, ids[i], now)) == -1) {
			free(ids);
			return -1;
		}
		done += rc;
	}
	free(ids);
	return done;
}
