/*
 * moderate: see moderate.h.
 *
 * A decision by reply runs in this order: the sender must be a
 * coordinator (else refused, nothing used); the reply must carry a
 * decision word (else answered, the token stays unused); the token is
 * used; the held item is decided through the same functions the shell
 * uses.  The held table is what decides once (held_decide changes only a
 * row still held), so a token already used by a reply that failed half
 * way (a temporary failure, the message processed again) simply lets the
 * decision be taken again.
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
#include "core/moderate.h"
#include "core/post.h"
#include "core/reply.h"
#include "core/site.h"
#include "mail/address.h"
#include "mail/replyscan.h"
#include "store/db.h"
#include "store/held.h"
#include "store/member.h"
#include "store/token.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/strutil.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"
#include "util/pattern.h"

#define MODERATE_MESSAGE_MAX	((size_t)256 * 1024 * 1024)
#define MODERATE_REASON_MAX	4000	/* bytes of a rejection reason */
#define MODERATE_DAY		(24 * 3600)
#define MODERATE_TOKEN_KIND	"mod"
#define MODERATE_MATCH_LIMIT	100000

/*
 * What the gateway says in its own words: short sentences put into the
 * mod-result, held-notify and held-expired templates.  %1..%9 stand for
 * the values given with them.
 */
enum moderate_say {
	SAY_WHAT_POST,
	SAY_WHAT_SUBSCRIPTION,
	SAY_HELD_SUBSCRIPTION,
	SAY_TITLE_DONE,
	SAY_TITLE_NOT_DONE,
	SAY_TITLE_REFUSED,
	SAY_POST_APPROVED,
	SAY_POST_REJECTED,
	SAY_POST_DISCARDED,
	SAY_SUB_APPROVED,
	SAY_SUB_REJECTED,
	SAY_SUB_DISCARDED,
	SAY_SUB_REFUSED,
	SAY_NOT_COORDINATOR,
	SAY_NO_WORD,
	SAY_UNKNOWN_TOKEN,
	SAY_EXPIRED_TOKEN,
	SAY_HINT,
	SAY_NO_REASON,
	SAY_APPROVED,
	SAY_REJECTED,
	SAY_EXPIRED,
	SAY_BY_EXPIRY,
	SAY_OUTCOME_POST,
	SAY_OUTCOME_SUBSCRIPTION,
	SAY_COUNT
};

struct moderate_phrase {
	const char	*ru;
	const char	*en;
};

