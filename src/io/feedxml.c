/*
 * feedxml: see feedxml.h.
 */
#include <config.h>

#include <curl/curl.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/feedxml.h"
#include "util/buf.h"
#include "util/xmalloc.h"

enum feedxml_field {
	F_NONE, F_TITLE, F_LINK, F_GUID, F_ID, F_SUMMARY, F_CONTENT, F_DATE,
	F_NFIELDS
};

struct feedxml_state {
	struct feed_item	*v;
	size_t			 n;
	size_t			 max;
	int			 depth;
	int			 item_depth;	/* 0: not in an item */
	enum feedxml_field	 field;
	struct buf		 text[F_NFIELDS];
	char			*alt_link;	/* Atom rel=alternate href */
	int			 atom;
};

static const char *
feedxml_local(const char *name)
{
	const char	*c = strrchr(name, ':');

	return c != NULL ? c + 1 : name;
}

static enum feedxml_field
feedxml_field_of(const char *name)
{
	static const struct {
		const char		*name;
		enum feedxml_field	 f;
	} map[] = {
		{ "title", F_TITLE }, { "link", F_LINK }, { "guid", F_GUID },
		{ "id", F_ID }, { "description", F_SUMMARY },
		{ "summary", F_SUMMARY }, { "content", F_CONTENT },
		{ "encoded", F_CONTENT }, { "pubDate", F_DATE },
		{ "published", F_DATE }, { "updated", F_DATE },
		{ "date", F_DATE },
	};
	size_t	i;

	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(name, map[i].name) == 0)
			return map[i].f;
	return F_NONE;
}

static void
feedxml_atom_link(struct feedxml_state *st, const char **attr)
{
	const char	*href = NULL, *rel = NULL;
	size_t		 i;

	for (i = 0; attr[i] != NULL && attr[i + 1] != NULL; i += 2) {
		if (strcmp(attr[i], "href") == 0)
			href = attr[i + 1];
		else if (strcmp(attr[i], "rel") == 0)
			rel = attr[i + 1];
	}
	if (href != NULL && (rel == NULL || strcmp(rel, "alternate") == 0) &&
	    st->alt_link == NULL)
		st->alt_link = xstrndup(href, FEEDXML_TEXT_MAX);
}

static void XMLCALL
feedxml_start(void *arg, const char *name, const char **attr)
{
	struct feedxml_state	*st = arg;
	const char		*local = feedxml_local(name);
	size_t			 i;

	st->depth++;
	if (st->depth == 1)
		st->atom = strcmp(local, "feed") == 0;
	if (st->item_depth == 0 && (strcmp(local, "item") == 0 ||
	    strcmp(local, "entry") == 0)) {
		st->item_depth = st->depth;
		for (i = 0; i < F_NFIELDS; i++)
			buf_reset(&st->text[i]);
		free(st->alt_link);
		st->alt_link = NULL;
		return;
	}
	if (st->item_depth != 0 && st->depth == st->item_depth + 1) {
		st->field = feedxml_field_of(local);
		if (st->field == F_LINK)
			feedxml_atom_link(st, attr);
		/* The first date of the item counts: published before updated
		 * in most feeds. */
		if (st->field == F_DATE && st->text[F_DATE].len > 0)
			st->field = F_NONE;
	}
}

static void XMLCALL
feedxml_chars(void *arg, const char *s, int len)
{
	struct feedxml_state	*st = arg;
	struct buf		*b;

	if (st->item_depth == 0 || st->field == F_NONE || len <= 0)
		return;
	b = &st->text[st->field];
	/* Expat hands whole characters: a text is cut between them. */
	if (b->len + (size_t)len <= FEEDXML_TEXT_MAX)
		buf_add(b, s, (size_t)len);
}

