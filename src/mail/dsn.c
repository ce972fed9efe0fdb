/*
 * dsn: see dsn.h.
 *
 * The order of the questions matters.  A message/delivery-status part
 * anywhere in the message's own MIME tree (not inside a returned copy)
 * decides alone.  Then header fields that only automatic replies and
 * challenge-response systems set, and their usual subjects, say "not a
 * bounce".  Then the free-text notices are recognised by the sentences
 * their MTAs always write; their recipients are the addresses in the text
 * up to the returned copy, each with the status or SMTP code written near
 * it.  Last, an Auto-Submitted field or a vacation sentence in the body
 * makes an automatic reply (bounces carry Auto-Submitted too, which is why
 * this comes after the notices).
 *
 * Phrases are compared on a folded copy of the text: ASCII and Cyrillic
 * letters in lower case, every run of white space one blank.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "mail/address.h"
#include "mail/charset.h"
#include "mail/dsn.h"
#include "mail/header.h"
#include "mail/message.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#define DSN_MAX_BLOCKS		(2 * DSN_MAX_RECIPIENTS + 2)
#define DSN_MAX_LINES		2000
#define DSN_SEGMENT_LINES	6

/* A sentence that marks a free-text notice, and which MTA writes it. */
struct dsn_signature {
	const char	*phrase;	/* folded */
	const char	*format;
};

static const struct dsn_signature dsn_signatures[] = {
	{ "hi. this is the qmail-send program", "qmail" },
	{ "a message that you sent could not be delivered", "exim" },
	{ "this message was created automatically by mail delivery software",
	    "exim" },
	{ "i'm sorry to have to inform you that your message could not",
	    "postfix" },
	{ "delivery has failed to these recipients or groups", "exchange" },
	{ "your message did not reach some or all of the intended",
	    "exchange" },
	{ "the following recipient(s) cannot be reached", "exchange" },
	{ "не удалось доставить", "russian" },
	{ "сообщение не доставлено", "russian" },
	{ "письмо не доставлено", "russian" },
	{ "не может быть доставлено", "russian" },
	{ "адрес не существует", "russian" },
};

/* A notice that only announces a delay, unless a failure is also said. */
static const char *const dsn_delay_phrases[] = {
	"has not yet been delivered",
	"this is a warning only",
	"delivery has been delayed",
	"delivery is delayed",
	"доставка задерживается",
	"доставка письма задерживается",
};

static const char *const dsn_failure_phrases[] = {
	"could not be delivered",
	"permanent error",
	"failed permanently",
	"delivery has failed",
	"не удалось доставить",
	"не доставлено",
};

/* Words near a recipient that mean a temporary failure. */
static const char *const dsn_soft_phrases[] = {
	"mailbox full", "mailbox is full", "over quota", "quota exceeded",
	"exceeded storage", "insufficient storage", "temporar",
	"in the queue too long", "retry timeout exceeded",
	"переполнен", "превышен", "временно",
};

static const char *const dsn_vacation_subjects[] = {
	"out of office", "out of the office", "automatic reply",
	"autoreply", "auto-reply", "auto reply", "vacation",
	"автоответ", "автоматический ответ", "в отпуске", "отсутствую",
	"нет на месте",
};

static const char *const dsn_vacation_phrases[] = {
	"out of the office", "out of office", "on vacation",
	"on leave until", "в отпуске", "автоответ", "отсутствую",
	"нет на месте",
};

static const char *const dsn_challenge_phrases[] = {
	"confirm you are human", "confirm that you are human",
	"confirm you are a human", "confirm that you are a human",
	"verify that you are a real person", "confirm that you are a real",
	"challenge-response", "anti-spam verification",
	"подтвердите, что вы не робот", "подтвердите, что вы человек",
};

/* Where a free-text notice ends and the returned copy begins. */
static const char *const dsn_copy_markers[] = {
	"--- below this line is a copy of the message",
	"------ this is a copy of the message",
	"original message follows",
	"----- original message -----",
	"-----original message-----",
	"исходное сообщение",
	"текст исходного сообщения",
};

