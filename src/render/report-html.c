/*
 * report-html: the indicator report as one self-contained HTML page with
 * inline SVG charts (see render/report.h).
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/report.h"
#include "util/buf.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#define BAR_LABEL_X	232	/* right edge of the municipality names */
#define BAR_X0		240	/* where 0% is */
#define BAR_WIDTH	440	/* the plot's width */
#define BAR_HEIGHT	18
#define BAR_GAP		6
#define BAR_TOP		34
#define LINE_W		720
#define LINE_H		220
#define LINE_X0		56
#define LINE_Y0		20
#define LINE_PLOT_W	620
#define LINE_PLOT_H	150

static const char report_css[] =
	"body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;"
	"color:#222;max-width:1000px}"
	"h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;"
	"margin-top:32px;border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;margin:8px 0}"
	"th,td{border:1px solid #ccc;padding:3px 8px;font-size:13px}"
	"td.n{text-align:right}th{background:#f0f3f6}"
	"tr.flagged td{background:#fbe9e7}tr.total td{font-weight:bold}"
	".flag{color:#c0392b;font-weight:bold}.meta{color:#555}"
	".note{color:#444;font-size:13px}dt{font-weight:bold;margin-top:8px}"
	"dd{margin-left:16px;font-size:14px}svg{display:block;margin:8px 0}"
	".provisional{color:#a04000;font-weight:bold}";

static void
html_esc(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '&': buf_adds(b, "&amp;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, *s);
		}
	}
}

static const char *
w(const struct report *r, enum report_word word)
{
	return report_word(r->lang, word);
}

static const char *
muni_name(const struct report *r, const char *name)
{
	return *name != '\0' ? name : w(r, W_NOT_GIVEN);
}

static void
html_pct(struct buf *b, const struct report *r, int64_t permille)
{
	char	p[32];

	report_percent(r->lang, permille, p, sizeof p);
	buf_adds(b, p);
}

static void
html_num(struct buf *b, int64_t v)
{
	buf_addf(b, "<td class=\"n\">%lld</td>", (long long)v);
}

static void
html_pct_cell(struct buf *b, const struct report *r, int64_t permille)
{
	buf_adds(b, "<td class=\"n\">");
	html_pct(b, r, permille);
	buf_adds(b, "</td>");
}

static void
html_th(struct buf *b, const struct report *r, const enum report_word *ws,
    size_t n)
{
	size_t	i;

	buf_adds(b, "<tr>");
	for (i = 0; i < n; i++) {
		buf_adds(b, "<th>");
		html_esc(b, w(r, ws[i]));
		buf_adds(b, "</th>");
	}
	buf_adds(b, "</tr>\n");
}

/* ---- the bar chart ---- */

static int64_t
bar_scale(const struct report *r)
{
	int64_t	max = 500, p;
	size_t	i;

	for (i = 0; i < r->munis.n; i++) {
		p = report_permille(r->munis.row[i].v[RM_INCLUDED],
		    r->munis.row[i].v[RM_TEACHERS]);
		if (p > max)
			max = p;
	}
	return (max + 99) / 100 * 100;
}

static int
bar_x(int64_t permille, int64_t scale)
{
	return BAR_X0 + (int)(permille * BAR_WIDTH / scale);
}

static void
bar_one(struct buf *b, const struct report *r, const struct report_row *m,
    int y, int64_t scale)
{
	int64_t	p = report_permille(m->v[RM_INCLUDED], m->v[RM_TEACHERS]);
	int	flagged = report_muni_flagged(m);
	int	x1 = bar_x(p, scale);

	buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
	    "font-size=\"12\">", BAR_LABEL_X, y + 13);
	html_esc(b, muni_name(r, m->name));
	buf_addf(b, "</text><rect class=\"bar%s\" data-municipality=\"",
	    flagged ? " flagged" : "");
	html_esc(b, m->name);
	buf_addf(b, "\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"%s\"><title>", BAR_X0, y, x1 - BAR_X0, BAR_HEIGHT,
	    flagged ? "#c0392b" : "#2e86c1");
	html_esc(b, muni_name(r, m->name));
	buf_adds(b, ": ");
	html_pct(b, r, p);
	buf_addf(b, "%%</title></rect><text x=\"%d\" y=\"%d\" font-size=\"12\""
	    "%s>", x1 + 4, y + 13, flagged ? " fill=\"#c0392b\"" : "");
	html_pct(b, r, p);
	buf_addf(b, "%%%s%s</text>\n", flagged ? " — " : "",
	    flagged ? w(r, W_BELOW) : "");
}