static const struct moderate_phrase moderate_phrases[SAY_COUNT] = {
	[SAY_WHAT_POST] = { "письмо", "message" },
	[SAY_WHAT_SUBSCRIPTION] = { "заявка на подписку",
	    "subscription request" },
	[SAY_HELD_SUBSCRIPTION] = { "подписка на список — с одобрения "
	    "координатора (режим: %1)", "subscriptions to the list are "
	    "approved by a coordinator (mode: %1)" },
	[SAY_TITLE_DONE] = { "Решение принято", "Decision recorded" },
	[SAY_TITLE_NOT_DONE] = { "Решение не принято", "No decision recorded" },
	[SAY_TITLE_REFUSED] = { "Заявка на подписку отклонена",
	    "Subscription request declined" },
	[SAY_POST_APPROVED] = { "Письмо «%1» (номер %2) от %3 одобрено и "
	    "разослано участникам списка.", "The message \"%1\" (number %2) "
	    "from %3 was approved and sent to the list's members." },
	[SAY_POST_REJECTED] = { "Письмо «%1» (номер %2) от %3 отклонено.\n"
	    "Автор получил уведомление с причиной:\n\n%4", "The message "
	    "\"%1\" (number %2) from %3 was rejected.\nThe author has been "
	    "told the reason:\n\n%4" },
	[SAY_POST_DISCARDED] = { "Письмо «%1» (номер %2) от %3 удалено; "
	    "автору ничего не сообщалось.", "The message \"%1\" (number %2) "
	    "from %3 was discarded; the author was not told." },
	[SAY_SUB_APPROVED] = { "Заявка на подписку (номер %2) одобрена: %3 "
	    "теперь участник списка.", "The subscription request (number %2) "
	    "was approved: %3 is now a member of the list." },
	[SAY_SUB_REJECTED] = { "Заявка на подписку (номер %2) от %3 "
	    "отклонена.\nЗаявитель получил уведомление с причиной:\n\n%4",
	    "The subscription request (number %2) from %3 was declined.\nThe "
	    "requester has been told the reason:\n\n%4" },
	[SAY_SUB_DISCARDED] = { "Заявка на подписку (номер %2) от %3 удалена; "
	    "заявителю ничего не сообщалось.", "The subscription request "
	    "(number %2) from %3 was discarded; the requester was not told." },
	[SAY_SUB_REFUSED] = { "Координатор списка «%1» отклонил вашу заявку "
	    "на подписку.\n\nПричина: %2", "A coordinator of the list \"%1\" "
	    "has declined your subscription request.\n\nReason: %2" },
	[SAY_NOT_COORDINATOR] = { "Решения по письмам на проверке в списке "
	    "«%1»\nпринимают только его координаторы. Адрес %2\nне среди них, "
	    "поэтому ничего не изменено.", "Only the coordinators of the list "
	    "\"%1\" decide on its\nheld messages. The address %2 is not one "
	    "of them,\nso nothing was changed." },
	[SAY_NO_WORD] = { "В вашем ответе не найдено слово решения, поэтому "
	    "ничего не изменено:\nписьмо по-прежнему ждёт решения.",
	    "Your reply has no decision word in it, so nothing was changed:\n"
	    "the message is still waiting for a decision." },
	[SAY_UNKNOWN_TOKEN] = { "Адрес, на который пришёл ваш ответ, не "
	    "относится ни к одному\nписьму на проверке в этом списке "
	    "(возможно, он искажён).\nНичего не изменено.", "The address your "
	    "reply came to does not belong to any held\nmessage of this list "
	    "(perhaps it was altered). Nothing was changed." },
	[SAY_EXPIRED_TOKEN] = { "Срок для решения по этому письму истёк. "
	    "Ничего не изменено.", "The time for deciding on this message is "
	    "over. Nothing was changed." },
	[SAY_HINT] = { "Как решать: ответьте на уведомление о письме на "
	    "проверке и напишите решение первым словом ответа, над цитатой:\n"
	    "  одобрить — разослать письмо участникам;\n"
	    "  отклонить ПРИЧИНА — отказать, автор получит причину;\n"
	    "  удалить — убрать без ответа автору.\n"
	    "Можно и по-английски: approve, reject, discard.\n\n",
	    "How to decide: reply to the notice about the held message and "
	    "write your decision as the first word, above the quoted text:\n"
	    "  approve — send the message to the members;\n"
	    "  reject REASON — refuse it; the author receives the reason;\n"
	    "  discard — drop it without telling the author.\n"
	    "Russian words work too: одобрить, отклонить, удалить.\n\n" },
	[SAY_NO_REASON] = { "(причина не указана)", "(no reason given)" },
	[SAY_APPROVED] = { "одобрено", "approved" },
	[SAY_REJECTED] = { "отклонено", "rejected" },
	[SAY_EXPIRED] = { "снято с проверки: истёк срок ожидания",
	    "taken off the queue: the waiting time was over" },
	[SAY_BY_EXPIRY] = { "шлюз, автоматически",
	    "the gateway, automatically" },
	[SAY_OUTCOME_POST] = { "оно не разослано участникам",
	    "it has not been sent to the members" },
	[SAY_OUTCOME_SUBSCRIPTION] = { "заявка на подписку не выполнена",
	    "the subscription request has not been carried out" },
};

/* A reply to a coordinator's decision, and where it goes. */
struct moderate_ctx {
	struct site			*site;
	const struct list_config	*list;
	const struct message		*msg;
	const char			*to;	/* envelope sender */
	char				*who;	/* the coordinator */
};

static const char *
moderate_lang(const struct site *s, const struct list_config *l)
{
	return l != NULL ? l->language : s->cfg->language;
}

static const char *
moderate_say(enum moderate_say id, const char *lang)
{
	return strcmp(lang, "en") == 0 ? moderate_phrases[id].en :
	    moderate_phrases[id].ru;
}

/* The phrase with %1..%9 replaced by val[0..]; a new string. */
static char *
moderate_fill(enum moderate_say id, const char *lang, const char *const *val,
    size_t nval)
{
	const char	*p = moderate_say(id, lang);
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
			i = (size_t)(p[1] - '1');
			buf_adds(&b, i < nval && val[i] ? val[i] : "");
			p++;
		} else
			buf_addc(&b, *p);
	}
	return buf_detach(&b);
}

/* A delivery mode ("normal", "digest", "nomail"; "" is normal) as people
 * read it. */
/* "14 дней", "3 дня", "1 день"; "14 days". */
static void
moderate_days(int n, const char *lang, char *out, size_t sz)
{
	const char	*word;

	if (strcmp(lang, "en") == 0)
		word = n == 1 ? "day" : "days";
	else if (n % 10 == 1 && n % 100 != 11)
		word = "день";
	else if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14))
		word = "дня";
	else
		word = "дней";
	if ((size_t)snprintf(out, sz, "%d %s", n, word) >= sz)
		out[0] = '\0';
}

