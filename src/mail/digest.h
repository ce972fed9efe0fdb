/*
 * digest: many posts of a list as one message, MIME or plain.
 *
 * Contract: digest_render() makes the whole message (header and body,
 * LF line endings) from the posts' received bytes, in the order of
 * digest_order(): threads together, each thread where its first post
 * falls, posts of a thread in number order.  The MIME form (RFC 2046)
 * is multipart/mixed: a text/plain table of contents, then a
 * multipart/digest whose parts are the posts unchanged as
 * message/rfc822, attachments included.  The plain form (RFC 1153) is
 * one text/plain UTF-8 part: the contents, then each post's Date (when
 * it had one), From, Subject and Message-ID and its text, a line naming each attachment it
 * had (name, type, size) so nothing disappears unannounced, and the
 * 30-hyphen separators; a line of the text that looks like a separator
 * is shifted by one space.  Texts of the digest itself are Russian or
 * English by `lang`.  Rendering never fails on bad input.
 */
#ifndef METODIST_DIGEST_H
#define METODIST_DIGEST_H

#include <stddef.h>
#include <stdint.h>

enum digest_format {
	DIGEST_MIME,
	DIGEST_PLAIN
};

struct digest_post {
	int64_t		 number;	/* in the list */
	const char	*raw;		/* the received message */
	size_t		 len;
};

struct digest_input {
	const char		*lang;		/* "ru" or "en" */
	const char		*title;		/* the list's title, UTF-8 */
	const char		*from;		/* address of the From field */
	const char		*to;		/* address of the To field */
	const char		*date;		/* RFC 5322 date */
	const char		*date_human;	/* "27 ноября 2026" */
	const char		*message_id;	/* without brackets */
	const char		*subject_tag;	/* "[Математика]" or "" */
	const char		*headers;	/* more fields, LF-ended, or NULL */
	int64_t			 volume;
	int64_t			 issue;
	const struct digest_post *posts;
	size_t			 nposts;
};

/* The order in which the posts appear: an array of nposts indexes. */
size_t	*digest_order(const struct digest_post *, size_t nposts);
char	*digest_render(const struct digest_input *, enum digest_format,
	    size_t *len);
/* "Дайджест «T», том 1, выпуск 3" with the tag; new string. */
char	*digest_subject(const struct digest_input *);

#endif