static void
bar_axis(struct buf *b, const struct report *r, int64_t scale, int bottom)
{
	int64_t	t, step = (scale / 5 + 99) / 100 * 100;
	int	x;

	/* Ticks every 10% up to 50%; beyond, five of them. */
	if (step < 100)
		step = 100;
	for (t = 0; t <= scale; t += step) {
		x = bar_x(t, scale);
		buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		    "stroke=\"#ddd\"/><text x=\"%d\" y=\"%d\" font-size=\"11\" "
		    "text-anchor=\"middle\" fill=\"#666\">%lld%%</text>\n",
		    x, BAR_TOP - 4, x, bottom, x, bottom + 14,
		    (long long)(t / 10));
	}
	x = bar_x(REPORT_THRESHOLD_PERMILLE, scale);
	buf_addf(b, "<line id=\"threshold-line\" class=\"threshold\" "
	    "data-percent=\"25\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#c0392b\" stroke-width=\"2\" "
	    "stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%d\" font-size=\"12\" "
	    "fill=\"#c0392b\" text-anchor=\"middle\">", x, BAR_TOP - 10, x,
	    bottom + 2, x, BAR_TOP - 14);
	html_esc(b, w(r, W_THRESHOLD));
	buf_adds(b, "</text>\n");
}

static void
html_bar_chart(struct buf *b, const struct report *r)
{
	int64_t	scale = bar_scale(r);
	int	h = BAR_TOP + (int)r->munis.n * (BAR_HEIGHT + BAR_GAP) + 24;
	size_t	i;

	buf_addf(b, "<svg id=\"participation-chart\" xmlns="
	    "\"http://www.w3.org/2000/svg\" width=\"760\" height=\"%d\" "
	    "viewBox=\"0 0 760 %d\" role=\"img\" aria-label=\"", h, h);
	html_esc(b, w(r, W_CHART_PARTICIPATION));
	buf_adds(b, "\">\n<title>");
	html_esc(b, w(r, W_CHART_PARTICIPATION));
	buf_adds(b, "</title>\n");
	for (i = 0; i < r->munis.n; i++)
		bar_one(b, r, &r->munis.row[i], BAR_TOP + (int)i *
		    (BAR_HEIGHT + BAR_GAP), scale);
	bar_axis(b, r, scale, h - 22);
	buf_adds(b, "</svg>\n");
}

/* ---- line charts ---- */

struct series {
	const char	*label;
	const char	*color;
	int64_t		 v[REPORT_TREND_MONTHS + 1];
};

static void
line_axes(struct buf *b, const struct report *r, size_t n, int64_t max,
    int percent)
{
	size_t	i;
	int64_t	t, step = max / 5 > 0 ? max / 5 : 1;
	int	x, y;
	const struct report *m;

	for (t = 0; t <= max; t += step) {
		y = LINE_Y0 + LINE_PLOT_H - (int)(t * LINE_PLOT_H / max);
		buf_addf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		    "stroke=\"#eee\"/><text x=\"%d\" y=\"%d\" font-size=\"11\" "
		    "text-anchor=\"end\" fill=\"#666\">%lld</text>\n", LINE_X0,
		    y, LINE_X0 + LINE_PLOT_W, y, LINE_X0 - 4, y + 4,
		    (long long)(percent ? t / 10 : t));
	}
	for (i = 0; i < n; i++) {
		m = i < r->nhistory ? &r->history[i] : r;
		x = LINE_X0 + (n > 1 ? (int)(i * LINE_PLOT_W / (n - 1)) : 0);
		buf_addf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" "
		    "text-anchor=\"middle\" fill=\"#666\">%s</text>\n", x,
		    LINE_Y0 + LINE_PLOT_H + 16, m->month);
	}
}

