/*
 * check_mail: unit tests of the mail layer's parsing and decoding
 * (header, charset, message, html2text, address, filename).
 *
 * Fixtures live in tests/data/mail/ and are found through the
 * environment variable top_srcdir (default ".").
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/address.h"
#include "mail/charset.h"
#include "mail/filename.h"
#include "mail/header.h"
#include "mail/html2text.h"
#include "mail/message.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include "testlib.h"

/* ---- helpers ---- */

/* A file of tests/data/mail/. */
static char *
fixture_read(const char *name, size_t *len)
{
	char	*path, *data;

	path = xasprintf("%s/tests/data/mail/%s", testlib_top_srcdir(), name);
	data = testlib_read_file(path, len);
	free(path);
	return data;
}

/* The pseudo-document in docx_base64.eml, byte for byte. */
static unsigned char *
docx_bytes(size_t *len)
{
	unsigned char	*p = xmalloc(3004);
	size_t		 i;

	p[0] = 0x50;
	p[1] = 0x4b;
	p[2] = 3;
	p[3] = 4;
	for (i = 0; i < 3000; i++)
		p[4 + i] = (unsigned char)((i * 7 + i / 256) & 0xff);
	*len = 3004;
	return p;
}

/* ---- header_split ---- */

static const struct {
	const char	*raw;
	size_t		 nfields;
	size_t		 body_offset;
} split_cases[] = {
	{ "A: 1\nB: 2\n\nbody", 2, 11 },
	{ "A: 1\r\nB: 2\r\n\r\nbody", 2, 14 },
	{ "A: 1\n  folded\nB: 2\n\nx", 2, 20 },
	{ "A: 1\r\n\tfolded\r\n\r\n", 1, 17 },
	{ "A: 1\nB: 2", 2, 9 },
	{ "A: 1\nnot a field line\nB: 2\n\n", 1, 5 },
	{ "", 0, 0 },
	{ "\nbody only", 0, 1 },
	{ "Subject : old style\n\n", 1, 21 },
	{ " leading continuation\n\n", 0, 0 },
};

START_TEST(test_header_split)
{
	struct header_list	 hl;
	const char		*raw = split_cases[_i].raw;

	header_split(raw, strlen(raw), &hl);
	ck_assert_uint_eq(hl.nfields, split_cases[_i].nfields);
	ck_assert_uint_eq(hl.body_offset, split_cases[_i].body_offset);
	header_list_free(&hl);
}
END_TEST

START_TEST(test_header_value)
{
	const char		*raw = "X-A: one\r\n two\r\nsubject:\tHi\r\n"
	    "Subject: second\r\n\r\n";
	struct header_list	 hl;
	char			*v;

	header_split(raw, strlen(raw), &hl);
	ck_assert_int_eq(header_find(&hl, "x-a", 0), 0);
	ck_assert_int_eq(header_find(&hl, "SUBJECT", 0), 1);
	ck_assert_int_eq(header_find(&hl, "Subject", 2), 2);
	ck_assert_int_eq(header_find(&hl, "To", 0), -1);
	v = header_value(&hl, 0);
	ck_assert_str_eq(v, "one two");
	free(v);
	v = header_value(&hl, 1);
	ck_assert_str_eq(v, "Hi");
	free(v);
	ck_assert_ptr_null(header_value(&hl, 9));
	header_list_free(&hl);
}
END_TEST

START_TEST(test_header_split_limit)
{
	struct buf		b;
	struct header_list	hl;
	int			i;

	buf_init(&b);
	for (i = 0; i < HEADER_MAX_FIELDS + 50; i++)
		buf_addf(&b, "X-N%d: v\n", i);
	buf_adds(&b, "\nbody");
	header_split(b.data, b.len, &hl);
	ck_assert_uint_eq(hl.nfields, HEADER_MAX_FIELDS);
	ck_assert_int_eq(hl.truncated, 1);
	ck_assert_str_eq(b.data + hl.body_offset, "body");
	header_list_free(&hl);
	buf_free(&b);
}
END_TEST

/* ---- header_decode ---- */

