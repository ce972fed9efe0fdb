/*
 * command: see command.h.
 *
 * Three patterns are compiled once: the command grammar, the Subject
 * prefixes ("Re:", "[Математика]" ...) and the courtesy lines that are
 * neither a command nor unknown ("Здравствуйте!", "Спасибо", "да").
 * Where the letter the sender answered begins, or where nothing more of
 * theirs follows, is mail/replyscan's to say.  The grammar names one
 * group after each command of the table, so adding a command is adding
 * its file, its entry below and its alternative here.
 */
#include <config.h>

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/command.h"
#include "core/reply.h"
#include "core/site.h"
#include "mail/replyscan.h"
#include "render/template.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"
#include "util/pattern.h"

const struct command_entry *const command_table[] = {
	&cmd_subscribe_entry,
	&cmd_unsubscribe_entry,
	&cmd_confirm_entry,
	&cmd_set_entry,
	&cmd_help_entry,
	&cmd_lists_entry,
	&cmd_which_entry,
	&cmd_who_entry,
	&cmd_end_entry,
	&cmd_status_entry,
	&cmd_file_entry,
	&cmd_index_entry,
	&cmd_get_entry,
	&cmd_search_entry,
	&cmd_thread_entry,
	&cmd_format_entry,
};
const size_t command_table_len = sizeof command_table /
    sizeof command_table[0];

#define MODE	"(?:(?<digest>digest|дайджест)" \
		"|(?<nomail>no-?mail|без\\s+писем|без\\s+рассылки)" \
		"|(?<normal>normal|обычн(?:ый|ая|ое|о)))"
#define LIST	"(?<list>[a-z0-9][a-z0-9_-]{0,63})" \
		"(?:@(?<domain>[^\\s@]{1,255}))?"

static const char command_grammar_src[] =
    "^\\s*(?:"
    "(?<subscribe>subscribe|join|подписаться|подписка)"
	"(?:\\s+" MODE ")?(?:\\s+" LIST ")?(?:\\s+" MODE ")?"
    "|(?<unsubscribe>unsubscribe|leave|отписаться|отписка)"
	"(?:\\s+" LIST ")?"
    "|(?<confirm>confirm|подтвердить|подтверждаю)"
	"\\s+(?<token>[a-z0-9_-]{1,64})(?:\\s+[-—–:(].*)?"
    "|(?<format>(?:(?:set|режим)\\s+(?:" LIST "\\s+)?(?:digest|дайджест)"
	"|format|формат)\\s+(?:(?<plain>plain|text|простой|текстовый|текст)"
	"|(?<mime>mime|полный))(?:\\s+" LIST ")?)"
    "|(?<set>set|режим)(?:\\s+" LIST ")?\\s+" MODE "(?:\\s+" LIST ")?"
    "|(?<help>help|помощь|справка)(?:\\s+" LIST ")?"
    "|(?<lists>lists|списки|все\\s+списки)"
    "|(?<which>which|мои|мои\\s+списки)"
    "|(?<who>who|участники)(?:\\s+" LIST ")?"
    "|(?<index>index|оглавление)(?:\\s+(?<arg>\\d{4}-\\d{2}))?"
	"(?:\\s+" LIST ")?"
    "|(?<get>get|получить)\\s+(?<arg>\\d{1,9}(?:\\s*-\\s*\\d{1,9})?)"
	"(?:\\s+" LIST ")?"
    "|(?<thread>thread|ветка)\\s+(?<arg>\\d{1,9})(?:\\s+" LIST ")?"
    "|(?<search>search|найти|поиск)\\s+(?<arg>[^\\s.!].{0,199}?)"
    "|(?<end>end|stop|конец|стоп)"
    "|(?<status>status|статус)(?:\\s+(?<token>[мm]-\\d{4}-\\d{1,6}))?"
    "|(?<file>file|файл)\\s+(?<token>[мm]-\\d{4}-\\d{1,6})"
    "|(?<bare>" MODE ")"
    ")\\s*[.!]?$";

/* Matched anchored at each place, one prefix at a time. */
static const char command_prefix_src[] =
    "\\s*(?:(?:re|fwd?|fw|aw|wg|ответ|отв|пересл)"
    "\\s*(?:\\[\\d{1,4}\\]|\\(\\d{1,4}\\)|\\^\\d{1,4})?\\s*:"
    "|\\[[^\\]]{0,100}\\])\\s*";