static time_t
moderate_lifetime(const struct site *s)
{
	int	days = s->cfg->held_expire_days > 0 ?
		    s->cfg->held_expire_days : 1;

	return (time_t)days * MODERATE_DAY;
}

/* ---- holding ---------------------------------------------------------- */

/*
 * Keep the raw message under var/held and record it together with its
 * moderation token, in one transaction.  The new id, or -1.
 */
static int64_t
moderate_record(struct site *s, const struct list_config *l,
    const char *kind, const char *sender, const char *mode,
    const struct message *m, const char *reason, char token[TOKEN_LEN + 1])
{
	char	 name[64], *path;
	int64_t	 id, lid = site_list_id(s, l);
	time_t	 life = moderate_lifetime(s);

	rnd_hex(name, 12);
	strncat(name, ".eml", sizeof name - strlen(name) - 1);
	if ((path = site_store_file(s, s->held_dir, name, m->raw,
	    m->raw_len)) == NULL)
		return -1;
	if (db_begin(s->db) == -1) {
		(void)unlink(path);
		free(path);
		return -1;
	}
	id = held_add_kind(s->db, lid, kind, sender, m->subject, reason, path,
	    time(NULL) + life);
	if (id != -1 && token_new(s->db, MODERATE_TOKEN_KIND, lid, sender,
	    mode ? mode : "", id, life, token) == -1)
		id = -1;
	if (id == -1 || db_commit(s->db) == -1) {
		db_rollback(s->db);
		(void)unlink(path);
		id = -1;
	}
	free(path);
	return id;
}

/* The coordinators' notice: the item attached, a plain Reply decides. */
static void
moderate_notify(struct site *s, const struct list_config *l,
    const struct message *m, const char *sender, const char *reason,
    int64_t id, const char *token, enum moderate_say what)
{
	const char		*lang = moderate_lang(s, l);
	struct template_var	 v[5];
	struct reply		 r;
	char			 idbuf[32], date[64], *suffix, *addr;

	snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
	time_human_date(time(NULL) + moderate_lifetime(s), lang, date,
	    sizeof date);
	suffix = xasprintf("+mod-%s", token);
	addr = site_list_address(s->cfg, l, suffix);
	v[0] = (struct template_var){ "held_id", idbuf };
	v[1] = (struct template_var){ "held_what", moderate_say(what, lang) };
	v[2] = (struct template_var){ "reason", reason };
	v[3] = (struct template_var){ "expires", date };
	v[4] = (struct template_var){ "mod_address", addr };
	memset(&r, 0, sizeof r);
	r.template = "held-notify";
	r.list = l;
	r.to = sender;
	r.orig = m;
	r.vars = v;
	r.nvars = 5;
	r.reply_to = addr;
	r.attach = m;
	if (reply_notify(s, &r, l->coordinators, l->ncoordinators) == -1)
		log_warnx("moderate: %s: cannot notify the coordinators of "
		    "held item %lld; it can be decided from the shell",
		    l->name, (long long)id);
	free(addr);
	free(suffix);
}

int
moderate_hold(struct site *s, const struct list_config *l,
    const struct message *m, const char *envelope_sender, const char *reason)
{
	struct reply	 r;
	char		 token[TOKEN_LEN + 1];
	int64_t		 id;

	if ((id = moderate_record(s, l, HELD_KIND_POST, envelope_sender, NULL,
	    m, reason, token)) == -1)
		return -1;
	log_info("moderate: %s: post from %s held as %lld (%s)", l->name,
	    envelope_sender, (long long)id, reason);
	moderate_notify(s, l, m, envelope_sender, reason, id, token,
	    SAY_WHAT_POST);
	memset(&r, 0, sizeof r);
	r.template = "held";
	r.list = l;
	r.orig = m;
	r.to = envelope_sender;
	(void)reply_send(s, &r);
	return 0;
}

int
moderate_hold_subscription(struct site *s, const struct list_config *l,
    const char *address, const char *mode, const struct message *request)
{
	const char	*val[1];
	char		 token[TOKEN_LEN + 1], *reason;
	int64_t		 id;

	if (mode == NULL || *mode == '\0')
		mode = "normal";
	val[0] = command_mode_name(l->language, mode);
	reason = moderate_fill(SAY_HELD_SUBSCRIPTION, l->language, val, 1);
	id = moderate_record(s, l, HELD_KIND_SUBSCRIPTION, address, mode,
	    request, reason, token);
	if (id != -1) {
		log_info("moderate: %s: subscription of %s (%s) held as %lld",
		    l->name, address, mode, (long long)id);
		moderate_notify(s, l, request, address, reason, id, token,
		    SAY_WHAT_SUBSCRIPTION);
	}
	free(reason);
	return id == -1 ? -1 : 0;
}

