/*
 * registry: see registry.h.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/registry.h"
#include "core/reply.h"
#include "core/site.h"
#include "mail/address.h"
#include "mail/charset.h"
#include "store/db.h"
#include "store/member.h"
#include "store/teacher.h"
#include "store/token.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/log.h"
#include "util/progress.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define REGISTRY_BATCH		200	/* rows per transaction */
#define REGISTRY_SUBSTR_MIN	6	/* bytes of a subject found inside */

/* ---- folding text for comparison ---- */

/* Lower case for ASCII and Russian letters; ё is read as е. */
static uint32_t
registry_lower(uint32_t cp)
{
	cp = charset_lower(cp);
	return cp == 0x451 ? 0x435 : cp;	/* ё as е */
}

static int
registry_is_blank(uint32_t cp, const char *punct)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' ||
	    cp == 0xa0 || (cp < 0x80 && cp != 0 && punct != NULL &&
	    strchr(punct, (int)cp) != NULL);
}

/*
 * s lower-cased with runs of blanks (and of the characters in punct) made
 * one space, trimmed: "  Фамилия,  Имя " gives "фамилия имя".
 */
static char *
registry_fold(const char *s, const char *punct)
{
	struct buf	 b;
	size_t		 n, left = strlen(s);
	uint32_t	 cp;
	int		 blank = 0;

	buf_init(&b);
	buf_adds(&b, "");
	while (left > 0) {
		if ((n = charset_utf8_char(s, left, &cp)) == 0) {
			cp = 0xfffd;
			n = 1;
		}
		s += n;
		left -= n;
		if (registry_is_blank(cp, punct)) {
			blank = 1;
			continue;
		}
		if (blank && b.len > 0)
			buf_addc(&b, ' ');
		blank = 0;
		buf_add_utf8(&b, registry_lower(cp));
	}
	return buf_detach(&b);
}

/* ---- subjects and lists ---- */

/* Common names of school subjects and the shipped list that takes them. */
static const struct {
	const char	*subject;	/* folded */
	const char	*list;
} registry_subjects[] = {
	{ "математика", "math" }, { "алгебра", "math" },
	{ "геометрия", "math" }, { "алгебра и геометрия", "math" },
	{ "mathematics", "math" }, { "maths", "math" },
	{ "русский язык", "russian" }, { "литература", "russian" },
	{ "русский язык и литература", "russian" },
	{ "родной язык", "russian" }, { "родная литература", "russian" },
	{ "физика", "physics" }, { "химия", "chemistry" },
	{ "биология", "biology" }, { "география", "geography" },
	{ "история", "history" }, { "обществознание", "history" },
	{ "история и обществознание", "history" }, { "право", "history" },
	{ "информатика", "informatics" },
	{ "информатика и икт", "informatics" },
	{ "computer science", "informatics" },
	{ "иностранный язык", "foreign-languages" },
	{ "английский язык", "foreign-languages" },
	{ "немецкий язык", "foreign-languages" },
	{ "французский язык", "foreign-languages" },
	{ "китайский язык", "foreign-languages" },
	{ "english", "foreign-languages" },
	{ "начальные классы", "primary" }, { "начальная школа", "primary" },
	{ "начальное общее образование", "primary" },
	{ "primary school", "primary" },
	{ "физическая культура", "phys-ed" }, { "физкультура", "phys-ed" },
	{ "physical education", "phys-ed" },
	{ "технология", "technology" }, { "труд", "technology" },
	{ "труд (технология)", "technology" },
	{ "музыка", "arts" }, { "изобразительное искусство", "arts" },
	{ "изо", "arts" }, { "искусство", "arts" }, { "мхк", "arts" },
	{ "обзр", "obzr" }, { "обж", "obzr" },
	{ "основы безопасности и защиты родины", "obzr" },
	{ "основы безопасности жизнедеятельности", "obzr" },
	{ "орксэ", "orkse" }, { "однкнр", "orkse" },
	{ "педагог-библиотекарь", "librarians" },
	{ "библиотекарь", "librarians" },
	{ "классный руководитель", "class-teachers" },
};

#define REGISTRY_NSUBJECTS \
	(sizeof registry_subjects / sizeof registry_subjects[0])

