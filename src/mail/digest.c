/*
 * digest: see digest.h.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail/digest.h"
#include "mail/header.h"
#include "mail/message.h"
#include "util/buf.h"
#include "util/rnd.h"
#include "util/xmalloc.h"

#define DIGEST_SEP_TOC	"----------------------------------------------------------------------"
#define DIGEST_SEP_POST	"------------------------------"

/* The digest's own words; texts with values are inline, by language. */
struct digest_text {
	const char	*topics;
	const char	*attachment_kept;
	const char	*no_subject;
};

static const struct digest_text digest_ru = {
	"Темы этого выпуска:",
	"Письма целиком, с вложениями, идут ниже отдельными частями.",
	"(без темы)"
};

static const struct digest_text digest_en = {
	"Today's topics:",
	"The whole messages, attachments included, follow as parts.",
	"(no subject)"
};

static const struct digest_text *
digest_text(const char *lang)
{
	return lang != NULL && strcmp(lang, "en") == 0 ? &digest_en :
	    &digest_ru;
}

/* The first <msg-id> of a References or In-Reply-To value; new string. */
static char *
digest_first_id(const char *v)
{
	const char	*a, *b;

	if (v == NULL || (a = strchr(v, '<')) == NULL ||
	    (b = strchr(a, '>')) == NULL)
		return v != NULL && *v != '\0' && strchr(v, '<') == NULL ?
		    xstrdup(v) : NULL;
	return xstrndup(a + 1, (size_t)(b - a - 1));
}

/* A thread's key: the oldest ancestor the post names, else itself. */
static char *
digest_thread_key(const struct message *m, size_t i)
{
	char	*k;

	if ((k = digest_first_id(m->references)) != NULL)
		return k;
	if (m->in_reply_to != NULL && *m->in_reply_to != '\0')
		return xstrdup(m->in_reply_to);
	if (m->message_id != NULL && *m->message_id != '\0')
		return xstrdup(m->message_id);
	return xasprintf("#%zu", i);
}

static struct message **
digest_parse_all(const struct digest_post *p, size_t n)
{
	struct message	**m = xcalloc(n ? n : 1, sizeof *m);
	size_t		  i;

	for (i = 0; i < n; i++)
		m[i] = message_parse(p[i].raw, p[i].len);
	return m;
}

static void
digest_free_all(struct message **m, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		message_free(m[i]);
	free(m);
}

/* A reply whose parent is in the digest joins the parent's thread. */
static void
digest_join_parents(struct message **m, char **key, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (j != i && m[j]->message_id != NULL &&
			    strcmp(key[i], m[j]->message_id) == 0 &&
			    strcmp(key[j], key[i]) != 0) {
				free(key[i]);
				key[i] = xstrdup(key[j]);
				break;
			}
}

static int
digest_number_cmp(const struct digest_post *p, size_t a, size_t b)
{
	return p[a].number < p[b].number ? -1 : p[a].number > p[b].number;
}

