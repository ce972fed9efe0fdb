/*
 * filename: attachment names made safe to show and to write to disk.
 *
 * Contract: filename_safe() returns a new, non-empty, valid UTF-8 name
 * of at most FILENAME_MAX_BYTES bytes that holds no path separator, no
 * control or bidirectional-override character, none of the characters
 * Windows refuses (<>:"|?*), does not start with a dot or white space,
 * does not end with a dot or white space, and is not a reserved Windows
 * device name (CON, NUL, COM1 ...; those get a leading '_').  Letters of
 * any script, Cyrillic included, are kept.  When the name must be cut,
 * the extension (up to FILENAME_EXT_MAX bytes) is kept.  A NULL or
 * empty result becomes "attachment".
 */
#ifndef METODIST_FILENAME_H
#define METODIST_FILENAME_H

#define FILENAME_MAX_BYTES	200
#define FILENAME_EXT_MAX	16

char	*filename_safe(const char *utf8_name);

#endif
