/*
 * ical: see ical.h.
 */
#include <config.h>

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "mail/ical.h"
#include "util/xmalloc.h"

#define ICAL_MAX_TEXT	(4 * 1024 * 1024)

struct ical_out {
	struct ical_event	*v;
	size_t			 n;
	size_t			 max;
};

static char *
ical_text(icalcomponent *c, icalproperty_kind kind)
{
	icalproperty	*p = icalcomponent_get_first_property(c, kind);
	const char	*v;

	if (p == NULL || (v = icalproperty_get_value_as_string(p)) == NULL ||
	    *v == '\0')
		return NULL;
	if (kind == ICAL_SUMMARY_PROPERTY)
		v = icalproperty_get_summary(p);
	else if (kind == ICAL_LOCATION_PROPERTY)
		v = icalproperty_get_location(p);
	else if (kind == ICAL_DESCRIPTION_PROPERTY)
		v = icalproperty_get_description(p);
	return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}

/* The zone a DTSTART/DTEND names with TZID, or NULL. */
static icaltimezone *
ical_zone_of(icalcomponent *c, icalproperty_kind kind)
{
	icalproperty	*p = icalcomponent_get_first_property(c, kind);
	icalparameter	*tz;
	const char	*tzid;
	icaltimezone	*z;

	if (p == NULL || (tz = icalproperty_get_first_parameter(p,
	    ICAL_TZID_PARAMETER)) == NULL ||
	    (tzid = icalparameter_get_tzid(tz)) == NULL)
		return NULL;
	if ((z = icalcomponent_get_timezone(icalcomponent_get_parent(c),
	    tzid)) != NULL)
		return z;
	return icaltimezone_get_builtin_timezone(tzid);
}

static time_t
ical_time(struct icaltimetype t, icaltimezone *zone)
{
	struct tm	tm;

	if (icaltime_is_null_time(t))
		return 0;
	if (icaltime_is_utc(t))
		return icaltime_as_timet(t);
	if (!t.is_date && zone != NULL)
		return icaltime_as_timet_with_zone(t, zone);
	if (!t.is_date && t.zone != NULL)
		return icaltime_as_timet_with_zone(t, t.zone);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = t.year - 1900;
	tm.tm_mon = t.month - 1;
	tm.tm_mday = t.day;
	tm.tm_hour = t.is_date ? 0 : t.hour;
	tm.tm_min = t.is_date ? 0 : t.minute;
	tm.tm_sec = t.is_date ? 0 : t.second;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static void
ical_add(struct ical_out *o, icalcomponent *c, time_t start, time_t end,
    int all_day, int recurring)
{
	struct ical_event	*e;
	const char		*uid = icalcomponent_get_uid(c);

	o->v = xreallocarray(o->v, o->n + 1, sizeof *o->v);
	e = &o->v[o->n++];
	memset(e, 0, sizeof *e);
	e->uid = xstrdup(uid != NULL && *uid != '\0' ? uid : "no-uid");
	e->summary = ical_text(c, ICAL_SUMMARY_PROPERTY);
	if (e->summary == NULL)
		e->summary = xstrdup("");
	e->location = ical_text(c, ICAL_LOCATION_PROPERTY);
	e->url = ical_text(c, ICAL_URL_PROPERTY);
	e->description = ical_text(c, ICAL_DESCRIPTION_PROPERTY);
	e->start = start;
	e->end = end;
	e->all_day = all_day;
	e->recurring = recurring;
}

static int
ical_excluded(icalcomponent *c, struct icaltimetype t)
{
	icalproperty	*p;

	for (p = icalcomponent_get_first_property(c, ICAL_EXDATE_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(c,
	    ICAL_EXDATE_PROPERTY))
		if (icaltime_compare_date_only(icalproperty_get_exdate(p),
		    t) == 0 && (t.is_date || icaltime_compare(
		    icalproperty_get_exdate(p), t) == 0 ||
		    icalproperty_get_exdate(p).is_date))
			return 1;
	return 0;
}

static void
ical_expand(struct ical_out *o, icalcomponent *c, icalproperty *rrule,
    time_t from, time_t until, time_t length)
{
	struct icalrecurrencetype	 r = icalproperty_get_rrule(rrule);
	struct icaltimetype		 dtstart = icalcomponent_get_dtstart(c);
	struct icaltimetype		 t;
	icalrecur_iterator		*it;
	icaltimezone			*zone = ical_zone_of(c,
					    ICAL_DTSTART_PROPERTY);
	time_t				 start;
	int				 guard = 0;

	if ((it = icalrecur_iterator_new(r, dtstart)) == NULL)
		return;
	while (o->n < o->max && guard++ < 10000) {
		t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t))
			break;
		start = ical_time(t, zone);
		if (start >= until)
			break;
		if (start + length < from || ical_excluded(c, t))
			continue;
		ical_add(o, c, start, length > 0 ? start + length : 0,
		    dtstart.is_date, 1);
	}
	icalrecur_iterator_free(it);
}

