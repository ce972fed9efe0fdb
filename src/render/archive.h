/*
 * archive: the static HTML archive of a list, from templates/html/.
 *
 * Contract: under HTML_DIR/LIST/ the archive keeps
 *   index.html        the list: description, how to join, months, latest
 *                     threads, the search form when a search URL is set
 *   m/YYYY-MM.html    a month: its threads and their posts
 *   t/N.html          a thread (N its first post): every post in order
 *   p/N.html          one post: decoded headers, text with quoted parts
 *                     folded, its attachments
 *   a/N/K/NAME        attachment K of post N under its sanitised name
 *                     (filename_safe; Cyrillic kept), the decoded bytes
 *   atom.xml          the latest ARCHIVE_FEED_ENTRIES posts (RFC 4287)
 * Every page is HTML5 with lang set, UTF-8, made of the page template
 * with every value escaped, and needs no script.  Members' addresses are
 * masked on public lists and never shown on private ones (html.h).
 * Files are replaced whole (written beside, then renamed): a reader never
 * sees half a page.  The pages are derived data: they are not fsynced,
 * and `archive render` rebuilds them from the database and the archived
 * messages.
 *
 * archive_render_post() is the incremental step after a post is stored:
 * it writes the post's page and files, its thread, its month, the list
 * page and the feed, nothing else.  archive_render_all() writes every
 * page of the list.  Both return 0 or -1 (logged); a message that cannot
 * be read is rendered from what the database holds.
 */
#ifndef METODIST_ARCHIVE_H
#define METODIST_ARCHIVE_H

#include <sqlite3.h>
#include <stdint.h>

#include "core/config.h"
#include "render/html.h"

#define ARCHIVE_FEED_ENTRIES	30
#define ARCHIVE_INDEX_THREADS	20
#define ARCHIVE_MAX_MESSAGE	(64 * 1024 * 1024)

struct progress;

struct archive {
	const struct config		*cfg;
	const struct list_config	*list;
	sqlite3				*db;
	int64_t				 lid;
	char				*dir;	/* html_dir/LIST */
	enum html_addr			 addr;
	const char			*lang;
};

int	archive_open(struct archive *, const struct config *,
	    const struct list_config *, sqlite3 *);
void	archive_close(struct archive *);
int	archive_render_post(struct archive *, int64_t number);
int	archive_render_all(struct archive *, struct progress *);

#endif
