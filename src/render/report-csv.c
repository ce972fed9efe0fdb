/*
 * report-csv: the indicator report for spreadsheets (see render/report.h).
 * A text cell that a spreadsheet would take for a formula (it starts
 * with = + - or @, as a hostile registry row might) gets a leading
 * apostrophe.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "render/report.h"
#include "util/buf.h"
#include "util/xmalloc.h"

struct csv_out {
	struct buf		 b;
	const struct report	*r;
	char			 delim;
	int			 first;		/* no cell yet on the line */
};

static void
csv_cell(struct csv_out *o, const char *s)
{
	const char	*p;
	int		 formula;

	if (!o->first)
		buf_addc(&o->b, o->delim);
	o->first = 0;
	formula = s[0] != '\0' && strchr("=+-@", s[0]) != NULL &&
	    strspn(s, "+-0123456789.,") != strlen(s);
	if (strchr(s, o->delim) == NULL && strpbrk(s, "\"\r\n") == NULL) {
		if (formula)
			buf_addc(&o->b, '\'');
		buf_adds(&o->b, s);
		return;
	}
	buf_addc(&o->b, '"');
	if (formula)
		buf_addc(&o->b, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_addc(&o->b, '"');
		buf_addc(&o->b, *p);
	}
	buf_addc(&o->b, '"');
}

static void
csv_num(struct csv_out *o, int64_t v)
{
	char	n[32];

	snprintf(n, sizeof n, "%lld", (long long)v);
	csv_cell(o, n);
}

static void
csv_pct(struct csv_out *o, int64_t permille)
{
	char	p[32];

	report_percent(o->r->lang, permille, p, sizeof p);
	csv_cell(o, p);
}

static void
csv_word(struct csv_out *o, enum report_word word)
{
	csv_cell(o, report_word(o->r->lang, word));
}

static void
csv_eol(struct csv_out *o)
{
	buf_adds(&o->b, "\r\n");
	o->first = 1;
}

static void
csv_section(struct csv_out *o, enum report_word title,
    const enum report_word *cols, size_t n)
{
	size_t	i;

	if (o->b.len > 3)
		csv_eol(o);
	csv_word(o, title);
	csv_eol(o);
	for (i = 0; i < n; i++)
		csv_word(o, cols[i]);
	if (n > 0)
		csv_eol(o);
}

static const char *
csv_muni(const struct csv_out *o, const char *name)
{
	return *name != '\0' ? name : report_word(o->r->lang, W_NOT_GIVEN);
}

static void
csv_participation(struct csv_out *o)
{
	static const enum report_word cols[] = { W_MUNICIPALITY, W_TEACHERS,
	    W_INCLUDED, W_SHARE, W_PREV_SHARE, W_CHANGE, W_BELOW };
	const struct report	*r = o->r, *prev = report_previous(r);
	const struct report_row	*m, *pm;
	int64_t			 p;
	size_t			 i;

	csv_section(o, W_PARTICIPATION, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < r->munis.n; i++) {
		m = &r->munis.row[i];
		pm = prev ? report_find(&prev->munis, m->name) : NULL;
		p = report_permille(m->v[RM_INCLUDED], m->v[RM_TEACHERS]);
		csv_cell(o, csv_muni(o, m->name));
		csv_num(o, m->v[RM_TEACHERS]);
		csv_num(o, m->v[RM_INCLUDED]);
		csv_pct(o, p);
		if (pm != NULL) {
			csv_pct(o, report_permille(pm->v[RM_INCLUDED],
			    pm->v[RM_TEACHERS]));
			csv_pct(o, p - report_permille(pm->v[RM_INCLUDED],
			    pm->v[RM_TEACHERS]));
		} else {
			csv_cell(o, "");
			csv_cell(o, "");
		}
		csv_word(o, report_muni_flagged(m) ? W_YES : W_NO);
		csv_eol(o);
	}
	csv_word(o, W_TOTAL);
	csv_num(o, r->total[RT_TEACHERS]);
	csv_num(o, r->total[RT_INCLUDED]);
	csv_pct(o, report_permille(r->total[RT_INCLUDED],
	    r->total[RT_TEACHERS]));
	csv_eol(o);
}

