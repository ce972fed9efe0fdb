/*
 * registry: loading the teacher registry (a CSV file) into the gateway.
 *
 * Contract: registry_import() reads FILE whole (at most
 * REGISTRY_FILE_MAX bytes), as UTF-8 when it is valid UTF-8 and as
 * windows-1251 otherwise, and takes its first line as the header.  The
 * header names the columns in Russian or English, in any order and case
 * ("ФИО", "E-mail", "Школа", "Муниципалитет", "Предмет", ...); the full
 * name and e-mail columns are required, others optional, unknown ones
 * ignored.  Each later row is checked on its own: a row without a valid
 * address (address_normalize, a dotted domain, one address per cell),
 * without a name, repeating an address of an earlier row, or malformed as
 * CSV is reported as "FILE:LINE: reason" through the report callback and
 * counted bad; the import goes on.  Good rows are upserted into the
 * teachers table (store/teacher.h), so importing the same file again
 * changes nothing and counts every row unchanged.
 *
 * With REGISTRY_SUBSCRIBE each teacher becomes a member of the list of
 * their subject (registry_subject_list) and a new member gets the
 * registry-welcome notice; with REGISTRY_INVITE a teacher who is neither
 * a member nor already invited gets an invitation token (kind 'invite',
 * lifetime token_lifetime_days) and the registry-invite letter whose
 * Reply-To is L+confirm-TOKEN@D.  A teacher whose subject names no list
 * is reported and counted unmatched.  Rows are committed in batches;
 * notices are queued (reply_send) after their batch is committed, so a
 * notice never announces what a rollback undid.  Messages are in the
 * site's language.
 */
#ifndef METODIST_REGISTRY_H
#define METODIST_REGISTRY_H

#include <stddef.h>

#include "core/config.h"

#define REGISTRY_FILE_MAX	(32 * 1024 * 1024)

struct site;

enum registry_action {
	REGISTRY_LOAD,		/* only the teachers table */
	REGISTRY_SUBSCRIBE,	/* and make them members */
	REGISTRY_INVITE		/* and invite them */
};

enum registry_column {
	REGISTRY_NAME,
	REGISTRY_EMAIL,
	REGISTRY_SCHOOL,
	REGISTRY_MUNICIPALITY,
	REGISTRY_SUBJECT,
	REGISTRY_NCOLUMNS
};

enum registry_status {
	REGISTRY_OK = 0,	/* done; bad rows are counted, not failures */
	REGISTRY_ENOINPUT = -1,	/* the file cannot be read */
	REGISTRY_EDATA = -2,	/* empty, too large, or no usable header */
	REGISTRY_EDB = -3	/* a database error: try again later */
};

typedef void (*registry_report_fn)(void *arg, const char *file, int line,
    const char *message);

struct registry_options {
	enum registry_action	 action;
	int			 progress;	/* bar on a terminal's stderr */
	registry_report_fn	 report;	/* or NULL */
	void			*arg;
};

struct registry_summary {
	size_t	rows;		/* data rows read, bad ones included */
	size_t	added;
	size_t	updated;
	size_t	unchanged;
	size_t	bad;
	size_t	subscribed;	/* became members now */
	size_t	invited;	/* invitations sent now */
	size_t	unmatched;	/* subject names no list */
	size_t	unsent;		/* notices not queued (limit, error) */
};

int	registry_import(struct site *, const char *path,
	    const struct registry_options *, struct registry_summary *);
/* The same on data already in memory, reported under the name file. */
int	registry_import_data(struct site *, const char *file,
	    const char *data, size_t len, const struct registry_options *,
	    struct registry_summary *);
/*
 * The list for a teacher's subject: the list whose name, title or
 * subject tag (without brackets) equals it, case-blind; else the built-in
 * table of school subjects (алгебра → math ...) when that list exists;
 * else the one list whose title or tag contains it.  NULL when none.
 */
const struct list_config *registry_subject_list(const struct config *,
	    const char *subject);
/* The column a header cell names, or -1. */
int	registry_header_column(const char *cell);

#endif
