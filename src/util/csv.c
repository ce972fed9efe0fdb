/*
 * csv: see csv.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "xmalloc.h"

/* The delimiter the first line uses most outside quotes. */
static char
csv_detect(const char *p, const char *end)
{
	size_t	semicolons = 0, commas = 0;
	int	quoted = 0;

	for (; p < end; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*p == '\n' || *p == '\r')
			break;
		else if (*p == ';')
			semicolons++;
		else if (*p == ',')
			commas++;
	}
	return semicolons > commas ? ';' : ',';
}

void
csv_init(struct csv *c, const char *data, size_t len)
{
	memset(c, 0, sizeof *c);
	c->start = c->p = data;
	c->end = data + len;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		c->p += 3;
	c->line = 1;
	c->field_max = CSV_FIELD_MAX;
	c->record_max = CSV_RECORD_MAX;
	c->fields_max = CSV_FIELDS_MAX;
	buf_init(&c->text);
	c->delim = csv_detect(c->p, c->end);
}

void
csv_limits(struct csv *c, size_t field_max, size_t record_max,
    size_t fields_max)
{
	if (field_max > 0 && field_max < CSV_FIELD_MAX)
		c->field_max = field_max;
	if (record_max > 0 && record_max < CSV_RECORD_MAX)
		c->record_max = record_max;
	if (fields_max > 0 && fields_max < CSV_FIELDS_MAX)
		c->fields_max = fields_max;
}

size_t
csv_offset(const struct csv *c)
{
	return (size_t)(c->p - c->start);
}

void
csv_free(struct csv *c)
{
	buf_free(&c->text);
	free(c->offsets);
	free(c->fields);
	c->offsets = NULL;
	c->fields = NULL;
	c->cap = 0;
}

static int
csv_at_eol(const struct csv *c)
{
	return c->p < c->end && (*c->p == '\n' || *c->p == '\r');
}

/* Consume one line end (LF, CRLF or CR) and count the line. */
static void
csv_eol(struct csv *c)
{
	if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')
		c->p++;
	c->p++;
	c->line++;
}

/* The first problem of a record is the one reported. */
static void
csv_fail(struct csv *c, const char *why)
{
	if (c->error == NULL)
		c->error = why;
}

static void
csv_field_begin(struct csv *c)
{
	if (c->error != NULL)
		return;
	if (c->nfields >= c->fields_max) {
		csv_fail(c, "too many fields");
		return;
	}
	if (c->nfields == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->offsets = xreallocarray(c->offsets, c->cap,
		    sizeof *c->offsets);
		c->fields = xreallocarray(c->fields, c->cap,
		    sizeof *c->fields);
	}
	c->offsets[c->nfields] = c->text.len;
}

static void
csv_field_end(struct csv *c)
{
	if (c->error != NULL)
		return;
	buf_addc(&c->text, '\0');
	c->nfields++;
}

/* Keep one byte of the current field, within the limits. */
static void
csv_put(struct csv *c, char ch)
{
	if (c->error != NULL)
		return;
	if (c->text.len - c->offsets[c->nfields] >= c->field_max) {
		csv_fail(c, "field too long");
		return;
	}
	buf_addc(&c->text, ch);
}

/* One byte inside quotes: a doubled quote, the closing one, or text. */
static void
csv_quoted(struct csv *c, int *quoted)
{
	if (*c->p == '"') {
		if (c->p + 1 < c->end && c->p[1] == '"') {
			csv_put(c, '"');
			c->p += 2;
		} else {
			*quoted = 0;
			c->p++;
		}
		return;
	}
	if (*c->p == '\n' || (*c->p == '\r' &&
	    !(c->p + 1 < c->end && c->p[1] == '\n')))
		c->line++;
	csv_put(c, *c->p++);
}

/* One field; 1 when a delimiter ended it, 0 at the end of the record. */
static int
csv_field(struct csv *c, const char *record_start)
{
	int	quoted = 0;

	csv_field_begin(c);
	if (c->p < c->end && *c->p == '"') {
		quoted = 1;
		c->p++;
	}
	while (c->p < c->end) {
		if ((size_t)(c->p - record_start) >= c->record_max)
			csv_fail(c, "line too long");
		if (quoted)
			csv_quoted(c, &quoted);
		else if (*c->p == c->delim) {
			c->p++;
			csv_field_end(c);
			return 1;
		} else if (csv_at_eol(c)) {
			csv_eol(c);
			break;
		} else
			csv_put(c, *c->p++);
	}
	if (quoted)
		csv_fail(c, "unterminated quoted field");
	csv_field_end(c);
	return 0;
}

enum csv_result
csv_next(struct csv *c)
{
	const char	*record_start;
	size_t		 i;

	buf_reset(&c->text);
	c->nfields = 0;
	c->error = NULL;
	while (csv_at_eol(c))
		csv_eol(c);
	if (c->p >= c->end)
		return CSV_END;
	c->record_line = c->line;
	record_start = c->p;
	while (csv_field(c, record_start))
		;
	if (c->error != NULL) {
		c->nfields = 0;
		return CSV_BAD;
	}
	for (i = 0; i < c->nfields; i++)
		c->fields[i] = c->text.data + c->offsets[i];
	return CSV_RECORD;
}
