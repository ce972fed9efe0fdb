/*
 * command: email commands — reading them out of a message, and the one
 * table of what each does.
 *
 * Contract: command_parse() matches one line against the single grammar
 * (compiled once; PCRE2 with UTF, UCP and CASELESS), in English and
 * Russian: subscribe [digest|nomail] / подписаться [дайджест|без писем],
 * unsubscribe / отписаться, confirm TOKEN / подтвердить TOKEN,
 * set digest|nomail|normal / режим дайджест|без писем|обычный,
 * set digest plain|mime / режим дайджест простой|полный,
 * help / помощь / справка, lists / списки, which / мои, who / участники,
 * end / конец / stop; and for the archive index [YYYY-MM] / оглавление,
 * get N[-M] / получить, search WORDS / найти / поиск, thread N / ветка
 * (their argument in `arg`).  A list name may follow a list command ("subscribe
 * math", "подписаться math дайджест"), for the site address.  A line that
 * is only a mode word ("дайджест") is not a command: command_parse()
 * reports it separately, for the L+subscribe shortcut's Subject.
 *
 * command_extract() reads the decoded Subject (reply and forward prefixes
 * and a list tag stripped; a Subject that is not a command is ignored)
 * and then the body text line by line as mail/replyscan tells its lines
 * apart: empty and quoted ("> ", "|") lines are skipped, and so are
 * lines of greetings, thanks and assent ("Здравствуйте!", "Спасибо",
 * "да"); the signature separator, a sign-off or phone signature and what
 * mail clients write before the answered letter ("-----Original
 * Message-----", "From: ...", "On ... wrote:", "... пишет:", "<date>,
 * <name> <addr>:" ...) end the reading, as does end/конец.  Any other
 * line is an unknown command,
 * kept in order with entry NULL; after max_unknown of them the reading
 * stops and `too_many_unknown` is set.  At most COMMAND_MAX_LINES body
 * lines are looked at and COMMAND_MAX commands kept; a command that
 * repeats an earlier one exactly is dropped.  Extraction never fails.
 *
 * The table: each command is one const struct command_entry in its own
 * cmd-NAME.c; command_table lists them all.  A handler runs one command
 * for ctx->sender, appends what it did to ctx->results in ctx->lang and
 * returns 0, or -1 on a temporary failure.
 */
#ifndef METODIST_COMMAND_H
#define METODIST_COMMAND_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/route.h"
#include "mail/message.h"
#include "render/template.h"
#include "util/buf.h"

#define COMMAND_MAX		32	/* commands kept from one message */
#define COMMAND_MAX_LINES	200	/* body lines looked at */
#define COMMAND_LINE_MAX	256	/* longer lines are not commands */

struct site;
struct command_entry;

struct command {
	const struct command_entry *entry;	/* NULL: not understood */
	char	*mode;		/* "normal", "digest", "nomail" or NULL;
				 * for format: "plain" or "mime" */
	char	*token;		/* confirm's argument, or NULL */
	char	*list;		/* list name argument, lower case, or NULL */
	char	*list_domain;	/* "x" of "subscribe name@x", or NULL */
	char	*line;		/* the line as written, trimmed */
	char	*arg;		/* index/get/thread/search argument, or NULL */
};

struct command_list {
	struct command	*v;
	size_t		 n;
	size_t		 unknown;		/* lines not understood */
	int		 too_many_unknown;	/* reading stopped for them */
};

/* What a handler works with. */
struct command_ctx {
	struct site			*site;
	const struct route		*route;
	const struct message		*msg;
	const char			*sender;	/* normalized */
	const char			*lang;		/* of the summary */
	const struct list_config	*list;		/* the command's list */
	struct buf			*results;	/* the summary */
	size_t				 answered;	/* letters of their own */
};

#define COMMAND_NEEDS_LIST	0x1	/* acts on one list */
#define COMMAND_STOP		0x2	/* nothing after it is read */

