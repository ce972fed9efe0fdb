/*
 * report-text: the indicator report for a terminal or a mail body (see
 * render/report.h): aligned columns, counted in characters, not bytes.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "render/report.h"
#include "util/buf.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

static const char *
tw(const struct report *r, enum report_word word)
{
	return report_word(r->lang, word);
}

static size_t
text_width(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* s left-aligned in width characters; a longer s is kept whole. */
static void
text_left(struct buf *b, const char *s, size_t width)
{
	size_t	n;

	buf_adds(b, s);
	for (n = text_width(s); n < width; n++)
		buf_addc(b, ' ');
}

static void
text_right(struct buf *b, const char *s, size_t width)
{
	size_t	n;

	for (n = text_width(s); n < width; n++)
		buf_addc(b, ' ');
	buf_adds(b, s);
}

static void
text_heading(struct buf *b, const char *title)
{
	size_t	n;

	buf_addf(b, "\n%s\n", title);
	for (n = text_width(title); n > 0; n--)
		buf_addc(b, '=');
	buf_addc(b, '\n');
}

static void
text_kv(struct buf *b, const char *k, const char *v)
{
	text_left(b, k, 48);
	buf_addf(b, " %s\n", v);
}

static void
text_kv_num(struct buf *b, const char *k, int64_t v)
{
	char	n[32];

	snprintf(n, sizeof n, "%lld", (long long)v);
	text_kv(b, k, n);
}

static void
text_kv_pct(struct buf *b, const struct report *r, const char *k,
    int64_t permille)
{
	char	p[32];

	report_percent(r->lang, permille, p, sizeof p);
	text_kv(b, k, p);
}

static void
text_muni(struct buf *b, const struct report *r, const struct report_row *m,
    const struct report *prev)
{
	const struct report_row	*pm = prev ? report_find(&prev->munis,
				    m->name) : NULL;
	char			 n[32], p[32];
	int64_t			 share = report_permille(m->v[RM_INCLUDED],
				    m->v[RM_TEACHERS]);

	text_left(b, *m->name ? m->name : tw(r, W_NOT_GIVEN), 28);
	snprintf(n, sizeof n, "%lld", (long long)m->v[RM_TEACHERS]);
	text_right(b, n, 9);
	snprintf(n, sizeof n, "%lld", (long long)m->v[RM_INCLUDED]);
	text_right(b, n, 9);
	report_percent(r->lang, share, p, sizeof p);
	text_right(b, p, 8);
	if (pm != NULL) {
		report_percent(r->lang, share - report_permille(
		    pm->v[RM_INCLUDED], pm->v[RM_TEACHERS]), p, sizeof p);
		text_right(b, p, 8);
	} else
		text_right(b, "—", 8);
	if (report_muni_flagged(m))
		buf_addf(b, "  ! %s", tw(r, W_BELOW));
	buf_addc(b, '\n');
}

static void
text_participation(struct buf *b, const struct report *r)
{
	const struct report	*prev = report_previous(r);
	size_t			 i;

	text_heading(b, tw(r, W_PARTICIPATION));
	if (*r->scope != '\0')
		buf_addf(b, "%s\n", tw(r, W_LIST_SCOPE_NOTE));
	text_kv_num(b, tw(r, W_TEACHERS), r->total[RT_TEACHERS]);
	text_kv_num(b, tw(r, W_INCLUDED), r->total[RT_INCLUDED]);
	text_kv_pct(b, r, tw(r, W_SHARE), report_permille(
	    r->total[RT_INCLUDED], r->total[RT_TEACHERS]));
	buf_addc(b, '\n');
	text_left(b, tw(r, W_MUNICIPALITY), 28);
	text_right(b, strcmp(r->lang, "en") ? "реестр" : "registry", 9);
	text_right(b, strcmp(r->lang, "en") ? "включ." : "incl.", 9);
	text_right(b, "%", 8);
	text_right(b, strcmp(r->lang, "en") ? "±п.п." : "±pts", 8);
	buf_addc(b, '\n');
	for (i = 0; i < r->munis.n; i++)
		text_muni(b, r, &r->munis.row[i], prev);
}

static void
text_lists(struct buf *b, const struct report *r)
{
	const struct report_row	*l;
	size_t			 i;

	text_heading(b, tw(r, W_ASSOCIATIONS));
	text_kv_num(b, tw(r, W_LISTS), r->total[RT_LISTS]);
	text_kv_num(b, tw(r, W_LISTS_ACTIVE), r->total[RT_LISTS_ACTIVE]);
	buf_addc(b, '\n');
	text_left(b, tw(r, W_LIST), 20);
	text_right(b, strcmp(r->lang, "en") ? "участн." : "members", 11);
	text_right(b, strcmp(r->lang, "en") ? "коорд." : "coord.", 11);
	text_right(b, strcmp(r->lang, "en") ? "сообщ." : "posts", 8);
	text_right(b, strcmp(r->lang, "en") ? "актив." : "active", 8);
	buf_addc(b, '\n');
	for (i = 0; i < r->lists.n; i++) {
		l = &r->lists.row[i];
		buf_addf(b, "%-20s %10lld %10lld %7lld ", l->name,
		    (long long)l->v[RLI_MEMBERS],
		    (long long)l->v[RLI_COORDINATORS],
		    (long long)l->v[RLI_POSTS]);
		text_right(b, tw(r, l->v[RLI_ACTIVE] ? W_YES : W_NO), 7);
		buf_addc(b, '\n');
	}
}

