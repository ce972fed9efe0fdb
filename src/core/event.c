/*
 * event: see event.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/command.h"
#include "core/digest.h"
#include "core/event.h"
#include "core/policy.h"
#include "core/reply.h"
#include "core/site.h"
#include "mail/address.h"
#include "mail/charset.h"
#include "mail/datetime-ru.h"
#include "mail/header.h"
#include "mail/ical.h"
#include "store/db.h"
#include "store/event.h"
#include "store/member.h"
#include "store/queue.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/strutil.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#define EVENT_WHEN_SHOWN	10	/* dates spelled out in the answer */
#define EVENT_HORIZON		(366 * 86400)

/* What one announcement gave, before it is recorded. */
struct event_set {
	struct ical_event	*v;
	size_t			 n;
	const char		*ics;		/* the attached calendar */
	size_t			 ics_len;
	char			 token[33];
};

void
event_when(time_t start, time_t end, int all_day, const char *lang,
    char *out, size_t sz)
{
	struct tm	a, b;
	char		day[64], eday[64];

	time_human_date(start, lang, day, sizeof day);
	localtime_r(&start, &a);
	if (end != 0)
		localtime_r(&end, &b);
	if (all_day && end != 0 && end - start > 86400) {
		time_human_date(end - 86400, lang, eday, sizeof eday);
		snprintf(out, sz, "%s – %s", day, eday);
	} else if (all_day)
		snprintf(out, sz, "%s", day);
	else if (end == 0)
		snprintf(out, sz, "%s, %02d:%02d", day, a.tm_hour, a.tm_min);
	else if (a.tm_yday == b.tm_yday && a.tm_year == b.tm_year)
		snprintf(out, sz, "%s, %02d:%02d–%02d:%02d", day, a.tm_hour,
		    a.tm_min, b.tm_hour, b.tm_min);
	else {
		time_human_date(end, lang, eday, sizeof eday);
		snprintf(out, sz, "%s, %02d:%02d – %s, %02d:%02d", day,
		    a.tm_hour, a.tm_min, eday, b.tm_hour, b.tm_min);
	}
}

/* --- reading a letter ---------------------------------------------------- */

static const char *const event_labels_date[] = {
	"дата", "когда", "дата и время", "начало", "date", "when", "start"
};
static const char *const event_labels_time[] = { "время", "time" };
static const char *const event_labels_place[] = {
	"место", "где", "адрес", "место проведения", "place", "where",
	"location", "venue"
};
static const char *const event_labels_link[] = {
	"ссылка", "подключение", "трансляция", "link", "url", "online"
};
static const char *const event_labels_title[] = {
	"название", "мероприятие", "тема", "title", "event", "what"
};

static int
event_label_in(const char *label, const char *const *set, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(label, set[i]) == 0)
			return 1;
	return 0;
}

#define EVENT_LABEL(l, set)	event_label_in(l, set, sizeof set / sizeof set[0])

struct event_draft {
	char			*title;
	char			*place;
	char			*url;
	struct buf		 desc;
	struct datetime_range	 dr;
	int			 has_date;
};

/* The first http(s) URL of s, or NULL. */
static char *
event_url_in(const char *s)
{
	const char	*p = strstr(s, "https://"), *e;

	if (p == NULL)
		p = strstr(s, "http://");
	if (p == NULL)
		return NULL;
	for (e = p; *e != '\0' && *e != ' ' && *e != '\t' && *e != '>' &&
	    *e != '"'; e++)
		;
	return xstrndup(p, (size_t)(e - p));
}

static void
event_set_str(char **dst, const char *v)
{
	if (*dst == NULL && *v != '\0')
		*dst = xstrdup(v);
}

