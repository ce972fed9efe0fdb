/*
 * fuzz_dsn: dsn_parse() on arbitrary bytes.
 *
 * Contract checked (src/mail/dsn.h): dsn_parse() never fails and never
 * reads past len (the copy has no NUL after it); a report that is not a
 * bounce has a reason; at most DSN_MAX_RECIPIENTS recipients; every
 * string is valid UTF-8; a diagnostic is one line of at most
 * DSN_DIAG_MAX bytes; status is NUL-terminated within DSN_STATUS_MAX;
 * with FUZZ_STRICT=1, a bounce that lists recipients lists a failed one
 * and a failed recipient makes a bounce.
 */
#include "config.h"

#include "fuzz.h"
#include "mail/dsn.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_dsn");
	return 0;
}

static void
fuzz_dsn_check(const struct dsn_report *r)
{
	const struct dsn_recipient	*rc;
	size_t				 i, failed = 0;

	FUZZ_CHECK(r->is_bounce || r->reason != NULL,
	    "not a bounce and no reason");
	FUZZ_CHECK(r->nrecipients <= DSN_MAX_RECIPIENTS, "too many recipients");
	for (i = 0; i < r->nrecipients; i++) {
		rc = &r->recipients[i];
		FUZZ_CHECK(memchr(rc->status, '\0', DSN_STATUS_MAX) != NULL,
		    "status not terminated");
		FUZZ_CHECK(fuzz_utf8_valid(rc->address), "address not UTF-8");
		FUZZ_CHECK(fuzz_utf8_valid(rc->original), "original not UTF-8");
		FUZZ_CHECK(fuzz_utf8_valid(rc->diagnostic),
		    "diagnostic not UTF-8");
		if (rc->diagnostic != NULL) {
			FUZZ_CHECK(strlen(rc->diagnostic) <= DSN_DIAG_MAX,
			    "diagnostic too long");
			FUZZ_CHECK(strpbrk(rc->diagnostic, "\r\n") == NULL,
			    "diagnostic not one line");
		}
		if (rc->kind != DSN_NONE)
			failed++;
	}
	/* A notice naming no recipient is a bounce by its kind alone
	 * (dsn_notice), so only a report with recipients must name one
	 * that failed. */
	if (r->is_bounce && r->nrecipients > 0)
		FUZZ_STRICT(failed > 0, "bounce without a failed recipient");
	if (!r->is_bounce)
		FUZZ_STRICT(failed == 0, "failed recipient but not a bounce");
	(void)dsn_kind_name(r->kind);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct dsn_report	 r;
	char			*raw, *s;

	if ((raw = malloc(len ? len : 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(raw, data, len);
	memset(&r, 0, sizeof r);
	dsn_parse(raw, len, &r);
	fuzz_dsn_check(&r);
	dsn_report_free(&r);
	free(raw);
	if (len <= 32) {
		s = fuzz_cstr(data, len);
		(void)dsn_status_kind(s);
		free(s);
	}
	return 0;
}
