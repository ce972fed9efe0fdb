/*
 * template: the texts the gateway writes, from templates/LANG/NAME.txt.
 *
 * Contract: a template file is a "Subject:" line, an empty line and the
 * body, in UTF-8.  template_render() substitutes each {{name}} with the
 * value given for it (an unknown name becomes empty and is logged), falls
 * back to the site's language and then to "ru" when the file is missing
 * in the language asked for, and returns -1 only when no file exists.
 * Values are inserted as they are; the caller escapes for its medium
 * (template_html below escapes for HTML).
 */
#ifndef METODIST_TEMPLATE_H
#define METODIST_TEMPLATE_H

#include <stddef.h>

struct template_var {
	const char	*name;
	const char	*value;
};

struct template_text {
	char	*subject;
	char	*body;
};

int	template_render(const char *dir, const char *lang, const char *name,
	    const struct template_var *, size_t nvars, struct template_text *);
void	template_text_free(struct template_text *);
/*
 * The archive's pages: templates/html/NAME (one file for both languages;
 * the page's words come in as values).  Each {{name}} is replaced by its
 * value HTML-escaped; {{raw:name}} by the value as it is, for markup the
 * archive composed itself.  Appends to out; 0, or -1 when the file is
 * missing.
 */
struct buf;
int	template_html(const char *dir, const char *name,
	    const struct template_var *, size_t nvars, struct buf *out);
/* 1 when templates/LANG/NAME.txt exists. */
int	template_exists(const char *dir, const char *lang, const char *name);

#endif
