/*
 * fuzz: what the libFuzzer targets in tests/fuzz share.
 *
 * Contract: fuzz_cstr() turns the fuzzer's bytes into a NUL-terminated
 * copy (bytes after an embedded NUL are then invisible to C-string
 * parsers, as they would be to their callers).  fuzz_utf8_valid() is a
 * strict UTF-8 check (no overlongs, no surrogates, nothing past
 * U+10FFFF).  FUZZ_CHECK() aborts with a message naming the broken
 * promise, so libFuzzer keeps the input.  Everything is static: each
 * target is one translation unit plus libmetodist's sources.
 *
 * FUZZ_STRICT() checks promises beyond memory safety and the UTF-8 and
 * filename guarantees (idempotence, agreement between functions); they
 * abort only when the environment has FUZZ_STRICT=1, which run.sh sets
 * when it replays tests/data/fuzz-regressions, so that a semantic finding
 * does not stop a fuzzing run from looking for memory errors.
 */
#ifndef METODIST_FUZZ_H
#define METODIST_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

#define FUZZ_CHECK(cond, what) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: contract broken: %s (%s) at %s:%d\n", \
		    (what), #cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

static inline int
fuzz_strict_on(void)
{
	static int	on = -1;
	const char	*e;

	if (on == -1)
		on = (e = getenv("FUZZ_STRICT")) != NULL && strcmp(e, "1") == 0;
	return on;
}

#define FUZZ_STRICT(cond, what) do {					\
	if (fuzz_strict_on())						\
		FUZZ_CHECK(cond, what);					\
} while (0)

static inline char *
fuzz_cstr(const uint8_t *data, size_t len)
{
	char	*s;

	if ((s = malloc(len + 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(s, data, len);
	s[len] = '\0';
	return s;
}

/* Length of the UTF-8 sequence at s (at most n bytes), 0 when invalid. */
static inline size_t
fuzz_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t		 k, i;
	uint32_t	 c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		k = 2; c = s[0] & 0x1f; min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		k = 3; c = s[0] & 0x0f; min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		k = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		return 0;
	if (k > n)
		return 0;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return k;
}

static inline int
fuzz_utf8_valid_len(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, k;
	uint32_t		 cp;

	for (i = 0; i < n; i += k)
		if ((k = fuzz_utf8_seq(p + i, n - i, &cp)) == 0)
			return 0;
	return 1;
}

static inline int
fuzz_utf8_valid(const char *s)
{
	return s == NULL || fuzz_utf8_valid_len(s, strlen(s));
}

/* Quiet the library's warnings: they go to stderr once per input. */
static inline void
fuzz_log_init(const char *name)
{
	log_init(name, 0, 0);
}

#endif
