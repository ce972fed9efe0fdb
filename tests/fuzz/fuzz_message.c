/*
 * fuzz_message: message_parse() on arbitrary bytes.
 *
 * Contract checked (src/mail/message.h): message_parse() never fails and
 * never reads outside the len bytes it is given (the copy handed over is
 * exactly len bytes, not NUL-terminated, so ASan sees any overread);
 * every string it returns is valid UTF-8; subject and text are never
 * NULL; body_offset lies within the input; attachment counts respect
 * MESSAGE_MAX_PARTS.  message_header() is exercised on common names.
 * message_check() runs on the same bytes with the default bounds and with
 * small ones: it never fails, and a bound it reports was really passed
 * (what it found is beyond the limit).
 */
#include "config.h"

#include "fuzz.h"
#include "mail/message.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_message");
	return 0;
}

static void
fuzz_message_check(const struct message *m, size_t len)
{
	size_t	i;

	FUZZ_CHECK(m != NULL, "message_parse returned NULL");
	FUZZ_CHECK(m->subject != NULL && m->text != NULL, "NULL subject/text");
	FUZZ_CHECK(m->body_offset <= len, "body_offset beyond input");
	FUZZ_CHECK(fuzz_utf8_valid(m->subject), "subject not UTF-8");
	FUZZ_CHECK(fuzz_utf8_valid(m->from_addr), "from_addr not UTF-8");
	FUZZ_CHECK(fuzz_utf8_valid(m->from_name), "from_name not UTF-8");
	FUZZ_CHECK(fuzz_utf8_valid(m->sender_addr), "sender_addr not UTF-8");
	FUZZ_CHECK(fuzz_utf8_valid(m->reply_to), "reply_to not UTF-8");
	FUZZ_CHECK(fuzz_utf8_valid(m->message_id), "message_id not UTF-8");
	FUZZ_CHECK(fuzz_utf8_valid(m->in_reply_to), "in_reply_to not UTF-8");
	FUZZ_CHECK(fuzz_utf8_valid(m->references), "references not UTF-8");
	FUZZ_CHECK(fuzz_utf8_valid(m->date), "date not UTF-8");
	FUZZ_CHECK(fuzz_utf8_valid(m->text), "text not UTF-8");
	FUZZ_CHECK(m->nattachments <= MESSAGE_MAX_PARTS, "too many parts");
	for (i = 0; i < m->nattachments; i++) {
		FUZZ_CHECK(fuzz_utf8_valid(m->attachments[i].filename),
		    "attachment filename not UTF-8");
		FUZZ_CHECK(m->attachments[i].len == 0 ||
		    m->attachments[i].data != NULL, "attachment data NULL");
	}
}

static void
fuzz_message_limits(const char *raw, size_t len,
    const struct message_limits *lim)
{
	enum message_bound	r;
	size_t			found = 0;

	r = message_check(raw, len, lim, &found);
	switch (r) {
	case MESSAGE_WITHIN:
		FUZZ_CHECK(found == 0, "within, yet something found");
		break;
	case MESSAGE_OVER_HEADER_FIELDS:
		FUZZ_CHECK(found > lim->header_fields, "fields not over");
		break;
	case MESSAGE_OVER_LINE:
		FUZZ_CHECK(found > lim->line && found <= len, "line not over");
		break;
	case MESSAGE_OVER_DEPTH:
		FUZZ_CHECK(found > lim->depth, "depth not over");
		break;
	case MESSAGE_OVER_PARTS:
		FUZZ_CHECK(found > lim->parts, "parts not over");
		break;
	default:
		FUZZ_CHECK(0, "message_check: unknown answer");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct message_limits	 lim;
	static const char *const names[] = { "From", "Subject",
	    "Content-Type", "Received", "X-No-Such" };
	struct message	*m;
	char		*raw, *v;
	size_t		 i;

	/* An exact-size copy: no NUL after it, ASan catches overreads. */
	if ((raw = malloc(len ? len : 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(raw, data, len);
	message_limits_default(&lim);
	fuzz_message_limits(raw, len, &lim);
	lim = (struct message_limits){ 3, 78, 2, 3 };
	fuzz_message_limits(raw, len, &lim);
	m = message_parse(raw, len);
	fuzz_message_check(m, len);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		v = message_header(m, names[i]);
		free(v);
	}
	message_free(m);
	free(raw);
	return 0;
}
