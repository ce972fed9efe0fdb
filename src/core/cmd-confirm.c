/*
 * cmd-confirm: confirm TOKEN / подтвердить TOKEN, and the double opt-in
 * that subscribe and unsubscribe start.
 *
 * A confirmation letter goes only to the address that asked, with
 * Reply-To L+confirm-TOKEN@D so that a plain Reply confirms.  Using the
 * token and changing the membership are one transaction: a token is
 * spent only when the change is recorded, and a forged, unknown, spent
 * or expired token changes nothing and gets a clear answer.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/command.h"
#include "core/site.h"
#include "mail/address.h"
#include "store/db.h"
#include "store/member.h"
#include "store/token.h"
#include "util/log.h"
#include "util/xmalloc.h"

static time_t
cmd_confirm_lifetime(const struct config *cfg)
{
	if (cfg->token_lifetime_days <= 0)
		return TOKEN_LIFETIME;
	return (time_t)cfg->token_lifetime_days * 24 * 3600;
}

int
cmd_confirm_request(struct command_ctx *ctx, const struct command *c,
    const char *kind, const char *mode)
{
	const struct config		*cfg = ctx->site->cfg;
	const struct list_config	*l = ctx->list;
	struct template_var		 v[4];
	char				 tok[TOKEN_LEN + 1], days[16], *sfx;
	char				*confirm, *text;
	int				 rc, sub = strcmp(kind, "subscribe") == 0;

	if (token_new(ctx->site->db, kind, site_list_id(ctx->site, l),
	    ctx->sender, mode ? mode : "", 0, cmd_confirm_lifetime(cfg),
	    tok) == -1)
		return -1;
	sfx = xasprintf("+confirm-%s", tok);
	confirm = site_list_address(cfg, l, sfx);
	snprintf(days, sizeof days, "%lld",
	    (long long)(cmd_confirm_lifetime(cfg) / (24 * 3600)));
	v[0] = (struct template_var){ "token", tok };
	v[1] = (struct template_var){ "confirm_address", confirm };
	v[2] = (struct template_var){ "days", days };
	v[3] = (struct template_var){ "mode", command_mode_name(l->language,
	    mode) };
	rc = command_letter(ctx, l, ctx->sender, sub ? "confirm-subscribe" :
	    "confirm-unsubscribe", v, 4, confirm);
	text = xasprintf(COMMAND_TEXT(ctx, "Чтобы %s «%s», подтвердите это: "
	    "на адрес %s отправлено письмо, ответьте на него (%s дн.).",
	    "To %s \"%s\", confirm it: a letter was sent to %s; reply to "
	    "it (within %s days)."), sub ? COMMAND_TEXT(ctx, "подписаться на "
	    "список", "join") : COMMAND_TEXT(ctx, "выйти из списка", "leave"),
	    l->title, ctx->sender, days);
	if (rc == 1) {
		free(text);
		text = xstrdup(COMMAND_TEXT(ctx, "Письмо для подтверждения не "
		    "отправлено: на ваш адрес сегодня ушло слишком много "
		    "писем. Повторите просьбу завтра.", "The confirmation "
		    "letter was not sent: too many letters went to your "
		    "address today. Please ask again tomorrow."));
	}
	if (rc != -1)
		command_result(ctx, c, text);
	log_info("request: %s: %s confirmation for %s sent", l->name, kind,
	    ctx->sender);
	free(text);
	free(confirm);
	free(sfx);
	return rc == -1 ? -1 : 0;
}

/* 0 changed, 1 nothing to change, -1 error. */
static int
cmd_confirm_apply(struct command_ctx *ctx, const struct list_config *l,
    int join, const char *addr, const char *mode)
{
	const char	*name = NULL;
	int64_t		 lid = site_list_id(ctx->site, l);

	if (!join)
		return member_remove(ctx->site->db, lid, addr,
		    ctx->site->cfg->local_part_ci);
	if (ctx->msg != NULL && address_equal(ctx->sender, addr,
	    ctx->site->cfg->local_part_ci))
		name = ctx->msg->from_name;
	return member_add(ctx->site->db, lid, addr, name,
	    mode != NULL && *mode != '\0' ? mode : "normal");
}

/* After the change (rc of cmd_confirm_apply): the letter and the line. */
static int
cmd_confirm_told(struct command_ctx *ctx, const struct command *c,
    const struct list_config *l, int join, const char *addr,
    const char *mode, int rc)
{
	struct template_var	 v[1];
	char			*text;

	if (rc == 1) {
		text = xasprintf(join ? COMMAND_TEXT(ctx, "Адрес %s уже "
		    "участник списка «%s».", "%s is already a member of "
		    "\"%s\".") : COMMAND_TEXT(ctx, "Адрес %s не участник списка "
		    "«%s».", "%s is not a member of \"%s\"."), addr, l->title);
	} else {
		v[0] = (struct template_var){ "mode",
		    command_mode_name(l->language, mode) };
		if (command_letter(ctx, l, addr, join ? "welcome" : "goodbye",
		    v, 1, NULL) == -1)
			return -1;
		text = xasprintf(join ? COMMAND_TEXT(ctx, "Готово: адрес %s "
		    "добавлен в список «%s».", "Done: %s has joined \"%s\".") :
		    COMMAND_TEXT(ctx, "Готово: адрес %s удалён из списка «%s».",
		    "Done: %s has left \"%s\"."), addr, l->title);
	}
	log_info("request: %s: %s %s%s", l->name, addr, join ? "joined" :
	    "left", rc == 1 ? " already" : "");
	command_result(ctx, c, text);
	free(text);
	return 0;
}

