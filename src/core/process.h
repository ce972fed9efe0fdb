/*
 * process: what happens to one message taken from the spool.
 *
 * Contract: process_spool_entry() claims the entry, parses it, routes its
 * recipient and hands it to the action's handler; when the outcome is
 * recorded it removes the entry from the spool.  On a temporary failure
 * (database busy, disk) it puts the entry back for a later run and
 * returns PROCESS_TEMP; nothing is lost either way.  An entry already
 * recorded as processed (a crash after the commit, before the unlink) is
 * only removed.  process_spool() runs every waiting entry once.
 */
#ifndef METODIST_PROCESS_H
#define METODIST_PROCESS_H

struct site;

enum process_result {
	PROCESS_DONE,
	PROCESS_TEMP,
	PROCESS_GONE		/* another processor had claimed it */
};

enum process_result	process_spool_entry(struct site *, const char *id);
/* Number of entries done, or -1 when the spool cannot be read. */
int			process_spool(struct site *);

#endif
