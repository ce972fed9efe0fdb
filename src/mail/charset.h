/*
 * charset: conversion of text in any charset iconv knows to UTF-8.
 *
 * Contract: every function returns a new NUL-terminated string, never
 * NULL, that is valid UTF-8 and holds no NUL byte.  An unknown or
 * malformed charset name, an invalid or truncated byte sequence, or a NUL
 * byte in the input never fails the call: the bytes that cannot be read
 * become U+FFFD.  Common misspellings of charset names (cp1251, win-1251,
 * koi8r, utf8 ...) are accepted.  Output length is bounded by a small
 * multiple of the input length.
 */
#ifndef METODIST_CHARSET_H
#define METODIST_CHARSET_H

#include <stddef.h>
#include <stdint.h>

/* len bytes in charset to UTF-8; a NULL or empty charset means "guess". */
char	*charset_to_utf8(const char *charset, const char *in, size_t len);
/* Undeclared 8-bit text: UTF-8 when valid, else windows-1251. */
char	*charset_guess_to_utf8(const char *in, size_t len);
/* A copy with invalid UTF-8 sequences and NUL bytes replaced by U+FFFD. */
char	*charset_utf8_sanitize(const char *in, size_t len);
/*
 * Length (1-4) of the valid UTF-8 character at s, storing its code point
 * in *cp, or 0 when the bytes at s are not a valid character.
 */
size_t	 charset_utf8_char(const char *s, size_t n, uint32_t *cp);
/* Small letter of an ASCII or Cyrillic capital (Ё included); any other
 * code point unchanged. */
uint32_t charset_lower(uint32_t cp);
/* The UTF-8 string with ASCII and Cyrillic capitals made small; bytes
 * that are not valid UTF-8 are kept as they are.  At most max bytes of s
 * are read. */
char	*charset_fold(const char *s, size_t max);
/* The name iconv should be given for charset, or NULL if it is unusable. */
const char *charset_canonical(const char *charset, char *tmp, size_t tmplen);

#endif