/* ---- deciding --------------------------------------------------------- */

/* Who decided a decided item, for *by: "who (state)". */
static void
moderate_first(struct site *s, int64_t id, char **by)
{
	struct held_post	h;

	if (held_get(s->db, id, &h) != 0) {
		*by = xstrdup("?");
		return;
	}
	*by = xasprintf("%s (%s)", h.decided_by, h.state);
	held_post_free(&h);
}

/* Load a held item and its list; 0, 1 decided (*by set), 2 if none, -1. */
static int
moderate_load(struct site *s, int64_t id, struct held_post *h,
    const struct list_config **l, char **by)
{
	int	rc;

	if ((rc = held_get(s->db, id, h)) != 0)
		return rc == 1 ? 2 : -1;
	if (strcmp(h->state, "held") != 0) {
		*by = xasprintf("%s (%s)", h->decided_by, h->state);
		held_post_free(h);
		return 1;
	}
	if ((*l = config_list(s->cfg, h->list)) == NULL) {
		log_warnx("moderate: held post %lld belongs to list %s, which "
		    "is no longer configured", (long long)id, h->list);
		held_post_free(h);
		return 2;
	}
	return 0;
}

/* The held message, parsed; *raw holds its bytes (free both). */
static struct message *
moderate_read(const struct held_post *h, char **raw)
{
	size_t	len;

	if ((*raw = atomicfile_read(h->path, MODERATE_MESSAGE_MAX, &len)) ==
	    NULL) {
		log_warn("moderate: %s", h->path);
		return NULL;
	}
	return message_parse(*raw, len);
}

/* Send a held post to the list as if it had just been accepted. */
static int
moderate_publish(struct site *s, const struct list_config *l,
    const struct held_post *h, const char *who)
{
	struct message	*m;
	char		*raw, key[48];
	int		 rc;

	if ((m = moderate_read(h, &raw)) == NULL)
		return -1;
	snprintf(key, sizeof key, "held-%lld", (long long)h->id);
	rc = post_distribute(s, l, m, key) == POST_TEMPFAIL ? -1 : 0;
	if (rc == 0)
		rc = held_decide(s->db, h->id, "approved", who);
	message_free(m);
	free(raw);
	return rc;
}

/* A short letter to a requester (mod-result, no hint). */
static int
moderate_tell_requester(struct site *s, const struct list_config *l,
    const char *to, enum moderate_say title, const char *text)
{
	struct template_var	 v[3];
	struct reply		 r;

	v[0] = (struct template_var){ "result_title",
	    moderate_say(title, l->language) };
	v[1] = (struct template_var){ "result", text };
	v[2] = (struct template_var){ "hint", "" };
	memset(&r, 0, sizeof r);
	r.template = "mod-result";
	r.list = l;
	r.to = to;
	r.vars = v;
	r.nvars = 3;
	return reply_send(s, &r);
}

/* Tell a new member: the list's welcome, or a short mod-result. */
static void
moderate_welcome(struct site *s, const struct list_config *l,
    const struct held_post *h)
{
	struct template_var	 v[2];
	struct reply		 r;

	v[0] = (struct template_var){ "address", h->sender };
	v[1] = (struct template_var){ "mode",
	    command_mode_name(l->language, h->mode) };
	memset(&r, 0, sizeof r);
	r.template = "welcome";
	r.list = l;
	r.to = h->sender;
	r.vars = v;
	r.nvars = 2;
	(void)reply_send(s, &r);
}

/* Add a held subscriber: the decision and the membership together. */
static int
moderate_admit(struct site *s, const struct list_config *l,
    const struct held_post *h, const char *who)
{
	int	rc;

	if (db_begin(s->db) == -1)
		return -1;
	rc = held_decide(s->db, h->id, "approved", who);
	if (rc == 0 && member_add(s->db, site_list_id(s, l), h->sender, NULL,
	    *h->mode != '\0' ? h->mode : NULL) == -1)
		rc = -1;
	if (rc == -1 || db_commit(s->db) == -1) {
		db_rollback(s->db);
		return -1;
	}
	if (rc == 0) {
		log_info("moderate: %s: %s admitted by %s", l->name,
		    h->sender, who);
		moderate_welcome(s, l, h);
	}
	return rc;
}

int
moderate_approve(struct site *s, int64_t id, const char *who, char **by)
{
	const struct list_config	*l;
	struct held_post		 h;
	int				 rc;

	if ((rc = moderate_load(s, id, &h, &l, by)) != 0)
		return rc;
	if (strcmp(h.kind, HELD_KIND_SUBSCRIPTION) == 0)
		rc = moderate_admit(s, l, &h, who);
	else
		rc = moderate_publish(s, l, &h, who);
	held_post_free(&h);
	if (rc == 1)
		moderate_first(s, id, by);
	return rc;
}