/* One line "Label: value": 1 used, 0 not a known label. */
static int
event_labelled(struct event_draft *d, char *line)
{
	char	*colon = strchr(line, ':'), *label, *value;
	int	 used = 1;

	if (colon == NULL || colon - line > 40)
		return 0;
	*colon = '\0';
	label = charset_fold(str_trim(line), 64);
	value = str_trim(colon + 1);
	if (EVENT_LABEL(label, event_labels_date))
		d->has_date = d->has_date || datetime_parse(value, &d->dr);
	else if (EVENT_LABEL(label, event_labels_time))
		(void)datetime_parse_times(value, &d->dr);
	else if (EVENT_LABEL(label, event_labels_place))
		event_set_str(&d->place, value);
	else if (EVENT_LABEL(label, event_labels_link)) {
		if (d->url == NULL)
			d->url = event_url_in(value);
	} else if (EVENT_LABEL(label, event_labels_title)) {
		free(d->title);
		d->title = xstrdup(value);
	} else
		used = 0;
	free(label);
	if (!used)
		*colon = ':';
	return used;
}

static int
event_text_end(const char *line)
{
	return strcmp(line, "--") == 0 || strcmp(line, "-- ") == 0 ||
	    strncmp(line, "-----", 5) == 0;
}

static void
event_read_text(struct event_draft *d, const char *text)
{
	char	*copy = xstrdup(text), *p = copy, *line, *t;

	while ((line = strsep(&p, "\n")) != NULL) {
		if (event_text_end(line))
			break;
		t = str_trim(line);
		if (*t == '>' || event_labelled(d, t))
			continue;
		if (!d->has_date && datetime_parse(t, &d->dr)) {
			d->has_date = 1;
			continue;
		}
		if (*t == '\0' && d->desc.len == 0)
			continue;
		buf_addf(&d->desc, "%s\n", t);
	}
	free(copy);
	while (d->desc.len > 0 && d->desc.data[d->desc.len - 1] == '\n' &&
	    d->desc.len > 1 && d->desc.data[d->desc.len - 2] == '\n')
		d->desc.len--;
}

static time_t
event_local(const struct datetime_range *dr, int minute)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = dr->year - 1900;
	tm.tm_mon = dr->month - 1;
	tm.tm_mday = dr->day;
	tm.tm_hour = minute / 60;
	tm.tm_min = minute % 60;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* The letter as one event in set; 0, or 1 when it names no date. */
static int
event_from_letter(const struct message *m, struct event_set *set)
{
	struct event_draft	 d;
	struct ical_event	*e;
	char			*subject;

	memset(&d, 0, sizeof d);
	buf_init(&d.desc);
	event_read_text(&d, m->text != NULL ? m->text : "");
	if (!d.has_date) {
		free(d.title);
		free(d.place);
		free(d.url);
		buf_free(&d.desc);
		return 1;
	}
	subject = command_subject_strip(m->subject);
	set->v = xcalloc(1, sizeof *set->v);
	set->n = 1;
	e = &set->v[0];
	e->summary = d.title != NULL ? d.title : subject;
	if (e->summary != subject)
		free(subject);
	if (*e->summary == '\0') {
		free(e->summary);
		e->summary = xstrdup("—");
	}
	e->location = d.place;
	e->url = d.url != NULL ? d.url : d.place ? event_url_in(d.place) :
	    NULL;
	e->description = d.desc.len > 0 ? buf_detach(&d.desc) : NULL;
	buf_free(&d.desc);
	e->all_day = d.dr.start_min < 0;
	e->start = event_local(&d.dr, e->all_day ? 0 : d.dr.start_min);
	e->end = d.dr.end_min >= 0 ? event_local(&d.dr, d.dr.end_min) : 0;
	if (e->end != 0 && e->end <= e->start)
		e->end += 86400;	/* past midnight */
	e->uid = NULL;		/* given when recorded */
	return 0;
}

static int
event_is_ics(const struct message_attachment *a)
{
	size_t	n = a->filename ? strlen(a->filename) : 0;

	return (a->content_type != NULL &&
	    (strcmp(a->content_type, "text/calendar") == 0 ||
	    strcmp(a->content_type, "application/ics") == 0)) ||
	    (n > 4 && strcasecmp(a->filename + n - 4, ".ics") == 0);
}

