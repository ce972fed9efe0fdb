/*
 * check_replyscan: the lines of a reply as mail clients really write
 * them (Outlook, Thunderbird, Gmail, Yandex, Mail.ru, Apple Mail, phones)
 * walked and told apart by mail/replyscan.
 *
 * A body case states the kinds of its lines in order, one letter each:
 * b blank, q quoted, i intro, h header, o original, s signature,
 * f sign-off (closing), t text.
 */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mail/charset.h"
#include "mail/replyscan.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "testlib.h"

/* ---- one line ----------------------------------------------------------- */

struct kind_case {
	const char		*line;
	enum replyscan_kind	 want;
};

static const struct kind_case kind_cases[] = {
	{ "", REPLYSCAN_BLANK },
	{ " \t ", REPLYSCAN_BLANK },
	{ "-- ", REPLYSCAN_SIGNATURE },
	{ "--", REPLYSCAN_SIGNATURE },
	{ "  --  ", REPLYSCAN_SIGNATURE },
	{ "---", REPLYSCAN_TEXT },
	{ "> одобрить", REPLYSCAN_QUOTED },
	{ "   >> nested", REPLYSCAN_QUOTED },
	{ "| old style quote", REPLYSCAN_QUOTED },
	{ "-----Original Message-----", REPLYSCAN_ORIGINAL },
	{ "-----Исходное сообщение-----", REPLYSCAN_ORIGINAL },
	{ "---------- Forwarded message ---------", REPLYSCAN_ORIGINAL },
	{ "-------- Пересылаемое сообщение --------", REPLYSCAN_ORIGINAL },
	{ "-------- Перенаправленное сообщение --------", REPLYSCAN_ORIGINAL },
	{ "________________________________", REPLYSCAN_ORIGINAL },
	{ "Begin forwarded message:", REPLYSCAN_ORIGINAL },
	{ "Начало пересылаемого сообщения:", REPLYSCAN_ORIGINAL },
	{ "-- Иван Петров пишет:", REPLYSCAN_ORIGINAL },
	{ "From: Ivan Petrov [mailto:ivan@school.example.org]",
	    REPLYSCAN_HEADER },
	{ "Sent: Monday, January 12, 2026 10:00 AM", REPLYSCAN_HEADER },
	{ "To: math+mod-0123@lists.example.org", REPLYSCAN_HEADER },
	{ "Subject: RE: Письмо на проверке", REPLYSCAN_HEADER },
	{ "От: Иван Петров <ivan@school.example.org>", REPLYSCAN_HEADER },
	{ "Отправлено: 12 января 2026 г. 10:00", REPLYSCAN_HEADER },
	{ "Кому: math@lists.example.org", REPLYSCAN_HEADER },
	{ "Тема: Письмо на проверке", REPLYSCAN_HEADER },
	{ "On Mon, 12 Jan 2026 10:00:00 +0500, Ivan Petrov wrote:",
	    REPLYSCAN_INTRO },
	{ "On 12.01.2026 10:00, Ivan Petrov wrote:", REPLYSCAN_INTRO },
	{ "12.01.2026 10:00, Иван Петров пишет:", REPLYSCAN_INTRO },
	{ "пн, 12 янв. 2026 г. в 10:00, Иван Петров <ivan@gmail.com>:",
	    REPLYSCAN_INTRO },
	{ "12.01.2026, 10:00, \"Иван Петров\" <ivan@yandex.ru>:",
	    REPLYSCAN_INTRO },
	{ "Понедельник, 12 января 2026, 10:00 +05:00 от Иван Петров "
	    "<ivan@mail.ru>:", REPLYSCAN_INTRO },
	{ "Иван Петров написал(а):", REPLYSCAN_INTRO },
	{ "Мария Ивановна написала:", REPLYSCAN_INTRO },
	{ "ИВАН ПЕТРОВ ПИШЕТ:", REPLYSCAN_INTRO },
	{ "С уважением, Иван Петрович", REPLYSCAN_SIGNOFF },
	{ "Best regards,", REPLYSCAN_SIGNOFF },
	{ "Sent from my iPhone", REPLYSCAN_SIGNOFF },
	{ "Отправлено с iPhone", REPLYSCAN_SIGNOFF },
	{ "Отправлено из мобильной Почты Mail.ru", REPLYSCAN_SIGNOFF },
	{ "одобрить", REPLYSCAN_TEXT },
	{ "отклонить: не по теме списка", REPLYSCAN_TEXT },
	{ "Он пишет, что придёт", REPLYSCAN_TEXT },
	{ "From the teacher's point of view: fine", REPLYSCAN_TEXT },
	{ "переписал:", REPLYSCAN_TEXT },
	{ "mailto ivan@example.org for details", REPLYSCAN_TEXT },
};

