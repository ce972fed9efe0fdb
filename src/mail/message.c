/*
 * message: see message.h.
 *
 * libetpan finds the MIME structure (mailmime_parse on a private,
 * NUL-terminated copy of the bytes); everything else is read here from
 * each part's own header block with header.c, so that a field libetpan
 * cannot parse is still seen: Content-Type and Content-Disposition
 * parameters (RFC 2231 continuations and charsets, RFC 2047 words inside
 * quoted names, unquoted names with spaces), the transfer encoding and
 * the charset.  The top-level fields come from header_split() on the raw
 * bytes, never from libetpan.
 *
 * A part's header block runs from its start to its body; for the child
 * of a message node (the top-level message or an embedded message/rfc822)
 * it starts at the parent's body instead, since libetpan counts the
 * parent's own fields in.  When libetpan fails, or the bytes declare more
 * nested containers than MESSAGE_MAX_PARTS (libetpan recurses without a
 * bound), the message is read as one part and marked malformed.
 *
 * message_check() counts with the same rules as the walk (a node at
 * depth d > 0 is one part; nodes deeper than the depth bound or past the
 * parts bound are where the walk stops), over the whole libetpan tree,
 * named message attachments included, so a message it lets through never
 * reaches a bound of the walk.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "mail/address.h"
#include "mail/charset.h"
#include "mail/header.h"
#include "mail/html2text.h"
#include "mail/message.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define MESSAGE_MAX_PARAMS	64
#define MESSAGE_MAX_SECTIONS	64
#define MESSAGE_PARAM_MAX	4096

/* One parameter of a structured field, unquoted. */
struct message_param {
	char	*name;			/* lower case */
	char	*value;
};

struct message_params {
	struct message_param	p[MESSAGE_MAX_PARAMS];
	size_t			n;
};

/* What a part's header block says about it. */
struct message_part {
	char	*type;			/* lower case "type/subtype" */
	char	*charset;
	char	*filename;		/* decoded UTF-8, or NULL */
	char	*boundary;		/* of a multipart, or NULL */
	int	 attachment;		/* Content-Disposition: attachment */
	int	 encoding;		/* MAILMIME_MECHANISM_* */
};

struct message_walk {
	struct message	*m;
	size_t		 nparts;
	size_t		 cap;
	int		 have_text;
	char		*html;		/* first HTML body as text */
};

static void message_walk_node(struct message_walk *, struct mailmime *,
    const char *, int);

/* ---- structured field parameters ---- */

static const char *
message_skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Read a value at s (quoted or not) up to ';'; returns where it ended. */
static const char *
message_param_value(const char *s, char **out)
{
	struct buf	b;

	buf_init(&b);
	buf_add(&b, "", 0);
	if (*s == '"') {
		for (s++; *s != '\0' && *s != '"'; s++) {
			if (*s == '\\' && s[1] != '\0')
				s++;
			if (b.len < MESSAGE_PARAM_MAX)
				buf_addc(&b, *s);
		}
		if (*s == '"')
			s++;
		s += strcspn(s, ";");
	} else {
		for (; *s != '\0' && *s != ';'; s++)
			if (b.len < MESSAGE_PARAM_MAX)
				buf_addc(&b, *s);
		str_trim(b.data);
		b.len = strlen(b.data);
	}
	*out = buf_detach(&b);
	return s;
}

/* Parse "type; a=b; c="d"" into ps (the leading token is skipped). */
static void
message_params_parse(const char *v, struct message_params *ps)
{
	const char	*s, *eq;
	size_t		 nl;

	ps->n = 0;
	if (v == NULL)
		return;
	s = v + strcspn(v, ";");
	while (*s == ';' && ps->n < MESSAGE_MAX_PARAMS) {
		s = message_skip_ws(s + 1);
		nl = strcspn(s, "=;");
		if (s[nl] != '=') {
			s += nl;
			continue;
		}
		eq = s + nl;
		while (nl > 0 && (s[nl - 1] == ' ' || s[nl - 1] == '\t'))
			nl--;
		ps->p[ps->n].name = xstrndup(s, nl);
		str_lower_ascii(ps->p[ps->n].name);
		s = message_param_value(message_skip_ws(eq + 1),
		    &ps->p[ps->n].value);
		ps->n++;
	}
}