/* Events of the first attached calendar: 0 found, 1 none. */
static int
event_from_ics(const struct message *m, time_t now, struct event_set *set)
{
	size_t	i;

	for (i = 0; i < m->nattachments; i++) {
		if (!event_is_ics(&m->attachments[i]))
			continue;
		if (ical_parse(m->attachments[i].data, m->attachments[i].len,
		    now - 86400, now + EVENT_HORIZON, EVENT_MAX_OCCURRENCES,
		    &set->v, &set->n) == 0 && set->n > 0) {
			set->ics = m->attachments[i].data;
			set->ics_len = m->attachments[i].len;
			return 0;
		}
		ical_free(set->v, set->n);
		set->v = NULL;
		set->n = 0;
	}
	return 1;
}

/* --- answers ------------------------------------------------------------- */

static int
event_answer(struct site *s, const struct list_config *l, const char *to,
    const struct message *m, const char *tmpl, struct template_var *v,
    size_t nv, const char *reply_to)
{
	struct reply	r;

	memset(&r, 0, sizeof r);
	r.template = tmpl;
	r.list = l;
	r.to = to;
	r.orig = m;
	r.vars = v;
	r.nvars = nv;
	r.reply_to = reply_to;
	return reply_send(s, &r) == -1 ? -1 : 0;
}

static int
event_result(struct site *s, const struct list_config *l, const char *to,
    const struct message *m, const char *title, const char *result)
{
	struct template_var	v[3];

	v[0] = (struct template_var){ "result_title", title };
	v[1] = (struct template_var){ "result", result };
	v[2] = (struct template_var){ "hint", "" };
	return event_answer(s, l, to, m, "event-result", v, 3, NULL);
}

static int
event_en(const struct list_config *l)
{
	return strcmp(l->language, "en") == 0;
}

/* The dates of the set, one a line, the first EVENT_WHEN_SHOWN. */
static char *
event_when_list(const struct event_set *set, const char *lang)
{
	struct buf	b;
	char		when[128];
	size_t		i;

	buf_init(&b);
	for (i = 0; i < set->n && i < EVENT_WHEN_SHOWN; i++) {
		event_when(set->v[i].start, set->v[i].end, set->v[i].all_day,
		    lang, when, sizeof when);
		buf_addf(&b, "  %s\n", when);
	}
	if (set->n > EVENT_WHEN_SHOWN)
		buf_addf(&b, strcmp(lang, "en") == 0 ? "  ... and %zu more\n" :
		    "  ... и ещё %zu\n", set->n - EVENT_WHEN_SHOWN);
	return buf_detach(&b);
}

static int
event_confirm(struct site *s, const struct list_config *l, const char *to,
    const struct message *m, const struct event_set *set)
{
	const struct ical_event	*e = &set->v[0];
	struct template_var	 v[7];
	char			*when, *cancel, *suffix, count[24];
	int			 rc;

	when = event_when_list(set, l->language);
	suffix = xasprintf("+event-%s", set->token);
	cancel = site_list_address(s->cfg, l, suffix);
	snprintf(count, sizeof count, "%zu", set->n);
	v[0] = (struct template_var){ "title", e->summary };
	v[1] = (struct template_var){ "when", when };
	v[2] = (struct template_var){ "place", e->location ? e->location :
	    "—" };
	v[3] = (struct template_var){ "link", e->url ? e->url : "—" };
	v[4] = (struct template_var){ "description", e->description ?
	    e->description : "—" };
	v[5] = (struct template_var){ "count", count };
	v[6] = (struct template_var){ "cancel_address", cancel };
	rc = event_answer(s, l, to, m, "event-confirm", v, 7, cancel);
	free(cancel);
	free(suffix);
	free(when);
	return rc;
}