static void
line_series(struct buf *b, const struct series *s, size_t n, int64_t max,
    size_t idx)
{
	size_t	i;
	int	x, y;

	buf_addf(b, "<polyline class=\"trend\" fill=\"none\" stroke=\"%s\" "
	    "stroke-width=\"2\" points=\"", s->color);
	for (i = 0; i < n; i++) {
		x = LINE_X0 + (n > 1 ? (int)(i * LINE_PLOT_W / (n - 1)) : 0);
		y = LINE_Y0 + LINE_PLOT_H - (int)(s->v[i] * LINE_PLOT_H / max);
		buf_addf(b, "%s%d,%d", i ? " " : "", x, y);
	}
	buf_adds(b, "\"/>\n");
	for (i = 0; i < n; i++) {
		x = LINE_X0 + (n > 1 ? (int)(i * LINE_PLOT_W / (n - 1)) : 0);
		y = LINE_Y0 + LINE_PLOT_H - (int)(s->v[i] * LINE_PLOT_H / max);
		buf_addf(b, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\"/>\n",
		    x, y, s->color);
	}
	buf_addf(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" "
	    "fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">",
	    LINE_X0 + 10 + (int)idx * 220, LINE_H - 14, s->color,
	    LINE_X0 + 26 + (int)idx * 220, LINE_H - 9);
}

static void
html_line_chart(struct buf *b, const struct report *r, const char *id,
    enum report_word title, struct series *s, size_t ns, int percent)
{
	size_t	n = r->nhistory + 1, i, j;
	int64_t	max = percent ? 500 : 5;
	int	y;

	for (i = 0; i < ns; i++)
		for (j = 0; j < n; j++)
			if (s[i].v[j] > max)
				max = s[i].v[j];
	max = percent ? (max + 99) / 100 * 100 : (max + 4) / 5 * 5;
	buf_addf(b, "<h3>");
	html_esc(b, w(r, title));
	buf_addf(b, "</h3>\n<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", id, LINE_W,
	    LINE_H, LINE_W, LINE_H);
	line_axes(b, r, n, max, percent);
	if (percent) {
		y = LINE_Y0 + LINE_PLOT_H - (int)(REPORT_THRESHOLD_PERMILLE *
		    LINE_PLOT_H / max);
		buf_addf(b, "<line class=\"threshold\" x1=\"%d\" y1=\"%d\" "
		    "x2=\"%d\" y2=\"%d\" stroke=\"#c0392b\" stroke-width=\"1.5\" "
		    "stroke-dasharray=\"6 4\"/>\n", LINE_X0, y,
		    LINE_X0 + LINE_PLOT_W, y);
	}
	for (i = 0; i < ns; i++) {
		line_series(b, &s[i], n, max, i);
		html_esc(b, s[i].label);
		buf_adds(b, "</text>\n");
	}
	buf_adds(b, "</svg>\n");
}