/* RFC 3339 ("2026-05-12T15:00:00+05:00", "...Z") or RFC 822. */
static time_t
feedxml_date(const char *s)
{
	struct tm	tm;
	int		y, mo, d, h, mi, sec, n = 0, oh = 0, om = 0;
	char		sign;
	time_t		t;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
	    &sec, &n) == 6) {
		memset(&tm, 0, sizeof tm);
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = sec;
		t = timegm(&tm);
		s += n;
		while (*s == '.' || (*s >= '0' && *s <= '9'))
			s++;
		if (sscanf(s, "%c%2d:%2d", &sign, &oh, &om) == 3 &&
		    (sign == '+' || sign == '-'))
			t -= (sign == '+' ? 1 : -1) * (oh * 3600 + om * 60);
		return t;
	}
	t = curl_getdate(s, NULL);
	return t == -1 ? 0 : t;
}

static char *
feedxml_take(struct buf *b)
{
	char	*s;
	size_t	 start = 0, end = b->len;

	while (start < end && strchr(" \t\r\n", b->data[start]) != NULL)
		start++;
	while (end > start && strchr(" \t\r\n", b->data[end - 1]) != NULL)
		end--;
	if (end == start)
		return NULL;
	s = xstrndup(b->data + start, end - start);
	return s;
}

static void
feedxml_item_end(struct feedxml_state *st)
{
	struct feed_item	*it;
	char			*date;

	if (st->n >= st->max)
		return;
	st->v = xreallocarray(st->v, st->n + 1, sizeof *st->v);
	it = &st->v[st->n++];
	memset(it, 0, sizeof *it);
	it->title = feedxml_take(&st->text[F_TITLE]);
	it->link = st->atom || st->text[F_LINK].len == 0 ? st->alt_link :
	    feedxml_take(&st->text[F_LINK]);
	if (it->link == st->alt_link)
		st->alt_link = NULL;
	it->summary = feedxml_take(&st->text[F_SUMMARY]);
	if (it->summary == NULL)
		it->summary = feedxml_take(&st->text[F_CONTENT]);
	it->key = feedxml_take(&st->text[st->atom ? F_ID : F_GUID]);
	if (it->key == NULL && it->link != NULL)
		it->key = xstrdup(it->link);
	if (it->key == NULL && it->title != NULL)
		it->key = xstrdup(it->title);
	if (it->title == NULL)
		it->title = xstrdup("");
	if ((date = feedxml_take(&st->text[F_DATE])) != NULL)
		it->published = feedxml_date(date);
	free(date);
	if (it->key == NULL) {		/* nothing to know it by */
		free(it->title);
		free(it->link);
		free(it->summary);
		st->n--;
	}
}

static void XMLCALL
feedxml_end(void *arg, const char *name)
{
	struct feedxml_state	*st = arg;

	if (st->item_depth != 0 && st->depth == st->item_depth)
		feedxml_item_end(st);
	if (st->depth == st->item_depth)
		st->item_depth = 0;
	if (st->item_depth != 0 && st->depth == st->item_depth + 1)
		st->field = F_NONE;
	st->depth--;
}

int
feedxml_parse(const char *xml, size_t len, size_t max, struct feed_item **out,
    size_t *n, char *err, size_t errlen)
{
	struct feedxml_state	 st;
	XML_Parser		 p;
	size_t			 i;
	int			 ok;

	memset(&st, 0, sizeof st);
	st.max = max;
	for (i = 0; i < F_NFIELDS; i++)
		buf_init(&st.text[i]);
	p = XML_ParserCreate(NULL);
	XML_SetUserData(p, &st);
	XML_SetElementHandler(p, feedxml_start, feedxml_end);
	XML_SetCharacterDataHandler(p, feedxml_chars);
	ok = len <= (size_t)0x7fffffff && XML_Parse(p, xml, (int)len, 1) ==
	    XML_STATUS_OK;
	if (!ok)
		snprintf(err, errlen, "not well-formed XML at line %lu: %s",
		    (unsigned long)XML_GetCurrentLineNumber(p),
		    XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	for (i = 0; i < F_NFIELDS; i++)
		buf_free(&st.text[i]);
	free(st.alt_link);
	if (!ok) {
		feedxml_free(st.v, st.n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	*out = st.v;
	*n = st.n;
	return 0;
}

void
feedxml_free(struct feed_item *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].title);
		free(v[i].link);
		free(v[i].summary);
	}
	free(v);
}