START_TEST(test_kind)
{
	const struct kind_case	*c = &kind_cases[_i];
	enum replyscan_kind	 got;

	got = replyscan_kind(c->line, strlen(c->line));
	ck_assert_msg(got == c->want, "\"%s\": %s, want %s", c->line,
	    replyscan_kind_name(got), replyscan_kind_name(c->want));
}
END_TEST

/* ---- whole bodies ------------------------------------------------------- */

struct body_case {
	const char	*what;
	const char	*text;
	const char	*kinds;
};

static const struct body_case body_cases[] = {
	{ "empty body", "", "" },
	{ "one line, no newline", "одобрить", "t" },
	{ "trailing newline adds no line", "одобрить\n", "t" },
	{ "blank line at the end is a line", "одобрить\n\n", "tb" },
	{ "Outlook top-post",
	    "Отклонить: реклама.\r\n"
	    "\r\n"
	    "-----Original Message-----\r\n"
	    "From: Gateway [mailto:math@lists.example.org]\r\n"
	    "Sent: Monday, January 12, 2026 10:00 AM\r\n"
	    "To: Ivan Petrov\r\n"
	    "Subject: Held message\r\n"
	    "\r\n"
	    "A message waits for your decision.\r\n",
	    "tbohhhhbt" },
	{ "Outlook in Russian, underscores",
	    "одобрить\r\n"
	    "\r\n"
	    "________________________________\r\n"
	    "От: Шлюз <math@lists.example.org>\r\n"
	    "Отправлено: 12 января 2026 г. 10:00\r\n"
	    "Кому: Иван Петров\r\n"
	    "Тема: Письмо на проверке\r\n",
	    "tbohhhh" },
	{ "Outlook 'Исходное сообщение'",
	    "На доработку: добавьте цели урока.\n"
	    "-----Исходное сообщение-----\n"
	    "От: Методист\n",
	    "toh" },
	{ "Thunderbird bottom-quote intro",
	    "On 12.01.2026 10:00, Gateway wrote:\n"
	    "> A message waits for your decision.\n"
	    "> \n"
	    "\n"
	    "approve\n"
	    "\n"
	    "-- \n"
	    "Ivan Petrov, school 7\n",
	    "iqqbtbst" },
	{ "Gmail in Russian",
	    "Одобрено\n"
	    "\n"
	    "пн, 12 янв. 2026 г. в 10:00, Методист <math@lists.example.org>:\n"
	    "\n"
	    "> Письмо ждёт решения.\n",
	    "tbibq" },
	{ "Yandex",
	    "отклонить не по теме\n"
	    "\n"
	    "12.01.2026, 10:00, \"Методист\" <math@lists.example.org>:\n"
	    "> Письмо ждёт решения.\n",
	    "tbiq" },
	{ "Mail.ru",
	    "одобрить\n"
	    "С уважением,\n"
	    "Иван Петрович\n"
	    "\n"
	    "Понедельник, 12 января 2026, 10:00 +05:00 от Методист "
	    "<math@lists.example.org>:\n"
	    ">Письмо ждёт решения.\n",
	    "tftbiq" },
	{ "Mail.ru написал(а)",
	    "Да\n"
	    "Иван Петров написал(а):\n"
	    ">\n",
	    "tiq" },
	{ "phone",
	    "одобряю\n\nОтправлено с iPhone\n\n> текст\n",
	    "tbfbq" },
	{ "Apple Mail forward",
	    "FYI\n\nBegin forwarded message:\n\nFrom: A <a@example.org>\n",
	    "tbobh" },
	{ "bare CR lines stay one line",
	    "a\rb\r\nc\r\r\n",
	    "tt" },
};

static void
kinds_of(const char *text, struct buf *b)
{
	static const char letters[] = {
		[REPLYSCAN_BLANK] = 'b', [REPLYSCAN_QUOTED] = 'q',
		[REPLYSCAN_INTRO] = 'i', [REPLYSCAN_HEADER] = 'h',
		[REPLYSCAN_ORIGINAL] = 'o', [REPLYSCAN_SIGNATURE] = 's',
		[REPLYSCAN_SIGNOFF] = 'f', [REPLYSCAN_TEXT] = 't',
	};
	struct replyscan	sc;
	struct replyscan_line	ln;

	buf_init(b);
	replyscan_init(&sc, text);
	while (replyscan_next(&sc, &ln)) {
		ck_assert_ptr_nonnull(memchr("bqihosft", letters[ln.kind], 8));
		buf_addc(b, letters[ln.kind]);
	}
}

START_TEST(test_body)
{
	const struct body_case	*c = &body_cases[_i];
	struct buf		 b;

	kinds_of(c->text, &b);
	ck_assert_msg(strcmp(buf_cstr(&b), c->kinds) == 0, "%s: %s, want %s",
	    c->what, buf_cstr(&b), c->kinds);
	buf_free(&b);
}
END_TEST

