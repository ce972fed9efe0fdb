/*
 * html2text: readable plain text from an HTML body.
 *
 * Contract: html2text() takes len bytes of HTML already converted to
 * UTF-8 and returns new, valid UTF-8 text, never NULL.  The contents of
 * script, style, head and title elements and comments are dropped; block
 * elements and <br> become line breaks, list items start with "- ";
 * character references (named common ones, &#N; and &#xN;) are decoded;
 * runs of white space collapse to one space and blank lines to one.
 * Malformed markup is read as far as it makes sense, never beyond len.
 */
#ifndef METODIST_HTML2TEXT_H
#define METODIST_HTML2TEXT_H

#include <stddef.h>

char	*html2text(const char *html, size_t len);

#endif