/* Applied to a trimmed body line of kind text: a line of greetings,
 * thanks and assent is neither a command nor unknown. */
static const char command_courtesy_src[] =
    "^\\s*(?:(?:здравствуйте|добрый\\s+(?:день|вечер)"
	"|доброе\\s+утро|привет|hello|hi|dear\\b[^:]*|спасибо|благодарю"
	"|thanks?(?:\\s+you)?|да|yes|ok|ок|подтверждаю|confirmed"
	"|согласна?)[\\s,.!]*)*$";

struct command_grammar {
	pcre2_code	*command;
	pcre2_code	*prefix;
	pcre2_code	*courtesy;
};

static const struct command_grammar *
command_grammar(void)
{
	static struct command_grammar	g;

	if (g.command == NULL) {
		g.command = pattern_compile("command", command_grammar_src,
		    PCRE2_DUPNAMES);
		g.prefix = pattern_compile("command", command_prefix_src, 0);
		g.courtesy = pattern_compile("command", command_courtesy_src,
		    0);
	}
	return &g;
}

const struct command_entry *
command_find(const char *name)
{
	size_t	i;

	for (i = 0; i < command_table_len; i++)
		if (strcmp(command_table[i]->name, name) == 0)
			return command_table[i];
	return NULL;
}

static int
command_group_set(pcre2_match_data *md, const char *name)
{
	PCRE2_SIZE	len;

	return pcre2_substring_length_byname(md, (PCRE2_SPTR)name, &len) == 0;
}

/* The group's text in lower case ASCII, or NULL when it did not match. */
static char *
command_group(pcre2_match_data *md, const char *name)
{
	PCRE2_UCHAR	*v;
	PCRE2_SIZE	 len;
	char		*s;

	if (pcre2_substring_get_byname(md, (PCRE2_SPTR)name, &v, &len) != 0)
		return NULL;
	s = xstrndup((const char *)v, len);
	pcre2_substring_free(v);
	str_lower_ascii(s);
	return s;
}

static char *
command_group_mode(pcre2_match_data *md)
{
	static const char *const modes[] = { "digest", "nomail", "normal" };
	size_t	i;

	for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (command_group_set(md, modes[i]))
			return xstrdup(modes[i]);
	return NULL;
}

static int
command_fill(pcre2_match_data *md, struct command *c)
{
	size_t	i;

	c->mode = command_group_mode(md);
	if (command_group_set(md, "plain") || command_group_set(md, "mime")) {
		free(c->mode);
		c->mode = xstrdup(command_group_set(md, "plain") ? "plain" :
		    "mime");
	}
	if (command_group_set(md, "bare"))
		return 2;
	for (i = 0; i < command_table_len; i++)
		if (command_group_set(md, command_table[i]->name))
			c->entry = command_table[i];
	if (c->entry == NULL)
		return 0;
	c->token = command_group(md, "token");
	c->list = command_group(md, "list");
	c->list_domain = command_group(md, "domain");
	c->arg = command_group(md, "arg");
	return 1;
}

int
command_parse(const char *line, struct command *c)
{
	const struct command_grammar	*g = command_grammar();
	pcre2_match_data		*md;
	size_t				 len = strlen(line);
	int				 rc = 0;

	memset(c, 0, sizeof *c);
	c->line = xstrdup(line);
	if (len == 0 || len > COMMAND_LINE_MAX)
		return 0;
	md = pcre2_match_data_create_from_pattern(g->command, NULL);
	if (pcre2_match(g->command, (PCRE2_SPTR)line, len, 0, 0, md,
	    NULL) > 0)
		rc = command_fill(md, c);
	pcre2_match_data_free(md);
	return rc;
}

void
command_free(struct command *c)
{
	free(c->mode);
	free(c->token);
	free(c->list);
	free(c->list_domain);
	free(c->line);
	free(c->arg);
	memset(c, 0, sizeof *c);
}

char *
command_subject_strip(const char *subject)
{
	const struct command_grammar	*g = command_grammar();
	pcre2_match_data		*md;
	PCRE2_SIZE			*ov;
	size_t				 off = 0, len = strlen(subject);
	char				*s;

	md = pcre2_match_data_create_from_pattern(g->prefix, NULL);
	while (off < len && pcre2_match(g->prefix, (PCRE2_SPTR)subject, len,
	    off, PCRE2_ANCHORED, md, NULL) > 0) {
		ov = pcre2_get_ovector_pointer(md);
		if (ov[1] <= off)
			break;
		off = ov[1];
	}
	pcre2_match_data_free(md);
	s = xstrdup(subject + off);
	return str_trim(s);
}