static void
html_trends(struct buf *b, const struct report *r)
{
	struct series	s[2];
	size_t		i, n = r->nhistory + 1;
	const struct report *m;

	buf_adds(b, "<h2>");
	html_esc(b, w(r, W_TRENDS));
	buf_adds(b, "</h2>\n");
	if (r->nhistory == 0) {
		buf_adds(b, "<p class=\"note\">");
		html_esc(b, w(r, W_NO_HISTORY));
		buf_adds(b, "</p>\n");
	}
	memset(s, 0, sizeof s);
	s[0].label = w(r, W_SHARE);
	s[0].color = "#2e86c1";
	for (i = 0; i < n; i++) {
		m = i < r->nhistory ? &r->history[i] : r;
		s[0].v[i] = report_permille(m->total[RT_INCLUDED],
		    m->total[RT_TEACHERS]);
	}
	html_line_chart(b, r, "trend-share", W_CHART_SHARE_TREND, s, 1, 1);
	s[0].label = w(r, W_POSTS);
	s[1].label = w(r, W_REPLIES);
	s[1].color = "#27ae60";
	for (i = 0; i < n; i++) {
		m = i < r->nhistory ? &r->history[i] : r;
		s[0].v[i] = m->total[RT_POSTS];
		s[1].v[i] = m->total[RT_REPLIES];
	}
	html_line_chart(b, r, "trend-posts", W_CHART_POSTS_TREND, s, 2, 0);
}

/* ---- sections ---- */

static void
html_muni_row(struct buf *b, const struct report *r,
    const struct report_row *m, const struct report *prev)
{
	const struct report_row	*pm = prev ? report_find(&prev->munis,
				    m->name) : NULL;
	int64_t			 p = report_permille(m->v[RM_INCLUDED],
				    m->v[RM_TEACHERS]), pp;
	int			 flagged = report_muni_flagged(m);

	buf_adds(b, flagged ? "<tr class=\"flagged\"><td>" : "<tr><td>");
	html_esc(b, muni_name(r, m->name));
	if (flagged) {
		buf_adds(b, " <span class=\"flag\">⚑ ");
		html_esc(b, w(r, W_BELOW));
		buf_adds(b, "</span>");
	}
	buf_adds(b, "</td>");
	html_num(b, m->v[RM_TEACHERS]);
	html_num(b, m->v[RM_INCLUDED]);
	html_pct_cell(b, r, p);
	if (pm != NULL) {
		pp = report_permille(pm->v[RM_INCLUDED], pm->v[RM_TEACHERS]);
		html_pct_cell(b, r, pp);
		buf_adds(b, "<td class=\"n\">");
		buf_adds(b, p - pp > 0 ? "+" : "");
		html_pct(b, r, p - pp);
		buf_adds(b, "</td>");
	} else
		buf_adds(b, "<td class=\"n\">—</td><td class=\"n\">—</td>");
	buf_adds(b, "</tr>\n");
}

static void
html_flagged_summary(struct buf *b, const struct report *r)
{
	size_t	i, n = 0;

	buf_adds(b, "<p id=\"flagged\">");
	for (i = 0; i < r->munis.n; i++) {
		if (!report_muni_flagged(&r->munis.row[i]))
			continue;
		if (n++ == 0) {
			buf_adds(b, "<span class=\"flag\">");
			html_esc(b, w(r, W_FLAGGED_LIST));
			buf_adds(b, "</span> ");
		} else
			buf_adds(b, ", ");
		html_esc(b, muni_name(r, r->munis.row[i].name));
	}
	if (n == 0)
		html_esc(b, w(r, W_NONE_FLAGGED));
	buf_adds(b, "</p>\n");
}