static void
text_materials(struct buf *b, const struct report *r)
{
	char	k[256];
	size_t	i;

	text_heading(b, tw(r, W_MATERIALS));
	text_kv_num(b, tw(r, W_SUB_NEW), r->total[RT_SUB_NEW]);
	for (i = 0; i < RS_NSTATES; i++) {
		snprintf(k, sizeof k, "%s: %s", tw(r, W_STATE),
		    report_state_word(r->lang, (int)i));
		text_kv_num(b, k, r->total[RT_SUB_STATE + i]);
	}
	for (i = 0; i < RL_NLEVELS; i++) {
		snprintf(k, sizeof k, "%s: %s", tw(r, W_APPROVED),
		    report_level_word(r->lang, (int)i));
		text_kv_num(b, k, r->total[RT_SUB_LEVEL + i]);
	}
	text_kv_num(b, tw(r, W_APPROVED_TEACHERS),
	    r->total[RT_APPROVED_TEACHERS]);
}

static void
text_health(struct buf *b, const struct report *r)
{
	const int64_t	*t = r->total;

	text_heading(b, tw(r, W_HEALTH));
	text_kv_num(b, tw(r, W_POSTS), t[RT_POSTS]);
	text_kv_num(b, tw(r, W_REPLIES), t[RT_REPLIES]);
	text_kv_pct(b, r, tw(r, W_POSTS_NC),
	    report_permille(t[RT_POSTS_NC], t[RT_POSTS]));
	text_kv_pct(b, r, tw(r, W_REPLIES_NC),
	    report_permille(t[RT_REPLIES_NC], t[RT_REPLIES]));
	text_kv_num(b, tw(r, W_REPLIES_MM), t[RT_REPLIES_MM]);
	text_kv_num(b, tw(r, W_POSTERS), t[RT_POSTERS]);
	text_kv_pct(b, r, tw(r, W_TOP_SHARE),
	    report_permille(t[RT_TOP_POSTS], t[RT_POSTS]));
	text_kv_num(b, tw(r, W_LONGTERM), t[RT_LONGTERM]);
}

/* Words of s on lines of at most width characters. */
static void
text_wrap(struct buf *b, const char *s, size_t width)
{
	size_t	col = 0, wlen, n;
	char	word[1024];

	while (*s != '\0') {
		while (*s == ' ')
			s++;
		n = strcspn(s, " ");
		if (n == 0)
			break;
		snprintf(word, sizeof word, "%.*s", (int)n, s);
		s += n;
		wlen = text_width(word);
		if (col > 0 && col + 1 + wlen > width) {
			buf_addc(b, '\n');
			col = 0;
		} else if (col > 0) {
			buf_addc(b, ' ');
			col++;
		}
		buf_adds(b, word);
		col += wlen;
	}
	buf_addc(b, '\n');
}

static void
text_definitions(struct buf *b, const struct report *r)
{
	const char *const	*d = report_definitions(r->lang);
	char			 p[2048];

	text_heading(b, tw(r, W_DEFINITIONS));
	for (; d[0] != NULL && d[1] != NULL; d += 2) {
		snprintf(p, sizeof p, "%s. %s", d[0], d[1]);
		text_wrap(b, p, 72);
		buf_addc(b, '\n');
	}
	report_matching(r->lang, r->local_ci, p, sizeof p);
	text_wrap(b, p, 72);
}

char *
report_text(const struct report *r, const char *site_name)
{
	struct buf	b;
	char		month[64], date[64];

	buf_init(&b);
	report_month_name(r->lang, r->month, month, sizeof month);
	buf_addf(&b, "%s — %s\n%s · %s\n", tw(r, W_TITLE), month, site_name,
	    *r->scope ? r->scope : tw(r, W_SITE_WIDE));
	if (r->kept) {
		time_human_date((time_t)r->computed, r->lang, date,
		    sizeof date);
		buf_addf(&b, "%s: %s\n", tw(r, W_KEPT), date);
	} else
		buf_addf(&b, "%s\n", tw(r, W_PROVISIONAL));
	text_participation(&b, r);
	text_lists(&b, r);
	text_materials(&b, r);
	text_health(&b, r);
	text_definitions(&b, r);
	return buf_detach(&b);
}