static const char *const dsn_copy_fields[] = {
	"received:", "return-path:", "message-id:", "from:", "to:",
	"subject:", "date:", "dkim-signature:",
};

static const char *const dsn_robot_locals[] = {
	"mailer-daemon", "postmaster", "double-bounce", "mail-daemon",
	"noreply", "no-reply",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- text helpers ---- */

/* The UTF-8 string with ASCII and Cyrillic letters in lower case and
 * white space runs made one blank, at most max bytes of it read. */
static char *
dsn_fold(const char *s, size_t max)
{
	struct buf	 b;
	size_t		 i, n = strnlen(s, max);
	int		 space = 0;
	char		*folded;

	buf_init(&b);
	buf_add(&b, "", 0);
	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		    s[i] == '\n') {
			space = 1;
			continue;
		}
		if (space && b.len > 0)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, s[i]);
	}
	folded = charset_fold(buf_cstr(&b), b.len);
	buf_free(&b);
	return folded;
}

static int
dsn_has_any(const char *folded, const char *const *phrases, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strstr(folded, phrases[i]) != NULL)
			return 1;
	return 0;
}

/* One line of valid UTF-8, white space collapsed, at most DSN_DIAG_MAX. */
static char *
dsn_clean(const char *s, size_t len)
{
	char	*u, *p, *q;
	size_t	 n;

	if (len > 4 * DSN_DIAG_MAX)
		len = 4 * DSN_DIAG_MAX;
	u = charset_utf8_sanitize(s, len);
	for (p = q = u; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			if (q > u && q[-1] != ' ')
				*q++ = ' ';
		} else
			*q++ = *p;
	}
	*q = '\0';
	n = strlen(str_trim(u));
	memmove(u, str_trim(u), n + 1);
	if (n >= DSN_DIAG_MAX) {
		n = DSN_DIAG_MAX - 1;
		while (n > 0 && ((unsigned char)u[n] & 0xc0) == 0x80)
			n--;
		u[n] = '\0';
	}
	return u;
}

/* ---- status codes ---- */

static int
dsn_digits(const char *s, size_t max, size_t *n)
{
	*n = 0;
	while (*n < max && s[*n] >= '0' && s[*n] <= '9')
		(*n)++;
	return *n > 0 && (s[*n] < '0' || s[*n] > '9');
}

