/*
 * testlib: helpers shared by the unit tests in tests/unit/.
 *
 * Contract: the helpers are for use inside Check tests and fixtures.  A
 * helper that cannot do what it says fails the running test (ck_assert)
 * rather than return an error, except testlib_base_setup(), which runs in
 * the parent process and exits the program instead.  Strings returned
 * are allocated and belong to the caller unless said otherwise.
 *
 * Temporary files: a test case that writes files has a base directory,
 * made by testlib_base_setup() and removed with all it holds by
 * testlib_base_teardown().  Both are unchecked fixtures, so they run in
 * the parent process and the base goes even when a test fails or
 * crashes.  The base is $TMPDIR (default /tmp) / PROGRAM.XXXXXX.  Each
 * test has its own directory inside the base, made and removed by the
 * checked fixture testlib_tmp_setup()/testlib_tmp_teardown() and named by
 * testlib_dir().  testlib_tcase_tmp() and testlib_tcase_fixture()
 * register the fixtures.
 *
 * Files of the source tree are found through the environment variable
 * top_srcdir (default ".").
 */
#ifndef METODIST_TESTLIB_H
#define METODIST_TESTLIB_H

#include <stddef.h>

#include <check.h>

#ifndef NELEM
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* The source tree: $top_srcdir or "."; not to be freed. */
const char	*testlib_top_srcdir(void);
/* top_srcdir/rel. */
char		*testlib_srcpath(const char *rel);

/* Unchecked fixture: make and remove the test case's base directory. */
void		 testlib_base_setup(void);
void		 testlib_base_teardown(void);
/* Checked fixture: a directory for each test, named by testlib_dir(). */
void		 testlib_tmp_setup(void);
void		 testlib_tmp_teardown(void);
/* The directory of testlib_tmp_setup(), or NULL; not to be freed. */
const char	*testlib_dir(void);

/* Create or replace path with len bytes of data. */
void		 testlib_write_file(const char *path, const void *data,
		    size_t len);
/* The same with the bytes of the string s. */
void		 testlib_write_str(const char *path, const char *s);
/* The whole file, NUL-terminated; its length in *lenp unless NULL. */
char		*testlib_read_file(const char *path, size_t *lenp);

/* A test case added to s, without fixtures. */
TCase		*testlib_tcase(Suite *s, const char *name);
/*
 * A test case added to s with the base directory fixture and the checked
 * fixture setup/teardown, which may use testlib_tmp_setup/teardown.
 */
TCase		*testlib_tcase_fixture(Suite *s, const char *name,
		    void (*setup)(void), void (*teardown)(void));
/* The same with testlib_tmp_setup/teardown as the checked fixture. */
TCase		*testlib_tcase_tmp(Suite *s, const char *name);
/* Run every test of s; EXIT_SUCCESS if none failed, for main(). */
int		 testlib_run(Suite *s);

#endif