int
cmd_confirm_join(struct command_ctx *ctx, const struct command *c,
    const struct list_config *l, const char *addr, const char *mode)
{
	int	rc;

	if ((rc = cmd_confirm_apply(ctx, l, 1, addr, mode)) == -1)
		return -1;
	return cmd_confirm_told(ctx, c, l, 1, addr, mode, rc);
}

int
cmd_confirm_leave(struct command_ctx *ctx, const struct command *c,
    const struct list_config *l, const char *addr)
{
	int	rc;

	if ((rc = cmd_confirm_apply(ctx, l, 0, addr, NULL)) == -1)
		return -1;
	return cmd_confirm_told(ctx, c, l, 0, addr, NULL, rc);
}

/* The refusal for token_use's answer (1 unknown, 2 expired, 3 used). */
static void
cmd_confirm_refuse(struct command_ctx *ctx, const struct command *c, int why)
{
	const char	*text;

	switch (why) {
	case 2:
		text = COMMAND_TEXT(ctx, "Срок действия этого подтверждения "
		    "истёк, ничего не изменено. Отправьте просьбу ещё раз — "
		    "придёт новое письмо для подтверждения.", "This "
		    "confirmation has expired; nothing was changed. Send your "
		    "request again and a new confirmation letter will come.");
		break;
	case 3:
		text = COMMAND_TEXT(ctx, "Это подтверждение уже использовано, "
		    "повторно оно не действует; ничего не изменено.", "This "
		    "confirmation has already been used; nothing was changed.");
		break;
	default:
		text = COMMAND_TEXT(ctx, "Такого кода подтверждения нет (он "
		    "мог быть искажён при копировании); ничего не изменено. "
		    "Ответьте на само письмо с просьбой о подтверждении или "
		    "отправьте просьбу ещё раз.", "There is no such "
		    "confirmation code (it may have been changed in copying); "
		    "nothing was changed. Reply to the confirmation letter "
		    "itself, or send your request again.");
		break;
	}
	command_result(ctx, c, text);
}

/*
 * Which list and kind the token is for; 0, 1 not ours, -1 error.  An
 * invitation sent with the registry import joins like a subscription.
 */
static int
cmd_confirm_lookup(struct command_ctx *ctx, const char *token,
    const struct list_config **l, int *join, const char **kind)
{
	struct token	t;
	int		rc;

	if ((rc = token_get(ctx->site->db, token, &t)) != 0)
		return rc;
	if (strcmp(t.kind, "invite") == 0)
		*kind = "invite";
	else if (strcmp(t.kind, "subscribe") == 0)
		*kind = "subscribe";
	else
		*kind = "unsubscribe";
	*join = strcmp(*kind, "unsubscribe") != 0;
	*l = command_list_by_id(ctx->site, t.list_id);
	if ((!*join && strcmp(t.kind, "unsubscribe") != 0) || *l == NULL ||
	    (ctx->route->list != NULL && ctx->route->list != *l))
		rc = 1;
	token_free(&t);
	return rc;
}

static int
cmd_confirm_exec(struct command_ctx *ctx, const struct command *c)
{
	const struct list_config	*l;
	struct token			 t;
	const char			*kind;
	int				 join, rc, changed;

	if ((rc = cmd_confirm_lookup(ctx, c->token, &l, &join, &kind)) != 0) {
		if (rc == 1)
			cmd_confirm_refuse(ctx, c, 1);
		return rc == -1 ? -1 : 0;
	}
	memset(&t, 0, sizeof t);
	if (db_begin(ctx->site->db) == -1)
		return -1;
	rc = token_use(ctx->site->db, c->token, kind, ctx->sender, time(NULL),
	    &t);
	changed = rc == 0 ? cmd_confirm_apply(ctx, l, join, t.address,
	    t.mode) : 0;
	if (rc == -1 || changed == -1 || db_commit(ctx->site->db) == -1) {
		db_rollback(ctx->site->db);
		token_free(&t);
		return -1;
	}
	if (rc != 0) {
		log_info("request: %s: confirmation by %s refused (%d)",
		    l->name, ctx->sender, rc);
		cmd_confirm_refuse(ctx, c, rc);
		token_free(&t);
		return 0;
	}
	rc = cmd_confirm_told(ctx, c, l, join, t.address, t.mode, changed);
	token_free(&t);
	return rc;
}

const struct command_entry cmd_confirm_entry = {
	"confirm", "подтвердить",
	"confirm CODE", "подтвердить КОД",
	"confirm a subscription or unsubscription (a plain Reply to the "
	"confirmation letter does it)",
	"подтвердить подписку или отписку (достаточно ответить на письмо "
	"с просьбой о подтверждении)",
	0, cmd_confirm_exec
};
