/*
 * store/stemtok: the "metodist" FTS5 tokenizer, which makes word forms
 * of Russian and English meet in the archive's full-text index.
 *
 * Contract: stemtok_register() adds the tokenizer to one database
 * connection; it must run on every connection before a statement touches
 * a table declared with tokenize='metodist' (db_open does it before
 * migrating).  A token is a run of letters and digits (any script;
 * punctuation, apostrophes and hyphens split words).  Each token is
 * lower-cased (ASCII and Cyrillic, Ё included), ё becomes е, and the
 * word is stemmed with Snowball: Russian when it holds a Cyrillic letter,
 * English when it is all ASCII letters, unchanged otherwise (numbers,
 * other scripts).  Offsets reported are byte offsets into the original
 * text, so snippet() and highlight() mark the words as written.  Tokens
 * longer than STEMTOK_MAX_TOKEN bytes are cut there.
 *
 * stemtok_query() turns words a person typed into an FTS5 query that is
 * always valid: each word becomes a quoted string (quotes doubled), all
 * of them required; NULL when no word is left.
 */
#ifndef METODIST_STORE_STEMTOK_H
#define METODIST_STORE_STEMTOK_H

#include <sqlite3.h>

#define STEMTOK_MAX_TOKEN	128

int	 stemtok_register(sqlite3 *);
char	*stemtok_query(const char *words);

#endif
