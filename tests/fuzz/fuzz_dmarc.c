/*
 * fuzz_dmarc: dmarc_parse_record() on arbitrary TXT records.
 *
 * Contract checked (src/mail/dmarc.h): the parser reads only the len
 * bytes given (no NUL after them); on 0 both *p and *sp are one of none,
 * quarantine or reject; on -1 neither is touched.  No DNS is done here:
 * dmarc_lookup() is left to the unit tests.
 */
#include "config.h"

#include "fuzz.h"
#include "mail/dmarc.h"

#define FUZZ_DMARC_SENTINEL	((enum dmarc_policy)77)

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_dmarc");
	return 0;
}

static int
fuzz_dmarc_real(enum dmarc_policy x)
{
	return x == DMARC_POLICY_NONE || x == DMARC_POLICY_QUARANTINE ||
	    x == DMARC_POLICY_REJECT;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	enum dmarc_policy	 p = FUZZ_DMARC_SENTINEL, sp = FUZZ_DMARC_SENTINEL;
	char			*txt;
	int			 rc;

	if ((txt = malloc(len ? len : 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(txt, data, len);
	rc = dmarc_parse_record(txt, len, &p, &sp);
	FUZZ_CHECK(rc == 0 || rc == -1, "result is neither 0 nor -1");
	if (rc == 0) {
		FUZZ_CHECK(fuzz_dmarc_real(p), "p= not a policy");
		FUZZ_CHECK(fuzz_dmarc_real(sp), "sp= not a policy");
		FUZZ_CHECK(len >= 8, "valid record shorter than v=DMARC1");
		(void)dmarc_policy_name(p);
	} else
		FUZZ_CHECK(p == FUZZ_DMARC_SENTINEL && sp == FUZZ_DMARC_SENTINEL,
		    "failed parse touched *p or *sp");
	free(txt);
	return 0;
}