static int
command_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
command_repeats(const struct command_list *cl, const struct command *c)
{
	size_t	i;

	if (c->entry == NULL)
		return 0;
	for (i = 0; i < cl->n; i++)
		if (cl->v[i].entry == c->entry &&
		    command_same(cl->v[i].mode, c->mode) &&
		    command_same(cl->v[i].token, c->token) &&
		    command_same(cl->v[i].list, c->list) &&
		    command_same(cl->v[i].list_domain, c->list_domain) &&
		    command_same(cl->v[i].arg, c->arg))
			return 1;
	return 0;
}

void
command_list_add(struct command_list *cl, struct command *c)
{
	if (cl->n >= COMMAND_MAX || command_repeats(cl, c)) {
		command_free(c);
		return;
	}
	cl->v = xreallocarray(cl->v, cl->n + 1, sizeof *cl->v);
	cl->v[cl->n++] = *c;
	memset(c, 0, sizeof *c);
}

void
command_list_free(struct command_list *cl)
{
	size_t	i;

	for (i = 0; i < cl->n; i++)
		command_free(&cl->v[i]);
	free(cl->v);
	memset(cl, 0, sizeof *cl);
}

/* 1 the line is nothing to read (empty, or only courtesy), 0 read it. */
static int
command_courtesy(const char *line)
{
	const struct command_grammar	*g = command_grammar();
	pcre2_match_data		*md;
	int				 rc;

	if (*line == '\0')
		return 1;
	md = pcre2_match_data_create_from_pattern(g->courtesy, NULL);
	rc = pcre2_match(g->courtesy, (PCRE2_SPTR)line, strlen(line), 0, 0,
	    md, NULL) > 0;
	pcre2_match_data_free(md);
	return rc;
}

/* A copy of a line not understood, cut to COMMAND_LINE_MAX bytes at a
 * character boundary, for the summary. */
static char *
command_clip(const char *line)
{
	size_t	len = strlen(line);

	if (len <= COMMAND_LINE_MAX)
		return xstrdup(line);
	len = COMMAND_LINE_MAX;
	while (len > 0 && ((unsigned char)line[len] & 0xc0) == 0x80)
		len--;
	return xasprintf("%.*s...", (int)len, line);
}

/* One body line: 0 read on, -1 stop reading. */
static int
command_body_line(const char *line, size_t max_unknown,
    struct command_list *cl)
{
	struct command	c;
	int		stop;

	if (command_courtesy(line))
		return 0;
	if (command_parse(line, &c) != 1) {
		command_free(&c);
		c.line = command_clip(line);
		cl->unknown++;
		command_list_add(cl, &c);
		if (max_unknown > 0 && cl->unknown >= max_unknown) {
			cl->too_many_unknown = 1;
			return -1;
		}
		return 0;
	}
	stop = (c.entry->flags & COMMAND_STOP) != 0;
	command_list_add(cl, &c);
	return stop || cl->n >= COMMAND_MAX ? -1 : 0;
}

/* The body's lines: empty and quoted ones skipped, the text ones read,
 * up to the first line of any other kind (signature, sign-off, reply
 * header, the answered letter), where nothing more is the sender's. */
static void
command_extract_body(const char *text, size_t max_unknown,
    struct command_list *cl)
{
	struct replyscan	 sc;
	struct replyscan_line	 ln;
	char			*line;
	size_t			 nlines = 0;
	int			 rc = 0;

	replyscan_init(&sc, text);
	while (rc == 0 && nlines++ < COMMAND_MAX_LINES &&
	    replyscan_next(&sc, &ln)) {
		if (ln.kind == REPLYSCAN_BLANK || ln.kind == REPLYSCAN_QUOTED)
			continue;
		if (ln.kind != REPLYSCAN_TEXT)
			break;
		line = xstrndup(ln.s, ln.len);
		rc = command_body_line(str_trim(line), max_unknown, cl);
		free(line);
	}
}