/* An RFC 3463 code "c.sss.ddd" at s (class 2, 4 or 5): its length or 0. */
static size_t
dsn_status_at(const char *s)
{
	size_t	a, b;

	if ((s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
		return 0;
	if (!dsn_digits(s + 2, 3, &a) || s[2 + a] != '.' ||
	    !dsn_digits(s + 3 + a, 3, &b))
		return 0;
	if (s[3 + a + b] == '.')
		return 0;
	return 3 + a + b;
}

/* The first failure status (4.x.x or 5.x.x) in text, else one made from
 * an SMTP reply code ("550 " -> "5.0.0"); "" when there is none. */
static void
dsn_find_status(const char *text, char out[DSN_STATUS_MAX])
{
	const char	*p;
	size_t		 n;

	out[0] = '\0';
	for (p = text; *p != '\0'; p++) {
		if (p > text && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.'))
			continue;
		if (*p != '2' && (n = dsn_status_at(p)) > 0 && n < DSN_STATUS_MAX) {
			memcpy(out, p, n);
			out[n] = '\0';
			return;
		}
	}
	for (p = text; *p != '\0'; p++)
		if ((*p == '4' || *p == '5') && (p == text ||
		    !((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.')) &&
		    dsn_digits(p, 3, &n) && n == 3 &&
		    (p[3] == ' ' || p[3] == '-')) {
			str_lcpy(out, *p == '4' ? "4.0.0" : "5.0.0",
			    DSN_STATUS_MAX);
			return;
		}
}

enum dsn_kind
dsn_status_kind(const char *status)
{
	if (status == NULL)
		return DSN_NONE;
	while (*status == ' ' || *status == '#')
		status++;
	if (status[0] == '5')
		return DSN_HARD;
	if (status[0] == '4')
		return DSN_SOFT;
	return DSN_NONE;
}

const char *
dsn_kind_name(enum dsn_kind k)
{
	switch (k) {
	case DSN_HARD:
		return "hard";
	case DSN_SOFT:
		return "soft";
	default:
		return "none";
	}
}

/* ---- the report ---- */

static struct dsn_recipient *
dsn_add(struct dsn_report *rep)
{
	struct dsn_recipient	*r;

	if (rep->nrecipients >= DSN_MAX_RECIPIENTS)
		return NULL;
	if (rep->recipients == NULL)
		rep->recipients = xcalloc(DSN_MAX_RECIPIENTS, sizeof(*r));
	r = &rep->recipients[rep->nrecipients++];
	memset(r, 0, sizeof(*r));
	return r;
}

/* is_bounce, kind and reason from the recipients. */
static void
dsn_conclude(struct dsn_report *rep)
{
	size_t	i;
	int	delayed = 0;

	rep->kind = DSN_NONE;
	for (i = 0; i < rep->nrecipients; i++) {
		if (rep->recipients[i].kind > rep->kind)
			rep->kind = rep->recipients[i].kind;
		if (rep->recipients[i].action == DSN_ACTION_DELAYED)
			delayed = 1;
	}
	rep->is_bounce = rep->kind != DSN_NONE;
	if (!rep->is_bounce)
		rep->reason = delayed ? "delivery delayed" :
		    "no recipient failed";
}

void
dsn_report_free(struct dsn_report *rep)
{
	size_t	i;

	for (i = 0; i < rep->nrecipients; i++) {
		free(rep->recipients[i].address);
		free(rep->recipients[i].original);
		free(rep->recipients[i].diagnostic);
	}
	free(rep->recipients);
	memset(rep, 0, sizeof(*rep));
}

/* ---- RFC 3464 ---- */

static enum dsn_action
dsn_action_of(const char *v)
{
	static const struct {
		const char	*word;
		enum dsn_action	 action;
	} words[] = {
		{ "failed", DSN_ACTION_FAILED },
		{ "delayed", DSN_ACTION_DELAYED },
		{ "delivered", DSN_ACTION_DELIVERED },
		{ "relayed", DSN_ACTION_RELAYED },
		{ "expanded", DSN_ACTION_EXPANDED },
	};
	size_t	i;

	for (i = 0; i < NELEM(words); i++)
		if (str_has_prefix_ci(v, words[i].word))
			return words[i].action;
	return DSN_ACTION_UNKNOWN;
}

/* "rfc822; a@b" -> the normalised address, or NULL. */
static char *
dsn_typed_address(const char *v)
{
	const char	*semi = strchr(v, ';');
	char		*clean, *a;

	clean = dsn_clean(semi != NULL ? semi + 1 : v,
	    strlen(semi != NULL ? semi + 1 : v));
	a = address_normalize(clean);
	free(clean);
	return a;
}

static char *
dsn_block_field(const struct header_list *hl, const char *name)
{
	long	i = header_find(hl, name, 0);

	return i < 0 ? NULL : header_value(hl, (size_t)i);
}

static enum dsn_kind
dsn_recipient_kind(const struct dsn_recipient *r)
{
	enum dsn_kind	k = dsn_status_kind(r->status);

	switch (r->action) {
	case DSN_ACTION_FAILED:
		return k == DSN_NONE ? DSN_HARD : k;
	case DSN_ACTION_UNKNOWN:
		return k == DSN_HARD ? DSN_HARD : DSN_NONE;
	default:
		return DSN_NONE;
	}
}

static void
dsn_block_status(const struct header_list *hl, struct dsn_recipient *r)
{
	char		*v;
	const char	*semi;
	size_t		 n;

	if ((v = dsn_block_field(hl, "Diagnostic-Code")) != NULL) {
		semi = strchr(v, ';');
		r->diagnostic = dsn_clean(semi ? semi + 1 : v,
		    strlen(semi ? semi + 1 : v));
		free(v);
	}
	if ((v = dsn_block_field(hl, "Status")) != NULL) {
		str_trim(v);
		if ((n = dsn_status_at(v)) > 0 && n < DSN_STATUS_MAX) {
			memcpy(r->status, v, n);
			r->status[n] = '\0';
		}
		free(v);
	}
	if (r->status[0] == '\0' && r->diagnostic != NULL)
		dsn_find_status(r->diagnostic, r->status);
}

/* One block of fields: a recipient when it names one or says an action. */
static void
dsn_block(const struct header_list *hl, struct dsn_report *rep)
{
	struct dsn_recipient	*r;
	char			*v;

	if (header_find(hl, "Final-Recipient", 0) < 0 &&
	    header_find(hl, "Original-Recipient", 0) < 0 &&
	    header_find(hl, "Action", 0) < 0)
		return;
	if ((r = dsn_add(rep)) == NULL)
		return;
	if ((v = dsn_block_field(hl, "Final-Recipient")) != NULL) {
		r->address = dsn_typed_address(v);
		free(v);
	}
	if ((v = dsn_block_field(hl, "Original-Recipient")) != NULL) {
		r->original = dsn_typed_address(v);
		free(v);
	}
	if (r->address == NULL && r->original != NULL)
		r->address = xstrdup(r->original);
	if ((v = dsn_block_field(hl, "Action")) != NULL) {
		r->action = dsn_action_of(str_trim(v));
		free(v);
	}
	dsn_block_status(hl, r);
	r->kind = dsn_recipient_kind(r);
}

/* The fields of a message/delivery-status body, block after block. */
static void
dsn_status_body(const char *s, size_t len, struct dsn_report *rep)
{
	struct header_list	 hl;
	const char		*nl;
	size_t			 off = 0, adv;
	int			 blocks = 0;

	while (off < len && blocks++ < DSN_MAX_BLOCKS &&
	    rep->nrecipients < DSN_MAX_RECIPIENTS) {
		header_split(s + off, len - off, &hl);
		dsn_block(&hl, rep);
		adv = hl.body_offset;
		header_list_free(&hl);
		if (adv == 0) {	/* not a field: skip the line */
			nl = memchr(s + off, '\n', len - off);
			adv = nl == NULL ? len - off : (size_t)(nl - (s + off)) + 1;
		}
		off += adv;
	}
}

/* ---- finding the delivery-status part ---- */

static int
dsn_is_status_type(const struct mailmime_content *ct)
{
	if (ct == NULL || ct->ct_type == NULL || ct->ct_subtype == NULL ||
	    ct->ct_type->tp_type != MAILMIME_TYPE_COMPOSITE_TYPE ||
	    ct->ct_type->tp_data.tp_composite_type == NULL ||
	    ct->ct_type->tp_data.tp_composite_type->ct_type !=
	    MAILMIME_COMPOSITE_TYPE_MESSAGE)
		return 0;
	return strcasecmp(ct->ct_subtype, "delivery-status") == 0 ||
	    strcasecmp(ct->ct_subtype, "global-delivery-status") == 0;
}

static int
dsn_part_encoding(const struct mailmime *mm)
{
	clistiter		*it;
	struct mailmime_field	*f;

	if (mm->mm_mime_fields == NULL)
		return MAILMIME_MECHANISM_8BIT;
	for (it = clist_begin(mm->mm_mime_fields->fld_list); it != NULL;
	    it = clist_next(it)) {
		f = clist_content(it);
		if (f->fld_type == MAILMIME_FIELD_TRANSFER_ENCODING &&
		    f->fld_data.fld_encoding != NULL)
			return f->fld_data.fld_encoding->enc_type;
	}
	return MAILMIME_MECHANISM_8BIT;
}

/* Read the part's body, decoded, as delivery-status fields. */
static void
dsn_status_part(const struct mailmime *mm, struct dsn_report *rep)
{
	const char	*body;
	size_t		 blen, idx = 0, rlen = 0;
	char		*res = NULL;
	int		 enc;

	if (mm->mm_body == NULL || mm->mm_body->dt_type != MAILMIME_DATA_TEXT)
		return;
	body = mm->mm_body->dt_data.dt_text.dt_data;
	blen = mm->mm_body->dt_data.dt_text.dt_length;
	enc = dsn_part_encoding(mm);
	if (enc == MAILMIME_MECHANISM_BASE64 ||
	    enc == MAILMIME_MECHANISM_QUOTED_PRINTABLE) {
		if (mailmime_part_parse(body, blen, &idx, enc, &res, &rlen) ==
		    MAILIMF_NO_ERROR && res != NULL) {
			dsn_status_body(res, rlen, rep);
			mailmime_decoded_part_free(res);
		}
		return;
	}
	dsn_status_body(body, blen, rep);
}

/* Depth-first through the message's own parts; a returned copy
 * (message/rfc822 below the top) is not entered. */
static const struct mailmime *
dsn_walk(const struct mailmime *mm, int depth, size_t *nparts)
{
	const struct mailmime	*r;
	clistiter		*it;

	if (mm == NULL || depth > MESSAGE_MAX_DEPTH ||
	    (*nparts)++ >= MESSAGE_MAX_PARTS)
		return NULL;
	if (dsn_is_status_type(mm->mm_content_type))
		return mm;
	if (mm->mm_type == MAILMIME_MESSAGE)
		return depth == 0 ? dsn_walk(mm->mm_data.mm_message.mm_msg_mime,
		    depth + 1, nparts) : NULL;
	if (mm->mm_type != MAILMIME_MULTIPLE ||
	    mm->mm_data.mm_multipart.mm_mp_list == NULL)
		return NULL;
	for (it = clist_begin(mm->mm_data.mm_multipart.mm_mp_list);
	    it != NULL; it = clist_next(it))
		if ((r = dsn_walk(clist_content(it), depth + 1, nparts)) != NULL)
			return r;
	return NULL;
}

/* Bytes declaring a container part: libetpan recurses without a bound. */
static int
dsn_too_nested(const char *raw, size_t len)
{
	size_t		 n = 0, i;
	const char	*v;

	for (i = 0; i + 13 < len && n <= MESSAGE_MAX_PARTS; i++) {
		if ((i > 0 && raw[i - 1] != '\n') ||
		    strncasecmp(raw + i, "content-type:", 13) != 0)
			continue;
		v = raw + i + 13;
		while (v < raw + len && (*v == ' ' || *v == '\t'))
			v++;
		if ((size_t)(raw + len - v) > 9 &&
		    (strncasecmp(v, "multipart", 9) == 0 ||
		    strncasecmp(v, "message", 7) == 0))
			n++;
	}
	return n > MESSAGE_MAX_PARTS;
}

/*
 * When the MIME parser could not place the part (a stray ';' in its
 * Content-Type, say): the fields after the first header block that
 * declares message/delivery-status, up to the next boundary line.
 */
static void
dsn_status_raw(const char *copy, size_t len, struct dsn_report *rep)
{
	const char	*ct = copy, *body, *crlf, *end;
	int		 tries = 0;

	/* The first such part may hold prose; try each, a few at most. */
	while (rep->nrecipients == 0 && tries++ < 8 &&
	    (ct = strcasestr(ct, "message/delivery-status")) != NULL) {
		ct += 23;
		body = strstr(ct, "\n\n");
		crlf = strstr(ct, "\r\n\r\n");
		if (body == NULL || (crlf != NULL && crlf < body))
			body = crlf;
		if (body == NULL)
			return;
		body += body == crlf ? 4 : 2;
		if ((end = strstr(body, "\n--")) == NULL)
			end = copy + len;
		dsn_status_body(body, (size_t)(end - body), rep);
	}
}

/* 1 when the message holds a delivery-status part (read into rep). */
static int
dsn_rfc3464(const char *raw, size_t len, struct dsn_report *rep)
{
	struct mailmime		*mime = NULL;
	const struct mailmime	*part;
	char			*copy;
	size_t			 idx = 0, nparts = 0;

	if (len == 0 || dsn_too_nested(raw, len))
		return 0;
	copy = xmalloc(len + 1);
	memcpy(copy, raw, len);
	copy[len] = '\0';
	if (strcasestr(copy, "delivery-status") == NULL) {
		free(copy);
		return 0;
	}
	/* an mbox "From " line is not a header */
	if (strncmp(copy, "From ", 5) == 0 && strchr(copy, '\n') != NULL)
		idx = (size_t)(strchr(copy, '\n') - copy) + 1;
	if (mailmime_parse(copy, len, &idx, &mime) == MAILIMF_NO_ERROR &&
	    mime != NULL) {
		if ((part = dsn_walk(mime, 0, &nparts)) != NULL)
			dsn_status_part(part, rep);
		mailmime_free(mime);
	}
	if (rep->nrecipients == 0)
		dsn_status_raw(copy, len, rep);
	free(copy);
	return rep->nrecipients > 0;
}

/* ---- free-text notices ---- */

static int
dsn_local_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr(".!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

static int
dsn_domain_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c >= 0x80;
}

/* The next address in line from *pos, normalised; NULL when none. */
static char *
dsn_next_address(const char *line, size_t len, size_t *pos)
{
	size_t	 at, a, z;
	char	*cand, *addr;

	for (at = *pos; at < len; at++) {
		if (line[at] != '@')
			continue;
		for (a = at; a > 0 && dsn_local_ok(line[a - 1]); a--)
			;
		for (z = at + 1; z < len && dsn_domain_ok(line[z]); z++)
			;
		while (z > at + 1 && line[z - 1] == '.')
			z--;
		*pos = z > at ? z : at + 1;
		if (a == at || z == at + 1 || line[a] == '.' ||
		    memchr(line + at + 1, '.', z - at - 1) == NULL)
			continue;
		cand = xstrndup(line + a, z - a);
		addr = address_normalize(cand);
		free(cand);
		if (addr != NULL)
			return addr;
	}
	*pos = len;
	return NULL;
}

static int
dsn_is_robot(const char *addr, const char *from)
{
	size_t	i, n = strcspn(addr, "@");

	if (from != NULL && strcasecmp(addr, from) == 0)
		return 1;
	for (i = 0; i < NELEM(dsn_robot_locals); i++)
		if (strlen(dsn_robot_locals[i]) == n &&
		    strncasecmp(addr, dsn_robot_locals[i], n) == 0)
			return 1;
	return 0;
}

/* The lines of the notice before the returned copy, in place. */
static size_t
dsn_lines(char *text, char **lines, size_t max)
{
	size_t	 n = 0, i;
	char	*p = text, *nl, *f;
	int	 stop;

	while (p != NULL && *p != '\0' && n < max) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		f = dsn_fold(p, 200);
		stop = dsn_has_any(f, dsn_copy_markers, NELEM(dsn_copy_markers));
		for (i = 0; !stop && i < NELEM(dsn_copy_fields); i++)
			stop = strncmp(f, dsn_copy_fields[i],
			    strlen(dsn_copy_fields[i])) == 0 && p[0] != ' ' &&
			    p[0] != '\t';
		free(f);
		if (stop)
			break;
		lines[n++] = p;
		p = nl != NULL ? nl + 1 : NULL;
	}
	return n;
}

static struct dsn_recipient *
dsn_find_recipient(struct dsn_report *rep, const char *addr)
{
	size_t	i;

	for (i = 0; i < rep->nrecipients; i++)
		if (strcmp(rep->recipients[i].address, addr) == 0)
			return &rep->recipients[i];
	return NULL;
}

/* The text about the address of lines[i]: the rest of that line and
 * what follows, up to a blank line or a line naming another address. */
static char *
dsn_segment(char **lines, size_t n, size_t i, size_t from,
    const char *addr)
{
	struct buf	 b;
	size_t		 k, pos;
	char		*other, *r;

	buf_init(&b);
	from += strspn(lines[i] + from, " \t\r<>:(),;");
	buf_adds(&b, lines[i] + from);
	for (k = i + 1; k < n && k <= i + DSN_SEGMENT_LINES; k++) {
		if (strspn(lines[k], " \t\r") == strlen(lines[k])) {
			if (b.len > 0 && strspn(b.data, " \t\r<>:()") != b.len)
				break;
			continue;
		}
		pos = 0;
		if ((other = dsn_next_address(lines[k], strlen(lines[k]),
		    &pos)) != NULL && strcmp(other, addr) != 0) {
			free(other);
			break;
		}
		free(other);
		buf_addc(&b, ' ');
		buf_adds(&b, lines[k]);
	}
	r = dsn_clean(b.len ? b.data : "", b.len);
	buf_free(&b);
	return r;
}

static enum dsn_kind
dsn_text_kind(const char *status, const char *segment, enum dsn_kind dflt)
{
	char	*f;
	int	 soft;

	if (status[0] != '\0')
		return dsn_status_kind(status);
	f = dsn_fold(segment, DSN_DIAG_MAX);
	soft = dsn_has_any(f, dsn_soft_phrases, NELEM(dsn_soft_phrases));
	free(f);
	return soft ? DSN_SOFT : dflt;
}

/* A recipient named in the text; a second mention may give the status. */
static void
dsn_text_recipient(struct dsn_report *rep, const char *addr, char *segment,
    enum dsn_kind dflt)
{
	struct dsn_recipient	*r;
	char			 status[DSN_STATUS_MAX];

	dsn_find_status(segment, status);
	if ((r = dsn_find_recipient(rep, addr)) != NULL) {
		if (r->status[0] == '\0' && status[0] != '\0') {
			str_lcpy(r->status, status, sizeof r->status);
			free(r->diagnostic);
			r->diagnostic = segment;
			r->kind = dsn_status_kind(status);
		} else
			free(segment);
		return;
	}
	if ((r = dsn_add(rep)) == NULL) {
		free(segment);
		return;
	}
	r->address = xstrdup(addr);
	r->action = DSN_ACTION_FAILED;
	str_lcpy(r->status, status, sizeof r->status);
	r->kind = dsn_text_kind(status, segment, dflt);
	if (segment[0] == '\0')
		free(segment);
	else
		r->diagnostic = segment;
}

/* The recipients of a free-text notice: the addresses before the copy. */
static void
dsn_freetext(const struct message *m, enum dsn_kind dflt,
    struct dsn_report *rep)
{
	char	*text, **lines, *addr;
	size_t	 n, i, pos;

	text = xstrndup(m->text, DSN_SCAN_MAX);
	lines = xcalloc(DSN_MAX_LINES, sizeof(*lines));
	n = dsn_lines(text, lines, DSN_MAX_LINES);
	for (i = 0; i < n && rep->nrecipients < DSN_MAX_RECIPIENTS; i++) {
		pos = 0;
		while ((addr = dsn_next_address(lines[i], strlen(lines[i]),
		    &pos)) != NULL) {
			if (!dsn_is_robot(addr, m->from_addr))
				dsn_text_recipient(rep, addr, dsn_segment(lines,
				    n, i, pos, addr), dflt);
			free(addr);
		}
	}
	free(lines);
	free(text);
}

/* ---- automatic replies ---- */

static const struct dsn_signature dsn_subjects[] = {
	{ "undelivered mail returned to sender", "postfix" },
	{ "mail delivery failed", "exim" },
	{ "failure notice", "qmail" },
	{ "undeliverable:", "exchange" },
	{ "недоставленное сообщение", "russian" },
	{ "письмо не доставлено", "russian" },
	{ "сообщение не доставлено", "russian" },
};

static const char *
dsn_signature_of(const char *flat, const char *subject)
{
	size_t	i;

	for (i = 0; i < NELEM(dsn_signatures); i++)
		if (strstr(flat, dsn_signatures[i].phrase) != NULL)
			return dsn_signatures[i].format;
	for (i = 0; i < NELEM(dsn_subjects); i++)
		if (strstr(subject, dsn_subjects[i].phrase) != NULL)
			return dsn_subjects[i].format;
	return NULL;
}

/* Fields only automatic answers carry; NULL when there is none. */
static const char *
dsn_autoreply_fields(const struct message *m, const char *subject)
{
	static const char *const auto_names[] = {
		"autorepl", "auto-reply", "autorespond", "vacation",
	};
	static const char *const challenge_names[] = {
		"challenge", "tmda", "boxtrapper", "spamarrest",
	};
	struct header_list	 hl;
	const char		*reason = NULL;
	char			*name, *v;
	size_t			 i;

	header_split(m->raw, m->raw_len, &hl);
	for (i = 0; i < hl.nfields && reason == NULL; i++) {
		v = xstrndup(hl.fields[i].name, hl.fields[i].name_len);
		name = dsn_fold(v, 64);
		free(v);
		if (dsn_has_any(name, challenge_names, NELEM(challenge_names)))
			reason = "challenge-response";
		else if (dsn_has_any(name, auto_names, NELEM(auto_names)))
			reason = "automatic reply";
		free(name);
	}
	header_list_free(&hl);
	if (reason == NULL && (v = message_header(m, "Precedence")) != NULL) {
		if (str_has_prefix_ci(str_trim(v), "auto_reply"))
			reason = "automatic reply";
		free(v);
	}
	if (reason == NULL && dsn_has_any(subject, dsn_vacation_subjects,
	    NELEM(dsn_vacation_subjects)))
		reason = "automatic reply";
	return reason;
}

/* Auto-Submitted or the sentences of vacation and challenge mails. */
static const char *
dsn_autoreply_text(const struct message *m, const char *flat,
    const char *subject)
{
	const char	*reason = NULL;
	char		*v;

	if (dsn_has_any(flat, dsn_challenge_phrases,
	    NELEM(dsn_challenge_phrases)) || dsn_has_any(subject,
	    dsn_challenge_phrases, NELEM(dsn_challenge_phrases)))
		return "challenge-response";
	if ((v = message_header(m, "Auto-Submitted")) != NULL) {
		if (!str_has_prefix_ci(str_trim(v), "no"))
			reason = "automatic reply";
		free(v);
	}
	if (reason == NULL && dsn_has_any(flat, dsn_vacation_phrases,
	    NELEM(dsn_vacation_phrases)))
		reason = "automatic reply";
	return reason;
}

/* A recognised notice: its recipients, or its kind alone when it names
 * none (the VERP address still says whose it is). */
static void
dsn_notice(const struct message *m, const char *flat, const char *format,
    struct dsn_report *rep)
{
	enum dsn_kind	dflt;

	rep->format = format;
	if (dsn_has_any(flat, dsn_delay_phrases, NELEM(dsn_delay_phrases)) &&
	    !dsn_has_any(flat, dsn_failure_phrases,
	    NELEM(dsn_failure_phrases))) {
		rep->reason = "delivery delayed";
		return;
	}
	dflt = dsn_has_any(flat, dsn_soft_phrases, NELEM(dsn_soft_phrases)) ?
	    DSN_SOFT : DSN_HARD;
	dsn_freetext(m, dflt, rep);
	dsn_conclude(rep);
	if (rep->nrecipients == 0) {
		rep->is_bounce = 1;
		rep->kind = dflt;
		rep->reason = NULL;
	}
}

/* Everything that is not an RFC 3464 report. */
static void
dsn_informal(const struct message *m, struct dsn_report *rep)
{
	char		*subject, *flat;
	const char	*format;

	subject = dsn_fold(m->subject, 1024);
	flat = dsn_fold(m->text, DSN_SCAN_MAX);
	if ((rep->reason = dsn_autoreply_fields(m, subject)) == NULL) {
		if ((format = dsn_signature_of(flat, subject)) != NULL)
			dsn_notice(m, flat, format, rep);
		else if ((rep->reason = dsn_autoreply_text(m, flat,
		    subject)) == NULL)
			rep->reason = dsn_has_any(flat, dsn_delay_phrases,
			    NELEM(dsn_delay_phrases)) ? "delivery delayed" :
			    "not a delivery report";
	}
	free(subject);
	free(flat);
}

void
dsn_parse(const char *raw, size_t len, struct dsn_report *rep)
{
	struct message	*m;

	memset(rep, 0, sizeof(*rep));
	if (raw == NULL)
		len = 0;
	if (dsn_rfc3464(raw, len, rep)) {
		rep->format = "rfc3464";
		dsn_conclude(rep);
		return;
	}
	dsn_report_free(rep);
	m = message_parse(raw, len);
	dsn_informal(m, rep);
	message_free(m);
}