static void
message_params_free(struct message_params *ps)
{
	size_t	i;

	for (i = 0; i < ps->n; i++) {
		free(ps->p[i].name);
		free(ps->p[i].value);
	}
	ps->n = 0;
}

static const char *
message_param_find(const struct message_params *ps, const char *name)
{
	size_t	i;

	for (i = 0; i < ps->n; i++)
		if (strcmp(ps->p[i].name, name) == 0)
			return ps->p[i].value;
	return NULL;
}

static int
message_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void
message_percent_decode(const char *s, struct buf *b)
{
	int	hi, lo;

	for (; *s != '\0'; s++) {
		if (*s == '%' && (hi = message_hex((unsigned char)s[1])) >= 0 &&
		    (lo = message_hex((unsigned char)s[2])) >= 0) {
			buf_addc(b, hi * 16 + lo);
			s += 2;
		} else
			buf_addc(b, *s);
	}
}

/* Split "charset'lang'rest": copy the charset, return rest. */
static const char *
message_2231_charset(const char *v, char *cs, size_t cslen)
{
	const char	*q1 = strchr(v, '\''), *q2;
	size_t		 n;

	cs[0] = '\0';
	if (q1 == NULL || (q2 = strchr(q1 + 1, '\'')) == NULL)
		return v;
	n = (size_t)(q1 - v);
	if (n < cslen) {
		memcpy(cs, v, n);
		cs[n] = '\0';
	}
	return q2 + 1;
}

/* name*0*, name*1 ... joined; first section may carry the charset. */
static int
message_2231_sections(const struct message_params *ps, const char *name,
    struct buf *b, char *cs, size_t cslen)
{
	char		 key[80];
	const char	*v;
	int		 i, found = 0;

	cs[0] = '\0';
	for (i = 0; i < MESSAGE_MAX_SECTIONS; i++) {
		snprintf(key, sizeof(key), "%s*%d*", name, i);
		if ((v = message_param_find(ps, key)) != NULL) {
			if (i == 0)
				v = message_2231_charset(v, cs, cslen);
			message_percent_decode(v, b);
		} else {
			snprintf(key, sizeof(key), "%s*%d", name, i);
			if ((v = message_param_find(ps, key)) == NULL)
				break;
			buf_adds(b, v);
		}
		found = 1;
	}
	return found;
}

/* The decoded UTF-8 value of parameter name (RFC 2231 or 2047), or NULL. */
static char *
message_param_decoded(const struct message_params *ps, const char *name)
{
	char		 key[80], cs[64];
	const char	*v;
	struct buf	 b;
	char		*r;

	if (strlen(name) > 40)
		return NULL;
	buf_init(&b);
	buf_add(&b, "", 0);
	snprintf(key, sizeof(key), "%s*", name);
	if ((v = message_param_find(ps, key)) != NULL) {
		v = message_2231_charset(v, cs, sizeof(cs));
		message_percent_decode(v, &b);
	} else if (!message_2231_sections(ps, name, &b, cs, sizeof(cs))) {
		buf_free(&b);
		v = message_param_find(ps, name);
		return v == NULL ? NULL : header_decode(v);
	}
	if (strstr(b.data, "=?") != NULL && cs[0] == '\0')
		r = header_decode(b.data);
	else
		r = charset_to_utf8(cs, b.data, b.len);
	buf_free(&b);
	return r;
}

/* ---- one part's header block ---- */

static char *
message_field(const struct header_list *hl, const char *name)
{
	long	i = header_find(hl, name, 0);

	return i < 0 ? NULL : header_value(hl, (size_t)i);
}

