/*
 * message: one received mail message, parsed for the gateway's needs.
 *
 * Contract: message_parse() never fails on bad input.  Whatever the bytes
 * (malformed MIME, missing headers, 8-bit garbage, NULs), it returns a
 * struct message whose strings are valid UTF-8 (undecodable bytes become
 * U+FFFD) and sets `malformed` when it had to guess.  The raw bytes are
 * not copied and must outlive the struct; nothing here modifies them.
 * Parsing is bounded: header fields beyond MESSAGE_MAX_HEADERS, MIME
 * nesting beyond MESSAGE_MAX_DEPTH and parts beyond MESSAGE_MAX_PARTS are
 * ignored (and set `malformed`).
 *
 * The text is the first text/plain part that is not an attachment, or
 * the first text/html part turned into readable text when there is no
 * plain one.  Attachments are the parts with a filename or with
 * Content-Disposition: attachment, decoded from their transfer encoding.
 */
#ifndef METODIST_MESSAGE_H
#define METODIST_MESSAGE_H

#include <stddef.h>

#define MESSAGE_MAX_HEADERS	1000
#define MESSAGE_MAX_DEPTH	20
#define MESSAGE_MAX_PARTS	500

struct message_attachment {
	char	*filename;	/* UTF-8 as the sender named it, or NULL */
	char	*content_type;	/* lower case "type/subtype" */
	char	*data;		/* decoded content, owned */
	size_t	 len;
};

struct message {
	const char	*raw;		/* the bytes given to message_parse */
	size_t		 raw_len;
	size_t		 body_offset;	/* where the body starts in raw */

	char		*subject;	/* decoded UTF-8, "" if absent */
	char		*from_addr;	/* addr-spec "local@domain", or NULL */
	char		*from_name;	/* decoded display name, or NULL */
	char		*sender_addr;	/* Sender: addr-spec, or NULL */
	char		*reply_to;	/* Reply-To addr-spec, or NULL */
	char		*message_id;	/* without angle brackets, or NULL */
	char		*in_reply_to;	/* first msg-id, no brackets, or NULL */
	char		*references;	/* raw References value, or NULL */
	char		*date;		/* raw Date value, or NULL */

	char		*text;		/* body text in UTF-8, "" if none */
	int		 text_from_html;

	struct message_attachment *attachments;
	size_t		 nattachments;

	int		 malformed;
};

struct message	*message_parse(const char *raw, size_t len);
void		 message_free(struct message *);

/*
 * The unfolded raw value of the first header field called name (case
 * insensitive), leading white space removed; NULL if absent.  Owned by
 * the caller.
 */
char		*message_header(const struct message *, const char *name);

#endif
