/*
 * site: everything a running gateway holds open.
 *
 * Contract: site_open() makes the var directories (spool, archive, queue,
 * held), opens the database (migrating it), records a row for each
 * configured list and opens the egress transport.  It fails as a whole:
 * on -1 nothing is left open, and transient is set when trying again
 * later may help (disk, lock), so a pipe caller can exit 75.
 */
#ifndef METODIST_SITE_H
#define METODIST_SITE_H

#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

#include "core/config.h"

struct egress;

struct site {
	struct config	*cfg;
	sqlite3		*db;
	struct egress	*egress;
	char		*queue_dir;	/* composed outbound messages */
	char		*held_dir;	/* raw posts awaiting a decision */
	time_t		 last_decay;	/* of bounce scores, by expire */
};

int	 site_open(struct config *, struct site *, int *transient);
void	 site_close(struct site *);
int64_t	 site_list_id(struct site *, const struct list_config *);
/* "L@D", "L-request@D", "L+help@D" ...: suffix is "", "-request", "+help". */
char	*site_list_address(const struct config *, const struct list_config *,
	    const char *suffix);
/* Write bytes durably as dir/NAME; returns the path or NULL. */
char	*site_store_file(struct site *, const char *dir, const char *name,
	    const char *data, size_t len);

#endif