static char *
message_type_of(const char *ct, int *ok)
{
	size_t	 n;
	char	*t;

	*ok = 0;
	if (ct == NULL)
		return xstrdup("text/plain");
	ct = message_skip_ws(ct);
	n = strcspn(ct, "; \t");
	t = xstrndup(ct, n);
	str_lower_ascii(t);
	if (n == 0 || strchr(t, '/') == NULL || t[0] == '/' ||
	    t[n - 1] == '/' || !str_utf8_valid(t, n)) {
		free(t);
		return xstrdup("text/plain");
	}
	*ok = 1;
	return t;
}

static int
message_encoding_of(const char *cte)
{
	if (cte == NULL)
		return MAILMIME_MECHANISM_8BIT;
	cte = message_skip_ws(cte);
	if (str_has_prefix_ci(cte, "base64"))
		return MAILMIME_MECHANISM_BASE64;
	if (str_has_prefix_ci(cte, "quoted-printable"))
		return MAILMIME_MECHANISM_QUOTED_PRINTABLE;
	return MAILMIME_MECHANISM_8BIT;
}

static void
message_part_read(const char *h, size_t hlen, struct message_part *pt)
{
	struct header_list	 hl;
	struct message_params	 ctp, cdp;
	char			*ct, *cd, *cte;
	int			 ok;

	memset(pt, 0, sizeof(*pt));
	header_split(h, hlen, &hl);
	ct = message_field(&hl, "Content-Type");
	cd = message_field(&hl, "Content-Disposition");
	cte = message_field(&hl, "Content-Transfer-Encoding");
	header_list_free(&hl);
	pt->type = message_type_of(ct, &ok);
	message_params_parse(ok ? ct : NULL, &ctp);
	message_params_parse(cd, &cdp);
	pt->charset = message_param_decoded(&ctp, "charset");
	if (message_param_find(&ctp, "boundary") != NULL)
		pt->boundary = xstrdup(message_param_find(&ctp, "boundary"));
	pt->filename = message_param_decoded(&cdp, "filename");
	if (pt->filename == NULL)
		pt->filename = message_param_decoded(&ctp, "name");
	if (pt->filename != NULL && pt->filename[0] == '\0') {
		free(pt->filename);
		pt->filename = NULL;
	}
	pt->attachment = cd != NULL &&
	    str_has_prefix_ci(message_skip_ws(cd), "attachment");
	pt->encoding = message_encoding_of(cte);
	message_params_free(&ctp);
	message_params_free(&cdp);
	free(ct);
	free(cd);
	free(cte);
}

static void
message_part_free(struct message_part *pt)
{
	free(pt->type);
	free(pt->charset);
	free(pt->filename);
	free(pt->boundary);
}

/* Body bytes decoded from their transfer encoding, owned, in *len. */
static char *
message_decode_body(const char *body, size_t blen, int encoding,
    size_t *len)
{
	size_t	 idx = 0, rlen = 0;
	char	*res = NULL, *out;

	if (encoding != MAILMIME_MECHANISM_8BIT && blen > 0 &&
	    mailmime_part_parse(body, blen, &idx, encoding, &res, &rlen) ==
	    MAILIMF_NO_ERROR && res != NULL) {
		out = xmalloc(rlen + 1);
		memcpy(out, res, rlen);
		out[rlen] = '\0';
		mailmime_decoded_part_free(res);
		*len = rlen;
		return out;
	}
	out = xmalloc(blen + 1);
	if (blen > 0)
		memcpy(out, body, blen);
	out[blen] = '\0';
	*len = blen;
	return out;
}

/* ---- the walk over libetpan's tree ---- */

static void
message_add_attachment(struct message_walk *w, struct message_part *pt,
    char *data, size_t len)
{
	struct message	*m = w->m;
	struct message_attachment *a;

	if (m->nattachments == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 4;
		m->attachments = xreallocarray(m->attachments, w->cap,
		    sizeof(*a));
	}
	a = &m->attachments[m->nattachments++];
	a->filename = pt->filename;
	pt->filename = NULL;
	a->content_type = xstrdup(pt->type);
	a->data = data;
	a->len = len;
}

