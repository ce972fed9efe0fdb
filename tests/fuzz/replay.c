/*
 * replay: a main() for a fuzz target without libFuzzer, for coverage.
 *
 * Contract: calls the target's LLVMFuzzerInitialize() (when it has one)
 * once, then LLVMFuzzerTestOneInput() once per file named on the command
 * line, or per regular file inside a directory named there (not
 * recursive), each cut to REPLAY_MAX_LEN bytes as run.sh's -max_len cuts
 * what libFuzzer reads.  Prints how many inputs it ran to stderr.  An
 * unreadable file is skipped with a warning; a crash of the target is a
 * crash of this program.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLAY_MAX_LEN	65536

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***) __attribute__((weak));

static unsigned long	replay_count;

static void
replay_file(const char *path)
{
	static uint8_t	 buf[REPLAY_MAX_LEN];
	uint8_t		*copy;
	FILE		*f;
	size_t		 n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return;
	}
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	/* An exact-size copy, so that a read past the input is caught as
	 * it is under libFuzzer. */
	if ((copy = malloc(n == 0 ? 1 : n)) == NULL) {
		fprintf(stderr, "replay: out of memory\n");
		exit(2);
	}
	memcpy(copy, buf, n);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
	replay_count++;
}

static void
replay_path(const char *path)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	char		 sub[4096];

	if (stat(path, &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		replay_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(sub, sizeof sub, "%s/%s", path, de->d_name) >=
		    (int)sizeof sub)
			continue;
		if (stat(sub, &st) == 0 && S_ISREG(st.st_mode))
			replay_file(sub);
	}
	closedir(d);
}

int
main(int argc, char *argv[])
{
	int	i;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		replay_path(argv[i]);
	fprintf(stderr, "replay: %lu inputs\n", replay_count);
	return 0;
}