static const struct {
	const char	*in;
	const char	*out;
} decode_cases[] = {
	{ "plain text", "plain text" },
	{ "=?utf-8?B?0KLQtdC80LA=?=", "Тема" },
	{ "=?UTF-8?Q?=D0=A2=D0=B5=D0=BC=D0=B0?=", "Тема" },
	{ "=?koi8-r?B?9MXNwQ==?=", "Тема" },
	{ "=?KOI8-R?Q?=F4=C5=CD=C1?=", "Тема" },
	{ "=?windows-1251?B?0uXs4A==?=", "Тема" },
	{ "=?cp1251?Q?=D2=E5=EC=E0?=", "Тема" },
	{ "=?iso-8859-5?B?wtXc0A==?=", "Тема" },
	{ "=?ISO-8859-5?Q?=C2=D5=DC=D0?=", "Тема" },
	{ "Re: =?utf-8?Q?a_b?= c", "Re: a b c" },
	/* adjacent words: the space between them goes */
	{ "=?utf-8?Q?a?= =?utf-8?Q?b?=", "ab" },
	{ "=?utf-8?Q?a?=\r\n =?utf-8?Q?b?=", "ab" },
	/* a character split across two words */
	{ "=?utf-8?B?0J/RgNA=?= =?utf-8?B?uNCy0LXRgg==?=", "Привет" },
	/* different charsets side by side */
	{ "=?koi8-r?B?9MXNwQ==?= =?cp1251?B?0uXs4A==?=", "ТемаТема" },
	/* RFC 2231 language in the charset */
	{ "=?utf-8*ru?Q?=D0=A2?=", "Т" },
	/* broken words stay as they are */
	{ "=?utf-8?X?abc?=", "=?utf-8?X?abc?=" },
	{ "=?utf-8?Q?unterminated", "=?utf-8?Q?unterminated" },
	{ "=??Q?x?=", "=??Q?x?=" },
	{ "a =? b ?= c", "a =? b ?= c" },
	/* unknown charset and invalid bytes: replacement characters */
	{ "=?x-no-such?Q?=FF?=", "\xef\xbf\xbd" },
	{ "=?utf-8?Q?=FF?=", "\xef\xbf\xbd" },
	/* undeclared 8-bit: UTF-8 when valid, else windows-1251 */
	{ "\xd0\xa2\xd0\xb5\xd0\xbc\xd0\xb0", "Тема" },
	{ "\xd2\xe5\xec\xe0", "Тема" },
	/* decoded control characters cannot break the line */
	{ "=?utf-8?Q?a=0D=0Ab?=", "a  b" },
	{ "", "" },
};

START_TEST(test_header_decode)
{
	char	*s = header_decode(decode_cases[_i].in);

	ck_assert_str_eq(s, decode_cases[_i].out);
	free(s);
}
END_TEST

/* ---- header_encode ---- */

static const char *const encode_cases[] = {
	"Plain ASCII subject",
	"Тема",
	"[Математика] Заседание методического объединения учителей "
	    "математики Свердловской области — повестка и материалы",
	"Смешанный text with ASCII и кириллица 😀 emoji",
	"=?utf-8?Q?looks_encoded?=",
	"ё",
};