/* Text in charset as UTF-8 with LF line ends (decoders may emit CRLF). */
static char *
message_text(const char *charset, const char *data, size_t len)
{
	char	*s = charset_to_utf8(charset, data, len);
	size_t	 i, j;

	for (i = j = 0; s[i] != '\0'; i++)
		if (s[i] != '\r' || s[i + 1] != '\n')
			s[j++] = s[i];
	s[j] = '\0';
	return s;
}

/* A text part that is not an attachment: maybe the message's text. */
static void
message_take_text(struct message_walk *w, struct message_part *pt,
    const char *data, size_t len)
{
	char	*u;

	if (strcmp(pt->type, "text/plain") == 0 && !w->have_text) {
		free(w->m->text);
		w->m->text = message_text(pt->charset, data, len);
		w->have_text = 1;
	} else if (strcmp(pt->type, "text/html") == 0 && w->html == NULL) {
		u = message_text(pt->charset, data, len);
		w->html = html2text(u, strlen(u));
		free(u);
	}
}

static const char *
message_body_start(struct mailmime *mm)
{
	if (mm->mm_body == NULL || mm->mm_body->dt_type != MAILMIME_DATA_TEXT)
		return NULL;
	return mm->mm_body->dt_data.dt_text.dt_data;
}

static void
message_walk_single(struct message_walk *w, struct mailmime *mm,
    struct message_part *pt)
{
	const char	*body = message_body_start(mm);
	size_t		 blen, len;
	char		*data;

	blen = body == NULL ? 0 : mm->mm_body->dt_data.dt_text.dt_length;
	data = message_decode_body(body, blen, pt->encoding, &len);
	if (pt->filename != NULL || pt->attachment) {
		message_add_attachment(w, pt, data, len);
		return;
	}
	message_take_text(w, pt, data, len);
	free(data);
}

/* An embedded message: an attachment if named so, else read through. */
static void
message_walk_message(struct message_walk *w, struct mailmime *mm,
    struct message_part *pt, int depth)
{
	const char	*body = message_body_start(mm);
	size_t		 len;
	char		*data;

	if (depth > 0 && (pt->filename != NULL || pt->attachment) &&
	    body != NULL) {
		free(pt->type);
		pt->type = xstrdup("message/rfc822");
		data = message_decode_body(body,
		    mm->mm_body->dt_data.dt_text.dt_length, pt->encoding, &len);
		message_add_attachment(w, pt, data, len);
		return;
	}
	if (mm->mm_data.mm_message.mm_msg_mime != NULL)
		message_walk_node(w, mm->mm_data.mm_message.mm_msg_mime,
		    body, depth + 1);
}

/* A multipart whose closing boundary is missing was cut short. */
static int
message_multipart_closed(struct mailmime *mm, const struct message_part *pt)
{
	const char	*body = message_body_start(mm);
	char		*close;
	int		 found;

	if (body == NULL || pt->boundary == NULL)
		return 0;
	close = xasprintf("--%s--", pt->boundary);
	found = memmem(body, mm->mm_body->dt_data.dt_text.dt_length, close,
	    strlen(close)) != NULL;
	free(close);
	return found;
}

static void
message_walk_node(struct message_walk *w, struct mailmime *mm,
    const char *hstart, int depth)
{
	struct message_part	 pt;
	const char		*body = message_body_start(mm);
	clistiter		*it;

	/* The message itself (depth 0) is not one of its parts. */
	if (depth > MESSAGE_MAX_DEPTH ||
	    (depth > 0 && w->nparts >= MESSAGE_MAX_PARTS)) {
		w->m->malformed = 1;
		return;
	}
	if (depth > 0)
		w->nparts++;
	if (hstart == NULL || body == NULL || body < hstart)
		hstart = body;
	message_part_read(hstart, hstart == NULL ? 0 : (size_t)(body - hstart),
	    &pt);
	if (mm->mm_type == MAILMIME_SINGLE)
		message_walk_single(w, mm, &pt);
	else if (mm->mm_type == MAILMIME_MESSAGE)
		message_walk_message(w, mm, &pt, depth);
	else if (mm->mm_type == MAILMIME_MULTIPLE &&
	    mm->mm_data.mm_multipart.mm_mp_list != NULL) {
		if (!message_multipart_closed(mm, &pt))
			w->m->malformed = 1;
		for (it = clist_begin(mm->mm_data.mm_multipart.mm_mp_list);
		    it != NULL; it = clist_next(it)) {
			struct mailmime *c = clist_content(it);

			message_walk_node(w, c, c->mm_mime_start, depth + 1);
		}
	}
	message_part_free(&pt);
}