/* Tell the author (or the requester) why their item was refused. */
static void
moderate_tell_reason(struct site *s, const struct list_config *l,
    const struct held_post *h, const char *reason)
{
	struct template_var	 v[1];
	struct message		*orig;
	struct reply		 r;
	const char		*val[2];
	char			*text, *raw = NULL;

	if (reason == NULL || *reason == '\0')
		reason = moderate_say(SAY_NO_REASON, l->language);
	if (strcmp(h->kind, HELD_KIND_SUBSCRIPTION) == 0) {
		val[0] = l->title;
		val[1] = reason;
		text = moderate_fill(SAY_SUB_REFUSED, l->language, val, 2);
		(void)moderate_tell_requester(s, l, h->sender,
		    SAY_TITLE_REFUSED, text);
		free(text);
		return;
	}
	v[0] = (struct template_var){ "reason", reason };
	memset(&r, 0, sizeof r);
	r.template = "rejected";
	r.list = l;
	r.to = h->sender;
	r.orig = orig = moderate_read(h, &raw);	/* subject, In-Reply-To */
	r.vars = v;
	r.nvars = 1;
	(void)reply_send(s, &r);
	if (orig != NULL)
		message_free(orig);
	free(raw);
}

/* Reject (telling the author when tell is set); 0, 1, 2 or -1. */
static int
moderate_refuse(struct site *s, int64_t id, const char *who,
    const char *reason, int tell, char **by)
{
	const struct list_config	*l;
	struct held_post		 h;
	int				 rc;

	if ((rc = moderate_load(s, id, &h, &l, by)) != 0)
		return rc;
	if ((rc = held_decide(s->db, id, "rejected", who)) == 0) {
		log_info("moderate: %s: held %s %lld %s by %s", l->name,
		    h.kind, (long long)id, tell ? "rejected" : "discarded",
		    who);
		if (tell)
			moderate_tell_reason(s, l, &h, reason);
	}
	held_post_free(&h);
	if (rc == 1)
		moderate_first(s, id, by);
	return rc;
}

int
moderate_reject(struct site *s, int64_t id, const char *who,
    const char *reason, char **by)
{
	return moderate_refuse(s, id, who, reason, 1, by);
}

int
moderate_discard(struct site *s, int64_t id, const char *who, char **by)
{
	return moderate_refuse(s, id, who, NULL, 0, by);
}

/* ---- expiry ----------------------------------------------------------- */

static void
moderate_tell_expired(struct site *s, const struct list_config *l,
    const struct held_post *h)
{
	struct template_var	 v[3];
	struct reply		 r;
	char			 days[32];

	moderate_days(s->cfg->held_expire_days, l->language, days,
	    sizeof days);
	v[0] = (struct template_var){ "held_subject", h->subject };
	v[1] = (struct template_var){ "days", days };
	v[2] = (struct template_var){ "outcome", moderate_say(
	    strcmp(h->kind, HELD_KIND_SUBSCRIPTION) == 0 ?
	    SAY_OUTCOME_SUBSCRIPTION : SAY_OUTCOME_POST, l->language) };
	memset(&r, 0, sizeof r);
	r.template = "held-expired";
	r.list = l;
	r.to = h->sender;
	r.vars = v;
	r.nvars = 3;
	(void)reply_send(s, &r);
}

int
moderate_expire(struct site *s, int64_t id)
{
	const struct list_config	*l;
	struct held_post		 h;
	int				 rc;

	if ((rc = held_get(s->db, id, &h)) != 0)
		return rc == 1 ? 2 : -1;
	if ((rc = held_decide(s->db, id, "rejected", HELD_BY_EXPIRY)) == 0) {
		log_info("moderate: %s: held %s %lld from %s expired", h.list,
		    h.kind, (long long)id, h.sender);
		if ((l = config_list(s->cfg, h.list)) != NULL)
			moderate_tell_expired(s, l, &h);
	}
	held_post_free(&h);
	return rc;
}

/* ---- the decision in a reply ------------------------------------------ */

/* Patterns of a reply: PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS. */
static const char moderate_re_word[] =
    "^\\s*(?:(approved?|ok(?:ay)?|yes|одобрить|одобрено|одобряю|да|ок)|"
    "(reject(?:ed)?|отклонить|отклонено|отклоняю)|"
    "(discard(?:ed)?|удалить|удалено))"
    "(?![\\p{L}\\p{N}])[\\s:;,.!\\x{2013}\\x{2014}-]*";
struct moderate_grammar {
	pcre2_code		*word;
	pcre2_match_data	*md;
	pcre2_match_context	*mc;
};

