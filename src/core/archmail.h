/*
 * archmail: the list archive by email — what the index, get, search and
 * thread commands share.
 *
 * Contract: archmail_allow() decides whether ctx->sender may read
 * ctx->list's archive by email now: on a private list (archive =
 * private) only its members and coordinators may; everyone is held to
 * the site's archive requests_per_day per address (one request, one
 * count).  On refusal it writes the reason into the summary and returns
 * 0; 1 allowed; -1 on a database error.  archmail_post() appends one
 * post as text (its number, author's name, date, subject, attachment
 * names, body) to a buffer; addresses are never shown on a private
 * list.  archmail_posts() appends posts first..last of the list (at most
 * ARCHMAIL_MAX of them) as a plain digest in the manner of RFC 1153 and
 * returns how many it found, or -1.
 */
#ifndef METODIST_ARCHMAIL_H
#define METODIST_ARCHMAIL_H

#include <stdint.h>

#include "core/command.h"
#include "util/buf.h"

#define ARCHMAIL_MAX	100

int	archmail_allow(struct command_ctx *, const struct command *);
int64_t	archmail_list_id(struct command_ctx *);
/* Posts in SQL order: "AND number BETWEEN ?2 AND ?3" etc.; -1 error. */
int	archmail_posts(struct command_ctx *, struct buf *, const char *where,
	    int64_t x, int64_t y);
void	archmail_line(struct command_ctx *, struct buf *, int64_t number,
	    int64_t date, const char *name, const char *subject);

#endif