/* ---- top level ---- */

/* Lines that open a container (multipart or message) part. */
static size_t
message_count_containers(const char *s, size_t len)
{
	size_t		 n = 0, off = 0;
	const char	*p, *nl;

	while (off < len) {
		p = s + off;
		nl = memchr(p, '\n', len - off);
		if (len - off > 13 && strncasecmp(p, "content-type:", 13) == 0) {
			const char *v = p + 13;

			while (v < s + len && (*v == ' ' || *v == '\t'))
				v++;
			if ((size_t)(s + len - v) > 8 &&
			    (strncasecmp(v, "multipart", 9) == 0 ||
			    strncasecmp(v, "message", 7) == 0))
				n++;
		}
		off = nl == NULL ? len : (size_t)(nl - s) + 1;
	}
	return n;
}

/* No usable MIME tree: read the body as one part of the top type. */
static void
message_read_flat(struct message_walk *w, const char *raw, size_t len,
    size_t body)
{
	struct message_part	 pt;
	char			*data;
	size_t			 dlen;

	w->m->malformed = 1;
	message_part_read(raw, body, &pt);
	data = message_decode_body(raw + body, len - body, pt.encoding, &dlen);
	if (strcmp(pt.type, "text/html") == 0)
		message_take_text(w, &pt, data, dlen);
	else {
		free(w->m->text);
		w->m->text = message_text(pt.charset, data, dlen);
		w->have_text = 1;
	}
	free(data);
	message_part_free(&pt);
}

static void
message_read_mime(struct message_walk *w, const char *raw, size_t len,
    size_t body)
{
	struct mailmime	*mime = NULL;
	char		*copy;
	size_t		 idx = 0;

	if (message_count_containers(raw, len) > MESSAGE_MAX_PARTS) {
		message_read_flat(w, raw, len, body);
		return;
	}
	copy = xmalloc(len + 1);
	memcpy(copy, raw, len);
	copy[len] = '\0';
	if (mailmime_parse(copy, len, &idx, &mime) != MAILIMF_NO_ERROR ||
	    mime == NULL) {
		free(copy);
		message_read_flat(w, raw, len, body);
		return;
	}
	message_walk_node(w, mime, copy, 0);
	mailmime_free(mime);
	free(copy);
}

/* The first address of an address-list value. */
static char *
message_first_address(const char *v)
{
	const char	*p;
	int		 quoted = 0, angle = 0, paren = 0;

	for (p = v; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"' && paren == 0)
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*p == '(')
			paren++;
		else if (*p == ')' && paren > 0)
			paren--;
		else if (*p == '<')
			angle = 1;
		else if (*p == '>')
			angle = 0;
		else if (*p == ',' && !angle && paren == 0 &&
		    strchr(v, '@') < p)
			break;
	}
	return xstrndup(v, (size_t)(p - v));
}

static char *
message_addr_field(const struct header_list *hl, const char *name)
{
	char	*v = message_field(hl, name), *first, *a;

	if (v == NULL)
		return NULL;
	first = message_first_address(v);
	a = address_normalize(first);
	free(first);
	free(v);
	return a;
}

/* The display name of the first From address, decoded, or NULL. */
static char *
message_display_name(const struct header_list *hl)
{
	char	*v = message_field(hl, "From"), *first, *lt, *name, *d;
	size_t	 n;

	if (v == NULL)
		return NULL;
	first = message_first_address(v);
	free(v);
	if ((lt = strchr(first, '<')) == NULL) {
		free(first);
		return NULL;
	}
	*lt = '\0';
	name = str_trim(first);
	n = strlen(name);
	if (n >= 2 && name[0] == '"' && name[n - 1] == '"') {
		name[n - 1] = '\0';
		name++;
	}
	d = name[0] == '\0' ? NULL : header_decode(name);
	free(first);
	if (d != NULL && str_trim(d)[0] == '\0') {
		free(d);
		d = NULL;
	}
	return d;
}

