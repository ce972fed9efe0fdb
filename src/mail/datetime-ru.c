/*
 * datetime-ru: see datetime-ru.h.
 *
 * Two patterns, compiled once: a date in one of four shapes followed by
 * optional times, and times alone.  The month word is matched loosely
 * (letters) and then looked up by its first three letters, folded.
 */
#include <config.h>

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "mail/charset.h"
#include "mail/datetime-ru.h"
#include "util/log.h"
#include "util/pattern.h"

#define DT_TIMES \
    "(?:\\s*(?:,|в|at|с|from|начало)?\\s*(?:в\\s+)?" \
    "(?<h1>\\d{1,2})(?:[:.](?<i1>\\d{2}))?\\s*(?<p1>[ap]\\.?m\\.?)?" \
    "(?:\\s*(?:-|–|—|до|to|по|till|until)\\s*" \
    "(?<h2>\\d{1,2})(?:[:.](?<i2>\\d{2}))?\\s*(?<p2>[ap]\\.?m\\.?)?)?)?"

static const char datetime_date_src[] =
    "(?:(?<!\\d)(?<d1>\\d{1,2})[./](?<m1>\\d{1,2})[./](?<y1>\\d{4})"
    "|(?<!\\d)(?<y2>\\d{4})-(?<m2>\\d{1,2})-(?<d2>\\d{1,2})"
    "|(?<!\\d)(?<d3>\\d{1,2})\\s+(?<n3>\\p{L}{3,10})\\.?,?\\s+(?<y3>\\d{4})"
	"(?:\\s*(?:г\\.|года|г\\b))?"
    "|(?<n4>\\p{L}{3,10})\\.?\\s+(?<d4>\\d{1,2})(?:st|nd|rd|th)?,?\\s+"
	"(?<y4>\\d{4}))(?!\\d),?" DT_TIMES;

static const char datetime_times_src[] = "^\\s*" DT_TIMES "\\s*(?:$|\\D)";

static const char *const datetime_months[][3] = {
	{ "янв", "jan", NULL }, { "фев", "feb", NULL },
	{ "мар", "mar", NULL }, { "апр", "apr", NULL },
	{ "мая", "may", "май" }, { "июн", "jun", NULL },
	{ "июл", "jul", NULL }, { "авг", "aug", NULL },
	{ "сен", "sep", NULL }, { "окт", "oct", NULL },
	{ "ноя", "nov", NULL }, { "дек", "dec", NULL },
};

/* The group as a number, -1 when it did not take part. */
static int
datetime_num(pcre2_match_data *md, const char *name)
{
	PCRE2_UCHAR	*v;
	PCRE2_SIZE	 len;
	int		 n;

	if (pcre2_substring_get_byname(md, (PCRE2_SPTR)name, &v, &len) != 0)
		return -1;
	n = len > 0 && len <= 4 ? (int)strtol((const char *)v, NULL, 10) :
	    -1;
	pcre2_substring_free(v);
	return n;
}

static int
datetime_month_name(pcre2_match_data *md, const char *name)
{
	PCRE2_UCHAR	*v;
	PCRE2_SIZE	 len;
	char		*folded;
	size_t		 i, j;
	int		 m = -1;

	if (pcre2_substring_get_byname(md, (PCRE2_SPTR)name, &v, &len) != 0)
		return -1;
	folded = charset_fold((const char *)v, 64);
	pcre2_substring_free(v);
	for (i = 0; i < 12 && m == -1; i++)
		for (j = 0; j < 3 && m == -1; j++)
			if (datetime_months[i][j] != NULL &&
			    strncmp(folded, datetime_months[i][j],
			    strlen(datetime_months[i][j])) == 0)
				m = (int)i + 1;
	free(folded);
	return m;
}

static int
datetime_ampm(pcre2_match_data *md, const char *name)
{
	PCRE2_UCHAR	*v;
	PCRE2_SIZE	 len;
	int		 pm;

	if (pcre2_substring_get_byname(md, (PCRE2_SPTR)name, &v, &len) != 0)
		return -1;
	pm = len > 0 && (v[0] == 'p' || v[0] == 'P');
	pcre2_substring_free(v);
	return len > 0 ? pm : -1;
}