/* The list's subject tag without its brackets, folded. */
static char *
registry_tag(const struct list_config *l)
{
	const char	*t = l->subject_tag != NULL ? l->subject_tag : "";
	char		*copy, *folded;
	size_t		 n;

	if (*t == '[')
		t++;
	copy = xstrdup(t);
	n = strlen(copy);
	if (n > 0 && copy[n - 1] == ']')
		copy[n - 1] = '\0';
	folded = registry_fold(copy, NULL);
	free(copy);
	return folded;
}

/* 2 when the list is called s; 1 when its title or tag holds s; else 0. */
static int
registry_list_match(const struct list_config *l, const char *s)
{
	char	*name, *title, *tag;
	int	 m = 0;

	name = registry_fold(l->name, NULL);
	title = registry_fold(l->title != NULL ? l->title : "", NULL);
	tag = registry_tag(l);
	if (strcmp(s, name) == 0 || strcmp(s, title) == 0 ||
	    (*tag != '\0' && strcmp(s, tag) == 0))
		m = 2;
	else if (strlen(s) >= REGISTRY_SUBSTR_MIN && (strstr(title, s) !=
	    NULL || strstr(tag, s) != NULL))
		m = 1;
	free(name);
	free(title);
	free(tag);
	return m;
}

static const struct list_config *
registry_subject_table(const struct config *cfg, const char *s)
{
	size_t	i;

	for (i = 0; i < REGISTRY_NSUBJECTS; i++)
		if (strcmp(s, registry_subjects[i].subject) == 0)
			return config_list(cfg, registry_subjects[i].list);
	return NULL;
}

const struct list_config *
registry_subject_list(const struct config *cfg, const char *subject)
{
	const struct list_config	*found = NULL, *inside = NULL;
	size_t				 i, ninside = 0;
	char				*s;
	int				 m;

	if (subject == NULL)
		return NULL;
	s = registry_fold(subject, NULL);
	for (i = 0; *s != '\0' && found == NULL && i < cfg->nlists; i++) {
		if ((m = registry_list_match(&cfg->lists[i], s)) == 2)
			found = &cfg->lists[i];
		else if (m == 1 && ninside++ == 0)
			inside = &cfg->lists[i];
	}
	if (found == NULL && *s != '\0')
		found = registry_subject_table(cfg, s);
	if (found == NULL && ninside == 1)
		found = inside;
	free(s);
	return found;
}

/* ---- the header ---- */

/* Header cells, folded with punctuation as blanks. */
static const struct {
	const char		*cell;
	enum registry_column	 column;
} registry_headers[] = {
	{ "фио", REGISTRY_NAME }, { "ф и о", REGISTRY_NAME },
	{ "фамилия имя отчество", REGISTRY_NAME },
	{ "фио педагога", REGISTRY_NAME }, { "фио учителя", REGISTRY_NAME },
	{ "full name", REGISTRY_NAME }, { "fullname", REGISTRY_NAME },
	{ "name", REGISTRY_NAME },
	{ "email", REGISTRY_EMAIL }, { "e mail", REGISTRY_EMAIL },
	{ "электронная почта", REGISTRY_EMAIL }, { "почта", REGISTRY_EMAIL },
	{ "эл почта", REGISTRY_EMAIL },
	{ "адрес электронной почты", REGISTRY_EMAIL },
	{ "электронный адрес", REGISTRY_EMAIL },
	{ "школа", REGISTRY_SCHOOL }, { "оо", REGISTRY_SCHOOL },
	{ "образовательная организация", REGISTRY_SCHOOL },
	{ "образовательное учреждение", REGISTRY_SCHOOL },
	{ "наименование оо", REGISTRY_SCHOOL }, { "school", REGISTRY_SCHOOL },
	{ "муниципалитет", REGISTRY_MUNICIPALITY },
	{ "муниципальное образование", REGISTRY_MUNICIPALITY },
	{ "городской округ", REGISTRY_MUNICIPALITY },
	{ "municipality", REGISTRY_MUNICIPALITY },
	{ "предмет", REGISTRY_SUBJECT }, { "учебный предмет", REGISTRY_SUBJECT },
	{ "преподаваемый предмет", REGISTRY_SUBJECT },
	{ "subject", REGISTRY_SUBJECT },
};

#define REGISTRY_NHEADERS (sizeof registry_headers / sizeof registry_headers[0])
#define REGISTRY_HEADER_PUNCT	".,;:_-*\"'()/"

