/*
 * store/search: see search.h.
 */
#include <config.h>

#include <stdlib.h>

#include "store/db.h"
#include "store/search.h"
#include "store/stemtok.h"

int
search_posts(sqlite3 *db, int64_t lid, const char *words, int limit,
    search_fn fn, void *arg)
{
	struct search_hit	 h;
	sqlite3_stmt		*st;
	char			*q;
	int			 rc, n = 0;

	if ((q = stemtok_query(words)) == NULL)
		return 0;
	if (limit < 1 || limit > SEARCH_MAX_LIMIT)
		limit = SEARCH_MAX_LIMIT;
	db_reader(db);
	/*
	 * FTS5 orders by rank itself when it drives the loop (CROSS JOIN
	 * keeps it outermost), so snippet() runs only for the rows returned
	 * and the posts of other lists are skipped on the way.  The rowid
	 * floor (a cheap descending scan of the matches) keeps the BM25
	 * work to the SEARCH_WINDOW newest matches.
	 */
	st = db_stmt(db, "SELECT p.number, p.date, posts_fts.rank, p.subject, "
	    "p.author, coalesce(p.author_name, ''), "
	    "snippet(posts_fts, 2, '[', ']', '…', 16) FROM posts_fts "
	    "CROSS JOIN posts p ON p.id = posts_fts.rowid "
	    "WHERE posts_fts MATCH ?1 AND posts_fts.rank MATCH "
	    "'bm25(4.0, 1.0, 1.0)' AND posts_fts.rowid >= (SELECT "
	    "coalesce(min(rowid), 0) FROM (SELECT rowid FROM posts_fts WHERE "
	    "posts_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?4)) "
	    "AND p.list_id = ?2 ORDER BY posts_fts.rank LIMIT ?3", "tiii", q,
	    lid, (int64_t)limit, (int64_t)SEARCH_WINDOW);
	free(q);
	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		h.number = sqlite3_column_int64(st, 0);
		h.date = sqlite3_column_int64(st, 1);
		h.rank = sqlite3_column_double(st, 2);
		h.subject = (const char *)sqlite3_column_text(st, 3);
		h.author = (const char *)sqlite3_column_text(st, 4);
		h.author_name = (const char *)sqlite3_column_text(st, 5);
		h.snippet = (const char *)sqlite3_column_text(st, 6);
		if (h.snippet == NULL)
			h.snippet = "";
		n++;
		if (fn != NULL && fn(arg, &h) != 0)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? n : -1;
}
