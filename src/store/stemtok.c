/*
 * store/stemtok: see stemtok.h.
 *
 * One tokenizer instance holds its two Snowball stemmers; SQLite creates
 * an instance per table per connection, and a connection is used by one
 * thread at a time, which is what libstemmer needs.
 */
#include <config.h>

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "mail/charset.h"
#include "store/stemtok.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct stemtok {
	struct sb_stemmer	*ru;
	struct sb_stemmer	*en;
};

static void
stemtok_delete(Fts5Tokenizer *t)
{
	struct stemtok	*st = (struct stemtok *)t;

	if (st == NULL)
		return;
	if (st->ru != NULL)
		sb_stemmer_delete(st->ru);
	if (st->en != NULL)
		sb_stemmer_delete(st->en);
	free(st);
}

static int
stemtok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	struct stemtok	*st;

	(void)ctx;
	(void)argv;
	(void)argc;
	st = xcalloc(1, sizeof *st);
	st->ru = sb_stemmer_new("russian", "UTF_8");
	st->en = sb_stemmer_new("english", "UTF_8");
	if (st->ru == NULL || st->en == NULL) {
		stemtok_delete((Fts5Tokenizer *)st);
		return SQLITE_ERROR;
	}
	*out = (Fts5Tokenizer *)st;
	return SQLITE_OK;
}

static int
stemtok_is_word_char(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		    (cp >= 'A' && cp <= 'Z');
	/* Latin-1 punctuation, general punctuation, symbols: separators. */
	if ((cp >= 0x80 && cp <= 0xbf) || cp == 0xd7 || cp == 0xf7)
		return 0;
	if (cp >= 0x2000 && cp <= 0x2bff)
		return 0;
	if (cp >= 0x3000 && cp <= 0x303f)
		return 0;
	if (cp == 0xfeff || cp == 0xfffd || (cp >= 0xfe00 && cp <= 0xfe0f))
		return 0;
	return 1;
}

static int
stemtok_is_cyrillic(uint32_t cp)
{
	return cp >= 0x400 && cp <= 0x4ff;
}

/* Append the folded form of one character to word; the kind of the word
 * so far is tracked in *script: 0 none yet, 1 ASCII letters only,
 * 2 has Cyrillic, 3 anything else (digits, other scripts). */
static void
stemtok_fold(struct buf *word, uint32_t cp, int *script)
{
	size_t	before = word->len;

	cp = charset_lower(cp);
	if (cp == 0x451)		/* ё */
		cp = 0x435;		/* е */
	if (stemtok_is_cyrillic(cp))
		*script = *script == 3 ? 3 : 2;
	else if (cp >= 'a' && cp <= 'z')
		*script = *script == 0 ? 1 : *script;
	else
		*script = 3;
	buf_add_utf8(word, cp);
	if (word->len > STEMTOK_MAX_TOKEN) {
		word->len = before;
		word->data[before] = '\0';
	}
}

static int
stemtok_emit(struct stemtok *st, struct buf *word, int script, void *ctx,
    int (*token)(void *, int, const char *, int, int, int), int start,
    int end)
{
	struct sb_stemmer	*sb = NULL;
	const sb_symbol		*stem;
	const char		*out = word->data;
	int			 len = (int)word->len;

	if (script == 2)
		sb = st->ru;
	else if (script == 1)
		sb = st->en;
	if (sb != NULL) {
		stem = sb_stemmer_stem(sb, (const sb_symbol *)word->data,
		    (int)word->len);
		if (stem != NULL && sb_stemmer_length(sb) > 0) {
			out = (const char *)stem;
			len = sb_stemmer_length(sb);
		}
	}
	return token(ctx, 0, out, len, start, end);
}

static int
stemtok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text,
    int ntext, int (*token)(void *, int, const char *, int, int, int))
{
	struct stemtok	*st = (struct stemtok *)t;
	struct buf	 word;
	uint32_t	 cp;
	size_t		 n;
	int		 i = 0, start = -1, script = 0, rc = SQLITE_OK;

	(void)flags;
	buf_init(&word);
	while (i <= ntext && rc == SQLITE_OK) {
		n = 0;
		if (i < ntext && (n = charset_utf8_char(text + i,
		    (size_t)(ntext - i), &cp)) == 0) {
			n = 1;
			cp = 0xfffd;
		}
		if (i < ntext && stemtok_is_word_char(cp)) {
			if (start < 0) {
				start = i;
				script = 0;
				buf_reset(&word);
			}
			stemtok_fold(&word, cp, &script);
		} else if (start >= 0) {
			rc = stemtok_emit(st, &word, script, ctx, token, start,
			    i);
			start = -1;
		}
		i += n ? (int)n : 1;
	}
	buf_free(&word);
	return rc;
}

static fts5_api *
stemtok_api(sqlite3 *db)
{
	fts5_api	*api = NULL;
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

int
stemtok_register(sqlite3 *db)
{
	static fts5_tokenizer	 tok = {
		stemtok_create, stemtok_delete, stemtok_tokenize
	};
	fts5_api		*api;

	if ((api = stemtok_api(db)) == NULL || api->iVersion < 2) {
		log_warnx("stemtok: this SQLite has no FTS5");
		return -1;
	}
	if (api->xCreateTokenizer(api, "metodist", NULL, &tok, NULL) !=
	    SQLITE_OK) {
		log_warnx("stemtok: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

char *
stemtok_query(const char *words)
{
	struct buf	 q;
	const char	*p = words;
	uint32_t	 cp;
	size_t		 n, nwords = 0;
	int		 in = 0;

	buf_init(&q);
	while (*p != '\0') {
		n = charset_utf8_char(p, strlen(p), &cp);
		if (n == 0) {
			n = 1;
			cp = ' ';
		}
		if (stemtok_is_word_char(cp)) {
			if (!in) {
				buf_addf(&q, "%s\"", nwords ? " " : "");
				nwords++;
				in = 1;
			}
			buf_add(&q, p, n);
		} else if (in) {
			buf_add(&q, "\"", 1);
			in = 0;
		}
		p += n;
	}
	if (in)
		buf_add(&q, "\"", 1);
	if (nwords == 0) {
		buf_free(&q);
		return NULL;
	}
	return buf_detach(&q);
}
