/*
 * pattern: the program's own regular expressions, compiled with PCRE2.
 *
 * Contract: pattern_compile() compiles a pattern written in the source
 * (UTF-8, Unicode properties, caseless, plus the options in extra).  Such
 * a pattern failing to compile is a programming error: the program stops
 * with the owner's name, the offset and PCRE2's message.  Patterns built
 * from input must not come here.
 */
#ifndef METODIST_PATTERN_H
#define METODIST_PATTERN_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <stdint.h>
#include <pcre2.h>

pcre2_code	*pattern_compile(const char *owner, const char *src,
		    uint32_t extra);

#endif
