/*
 * csv: a reader of comma- or semicolon-separated values (RFC 4180).
 *
 * Contract: csv_init() reads from a buffer the caller keeps alive; it
 * skips a UTF-8 byte order mark and takes the delimiter from the first
 * line: ';' when it holds more semicolons than commas outside quotes,
 * else ','.  A field in double quotes may hold the delimiter, line breaks
 * and doubled quotes ("" is one quote); text after a closing quote is kept
 * as it stands, and so is a quote inside an unquoted field.  Lines end
 * with LF, CRLF or a lone CR; empty lines are skipped.  Nothing is
 * trimmed and no charset is assumed: fields are the bytes of the input.
 *
 * csv_next() returns each record with the number of the physical line it
 * starts on (from 1).  A record that breaks a limit (field bytes, record
 * bytes, field count) or ends inside quotes at the end of the input is
 * reported as CSV_BAD with a reason; reading goes on with the next
 * record, so one bad record never hides the others.  Memory is bounded by
 * the limits, never by the input.
 */
#ifndef METODIST_CSV_H
#define METODIST_CSV_H

#include <stddef.h>

#include "buf.h"

#define CSV_FIELD_MAX	4096		/* bytes in one field */
#define CSV_RECORD_MAX	(64 * 1024)	/* bytes in one record */
#define CSV_FIELDS_MAX	64		/* fields in one record */

enum csv_result {
	CSV_END,	/* no more records */
	CSV_RECORD,	/* a record in fields/nfields */
	CSV_BAD		/* a malformed record, skipped: see error */
};

struct csv {
	const char	*p, *end, *start;
	char		 delim;
	int		 line;		/* physical line of p */

	size_t		 field_max, record_max, fields_max;

	/* The current record: fields, their count and first line. */
	char		**fields;
	size_t		 nfields;
	int		 record_line;
	const char	*error;		/* reason of CSV_BAD, static */

	struct buf	 text;		/* the fields, NUL-separated */
	size_t		*offsets;	/* where each field starts in text */
	size_t		 cap;
};

void	csv_init(struct csv *, const char *data, size_t len);
/* Lower the limits (0 keeps one); for callers and tests. */
void	csv_limits(struct csv *, size_t field_max, size_t record_max,
	    size_t fields_max);
enum csv_result csv_next(struct csv *);
/* Bytes consumed so far, for progress. */
size_t	csv_offset(const struct csv *);
void	csv_free(struct csv *);

#endif
