/*
 * fuzz_ini: ini_parse() on arbitrary files.
 *
 * ini_parse() reads a path, so each input is written to an anonymous
 * memory file (memfd_create) and read back through /proc/self/fd/N: no
 * disk, nothing left behind.
 *
 * Contract checked (src/util/ini.h): the result is the number of problems
 * (never -1 for a readable file) and equals the number of error callbacks;
 * line numbers handed to callbacks are between 1 and the number of lines;
 * keys, values and sections are NUL-terminated strings (ASan checks).
 */
#include "config.h"

#include <sys/mman.h>

#include <unistd.h>

#include "fuzz.h"
#include "util/ini.h"

struct fuzz_ini_state {
	int	errors;
	int	maxline;
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_ini");
	return 0;
}

static const char *
fuzz_ini_section(void *arg, const char *section, int line)
{
	struct fuzz_ini_state	*st = arg;

	FUZZ_CHECK(line >= 1 && line <= st->maxline, "section line");
	(void)strlen(section);
	return strcmp(section, "bad") == 0 ? "bad section" : NULL;
}

static const char *
fuzz_ini_pair(void *arg, const char *section, const char *key,
    const char *value, int line)
{
	struct fuzz_ini_state	*st = arg;

	FUZZ_CHECK(line >= 1 && line <= st->maxline, "pair line");
	(void)strlen(key);
	(void)strlen(value);
	if (section != NULL)
		(void)strlen(section);
	return strcmp(key, "bad") == 0 ? "bad key" : NULL;
}

static void
fuzz_ini_error(void *arg, const char *file, int line, const char *message)
{
	struct fuzz_ini_state	*st = arg;

	st->errors++;
	FUZZ_CHECK(line >= 0 && line <= st->maxline, "error line");
	(void)strlen(message);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct fuzz_ini_state	 st;
	struct ini_handler	 h = { fuzz_ini_section, fuzz_ini_pair,
				    fuzz_ini_error, &st };
	char			 path[64];
	size_t			 i;
	int			 fd, rc;

	memset(&st, 0, sizeof st);
	st.maxline = 1;
	for (i = 0; i < len; i++)
		if (data[i] == '\n')
			st.maxline++;
	if ((fd = memfd_create("fuzz_ini", MFD_CLOEXEC)) == -1)
		abort();
	if (len > 0 && write(fd, data, len) != (ssize_t)len)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	rc = ini_parse(path, &h);
	FUZZ_CHECK(rc != -1, "a readable file could not be read");
	FUZZ_CHECK(rc == st.errors, "result differs from the errors reported");
	close(fd);
	return 0;
}
