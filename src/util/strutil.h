/*
 * strutil: bounded string helpers that know nothing of mail.
 *
 * Contract: every function takes explicit bounds or NUL-terminated input,
 * never writes past the destination size, and reports truncation to the
 * caller instead of hiding it.
 */
#ifndef METODIST_STRUTIL_H
#define METODIST_STRUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Copy with truncation; returns strlen(src), so >= size means truncated. */
size_t	 str_lcpy(char *dst, const char *src, size_t size);
/* Lower-case ASCII letters in place; other bytes (UTF-8) untouched. */
void	 str_lower_ascii(char *);
/* Trim ASCII white space at both ends in place; returns s. */
char	*str_trim(char *s);
int	 str_has_prefix_ci(const char *s, const char *prefix);
/* Parse a decimal unsigned number in [0, max]; 0 on success, -1 otherwise. */
int	 str_to_u64(const char *s, uint64_t max, uint64_t *out);
/* 1 when the n bytes are valid UTF-8. */
int	 str_utf8_valid(const char *s, size_t n);
/* Free n strings and the array that holds them. */
void	 str_array_free(char **, size_t n);
/* Join dir and name with one '/'; returns a new string. */
char	*str_path_join(const char *dir, const char *name);

#endif