/* Compiled once, on first use; the patterns are the program's own. */
static struct moderate_grammar *
moderate_grammar(void)
{
	static struct moderate_grammar	g;

	if (g.word != NULL)
		return &g;
	g.word = pattern_compile("moderate", moderate_re_word, 0);
	if ((g.md = pcre2_match_data_create(8, NULL)) == NULL ||
	    (g.mc = pcre2_match_context_create(NULL)) == NULL)
		fatalx("moderate: out of memory");
	pcre2_set_match_limit(g.mc, MODERATE_MATCH_LIMIT);
	return &g;
}

static int
moderate_match(struct moderate_grammar *g, pcre2_code *code, const char *s,
    size_t len)
{
	return pcre2_match(code, (PCRE2_SPTR)s, len, 0, 0, g->md, g->mc) > 0;
}

/* Add at most what keeps b within MODERATE_REASON_MAX, on a UTF-8
 * character boundary. */
static void
moderate_add_bounded(struct buf *b, const char *s, size_t len)
{
	size_t	room = b->len < MODERATE_REASON_MAX ?
		    MODERATE_REASON_MAX - b->len : 0;

	if (len > room) {
		len = room;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	buf_add(b, s, len);
}

/* The decision in a line, if any; *rest is the text after the word. */
static enum moderate_decision
moderate_word(struct moderate_grammar *g, const char *s, size_t len,
    struct replyscan_line *rest)
{
	PCRE2_SIZE	*ov;
	int		 i;

	if (!moderate_match(g, g->word, s, len))
		return MODERATE_NONE;
	ov = pcre2_get_ovector_pointer(g->md);
	rest->s = s + ov[1];
	rest->len = len - ov[1];
	for (i = 1; i <= 3; i++)
		if (ov[2 * i] != PCRE2_UNSET)
			break;
	return i == 1 ? MODERATE_APPROVE : i == 2 ? MODERATE_REJECT :
	    MODERATE_DISCARD;
}

/* The reason: rest of the decision line and the lines after it up to the
 * quotation, a reply header or the signature, trimmed.  A sign-off
 * ("С уважением, ...") is the coordinator's own and stays. */
static char *
moderate_reason(const struct replyscan_line *rest, struct replyscan *sc)
{
	struct replyscan_line	 ln;
	struct buf		 b;
	char			*r;

	buf_init(&b);
	moderate_add_bounded(&b, rest->s, rest->len);
	while (b.len < MODERATE_REASON_MAX && replyscan_next(sc, &ln)) {
		if (ln.kind != REPLYSCAN_BLANK && ln.kind != REPLYSCAN_TEXT &&
		    ln.kind != REPLYSCAN_SIGNOFF)
			break;
		buf_addc(&b, '\n');
		moderate_add_bounded(&b, ln.s, ln.len);
	}
	r = buf_detach(&b);
	str_trim(r);
	return r;
}

/* The decision in the text: the first line that is not quoted, empty or
 * a reply header decides, or nothing does; the signature or the start of
 * an unmarked copy of the notice ends the search. */
static enum moderate_decision
moderate_parse_text(struct moderate_grammar *g, const char *text,
    char **reason)
{
	struct replyscan	 sc;
	struct replyscan_line	 ln, rest;
	enum moderate_decision	 d;

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
			return MODERATE_NONE;
		case REPLYSCAN_SIGNOFF:
		case REPLYSCAN_TEXT:
			break;
		}
		d = moderate_word(g, ln.s, ln.len, &rest);
		if (d == MODERATE_REJECT)
			*reason = moderate_reason(&rest, &sc);
		return d;
	}
	return MODERATE_NONE;
}

/* The Subject, its "Re:" prefixes and list tag stripped as the commands'
 * are. */
static enum moderate_decision
moderate_parse_subject(struct moderate_grammar *g, const char *subject,
    char **reason)
{
	struct replyscan_line	 rest;
	enum moderate_decision	 d;
	char			*bare;

	bare = command_subject_strip(subject);
	d = moderate_word(g, bare, strlen(bare), &rest);
	if (d == MODERATE_REJECT) {
		*reason = xstrndup(rest.s, rest.len > MODERATE_REASON_MAX ?
		    MODERATE_REASON_MAX : rest.len);
		if (!str_utf8_valid(*reason, strlen(*reason)))
			**reason = '\0';
		str_trim(*reason);
	}
	free(bare);
	return d;
}

enum moderate_decision
moderate_decision_parse(const char *text, const char *subject, char **reason)
{
	struct moderate_grammar	*g = moderate_grammar();
	enum moderate_decision	 d = MODERATE_NONE;

	*reason = NULL;
	if (text != NULL)
		d = moderate_parse_text(g, text, reason);
	if (d == MODERATE_NONE && subject != NULL)
		d = moderate_parse_subject(g, subject, reason);
	return d;
}

