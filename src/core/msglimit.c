/*
 * msglimit: see msglimit.h.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "core/msglimit.h"

void
msglimit_of(const struct config *cfg, struct message_limits *lim)
{
	lim->header_fields = (size_t)cfg->max_header_fields;
	lim->line = (size_t)cfg->max_header_line;
	lim->depth = (size_t)cfg->max_mime_depth;
	lim->parts = (size_t)cfg->max_mime_parts;
}

static void
msglimit_describe(struct msglimit_verdict *v)
{
	switch (v->bound) {
	case MESSAGE_OVER_HEADER_FIELDS:
		v->key = "max_header_fields";
		snprintf(v->text, sizeof v->text, "5.6.0 message has %zu "
		    "header fields, more than the %zu this gateway takes (%s)",
		    v->found, v->limit, v->key);
		break;
	case MESSAGE_OVER_LINE:
		v->key = "max_header_line";
		snprintf(v->text, sizeof v->text, "5.6.0 message has a line "
		    "of %zu octets, longer than the %zu this gateway takes "
		    "(%s)", v->found, v->limit, v->key);
		break;
	case MESSAGE_OVER_DEPTH:
		v->key = "max_mime_depth";
		snprintf(v->text, sizeof v->text, "5.6.0 MIME parts nested "
		    "deeper than the %zu levels this gateway takes (%s)",
		    v->limit, v->key);
		break;
	case MESSAGE_OVER_PARTS:
		v->key = "max_mime_parts";
		snprintf(v->text, sizeof v->text, "5.6.0 message has more than "
		    "the %zu MIME parts this gateway takes (%s)", v->limit,
		    v->key);
		break;
	case MESSAGE_WITHIN:
		v->key = "";
		v->text[0] = '\0';
		break;
	}
}

int
msglimit_check(const struct config *cfg, const char *raw, size_t len,
    struct msglimit_verdict *v)
{
	struct message_limits	lim;

	memset(v, 0, sizeof *v);
	msglimit_of(cfg, &lim);
	v->bound = message_check(raw, len, &lim, &v->found);
	switch (v->bound) {
	case MESSAGE_OVER_HEADER_FIELDS:
		v->limit = lim.header_fields;
		break;
	case MESSAGE_OVER_LINE:
		v->limit = lim.line;
		break;
	case MESSAGE_OVER_DEPTH:
		v->limit = lim.depth;
		break;
	case MESSAGE_OVER_PARTS:
		v->limit = lim.parts;
		break;
	case MESSAGE_WITHIN:
		break;
	}
	msglimit_describe(v);
	return v->bound != MESSAGE_WITHIN;
}
