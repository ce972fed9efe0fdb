/*
 * render/report: the monthly indicator report as HTML, CSV and text.
 *
 * Contract: each function renders one report (core/report.h) in the
 * report's own language (ru, else en) into a new NUL-terminated UTF-8
 * string, from the report's figures and its history only, so a kept
 * report renders the same bytes whenever it is rendered.  The HTML is
 * one self-contained page: inline CSS and SVG charts drawn here (a bar
 * per municipality against the 25% line, the monthly trends), no script,
 * nothing fetched; every measure is defined in plain words at its end.
 * The CSV is UTF-8 with a byte order mark, one section after another
 * (a title line, a header line, the rows, an empty line); in Russian its
 * delimiter is ';' and decimals have a comma, as a Russian spreadsheet
 * expects, in English ',' and a point.  The text is for a terminal or a
 * mail body.
 */
#ifndef METODIST_RENDER_REPORT_H
#define METODIST_RENDER_REPORT_H

#include "core/report.h"

char	*report_html(const struct report *, const char *site_name);
char	*report_csv(const struct report *);
char	*report_text(const struct report *, const char *site_name);

/* The words of the report (report-words.c). */
enum report_word {
	W_TITLE, W_SITE_WIDE, W_LIST, W_PROVISIONAL, W_KEPT, W_RECONSTRUCTED,
	W_PARTICIPATION, W_ASSOCIATIONS, W_MATERIALS, W_HEALTH, W_TRENDS,
	W_DEFINITIONS, W_SCHOOLS, W_MUNICIPALITY, W_SCHOOL, W_TEACHERS,
	W_INCLUDED, W_SHARE, W_PREV_SHARE, W_CHANGE, W_BELOW, W_NOT_GIVEN,
	W_TOTAL, W_MEMBERS, W_REG_TEACHERS, W_COORDINATORS, W_POSTS,
	W_ACTIVE, W_YES, W_NO, W_LISTS, W_LISTS_ACTIVE, W_SUBMISSIONS,
	W_APPROVED, W_APPROVED_TEACHERS, W_SUB_NEW, W_REPLIES, W_POSTS_NC,
	W_REPLIES_NC, W_REPLIES_MM, W_POSTERS, W_TOP_SHARE, W_LONGTERM,
	W_THRESHOLD, W_MONTH, W_FLAGGED_LIST, W_NONE_FLAGGED, W_MEASURE,
	W_VALUE, W_STATE, W_LEVEL, W_MATCHING, W_NOT_IN_REGISTRY,
	W_CHART_PARTICIPATION, W_CHART_SHARE_TREND, W_CHART_POSTS_TREND,
	W_NO_HISTORY, W_LIST_SCOPE_NOTE,
	W_NWORDS
};

const char *report_word(const char *lang, enum report_word);
/* Name of a submission state or level in the language. */
const char *report_state_word(const char *lang, int state);
const char *report_level_word(const char *lang, int level);
/* The definitions: pairs of term and plain-words meaning, NULL-ended. */
const char *const *report_definitions(const char *lang);
/* How teachers and member addresses were matched, in plain words. */
void	report_matching(const char *lang, int local_ci, char *out,
	    size_t size);
/* "ноябрь 2026" / "November 2026" for "2026-11". */
void	report_month_name(const char *lang, const char *month, char *out,
	    size_t size);
/* A permille as a percentage with one decimal: "23,4" (ru) / "23.4". */
void	report_percent(const char *lang, int64_t permille, char *out,
	    size_t size);

#endif
