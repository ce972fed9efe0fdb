/*
 * listmsg: the copy of a post that the list sends to its members.
 *
 * Contract: listmsg_build() keeps the body byte for byte and the author's
 * header fields in their order, except that it
 *  - removes fields that belong to one hop or to another list (Return-Path,
 *    Delivered-To, X-Original-To, List-*, Archived-At, Precedence, X-Loop,
 *    DKIM-Signature, which the changed Subject would break anyway);
 *  - puts the list's tag in the Subject once (RFC 2047 UTF-8 when not
 *    ASCII, whatever charset the author used);
 *  - when asked (DMARC), replaces From by "Name via List" <L@D> and keeps
 *    the author reachable in Reply-To (an existing Reply-To is kept);
 *  - adds List-Id, List-Post, List-Help, List-Subscribe, List-Unsubscribe
 *    (mailto, plus the one-click URL with List-Unsubscribe-Post when one
 *    is configured), List-Owner, List-Archive and Archived-At when an
 *    archive URL is configured, Precedence: list and X-Loop;
 *  - adds a Message-ID when the author's had none.
 * New fields use the line ending the message uses.
 */
#ifndef METODIST_LISTMSG_H
#define METODIST_LISTMSG_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "mail/message.h"

struct listmsg_input {
	const struct config		*cfg;
	const struct list_config	*list;
	const struct message		*msg;
	int64_t				 number;
	int				 rewrite_from;
	const char			*message_id;	/* to add, or NULL */
};

char	*listmsg_build(const struct listmsg_input *, size_t *len);
/* The Subject with the tag added once, in UTF-8. */
char	*listmsg_subject(const char *subject, const char *tag);

#endif
