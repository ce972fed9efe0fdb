/*
 * store/search: the list's posts that hold all the words asked for.
 *
 * Contract: search_posts() turns the words into a safe FTS5 query
 * (stemtok_query: each word quoted, all required, stemmed like the
 * index, so "урок" finds "уроки", "уроков", "уроками" and ё equals е),
 * and calls back with at most `limit` hits of the list, best first by
 * BM25 (a subject match weighs more than the body) among the
 * SEARCH_WINDOW most recently stored posts that match (so a word found in
 * half of a 100,000-post archive still answers in milliseconds; an
 * archive with fewer matches is ranked whole), each with a snippet
 * of the body (the words marked with [ ] in text) and the post's date.
 * It returns the number of hits, 0 when the words hold nothing to look
 * for, or -1.
 */
#ifndef METODIST_STORE_SEARCH_H
#define METODIST_STORE_SEARCH_H

#include <sqlite3.h>
#include <stdint.h>

#define SEARCH_MAX_LIMIT	100
#define SEARCH_WINDOW		2000

struct search_hit {
	int64_t		 number;
	int64_t		 date;
	double		 rank;
	const char	*subject;
	const char	*author;
	const char	*author_name;
	const char	*snippet;	/* text; the words in [ ] */
};

typedef int (*search_fn)(void *arg, const struct search_hit *);

int	search_posts(sqlite3 *, int64_t list_id, const char *words,
	    int limit, search_fn, void *arg);

#endif