static void
csv_schools(struct csv_out *o)
{
	static const enum report_word cols[] = { W_MUNICIPALITY, W_SCHOOL,
	    W_TEACHERS, W_INCLUDED, W_SHARE };
	const struct report_row	*s;
	size_t			 i;

	csv_section(o, W_SCHOOLS, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < o->r->schools.n; i++) {
		s = &o->r->schools.row[i];
		csv_cell(o, csv_muni(o, s->parent));
		csv_cell(o, csv_muni(o, s->name));
		csv_num(o, s->v[RSC_TEACHERS]);
		csv_num(o, s->v[RSC_INCLUDED]);
		csv_pct(o, report_permille(s->v[RSC_INCLUDED],
		    s->v[RSC_TEACHERS]));
		csv_eol(o);
	}
}

static void
csv_lists(struct csv_out *o)
{
	const struct report_row	*l;
	size_t			 i, j;
	char			 h[256];

	csv_section(o, W_ASSOCIATIONS, NULL, 0);
	csv_word(o, W_LIST);
	csv_cell(o, "");
	csv_word(o, W_MEMBERS);
	csv_word(o, W_REG_TEACHERS);
	csv_word(o, W_COORDINATORS);
	csv_word(o, W_POSTS);
	csv_word(o, W_ACTIVE);
	for (j = 0; j < RS_NSTATES; j++)
		csv_cell(o, report_state_word(o->r->lang, (int)j));
	for (j = 0; j < RL_NLEVELS; j++) {
		snprintf(h, sizeof h, "%s: %s", report_word(o->r->lang,
		    W_APPROVED), report_level_word(o->r->lang, (int)j));
		csv_cell(o, h);
	}
	csv_eol(o);
	for (i = 0; i < o->r->lists.n; i++) {
		l = &o->r->lists.row[i];
		csv_cell(o, l->name);
		csv_cell(o, l->parent);
		csv_num(o, l->v[RLI_MEMBERS]);
		csv_num(o, l->v[RLI_TEACHERS]);
		csv_num(o, l->v[RLI_COORDINATORS]);
		csv_num(o, l->v[RLI_POSTS]);
		csv_word(o, l->v[RLI_ACTIVE] ? W_YES : W_NO);
		for (j = 0; j < RS_NSTATES + RL_NLEVELS; j++)
			csv_num(o, l->v[RLI_STATE + j]);
		csv_eol(o);
	}
}

static void
csv_materials_munis(struct csv_out *o)
{
	const struct report_row	*m;
	size_t			 i, j;
	char			 h[256];

	csv_section(o, W_MATERIALS, NULL, 0);
	csv_word(o, W_MUNICIPALITY);
	csv_word(o, W_SUBMISSIONS);
	csv_word(o, W_APPROVED);
	for (j = 0; j < RL_NLEVELS; j++) {
		snprintf(h, sizeof h, "%s: %s", report_word(o->r->lang,
		    W_APPROVED), report_level_word(o->r->lang, (int)j));
		csv_cell(o, h);
	}
	csv_word(o, W_APPROVED_TEACHERS);
	csv_eol(o);
	for (i = 0; i < o->r->munis.n; i++) {
		m = &o->r->munis.row[i];
		csv_cell(o, csv_muni(o, m->name));
		for (j = RM_SUBMISSIONS; j <= RM_APPROVED_TEACHERS; j++)
			csv_num(o, m->v[j]);
		csv_eol(o);
	}
}

static void
csv_kv(struct csv_out *o, const char *k, int64_t v, int pct)
{
	csv_cell(o, k);
	if (pct)
		csv_pct(o, v);
	else
		csv_num(o, v);
	csv_eol(o);
}