void
command_extract(const struct message *m, size_t max_unknown,
    struct command_list *cl)
{
	struct command	 c;
	char		*subject;
	int		 stop = 0;

	memset(cl, 0, sizeof *cl);
	subject = command_subject_strip(m->subject ? m->subject : "");
	if (command_parse(subject, &c) == 1) {
		stop = (c.entry->flags & COMMAND_STOP) != 0;
		command_list_add(cl, &c);
	}
	command_free(&c);
	free(subject);
	if (!stop && m->text != NULL)
		command_extract_body(m->text, max_unknown, cl);
}

int
command_is_en(const struct command_ctx *ctx)
{
	return strcmp(ctx->lang, "en") == 0;
}

void
command_result(struct command_ctx *ctx, const struct command *c,
    const char *text)
{
	if (c != NULL && c->line != NULL)
		buf_addf(ctx->results, "> %s\n", c->line);
	buf_addf(ctx->results, "%s\n\n", text);
}

const char *
command_mode_name(const char *lang, const char *mode)
{
	int	en = strcmp(lang, "en") == 0;

	if (mode == NULL || strcmp(mode, "normal") == 0 || *mode == '\0')
		return en ? "every post as it comes" : "каждое письмо сразу";
	if (strcmp(mode, "digest") == 0)
		return en ? "digest" : "дайджест";
	return en ? "no mail" : "без писем";
}

int
command_letter(struct command_ctx *ctx, const struct list_config *l,
    const char *to, const char *template, const struct template_var *v,
    size_t nv, const char *reply_to)
{
	struct reply	r;
	int		rc;

	memset(&r, 0, sizeof r);
	r.template = template;
	r.list = l;
	r.to = to;
	r.orig = ctx->msg;
	r.vars = v;
	r.nvars = nv;
	r.reply_to = reply_to;
	if ((rc = reply_send(ctx->site, &r)) == 0)
		ctx->answered++;
	return rc;
}

const struct list_config *
command_list_by_id(struct site *s, int64_t id)
{
	size_t	i;

	for (i = 0; i < s->cfg->nlists; i++)
		if (site_list_id(s, &s->cfg->lists[i]) == id)
			return &s->cfg->lists[i];
	return NULL;
}

#define COMMAND_RENDER_VARS	24

char *
command_render(struct command_ctx *ctx, const struct list_config *l,
    const char *lang, const char *name, const struct template_var *extra,
    size_t nextra)
{
	const struct config	*cfg = ctx->site->cfg;
	struct template_var	 v[COMMAND_RENDER_VARS];
	struct template_text	 t;
	char			*a[6], *body = NULL;
	size_t			 n = 0, i;

	a[0] = xasprintf("%s@%s", cfg->site_address, cfg->domain);
	a[1] = l ? site_list_address(cfg, l, "") : xstrdup(a[0]);
	a[2] = l ? site_list_address(cfg, l, "-request") : xstrdup(a[0]);
	a[3] = l ? site_list_address(cfg, l, "-owner") : xstrdup("");
	a[4] = l ? site_list_address(cfg, l, "+subscribe") : xstrdup(a[0]);
	a[5] = l ? site_list_address(cfg, l, "+unsubscribe") : xstrdup(a[0]);
	v[n++] = (struct template_var){ "site_address", a[0] };
	v[n++] = (struct template_var){ "list_address", a[1] };
	v[n++] = (struct template_var){ "request_address", a[2] };
	v[n++] = (struct template_var){ "owner_address", a[3] };
	v[n++] = (struct template_var){ "subscribe_address", a[4] };
	v[n++] = (struct template_var){ "unsubscribe_address", a[5] };
	v[n++] = (struct template_var){ "list_title", l ? l->title : "" };
	v[n++] = (struct template_var){ "list_name", l ? l->name : "" };
	v[n++] = (struct template_var){ "list_description",
	    l ? l->description : "" };
	v[n++] = (struct template_var){ "site_name", cfg->site_name };
	v[n++] = (struct template_var){ "sender", ctx->sender };
	for (i = 0; i < nextra && n < COMMAND_RENDER_VARS; i++)
		v[n++] = extra[i];
	if (template_render(cfg->templates_dir, lang, name, v, n, &t) == 0) {
		body = xstrdup(t.body);
		template_text_free(&t);
	}
	for (i = 0; i < 6; i++)
		free(a[i]);
	return body;
}
