/*
 * feedxml: the entries of an RSS 2.0 or Atom (RFC 4287) document, read
 * with expat.
 *
 * Contract: feedxml_parse() gives each <item> (RSS) or <entry> (Atom) in
 * document order, at most max: its key (RSS guid, else link, else
 * title; Atom id, else link), title, link (Atom: the alternate link),
 * summary (RSS description; Atom summary, else content) and its date
 * (pubDate, RFC 822; published or updated, RFC 3339), 0 when none or
 * unreadable.  Texts are UTF-8 as expat gives them, each cut to
 * FEEDXML_TEXT_MAX bytes at a character boundary.  Element names are
 * taken without their namespace prefix.  A document that is not
 * well-formed XML gives -1 and the parser's message, and nothing else;
 * external entities are never loaded.
 */
#ifndef METODIST_FEEDXML_H
#define METODIST_FEEDXML_H

#include <stddef.h>
#include <time.h>

#define FEEDXML_TEXT_MAX	8192

struct feed_item {
	char	*key;
	char	*title;
	char	*link;		/* or NULL */
	char	*summary;	/* or NULL */
	time_t	 published;
};

int	feedxml_parse(const char *xml, size_t len, size_t max,
	    struct feed_item **out, size_t *n, char *err, size_t errlen);
void	feedxml_free(struct feed_item *, size_t n);

#endif