static void
ical_event(struct ical_out *o, icalcomponent *c, time_t from, time_t until)
{
	struct icaltimetype	 ds = icalcomponent_get_dtstart(c);
	struct icaltimetype	 de = icalcomponent_get_dtend(c);
	icalproperty		*rrule;
	time_t			 start, end;

	if (icaltime_is_null_time(ds) ||
	    icalcomponent_get_status(c) == ICAL_STATUS_CANCELLED)
		return;
	start = ical_time(ds, ical_zone_of(c, ICAL_DTSTART_PROPERTY));
	end = ical_time(de, ical_zone_of(c, ICAL_DTEND_PROPERTY));
	if (end != 0 && end <= start)
		end = 0;	/* no DTEND: libical gives the start */
	if (ds.is_date && end == start + 86400)
		end = 0;	/* one whole day */
	rrule = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY);
	if (rrule != NULL)
		ical_expand(o, c, rrule, from, until, end ? end - start : 0);
	else if ((end ? end : start) >= from && start < until &&
	    o->n < o->max)
		ical_add(o, c, start, end, ds.is_date, 0);
}

int
ical_parse(const char *text, size_t len, time_t from, time_t until,
    size_t max, struct ical_event **out, size_t *n)
{
	struct ical_out	 o = { NULL, 0, max };
	icalcomponent	*cal, *c;
	char		*copy;

	*out = NULL;
	*n = 0;
	if (len > ICAL_MAX_TEXT || memmem(text, len, "BEGIN:VCALENDAR", 15) ==
	    NULL)
		return -1;
	copy = xstrndup(text, len);
	cal = icalparser_parse_string(copy);
	free(copy);
	if (cal == NULL)
		return -1;
	if (icalcomponent_isa(cal) == ICAL_VEVENT_COMPONENT)
		ical_event(&o, cal, from, until);
	for (c = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); c != NULL;
	    c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
		ical_event(&o, c, from, until);
	icalcomponent_free(cal);
	*out = o.v;
	*n = o.n;
	return 0;
}

void
ical_free(struct ical_event *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].uid);
		free(v[i].summary);
		free(v[i].location);
		free(v[i].url);
		free(v[i].description);
	}
	free(v);
}

static struct icaltimetype
ical_utc(time_t t, int is_date)
{
	struct icaltimetype	it;
	struct tm		tm;

	if (!is_date)
		return icaltime_from_timet_with_zone(t, 0,
		    icaltimezone_get_utc_timezone());
	localtime_r(&t, &tm);
	it = icaltime_null_date();
	it.year = tm.tm_year + 1900;
	it.month = tm.tm_mon + 1;
	it.day = tm.tm_mday;
	return it;
}

char *
ical_make(const struct ical_event *e, const char *prodid)
{
	icalcomponent	*cal, *ev;
	char		*s;

	cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT,
	    icalproperty_new_version("2.0"), icalproperty_new_prodid(prodid),
	    icalproperty_new_method(ICAL_METHOD_PUBLISH), (void *)0);
	ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	icalcomponent_add_property(ev, icalproperty_new_uid(e->uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(
	    ical_utc(time(NULL), 0)));
	icalcomponent_add_property(ev, icalproperty_new_summary(e->summary));
	icalcomponent_add_property(ev, icalproperty_new_dtstart(
	    ical_utc(e->start, e->all_day)));
	if (e->end != 0)
		icalcomponent_add_property(ev, icalproperty_new_dtend(
		    ical_utc(e->end, e->all_day)));
	if (e->location != NULL)
		icalcomponent_add_property(ev,
		    icalproperty_new_location(e->location));
	if (e->url != NULL)
		icalcomponent_add_property(ev, icalproperty_new_url(e->url));
	if (e->description != NULL)
		icalcomponent_add_property(ev,
		    icalproperty_new_description(e->description));
	icalcomponent_add_component(cal, ev);
	s = xstrdup(icalcomponent_as_ical_string(cal));
	icalcomponent_free(cal);
	return s;
}
