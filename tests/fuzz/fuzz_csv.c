/*
 * fuzz_csv: the CSV reader on arbitrary bytes.
 *
 * Input: byte 0 chooses the limits (bit 0: the defaults, else small
 * limits so that every limit is reached often); the rest is the file.
 *
 * Contract checked (src/util/csv.h): csv_next() never reads past the
 * buffer (it has no NUL after it), ends; every record holds between 1 and
 * fields_max fields of at most field_max bytes each; record lines never
 * go backwards; a bad record has a reason; csv_offset() never passes the
 * input length.
 */
#include "config.h"

#include "fuzz.h"
#include "util/csv.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_csv");
	return 0;
}

static void
fuzz_csv_read(const char *buf, size_t len, int small)
{
	struct csv		c;
	enum csv_result		r;
	size_t			i, field_max, fields_max, nrec = 0;
	int			line = 0;

	csv_init(&c, buf, len);
	if (small)
		csv_limits(&c, 16, 64, 4);
	field_max = small ? 16 : CSV_FIELD_MAX;
	fields_max = small ? 4 : CSV_FIELDS_MAX;
	while ((r = csv_next(&c)) != CSV_END) {
		FUZZ_CHECK(++nrec <= len + 1, "more records than bytes");
		FUZZ_CHECK(c.record_line >= line, "record line went backwards");
		line = c.record_line;
		FUZZ_CHECK(csv_offset(&c) <= len, "offset beyond input");
		if (r == CSV_BAD) {
			FUZZ_CHECK(c.error != NULL, "bad record without reason");
			continue;
		}
		FUZZ_CHECK(r == CSV_RECORD, "unknown result");
		FUZZ_CHECK(c.nfields >= 1 && c.nfields <= fields_max,
		    "field count out of limits");
		for (i = 0; i < c.nfields; i++)
			FUZZ_CHECK(strlen(c.fields[i]) <= field_max,
			    "field longer than the limit");
	}
	csv_free(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char	*buf;
	int	 small;

	if (len == 0)
		return 0;
	small = (data[0] & 1) != 0;
	data++;
	len--;
	if ((buf = malloc(len ? len : 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(buf, data, len);
	fuzz_csv_read(buf, len, small);
	free(buf);
	return 0;
}
