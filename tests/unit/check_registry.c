/*
 * check_registry: unit tests of the teacher registry import: the CSV
 * reader (table-driven: quotes, doubled quotes, line breaks in quotes,
 * the delimiter, a BOM, the limits, an unterminated quote), the progress
 * bar (silent off a terminal, drawn on a pseudo-terminal), header
 * detection, the subject → list mapping against the shipped lists, and
 * imports into a fresh site: windows-1251 and UTF-8 files, bad rows with
 * their line numbers, idempotent re-imports, updates, subscribe and
 * invite.  Each import test has its own temporary directory.
 */
#include "config.h"

#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/registry.h"
#include "core/site.h"
#include "store/db.h"
#include "store/member.h"
#include "store/teacher.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/progress.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---- */

static const char *
srcdir(void)
{
	const char	*d = getenv("top_srcdir");

	return d != NULL && *d != '\0' ? d : ".";
}

static char *
srcpath(const char *rel)
{
	char	*rp, *p = xasprintf("%s/%s", srcdir(), rel);

	if ((rp = realpath(p, NULL)) == NULL)
		return p;
	free(p);
	return rp;
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE	*fp = fopen(path, "w");

	ck_assert_msg(fp != NULL, "fopen %s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
}

static char *
read_file(const char *path)
{
	FILE	*fp = fopen(path, "r");
	struct buf b;
	char	 chunk[4096];
	size_t	 n;

	ck_assert_msg(fp != NULL, "fopen %s: %s", path, strerror(errno));
	buf_init(&b);
	buf_adds(&b, "");
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	return buf_detach(&b);
}

/* ---- the CSV reader ---- */

struct csv_case {
	const char	*what;
	const char	*in;
	size_t		 field_max, record_max, fields_max;
	const char	*want;	/* "LINE:f1|f2;" per record, "LINE!why;" bad */
};

static const struct csv_case csv_cases[] = {
	{ "commas", "a,b,c\n1,2,3\n", 0, 0, 0, "1:a|b|c;2:1|2|3;" },
	{ "semicolons from the header", "a;b;c,d\n1;2;3,4\n", 0, 0, 0,
	    "1:a|b|c,d;2:1|2|3,4;" },
	{ "a tie is a comma", "a;b,c\n", 0, 0, 0, "1:a;b|c;" },
	{ "quoted delimiter in the header does not count",
	    "\"a;b;c\",d\n", 0, 0, 0, "1:a;b;c|d;" },
	{ "quoted delimiter", "n,v\n\"x,y\",z\n", 0, 0, 0,
	    "1:n|v;2:x,y|z;" },
	{ "doubled quotes", "a;b\n\"say \"\"hi\"\"\";2\n", 0, 0, 0,
	    "1:a|b;2:say \"hi\"|2;" },
	{ "line break inside quotes", "a,b\n\"l1\nl2\",x\nc,d\n", 0, 0, 0,
	    "1:a|b;2:l1\nl2|x;4:c|d;" },
	{ "CRLF", "a;b\r\nc;d\r\n", 0, 0, 0, "1:a|b;2:c|d;" },
	{ "lone CR", "a,b\rc,d\r", 0, 0, 0, "1:a|b;2:c|d;" },
	{ "BOM skipped", "\xef\xbb\xbf" "a;b\n1;2\n", 0, 0, 0,
	    "1:a|b;2:1|2;" },
	{ "blank lines skipped, counted", "a,b\n\n\r\nc,d", 0, 0, 0,
	    "1:a|b;4:c|d;" },
	{ "empty fields", "a,,\n,\n", 0, 0, 0, "1:a||;2:|;" },
	{ "quote inside an unquoted field", "a\"b,c\n", 0, 0, 0,
	    "1:a\"b|c;" },
	{ "text after a closing quote", "\"ab\"cd,e\n", 0, 0, 0,
	    "1:abcd|e;" },
	{ "over-long field", "a,b\n123456789,x\nc,d\n", 8, 0, 0,
	    "1:a|b;2!field too long;3:c|d;" },
	{ "field at the limit", "12345678,x\n", 8, 0, 0, "1:12345678|x;" },
	{ "over-long quoted field across lines",
	    "a,b\n\"1234\n56789\",x\nc,d\n", 8, 0, 0,
	    "1:a|b;2!field too long;4:c|d;" },
	{ "too many fields", "a,b,c,d\ne,f\n", 0, 0, 3,
	    "1!too many fields;2:e|f;" },
	{ "line too long", "a,b\n1234,5678,9012,3456\nc,d\n", 0, 12, 0,
	    "1:a|b;2!line too long;3:c|d;" },
	{ "unterminated quote at EOF", "a,b\n\"open,x\ny,z\n", 0, 0, 0,
	    "1:a|b;2!unterminated quoted field;" },
	{ "empty input", "", 0, 0, 0, "" },
	{ "only a BOM", "\xef\xbb\xbf", 0, 0, 0, "" },
};

static char *
csv_transcript(const struct csv_case *c)
{
	struct csv	r;
	struct buf	b;
	enum csv_result	res;
	size_t		i;

	buf_init(&b);
	buf_adds(&b, "");
	csv_init(&r, c->in, strlen(c->in));
	csv_limits(&r, c->field_max, c->record_max, c->fields_max);
	while ((res = csv_next(&r)) != CSV_END) {
		if (res == CSV_BAD) {
			buf_addf(&b, "%d!%s;", r.record_line, r.error);
			continue;
		}
		buf_addf(&b, "%d:", r.record_line);
		for (i = 0; i < r.nfields; i++)
			buf_addf(&b, "%s%s", i ? "|" : "", r.fields[i]);
		buf_addc(&b, ';');
	}
	csv_free(&r);
	return buf_detach(&b);
}

START_TEST(test_csv_table)
{
	const struct csv_case	*c = &csv_cases[_i];
	char			*got = csv_transcript(c);

	ck_assert_msg(strcmp(got, c->want) == 0, "%s: got \"%s\", want "
	    "\"%s\"", c->what, got, c->want);
	free(got);
}
END_TEST

START_TEST(test_csv_delimiter)
{
	struct csv	r;

	csv_init(&r, "ФИО;email;школа\n", strlen("ФИО;email;школа\n"));
	ck_assert_int_eq(r.delim, ';');
	csv_free(&r);
	csv_init(&r, "name,email\n", strlen("name,email\n"));
	ck_assert_int_eq(r.delim, ',');
	csv_free(&r);
}
END_TEST

/* Memory stays bounded: a huge field costs nothing beyond the limit. */
START_TEST(test_csv_bounded)
{
	size_t		 n = 3 * CSV_RECORD_MAX;
	char		*in = xmalloc(n + 8);
	struct csv	 r;

	memset(in, 'x', n);
	memcpy(in + n, "\nok,1\n", 7);
	csv_init(&r, in, n + 6);
	ck_assert_int_eq(csv_next(&r), CSV_BAD);
	ck_assert_str_eq(r.error, "field too long");
	ck_assert_uint_le(r.text.cap, CSV_FIELD_MAX * 2 + 64);
	ck_assert_int_eq(csv_next(&r), CSV_RECORD);
	ck_assert_int_eq(r.record_line, 2);
	ck_assert_str_eq(r.fields[0], "ok");
	ck_assert_int_eq(csv_next(&r), CSV_END);
	csv_free(&r);
	free(in);
}
END_TEST

/* ---- the progress bar ---- */

/* Off a terminal nothing at all is written. */
START_TEST(test_progress_not_a_tty)
{
	char		 path[] = "/tmp/check_registry.XXXXXX";
	struct progress	 p;
	struct stat	 st;
	int		 fd, saved;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	saved = dup(STDERR_FILENO);
	ck_assert_int_ne(dup2(fd, STDERR_FILENO), -1);
	progress_start(&p, "x.csv", 100);
	progress_step(&p, 50);
	progress_clear(&p);
	progress_end(&p);
	dup2(saved, STDERR_FILENO);
	close(saved);
	ck_assert_int_eq(fstat(fd, &st), 0);
	close(fd);
	unlink(path);
	ck_assert_int_eq(p.enabled, 0);
	ck_assert_int_eq((int)st.st_size, 0);
}
END_TEST

/* On a pseudo-terminal the bar is drawn, redrawn and ended. */
START_TEST(test_progress_tty)
{
	struct progress	 p;
	char		 out[4096];
	ssize_t		 n;
	size_t		 got = 0;
	int		 master, slave, saved;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_msg(master != -1, "posix_openpt: %s", strerror(errno));
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	ck_assert_int_ne(slave = open(ptsname(master), O_RDWR | O_NOCTTY),
	    -1);
	saved = dup(STDERR_FILENO);
	ck_assert_int_ne(dup2(slave, STDERR_FILENO), -1);
	progress_start(&p, "x.csv", 200);
	progress_step(&p, 100);
	progress_step(&p, 101);		/* same percentage: not redrawn */
	progress_end(&p);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(slave);
	fcntl(master, F_SETFL, O_NONBLOCK);
	while (got < sizeof out - 1 &&
	    (n = read(master, out + got, sizeof out - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(master);
	ck_assert_msg(strstr(out, "x.csv [") != NULL, "got '%s'", out);
	ck_assert_msg(strstr(out, "  0%") != NULL, "got '%s'", out);
	ck_assert_msg(strstr(out, " 50%") != NULL, "got '%s'", out);
	ck_assert_msg(strstr(out, "100%") != NULL, "got '%s'", out);
	ck_assert_msg(strstr(strstr(out, " 50%") + 1, " 50%") == NULL,
	    "50%% drawn twice: '%s'", out);
}
END_TEST

/* ---- header detection ---- */

static const struct {
	const char	*cell;
	int		 column;
} header_cases[] = {
	{ "ФИО", REGISTRY_NAME }, { "Ф.И.О.", REGISTRY_NAME },
	{ " Фамилия, имя, отчество ", REGISTRY_NAME },
	{ "Фамилия Имя Отчество", REGISTRY_NAME },
	{ "Full name", REGISTRY_NAME }, { "full_name", REGISTRY_NAME },
	{ "email", REGISTRY_EMAIL }, { "E-mail", REGISTRY_EMAIL },
	{ "E-MAIL", REGISTRY_EMAIL }, { "Электронная почта", REGISTRY_EMAIL },
	{ "почта", REGISTRY_EMAIL }, { "Школа", REGISTRY_SCHOOL },
	{ "ОО", REGISTRY_SCHOOL },
	{ "Образовательная организация", REGISTRY_SCHOOL },
	{ "School", REGISTRY_SCHOOL }, { "Муниципалитет", REGISTRY_MUNICIPALITY },
	{ "муниципальное образование", REGISTRY_MUNICIPALITY },
	{ "Municipality", REGISTRY_MUNICIPALITY },
	{ "Предмет", REGISTRY_SUBJECT }, { "SUBJECT", REGISTRY_SUBJECT },
	{ "Телефон", -1 }, { "Должность", -1 }, { "", -1 },
	{ "e-mail руководителя", -1 },
};

START_TEST(test_header_column)
{
	ck_assert_msg(registry_header_column(header_cases[_i].cell) ==
	    header_cases[_i].column, "'%s': got %d, want %d",
	    header_cases[_i].cell, registry_header_column(
	    header_cases[_i].cell), header_cases[_i].column);
}
END_TEST

/* ---- subject → list, against the shipped lists ---- */

static const struct {
	const char	*subject;
	const char	*list;	/* NULL: none */
} subject_cases[] = {
	{ "Математика", "math" }, { "  МАТЕМАТИКА ", "math" },
	{ "Алгебра", "math" }, { "math", "math" },
	{ "МО учителей физики", "physics" }, { "Химия", "chemistry" },
	{ "Точка роста", "tochka-rosta" },
	{ "Функциональная грамотность", "functional-literacy" },
	{ "Начальные классы", "primary" }, { "ОБЖ", "obzr" },
	{ "Английский язык", "foreign-languages" },
	{ "Русский язык и литература", "russian" },
	{ "Физическая культура", "phys-ed" }, { "Труд (технология)",
	    "technology" }, { "Одарённые дети", "gifted" },
	{ "Одаренные дети", "gifted" },
	{ "обществознания", "history" },	/* inside one title */
	{ "Астрономия", NULL }, { "", NULL }, { "МО", NULL },
	{ "учителей", NULL },			/* inside many titles */
};

static void
config_error(void *arg, const char *file, int line, const char *msg)
{
	fprintf(stderr, "%s:%d: %s\n", file, line, msg);
}

static struct config *
shipped_config(void)
{
	char		*path = srcpath("conf/metodist.conf");
	struct config	*cfg = config_load(path, config_error, NULL);

	ck_assert_msg(cfg != NULL, "cannot load %s", path);
	free(path);
	return cfg;
}

START_TEST(test_subject_list)
{
	struct config			*cfg = shipped_config();
	const struct list_config	*l;

	l = registry_subject_list(cfg, subject_cases[_i].subject);
	if (subject_cases[_i].list == NULL)
		ck_assert_msg(l == NULL, "'%s' mapped to %s",
		    subject_cases[_i].subject, l ? l->name : "");
	else
		ck_assert_msg(l != NULL && strcmp(l->name,
		    subject_cases[_i].list) == 0, "'%s' mapped to %s, want %s",
		    subject_cases[_i].subject, l ? l->name : "(none)",
		    subject_cases[_i].list);
	config_free(cfg);
}
END_TEST

/* ---- imports into a fresh site ---- */

static char		 tmpdir[PATH_MAX];
static struct config	*cfg;
static struct site	 site;

/* Bad rows as reported: their lines and messages. */
struct reports {
	int	n;
	int	line[32];
	char	msg[32][256];
};

static struct reports	 reports;

static void
report_cb(void *arg, const char *file, int line, const char *msg)
{
	struct reports	*r = arg;

	if (r->n < 32) {
		r->line[r->n] = line;
		str_lcpy(r->msg[r->n], msg, sizeof r->msg[0]);
	}
	r->n++;
}

static void
site_setup_lang(const char *lang)
{
	char	*conf, *text, *lists, *templates;
	int	 transient;

	snprintf(tmpdir, sizeof tmpdir, "%s/check_registry.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	lists = srcpath("conf/lists.d");
	templates = srcpath("templates");
	text = xasprintf("[site]\ndomain = lists.example.org\n"
	    "language = %s\n[paths]\nvar = %s/var\nlists = %s\n"
	    "templates = %s\n", lang, tmpdir, lists, templates);
	conf = xasprintf("%s/metodist.conf", tmpdir);
	write_file(conf, text, strlen(text));
	cfg = config_load(conf, config_error, NULL);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(site_open(cfg, &site, &transient), 0);
	memset(&reports, 0, sizeof reports);
	free(conf);
	free(text);
	free(lists);
	free(templates);
}

static void
site_setup(void)
{
	site_setup_lang("ru");
}

static void
site_setup_en(void)
{
	site_setup_lang("en");
}

static void
site_teardown(void)
{
	char	*cmd;

	site_close(&site);
	config_free(cfg);
	cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	free(cmd);
}

static int
import_file(const char *rel, enum registry_action action,
    struct registry_summary *sum)
{
	struct registry_options	 opt = { action, 0, report_cb, &reports };
	char			*path = srcpath(rel);
	int			 rc;

	memset(&reports, 0, sizeof reports);
	rc = registry_import(&site, path, &opt, sum);
	free(path);
	return rc;
}

static int
import_text(const char *text, enum registry_action action,
    struct registry_summary *sum)
{
	struct registry_options	opt = { action, 0, report_cb, &reports };

	memset(&reports, 0, sizeof reports);
	return registry_import_data(&site, "mem.csv", text, strlen(text),
	    &opt, sum);
}

static int64_t
members_of(const char *list)
{
	const struct list_config	*l = config_list(cfg, list);

	ck_assert_ptr_nonnull(l);
	return member_count(site.db, site_list_id(&site, l));
}

static int64_t
queued(void)
{
	return db_int(site.db, -1, "SELECT count(*) FROM outbound", "");
}

static void
assert_teacher(const char *email, const char *name, const char *school,
    const char *municipality, const char *subject)
{
	struct teacher	t;

	ck_assert_msg(teacher_get(site.db, email, &t) == 0, "no %s", email);
	ck_assert_str_eq(t.full_name, name);
	ck_assert_str_eq(t.school, school);
	ck_assert_str_eq(t.municipality, municipality);
	ck_assert_str_eq(t.subject, subject);
	teacher_free(&t);
}

#define CP1251	"tests/data/registry/teachers-cp1251.csv"
#define UTF8	"tests/data/registry/teachers-utf8.csv"

/* The windows-1251 file: decoded, 10 added, 3 bad rows on their lines. */
START_TEST(test_import_cp1251)
{
	struct registry_summary	s;

	ck_assert_int_eq(import_file(CP1251, REGISTRY_LOAD, &s), REGISTRY_OK);
	ck_assert_uint_eq(s.rows, 13);
	ck_assert_uint_eq(s.added, 10);
	ck_assert_uint_eq(s.bad, 3);
	ck_assert_uint_eq(s.subscribed + s.invited + s.unmatched, 0);
	ck_assert_int_eq(reports.n, 3);
	ck_assert_int_eq(reports.line[0], 5);
	ck_assert_ptr_nonnull(strstr(reports.msg[0], "d.morozov.example.org"));
	ck_assert_int_eq(reports.line[1], 8);
	ck_assert_ptr_nonnull(strstr(reports.msg[1], "ФИО"));
	ck_assert_int_eq(reports.line[2], 13);
	ck_assert_ptr_nonnull(strstr(reports.msg[2], "2"));
	ck_assert_int_eq(teacher_count(site.db), 10);
	assert_teacher("a.fedorov@school14.example.org",
	    "Фёдоров Алексей Павлович", "МАОУ СОШ № 14", "Полевской",
	    "Информатика");
	assert_teacher("i.belov@school12.example.org", "Белов Игорь Сергеевич",
	    "МБОУ \"Гимназия № 12\"", "Нижний Тагил", "Физика");
	assert_teacher("o.kuznetsova@lyceum3.example.org",
	    "Кузнецова Ольга Викторовна", "МАОУ Лицей № 3; корпус 2",
	    "Каменск-Уральский", "Русский язык и литература");
	assert_teacher("e.vasilyeva@school9.example.org",
	    "Васильева Елена Николаевна",
	    "МАОУ СОШ № 9\r\n(структурное подразделение)", "Серов",
	    "Начальные классы");
	/* the first of two rows with one address wins */
	assert_teacher("a.sokolova@school5.example.org",
	    "Соколова Анна Петровна", "МАОУ СОШ № 5", "Екатеринбург",
	    "Математика");
	ck_assert_int_eq(queued(), 0);
}
END_TEST

/* Subscribing: members of their subject's lists, one welcome each; the
 * same file again changes nothing and sends nothing. */
START_TEST(test_import_subscribe_idempotent)
{
	struct registry_summary	s;

	ck_assert_int_eq(import_file(CP1251, REGISTRY_SUBSCRIBE, &s),
	    REGISTRY_OK);
	ck_assert_uint_eq(s.subscribed, 10);
	ck_assert_uint_eq(s.unsent, 0);
	ck_assert_int_eq(members_of("math"), 2);	/* Алгебра too */
	ck_assert_int_eq(members_of("physics"), 1);
	ck_assert_int_eq(members_of("primary"), 1);
	ck_assert_int_eq(members_of("foreign-languages"), 1);
	ck_assert_int_eq(members_of("chemistry"), 0);	/* bad row */
	ck_assert_int_eq(queued(), 10);
	ck_assert_int_eq(import_file(CP1251, REGISTRY_SUBSCRIBE, &s),
	    REGISTRY_OK);
	ck_assert_uint_eq(s.rows, 13);
	ck_assert_uint_eq(s.added, 0);
	ck_assert_uint_eq(s.updated, 0);
	ck_assert_uint_eq(s.unchanged, 10);
	ck_assert_uint_eq(s.bad, 3);
	ck_assert_uint_eq(s.subscribed, 0);
	ck_assert_int_eq(reports.n, 3);
	ck_assert_int_eq(queued(), 10);
	ck_assert_int_eq(teacher_count(site.db), 10);
}
END_TEST

/* The UTF-8 file: BOM, commas, English header; subjects no list takes. */
START_TEST(test_import_utf8_unmatched)
{
	struct registry_summary	s;

	ck_assert_int_eq(import_file(UTF8, REGISTRY_SUBSCRIBE, &s),
	    REGISTRY_OK);
	ck_assert_uint_eq(s.rows, 10);
	ck_assert_uint_eq(s.added, 10);
	ck_assert_uint_eq(s.bad, 0);
	ck_assert_uint_eq(s.subscribed, 8);
	ck_assert_uint_eq(s.unmatched, 2);
	ck_assert_int_eq(reports.n, 2);
	ck_assert_int_eq(reports.line[0], 5);
	ck_assert_ptr_nonnull(strstr(reports.msg[0], "Астрономия"));
	ck_assert_int_eq(reports.line[1], 9);
	assert_teacher("a.romanov@school8.example.net",
	    "Романов, Андрей Викторович", "МАОУ СОШ № 8", "Каменск-Уральский",
	    "Математика");
	ck_assert_int_eq(members_of("history"), 1);	/* Обществознание */
	ck_assert_int_eq(members_of("arts"), 1);	/* Музыка */
	ck_assert_int_eq(members_of("obzr"), 1);	/* ОБЖ */
	ck_assert_int_eq(members_of("orkse"), 1);
	ck_assert_int_eq(queued(), 8);
}
END_TEST

/* Invitations: one token and letter each, none for members, none twice. */
START_TEST(test_import_invite)
{
	struct registry_summary	s;

	ck_assert_int_eq(import_text("ФИО,email,Предмет\n"
	    "Член Списка,member@school1.example.org,Физика\n", REGISTRY_SUBSCRIBE,
	    &s), REGISTRY_OK);
	ck_assert_uint_eq(s.subscribed, 1);
	ck_assert_int_eq(import_text("ФИО,email,Предмет\n"
	    "Член Списка,member@school1.example.org,Физика\n"
	    "Новый Учитель,new@school2.example.org,Физика\n"
	    "Другой Учитель,other@school3.example.org,Химия\n",
	    REGISTRY_INVITE, &s), REGISTRY_OK);
	ck_assert_uint_eq(s.invited, 2);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM tokens "
	    "WHERE kind = 'invite' AND used IS NULL", ""), 2);
	ck_assert_int_eq(db_int(site.db, -1, "SELECT count(*) FROM tokens "
	    "WHERE address = ?1", "t", "member@school1.example.org"), 0);
	ck_assert_int_eq(teacher_invited(site.db, site_list_id(&site,
	    config_list(cfg, "physics")), "new@school2.example.org",
	    time(NULL)), 1);
	ck_assert_int_eq(queued(), 3);
	ck_assert_int_eq(members_of("physics"), 1);	/* not until accepted */
	ck_assert_int_eq(import_text("ФИО,email,Предмет\n"
	    "Новый Учитель,new@school2.example.org,Физика\n",
	    REGISTRY_INVITE, &s), REGISTRY_OK);
	ck_assert_uint_eq(s.invited, 0);
	ck_assert_int_eq(queued(), 3);
}
END_TEST

/* A changed row updates; a missing column keeps what is stored. */
START_TEST(test_import_update)
{
	struct registry_summary	s;

	ck_assert_int_eq(import_text("ФИО;email;Школа;Предмет\n"
	    "Иванова Анна;anna@school1.example.org;СОШ № 1;Физика\n",
	    REGISTRY_LOAD, &s), REGISTRY_OK);
	ck_assert_uint_eq(s.added, 1);
	ck_assert_int_eq(import_text("ФИО;email;Школа;Предмет\n"
	    "Петрова Анна;anna@school1.example.org;СОШ № 1;Физика\n",
	    REGISTRY_LOAD, &s), REGISTRY_OK);
	ck_assert_uint_eq(s.updated, 1);
	ck_assert_uint_eq(s.added + s.unchanged, 0);
	ck_assert_int_eq(import_text("email;ФИО\n"
	    "anna@school1.example.org;Петрова Анна\n", REGISTRY_LOAD, &s),
	    REGISTRY_OK);
	ck_assert_uint_eq(s.unchanged, 1);
	assert_teacher("anna@school1.example.org", "Петрова Анна", "СОШ № 1",
	    "", "Физика");
}
END_TEST

/* Each kind of bad row, and rows left blank by a spreadsheet. */
START_TEST(test_import_bad_rows)
{
	struct registry_summary	s;

	ck_assert_int_eq(import_text("ФИО,email\n"
	    "Без Адреса,\n"			/* 2 */
	    "Два Адреса,a@x.example.org b@y.example.org\n"	/* 3 */
	    "Без Домена,teacher@localhost\n"	/* 4 */
	    ",,\n"				/* 5: blank, skipped */
	    "\"Хорошая, Запись\",good@school.example.org\n"	/* 6 */
	    "Без Кавычки,\"open@school.example.org\n",	/* 7 */
	    REGISTRY_LOAD, &s), REGISTRY_OK);
	ck_assert_uint_eq(s.rows, 5);
	ck_assert_uint_eq(s.added, 1);
	ck_assert_uint_eq(s.bad, 4);
	ck_assert_int_eq(reports.n, 4);
	ck_assert_int_eq(reports.line[0], 2);
	ck_assert_int_eq(reports.line[1], 3);
	ck_assert_int_eq(reports.line[2], 4);
	ck_assert_int_eq(reports.line[3], 7);
	ck_assert_ptr_nonnull(strstr(reports.msg[3], "кавычка"));
}
END_TEST

/* No usable header, or nothing at all: refused as a whole. */
START_TEST(test_import_no_header)
{
	struct registry_summary	s;

	ck_assert_int_eq(import_text("Иванов,ivanov@example.org\n",
	    REGISTRY_LOAD, &s), REGISTRY_EDATA);
	ck_assert_int_eq(reports.n, 1);
	ck_assert_int_eq(reports.line[0], 1);
	ck_assert_int_eq(import_text("ФИО,Школа\nИванов,СОШ 1\n",
	    REGISTRY_LOAD, &s), REGISTRY_EDATA);
	ck_assert_int_eq(import_text("", REGISTRY_LOAD, &s), REGISTRY_EDATA);
	ck_assert_int_eq(import_file("tests/data/registry/no-such.csv",
	    REGISTRY_LOAD, &s), REGISTRY_ENOINPUT);
	ck_assert_int_eq(teacher_count(site.db), 0);
}
END_TEST

/* Undeclared 8-bit text that is not UTF-8 is read as windows-1251. */
START_TEST(test_import_charset)
{
	struct registry_summary	s;

	/* "ФИО;email\nИванов;..." in windows-1251 */
	ck_assert_int_eq(import_text("\xd4\xc8\xce;email\n"
	    "\xc8\xe2\xe0\xed\xee\xe2;ivanov@school.example.org\n",
	    REGISTRY_LOAD, &s), REGISTRY_OK);
	ck_assert_uint_eq(s.added, 1);
	assert_teacher("ivanov@school.example.org", "Иванов", "", "", "");
}
END_TEST

/* An English site reports in English. */
START_TEST(test_import_english)
{
	struct registry_summary	s;

	ck_assert_int_eq(import_text("Full name,E-mail\nX,\n", REGISTRY_LOAD,
	    &s), REGISTRY_OK);
	ck_assert_int_eq(reports.n, 1);
	ck_assert_str_eq(reports.msg[0], "no e-mail address");
}
END_TEST

/* The welcome text reaches the queue in the list's language. */
START_TEST(test_import_welcome_text)
{
	struct registry_summary	 s;
	sqlite3_stmt		*st;
	char			*path, *text;

	ck_assert_int_eq(import_text("ФИО,email,Предмет\n"
	    "Иванова Анна,anna@school1.example.org,Химия\n",
	    REGISTRY_SUBSCRIBE, &s), REGISTRY_OK);
	st = db_stmt(site.db, "SELECT path FROM outbound", "");
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	path = db_text(st, 0);
	sqlite3_finalize(st);
	text = read_file(path);
	ck_assert_ptr_nonnull(strstr(text, "Здравствуйте, Иванова Анна!"));
	ck_assert_ptr_nonnull(strstr(text, "chemistry@lists.example.org"));
	ck_assert_ptr_nonnull(strstr(text, "Auto-Submitted: auto-replied"));
	free(text);
	free(path);
}
END_TEST

static TCase *
site_tcase(Suite *s, const char *name, void (*setup)(void))
{
	TCase	*tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, site_teardown);
	suite_add_tcase(s, tc);
	return tc;
}

int
main(void)
{
	Suite	*s = suite_create("registry");
	TCase	*tc;
	SRunner	*sr;
	int	 failed;

	tc = tcase_create("csv");
	tcase_add_loop_test(tc, test_csv_table, 0, NELEM(csv_cases));
	tcase_add_test(tc, test_csv_delimiter);
	tcase_add_test(tc, test_csv_bounded);
	suite_add_tcase(s, tc);
	tc = tcase_create("progress");
	tcase_add_test(tc, test_progress_not_a_tty);
	tcase_add_test(tc, test_progress_tty);
	suite_add_tcase(s, tc);
	tc = tcase_create("mapping");
	tcase_add_loop_test(tc, test_header_column, 0, NELEM(header_cases));
	tcase_add_loop_test(tc, test_subject_list, 0, NELEM(subject_cases));
	suite_add_tcase(s, tc);
	tc = site_tcase(s, "import", site_setup);
	tcase_add_test(tc, test_import_cp1251);
	tcase_add_test(tc, test_import_subscribe_idempotent);
	tcase_add_test(tc, test_import_utf8_unmatched);
	tcase_add_test(tc, test_import_invite);
	tcase_add_test(tc, test_import_update);
	tcase_add_test(tc, test_import_bad_rows);
	tcase_add_test(tc, test_import_no_header);
	tcase_add_test(tc, test_import_charset);
	tcase_add_test(tc, test_import_welcome_text);
	tc = site_tcase(s, "import english", site_setup_en);
	tcase_add_test(tc, test_import_english);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
