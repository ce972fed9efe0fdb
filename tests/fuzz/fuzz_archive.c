/*
 * fuzz_archive: the archive's readers of outside text — an mbox split by
 * mbox_next(), a Subject made a thread key by subject_key(), words made
 * an FTS5 query by stemtok_query(), and text made HTML by html_body().
 *
 * Contracts checked: mbox_next() always advances and stays within the
 * input, and a message it gives back, written again with mbox_write()
 * and read once more, comes back the same (src/mail/mbox.h);
 * subject_key() is idempotent, valid UTF-8 in gives valid UTF-8 out
 * (src/mail/subject.h); stemtok_query() gives NULL or a string of quoted
 * words with no quote left open (src/store/stemtok.h); html_body() and
 * html_escape() output holds no '<' that the archive did not write
 * itself: every '<' starts one of its own tags (src/render/html.h).  Any
 * broken promise aborts.
 */
#include "config.h"

#include "fuzz.h"
#include "mail/mbox.h"
#include "mail/subject.h"
#include "render/html.h"
#include "store/stemtok.h"
#include "util/buf.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_log_init("fuzz_archive");
	return 0;
}

static void
fuzz_archive_mbox(const char *data, size_t len)
{
	struct buf	 a, b;
	size_t		 off = 0, prev, o2;
	char		*w;
	size_t		 wlen;
	FILE		*f;

	buf_init(&a);
	buf_init(&b);
	for (;;) {
		prev = off;
		if (mbox_next(data, len, &off, &a) != 1)
			break;
		FUZZ_CHECK(off > prev && off <= len, "mbox_next did not advance");
		if (a.len == 0 || a.data[a.len - 1] != '\n')
			continue;	/* round trip holds for whole lines */
		f = open_memstream(&w, &wlen);
		FUZZ_CHECK(f != NULL, "open_memstream");
		mbox_write(f, a.data, a.len, "a@b", 0);
		fclose(f);
		o2 = 0;
		FUZZ_CHECK(mbox_next(w, wlen, &o2, &b) == 1, "written, not read");
		FUZZ_CHECK(b.len == a.len && memcmp(a.data, b.data, a.len) == 0,
		    "mboxrd round trip changed the message");
		free(w);
	}
	buf_free(&a);
	buf_free(&b);
}

static void
fuzz_archive_html(const char *s)
{
	static const char *const own[] = {
		"<div class=\"body\">", "</div>", "<pre>", "</pre>",
		"<details class=\"quote\">", "</details>", "<summary>",
		"</summary>"
	};
	struct buf	 b;
	const char	*p;
	size_t		 i;
	int		 known;

	buf_init(&b);
	html_escape(&b, s);
	html_body(&b, s, HTML_ADDR_OBFUSCATE, "ru");
	for (p = buf_cstr(&b); (p = strchr(p, '<')) != NULL; p++) {
		for (known = 0, i = 0; i < sizeof own / sizeof *own; i++)
			known |= strncmp(p, own[i], strlen(own[i])) == 0;
		FUZZ_CHECK(known, "html: a '<' the archive did not write");
	}
	FUZZ_CHECK(strchr(buf_cstr(&b), '\'') == NULL, "html: a bare quote");
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char	*in, *k, *k2, *q;
	size_t	 quotes = 0, i;

	fuzz_archive_mbox((const char *)data, len);
	in = fuzz_cstr(data, len);
	k = subject_key(in);
	k2 = subject_key(k);
	FUZZ_CHECK(strcmp(k, k2) == 0, "subject_key not idempotent");
	FUZZ_CHECK(!fuzz_utf8_valid(in) || fuzz_utf8_valid(k),
	    "subject_key broke UTF-8");
	if ((q = stemtok_query(in)) != NULL) {
		for (i = 0; q[i] != '\0'; i++)
			quotes += q[i] == '"';
		FUZZ_CHECK(quotes > 0 && quotes % 2 == 0, "query quote open");
	}
	fuzz_archive_html(in);
	free(q);
	free(k2);
	free(k);
	free(in);
	return 0;
}