static int
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static void
check_line_lengths(const char *enc, size_t first)
{
	const char	*p = enc, *nl;
	size_t		 n;

	for (;;) {
		nl = strchr(p, '\n');
		n = nl == NULL ? strlen(p) : (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		ck_assert_msg(n + first <= 78, "line too long: %zu", n + first);
		if (nl == NULL)
			break;
		p = nl + 1;
		first = 0;
	}
}

START_TEST(test_header_encode)
{
	const char	*in = encode_cases[_i];
	char		*enc, *dec;

	enc = header_encode(in, strlen("Subject"));
	if (is_ascii(in) && strstr(in, "=?") == NULL)
		ck_assert_str_eq(enc, in);
	else
		ck_assert(is_ascii(enc));
	check_line_lengths(enc, strlen("Subject: "));
	dec = header_decode(enc);
	ck_assert_str_eq(dec, in);
	free(dec);
	free(enc);
}
END_TEST

START_TEST(test_header_encode_address)
{
	char	*s, *d;

	s = header_encode_address(NULL, "a@b.example");
	ck_assert_str_eq(s, "a@b.example");
	free(s);
	s = header_encode_address("Ivan Petrov", "a@b.example");
	ck_assert_str_eq(s, "Ivan Petrov <a@b.example>");
	free(s);
	s = header_encode_address("Petrov, Ivan \"Jr\"", "a@b.example");
	ck_assert_str_eq(s, "\"Petrov, Ivan \\\"Jr\\\"\" <a@b.example>");
	free(s);
	s = header_encode_address("Мария Иванова via Математика",
	    "math@lists.example");
	ck_assert_ptr_nonnull(strstr(s, "=?UTF-8?B?"));
	ck_assert_ptr_nonnull(strstr(s, "<math@lists.example>"));
	check_line_lengths(s, strlen("Reply-To: "));
	d = header_decode(s);
	ck_assert_str_eq(d, "Мария Иванова via Математика "
	    "<math@lists.example>");
	free(d);
	free(s);
}
END_TEST

/* ---- charset ---- */

static const struct {
	const char	*charset;
	const char	*in;
	const char	*out;
} charset_cases[] = {
	{ "koi8-r", "\xf4\xc5\xcd\xc1", "Тема" },
	{ "KOI8R", "\xf4\xc5\xcd\xc1", "Тема" },
	{ "windows-1251", "\xd2\xe5\xec\xe0", "Тема" },
	{ "cp1251", "\xd2\xe5\xec\xe0", "Тема" },
	{ "win-1251", "\xd2\xe5\xec\xe0", "Тема" },
	{ "\"Windows-1251\"", "\xd2\xe5\xec\xe0", "Тема" },
	{ "iso-8859-5", "\xc2\xd5\xdc\xd0", "Тема" },
	{ "utf8", "\xd0\xa2", "Т" },
	{ "utf-8", "a\xff" "b", "a\xef\xbf\xbd" "b" },
	{ "utf-8", "\xd0", "\xef\xbf\xbd" },
	{ "no-such-charset", "ok \xd0\xa2 \xff", "ok Т \xef\xbf\xbd" },
	{ "utf-8//TRANSLIT", "x", "x" },
	{ "us-ascii", "\xd2\xe5\xec\xe0", "Тема" },
	{ NULL, "\xd0\xa2", "Т" },
	{ "", "\xd2", "Т" },
	{ "iso-2022-jp", "\x1b$B", "" },
	{ "utf-16le", "A\0", "A" },
};

START_TEST(test_charset)
{
	const char	*in = charset_cases[_i].in;
	size_t		 len = strlen(in);
	char		*s;

	if (_i == NELEM(charset_cases) - 1)
		len = 2;
	s = charset_to_utf8(charset_cases[_i].charset, in, len);
	ck_assert_str_eq(s, charset_cases[_i].out);
	ck_assert(str_utf8_valid(s, strlen(s)));
	free(s);
}
END_TEST

START_TEST(test_charset_nul)
{
	char	*s = charset_to_utf8("koi8-r", "a\0b", 3);

	ck_assert_str_eq(s, "a\xef\xbf\xbd" "b");
	free(s);
}
END_TEST

/* ---- message_parse on fixtures ---- */

struct fixture_attachment {
	const char	*filename;
	const char	*content_type;
};

static const struct {
	const char			*file;
	const char			*subject;
	const char			*text;		/* a substring */
	int				 from_html;
	int				 malformed;
	size_t				 natt;
	struct fixture_attachment	 att[2];
} message_cases[] = {
	{ "plain.eml", "Plain test", "Hello, colleagues.\nSecond line.\n",
	    0, 0, 0, { { NULL, NULL } } },
	{ "alternative.eml", "Заседание", "Заседание МО состоится в среду.",
	    0, 0, 0, { { NULL, NULL } } },
	{ "html_only.eml", "HTML only",
	    "Новости\n\nКурсы «ФГОС» — в мае.\nЗапись: Сайт", 1, 0, 0,
	    { { NULL, NULL } } },
	{ "koi8r_body.eml", "Тема письма", "Привет из КОИ-8.\n", 0, 0, 0,
	    { { NULL, NULL } } },
	{ "cp1251_body.eml", "Кодировка", "Текст в windows-1251.\n", 0, 0, 0,
	    { { NULL, NULL } } },
	{ "rfc2231_cyrillic.eml", "RFC 2231", "See attached.", 0, 0, 2,
	    { { "Методическая разработка.docx", "application/octet-stream" },
	    { "Отчёт.pdf", "application/pdf" } } },
	{ "rfc2047_name.eml", "RFC 2047 names", "Body.", 0, 0, 2,
	    { { "Программа курса.doc", "application/msword" },
	    { "План работы.txt", "text/plain" } } },
	{ "docx_base64.eml", "docx", "Binary follows.", 0, 0, 1,
	    { { "plan.docx", "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document" } } },
	{ "nested_rfc822.eml", "Fwd: inner", "Outer text.", 0, 0, 2,
	    { { "list.csv", "text/csv" }, { "saved.eml", "message/rfc822" } } },
	{ "truncated.eml", "truncated", "Before the cut.", 0, 1, 1,
	    { { "cut.pdf", "application/pdf" } } },
	{ "only_headers.eml", "only headers", "", 0, 0, 0,
	    { { NULL, NULL } } },
};

START_TEST(test_message_fixture)
{
	struct message	*m;
	char		*raw;
	size_t		 len, i;

	raw = fixture_read(message_cases[_i].file, &len);
	m = message_parse(raw, len);
	ck_assert_str_eq(m->subject, message_cases[_i].subject);
	ck_assert_msg(strstr(m->text, message_cases[_i].text) != NULL,
	    "%s: text is \"%s\"", message_cases[_i].file, m->text);
	ck_assert_int_eq(m->text_from_html, message_cases[_i].from_html);
	ck_assert_int_eq(m->malformed, message_cases[_i].malformed);
	ck_assert_uint_eq(m->nattachments, message_cases[_i].natt);
	for (i = 0; i < m->nattachments; i++) {
		const struct fixture_attachment *a = &message_cases[_i].att[i];

		if (a->filename == NULL)
			ck_assert_ptr_null(m->attachments[i].filename);
		else
			ck_assert_str_eq(m->attachments[i].filename,
			    a->filename);
		ck_assert_str_eq(m->attachments[i].content_type,
		    a->content_type);
	}
	ck_assert(str_utf8_valid(m->text, strlen(m->text)));
	message_free(m);
	free(raw);
}
END_TEST

START_TEST(test_message_fields)
{
	struct message	*m;
	char		*raw, *v;
	size_t		 len;

	raw = fixture_read("alternative.eml", &len);
	m = message_parse(raw, len);
	ck_assert_str_eq(m->from_addr, "maria@school2.example");
	ck_assert_str_eq(m->from_name, "Мария Иванова");
	ck_assert_str_eq(m->in_reply_to, "parent@x.example");
	ck_assert_ptr_null(m->message_id);
	ck_assert(strncmp(raw + m->body_offset, "--alt-b\r\n", 9) == 0);
	v = message_header(m, "mime-version");
	ck_assert_str_eq(v, "1.0");
	free(v);
	ck_assert_ptr_null(message_header(m, "X-Absent"));
	message_free(m);
	free(raw);

	raw = fixture_read("plain.eml", &len);
	m = message_parse(raw, len);
	ck_assert_str_eq(m->message_id, "plain-1@school1.example");
	ck_assert_str_eq(m->date, "Tue, 12 May 2026 10:00:00 +0500");
	ck_assert_str_eq(m->from_name, "Ivan Petrov");
	ck_assert_str_eq(raw + m->body_offset,
	    "Hello, colleagues.\nSecond line.\n");
	message_free(m);
	free(raw);

	raw = fixture_read("only_headers.eml", &len);
	m = message_parse(raw, len);
	ck_assert_str_eq(m->message_id, "no-brackets@b.example");
	ck_assert_uint_eq(m->body_offset, len);
	message_free(m);
	free(raw);
}
END_TEST

START_TEST(test_message_docx_exact)
{
	struct message	*m;
	char		*raw;
	unsigned char	*want;
	size_t		 len, wlen;

	raw = fixture_read("docx_base64.eml", &len);
	m = message_parse(raw, len);
	want = docx_bytes(&wlen);
	ck_assert_uint_eq(m->nattachments, 1);
	ck_assert_uint_eq(m->attachments[0].len, wlen);
	ck_assert(memcmp(m->attachments[0].data, want, wlen) == 0);
	free(want);
	message_free(m);
	free(raw);
}
END_TEST

START_TEST(test_message_nested_saved)
{
	struct message	*m;
	char		*raw;
	size_t		 len;

	raw = fixture_read("nested_rfc822.eml", &len);
	m = message_parse(raw, len);
	ck_assert_uint_eq(m->nattachments, 2);
	ck_assert_str_eq(m->attachments[0].data, "a,b");
	ck_assert_ptr_nonnull(strstr(m->attachments[1].data,
	    "Subject: saved"));
	message_free(m);
	free(raw);
}
END_TEST

START_TEST(test_message_empty)
{
	struct message	*m = message_parse("", 0);

	ck_assert_str_eq(m->subject, "");
	ck_assert_str_eq(m->text, "");
	ck_assert_ptr_null(m->from_addr);
	ck_assert_uint_eq(m->nattachments, 0);
	ck_assert_int_eq(m->malformed, 1);
	message_free(m);
	m = message_parse(NULL, 0);
	ck_assert_str_eq(m->subject, "");
	message_free(m);
}
END_TEST

START_TEST(test_message_huge_header)
{
	struct buf	 b;
	struct message	*m;
	size_t		 i;

	buf_init(&b);
	buf_adds(&b, "Subject: ");
	for (i = 0; i < 200000; i++)
		buf_addc(&b, 'a' + (int)(i % 26));
	buf_adds(&b, "\nFrom: x@y.example\n\nbody\n");
	m = message_parse(b.data, b.len);
	ck_assert_uint_eq(strlen(m->subject), 200000);
	ck_assert_str_eq(m->from_addr, "x@y.example");
	ck_assert_str_eq(m->text, "body\n");
	message_free(m);
	buf_free(&b);
}
END_TEST

/* Garbage, deep nesting, many parts: bounded, never a crash. */
START_TEST(test_message_hostile)
{
	struct buf	 b;
	struct message	*m;
	int		 i;

	buf_init(&b);
	buf_adds(&b, "Subject: deep\n");
	for (i = 0; i < 60; i++)
		buf_addf(&b, "Content-Type: multipart/mixed; boundary=b%d\n\n"
		    "--b%d\n", i, i);
	buf_adds(&b, "Content-Type: text/plain\n\ndeep text\n");
	m = message_parse(b.data, b.len);
	ck_assert_int_eq(m->malformed, 1);
	message_free(m);

	buf_reset(&b);
	buf_adds(&b, "Subject: wide\nContent-Type: multipart/mixed; "
	    "boundary=w\n\n");
	for (i = 0; i < MESSAGE_MAX_PARTS + 20; i++)
		buf_addf(&b, "--w\nContent-Type: application/x-n; name=f%d\n"
		    "\nx\n", i);
	buf_adds(&b, "--w--\n");
	m = message_parse(b.data, b.len);
	ck_assert_int_eq(m->malformed, 1);
	ck_assert(m->nattachments < MESSAGE_MAX_PARTS);
	message_free(m);

	buf_reset(&b);
	for (i = 0; i < 3000; i++)
		buf_adds(&b, "Content-Type: message/rfc822\n\n");
	m = message_parse(b.data, b.len);
	ck_assert_int_eq(m->malformed, 1);
	message_free(m);

	buf_reset(&b);
	buf_add(&b, "Subject: \xff\xfe\0x\nContent-Type: multipart/mixed; "
	    "boundary=\"\"\n\n\0\0--\n--\n=?=?", 61);
	m = message_parse(b.data, b.len);
	ck_assert(str_utf8_valid(m->subject, strlen(m->subject)));
	message_free(m);
	buf_free(&b);
}
END_TEST


/* ---- message_check: each bound at its limit and one past it ---- */

/* A message of n header fields (Subject and n - 1 others). */
static void
mk_fields(struct buf *b, size_t n)
{
	size_t	i;

	buf_reset(b);
	buf_adds(b, "Subject: fields\n");
	for (i = 1; i < n; i++)
		buf_addf(b, "X-F%zu: %zu\n", i, i);
	buf_adds(b, "\nbody\n");
}

static const struct {
	size_t	limit;
	size_t	n;
	int	over;
} fields_cases[] = {
	{ 10, 10, 0 }, { 10, 11, 1 }, { 1, 1, 0 }, { 1, 2, 1 },
	{ MESSAGE_MAX_HEADERS, MESSAGE_MAX_HEADERS, 0 },
	{ MESSAGE_MAX_HEADERS, MESSAGE_MAX_HEADERS + 1, 1 },
};

START_TEST(test_check_fields)
{
	struct message_limits	lim;
	struct buf		b;
	size_t			found = 0;
	enum message_bound	r;

	message_limits_default(&lim);
	lim.header_fields = fields_cases[_i].limit;
	buf_init(&b);
	mk_fields(&b, fields_cases[_i].n);
	r = message_check(b.data, b.len, &lim, &found);
	if (fields_cases[_i].over) {
		ck_assert_int_eq(r, MESSAGE_OVER_HEADER_FIELDS);
		ck_assert_uint_eq(found, fields_cases[_i].n);
	} else
		ck_assert_int_eq(r, MESSAGE_WITHIN);
	buf_free(&b);
}
END_TEST

static const struct {
	size_t		 limit;
	size_t		 n;		/* octets of the long line */
	const char	*eol;		/* its end; NULL: last, no end */
	int		 in_header;
	int		 over;
} line_cases[] = {
	{ 100, 100, "\n", 0, 0 }, { 100, 101, "\n", 0, 1 },
	{ 100, 100, "\r\n", 0, 0 }, { 100, 101, "\r\n", 0, 1 },
	{ 100, 100, "\n", 1, 0 }, { 100, 101, "\n", 1, 1 },
	{ 100, 100, NULL, 0, 0 }, { 100, 101, NULL, 0, 1 },
	{ 998, 998, "\r\n", 0, 0 },
	{ 998, 999, "\r\n", 0, 1 },
	{ MESSAGE_DEFAULT_LINE, MESSAGE_DEFAULT_LINE, "\r\n", 0, 0 },
	{ MESSAGE_DEFAULT_LINE, MESSAGE_DEFAULT_LINE + 1, "\r\n", 0, 1 },
	{ MESSAGE_MAX_LINE, MESSAGE_MAX_LINE, "\n", 0, 0 },
	{ MESSAGE_MAX_LINE, MESSAGE_MAX_LINE + 1, "\n", 0, 1 },
};

START_TEST(test_check_line)
{
	struct message_limits	lim;
	struct buf		b;
	size_t			found = 0, i, n = line_cases[_i].n;
	const char		*eol = line_cases[_i].eol;
	enum message_bound	r;

	message_limits_default(&lim);
	lim.line = line_cases[_i].limit;
	buf_init(&b);
	if (line_cases[_i].in_header) {
		buf_adds(&b, "X-Long: ");
		for (i = 8; i < n; i++)
			buf_addc(&b, 'h');
		buf_adds(&b, eol);
		buf_adds(&b, "Subject: s\n\nbody\n");
	} else {
		buf_adds(&b, "Subject: s\n\nfirst\n");
		for (i = 0; i < n; i++)
			buf_addc(&b, 'a' + (int)(i % 26));
		buf_adds(&b, eol ? eol : "");
		if (eol != NULL)
			buf_adds(&b, "last\n");
	}
	r = message_check(b.data, b.len, &lim, &found);
	if (line_cases[_i].over) {
		ck_assert_int_eq(r, MESSAGE_OVER_LINE);
		ck_assert_uint_eq(found, n);
	} else
		ck_assert_int_eq(r, MESSAGE_WITHIN);
	buf_free(&b);
}
END_TEST

/* levels multiparts one in another, a text at the bottom: depth
 * levels + 1, parts levels + 1. */
static void
mk_nested(struct buf *b, int levels)
{
	int	i;

	buf_reset(b);
	buf_adds(b, "Subject: nested\nMIME-Version: 1.0\n");
	for (i = 0; i < levels; i++)
		buf_addf(b, "Content-Type: multipart/mixed; boundary=n%d\n\n"
		    "--n%d\n", i, i);
	buf_adds(b, "Content-Type: text/plain\n\nleaf\n");
	for (i = levels - 1; i >= 0; i--)
		buf_addf(b, "--n%d--\n", i);
}

static const struct {
	size_t	limit;
	int	levels;
	int	over;
} depth_cases[] = {
	{ 1, 0, 0 }, { 1, 1, 1 }, { 5, 4, 0 }, { 5, 5, 1 },
	{ MESSAGE_MAX_DEPTH, MESSAGE_MAX_DEPTH - 1, 0 },
	{ MESSAGE_MAX_DEPTH, MESSAGE_MAX_DEPTH, 1 },
};

START_TEST(test_check_depth)
{
	struct message_limits	lim;
	struct message		*m;
	struct buf		b;
	size_t			found = 0;
	enum message_bound	r;

	message_limits_default(&lim);
	lim.depth = depth_cases[_i].limit;
	buf_init(&b);
	mk_nested(&b, depth_cases[_i].levels);
	r = message_check(b.data, b.len, &lim, &found);
	if (depth_cases[_i].over) {
		ck_assert_int_eq(r, MESSAGE_OVER_DEPTH);
		ck_assert_uint_eq(found, depth_cases[_i].limit + 1);
	} else {
		ck_assert_int_eq(r, MESSAGE_WITHIN);
		/* within the bound, the parser reaches the bottom */
		m = message_parse(b.data, b.len);
		ck_assert_int_eq(m->malformed, 0);
		ck_assert_msg(strncmp(m->text, "leaf", 4) == 0, "text \"%s\"",
		    m->text);
		message_free(m);
	}
	buf_free(&b);
}
END_TEST

/* A multipart/mixed of n named files: n + 1 parts. */
static void
mk_wide(struct buf *b, int n)
{
	int	i;

	buf_reset(b);
	buf_adds(b, "Subject: wide\nContent-Type: multipart/mixed; "
	    "boundary=w\n\n");
	for (i = 0; i < n; i++)
		buf_addf(b, "--w\nContent-Type: application/x-n; name=f%d\n"
		    "\nx\n", i);
	buf_adds(b, "--w--\n");
}

static const struct {
	size_t	limit;
	int	files;
	int	over;
} parts_cases[] = {
	{ 2, 1, 0 }, { 2, 2, 1 }, { 10, 9, 0 }, { 10, 10, 1 },
	{ MESSAGE_MAX_PARTS, MESSAGE_MAX_PARTS - 1, 0 },
	{ MESSAGE_MAX_PARTS, MESSAGE_MAX_PARTS, 1 },
};

START_TEST(test_check_parts)
{
	struct message_limits	lim;
	struct message		*m;
	struct buf		b;
	size_t			found = 0;
	enum message_bound	r;

	message_limits_default(&lim);
	lim.parts = parts_cases[_i].limit;
	buf_init(&b);
	mk_wide(&b, parts_cases[_i].files);
	r = message_check(b.data, b.len, &lim, &found);
	if (parts_cases[_i].over) {
		ck_assert_int_eq(r, MESSAGE_OVER_PARTS);
		ck_assert_uint_eq(found, parts_cases[_i].limit + 1);
	} else {
		ck_assert_int_eq(r, MESSAGE_WITHIN);
		/* within the bound, the parser keeps every file */
		m = message_parse(b.data, b.len);
		ck_assert_int_eq(m->malformed, 0);
		ck_assert_uint_eq(m->nattachments,
		    (size_t)parts_cases[_i].files);
		message_free(m);
	}
	buf_free(&b);
}
END_TEST

/* Containers beyond the ceiling, the order of the bounds, no message. */
START_TEST(test_check_misc)
{
	struct message_limits	lim;
	struct buf		b;
	size_t			found = 7;
	int			i;

	message_limits_default(&lim);
	buf_init(&b);
	for (i = 0; i < 3000; i++)
		buf_adds(&b, "Content-Type: message/rfc822\n\n");
	ck_assert_int_eq(message_check(b.data, b.len, &lim, &found),
	    MESSAGE_OVER_PARTS);
	ck_assert_uint_gt(found, MESSAGE_MAX_PARTS);

	/* two fields, six parts: the parts are named */
	lim.header_fields = 2;
	lim.parts = 2;
	mk_wide(&b, 5);
	ck_assert_int_eq(message_check(b.data, b.len, &lim, NULL),
	    MESSAGE_OVER_PARTS);
	/* over the fields and the parts: the fields are named first */
	buf_reset(&b);
	buf_adds(&b, "A: 1\nB: 2\nC: 3\nContent-Type: multipart/mixed; "
	    "boundary=w\n\n--w\n\nx\n--w\n\ny\n--w--\n");
	ck_assert_int_eq(message_check(b.data, b.len, &lim, NULL),
	    MESSAGE_OVER_HEADER_FIELDS);

	ck_assert_int_eq(message_check(NULL, 0, &lim, &found),
	    MESSAGE_WITHIN);
	ck_assert_uint_eq(found, 0);
	buf_free(&b);
}
END_TEST

/* ---- html2text ---- */

static const struct {
	const char	*in;
	const char	*out;
} html_cases[] = {
	{ "<p>One</p><p>Two</p>", "One\n\nTwo\n" },
	{ "a<br>b<br/>c", "a\nb\nc\n" },
	{ "<ul><li>x</li><li>y</li></ul>", "- x\n- y\n" },
	{ "<script>if (a<b) x();</script>Shown", "Shown\n" },
	{ "<head><title>T</title><style>p{}</style></head><body>B</body>",
	    "B\n" },
	{ "&laquo;Q&raquo; &mdash; &amp; &lt;&gt; &quot;", "«Q» — & <> \"\n" },
	{ "a&nbsp;b", "a b\n" },
	{ "&#1058;&#x435;&#X43C;&#1072;", "Тема\n" },
	{ "&bogus; &#xZZ; & x", "&bogus; &#xZZ; & x\n" },
	{ "  many   \n\n spaces\t here ", "many spaces here\n" },
	{ "<!-- hidden -->seen", "seen\n" },
	{ "<div>a</div><div>b</div>", "a\nb\n" },
	{ "<pre>a  b\nc</pre>", "a  b\nc\n" },
	{ "unclosed <b", "unclosed\n" },
	{ "1 < 2", "1 < 2\n" },
	{ "", "" },
	{ "&#0;&#x110000;", "\xef\xbf\xbd\xef\xbf\xbd\n" },
};

START_TEST(test_html2text)
{
	char	*s = html2text(html_cases[_i].in, strlen(html_cases[_i].in));

	ck_assert_str_eq(s, html_cases[_i].out);
	free(s);
}
END_TEST

/* ---- address ---- */

static const struct {
	const char	*in;
	const char	*out;		/* NULL: not an address */
} address_cases[] = {
	{ "a@b.example", "a@b.example" },
	{ "<a@b.example>", "a@b.example" },
	{ "Ivan <Ivan.Petrov@School.EXAMPLE>", "Ivan.Petrov@school.example" },
	{ "\"Petrov, Ivan\" <ip@b.example>", "ip@b.example" },
	{ "a@b.example (Ivan Petrov)", "a@b.example" },
	{ "  a@B.Example.  ", "a@b.example" },
	{ "Учитель@Школа.РФ", "Учитель@xn--80atdl2c.xn--p1ai" },
	{ "Мария <maria@гимназия.рф>", "maria@xn--80afnccvh1m.xn--p1ai" },
	{ "x@xn--P1AI", "x@xn--p1ai" },
	{ "\"odd local\"@b.example", "\"odd local\"@b.example" },
	{ "<@relay.example:a@b.example>", "a@b.example" },
	{ "Big Bug bb@bug.example", "bb@bug.example" },
	{ "not an address", NULL },
	{ "@b.example", NULL },
	{ "a@", NULL },
	{ "", NULL },
	{ "a b@c.example", "b@c.example" },
	{ "<a b@c.example>", NULL },
	{ "a@b..example", NULL },
	{ "a@\xff.example", NULL },
	/* found by fuzzing (tests/data/fuzz-regressions/address-*) */
	{ "t@[\xff]", NULL },
	{ "t@[A]", "t@[a]" },
	{ "<\"a[\"@x b\"@y>", NULL },
	{ "\"a\\\"b\"@c.example", "\"a\\\"b\"@c.example" },
};

START_TEST(test_address_normalize)
{
	char	*s = address_normalize(address_cases[_i].in);

	if (address_cases[_i].out == NULL)
		ck_assert_msg(s == NULL, "%s gave %s", address_cases[_i].in, s);
	else {
		ck_assert_ptr_nonnull(s);
		ck_assert_str_eq(s, address_cases[_i].out);
	}
	free(s);
}
END_TEST

START_TEST(test_address_equal)
{
	char	*l, *d;

	ck_assert_int_eq(address_equal("a@B.example", "<a@b.EXAMPLE>", 0), 1);
	ck_assert_int_eq(address_equal("A@b.example", "a@b.example", 0), 0);
	ck_assert_int_eq(address_equal("A@b.example", "a@b.example", 1), 1);
	ck_assert_int_eq(address_equal("Учитель@школа.рф",
	    "учитель@xn--80atdl2c.xn--p1ai", 1), 1);
	ck_assert_int_eq(address_equal("Учитель@школа.рф",
	    "учитель@xn--80atdl2c.xn--p1ai", 0), 0);
	ck_assert_int_eq(address_equal("bogus", "bogus", 1), 0);
	ck_assert_int_eq(address_split("a@b.example", &l, &d), 0);
	ck_assert_str_eq(l, "a");
	ck_assert_str_eq(d, "b.example");
	free(l);
	free(d);
	ck_assert_int_eq(address_split("nope", &l, &d), -1);
	ck_assert_ptr_null(l);
	ck_assert_int_eq(address_split("a@", &l, &d), -1);
}
END_TEST

/* ---- filename_safe ---- */

static const struct {
	const char	*in;
	const char	*out;
} filename_cases[] = {
	{ "Методичка.docx", "Методичка.docx" },
	{ "../../etc/passwd", "passwd" },
	{ "C:\\Users\\x\\План.pdf", "План.pdf" },
	{ ".hidden", "hidden" },
	{ "...", "attachment" },
	{ "", "attachment" },
	{ NULL, "attachment" },
	{ "name. . .", "name" },
	{ "a\tb\x01" "c\x7f.txt", "abc.txt" },
	{ "CON", "_CON" },
	{ "nul.txt", "_nul.txt" },
	{ "com1.doc", "_com1.doc" },
	{ "console.txt", "console.txt" },
	{ "a<b>c:d|e?f*g\".txt", "a_b_c_d_e_f_g_.txt" },
	{ "bad\xff.txt", "bad\xef\xbf\xbd.txt" },
	{ "evil\xe2\x80\xaetxt.exe", "eviltxt.exe" },
	{ "dir/", "attachment" },
};

START_TEST(test_filename_safe)
{
	char	*s = filename_safe(filename_cases[_i].in);

	ck_assert_str_eq(s, filename_cases[_i].out);
	free(s);
}
END_TEST

/* Every regression input the fuzzer found: within the bounds, no space
 * or dot at either end, no path separator. */
START_TEST(test_filename_regressions)
{
	char	*path, *data, *s;
	size_t	 len;

	path = testlib_srcpath("tests/data/fuzz-regressions/filename-1");
	data = testlib_read_file(path, &len);
	s = filename_safe(data);
	ck_assert_uint_le(strlen(s), FILENAME_MAX_BYTES);
	ck_assert(str_utf8_valid(s, strlen(s)));
	ck_assert_msg(strchr(". ", s[strlen(s) - 1]) == NULL &&
	    strchr(". ", s[0]) == NULL, "'%s' begins or ends badly", s);
	ck_assert_ptr_null(strchr(s, '/'));
	free(s);
	free(data);
	free(path);
}
END_TEST

START_TEST(test_filename_long)
{
	struct buf	 b;
	char		*s;
	int		 i;

	buf_init(&b);
	for (i = 0; i < 300; i++)
		buf_adds(&b, "ж");
	buf_adds(&b, ".docx");
	s = filename_safe(b.data);
	ck_assert_uint_le(strlen(s), FILENAME_MAX_BYTES);
	ck_assert(str_utf8_valid(s, strlen(s)));
	ck_assert_str_eq(s + strlen(s) - 5, ".docx");
	ck_assert_uint_eq(strlen(s), 199);
	free(s);
	buf_free(&b);
}
END_TEST

static Suite *
mail_suite(void)
{
	Suite	*s = suite_create("mail");
	TCase	*tc;

	tc = testlib_tcase(s, "header");
	tcase_add_loop_test(tc, test_header_split, 0, NELEM(split_cases));
	tcase_add_test(tc, test_header_value);
	tcase_add_test(tc, test_header_split_limit);
	tcase_add_loop_test(tc, test_header_decode, 0, NELEM(decode_cases));
	tcase_add_loop_test(tc, test_header_encode, 0, NELEM(encode_cases));
	tcase_add_test(tc, test_header_encode_address);

	tc = testlib_tcase(s, "charset");
	tcase_add_loop_test(tc, test_charset, 0, NELEM(charset_cases));
	tcase_add_test(tc, test_charset_nul);

	tc = testlib_tcase(s, "message");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_message_fixture, 0, NELEM(message_cases));
	tcase_add_test(tc, test_message_fields);
	tcase_add_test(tc, test_message_docx_exact);
	tcase_add_test(tc, test_message_nested_saved);
	tcase_add_test(tc, test_message_empty);
	tcase_add_test(tc, test_message_huge_header);
	tcase_add_test(tc, test_message_hostile);

	tc = testlib_tcase(s, "limits");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_check_fields, 0, NELEM(fields_cases));
	tcase_add_loop_test(tc, test_check_line, 0, NELEM(line_cases));
	tcase_add_loop_test(tc, test_check_depth, 0, NELEM(depth_cases));
	tcase_add_loop_test(tc, test_check_parts, 0, NELEM(parts_cases));
	tcase_add_test(tc, test_check_misc);

	tc = testlib_tcase(s, "html2text");
	tcase_add_loop_test(tc, test_html2text, 0, NELEM(html_cases));

	tc = testlib_tcase(s, "address");
	tcase_add_loop_test(tc, test_address_normalize, 0,
	    NELEM(address_cases));
	tcase_add_test(tc, test_address_equal);

	tc = testlib_tcase(s, "filename");
	tcase_add_loop_test(tc, test_filename_safe, 0, NELEM(filename_cases));
	tcase_add_test(tc, test_filename_long);
	tcase_add_test(tc, test_filename_regressions);
	return s;
}

int
main(void)
{
	return testlib_run(mail_suite());
}