/* The first "<id>" of a field, without brackets, or the bare value. */
static char *
message_msgid(const struct header_list *hl, const char *name)
{
	char	*v = message_field(hl, name), *lt, *gt, *r;

	if (v == NULL)
		return NULL;
	if ((lt = strchr(v, '<')) != NULL && (gt = strchr(lt, '>')) != NULL &&
	    gt > lt + 1)
		r = charset_utf8_sanitize(lt + 1, (size_t)(gt - lt - 1));
	else {
		str_trim(v);
		r = v[0] == '\0' || strchr(v, ' ') != NULL ? NULL :
		    charset_utf8_sanitize(v, strlen(v));
	}
	free(v);
	return r;
}

static char *
message_raw_field(const struct header_list *hl, const char *name)
{
	char	*v = message_field(hl, name), *r;

	if (v == NULL)
		return NULL;
	r = charset_utf8_sanitize(v, strlen(v));
	free(v);
	return r;
}

static void
message_read_fields(struct message *m, const struct header_list *hl)
{
	char	*subj = message_field(hl, "Subject");

	m->subject = header_decode(subj);
	free(subj);
	m->from_addr = message_addr_field(hl, "From");
	m->from_name = message_display_name(hl);
	m->sender_addr = message_addr_field(hl, "Sender");
	m->reply_to = message_addr_field(hl, "Reply-To");
	m->message_id = message_msgid(hl, "Message-ID");
	m->in_reply_to = message_msgid(hl, "In-Reply-To");
	m->references = message_raw_field(hl, "References");
	m->date = message_raw_field(hl, "Date");
}

/* Bytes of an mbox "From " line at the start, which is not a field. */
static size_t
message_postmark(const char *raw, size_t len)
{
	const char	*nl;

	if (len < 5 || memcmp(raw, "From ", 5) != 0)
		return 0;
	nl = memchr(raw, '\n', len);
	return nl == NULL ? len : (size_t)(nl - raw) + 1;
}

struct message *
message_parse(const char *raw, size_t len)
{
	struct message		*m = xcalloc(1, sizeof(*m));
	struct message_walk	 w;
	struct header_list	 hl;
	size_t			 skip;

	if (raw == NULL)
		len = 0;
	m->raw = raw;
	m->raw_len = len;
	skip = message_postmark(raw, len);
	header_split(raw + skip, len - skip, &hl);
	m->body_offset = skip + hl.body_offset;
	m->malformed = hl.truncated || hl.nfields == 0;
	message_read_fields(m, &hl);
	header_list_free(&hl);
	memset(&w, 0, sizeof(w));
	w.m = m;
	m->text = xstrdup("");
	if (len - skip > 0)
		message_read_mime(&w, raw + skip, len - skip,
		    m->body_offset - skip);
	if (!w.have_text && w.html != NULL) {
		free(m->text);
		m->text = w.html;
		m->text_from_html = 1;
	} else
		free(w.html);
	return m;
}

void
message_free(struct message *m)
{
	size_t	i;

	if (m == NULL)
		return;
	free(m->subject);
	free(m->from_addr);
	free(m->from_name);
	free(m->sender_addr);
	free(m->reply_to);
	free(m->message_id);
	free(m->in_reply_to);
	free(m->references);
	free(m->date);
	free(m->text);
	for (i = 0; i < m->nattachments; i++) {
		free(m->attachments[i].filename);
		free(m->attachments[i].content_type);
		free(m->attachments[i].data);
	}
	free(m->attachments);
	free(m);
}

char *
message_header(const struct message *m, const char *name)
{
	struct header_list	 hl;
	size_t			 skip = message_postmark(m->raw, m->raw_len);
	long			 i;
	char			*v = NULL;

	header_split(m->raw + skip, m->raw_len - skip, &hl);
	if ((i = header_find(&hl, name, 0)) >= 0)
		v = header_value(&hl, (size_t)i);
	header_list_free(&hl);
	return v;
}