/* ---- answering a reply ------------------------------------------------ */

/* mod-result to the coordinator; hint adds how to decide. */
static int
moderate_answer(struct moderate_ctx *c, enum moderate_say title,
    const char *text, int hint)
{
	const char		*lang = moderate_lang(c->site, c->list);
	struct template_var	 v[3];
	struct reply		 r;

	v[0] = (struct template_var){ "result_title",
	    moderate_say(title, lang) };
	v[1] = (struct template_var){ "result", text };
	v[2] = (struct template_var){ "hint",
	    hint ? moderate_say(SAY_HINT, lang) : "" };
	memset(&r, 0, sizeof r);
	r.template = "mod-result";
	r.list = c->list;
	r.to = c->to;
	r.orig = c->msg;
	r.vars = v;
	r.nvars = 3;
	return reply_send(c->site, &r) == -1 ? -1 : 0;
}

/* An answer that changed nothing: one phrase with up to two values. */
static int
moderate_answer_plain(struct moderate_ctx *c, enum moderate_say say,
    const char *a, const char *b, int hint)
{
	const char	*val[2] = { a, b };
	char		*text;
	int		 rc;

	text = moderate_fill(say, moderate_lang(c->site, c->list), val, 2);
	rc = moderate_answer(c, SAY_TITLE_NOT_DONE, text, hint);
	free(text);
	return rc;
}

/* mod-already: who decided first, how and when. */
static int
moderate_already(struct moderate_ctx *c, const struct held_post *h)
{
	const char		*lang = moderate_lang(c->site, c->list);
	struct template_var	 v[5];
	struct reply		 r;
	char			 idbuf[32], date[64];
	int			 expired;

	expired = strcmp(h->decided_by, HELD_BY_EXPIRY) == 0;
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)h->id);
	time_human_date((time_t)h->decided_at, lang, date, sizeof date);
	v[0] = (struct template_var){ "held_id", idbuf };
	v[1] = (struct template_var){ "held_subject", h->subject };
	v[2] = (struct template_var){ "decision", moderate_say(expired ?
	    SAY_EXPIRED : strcmp(h->state, "approved") == 0 ? SAY_APPROVED :
	    SAY_REJECTED, lang) };
	v[3] = (struct template_var){ "decided_by", expired ?
	    moderate_say(SAY_BY_EXPIRY, lang) : h->decided_by };
	v[4] = (struct template_var){ "decided_at", date };
	memset(&r, 0, sizeof r);
	r.template = "mod-already";
	r.list = c->list;
	r.to = c->to;
	r.orig = c->msg;
	r.vars = v;
	r.nvars = 5;
	log_info("moderate: %s: %s decided on held %lld, already decided by "
	    "%s", c->list->name, c->who, (long long)h->id, h->decided_by);
	return reply_send(c->site, &r) == -1 ? -1 : 0;
}

/* mod-result: what was done. */
static int
moderate_confirm(struct moderate_ctx *c, const struct held_post *h,
    enum moderate_decision d, const char *reason)
{
	static const enum moderate_say post[] = { SAY_POST_APPROVED,
	    SAY_POST_REJECTED, SAY_POST_DISCARDED };
	static const enum moderate_say sub[] = { SAY_SUB_APPROVED,
	    SAY_SUB_REJECTED, SAY_SUB_DISCARDED };
	const char	*lang = moderate_lang(c->site, c->list);
	const char	*val[4];
	char		 idbuf[32], *text;
	int		 rc, i = d == MODERATE_APPROVE ? 0 :
			    d == MODERATE_REJECT ? 1 : 2;

	snprintf(idbuf, sizeof idbuf, "%lld", (long long)h->id);
	val[0] = h->subject;
	val[1] = idbuf;
	val[2] = h->sender;
	val[3] = reason != NULL && *reason != '\0' ? reason :
	    moderate_say(SAY_NO_REASON, lang);
	text = moderate_fill(strcmp(h->kind, HELD_KIND_SUBSCRIPTION) == 0 ?
	    sub[i] : post[i], lang, val, 4);
	rc = moderate_answer(c, SAY_TITLE_DONE, text, 0);
	free(text);
	return rc;
}

/* The coordinator who sent the reply (envelope and From), or NULL. */
static char *
moderate_coordinator(struct site *s, const struct list_config *l,
    const struct message *m, const char *envelope_sender)
{
	char	*env, *from;
	int	 ok;

	env = address_normalize(envelope_sender);
	from = m->from_addr != NULL ? address_normalize(m->from_addr) : NULL;
	ok = env != NULL && from != NULL &&
	    config_is_coordinator(s->cfg, l, env) &&
	    config_is_coordinator(s->cfg, l, from);
	free(from);
	if (!ok) {
		free(env);
		return NULL;
	}
	return env;
}