static void
html_schools(struct buf *b, const struct report *r)
{
	static const enum report_word cols[] = { W_MUNICIPALITY, W_SCHOOL,
	    W_TEACHERS, W_INCLUDED, W_SHARE };
	const struct report_row	*s;
	size_t			 i;

	buf_adds(b, "<details><summary>");
	html_esc(b, w(r, W_SCHOOLS));
	buf_adds(b, "</summary>\n<table id=\"schools\">\n");
	html_th(b, r, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < r->schools.n; i++) {
		s = &r->schools.row[i];
		buf_adds(b, "<tr><td>");
		html_esc(b, muni_name(r, s->parent));
		buf_adds(b, "</td><td>");
		html_esc(b, muni_name(r, s->name));
		buf_adds(b, "</td>");
		html_num(b, s->v[RSC_TEACHERS]);
		html_num(b, s->v[RSC_INCLUDED]);
		html_pct_cell(b, r, report_permille(s->v[RSC_INCLUDED],
		    s->v[RSC_TEACHERS]));
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</table></details>\n");
}

static void
html_matching(struct buf *b, const struct report *r)
{
	char	text[2048];

	report_matching(r->lang, r->local_ci, text, sizeof text);
	buf_adds(b, "<p class=\"note\" id=\"matching\">");
	html_esc(b, text);
	buf_adds(b, "</p>\n");
}

static void
html_participation(struct buf *b, const struct report *r)
{
	static const enum report_word cols[] = { W_MUNICIPALITY, W_TEACHERS,
	    W_INCLUDED, W_SHARE, W_PREV_SHARE, W_CHANGE };
	const struct report	*prev = report_previous(r);
	size_t			 i;

	buf_adds(b, "<h2>");
	html_esc(b, w(r, W_PARTICIPATION));
	buf_adds(b, "</h2>\n");
	if (*r->scope != '\0') {
		buf_adds(b, "<p class=\"note\">");
		html_esc(b, w(r, W_LIST_SCOPE_NOTE));
		buf_adds(b, "</p>\n");
	}
	buf_addf(b, "<p><b>%s:</b> %lld, <b>%s:</b> %lld, <b>%s</b> ",
	    w(r, W_TEACHERS), (long long)r->total[RT_TEACHERS],
	    w(r, W_INCLUDED), (long long)r->total[RT_INCLUDED],
	    w(r, W_SHARE));
	html_pct(b, r, report_permille(r->total[RT_INCLUDED],
	    r->total[RT_TEACHERS]));
	buf_adds(b, "</p>\n");
	html_flagged_summary(b, r);
	html_bar_chart(b, r);
	buf_adds(b, "<table id=\"municipalities\">\n");
	html_th(b, r, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < r->munis.n; i++)
		html_muni_row(b, r, &r->munis.row[i], prev);
	buf_adds(b, "</table>\n");
	html_schools(b, r);
	html_matching(b, r);
}

static void
html_kv(struct buf *b, const char *k, int64_t v)
{
	buf_adds(b, "<tr><td>");
	html_esc(b, k);
	buf_addf(b, "</td><td class=\"n\">%lld</td></tr>\n", (long long)v);
}

static void
html_kv_pct(struct buf *b, const struct report *r, const char *k,
    int64_t permille)
{
	buf_adds(b, "<tr><td>");
	html_esc(b, k);
	buf_adds(b, "</td>");
	html_pct_cell(b, r, permille);
	buf_adds(b, "</tr>\n");
}

static void
html_associations(struct buf *b, const struct report *r)
{
	static const enum report_word cols[] = { W_LIST, W_MEMBERS,
	    W_REG_TEACHERS, W_COORDINATORS, W_POSTS, W_ACTIVE };
	const struct report_row	*l;
	size_t			 i;

	buf_adds(b, "<h2>");
	html_esc(b, w(r, W_ASSOCIATIONS));
	buf_adds(b, "</h2>\n<table id=\"association-totals\">\n");
	html_kv(b, w(r, W_LISTS), r->total[RT_LISTS]);
	html_kv(b, w(r, W_LISTS_ACTIVE), r->total[RT_LISTS_ACTIVE]);
	buf_adds(b, "</table>\n<table id=\"lists\">\n");
	html_th(b, r, cols, sizeof cols / sizeof cols[0]);
	for (i = 0; i < r->lists.n; i++) {
		l = &r->lists.row[i];
		buf_adds(b, "<tr><td>");
		html_esc(b, l->parent);
		buf_adds(b, " <small>(");
		html_esc(b, l->name);
		buf_adds(b, ")</small></td>");
		html_num(b, l->v[RLI_MEMBERS]);
		html_num(b, l->v[RLI_TEACHERS]);
		html_num(b, l->v[RLI_COORDINATORS]);
		html_num(b, l->v[RLI_POSTS]);
		buf_addf(b, "<td>%s</td></tr>\n", w(r, l->v[RLI_ACTIVE] ?
		    W_YES : W_NO));
	}
	buf_adds(b, "</table>\n");
}

static int
html_list_has_materials(const struct report_row *l)
{
	size_t	i;

	for (i = 0; i < RS_NSTATES; i++)
		if (l->v[RLI_STATE + i] != 0)
			return 1;
	return 0;
}

/* Lists without any development are left out of the list table. */
static void
html_materials_rows(struct buf *b, const struct report *r, int by_list)
{
	const struct report_rows *rows = by_list ? &r->lists : &r->munis;
	const struct report_row	 *x;
	size_t			  i, j;

	for (i = 0; i < rows->n; i++) {
		x = &rows->row[i];
		if (by_list && !html_list_has_materials(x))
			continue;
		buf_adds(b, "<tr><td>");
		html_esc(b, by_list ? x->parent : muni_name(r, x->name));
		buf_adds(b, "</td>");
		if (by_list) {
			for (j = 0; j < RS_NSTATES; j++)
				html_num(b, x->v[RLI_STATE + j]);
			for (j = 0; j < RL_NLEVELS; j++)
				html_num(b, x->v[RLI_LEVEL + j]);
		} else {
			html_num(b, x->v[RM_SUBMISSIONS]);
			html_num(b, x->v[RM_APPROVED]);
			for (j = 0; j < RL_NLEVELS; j++)
				html_num(b, x->v[RM_LEVEL + j]);
			html_num(b, x->v[RM_APPROVED_TEACHERS]);
		}
		buf_adds(b, "</tr>\n");
	}
}

static void
html_materials_heads(struct buf *b, const struct report *r, int by_list)
{
	size_t	i;

	buf_adds(b, "<tr><th>");
	html_esc(b, w(r, by_list ? W_LIST : W_MUNICIPALITY));
	buf_adds(b, "</th>");
	if (!by_list)
		buf_addf(b, "<th>%s</th><th>%s</th>", w(r, W_SUBMISSIONS),
		    w(r, W_APPROVED));
	for (i = 0; by_list && i < RS_NSTATES; i++)
		buf_addf(b, "<th>%s</th>", report_state_word(r->lang, (int)i));
	for (i = 0; i < RL_NLEVELS; i++)
		buf_addf(b, "<th>%s: %s</th>", w(r, W_APPROVED),
		    report_level_word(r->lang, (int)i));
	if (!by_list)
		buf_addf(b, "<th>%s</th>", w(r, W_APPROVED_TEACHERS));
	buf_adds(b, "</tr>\n");
}

static void
html_materials(struct buf *b, const struct report *r)
{
	size_t	i;
	char	k[256];

	buf_adds(b, "<h2>");
	html_esc(b, w(r, W_MATERIALS));
	buf_adds(b, "</h2>\n<table id=\"materials-totals\">\n");
	html_kv(b, w(r, W_SUB_NEW), r->total[RT_SUB_NEW]);
	for (i = 0; i < RS_NSTATES; i++) {
		snprintf(k, sizeof k, "%s: %s", w(r, W_STATE),
		    report_state_word(r->lang, (int)i));
		html_kv(b, k, r->total[RT_SUB_STATE + i]);
	}
	for (i = 0; i < RL_NLEVELS; i++) {
		snprintf(k, sizeof k, "%s: %s", w(r, W_APPROVED),
		    report_level_word(r->lang, (int)i));
		html_kv(b, k, r->total[RT_SUB_LEVEL + i]);
	}
	html_kv(b, w(r, W_APPROVED_TEACHERS), r->total[RT_APPROVED_TEACHERS]);
	buf_adds(b, "</table>\n<table id=\"materials-lists\">\n");
	html_materials_heads(b, r, 1);
	html_materials_rows(b, r, 1);
	buf_adds(b, "</table>\n<table id=\"materials-municipalities\">\n");
	html_materials_heads(b, r, 0);
	html_materials_rows(b, r, 0);
	buf_adds(b, "</table>\n");
}

static void
html_health(struct buf *b, const struct report *r)
{
	const int64_t	*t = r->total;

	buf_adds(b, "<h2>");
	html_esc(b, w(r, W_HEALTH));
	buf_adds(b, "</h2>\n<table id=\"health\">\n");
	html_kv(b, w(r, W_POSTS), t[RT_POSTS]);
	html_kv(b, w(r, W_REPLIES), t[RT_REPLIES]);
	html_kv_pct(b, r, w(r, W_POSTS_NC),
	    report_permille(t[RT_POSTS_NC], t[RT_POSTS]));
	html_kv_pct(b, r, w(r, W_REPLIES_NC),
	    report_permille(t[RT_REPLIES_NC], t[RT_REPLIES]));
	html_kv(b, w(r, W_REPLIES_MM), t[RT_REPLIES_MM]);
	html_kv(b, w(r, W_POSTERS), t[RT_POSTERS]);
	html_kv_pct(b, r, w(r, W_TOP_SHARE),
	    report_permille(t[RT_TOP_POSTS], t[RT_POSTS]));
	html_kv(b, w(r, W_LONGTERM), t[RT_LONGTERM]);
	buf_adds(b, "</table>\n");
}

static void
html_definitions(struct buf *b, const struct report *r)
{
	const char *const	*d = report_definitions(r->lang);

	buf_adds(b, "<h2>");
	html_esc(b, w(r, W_DEFINITIONS));
	buf_adds(b, "</h2>\n<dl id=\"definitions\">\n");
	for (; d[0] != NULL && d[1] != NULL; d += 2) {
		buf_adds(b, "<dt>");
		html_esc(b, d[0]);
		buf_adds(b, "</dt><dd>");
		html_esc(b, d[1]);
		buf_adds(b, "</dd>\n");
	}
	buf_adds(b, "</dl>\n");
}

static void
html_head(struct buf *b, const struct report *r, const char *site_name)
{
	char	month[64], date[64];

	report_month_name(r->lang, r->month, month, sizeof month);
	buf_addf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>", r->lang);
	html_esc(b, w(r, W_TITLE));
	buf_adds(b, " — ");
	html_esc(b, month);
	buf_addf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>",
	    report_css);
	html_esc(b, w(r, W_TITLE));
	buf_adds(b, "</h1>\n<p class=\"meta\">");
	html_esc(b, site_name);
	buf_adds(b, " · ");
	html_esc(b, month);
	buf_adds(b, " · ");
	if (*r->scope != '\0') {
		html_esc(b, w(r, W_LIST));
		buf_adds(b, " ");
		html_esc(b, r->lists.n > 0 ? r->lists.row[0].parent :
		    r->scope);
	} else
		html_esc(b, w(r, W_SITE_WIDE));
	buf_adds(b, "</p>\n");
	if (r->kept) {
		time_human_date((time_t)r->computed, r->lang, date,
		    sizeof date);
		buf_addf(b, "<p class=\"meta\" id=\"kept\">%s: %s</p>\n",
		    w(r, W_KEPT), date);
	} else
		buf_addf(b, "<p class=\"provisional\" id=\"provisional\">%s"
		    "</p>\n", w(r, W_PROVISIONAL));
}

char *
report_html(const struct report *r, const char *site_name)
{
	struct buf	b;

	buf_init(&b);
	html_head(&b, r, site_name);
	html_participation(&b, r);
	html_associations(&b, r);
	html_materials(&b, r);
	html_health(&b, r);
	html_trends(&b, r);
	html_definitions(&b, r);
	buf_adds(&b, "</body>\n</html>\n");
	return buf_detach(&b);
}
