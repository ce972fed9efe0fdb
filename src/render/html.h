/*
 * html: text made safe to place in an HTML page.
 *
 * Contract: whatever the input (markup, scripts, entities, invalid
 * UTF-8, NUL bytes cut it short), the output of each function is text
 * that a browser shows as text: & < > " ' are written as entities, so
 * the result may go into element content and into quoted attribute
 * values alike.  Control characters other than tab and newline are
 * dropped.  html_address() masks an e-mail address the way the archive
 * shows members' addresses: on a public list "ivan@sc…" (the local part
 * and the domain's first two letters), on a private one nothing of it.
 * html_body() turns a post's plain text into paragraphs of preformatted
 * text, every address in it masked the same way and every run of quoted
 * lines ("> ...") folded in a <details> element that opens without
 * JavaScript.  html_url_segment() percent-encodes one path segment
 * (UTF-8 kept as its bytes), for links to files with Cyrillic names.
 */
#ifndef METODIST_HTML_H
#define METODIST_HTML_H

#include <stddef.h>

#include "util/buf.h"

enum html_addr {
	HTML_ADDR_OBFUSCATE,	/* public list */
	HTML_ADDR_HIDE		/* private list */
};

void	 html_escape(struct buf *, const char *);
void	 html_escape_n(struct buf *, const char *, size_t);
/* A new string: the masked address, not yet escaped. */
char	*html_address(const char *addr, enum html_addr);
void	 html_body(struct buf *, const char *text, enum html_addr,
	    const char *lang);
/* At most n bytes of text escaped, addresses masked, line ends kept. */
void	 html_text(struct buf *, const char *text, size_t n, enum html_addr,
	    const char *lang);
void	 html_url_segment(struct buf *, const char *);

#endif
