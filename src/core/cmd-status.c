/*
 * cmd-status: status [CODE] / статус [НОМЕР] — the sender's submitted
 * developments and where each stands; a list's coordinators see all of
 * that list's.  With a number: that one submission, its versions'
 * decisions and files, for its author, the list's coordinators and
 * reviewers only.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "core/command.h"
#include "core/site.h"
#include "core/submail.h"
#include "mail/address.h"
#include "store/submission.h"
#include "util/buf.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

struct status_walk {
	struct command_ctx	*ctx;
	struct buf		*b;
	size_t			 n;
};

static const char *
status_state(struct command_ctx *ctx, const char *state)
{
	static const char *const names[][3] = {
		{ "review", "на экспертизе", "under review" },
		{ "revise", "на доработке у автора", "with the author for "
		    "revision" },
		{ "approved", "одобрена", "approved" },
		{ "rejected", "отклонена", "rejected" },
		{ "withdrawn", "отозвана", "withdrawn" },
	};
	size_t	i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], state) == 0)
			return command_is_en(ctx) ? names[i][2] : names[i][1];
	return state;
}

static const char *
status_level(struct command_ctx *ctx, const char *level)
{
	if (strcmp(level, "regional") == 0)
		return COMMAND_TEXT(ctx, "прошла региональную экспертизу",
		    "passed regional expertise");
	if (strcmp(level, "portal") == 0)
		return COMMAND_TEXT(ctx, "опубликована на портале",
		    "published on the portal");
	return COMMAND_TEXT(ctx, "муниципальный уровень", "municipal level");
}

static int
status_line(void *arg, const struct submission *s)
{
	struct status_walk	*w = arg;
	char			 date[64];

	time_human_date((time_t)s->created, w->ctx->lang, date, sizeof date);
	buf_addf(w->b, "  %s  «%s» (%s, %s)\n    %s", s->code, s->title,
	    s->list, date, status_state(w->ctx, s->state));
	if (s->version > 1)
		buf_addf(w->b, COMMAND_TEXT(w->ctx, ", версия %lld",
		    ", version %lld"), (long long)s->version);
	if (strcmp(s->state, "approved") == 0)
		buf_addf(w->b, "; %s", status_level(w->ctx, s->level));
	buf_addc(w->b, '\n');
	w->n++;
	return w->n >= 200;
}

/* May the sender see this submission's details? */
static int
status_may_see(struct command_ctx *ctx, const struct submission *s)
{
	const struct config		*cfg = ctx->site->cfg;
	const struct list_config	*l = config_list(cfg, s->list);

	if (address_equal(s->author, ctx->sender, cfg->local_part_ci))
		return 1;
	return l != NULL && (config_is_coordinator(cfg, l, ctx->sender) ||
	    config_is_reviewer(cfg, l, ctx->sender));
}

static void
status_detail(struct command_ctx *ctx, const struct command *c,
    const struct submission *s)
{
	struct review_assignment	*a;
	struct submission_file		*f;
	struct status_walk		 w = { ctx, NULL, 0 };
	struct buf			 b;
	char				 size[32];
	size_t				 na, nf, i;

	buf_init(&b);
	w.b = &b;
	(void)status_line(&w, s);
	if (review_list(ctx->site->db, s->id, &a, &na) == 0) {
		for (i = 0; i < na; i++)
			if (strcmp(a[i].state, "decided") == 0)
				buf_addf(&b, COMMAND_TEXT(ctx, "    версия %lld: "
				    "%s%s%s\n", "    version %lld: %s%s%s\n"),
				    (long long)a[i].version, a[i].decision,
				    *a[i].comment ? " — " : "", a[i].comment);
		review_list_free(a, na);
	}
	if (submission_files(ctx->site->db, s->id, s->version, &f, &nf) == 0) {
		for (i = 0; i < nf; i++) {
			submail_size(f[i].size, ctx->lang, size, sizeof size);
			buf_addf(&b, "    %s (%s)\n", f[i].name, size);
		}
		submission_files_free(f, nf);
	}
	command_result(ctx, c, buf_cstr(&b));
	buf_free(&b);
}

static int
status_one(struct command_ctx *ctx, const struct command *c)
{
	struct submission	s;
	int64_t			seq;
	int			year, rc;

	if (!submission_code_find(c->token, &year, &seq) ||
	    (rc = submission_by_number(ctx->site->db, year, seq, &s)) == 1) {
		command_result(ctx, c, COMMAND_TEXT(ctx, "Разработки с таким "
		    "номером нет.", "There is no development with this "
		    "number."));
		return 0;
	}
	if (rc == -1)
		return -1;
	if (!status_may_see(ctx, &s))
		command_result(ctx, c, COMMAND_TEXT(ctx, "Сведения о разработке "
		    "видят только её автор, эксперты и координаторы списка.",
		    "Only the author, the reviewers and the list's coordinators "
		    "see this development."));
	else
		status_detail(ctx, c, &s);
	submission_free(&s);
	return 0;
}

/* The lists where the sender coordinates (only ctx->list when set). */
static int
status_coordinated(struct command_ctx *ctx, struct status_walk *w)
{
	const struct config	*cfg = ctx->site->cfg;
	size_t			 i, before;

	for (i = 0; i < cfg->nlists; i++) {
		const struct list_config *l = &cfg->lists[i];

		if ((ctx->list != NULL && ctx->list != l) ||
		    !config_is_coordinator(cfg, l, ctx->sender))
			continue;
		buf_addf(w->b, COMMAND_TEXT(ctx, "\nВсе разработки списка «%s»:\n",
		    "\nAll developments of the list \"%s\":\n"), l->title);
		before = w->n;
		if (submission_foreach(ctx->site->db, site_list_id(ctx->site, l),
		    NULL, NULL, status_line, w) == -1)
			return -1;
		if (w->n == before)
			buf_adds(w->b, COMMAND_TEXT(ctx, "  (пока нет)\n",
			    "  (none yet)\n"));
	}
	return 0;
}

static int
cmd_status_exec(struct command_ctx *ctx, const struct command *c)
{
	struct status_walk	w;
	struct buf		b;

	if (c->token != NULL)
		return status_one(ctx, c);
	buf_init(&b);
	w.ctx = ctx;
	w.b = &b;
	w.n = 0;
	buf_addf(&b, COMMAND_TEXT(ctx, "Разработки, присланные с адреса %s:\n",
	    "Developments sent from %s:\n"), ctx->sender);
	if (submission_foreach(ctx->site->db, 0, NULL, ctx->sender,
	    status_line, &w) == -1 || status_coordinated(ctx, &w) == -1) {
		buf_free(&b);
		return -1;
	}
	if (w.n == 0)
		buf_adds(&b, COMMAND_TEXT(ctx, "  (нет)\nЧтобы прислать "
		    "разработку, отправьте её файлы на адрес ИМЯ+submit списка.",
		    "  (none)\nTo submit a development, send its files to the "
		    "list's NAME+submit address."));
	command_result(ctx, c, buf_cstr(&b));
	buf_free(&b);
	return 0;
}

const struct command_entry cmd_status_entry = {
	"status", "статус",
	"status [NUMBER]", "статус [НОМЕР]",
	"your submitted developments and their state",
	"ваши присланные разработки и их состояние",
	0, cmd_status_exec
};
