/*
 * check_util: unit tests of the generic layer (buf, strutil, atomicfile,
 * ini, timefmt).  Files are made in a private temporary directory per
 * test; nothing is read from the source tree.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/ini.h"
#include "util/rnd.h"
#include "util/strutil.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include "testlib.h"

/* ---- helpers ---- */

static size_t
dir_count(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	size_t		 n = 0;

	ck_assert_msg(d != NULL, "opendir %s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* ---- buf ---- */

START_TEST(test_buf_growth)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	ck_assert_uint_eq(b.len, 0);
	for (i = 0; i < 10000; i++)
		buf_addc(&b, 'a' + (int)(i % 26));
	ck_assert_uint_eq(b.len, 10000);
	ck_assert_uint_ge(b.cap, b.len + 1);
	ck_assert_int_eq(b.data[b.len], '\0');
	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(b.data[i], 'a' + (int)(i % 26));
	buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(buf_cstr(&b), "");
	buf_adds(&b, "xyz");
	ck_assert_str_eq(buf_cstr(&b), "xyz");
	buf_free(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

START_TEST(test_buf_nul_inside)
{
	struct buf	 b;
	char		*p;

	buf_init(&b);
	buf_add(&b, "a\0b", 3);
	buf_add(&b, "\0", 1);
	buf_adds(&b, "c");
	ck_assert_uint_eq(b.len, 5);
	ck_assert_int_eq(memcmp(b.data, "a\0b\0c", 5), 0);
	ck_assert_int_eq(b.data[5], '\0');
	buf_add(&b, NULL, 0);
	ck_assert_uint_eq(b.len, 5);
	p = buf_detach(&b);
	ck_assert_int_eq(memcmp(p, "a\0b\0c", 6), 0);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
	free(p);
}
END_TEST

/* Contract: data is always NUL-terminated, so a fresh buffer reads "". */
START_TEST(test_buf_empty)
{
	struct buf	 b;
	char		*p;

	buf_init(&b);
	ck_assert_msg(buf_cstr(&b)[0] == '\0',
	    "buf_cstr of a never-written buffer is not NUL-terminated");
	buf_free(&b);
	buf_init(&b);
	p = buf_detach(&b);
	ck_assert_ptr_nonnull(p);
	ck_assert_msg(p[0] == '\0',
	    "buf_detach of a never-written buffer is not NUL-terminated");
	free(p);
}
END_TEST

START_TEST(test_buf_addf)
{
	struct buf	 b;
	char		 big[300];

	buf_init(&b);
	buf_adds(&b, "n=");
	buf_addf(&b, "%d-%s", 42, "x");
	ck_assert_str_eq(buf_cstr(&b), "n=42-x");
	ck_assert_uint_eq(b.len, 6);
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_addf(&b, "[%s]", big);	/* forces growth inside addf */
	ck_assert_uint_eq(b.len, 6 + 2 + 299);
	ck_assert_int_eq(b.data[6], '[');
	ck_assert_int_eq(b.data[6 + 1 + 299], ']');
	ck_assert_int_eq(b.data[b.len], '\0');
	ck_assert_uint_eq(strlen(b.data), b.len);
	buf_addf(&b, "%s", "");
	ck_assert_uint_eq(b.len, 6 + 2 + 299);
	buf_free(&b);
}
END_TEST

/* ---- str_lcpy ---- */

static const struct {
	const char	*src;
	size_t		 size;
	const char	*want;
	size_t		 ret;
} lcpy_cases[] = {
	{ "hello", 10, "hello", 5 },
	{ "hello", 6, "hello", 5 },
	{ "hello", 5, "hell", 5 },
	{ "hello", 2, "h", 5 },
	{ "hello", 1, "", 5 },
	{ "", 4, "", 0 },
};

START_TEST(test_str_lcpy)
{
	char	dst[16];

	memset(dst, 'Z', sizeof dst);
	ck_assert_uint_eq(str_lcpy(dst, lcpy_cases[_i].src,
	    lcpy_cases[_i].size), lcpy_cases[_i].ret);
	ck_assert_str_eq(dst, lcpy_cases[_i].want);
	/* nothing written past size */
	ck_assert_int_eq(dst[lcpy_cases[_i].size], 'Z');
}
END_TEST

START_TEST(test_str_lcpy_zero)
{
	char	dst[4] = "abc";

	ck_assert_uint_eq(str_lcpy(dst, "longer", 0), 6);
	ck_assert_str_eq(dst, "abc");
}
END_TEST

/* ---- str_trim ---- */

static const struct {
	const char	*in;
	const char	*want;
} trim_cases[] = {
	{ "abc", "abc" },
	{ "  abc", "abc" },
	{ "abc  ", "abc" },
	{ " \t a b \r\n", "a b" },
	{ "", "" },
	{ " \t\r\n\f\v", "" },
	{ "  Привет мир  ", "Привет мир" },
	{ "x", "x" },
};

START_TEST(test_str_trim)
{
	char	buf[64];
	char	*r;

	str_lcpy(buf, trim_cases[_i].in, sizeof buf);
	r = str_trim(buf);
	ck_assert_ptr_eq(r, buf);
	ck_assert_str_eq(buf, trim_cases[_i].want);
}
END_TEST

START_TEST(test_str_misc)
{
	char	 s[] = "MiXeD ПрИвЕт 12";
	char	*p;

	str_lower_ascii(s);
	ck_assert_str_eq(s, "mixed ПрИвЕт 12");
	ck_assert_int_eq(str_has_prefix_ci("Re: x", "RE:"), 1);
	ck_assert_int_eq(str_has_prefix_ci("R", "Re:"), 0);
	p = str_path_join("/a/b", "c");
	ck_assert_str_eq(p, "/a/b/c");
	free(p);
	p = str_path_join("/a/b/", "c");
	ck_assert_str_eq(p, "/a/b/c");
	free(p);
}
END_TEST

/* ---- str_to_u64 ---- */

static const struct {
	const char	*s;
	uint64_t	 max;
	int		 rc;
	uint64_t	 want;
} u64_cases[] = {
	{ "0", 10, 0, 0 },
	{ "10", 10, 0, 10 },
	{ "007", 10, 0, 7 },
	{ "11", 10, -1, 0 },
	{ "", 10, -1, 0 },
	{ "abc", 10, -1, 0 },
	{ "12abc", 100, -1, 0 },
	{ "1 ", 10, -1, 0 },
	{ " 1", 10, -1, 0 },
	{ "-1", UINT64_MAX, -1, 0 },
	{ "+1", 10, -1, 0 },
	{ "0x10", UINT64_MAX, -1, 0 },
	{ "18446744073709551615", UINT64_MAX, 0, UINT64_MAX },
	{ "18446744073709551616", UINT64_MAX, -1, 0 },
	{ "99999999999999999999999", UINT64_MAX, -1, 0 },
	{ "1099511627776", (uint64_t)1 << 40, 0, (uint64_t)1 << 40 },
	{ "1099511627777", (uint64_t)1 << 40, -1, 0 },
	{ NULL, 10, -1, 0 },
};

START_TEST(test_str_to_u64)
{
	uint64_t	v = 12345;

	ck_assert_msg(str_to_u64(u64_cases[_i].s, u64_cases[_i].max, &v) ==
	    u64_cases[_i].rc, "str_to_u64(\"%s\", %llu)",
	    u64_cases[_i].s ? u64_cases[_i].s : "(null)",
	    (unsigned long long)u64_cases[_i].max);
	if (u64_cases[_i].rc == 0)
		ck_assert_uint_eq(v, u64_cases[_i].want);
	else
		ck_assert_uint_eq(v, 12345);	/* untouched on failure */
}
END_TEST

/* ---- str_utf8_valid ---- */

static const struct {
	const char	*what;
	const char	*s;
	int		 len;	/* -1: strlen */
	int		 valid;
} utf8_cases[] = {
	{ "empty", "", -1, 1 },
	{ "ascii", "hello, world", -1, 1 },
	{ "ascii with NUL", "a\0b", 3, 1 },
	{ "cyrillic", "Привет, учитель! Ёё", -1, 1 },
	{ "2-byte min U+0080", "\xc2\x80", -1, 1 },
	{ "3-byte euro", "\xe2\x82\xac", -1, 1 },
	{ "U+D7FF before surrogates", "\xed\x9f\xbf", -1, 1 },
	{ "U+E000 after surrogates", "\xee\x80\x80", -1, 1 },
	{ "4-byte emoji", "\xf0\x9f\x98\x80", -1, 1 },
	{ "4-byte max U+10FFFF", "\xf4\x8f\xbf\xbf", -1, 1 },
	{ "4-byte amid text", "a\xf0\x9f\x93\x9a b", -1, 1 },
	{ "overlong 2-byte /", "\xc0\xaf", -1, 0 },
	{ "overlong 2-byte C1", "\xc1\xbf", -1, 0 },
	{ "overlong 3-byte", "\xe0\x80\xaf", -1, 0 },
	{ "overlong 3-byte max", "\xe0\x9f\xbf", -1, 0 },
	{ "overlong 4-byte", "\xf0\x80\x80\xaf", -1, 0 },
	{ "overlong 4-byte max", "\xf0\x8f\xbf\xbf", -1, 0 },
	{ "surrogate high", "\xed\xa0\x80", -1, 0 },
	{ "surrogate low", "\xed\xbf\xbf", -1, 0 },
	{ "above U+10FFFF", "\xf4\x90\x80\x80", -1, 0 },
	{ "5-byte form", "\xf8\x88\x80\x80\x80", -1, 0 },
	{ "0xff", "\xff", -1, 0 },
	{ "lone continuation", "\x80", -1, 0 },
	{ "truncated 2-byte", "\xd0", -1, 0 },
	{ "truncated 2-byte after text", "Пр\xd0", -1, 0 },
	{ "truncated 3-byte", "\xe2\x82", -1, 0 },
	{ "truncated 4-byte", "\xf0\x9f\x98", -1, 0 },
	{ "sequence cut by n", "Пр", 3, 0 },
	{ "continuation replaced by ASCII", "\xd0\x41", -1, 0 },
	{ "3-byte with bad second", "\xe2\x28\xa1", -1, 0 },
	{ "cp1251 bytes", "\xcf\xf0\xe8\xe2\xe5\xf2", -1, 0 },
};

START_TEST(test_str_utf8_valid)
{
	size_t	n = utf8_cases[_i].len < 0 ? strlen(utf8_cases[_i].s) :
	    (size_t)utf8_cases[_i].len;

	ck_assert_msg(str_utf8_valid(utf8_cases[_i].s, n) ==
	    utf8_cases[_i].valid, "%s: expected %s", utf8_cases[_i].what,
	    utf8_cases[_i].valid ? "valid" : "invalid");
}
END_TEST

/* ---- rnd ---- */

START_TEST(test_rnd_hex)
{
	char	a[33], b[33];
	size_t	i;

	memset(a, 'X', sizeof a);
	rnd_hex(a, 16);
	rnd_hex(b, 16);
	ck_assert_uint_eq(strlen(a), 32);
	for (i = 0; i < 32; i++)
		ck_assert_msg(strchr("0123456789abcdef", a[i]) != NULL,
		    "not lower-case hex: %s", a);
	ck_assert_str_ne(a, b);
}
END_TEST

/* ---- atomicfile ---- */

START_TEST(test_atomicfile_write)
{
	const char	*dir = testlib_dir();
	const char	 data[] = "line 1\n\0binary\xff\nend";
	char		*tmp, *dst, *back;
	size_t		 len;
	struct stat	 st;

	tmp = str_path_join(dir, "tmp");
	dst = str_path_join(dir, "final.eml");
	ck_assert_int_eq(mkdir(tmp, 0700), 0);
	ck_assert_int_eq(atomicfile_write(tmp, dst, data, sizeof data - 1), 0);
	ck_assert_int_eq(stat(dst, &st), 0);
	ck_assert_int_eq((int)st.st_size, (int)(sizeof data - 1));
	back = atomicfile_read(dst, 1024, &len);
	ck_assert_ptr_nonnull(back);
	ck_assert_uint_eq(len, sizeof data - 1);
	ck_assert_int_eq(memcmp(back, data, len), 0);
	free(back);
	ck_assert_uint_eq(dir_count(tmp), 0);	/* no temporary left */
	ck_assert_uint_eq(dir_count(dir), 2);	/* tmp and final.eml */

	/* replacing an existing file */
	ck_assert_int_eq(atomicfile_write(tmp, dst, "new", 3), 0);
	back = atomicfile_read(dst, 1024, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(memcmp(back, "new", 3), 0);
	free(back);
	ck_assert_uint_eq(dir_count(tmp), 0);

	/* empty file */
	ck_assert_int_eq(atomicfile_write(tmp, dst, "", 0), 0);
	ck_assert_int_eq(stat(dst, &st), 0);
	ck_assert_int_eq((int)st.st_size, 0);
	free(tmp);
	free(dst);
}
END_TEST

/*
 * A write that fails leaves nothing behind: the temporary directory is
 * missing, or the rename into a directory that is not there fails.
 */
static const struct {
	const char	*tmp;		/* the temporary directory */
	int		 mktmp;		/* make it first */
	const char	*dst;
	size_t		 left;		/* entries left in the test directory */
} write_fail_cases[] = {
	{ "missing", 0, "final.eml", 0 },
	{ "tmp", 1, "nodir/final.eml", 1 },
};

START_TEST(test_atomicfile_write_fails)
{
	const char	*dir = testlib_dir();
	char		*tmp, *dst;

	tmp = str_path_join(dir, write_fail_cases[_i].tmp);
	dst = str_path_join(dir, write_fail_cases[_i].dst);
	if (write_fail_cases[_i].mktmp)
		ck_assert_int_eq(mkdir(tmp, 0700), 0);
	errno = 0;
	ck_assert_int_eq(atomicfile_write(tmp, dst, "data", 4), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(access(dst, F_OK), -1);
	if (write_fail_cases[_i].mktmp)		/* temporary unlinked */
		ck_assert_uint_eq(dir_count(tmp), 0);
	ck_assert_uint_eq(dir_count(dir), write_fail_cases[_i].left);
	free(tmp);
	free(dst);
}
END_TEST

START_TEST(test_atomicfile_read_max)
{
	const char	*dir = testlib_dir();
	char		*path, *data, *back;
	size_t		 i, len, big = 20000;

	path = str_path_join(dir, "f");
	data = xmalloc(big);
	for (i = 0; i < big; i++)
		data[i] = (char)(i % 251);	/* includes NUL bytes */
	testlib_write_file(path, data, big);

	back = atomicfile_read(path, big, &len);
	ck_assert_ptr_nonnull(back);
	ck_assert_uint_eq(len, big);
	ck_assert_int_eq(memcmp(back, data, big), 0);
	ck_assert_int_eq(back[len], '\0');
	free(back);

	errno = 0;
	ck_assert_ptr_null(atomicfile_read(path, big - 1, &len));
	ck_assert_int_eq(errno, EFBIG);
	errno = 0;
	ck_assert_ptr_null(atomicfile_read(path, 100, &len));
	ck_assert_int_eq(errno, EFBIG);

	/* exactly max bytes is fine; one more is not */
	testlib_write_file(path, data, 8192);
	back = atomicfile_read(path, 8192, &len);
	ck_assert_ptr_nonnull(back);
	ck_assert_uint_eq(len, 8192);
	free(back);
	errno = 0;
	ck_assert_ptr_null(atomicfile_read(path, 8191, &len));
	ck_assert_int_eq(errno, EFBIG);

	testlib_write_file(path, "", 0);
	back = atomicfile_read(path, 10, &len);
	ck_assert_ptr_nonnull(back);
	ck_assert_uint_eq(len, 0);
	free(back);

	free(path);
	path = str_path_join(dir, "absent");
	errno = 0;
	ck_assert_ptr_null(atomicfile_read(path, 10, &len));
	ck_assert_int_eq(errno, ENOENT);
	free(path);
	free(data);
}
END_TEST

START_TEST(test_atomicfile_mkdirs)
{
	const char	*dir = testlib_dir();
	char		*deep;
	struct stat	 st;

	deep = xasprintf("%s/a/b/c", dir);
	ck_assert_int_eq(atomicfile_mkdirs(deep, 0750), 0);
	ck_assert_int_eq(stat(deep, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(atomicfile_mkdirs(deep, 0750), 0);	/* exists */
	free(deep);
}
END_TEST

/* ---- ini ---- */

struct ini_seen {
	char	 pairs[16][160];
	int	 npairs;
	char	 errors[16][256];
	int	 nerrors;
	char	 sections[8][64];
	int	 nsections;
};

static const char *
ini_pair_cb(void *arg, const char *section, const char *key,
    const char *value, int line)
{
	struct ini_seen	*s = arg;

	if (s->npairs < 16)
		snprintf(s->pairs[s->npairs++], sizeof s->pairs[0],
		    "%d:%s.%s=%s", line, section, key, value);
	if (strcmp(value, "reject") == 0)
		return "value rejected by handler";
	return NULL;
}

static const char *
ini_section_cb(void *arg, const char *section, int line)
{
	struct ini_seen	*s = arg;

	if (s->nsections < 8)
		snprintf(s->sections[s->nsections++], sizeof s->sections[0],
		    "%d:%s", line, section);
	return NULL;
}

static void
ini_error_cb(void *arg, const char *file, int line, const char *msg)
{
	struct ini_seen	*s = arg;
	const char	*base = strrchr(file, '/');

	if (s->nerrors < 16)
		snprintf(s->errors[s->nerrors++], sizeof s->errors[0],
		    "%s:%d: %s", base ? base + 1 : file, line, msg);
}

START_TEST(test_ini_good)
{
	static const char text[] =
	    "# comment\n"
	    "; another comment\n"
	    "\n"
	    "[site]\n"
	    "domain = lists.example.org\n"
	    "  name  =   Информационно-методический центр  \n"
	    "empty =\n"
	    "eq = a=b\n"
	    "[ second ]\r\n"
	    "crlf = yes\r\n";
	struct ini_handler	 h;
	struct ini_seen		 s;
	const char		*dir = testlib_dir();
	char			*path;

	memset(&s, 0, sizeof s);
	h = (struct ini_handler){ ini_section_cb, ini_pair_cb, ini_error_cb,
	    &s };
	path = str_path_join(dir, "good.conf");
	testlib_write_file(path, text, sizeof text - 1);
	ck_assert_int_eq(ini_parse(path, &h), 0);
	ck_assert_int_eq(s.nerrors, 0);
	ck_assert_int_eq(s.nsections, 2);
	ck_assert_str_eq(s.sections[0], "4:site");
	ck_assert_str_eq(s.sections[1], "9:second");
	ck_assert_int_eq(s.npairs, 5);
	ck_assert_str_eq(s.pairs[0], "5:site.domain=lists.example.org");
	ck_assert_str_eq(s.pairs[1],
	    "6:site.name=Информационно-методический центр");
	ck_assert_str_eq(s.pairs[2], "7:site.empty=");
	ck_assert_str_eq(s.pairs[3], "8:site.eq=a=b");
	ck_assert_str_eq(s.pairs[4], "10:second.crlf=yes");
	free(path);
}
END_TEST

START_TEST(test_ini_errors)
{
	static const char text[] =
	    "orphan = 1\n"			/* 1: key outside section */
	    "# fine\n"				/* 2 */
	    "[site\n"				/* 3: unterminated section */
	    "[site]\n"				/* 4 */
	    "no equals sign here\n"		/* 5: missing '=' */
	    "bad = \xcf\xf0\xe8\n"		/* 6: invalid UTF-8 */
	    "after = ok\n"			/* 7: still parsed */
	    "   = value\n"			/* 8: missing key */
	    "handler = reject\n"		/* 9: handler's own error */
	    "last = 1\n";			/* 10 */
	struct ini_handler	 h;
	struct ini_seen		 s;
	const char		*dir = testlib_dir();
	char			*path;

	memset(&s, 0, sizeof s);
	h = (struct ini_handler){ NULL, ini_pair_cb, ini_error_cb, &s };
	path = str_path_join(dir, "bad.conf");
	testlib_write_file(path, text, sizeof text - 1);
	ck_assert_int_eq(ini_parse(path, &h), 6);
	ck_assert_int_eq(s.nerrors, 6);
	ck_assert_msg(strncmp(s.errors[0], "bad.conf:1: ", 12) == 0 &&
	    strstr(s.errors[0], "section") != NULL, "%s", s.errors[0]);
	ck_assert_msg(strncmp(s.errors[1], "bad.conf:3: ", 12) == 0 &&
	    strstr(s.errors[1], "]") != NULL, "%s", s.errors[1]);
	ck_assert_msg(strncmp(s.errors[2], "bad.conf:5: ", 12) == 0 &&
	    strstr(s.errors[2], "=") != NULL, "%s", s.errors[2]);
	ck_assert_msg(strncmp(s.errors[3], "bad.conf:6: ", 12) == 0 &&
	    strstr(s.errors[3], "UTF-8") != NULL, "%s", s.errors[3]);
	ck_assert_msg(strncmp(s.errors[4], "bad.conf:8: ", 12) == 0 &&
	    strstr(s.errors[4], "key") != NULL, "%s", s.errors[4]);
	ck_assert_str_eq(s.errors[5], "bad.conf:9: value rejected by handler");
	/* parsing went on: the good pairs after errors were delivered */
	ck_assert_int_eq(s.npairs, 3);
	ck_assert_str_eq(s.pairs[0], "7:site.after=ok");
	ck_assert_str_eq(s.pairs[1], "9:site.handler=reject");
	ck_assert_str_eq(s.pairs[2], "10:site.last=1");
	free(path);
}
END_TEST

START_TEST(test_ini_missing_file)
{
	struct ini_handler	 h;
	struct ini_seen		 s;

	memset(&s, 0, sizeof s);
	h = (struct ini_handler){ NULL, ini_pair_cb, ini_error_cb, &s };
	ck_assert_int_eq(ini_parse("/nonexistent/dir/x.conf", &h), -1);
	ck_assert_int_eq(s.npairs, 0);
}
END_TEST

/* ---- timefmt ---- */

static void
set_tz(const char *tz)
{
	ck_assert_int_eq(setenv("TZ", tz, 1), 0);
	tzset();
}

START_TEST(test_time_rfc5322)
{
	char	out[64];

	set_tz("Asia/Yekaterinburg");
	/* 2026-05-12 05:00:00 UTC = 10:00 in Yekaterinburg */
	time_rfc5322((time_t)1778562000, out, sizeof out);
	ck_assert_str_eq(out, "Tue, 12 May 2026 10:00:00 +0500");
	/* the day differs from UTC's */
	time_rfc5322((time_t)1778529600, out, sizeof out);
	ck_assert_str_eq(out, "Tue, 12 May 2026 01:00:00 +0500");
	set_tz("America/New_York");
	time_rfc5322((time_t)1778562000, out, sizeof out);
	ck_assert_str_eq(out, "Tue, 12 May 2026 01:00:00 -0400");
	set_tz("Asia/Kolkata");
	time_rfc5322((time_t)1778562000, out, sizeof out);
	ck_assert_str_eq(out, "Tue, 12 May 2026 10:30:00 +0530");
	set_tz("UTC");
	time_rfc5322((time_t)0, out, sizeof out);
	ck_assert_str_eq(out, "Thu, 1 Jan 1970 00:00:00 +0000");
}
END_TEST

START_TEST(test_time_human_date)
{
	char	out[64];

	set_tz("Asia/Yekaterinburg");
	time_human_date((time_t)1778562000, "ru", out, sizeof out);
	ck_assert_str_eq(out, "12 мая 2026");
	/* 20:00 UTC on the 11th is already the 12th in Yekaterinburg */
	time_human_date((time_t)1778529600, "ru", out, sizeof out);
	ck_assert_str_eq(out, "12 мая 2026");
	time_human_date((time_t)1778562000, "en", out, sizeof out);
	ck_assert_str_eq(out, "12 May 2026");
	time_day((time_t)1778529600, out, sizeof out);
	ck_assert_str_eq(out, "2026-05-12");
	/* 2026-11-27 05:00 UTC */
	time_human_date((time_t)1795755600, "ru", out, sizeof out);
	ck_assert_str_eq(out, "27 ноября 2026");
}
END_TEST

static Suite *
util_suite(void)
{
	Suite	*s = suite_create("util");
	TCase	*tc;

	tc = testlib_tcase(s, "buf");
	tcase_add_test(tc, test_buf_growth);
	tcase_add_test(tc, test_buf_nul_inside);
	tcase_add_test(tc, test_buf_empty);
	tcase_add_test(tc, test_buf_addf);

	tc = testlib_tcase(s, "strutil");
	tcase_add_loop_test(tc, test_str_lcpy, 0, NELEM(lcpy_cases));
	tcase_add_test(tc, test_str_lcpy_zero);
	tcase_add_loop_test(tc, test_str_trim, 0, NELEM(trim_cases));
	tcase_add_test(tc, test_str_misc);
	tcase_add_loop_test(tc, test_str_to_u64, 0, NELEM(u64_cases));
	tcase_add_loop_test(tc, test_str_utf8_valid, 0, NELEM(utf8_cases));
	tcase_add_test(tc, test_rnd_hex);

	tc = testlib_tcase_tmp(s, "atomicfile");
	tcase_add_test(tc, test_atomicfile_write);
	tcase_add_loop_test(tc, test_atomicfile_write_fails, 0,
	    NELEM(write_fail_cases));
	tcase_add_test(tc, test_atomicfile_read_max);
	tcase_add_test(tc, test_atomicfile_mkdirs);

	tc = testlib_tcase_tmp(s, "ini");
	tcase_add_test(tc, test_ini_good);
	tcase_add_test(tc, test_ini_errors);
	tcase_add_test(tc, test_ini_missing_file);

	tc = testlib_tcase(s, "timefmt");
	tcase_add_test(tc, test_time_rfc5322);
	tcase_add_test(tc, test_time_human_date);
	return s;
}

int
main(void)
{
	return testlib_run(util_suite());
}
