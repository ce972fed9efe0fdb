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
 * message_check() is the gate in front of the parser: it measures a
 * message against a struct message_limits (which the site configures, at
 * most the ceilings below) and names the first bound it passes, so that
 * ingress can refuse the message whole instead of the parser ignoring a
 * part of it.  What it counts:
 *   header_fields  fields of the top-level header block;
 *   line           octets of one physical line, header or body, its line
 *                  end (LF or CRLF) not counted;
 *   depth          MIME nesting: a plain message is 1, the parts of a
 *                  multipart/mixed are at 2, each embedded message and
 *                  each multipart inside adds one more;
 *   parts          MIME entities below the message itself, containers
 *                  included: a plain message has 1, a multipart/mixed
 *                  with a text and two files has 4.
 * A message within the limits is parsed by message_parse() without any
 * of its bounds being reached.  A message that declares more containers
 * than MESSAGE_MAX_PARTS is over the parts bound without libetpan ever
 * reading it.
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
#define MESSAGE_MAX_LINE	65536	/* ceiling of a configured line */
/* RFC 5322 2.1.1 asks for 998, but real mail breaks it (generated HTML,
 * the corpus's 7 KB lines): the default refuses only lines no mail
 * client writes. */
#define MESSAGE_DEFAULT_LINE	16384

struct message_limits {
	size_t	header_fields;	/* 1 .. MESSAGE_MAX_HEADERS */
	size_t	line;		/* 1 .. MESSAGE_MAX_LINE */
	size_t	depth;		/* 1 .. MESSAGE_MAX_DEPTH */
	size_t	parts;		/* 1 .. MESSAGE_MAX_PARTS */
};

enum message_bound {
	MESSAGE_WITHIN,
	MESSAGE_OVER_HEADER_FIELDS,
	MESSAGE_OVER_LINE,
	MESSAGE_OVER_DEPTH,
	MESSAGE_OVER_PARTS
};

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
/* The defaults: the ceilings above, and a line of MESSAGE_DEFAULT_LINE. */
void		 message_limits_default(struct message_limits *);
/*
 * MESSAGE_WITHIN, or the first bound raw passes (checked in the order of
 * the enum); *found (may be NULL) is then what was measured: the fields
 * counted, the length of the first overlong line, or a depth or number
 * of parts greater than the limit (counting stops one past it).
 */
enum message_bound message_check(const char *raw, size_t len,
		    const struct message_limits *, size_t *found);
void		 message_free(struct message *);

/*
 * The unfolded raw value of the first header field called name (case
 * insensitive), leading white space removed; NULL if absent.  Owned by
 * the caller.
 */
char		*message_header(const struct message *, const char *name);

#endif
