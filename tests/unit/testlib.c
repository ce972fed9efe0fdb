/*
 * testlib: see testlib.h.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* The test case's base directory, and the running test's directory. */
static char	*base_dir;
static char	*test_dir;

const char *
testlib_top_srcdir(void)
{
	const char	*t = getenv("top_srcdir");

	return t != NULL && *t != '\0' ? t : ".";
}

char *
testlib_srcpath(const char *rel)
{
	return xasprintf("%s/%s", testlib_top_srcdir(), rel);
}

static int
rmtree_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	return remove(path);
}

/* Remove dir and all below it; what cannot go is left. */
static void
rmtree(const char *dir)
{
	nftw(dir, rmtree_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Remove the tree *dirp names, if any, and forget it. */
static void
dir_forget(char **dirp)
{
	if (*dirp != NULL)
		rmtree(*dirp);
	free(*dirp);
	*dirp = NULL;
}

void
testlib_base_setup(void)
{
	const char	*tmp = getenv("TMPDIR");

	base_dir = xasprintf("%s/%s.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp",
	    program_invocation_short_name);
	if (mkdtemp(base_dir) == NULL) {
		fprintf(stderr, "mkdtemp %s: %s\n", base_dir, strerror(errno));
		exit(1);
	}
}

void
testlib_base_teardown(void)
{
	dir_forget(&base_dir);
}

void
testlib_tmp_setup(void)
{
	ck_assert_msg(base_dir != NULL, "no base directory: the test case "
	    "lacks testlib_base_setup");
	test_dir = xasprintf("%s/t.XXXXXX", base_dir);
	ck_assert_msg(mkdtemp(test_dir) != NULL, "mkdtemp %s: %s", test_dir,
	    strerror(errno));
}

void
testlib_tmp_teardown(void)
{
	dir_forget(&test_dir);
}

const char *
testlib_dir(void)
{
	return test_dir;
}

void
testlib_write_file(const char *path, const void *data, size_t len)
{
	FILE	*f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "fopen %s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

void
testlib_write_str(const char *path, const char *s)
{
	testlib_write_file(path, s, strlen(s));
}

char *
testlib_read_file(const char *path, size_t *lenp)
{
	struct buf	 b;
	char		 chunk[8192];
	size_t		 n;
	FILE		*f = fopen(path, "rb");

	ck_assert_msg(f != NULL, "fopen %s: %s", path, strerror(errno));
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	ck_assert_msg(!ferror(f), "read %s: %s", path, strerror(errno));
	fclose(f);
	if (lenp != NULL)
		*lenp = b.len;
	return buf_detach(&b);
}

TCase *
testlib_tcase(Suite *s, const char *name)
{
	TCase	*tc = tcase_create(name);

	suite_add_tcase(s, tc);
	return tc;
}

TCase *
testlib_tcase_fixture(Suite *s, const char *name, void (*setup)(void),
    void (*teardown)(void))
{
	TCase	*tc = testlib_tcase(s, name);

	tcase_add_unchecked_fixture(tc, testlib_base_setup,
	    testlib_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	return tc;
}

TCase *
testlib_tcase_tmp(Suite *s, const char *name)
{
	return testlib_tcase_fixture(s, name, testlib_tmp_setup,
	    testlib_tmp_teardown);
}

int
testlib_run(Suite *s)
{
	SRunner	*sr = srunner_create(s);
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
