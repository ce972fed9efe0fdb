/*
 * submail: the letters that carry a submission — to its reviewers and,
 * once approved, to the list.
 *
 * Contract: submail_render() renders a template with the usual values of
 * the list (list_title, list_address, submit_address, site_name, date ...)
 * and the caller's.  submail_build() makes one RFC 5322 message: the
 * given header fields, a text/plain UTF-8 part, and, when `attach` is
 * set, each file as a base64 part whose name is given both as an RFC
 * 2231 parameter (filename*) and as an RFC 2047 word (name=, for older
 * readers), with the Content-Type of its kind.  The file names must be
 * safe already (mail/filename); the bytes are read from their paths and
 * sent unchanged.  NULL when a file cannot be read.
 */
#ifndef METODIST_SUBMAIL_H
#define METODIST_SUBMAIL_H

#include <stddef.h>

#include "core/config.h"
#include "render/template.h"
#include "store/submission.h"

struct site;

struct submail {
	const char			*from;		/* header value */
	const char			*to;		/* header value */
	const char			*reply_to;	/* or NULL */
	const char			*subject;	/* UTF-8 */
	const char			*message_id;	/* no brackets */
	const char			*auto_submitted; /* or NULL */
	const char			*text;		/* the letter */
	const struct submission_file	*files;
	size_t				 nfiles;
	int				 attach;
};

int	 submail_render(struct site *, const struct list_config *,
	    const char *template, const struct template_var *, size_t nvars,
	    struct template_text *);
char	*submail_build(const struct config *, const struct submail *,
	    size_t *len);
/* The MIME type of a file kind ("docx" ...). */
const char *submail_mime_type(const char *type);
/* "1,2 МБ", "340 КБ" / "1.2 MB", "340 KB". */
void	 submail_size(int64_t bytes, const char *lang, char *out, size_t sz);

#endif
