/*
 * history: a list's past posts, in and out: mbox import and export, and
 * the rebuilding of the archive index.
 *
 * Contract: history_import() reads an mbox (mboxrd quoting undone) and
 * adds each message the list does not have yet (same Message-ID) as a
 * post, numbered after the list's existing posts in the order of the
 * messages' dates (Date:; a message without a readable date keeps its
 * place after the one before it in the file).  Each imported message is
 * kept byte-exact in the archive directory like a received post, indexed
 * and threaded; nothing is sent to members.  Work is committed in
 * batches of HISTORY_BATCH posts after the batch's files are on disk, so
 * an interrupted import is resumed by importing the same file again.
 * history_export() writes the list's posts (one month "YYYY-MM" or all)
 * in number order as mboxrd.  history_reindex() recomputes every post's
 * subject key, thread and full-text entry from the archived messages.
 * All return 0 or -1 (logged); the counts go into struct history_counts.
 */
#ifndef METODIST_HISTORY_H
#define METODIST_HISTORY_H

#include <stddef.h>
#include <stdio.h>

#include "core/config.h"

#define HISTORY_BATCH		500
#define HISTORY_MAX_MBOX	((size_t)8 << 30)

struct site;
struct progress;

struct history_counts {
	size_t	read;		/* messages in the mbox */
	size_t	added;
	size_t	duplicates;
	size_t	undated;
};

int	history_import(struct site *, const struct list_config *,
	    const char *path, struct progress *, struct history_counts *);
int	history_export(struct site *, const struct list_config *,
	    const char *month, FILE *, size_t *count);
int	history_reindex(struct site *, const struct list_config *,
	    struct progress *, size_t *count);

#endif