/* Lines point into the text, without "\n" or "\r\n". */
START_TEST(test_line_bounds)
{
	static const char	text[] = "одобрить\r\n\r\n> цитата\nконец";
	static const char *const want[] = { "одобрить", "", "> цитата",
	    "конец" };
	struct replyscan	 sc;
	struct replyscan_line	 ln;
	size_t			 n = 0;

	replyscan_init(&sc, text);
	while (replyscan_next(&sc, &ln)) {
		ck_assert_uint_lt(n, NELEM(want));
		ck_assert(ln.s >= text &&
		    ln.s + ln.len <= text + sizeof text - 1);
		ck_assert_uint_eq(ln.len, strlen(want[n]));
		ck_assert(memcmp(ln.s, want[n], ln.len) == 0);
		n++;
	}
	ck_assert_uint_eq(n, NELEM(want));
	ck_assert_int_eq(replyscan_next(&sc, &ln), 0);
	replyscan_init(&sc, NULL);
	ck_assert_int_eq(replyscan_next(&sc, &ln), 0);
}
END_TEST

/* A line past REPLYSCAN_MARKER_MAX is text whatever it ends with; a
 * megabyte line is one line and is read quickly. */
START_TEST(test_long_lines)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < REPLYSCAN_MARKER_MAX; i++)
		buf_addc(&b, 'x');
	buf_adds(&b, " wrote:");
	ck_assert_int_eq(replyscan_kind(buf_cstr(&b), b.len), REPLYSCAN_TEXT);
	ck_assert_int_eq(replyscan_kind(buf_cstr(&b) + 100, b.len - 100),
	    REPLYSCAN_INTRO);
	buf_reset(&b);
	for (i = 0; i < 1024 * 1024; i++)
		buf_addc(&b, i % 61 == 60 ? '@' : 'a');
	buf_adds(&b, ":\n> q\n");
	{
		struct buf	k;

		kinds_of(buf_cstr(&b), &k);
		ck_assert_str_eq(buf_cstr(&k), "tq");
		buf_free(&k);
	}
	/* many short lines near the limit, each matched in bounded time */
	buf_reset(&b);
	for (i = 0; i < 2000; i++) {
		size_t	j;

		for (j = 0; j < REPLYSCAN_MARKER_MAX - 2; j++)
			buf_addc(&b, j % 2 ? '@' : ' ');
		buf_adds(&b, "\n");
	}
	{
		struct buf	k;

		kinds_of(buf_cstr(&b), &k);
		ck_assert_uint_eq(k.len, 2000);
		buf_free(&k);
	}
	buf_free(&b);
}
END_TEST

/* windows-1251 decoded to UTF-8 reads as any Russian text; the raw bytes
 * (not UTF-8) are never taken for a marker. */
START_TEST(test_cp1251)
{
	/* "Иван Петров пишет:" and "-----Исходное сообщение-----" */
	static const char intro[] = "\xc8\xe2\xe0\xed \xcf\xe5\xf2\xf0\xee"
	    "\xe2 \xef\xe8\xf8\xe5\xf2:";
	static const char orig[] = "-----\xc8\xf1\xf5\xee\xe4\xed\xee\xe5 "
	    "\xf1\xee\xee\xe1\xf9\xe5\xed\xe8\xe5-----";
	char	*u;

	u = charset_to_utf8("windows-1251", intro, strlen(intro));
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(u, "Иван Петров пишет:");
	ck_assert_int_eq(replyscan_kind(u, strlen(u)), REPLYSCAN_INTRO);
	free(u);
	u = charset_to_utf8("windows-1251", orig, strlen(orig));
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(replyscan_kind(u, strlen(u)), REPLYSCAN_ORIGINAL);
	free(u);
	ck_assert_int_eq(replyscan_kind(intro, strlen(intro)), REPLYSCAN_TEXT);
	ck_assert_int_eq(replyscan_kind("> \xff\xfe", 4), REPLYSCAN_QUOTED);
}
END_TEST

static Suite *
replyscan_suite(void)
{
	Suite	*s = suite_create("replyscan");
	TCase	*tc;

	tc = testlib_tcase(s, "lines");
	tcase_add_loop_test(tc, test_kind, 0, NELEM(kind_cases));
	tcase_add_loop_test(tc, test_body, 0, NELEM(body_cases));
	tcase_add_test(tc, test_line_bounds);
	tcase_add_test(tc, test_long_lines);
	tcase_add_test(tc, test_cp1251);
	return s;
}

int
main(void)
{
	log_init("check_replyscan", 0, 0);
	return testlib_run(replyscan_suite());
}