/* --- the members' copy --------------------------------------------------- */

static char *
event_notice_text(struct site *s, const struct list_config *l,
    const struct event_set *set, char **subject)
{
	const struct ical_event	*e = &set->v[0];
	struct template_var	 v[7];
	struct template_text	 t;
	char			*when, *text = NULL, *post;

	when = event_when_list(set, l->language);
	post = site_list_address(s->cfg, l, "");
	v[0] = (struct template_var){ "title", e->summary };
	v[1] = (struct template_var){ "when", when };
	v[2] = (struct template_var){ "place", e->location ? e->location :
	    "—" };
	v[3] = (struct template_var){ "link", e->url ? e->url : "—" };
	v[4] = (struct template_var){ "description", e->description ?
	    e->description : "" };
	v[5] = (struct template_var){ "list_title", l->title };
	v[6] = (struct template_var){ "list_address", post };
	if (template_render(s->cfg->templates_dir, l->language,
	    "event-notice", v, 7, &t) == 0) {
		text = t.body;
		*subject = t.subject;
	}
	free(post);
	free(when);
	return text;
}

/* The letter to members with the calendar attached; its path or NULL. */
static char *
event_notice_write(struct site *s, const struct list_config *l,
    const struct event_set *set)
{
	struct buf	 b;
	char		*text, *subject = NULL, *ics, *enc, *from, *to, *hdr;
	char		 date[64], id[25], name[64], *path;

	if ((text = event_notice_text(s, l, set, &subject)) == NULL)
		return NULL;
	ics = set->ics != NULL ? xstrndup(set->ics, set->ics_len) :
	    ical_make(&set->v[0], "-//metodist//events//RU");
	time_rfc5322(time(NULL), date, sizeof date);
	rnd_hex(id, 12);
	from = site_list_address(s->cfg, l, "");
	to = header_encode_address(l->title, from);
	enc = header_encode(subject, strlen("Subject"));
	hdr = digest_list_headers(s->cfg, l);
	buf_init(&b);
	buf_addf(&b, "From: %s\nTo: %s\nSubject: %s\nDate: %s\n"
	    "Message-ID: <event.%s@%s>\nMIME-Version: 1.0\n%s"
	    "Content-Type: multipart/mixed; boundary=\"=_ev%s\"\n\n"
	    "--=_ev%s\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n%s\n--=_ev%s\n"
	    "Content-Type: text/calendar; charset=utf-8; method=PUBLISH\n"
	    "Content-Disposition: attachment; filename=\"event.ics\"\n"
	    "Content-Transfer-Encoding: 8bit\n\n%s\n--=_ev%s--\n", to, to,
	    enc, date, id, s->cfg->domain, hdr, id, id, text, id, ics, id);
	snprintf(name, sizeof name, "event-%s.eml", id);
	path = site_store_file(s, s->queue_dir, name, b.data, b.len);
	buf_free(&b);
	free(hdr);
	free(enc);
	free(to);
	free(from);
	free(ics);
	free(subject);
	free(text);
	return path;
}

struct event_fanout {
	sqlite3	*db;
	int64_t	 outbound;
	int64_t	 count;
};

static int
event_add_member(void *arg, const struct member *m)
{
	struct event_fanout	*f = arg;

	if (queue_add_recipient(f->db, f->outbound, m->address) == -1)
		return -1;
	f->count++;
	return 0;
}

static int
event_queue_notice(struct site *s, const struct list_config *l,
    int64_t lid, const char *path)
{
	struct event_fanout	 f = { s->db, 0, 0 };
	char			*envelope;

	envelope = site_list_address(s->cfg, l, "+bounces");
	f.outbound = queue_outbound(s->db, "notice", lid, 0, path, envelope);
	free(envelope);
	if (f.outbound == -1 ||
	    member_foreach(s->db, lid, "normal", event_add_member, &f) != 0 ||
	    member_foreach(s->db, lid, "digest", event_add_member, &f) != 0)
		return -1;
	log_info("event: %s: sent to %lld members", l->name,
	    (long long)f.count);
	return 0;
}

