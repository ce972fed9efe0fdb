/*
 * template: see template.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "render/html.h"
#include "render/template.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define TEMPLATE_MAX_SIZE	(256 * 1024)
#define TEMPLATE_NAME_MAX	64

static char *
template_path(const char *dir, const char *lang, const char *name)
{
	return xasprintf("%s/%s/%s.txt", dir, lang, name);
}

int
template_exists(const char *dir, const char *lang, const char *name)
{
	char	*p = template_path(dir, lang, name);
	int	 ok = access(p, R_OK) == 0;

	free(p);
	return ok;
}

static const char *
template_lookup(const struct template_var *vars, size_t n, const char *name,
    size_t len)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strlen(vars[i].name) == len &&
		    strncmp(vars[i].name, name, len) == 0)
			return vars[i].value ? vars[i].value : "";
	log_warnx("template: no value for {{%.*s}}", (int)len, name);
	return "";
}

/* One {{name}}: as it is in mail texts; in HTML escaped, unless the
 * name says "raw:" (markup the archive made itself). */
static void
template_value(struct buf *out, const char *name, size_t len,
    const struct template_var *vars, size_t nvars, int html)
{
	if (!html) {
		buf_adds(out, template_lookup(vars, nvars, name, len));
		return;
	}
	if (len > 4 && strncmp(name, "raw:", 4) == 0)
		buf_adds(out, template_lookup(vars, nvars, name + 4, len - 4));
	else
		html_escape(out, template_lookup(vars, nvars, name, len));
}

static void
template_substitute(struct buf *out, const char *s, size_t len,
    const struct template_var *vars, size_t nvars, int html)
{
	const char	*p = s, *end = s + len, *open, *close;

	while (p < end) {
		open = memmem(p, (size_t)(end - p), "{{", 2);
		if (open == NULL) {
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		close = memmem(open + 2, (size_t)(end - open - 2), "}}", 2);
		if (close == NULL || close - open - 2 > TEMPLATE_NAME_MAX) {
			buf_add(out, p, (size_t)(open + 2 - p));
			p = open + 2;
			continue;
		}
		buf_add(out, p, (size_t)(open - p));
		template_value(out, open + 2, (size_t)(close - open - 2),
		    vars, nvars, html);
		p = close + 2;
	}
}

static int
template_split(char *text, struct template_text *t)
{
	char	*nl, *body;

	if (strncasecmp(text, "Subject:", 8) != 0 ||
	    (nl = strchr(text, '\n')) == NULL)
		return -1;
	*nl = '\0';
	body = nl + 1;
	if (*body == '\n')
		body++;
	t->subject = xstrdup(text + 8 + strspn(text + 8, " \t"));
	t->body = xstrdup(body);
	return 0;
}

static char *
template_load(const char *dir, const char *lang, const char *name,
    size_t *len)
{
	const char	*tries[3] = { lang, "ru", "en" };
	char		*p, *data;
	size_t		 i;

	for (i = 0; i < 3; i++) {
		p = template_path(dir, tries[i], name);
		data = atomicfile_read(p, TEMPLATE_MAX_SIZE, len);
		free(p);
		if (data != NULL)
			return data;
	}
	log_warnx("template: no file for %s in %s", name, dir);
	return NULL;
}

int
template_render(const char *dir, const char *lang, const char *name,
    const struct template_var *vars, size_t nvars, struct template_text *t)
{
	struct buf	 out;
	char		*raw, *text;
	size_t		 len;
	int		 rc;

	memset(t, 0, sizeof *t);
	if (strchr(name, '/') != NULL || strchr(lang, '/') != NULL)
		return -1;
	if ((raw = template_load(dir, lang, name, &len)) == NULL)
		return -1;
	buf_init(&out);
	template_substitute(&out, raw, len, vars, nvars, 0);
	free(raw);
	text = buf_detach(&out);
	rc = template_split(text, t);
	if (rc == -1)
		log_warnx("template %s: first line must be Subject:", name);
	free(text);
	return rc;
}

void
template_text_free(struct template_text *t)
{
	free(t->subject);
	free(t->body);
	t->subject = t->body = NULL;
}

int
template_html(const char *dir, const char *name,
    const struct template_var *vars, size_t nvars, struct buf *out)
{
	char	*p, *raw;
	size_t	 len;

	if (strchr(name, '/') != NULL)
		return -1;
	p = xasprintf("%s/html/%s", dir, name);
	raw = atomicfile_read(p, TEMPLATE_MAX_SIZE, &len);
	if (raw == NULL) {
		log_warn("template: %s", p);
		free(p);
		return -1;
	}
	free(p);
	template_substitute(out, raw, len, vars, nvars, 1);
	free(raw);
	return 0;
}