static size_t *
digest_order_parsed(const struct digest_post *p, struct message **m,
    size_t n)
{
	size_t	*order = xcalloc(n ? n : 1, sizeof *order), *byn, i, j, k = 0;
	char	**key = xcalloc(n ? n : 1, sizeof *key);
	char	 *done = xcalloc(n ? n : 1, 1);

	byn = xcalloc(n ? n : 1, sizeof *byn);
	for (i = 0; i < n; i++) {
		key[i] = digest_thread_key(m[i], i);
		byn[i] = i;
	}
	digest_join_parents(m, key, n);
	for (i = 1; i < n; i++)		/* insertion sort by number */
		for (j = i; j > 0 && digest_number_cmp(p, byn[j - 1],
		    byn[j]) > 0; j--) {
			size_t t = byn[j]; byn[j] = byn[j - 1]; byn[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (done[byn[i]])
			continue;
		for (j = i; j < n; j++)
			if (!done[byn[j]] && strcmp(key[byn[j]],
			    key[byn[i]]) == 0) {
				done[byn[j]] = 1;
				order[k++] = byn[j];
			}
	}
	for (i = 0; i < n; i++)
		free(key[i]);
	free(key);
	free(done);
	free(byn);
	return order;
}

size_t *
digest_order(const struct digest_post *p, size_t n)
{
	struct message	**m = digest_parse_all(p, n);
	size_t		 *order = digest_order_parsed(p, m, n);

	digest_free_all(m, n);
	return order;
}

char *
digest_subject(const struct digest_input *in)
{
	const struct digest_text	*t = digest_text(in->lang);
	char				*s, *r;

	s = xasprintf(t == &digest_en ? "%s digest, Vol %lld, Issue %lld" :
	    "Дайджест «%s», том %lld, выпуск %lld", in->title,
	    (long long)in->volume, (long long)in->issue);
	if (in->subject_tag == NULL || *in->subject_tag == '\0')
		return s;
	r = xasprintf("%s %s", in->subject_tag, s);
	free(s);
	return r;
}

static void
digest_headers(struct buf *b, const struct digest_input *in)
{
	char	*subject, *enc, *from, *to;

	subject = digest_subject(in);
	enc = header_encode(subject, strlen("Subject"));
	from = header_encode_address(in->title, in->from);
	to = header_encode_address(in->title, in->to);
	buf_addf(b, "From: %s\nTo: %s\nSubject: %s\nDate: %s\n"
	    "Message-ID: <%s>\nMIME-Version: 1.0\n", from, to, enc, in->date,
	    in->message_id);
	if (in->headers != NULL)
		buf_adds(b, in->headers);
	free(to);
	free(from);
	free(enc);
	free(subject);
}

static const char *
digest_post_subject(const struct digest_text *t, const struct message *m)
{
	return m->subject != NULL && *m->subject != '\0' ? m->subject :
	    t->no_subject;
}

static void
digest_toc(struct buf *b, const struct digest_input *in,
    struct message **m, const size_t *order)
{
	const struct digest_text	*t = digest_text(in->lang);
	size_t				 i;
	const struct message		*p;

	buf_addf(b, t == &digest_en ? "Posts of \"%s\"" :
	    "Письма списка «%s»", in->title);
	buf_addf(b, ", %s\n\n%s\n\n", in->date_human, t->topics);
	for (i = 0; i < in->nposts; i++) {
		p = m[order[i]];
		buf_addf(b, "  %2zu. %s (%s)\n", i + 1,
		    digest_post_subject(t, p), p->from_name != NULL &&
		    *p->from_name != '\0' ? p->from_name :
		    p->from_addr != NULL ? p->from_addr : "?");
	}
}

/* A boundary that occurs in none of the posts. */
static void
digest_boundary(const struct digest_input *in, char *out, size_t sz)
{
	char	hex[33];
	size_t	i;
	int	clash;

	do {
		rnd_hex(hex, 12);
		snprintf(out, sz, "=_digest_%s", hex);
		clash = 0;
		for (i = 0; i < in->nposts && !clash; i++)
			clash = memmem(in->posts[i].raw, in->posts[i].len,
			    out, strlen(out)) != NULL;
	} while (clash);
}

/* The post's bytes with CRLF made LF, ending in a line end. */
static void
digest_add_lf(struct buf *b, const char *raw, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!(raw[i] == '\r' && i + 1 < len && raw[i + 1] == '\n'))
			buf_addc(b, raw[i]);
	if (len > 0 && raw[len - 1] != '\n')
		buf_addc(b, '\n');
}

static void
digest_mime(struct buf *b, const struct digest_input *in,
    struct message **m, const size_t *order)
{
	const struct digest_text	*t = digest_text(in->lang);
	char				 outer[64], inner[64];
	size_t				 i;

	digest_boundary(in, outer, sizeof outer);
	digest_boundary(in, inner, sizeof inner);
	buf_addf(b, "Content-Type: multipart/mixed; boundary=\"%s\"\n\n"
	    "--%s\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n"
	    "Content-Disposition: inline\n\n", outer, outer);
	digest_toc(b, in, m, order);
	buf_addf(b, "\n%s\n\n--%s\nContent-Type: multipart/digest; "
	    "boundary=\"%s\"\n\n", t->attachment_kept, outer, inner);
	for (i = 0; i < in->nposts; i++) {
		buf_addf(b, "--%s\nContent-Type: message/rfc822\n\n", inner);
		digest_add_lf(b, in->posts[order[i]].raw,
		    in->posts[order[i]].len);
	}
	buf_addf(b, "--%s--\n\n--%s--\n", inner, outer);
}