/* Minutes after midnight of hour group h, minute group i, am/pm p. */
static int
datetime_clock(pcre2_match_data *md, const char *h, const char *i,
    const char *p, int ampm_default)
{
	int	hh = datetime_num(md, h), mm = datetime_num(md, i);
	int	pm = datetime_ampm(md, p);

	if (hh < 0)
		return -1;
	if (mm < 0)
		mm = 0;
	if (pm == -1)
		pm = ampm_default;
	if (pm != -1) {
		if (hh < 1 || hh > 12)
			return -2;
		hh = hh % 12 + (pm ? 12 : 0);
	}
	if (hh > 23 || mm > 59)
		return -2;
	return hh * 60 + mm;
}

/* Times of a match into dr: 1 with a start, 0 without, -1 invalid. */
static int
datetime_fill_times(pcre2_match_data *md, struct datetime_range *dr)
{
	int	end_pm = datetime_ampm(md, "p2");
	int	start, end;

	/* "3 - 4:30 PM": the start shares the end's half of the day. */
	start = datetime_clock(md, "h1", "i1", "p1",
	    datetime_ampm(md, "p1") == -1 ? end_pm : -1);
	end = datetime_clock(md, "h2", "i2", "p2", -1);
	if (start == -2 || end == -2)
		return -1;
	/* A bare number with no minutes and no am/pm is not a time. */
	if (start >= 0 && datetime_num(md, "i1") < 0 &&
	    datetime_ampm(md, "p1") < 0 && end_pm < 0)
		return 0;
	dr->start_min = start;
	dr->end_min = start >= 0 ? end : -1;
	return start >= 0;
}

static int
datetime_days_in(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static int
datetime_fill_date(pcre2_match_data *md, struct datetime_range *dr)
{
	static const char *const g[4][3] = {
		{ "d1", "m1", "y1" }, { "d2", "m2", "y2" },
		{ "d3", "n3", "y3" }, { "d4", "n4", "y4" }
	};
	int	i, d = -1, m = -1, y = -1;

	for (i = 0; i < 4 && d < 0; i++) {
		if ((d = datetime_num(md, g[i][0])) < 0)
			continue;
		m = i < 2 ? datetime_num(md, g[i][1]) :
		    datetime_month_name(md, g[i][1]);
		y = datetime_num(md, g[i][2]);
	}
	if (d < 1 || m < 1 || m > 12 || y < 1970 || y > 2200 ||
	    d > datetime_days_in(y, m))
		return 0;
	dr->year = y;
	dr->month = m;
	dr->day = d;
	return 1;
}

static int
datetime_match(pcre2_code **code, const char *src, const char *line,
    struct datetime_range *dr, int date)
{
	pcre2_match_data	*md;
	PCRE2_SIZE		*ov;
	size_t			 len = strlen(line), off = 0;
	int			 found = 0;

	if (*code == NULL)
		*code = pattern_compile("datetime", src, 0);
	md = pcre2_match_data_create_from_pattern(*code, NULL);
	while (!found && off <= len && pcre2_match(*code, (PCRE2_SPTR)line,
	    len, off, 0, md, NULL) > 0) {
		ov = pcre2_get_ovector_pointer(md);
		if (!date)
			found = datetime_fill_times(md, dr) == 1;
		else if (datetime_fill_date(md, dr) == 1) {
			found = 1;
			if (datetime_fill_times(md, dr) == -1)
				dr->start_min = dr->end_min = -1;
		}
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		if (!date)
			break;
	}
	pcre2_match_data_free(md);
	return found;
}

int
datetime_parse(const char *line, struct datetime_range *dr)
{
	static pcre2_code	*code;

	memset(dr, 0, sizeof *dr);
	dr->start_min = dr->end_min = -1;
	return datetime_match(&code, datetime_date_src, line, dr, 1);
}

int
datetime_parse_times(const char *line, struct datetime_range *dr)
{
	static pcre2_code	*code;
	struct datetime_range	 t;

	memset(&t, 0, sizeof t);
	t.start_min = t.end_min = -1;
	if (!datetime_match(&code, datetime_times_src, line, &t, 0))
		return 0;
	dr->start_min = t.start_min;
	dr->end_min = t.end_min;
	return 1;
}