/* ---- the gate: message_check ---- */

void
message_limits_default(struct message_limits *lim)
{
	lim->header_fields = MESSAGE_MAX_HEADERS;
	lim->line = MESSAGE_DEFAULT_LINE;
	lim->depth = MESSAGE_MAX_DEPTH;
	lim->parts = MESSAGE_MAX_PARTS;
}

/* The length of the first line longer than max (line end not counted),
 * or 0. */
static size_t
message_long_line(const char *raw, size_t len, size_t max)
{
	const char	*p = raw, *end = raw + len, *nl;
	size_t		 n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl == NULL ? end : nl) - p);
		if (nl != NULL && n > 0 && p[n - 1] == '\r')
			n--;
		if (n > max)
			return n;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return 0;
}

struct message_measure {
	const struct message_limits	*lim;
	size_t				 parts;
	size_t				 depth;
};

/* Count mm and below; -1 as soon as a bound is passed. */
static int
message_measure_node(struct message_measure *ms, struct mailmime *mm,
    size_t depth)
{
	clistiter	*it;

	if (depth > 0) {
		if (depth > ms->depth)
			ms->depth = depth;
		if (depth > ms->lim->depth || ++ms->parts > ms->lim->parts)
			return -1;
	}
	if (mm->mm_type == MAILMIME_MESSAGE &&
	    mm->mm_data.mm_message.mm_msg_mime != NULL)
		return message_measure_node(ms,
		    mm->mm_data.mm_message.mm_msg_mime, depth + 1);
	if (mm->mm_type != MAILMIME_MULTIPLE ||
	    mm->mm_data.mm_multipart.mm_mp_list == NULL)
		return 0;
	for (it = clist_begin(mm->mm_data.mm_multipart.mm_mp_list);
	    it != NULL; it = clist_next(it))
		if (message_measure_node(ms, clist_content(it), depth + 1) ==
		    -1)
			return -1;
	return 0;
}

static enum message_bound
message_check_mime(const char *raw, size_t len,
    const struct message_limits *lim, size_t *found)
{
	struct message_measure	 ms;
	struct mailmime		*mime = NULL;
	char			*copy;
	size_t			 idx = 0, n;

	if ((n = message_count_containers(raw, len)) > MESSAGE_MAX_PARTS) {
		*found = n;
		return MESSAGE_OVER_PARTS;
	}
	copy = xmalloc(len + 1);
	memcpy(copy, raw, len);
	copy[len] = '\0';
	memset(&ms, 0, sizeof ms);
	ms.lim = lim;
	if (mailmime_parse(copy, len, &idx, &mime) == MAILIMF_NO_ERROR &&
	    mime != NULL) {
		message_measure_node(&ms, mime, 0);
		mailmime_free(mime);
	}
	free(copy);
	if (ms.depth > lim->depth) {
		*found = ms.depth;
		return MESSAGE_OVER_DEPTH;
	}
	if (ms.parts > lim->parts) {
		*found = ms.parts;
		return MESSAGE_OVER_PARTS;
	}
	return MESSAGE_WITHIN;
}

enum message_bound
message_check(const char *raw, size_t len, const struct message_limits *lim,
    size_t *found)
{
	struct header_list	 hl;
	size_t			 skip, n, dummy;

	if (found == NULL)
		found = &dummy;
	*found = 0;
	if (raw == NULL || len == 0)
		return MESSAGE_WITHIN;
	skip = message_postmark(raw, len);
	header_split(raw + skip, len - skip, &hl);
	n = hl.nseen;
	header_list_free(&hl);
	if (n > lim->header_fields) {
		*found = n;
		return MESSAGE_OVER_HEADER_FIELDS;
	}
	if ((n = message_long_line(raw, len, lim->line)) > 0) {
		*found = n;
		return MESSAGE_OVER_LINE;
	}
	if (len - skip == 0)
		return MESSAGE_WITHIN;
	return message_check_mime(raw + skip, len - skip, lim, found);
}