struct command_entry {
	const char	*name;		/* English word, e.g. "subscribe" */
	const char	*name_ru;	/* Russian word, e.g. "подписаться" */
	const char	*usage;		/* English usage line */
	const char	*usage_ru;
	const char	*about;		/* one line: what it does */
	const char	*about_ru;
	int		 flags;
	int		(*exec)(struct command_ctx *, const struct command *);
};

extern const struct command_entry cmd_subscribe_entry;
extern const struct command_entry cmd_unsubscribe_entry;
extern const struct command_entry cmd_confirm_entry;
extern const struct command_entry cmd_set_entry;
extern const struct command_entry cmd_help_entry;
extern const struct command_entry cmd_lists_entry;
extern const struct command_entry cmd_which_entry;
extern const struct command_entry cmd_who_entry;
extern const struct command_entry cmd_end_entry;
extern const struct command_entry cmd_status_entry;
extern const struct command_entry cmd_file_entry;
extern const struct command_entry cmd_index_entry;
extern const struct command_entry cmd_get_entry;
extern const struct command_entry cmd_search_entry;
extern const struct command_entry cmd_thread_entry;
extern const struct command_entry cmd_format_entry;

extern const struct command_entry *const command_table[];
extern const size_t command_table_len;

/* The entry called name (English), or NULL. */
const struct command_entry *command_find(const char *name);

/* 1 a command (c filled), 2 only a mode word (c->mode set), 0 neither;
 * c is to be freed with command_free() in every case. */
int	command_parse(const char *line, struct command *c);
void	command_free(struct command *);
/* A Subject without "Re:", "Fwd:", "Ответ:" ... and list tags; new string. */
char	*command_subject_strip(const char *subject);
void	command_extract(const struct message *, size_t max_unknown,
	    struct command_list *);
void	command_list_free(struct command_list *);
/* Append a command to the list (taking over c's strings). */
void	command_list_add(struct command_list *, struct command *c);

/* For handlers: the text in ctx's language; a macro, so that the
 * compiler still checks both as printf formats. */
#define COMMAND_TEXT(ctx, ru, en)	(command_is_en(ctx) ? (en) : (ru))
int	command_is_en(const struct command_ctx *);
/* Append one outcome to the summary: the line, then the text. */
void	command_result(struct command_ctx *, const struct command *,
	    const char *text);
/* The name of a mode in ctx's language ("дайджест", "digest" ...). */
const char *command_mode_name(const char *lang, const char *mode);
/* Queue one letter of its own (reply_send) from list l to `to`; with
 * reply_to set a plain Reply reaches it.  0 sent (counted in
 * ctx->answered), 1 held back by the rate limit, -1 error. */
int	command_letter(struct command_ctx *, const struct list_config *,
	    const char *to, const char *template,
	    const struct template_var *, size_t nvars, const char *reply_to);
/* The configured list whose database id is id, or NULL. */
const struct list_config *command_list_by_id(struct site *, int64_t id);

/* cmd-confirm.c: a token of kind ("subscribe", "unsubscribe") for
 * ctx->sender on ctx->list, and the letter carrying it; 0 or -1. */
int	cmd_confirm_request(struct command_ctx *, const struct command *,
	    const char *kind, const char *mode);
/* cmd-confirm.c: join or leave now, with welcome or goodbye to addr. */
int	cmd_confirm_join(struct command_ctx *, const struct command *,
	    const struct list_config *, const char *addr, const char *mode);
int	cmd_confirm_leave(struct command_ctx *, const struct command *,
	    const struct list_config *, const char *addr);

/* Render templates/LANG/NAME.txt's body with the usual values for the
 * list (and extra ones) in the given language; a new string or NULL. */
char	*command_render(struct command_ctx *, const struct list_config *,
	    const char *lang, const char *name,
	    const struct template_var *extra, size_t nextra);

#endif
