/*
 * replyscan: see replyscan.h.
 *
 * Four patterns, one per kind of marker, each anchored at both ends of
 * the line with white space allowed around; they are compiled once
 * (pthread_once, as the mailbox pollers are threads) and matched with
 * match data of the call's own and a shared, read-only match context
 * that bounds the work.
 */
#include <config.h>

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <pthread.h>
#include <string.h>

#include "mail/replyscan.h"
#include "util/log.h"
#include "util/pattern.h"

#define REPLYSCAN_MATCH_LIMIT	100000

static const char replyscan_re_original[] =
    "^\\s*(?:-{2,}\\s*(?:original\\s+message|forwarded\\s+message"
	"|исходное\\s+сообщение|пересылаемое\\s+сообщение"
	"|перенаправленное\\s+сообщение)\\b.*"
    "|_{5,}"
    "|begin\\s+forwarded\\s+message\\s*:"
    "|начало\\s+(?:пересылаемого|переадресованного)\\s+сообщения\\s*:"
    ")\\s*$";
static const char replyscan_re_header[] =
    "^\\s*(?:from|sent|to|cc|date|subject"
	"|от|отправлено|кому|копия|дата|тема)\\s*:\\s.*$";
static const char replyscan_re_intro[] =
    "^\\s*(?:.*\\b(?:wrote|writes|написала?|написали|написал\\(а\\)|пишет)"
	"\\s*:"
    "|.*@\\S*\\s*:)\\s*$";
static const char replyscan_re_signoff[] =
    "^\\s*(?:(?:sent\\s+from\\s+|отправлено\\s+(?:с|со|из)\\s+).*"
    "|(?:с\\s+уважением|best\\s+regards|kind\\s+regards|regards)\\b.*"
    ")\\s*$";

struct replyscan_grammar {
	pcre2_code		*original;
	pcre2_code		*header;
	pcre2_code		*intro;
	pcre2_code		*signoff;
	pcre2_match_context	*mc;
};

static struct replyscan_grammar	replyscan_g;
static pthread_once_t		replyscan_once = PTHREAD_ONCE_INIT;

static void
replyscan_grammar_init(void)
{
	replyscan_g.original = pattern_compile("replyscan",
	    replyscan_re_original, 0);
	replyscan_g.header = pattern_compile("replyscan",
	    replyscan_re_header, 0);
	replyscan_g.intro = pattern_compile("replyscan",
	    replyscan_re_intro, 0);
	replyscan_g.signoff = pattern_compile("replyscan",
	    replyscan_re_signoff, 0);
	if ((replyscan_g.mc = pcre2_match_context_create(NULL)) == NULL)
		fatalx("replyscan: out of memory");
	pcre2_set_match_limit(replyscan_g.mc, REPLYSCAN_MATCH_LIMIT);
}

static int
replyscan_match(pcre2_code *code, pcre2_match_data *md, const char *s,
    size_t len)
{
	return pcre2_match(code, (PCRE2_SPTR)s, len, 0, 0, md,
	    replyscan_g.mc) > 0;
}

static int
replyscan_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\f' || c == '\v';
}

/* The line without white space at either end. */
static void
replyscan_trim(const char **s, size_t *len)
{
	while (*len > 0 && replyscan_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && replyscan_space((*s)[*len - 1]))
		(*len)--;
}

/* A marker line (len within REPLYSCAN_MARKER_MAX), or TEXT; t is the
 * line trimmed. */
static enum replyscan_kind
replyscan_marker(const char *s, size_t len, const char *t, size_t tlen)
{
	pcre2_match_data	*md;
	enum replyscan_kind	 k = REPLYSCAN_TEXT;

	if ((md = pcre2_match_data_create(1, NULL)) == NULL)
		fatalx("replyscan: out of memory");
	if (replyscan_match(replyscan_g.original, md, s, len))
		k = REPLYSCAN_ORIGINAL;
	else if (replyscan_match(replyscan_g.header, md, s, len))
		k = REPLYSCAN_HEADER;
	else if (replyscan_match(replyscan_g.intro, md, s, len))
		k = REPLYSCAN_INTRO;
	else if (replyscan_match(replyscan_g.signoff, md, s, len))
		k = REPLYSCAN_SIGNOFF;
	pcre2_match_data_free(md);
	/* "-- Иван пишет:": the quoted letter follows, unmarked. */
	if ((k == REPLYSCAN_HEADER || k == REPLYSCAN_INTRO) && tlen >= 2 &&
	    t[0] == '-' && t[1] == '-')
		k = REPLYSCAN_ORIGINAL;
	return k;
}

enum replyscan_kind
replyscan_kind(const char *s, size_t len)
{
	const char	*t = s;
	size_t		 tlen = len;

	replyscan_trim(&t, &tlen);
	if (tlen == 2 && t[0] == '-' && t[1] == '-')
		return REPLYSCAN_SIGNATURE;
	if (tlen == 0)
		return REPLYSCAN_BLANK;
	if (t[0] == '>' || t[0] == '|')
		return REPLYSCAN_QUOTED;
	if (len > REPLYSCAN_MARKER_MAX)
		return REPLYSCAN_TEXT;
	(void)pthread_once(&replyscan_once, replyscan_grammar_init);
	return replyscan_marker(s, len, t, tlen);
}

void
replyscan_init(struct replyscan *sc, const char *text)
{
	sc->rest = text != NULL ? text : "";
}

int
replyscan_next(struct replyscan *sc, struct replyscan_line *ln)
{
	const char	*nl;

	if (*sc->rest == '\0')
		return 0;
	ln->s = sc->rest;
	if ((nl = strchr(sc->rest, '\n')) != NULL) {
		ln->len = (size_t)(nl - sc->rest);
		sc->rest = nl + 1;
	} else {
		ln->len = strlen(sc->rest);
		sc->rest += ln->len;
	}
	if (ln->len > 0 && ln->s[ln->len - 1] == '\r')
		ln->len--;
	ln->kind = replyscan_kind(ln->s, ln->len);
	return 1;
}

const char *
replyscan_kind_name(enum replyscan_kind k)
{
	static const char *const names[] = {
		[REPLYSCAN_BLANK] = "blank",
		[REPLYSCAN_QUOTED] = "quoted",
		[REPLYSCAN_INTRO] = "intro",
		[REPLYSCAN_HEADER] = "header",
		[REPLYSCAN_ORIGINAL] = "original",
		[REPLYSCAN_SIGNATURE] = "signature",
		[REPLYSCAN_SIGNOFF] = "signoff",
		[REPLYSCAN_TEXT] = "text",
	};

	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}