static void
csv_totals(struct csv_out *o)
{
	static const enum report_word cols[] = { W_MEASURE, W_VALUE };
	const struct report	*r = o->r;
	const int64_t		*t = r->total;
	char			 k[256];
	size_t			 i;

	csv_section(o, W_TOTAL, cols, 2);
	csv_kv(o, report_word(r->lang, W_LISTS), t[RT_LISTS], 0);
	csv_kv(o, report_word(r->lang, W_LISTS_ACTIVE), t[RT_LISTS_ACTIVE], 0);
	csv_kv(o, report_word(r->lang, W_SUB_NEW), t[RT_SUB_NEW], 0);
	for (i = 0; i < RS_NSTATES; i++) {
		snprintf(k, sizeof k, "%s: %s", report_word(r->lang, W_STATE),
		    report_state_word(r->lang, (int)i));
		csv_kv(o, k, t[RT_SUB_STATE + i], 0);
	}
	for (i = 0; i < RL_NLEVELS; i++) {
		snprintf(k, sizeof k, "%s: %s", report_word(r->lang,
		    W_APPROVED), report_level_word(r->lang, (int)i));
		csv_kv(o, k, t[RT_SUB_LEVEL + i], 0);
	}
	csv_kv(o, report_word(r->lang, W_APPROVED_TEACHERS),
	    t[RT_APPROVED_TEACHERS], 0);
	csv_kv(o, report_word(r->lang, W_POSTS), t[RT_POSTS], 0);
	csv_kv(o, report_word(r->lang, W_REPLIES), t[RT_REPLIES], 0);
	csv_kv(o, report_word(r->lang, W_POSTS_NC),
	    report_permille(t[RT_POSTS_NC], t[RT_POSTS]), 1);
	csv_kv(o, report_word(r->lang, W_REPLIES_NC),
	    report_permille(t[RT_REPLIES_NC], t[RT_REPLIES]), 1);
	csv_kv(o, report_word(r->lang, W_REPLIES_MM), t[RT_REPLIES_MM], 0);
	csv_kv(o, report_word(r->lang, W_POSTERS), t[RT_POSTERS], 0);
	csv_kv(o, report_word(r->lang, W_TOP_SHARE),
	    report_permille(t[RT_TOP_POSTS], t[RT_POSTS]), 1);
	csv_kv(o, report_word(r->lang, W_LONGTERM), t[RT_LONGTERM], 0);
}

static void
csv_trends(struct csv_out *o)
{
	static const enum report_word cols[] = { W_MONTH, W_TEACHERS,
	    W_INCLUDED, W_SHARE, W_POSTS, W_REPLIES, W_POSTERS };
	const struct report	*m;
	size_t			 i;

	csv_section(o, W_TRENDS, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i <= o->r->nhistory; i++) {
		m = i < o->r->nhistory ? &o->r->history[i] : o->r;
		csv_cell(o, m->month);
		csv_num(o, m->total[RT_TEACHERS]);
		csv_num(o, m->total[RT_INCLUDED]);
		csv_pct(o, report_permille(m->total[RT_INCLUDED],
		    m->total[RT_TEACHERS]));
		csv_num(o, m->total[RT_POSTS]);
		csv_num(o, m->total[RT_REPLIES]);
		csv_num(o, m->total[RT_POSTERS]);
		csv_eol(o);
	}
}

char *
report_csv(const struct report *r)
{
	struct csv_out	o;
	char		month[64];

	memset(&o, 0, sizeof o);
	buf_init(&o.b);
	o.r = r;
	o.delim = strcmp(r->lang, "en") == 0 ? ',' : ';';
	o.first = 1;
	buf_adds(&o.b, "\xef\xbb\xbf");
	report_month_name(r->lang, r->month, month, sizeof month);
	csv_word(&o, W_TITLE);
	csv_cell(&o, month);
	csv_cell(&o, *r->scope ? r->scope : report_word(r->lang,
	    W_SITE_WIDE));
	csv_cell(&o, r->kept ? r->month : report_word(r->lang,
	    W_PROVISIONAL));
	csv_eol(&o);
	csv_participation(&o);
	csv_schools(&o);
	csv_lists(&o);
	csv_materials_munis(&o);
	csv_totals(&o);
	csv_trends(&o);
	return buf_detach(&o.b);
}
