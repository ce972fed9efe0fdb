/*
 * check_event: iCalendar read and written with libical (recurrence,
 * exceptions, zones, cancelled and broken calendars) and the spelling of
 * an event's dates.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/event.h"
#include "mail/ical.h"

static time_t
at(int y, int mon, int d, int h, int min)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = min;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* Weekly on Tuesdays 15:00-16:30 Moscow time, four times, the second
 * one skipped; a single event in UTC; a cancelled one. */
static const char calendar[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//RU\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Moscow\r\n"
    "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0300\r\n"
    "TZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nUID:seminar-1@imc.example.org\r\n"
    "DTSTAMP:20260401T000000Z\r\n"
    "SUMMARY:Семинар по функциональной грамотности\r\n"
    "LOCATION:ИМЦ\\, каб. 12\r\n"
    "DTSTART;TZID=Europe/Moscow:20260512T150000\r\n"
    "DTEND;TZID=Europe/Moscow:20260512T163000\r\n"
    "RRULE:FREQ=WEEKLY;COUNT=4\r\n"
    "EXDATE;TZID=Europe/Moscow:20260519T150000\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:olymp@imc.example.org\r\nDTSTAMP:20260401T000000Z\r\n"
    "SUMMARY:Olympiad\r\nDTSTART:20260601T050000Z\r\n"
    "URL:https://imc.example.org/olymp\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:gone@imc.example.org\r\nDTSTAMP:20260401T000000Z\r\n"
    "SUMMARY:Gone\r\nSTATUS:CANCELLED\r\nDTSTART:20260602T050000Z\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

START_TEST(test_ical_parse)
{
	struct ical_event	*v;
	size_t			 n;

	ck_assert_int_eq(ical_parse(calendar, strlen(calendar),
	    at(2026, 5, 1, 0, 0), at(2027, 5, 1, 0, 0), 100, &v, &n), 0);
	ck_assert_uint_eq(n, 4);
	/* 15:00 in Moscow is 17:00 in Yekaterinburg. */
	ck_assert_int_eq(v[0].start, at(2026, 5, 12, 17, 0));
	ck_assert_int_eq(v[0].end, at(2026, 5, 12, 18, 30));
	ck_assert_int_eq(v[1].start, at(2026, 5, 26, 17, 0));
	ck_assert_int_eq(v[2].start, at(2026, 6, 2, 17, 0));
	ck_assert_int_eq(v[0].recurring, 1);
	ck_assert_str_eq(v[0].summary,
	    "Семинар по функциональной грамотности");
	ck_assert_str_eq(v[0].location, "ИМЦ, каб. 12");
	ck_assert_str_eq(v[0].uid, "seminar-1@imc.example.org");
	ck_assert_int_eq(v[3].start, at(2026, 6, 1, 10, 0));
	ck_assert_str_eq(v[3].url, "https://imc.example.org/olymp");
	ck_assert_int_eq(v[3].end, 0);
	ical_free(v, n);
	/* From 20 May on, and at most two. */
	ck_assert_int_eq(ical_parse(calendar, strlen(calendar),
	    at(2026, 5, 20, 0, 0), at(2027, 5, 1, 0, 0), 2, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(v[0].start, at(2026, 5, 26, 17, 0));
	ical_free(v, n);
}
END_TEST

START_TEST(test_ical_unbounded)
{
	static const char daily[] =
	    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:d\n"
	    "SUMMARY:Every day\nDTSTART;VALUE=DATE:20260101\n"
	    "RRULE:FREQ=DAILY\nEND:VEVENT\nEND:VCALENDAR\n";
	struct ical_event	*v;
	size_t			 n;

	/* No end: bounded by the horizon and the cap, all day. */
	ck_assert_int_eq(ical_parse(daily, strlen(daily), at(2026, 3, 1, 0, 0),
	    at(2026, 3, 10, 0, 0), 1000, &v, &n), 0);
	ck_assert_uint_eq(n, 9);
	ck_assert_int_eq(v[0].all_day, 1);
	ck_assert_int_eq(v[0].start, at(2026, 3, 1, 0, 0));
	ical_free(v, n);
	ck_assert_int_eq(ical_parse(daily, strlen(daily), at(2026, 3, 1, 0, 0),
	    at(2027, 3, 10, 0, 0), 50, &v, &n), 0);
	ck_assert_uint_eq(n, 50);
	ical_free(v, n);
}
END_TEST

START_TEST(test_ical_bad)
{
	static const char *const bad[] = {
		"", "not a calendar", "BEGIN:VCALENDAR\n",
		"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:garbage\nEND:VEVENT\n"
		    "END:VCALENDAR\n",
		"BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:no start\nEND:VEVENT\n"
		    "END:VCALENDAR\n",
	};
	struct ical_event	*v;
	size_t			 n, i;
	int			 rc;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		rc = ical_parse(bad[i], strlen(bad[i]), 0, at(2030, 1, 1, 0, 0),
		    10, &v, &n);
		ck_assert_msg(rc == -1 || n == 0, "case %zu gave %zu", i, n);
		ical_free(v, n);
	}
}
END_TEST

START_TEST(test_ical_make)
{
	struct ical_event	 e, *v;
	char			*s;
	size_t			 n;

	memset(&e, 0, sizeof e);
	e.uid = "mail.x@lists.example.org";
	e.summary = "Вебинар; «ОГЭ, задачи»";
	e.location = "Онлайн";
	e.start = at(2026, 5, 12, 15, 0);
	e.end = at(2026, 5, 12, 16, 30);
	s = ical_make(&e, "-//metodist//events//RU");
	ck_assert_ptr_nonnull(strstr(s, "METHOD:PUBLISH"));
	ck_assert_ptr_nonnull(strstr(s, "DTSTART:20260512T100000Z"));
	/* What it wrote reads back the same. */
	ck_assert_int_eq(ical_parse(s, strlen(s), 0, at(2030, 1, 1, 0, 0), 10,
	    &v, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(v[0].summary, e.summary);
	ck_assert_int_eq(v[0].start, e.start);
	ck_assert_int_eq(v[0].end, e.end);
	ical_free(v, n);
	free(s);
}
END_TEST

START_TEST(test_when)
{
	char	out[128];

	event_when(at(2026, 5, 12, 15, 0), at(2026, 5, 12, 16, 30), 0, "ru",
	    out, sizeof out);
	ck_assert_str_eq(out, "12 мая 2026, 15:00–16:30");
	event_when(at(2026, 5, 12, 15, 0), 0, 0, "en", out, sizeof out);
	ck_assert_str_eq(out, "12 May 2026, 15:00");
	event_when(at(2026, 5, 12, 0, 0), 0, 1, "ru", out, sizeof out);
	ck_assert_str_eq(out, "12 мая 2026");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("event");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	setenv("TZ", "Asia/Yekaterinburg", 1);
	tzset();
	tc = tcase_create("ical");
	tcase_add_test(tc, test_ical_parse);
	tcase_add_test(tc, test_ical_unbounded);
	tcase_add_test(tc, test_ical_bad);
	tcase_add_test(tc, test_ical_make);
	tcase_add_test(tc, test_when);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