int
registry_header_column(const char *cell)
{
	char	*s = registry_fold(cell, REGISTRY_HEADER_PUNCT);
	size_t	 i;
	int	 col = -1;

	for (i = 0; i < REGISTRY_NHEADERS && col == -1; i++)
		if (strcmp(s, registry_headers[i].cell) == 0)
			col = (int)registry_headers[i].column;
	free(s);
	return col;
}

/* ---- messages, in the site's language ---- */

static const struct {
	const char	*en, *ru;
} registry_words[] = {
	{ "field too long", "слишком длинное поле" },
	{ "line too long", "слишком длинная строка" },
	{ "too many fields", "слишком много полей" },
	{ "unterminated quoted field",
	    "кавычка не закрыта до конца файла" },
	{ "no e-mail address", "не указан адрес электронной почты" },
	{ "no full name", "не указаны ФИО" },
	{ "the file is empty", "файл пуст" },
	{ "the file is too large", "файл слишком велик" },
	{ "the first line is not a header naming the full name and e-mail "
	    "columns", "первая строка — не заголовок: в ней нет колонок "
	    "«ФИО» и «Электронная почта»" },
	{ "database error", "ошибка базы данных" },
};

#define REGISTRY_NWORDS (sizeof registry_words / sizeof registry_words[0])

struct registry_run {
	struct site			*site;
	const char			*file;
	const struct registry_options	*opt;
	struct registry_summary		*sum;
	int				 ru;	/* messages in Russian */
	int				 col[REGISTRY_NCOLUMNS];
	time_t				 now;
	struct progress			 bar;

	/* Addresses seen in this file, with their lines. */
	char				**seen;
	int				*seen_line;
	size_t				 seen_cap, nseen;

	/* Notices waiting for their batch to be committed. */
	struct registry_notice		*notices;
	size_t				 nnotices, notices_cap;
};

struct registry_notice {
	const struct list_config	*list;
	char				*email;
	char				*name;
	char				 token[TOKEN_LEN + 1];	/* "" welcome */
};

/* The English message in the run's language. */
static const char *
registry_word(const struct registry_run *r, const char *en)
{
	size_t	i;

	for (i = 0; r->ru && i < REGISTRY_NWORDS; i++)
		if (strcmp(en, registry_words[i].en) == 0)
			return registry_words[i].ru;
	return en;
}

static void
registry_report(struct registry_run *r, int line, const char *msg)
{
	progress_clear(&r->bar);
	if (r->opt->report != NULL)
		r->opt->report(r->opt->arg, r->file, line, msg);
}

/* A bad row: reported and counted. */
static void
registry_bad(struct registry_run *r, int line, const char *msg)
{
	r->sum->bad++;
	registry_report(r, line, msg);
}

static void
registry_report_free(struct registry_run *r, int line, char *msg)
{
	registry_report(r, line, msg);
	free(msg);
}

static void
registry_bad_free(struct registry_run *r, int line, char *msg)
{
	r->sum->bad++;
	registry_report_free(r, line, msg);
}

/* ---- addresses seen in this file ---- */

