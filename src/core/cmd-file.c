/*
 * cmd-file: file NUMBER / файл НОМЕР — the files of a development, each
 * in a letter of its own (for files too large to travel together).  The
 * author, the list's reviewers and coordinators may ask for them at any
 * time; members of the list once it is approved.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/command.h"
#include "core/site.h"
#include "core/submail.h"
#include "mail/address.h"
#include "mail/header.h"
#include "store/db.h"
#include "store/member.h"
#include "store/queue.h"
#include "store/submission.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/xmalloc.h"

static int
file_may_get(struct command_ctx *ctx, const struct list_config *l,
    const struct submission *s)
{
	const struct config	*cfg = ctx->site->cfg;

	if (address_equal(s->author, ctx->sender, cfg->local_part_ci) ||
	    config_is_coordinator(cfg, l, ctx->sender) ||
	    config_is_reviewer(cfg, l, ctx->sender))
		return 1;
	if (strcmp(s->state, "approved") != 0)
		return 0;
	return member_is(ctx->site->db, site_list_id(ctx->site, l),
	    ctx->sender, cfg->local_part_ci);
}

/* One letter carrying file f to the sender, queued. */
static int
file_send(struct command_ctx *ctx, const struct list_config *l,
    const struct submission *s, const struct submission_file *f)
{
	struct submail	 m;
	char		*from, *request, *subject, *text, *data, *path;
	char		 name[64], mid[96];
	size_t		 len;
	int64_t		 oid;

	request = site_list_address(ctx->site->cfg, l, "-request");
	from = header_encode_address(l->title, request);
	subject = xasprintf("%s: %s", s->code, f->name);
	text = xasprintf(COMMAND_TEXT(ctx, "Файл разработки %s «%s»: %s\n",
	    "A file of the development %s \"%s\": %s\n"), s->code, s->title,
	    f->name);
	rnd_hex(name, 12);
	snprintf(mid, sizeof mid, "file.%s@%s", name, ctx->site->cfg->domain);
	memset(&m, 0, sizeof m);
	m.from = from;
	m.to = ctx->sender;
	m.subject = subject;
	m.message_id = mid;
	m.auto_submitted = "auto-replied";
	m.text = text;
	m.files = f;
	m.nfiles = 1;
	m.attach = 1;
	data = submail_build(ctx->site->cfg, &m, &len);
	free(from); free(request); free(subject); free(text);
	if (data == NULL)
		return -1;
	strncat(name, ".eml", sizeof name - strlen(name) - 1);
	path = site_store_file(ctx->site, ctx->site->queue_dir, name, data,
	    len);
	free(data);
	if (path == NULL)
		return -1;
	oid = queue_outbound(ctx->site->db, "reply", site_list_id(ctx->site,
	    l), 0, path, "");
	free(path);
	if (oid == -1 || queue_add_recipient(ctx->site->db, oid,
	    ctx->sender) == -1)
		return -1;
	return 0;
}

static int
file_send_all(struct command_ctx *ctx, const struct command *c,
    const struct list_config *l, const struct submission *s)
{
	struct submission_file	*f;
	size_t			 n, i;
	int			 rc = 0;

	if (submission_files(ctx->site->db, s->id, s->version, &f, &n) == -1)
		return -1;
	if (db_begin(ctx->site->db) == -1) {
		submission_files_free(f, n);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = file_send(ctx, l, s, &f[i]);
	if (rc == -1 || db_commit(ctx->site->db) == -1) {
		db_rollback(ctx->site->db);
		rc = -1;
	}
	submission_files_free(f, n);
	if (rc == 0) {
		ctx->answered += n;
		command_result(ctx, c, COMMAND_TEXT(ctx, "Файлы разработки "
		    "отправлены вам отдельными письмами.", "The files have been "
		    "sent to you, each in a letter of its own."));
	}
	return rc;
}

static int
cmd_file_exec(struct command_ctx *ctx, const struct command *c)
{
	const struct list_config	*l;
	struct submission		 s;
	int64_t				 seq;
	int				 year, rc;

	if (c->token == NULL || !submission_code_find(c->token, &year, &seq) ||
	    (rc = submission_by_number(ctx->site->db, year, seq, &s)) == 1) {
		command_result(ctx, c, COMMAND_TEXT(ctx, "Разработки с таким "
		    "номером нет.", "There is no development with this "
		    "number."));
		return 0;
	}
	if (rc == -1)
		return -1;
	l = config_list(ctx->site->cfg, s.list);
	if (l == NULL || (rc = file_may_get(ctx, l, &s)) == 0)
		command_result(ctx, c, COMMAND_TEXT(ctx, "Файлы этой разработки "
		    "доступны её автору, экспертам и координаторам списка, а "
		    "после одобрения — участникам списка.", "The files of this "
		    "development are for its author, the list's reviewers and "
		    "coordinators, and, once it is approved, the list's "
		    "members."));
	else if (rc == 1)
		rc = file_send_all(ctx, c, l, &s);
	submission_free(&s);
	return rc == -1 ? -1 : 0;
}

const struct command_entry cmd_file_entry = {
	"file", "файл",
	"file NUMBER", "файл НОМЕР",
	"the files of a development, each in a letter of its own",
	"файлы разработки, каждый отдельным письмом",
	0, cmd_file_exec
};