/*
 * Use the token: 0 with *id the held item to decide, 1 answered (unknown
 * or expired token), -1.  A token used before is accepted: the held
 * table decides whether anything is left to decide.
 */
static int
moderate_take_token(struct moderate_ctx *c, const char *token, int64_t *id)
{
	struct token	t;
	char		tok[ROUTE_TOKEN_MAX + 1];
	int		rc;

	str_lcpy(tok, token, sizeof tok);
	str_lower_ascii(tok);
	rc = token_use(c->site->db, tok, MODERATE_TOKEN_KIND, c->who,
	    time(NULL), &t);
	if (rc == -1)
		return -1;
	if (rc == 1)
		return moderate_answer_plain(c, SAY_UNKNOWN_TOKEN, NULL, NULL,
		    0) == -1 ? -1 : 1;
	*id = t.held_id;
	if (t.list_id != site_list_id(c->site, c->list) || t.held_id == 0)
		rc = 1;
	token_free(&t);
	if (rc == 1)
		return moderate_answer_plain(c, SAY_UNKNOWN_TOKEN, NULL, NULL,
		    0) == -1 ? -1 : 1;
	return rc == 2 ? 2 : 0;
}

/* A reply on an expired token: already decided (by expiry, most likely),
 * or past its time. */
static int
moderate_answer_expired(struct moderate_ctx *c, int64_t id)
{
	struct held_post	h;
	int			rc;

	if ((rc = held_get(c->site->db, id, &h)) != 0)
		return rc == -1 ? -1 : moderate_answer_plain(c,
		    SAY_UNKNOWN_TOKEN, NULL, NULL, 0);
	if (strcmp(h.state, "held") == 0)
		rc = moderate_answer_plain(c, SAY_EXPIRED_TOKEN, NULL, NULL, 0);
	else
		rc = moderate_already(c, &h);
	held_post_free(&h);
	return rc;
}

/* Carry out a decision on held item id and answer the coordinator. */
static int
moderate_carry_out(struct moderate_ctx *c, int64_t id,
    enum moderate_decision d, const char *reason)
{
	struct held_post	 h;
	char			*by = NULL;
	int			 rc;

	if (d == MODERATE_APPROVE)
		rc = moderate_approve(c->site, id, c->who, &by);
	else if (d == MODERATE_REJECT)
		rc = moderate_reject(c->site, id, c->who, reason, &by);
	else
		rc = moderate_discard(c->site, id, c->who, &by);
	free(by);
	if (rc == -1)
		return -1;
	if (rc == 2)
		return moderate_answer_plain(c, SAY_UNKNOWN_TOKEN, NULL, NULL,
		    0);
	if (held_get(c->site->db, id, &h) != 0) {
		log_warnx("moderate: held %lld: cannot read it back to answer "
		    "%s", (long long)id, c->who);
		return rc == 0 ? 0 : -1;
	}
	if (rc == 0) {
		log_info("moderate: %s: held %lld decided by %s by reply",
		    c->list->name, (long long)id, c->who);
		(void)moderate_confirm(c, &h, d, reason);
	} else
		rc = moderate_already(c, &h);
	held_post_free(&h);
	return rc == -1 ? -1 : 0;
}

int
moderate_reply(struct site *s, const struct route *rt,
    const struct message *m, const char *envelope_sender)
{
	struct moderate_ctx	 c;
	enum moderate_decision	 d;
	char			*reason = NULL;
	int64_t			 id = 0;
	int			 rc;

	if (rt->list == NULL) {
		log_warnx("moderate: a moderation reply without a list");
		return 0;
	}
	memset(&c, 0, sizeof c);
	c.site = s;
	c.list = rt->list;
	c.msg = m;
	c.to = envelope_sender;
	if ((c.who = moderate_coordinator(s, rt->list, m,
	    envelope_sender)) == NULL) {
		log_info("moderate: %s: reply from %s refused: not a "
		    "coordinator", rt->list->name, envelope_sender);
		return moderate_answer_plain(&c, SAY_NOT_COORDINATOR,
		    rt->list->title, envelope_sender, 0);
	}
	if ((d = moderate_decision_parse(m->text, m->subject, &reason)) ==
	    MODERATE_NONE)
		rc = moderate_answer_plain(&c, SAY_NO_WORD, NULL, NULL, 1);
	else if ((rc = moderate_take_token(&c, rt->token, &id)) == 0)
		rc = moderate_carry_out(&c, id, d, reason);
	else if (rc == 2)
		rc = moderate_answer_expired(&c, id);
	else if (rc == 1)
		rc = 0;
	free(reason);
	free(c.who);
	return rc;
}
