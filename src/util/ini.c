/*
 * ini: see ini.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "strutil.h"

#define INI_LINE_MAX	4096

static int
ini_report(const struct ini_handler *h, const char *path, int line,
    const char *msg)
{
	if (msg == NULL)
		return 0;
	h->error(h->arg, path, line, msg);
	return 1;
}

static int
ini_section_line(const struct ini_handler *h, const char *path, int lineno,
    char *line, char *section, size_t sectionsz)
{
	char	*end = strchr(line, ']');

	if (end == NULL || end[1] != '\0')
		return ini_report(h, path, lineno, "section header lacks ']'");
	*end = '\0';
	str_trim(line + 1);
	if (line[1] == '\0')
		return ini_report(h, path, lineno, "empty section name");
	if (str_lcpy(section, line + 1, sectionsz) >= sectionsz)
		return ini_report(h, path, lineno, "section name too long");
	if (h->section != NULL)
		return ini_report(h, path, lineno,
		    h->section(h->arg, section, lineno));
	return 0;
}

static int
ini_pair_line(const struct ini_handler *h, const char *path, int lineno,
    char *line, const char *section)
{
	char	*eq = strchr(line, '=');

	if (eq == NULL)
		return ini_report(h, path, lineno,
		    "expected 'key = value' or '[section]'");
	*eq = '\0';
	str_trim(line);
	str_trim(eq + 1);
	if (*line == '\0')
		return ini_report(h, path, lineno, "missing key before '='");
	if (*section == '\0')
		return ini_report(h, path, lineno,
		    "key outside of any [section]");
	return ini_report(h, path, lineno,
	    h->pair(h->arg, section, line, eq + 1, lineno));
}

int
ini_parse(const char *path, const struct ini_handler *h)
{
	FILE	*fp;
	char	 line[INI_LINE_MAX + 2], section[128] = "";
	int	 lineno = 0, problems = 0;
	size_t	 len;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL) {
		lineno++;
		len = strlen(line);
		if (len > INI_LINE_MAX) {
			problems += ini_report(h, path, lineno, "line too long");
			while (len > 0 && line[len - 1] != '\n' &&
			    fgets(line, sizeof line, fp) != NULL)
				len = strlen(line);
			continue;
		}
		if (!str_utf8_valid(line, len)) {
			problems += ini_report(h, path, lineno,
			    "line is not valid UTF-8");
			continue;
		}
		str_trim(line);
		if (line[0] == '\0' || line[0] == '#' || line[0] == ';')
			continue;
		if (line[0] == '[')
			problems += ini_section_line(h, path, lineno, line,
			    section, sizeof section);
		else
			problems += ini_pair_line(h, path, lineno, line,
			    section);
	}
	fclose(fp);
	return problems;
}
