/*
 * pattern: see pattern.h.
 */
#include <config.h>

#include "util/log.h"
#include "util/pattern.h"

pcre2_code *
pattern_compile(const char *owner, const char *src, uint32_t extra)
{
	pcre2_code	*code;
	PCRE2_SIZE	 off;
	PCRE2_UCHAR	 msg[160];
	int		 err;

	code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | extra, &err, &off, NULL);
	if (code == NULL) {
		pcre2_get_error_message(err, msg, sizeof msg);
		fatalx("%s: pattern at %zu: %s", owner, (size_t)off,
		    (const char *)msg);
	}
	return code;
}