static void
digest_size_text(const char *lang, size_t n, char *out, size_t sz)
{
	int	en = lang != NULL && strcmp(lang, "en") == 0;

	if (n >= 1024 * 1024)
		snprintf(out, sz, "%.1f %s", (double)n / (1024.0 * 1024.0),
		    en ? "MB" : "МБ");
	else
		snprintf(out, sz, "%zu %s", (n + 1023) / 1024,
		    en ? "KB" : "КБ");
}

/* The text, with a line that would read as a separator shifted. */
static void
digest_plain_text(struct buf *b, const char *text)
{
	const char	*p = text, *nl;
	size_t		 len;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len >= 30 && strspn(p, "-") >= 30)
			buf_addc(b, ' ');
		buf_add(b, p, len);
		buf_addc(b, '\n');
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

static void
digest_plain_post(struct buf *b, const struct digest_input *in,
    const struct message *m)
{
	const struct digest_text	*t = digest_text(in->lang);
	char				 size[32], *from;
	size_t				 i;

	from = m->from_addr == NULL ? xstrdup("?") : m->from_name != NULL &&
	    *m->from_name != '\0' ? xasprintf("%s <%s>", m->from_name,
	    m->from_addr) : xstrdup(m->from_addr);
	if (m->date != NULL && *m->date != '\0')
		buf_addf(b, "Date: %s\n", m->date);
	buf_addf(b, "From: %s\nSubject: %s\n", from,
	    digest_post_subject(t, m));
	if (m->message_id != NULL)
		buf_addf(b, "Message-ID: <%s>\n", m->message_id);
	buf_addc(b, '\n');
	digest_plain_text(b, m->text != NULL ? m->text : "");
	for (i = 0; i < m->nattachments; i++) {
		digest_size_text(in->lang, m->attachments[i].len, size,
		    sizeof size);
		buf_addc(b, '\n');
		buf_addf(b, t == &digest_en ? "[Attachment: %s (%s, %s), "
		    "kept in the list's archive]" : "[Вложение: %s (%s, %s), "
		    "оно в архиве списка]",
		    m->attachments[i].filename ?
		    m->attachments[i].filename : "?",
		    m->attachments[i].content_type ?
		    m->attachments[i].content_type : "?", size);
		buf_addc(b, '\n');
	}
	free(from);
}

static void
digest_plain(struct buf *b, const struct digest_input *in,
    struct message **m, const size_t *order)
{
	const struct digest_text	*t = digest_text(in->lang);
	size_t				 i;
	char				*end;

	buf_adds(b, "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n");
	digest_toc(b, in, m, order);
	buf_addf(b, "\n%s\n\n", DIGEST_SEP_TOC);
	for (i = 0; i < in->nposts; i++) {
		digest_plain_post(b, in, m[order[i]]);
		buf_addf(b, "\n%s\n\n", DIGEST_SEP_POST);
	}
	end = xasprintf(t == &digest_en ? "End of %s digest, Vol %lld, "
	    "Issue %lld" : "Конец дайджеста «%s», том %lld, выпуск %lld",
	    in->title, (long long)in->volume, (long long)in->issue);
	buf_addf(b, "%s\n", end);
	for (i = 0; i < strlen(end) && i < 70; i++)
		buf_addc(b, '*');
	buf_addc(b, '\n');
	free(end);
}

char *
digest_render(const struct digest_input *in, enum digest_format f,
    size_t *len)
{
	struct message	**m = digest_parse_all(in->posts, in->nposts);
	size_t		 *order = digest_order_parsed(in->posts, m,
			    in->nposts);
	struct buf	  b;

	buf_init(&b);
	digest_headers(&b, in);
	if (f == DIGEST_MIME)
		digest_mime(&b, in, m, order);
	else
		digest_plain(&b, in, m, order);
	free(order);
	digest_free_all(m, in->nposts);
	*len = b.len;
	return buf_detach(&b);
}