/* --- recording ----------------------------------------------------------- */

/* The token of an announcement recorded before (a letter processed
 * again after a crash), into set->token; 1 found, 0 not, -1 error. */
static int
event_known_token(struct site *s, int64_t lid, const char *uid,
    struct event_set *set)
{
	sqlite3_stmt	*st;
	int		 rc;

	st = db_stmt(s->db, "SELECT token FROM events WHERE list_id = ?1 AND "
	    "uid = ?2 AND starts = ?3", "iti", lid, uid,
	    (int64_t)set->v[0].start);
	if (st == NULL)
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(set->token, sizeof set->token, "%s",
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int
event_insert_set(struct site *s, int64_t lid, const struct event_set *set,
    const char *author, int *added)
{
	struct event_row	r;
	size_t			i;
	int			rc;

	for (i = 0; i < set->n; i++) {
		memset(&r, 0, sizeof r);
		r.list_id = lid;
		r.source = set->ics != NULL ? "ics" : "mail";
		r.uid = set->v[i].uid;
		r.title = set->v[i].summary;
		r.starts = set->v[i].start;
		r.ends = set->v[i].end;
		r.all_day = set->v[i].all_day;
		r.place = set->v[i].location;
		r.url = set->v[i].url;
		r.description = set->v[i].description;
		r.author = author;
		r.token = set->token;
		if ((rc = event_insert(s->db, &r)) == -1)
			return -1;
		*added += rc == 0;
	}
	return 0;
}

static int
event_record(struct site *s, const struct list_config *l,
    struct event_set *set, const char *author, const char *uid)
{
	char	*notice = NULL;
	int64_t	 lid = site_list_id(s, l);
	size_t	 i;
	int	 known, added = 0, ok = 0;

	for (i = 0; i < set->n; i++)
		if (set->v[i].uid == NULL)
			set->v[i].uid = xstrdup(uid);
	if ((known = event_known_token(s, lid, set->v[0].uid, set)) == -1)
		return -1;
	if (!known)
		rnd_hex(set->token, 16);
	if (!known && l->event_notify &&
	    (notice = event_notice_write(s, l, set)) == NULL)
		return -1;
	if (db_begin(s->db) == -1) {
		free(notice);
		return -1;
	}
	if (event_insert_set(s, lid, set, author, &added) == 0 &&
	    (notice == NULL || added == 0 ||
	    event_queue_notice(s, l, lid, notice) == 0) &&
	    db_commit(s->db) == 0)
		ok = 1;
	else
		db_rollback(s->db);
	free(notice);
	if (ok)
		log_info("event: %s: \"%s\", %zu occurrences (%d new) from %s",
		    l->name, set->v[0].summary, set->n, added, author);
	return ok ? 0 : -1;
}

/* --- the handler --------------------------------------------------------- */

static int
event_unclear(struct site *s, const struct list_config *l, const char *to,
    const struct message *m)
{
	return event_answer(s, l, to, m, "event-unclear", NULL, 0, NULL);
}

static int
event_announce(struct site *s, const struct list_config *l, const char *to,
    const struct message *m, const char *author, const char *key)
{
	struct event_set	 set;
	char			*uid;
	int			 rc;

	memset(&set, 0, sizeof set);
	if (event_from_ics(m, time(NULL), &set) != 0 &&
	    event_from_letter(m, &set) != 0) {
		log_info("event: %s: no date in the letter from %s", l->name,
		    author);
		return event_unclear(s, l, to, m);
	}
	uid = xasprintf("mail.%s@%s", m->message_id != NULL ?
	    m->message_id : key, s->cfg->domain);
	rc = event_record(s, l, &set, author, uid);
	if (rc == 0)
		rc = event_confirm(s, l, to, m, &set);
	free(uid);
	ical_free(set.v, set.n);
	return rc;
}

static int
event_cancel_word(const char *line)
{
	char	*f = charset_fold(line, 200);
	int	 yes;

	yes = strncmp(f, "отмен", strlen("отмен")) == 0 ||
	    strncmp(f, "cancel", 6) == 0 || strncmp(f, "withdraw", 8) == 0;
	free(f);
	return yes;
}

/*
 * Does the reply ask to withdraw?  The Subject without its "Re:", or one
 * of the first lines the coordinator wrote, begins with the word; the
 * quoted confirmation (which names the word itself) is not read.
 */
static int
event_wants_cancel(const struct message *m)
{
	char	*subject, *copy, *p, *line, *t;
	int	 yes, seen = 0;

	subject = command_subject_strip(m->subject);
	yes = event_cancel_word(subject);
	free(subject);
	copy = xstrdup(m->text != NULL ? m->text : "");
	for (p = copy; !yes && seen < 5 && (line = strsep(&p, "\n")) != NULL;) {
		t = str_trim(line);
		if (*t == '>' || strstr(t, "wrote:") != NULL ||
		    strstr(t, "пишет:") != NULL || strncmp(t, "-----", 5) == 0)
			break;
		if (*t == '\0')
			continue;
		seen++;
		yes = event_cancel_word(t);
	}
	free(copy);
	return yes;
}

static int
event_withdraw(struct site *s, const struct list_config *l, const char *to,
    const struct message *m, const char *token)
{
	char	*text;
	int	 n, en = event_en(l), rc;

	if (!event_wants_cancel(m))
		return event_result(s, l, to, m, en ? "Nothing changed" :
		    "Ничего не изменено", en ? "To withdraw the event, reply "
		    "with the word \"cancel\"." : "Чтобы отменить мероприятие, "
		    "ответьте словом «отменить».");
	if ((n = event_cancel(s->db, site_list_id(s, l), token)) == -1)
		return -1;
	log_info("event: %s: token %s withdrawn by %s (%d)", l->name, token,
	    to, n);
	if (n == 0)
		return event_result(s, l, to, m, en ? "Nothing to cancel" :
		    "Отменять нечего", en ? "This event is already cancelled "
		    "or unknown." : "Это мероприятие уже отменено или не "
		    "найдено.");
	text = xasprintf(en ? "The event is cancelled (%d dates). Members "
	    "will not see it in the newsletter." : "Мероприятие отменено "
	    "(дат: %d). В рассылке его больше не будет.", n);
	rc = event_result(s, l, to, m, en ? "Event cancelled" :
	    "Мероприятие отменено", text);
	free(text);
	return rc;
}

int
event_handle(struct site *s, const struct route *rt, const struct message *m,
    const char *envelope_sender)
{
	const struct list_config	*l = rt->list;
	char				*author;
	int				 rc;

	author = m->from_addr ? address_normalize(m->from_addr) : NULL;
	if (author == NULL || !config_is_coordinator(s->cfg, l, author) ||
	    (l->require_auth && !policy_authenticated(m, s->cfg->domain))) {
		log_info("event: %s: refused from %s", l->name,
		    author ? author : "?");
		free(author);
		return event_result(s, l, envelope_sender, m, event_en(l) ?
		    "Only coordinators announce events" :
		    "Объявлять мероприятия могут только координаторы",
		    event_en(l) ? "Events are announced by the list's "
		    "coordinators. Please write to them: they will announce "
		    "yours." : "Мероприятия в списке объявляют его "
		    "координаторы. Напишите им — они объявят ваше.");
	}
	if (rt->token[0] != '\0')
		rc = event_withdraw(s, l, envelope_sender, m, rt->token);
	else
		rc = event_announce(s, l, envelope_sender, m, author,
		    m->message_id ? m->message_id : "letter");
	free(author);
	return rc;
}
