/*
 * header: the header block of a message as a list of raw fields, and the
 * encoding and decoding of header text.
 *
 * Contract: header_split() walks the header block of raw bytes (CRLF or
 * LF line ends) up to the first empty line and records each field's name
 * and its raw bytes, folding included, without copying them: the raw
 * bytes must outlive the list.  A line that is neither a field nor a
 * continuation ends the header block there (the rest is body), as
 * tolerant readers do.  At most HEADER_MAX_FIELDS fields are recorded;
 * nseen counts every field of the block, so a caller can tell by how much.
 *
 * header_decode() turns a raw header value into UTF-8: unfolds it,
 * decodes RFC 2047 encoded words in any charset iconv knows (koi8-r,
 * windows-1251, iso-8859-5, utf-8 ...), and treats undeclared 8-bit bytes
 * as UTF-8 when valid, else as windows-1251.  header_encode() does the
 * reverse for a UTF-8 phrase: ASCII stays as it is, anything else becomes
 * RFC 2047 "=?UTF-8?B?...?=" words of at most 75 characters, folded (LF
 * and a space, the gateway's internal line end) so no
 * line passes 78 characters when placed after "Name: ".
 */
#ifndef METODIST_HEADER_H
#define METODIST_HEADER_H

#include <stddef.h>

#define HEADER_MAX_FIELDS	1000

struct header_field {
	const char	*name;		/* points into raw */
	size_t		 name_len;
	const char	*start;		/* the whole field, name to line end */
	size_t		 len;		/* including its final line end */
};

struct header_list {
	struct header_field	*fields;
	size_t			 nfields;
	size_t			 body_offset;	/* first byte of the body */
	int			 truncated;	/* more than HEADER_MAX_FIELDS */
	size_t			 nseen;		/* fields seen, recorded or not */
};

void	 header_split(const char *raw, size_t len, struct header_list *);
void	 header_list_free(struct header_list *);
/* Index of the first field named name (case insensitive) at or after from, or -1. */
long	 header_find(const struct header_list *, const char *name, size_t from);
/* Unfolded value of field i with leading space removed; owned by caller. */
char	*header_value(const struct header_list *, size_t i);

char	*header_decode(const char *raw_value);
char	*header_encode(const char *utf8, size_t name_len);
/* A display name and address as a From/To value, name encoded if needed. */
char	*header_encode_address(const char *name_utf8, const char *addr);

#endif