static size_t
registry_hash(const char *s)
{
	uint32_t	h = 2166136261u;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static void
registry_seen_grow(struct registry_run *r)
{
	char	**old = r->seen;
	int	 *old_line = r->seen_line;
	size_t	  old_cap = r->seen_cap, i, j;

	r->seen_cap = old_cap ? old_cap * 2 : 64;
	r->seen = xcalloc(r->seen_cap, sizeof *r->seen);
	r->seen_line = xcalloc(r->seen_cap, sizeof *r->seen_line);
	for (i = 0; i < old_cap; i++) {
		if (old[i] == NULL)
			continue;
		j = registry_hash(old[i]) & (r->seen_cap - 1);
		while (r->seen[j] != NULL)
			j = (j + 1) & (r->seen_cap - 1);
		r->seen[j] = old[i];
		r->seen_line[j] = old_line[i];
	}
	free(old);
	free(old_line);
}

/* The line the address was first on, or 0 after noting it on line. */
static int
registry_seen(struct registry_run *r, const char *email, int line)
{
	size_t	i;

	if (2 * (r->nseen + 1) > r->seen_cap)
		registry_seen_grow(r);
	i = registry_hash(email) & (r->seen_cap - 1);
	for (; r->seen[i] != NULL; i = (i + 1) & (r->seen_cap - 1))
		if (strcmp(r->seen[i], email) == 0)
			return r->seen_line[i];
	r->seen[i] = xstrdup(email);
	r->seen_line[i] = line;
	r->nseen++;
	return 0;
}

/* ---- notices, sent once their batch is committed ---- */

static void
registry_notice_add(struct registry_run *r, const struct list_config *l,
    const struct teacher *t, const char *token)
{
	struct registry_notice	*n;

	if (r->nnotices == r->notices_cap) {
		r->notices_cap = r->notices_cap ? r->notices_cap * 2 : 32;
		r->notices = xreallocarray(r->notices, r->notices_cap,
		    sizeof *r->notices);
	}
	n = &r->notices[r->nnotices++];
	n->list = l;
	n->email = xstrdup(t->email);
	n->name = xstrdup(t->full_name);
	str_lcpy(n->token, token, sizeof n->token);
}

static void
registry_notices_free(struct registry_run *r)
{
	size_t	i;

	for (i = 0; i < r->nnotices; i++) {
		free(r->notices[i].email);
		free(r->notices[i].name);
	}
	r->nnotices = 0;
}

/* Queue one welcome or invitation. */
static void
registry_notice_send(struct registry_run *r, const struct registry_notice *n)
{
	const struct config	*cfg = r->site->cfg;
	struct template_var	 v[4];
	struct reply		 rp;
	char			 days[16], *confirm = NULL, *suffix;

	snprintf(days, sizeof days, "%d", cfg->token_lifetime_days);
	memset(&rp, 0, sizeof rp);
	rp.list = n->list;
	rp.to = n->email;
	rp.template = "registry-welcome";
	v[0] = (struct template_var){ "name", n->name };
	v[1] = (struct template_var){ "email", n->email };
	if (n->token[0] != '\0') {
		suffix = xasprintf("+confirm-%s", n->token);
		confirm = site_list_address(cfg, n->list, suffix);
		free(suffix);
		rp.template = "registry-invite";
		rp.reply_to = confirm;
	}
	v[2] = (struct template_var){ "confirm_address", confirm ? confirm : "" };
	v[3] = (struct template_var){ "days", days };
	rp.vars = v;
	rp.nvars = 4;
	if (reply_send(r->site, &rp) != 0)
		r->sum->unsent++;
	free(confirm);
}

/* Commit the batch, then queue its notices; -1 on a database error. */
static int
registry_commit(struct registry_run *r)
{
	size_t	i;

	if (db_commit(r->site->db) == -1) {
		db_rollback(r->site->db);
		registry_notices_free(r);
		return -1;
	}
	for (i = 0; i < r->nnotices; i++)
		registry_notice_send(r, &r->notices[i]);
	registry_notices_free(r);
	return 0;
}

/* ---- rows ---- */

/* The trimmed value of a column: NULL when the file lacks the column. */
static char *
registry_value(struct registry_run *r, struct csv *c,
    enum registry_column col)
{
	static char	empty[1];
	int		i = r->col[col];

	if (i < 0)
		return NULL;
	if ((size_t)i >= c->nfields) {
		empty[0] = '\0';
		return empty;
	}
	return str_trim(c->fields[i]);
}

/* 1 when every field of the record is blank (";;;;" that Excel leaves). */
static int
registry_blank_record(struct csv *c)
{
	size_t	i;

	for (i = 0; i < c->nfields; i++)
		if (*str_trim(c->fields[i]) != '\0')
			return 0;
	return 1;
}

/* The normalized address of a row, or NULL after reporting it bad. */
static char *
registry_email(struct registry_run *r, const char *raw, int line)
{
	const char	*at;
	char		*norm;

	if (*raw == '\0') {
		registry_bad(r, line, registry_word(r, "no e-mail address"));
		return NULL;
	}
	if (strchr(raw, '@') != strrchr(raw, '@')) {
		registry_bad_free(r, line, r->ru ?
		    xasprintf("в ячейке несколько адресов: %s", raw) :
		    xasprintf("several addresses in one cell: %s", raw));
		return NULL;
	}
	norm = address_normalize(raw);
	if (norm == NULL || (at = strrchr(norm, '@')) == NULL ||
	    strchr(at, '.') == NULL) {
		free(norm);
		registry_bad_free(r, line, r->ru ?
		    xasprintf("неверный адрес электронной почты: %s", raw) :
		    xasprintf("not a valid e-mail address: %s", raw));
		return NULL;
	}
	return norm;
}

static void
registry_unmatched(struct registry_run *r, int line, const char *subject)
{
	r->sum->unmatched++;
	if (subject == NULL || *subject == '\0') {
		registry_report(r, line, r->ru ? "не указан предмет; "
		    "пропущено" : "no subject; skipped");
		return;
	}
	registry_report_free(r, line, r->ru ?
	    xasprintf("предмет «%s» не относится ни к одному списку; "
	    "пропущено", subject) :
	    xasprintf("subject \"%s\" matches no list; skipped", subject));
}

static int
registry_subscribe(struct registry_run *r, const struct list_config *l,
    int64_t lid, const struct teacher *t)
{
	int	rc;

	if ((rc = member_add(r->site->db, lid, t->email, t->full_name,
	    "normal")) == -1)
		return -1;
	if (rc == 0) {
		r->sum->subscribed++;
		registry_notice_add(r, l, t, "");
	}
	return 0;
}

/* Invite unless a member already or an invitation is still open. */
static int
registry_invite(struct registry_run *r, const struct list_config *l,
    int64_t lid, const struct teacher *t)
{
	const struct config	*cfg = r->site->cfg;
	char			 token[TOKEN_LEN + 1];
	int			 rc;

	if ((rc = member_is(r->site->db, lid, t->email,
	    cfg->local_part_ci)) != 0)
		return rc == 1 ? 0 : -1;
	if ((rc = teacher_invited(r->site->db, lid, t->email, r->now)) != 0)
		return rc == 1 ? 0 : -1;
	if (token_new(r->site->db, "invite", lid, t->email, "normal", 0,
	    (time_t)cfg->token_lifetime_days * 24 * 3600, token) == -1)
		return -1;
	r->sum->invited++;
	registry_notice_add(r, l, t, token);
	return 0;
}

static int
registry_enrol(struct registry_run *r, const struct teacher *t, int line)
{
	const struct list_config	*l;
	int64_t				 lid;

	if (t->subject == NULL || *t->subject == '\0' ||
	    (l = registry_subject_list(r->site->cfg, t->subject)) == NULL) {
		registry_unmatched(r, line, t->subject);
		return 0;
	}
	if ((lid = site_list_id(r->site, l)) == -1)
		return -1;
	if (r->opt->action == REGISTRY_SUBSCRIBE)
		return registry_subscribe(r, l, lid, t);
	return registry_invite(r, l, lid, t);
}

static void
registry_count(struct registry_run *r, int change)
{
	if (change == TEACHER_ADDED)
		r->sum->added++;
	else if (change == TEACHER_UPDATED)
		r->sum->updated++;
	else
		r->sum->unchanged++;
}

/* One data row; -1 only on a database error. */
static int
registry_row(struct registry_run *r, struct csv *c)
{
	struct teacher	 t;
	int		 line = c->record_line, first, rc;

	memset(&t, 0, sizeof t);
	if ((t.email = registry_email(r, registry_value(r, c,
	    REGISTRY_EMAIL), line)) == NULL)
		return 0;
	t.full_name = registry_value(r, c, REGISTRY_NAME);
	if (*t.full_name == '\0')
		registry_bad(r, line, registry_word(r, "no full name"));
	else if ((first = registry_seen(r, t.email, line)) != 0)
		registry_bad_free(r, line, r->ru ?
		    xasprintf("адрес %s уже был в строке %d", t.email, first) :
		    xasprintf("%s already appears on line %d", t.email, first));
	else {
		t.school = registry_value(r, c, REGISTRY_SCHOOL);
		t.municipality = registry_value(r, c, REGISTRY_MUNICIPALITY);
		t.subject = registry_value(r, c, REGISTRY_SUBJECT);
		if ((rc = teacher_upsert(r->site->db, &t, r->now)) != -1)
			registry_count(r, rc);
		if (rc != -1 && r->opt->action != REGISTRY_LOAD)
			rc = registry_enrol(r, &t, line);
		free(t.email);
		return rc == -1 ? -1 : 0;
	}
	free(t.email);
	return 0;
}

/* ---- the file ---- */

/* Columns from the header record; 0, or -1 when name or e-mail lacks. */
static int
registry_header(struct registry_run *r, struct csv *c)
{
	size_t	i;
	int	col;

	for (i = 0; i < REGISTRY_NCOLUMNS; i++)
		r->col[i] = -1;
	for (i = 0; i < c->nfields; i++) {
		col = registry_header_column(c->fields[i]);
		if (col >= 0 && r->col[col] == -1)
			r->col[col] = (int)i;
		else if (col < 0)
			log_debug("registry: %s: column \"%s\" ignored",
			    r->file, c->fields[i]);
	}
	return r->col[REGISTRY_NAME] == -1 || r->col[REGISTRY_EMAIL] == -1 ?
	    -1 : 0;
}

/* Every record after the header; -1 on a database error. */
static int
registry_rows(struct registry_run *r, struct csv *c)
{
	enum csv_result	res;
	size_t		batch = 0;

	if (db_begin(r->site->db) == -1)
		return -1;
	while ((res = csv_next(c)) != CSV_END) {
		if (res == CSV_RECORD && registry_blank_record(c))
			continue;
		r->sum->rows++;
		if (res == CSV_BAD)
			registry_bad(r, c->record_line,
			    registry_word(r, c->error));
		else if (registry_row(r, c) == -1) {
			db_rollback(r->site->db);
			registry_notices_free(r);
			return -1;
		}
		progress_step(&r->bar, csv_offset(c));
		if (++batch % REGISTRY_BATCH == 0 && (registry_commit(r) ==
		    -1 || db_begin(r->site->db) == -1))
			return -1;
	}
	return registry_commit(r);
}

static void
registry_run_free(struct registry_run *r)
{
	size_t	i;

	for (i = 0; i < r->seen_cap; i++)
		free(r->seen[i]);
	free(r->seen);
	free(r->seen_line);
	registry_notices_free(r);
	free(r->notices);
}

static int
registry_parse(struct registry_run *r, const char *text, size_t len)
{
	struct csv	 c;
	enum csv_result	 res;
	int		 rc = REGISTRY_OK;

	csv_init(&c, text, len);
	if ((res = csv_next(&c)) != CSV_RECORD ||
	    registry_header(r, &c) == -1) {
		registry_report(r, res == CSV_END ? 0 : c.record_line,
		    registry_word(r, res == CSV_END ? "the file is empty" :
		    "the first line is not a header naming the full name and "
		    "e-mail columns"));
		csv_free(&c);
		return REGISTRY_EDATA;
	}
	if (r->opt->progress)
		progress_start(&r->bar, r->file, len);
	if (registry_rows(r, &c) == -1) {
		registry_report(r, c.record_line,
		    registry_word(r, "database error"));
		rc = REGISTRY_EDB;
	}
	progress_end(&r->bar);
	csv_free(&c);
	return rc;
}

int
registry_import_data(struct site *s, const char *file, const char *data,
    size_t len, const struct registry_options *opt,
    struct registry_summary *sum)
{
	struct registry_run	 r;
	char			*text;
	int			 rc;

	memset(sum, 0, sizeof *sum);
	memset(&r, 0, sizeof r);
	r.site = s;
	r.file = file;
	r.opt = opt;
	r.sum = sum;
	r.ru = strcmp(s->cfg->language, "en") != 0;
	r.now = time(NULL);
	text = charset_guess_to_utf8(data, len);
	rc = registry_parse(&r, text, strlen(text));
	free(text);
	registry_run_free(&r);
	return rc;
}

int
registry_import(struct site *s, const char *path,
    const struct registry_options *opt, struct registry_summary *sum)
{
	struct registry_run	 r;
	char			*data, *msg;
	size_t			 len;
	int			 rc;

	if ((data = atomicfile_read(path, REGISTRY_FILE_MAX, &len)) != NULL) {
		rc = registry_import_data(s, path, data, len, opt, sum);
		free(data);
		return rc;
	}
	rc = errno == EFBIG ? REGISTRY_EDATA : REGISTRY_ENOINPUT;
	memset(sum, 0, sizeof *sum);
	memset(&r, 0, sizeof r);
	r.opt = opt;
	r.file = path;
	r.ru = strcmp(s->cfg->language, "en") != 0;
	msg = rc == REGISTRY_EDATA ? xstrdup(registry_word(&r,
	    "the file is too large")) : xstrdup(strerror(errno));
	registry_report_free(&r, 0, msg);
	return rc;
}
