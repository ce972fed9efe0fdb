/*
 * ini: a strict reader of INI files.
 *
 * Contract: ini_parse() reads "[section]" and "key = value" lines; '#' and
 * ';' start comment lines; values are trimmed and may be empty.  For each
 * pair it calls the handler with the line number.  Every syntax error and
 * every error the handler reports goes to the error callback as
 * "file:line: message"; parsing continues so that all problems are seen.
 * It returns the number of problems, or -1 if the file could not be read.
 */
#ifndef METODIST_INI_H
#define METODIST_INI_H

#include <stddef.h>

/* Returns NULL when accepted, else a message (static or owned by handler). */
typedef const char *(*ini_pair_fn)(void *arg, const char *section,
    const char *key, const char *value, int line);
/* Called once per section header; may return a message like ini_pair_fn. */
typedef const char *(*ini_section_fn)(void *arg, const char *section,
    int line);
typedef void (*ini_error_fn)(void *arg, const char *file, int line,
    const char *message);

struct ini_handler {
	ini_section_fn	 section;
	ini_pair_fn	 pair;
	ini_error_fn	 error;
	void		*arg;
};

int	ini_parse(const char *path, const struct ini_handler *);

#endif
