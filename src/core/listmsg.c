/*
 * listmsg: see listmsg.h.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/listmsg.h"
#include "core/loop.h"
#include "core/site.h"
#include "mail/header.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const char *const listmsg_dropped[] = {
	"Return-Path", "Delivered-To", "X-Original-To", "List-Id",
	"List-Post", "List-Help", "List-Subscribe", "List-Unsubscribe",
	"List-Unsubscribe-Post", "List-Archive", "List-Owner", "Archived-At",
	"Precedence", "X-Loop", "DKIM-Signature",
};

static int
listmsg_is(const struct header_field *f, const char *name)
{
	return f->name_len == strlen(name) &&
	    strncasecmp(f->name, name, f->name_len) == 0;
}

static int
listmsg_drop(const struct header_field *f)
{
	size_t	i;

	for (i = 0; i < sizeof listmsg_dropped / sizeof listmsg_dropped[0];
	    i++)
		if (listmsg_is(f, listmsg_dropped[i]))
			return 1;
	return 0;
}

char *
listmsg_subject(const char *subject, const char *tag)
{
	if (tag == NULL || *tag == '\0' || strstr(subject, tag) != NULL)
		return xstrdup(subject);
	if (*subject == '\0')
		return xstrdup(tag);
	return xasprintf("%s %s", tag, subject);
}

/* A field whose value may be folded (with LF) by header_encode. */
static void
listmsg_field(struct buf *b, const char *eol, const char *name,
    const char *value)
{
	const char	*p;

	buf_addf(b, "%s: ", name);
	for (p = value; *p != '\0'; p++) {
		if (*p == '\n')
			buf_adds(b, eol);
		else if (*p != '\r')
			buf_addc(b, *p);
	}
	buf_adds(b, eol);
}

static void
listmsg_subject_field(struct buf *b, const char *eol,
    const struct listmsg_input *in)
{
	char	*s, *enc;

	s = listmsg_subject(in->msg->subject, in->list->subject_tag);
	enc = header_encode(s, strlen("Subject"));
	listmsg_field(b, eol, "Subject", enc);
	free(enc);
	free(s);
}

static void
listmsg_from_field(struct buf *b, const char *eol,
    const struct listmsg_input *in)
{
	const struct message	*m = in->msg;
	char			*name, *addr, *v;
	const char		*who;

	who = (m->from_name && *m->from_name) ? m->from_name :
	    (m->from_addr ? m->from_addr : "?");
	name = xasprintf("%s via %s", who, in->list->title);
	addr = site_list_address(in->cfg, in->list, "");
	v = header_encode_address(name, addr);
	listmsg_field(b, eol, "From", v);
	free(v);
	free(addr);
	free(name);
	if (m->reply_to == NULL && m->from_addr != NULL) {
		v = header_encode_address(m->from_name, m->from_addr);
		listmsg_field(b, eol, "Reply-To", v);
		free(v);
	}
}

static void
listmsg_mailto(struct buf *b, const char *eol, const struct listmsg_input *in,
    const char *name, const char *suffix, const char *url)
{
	char	*addr = site_list_address(in->cfg, in->list, suffix);

	if (url != NULL)
		buf_addf(b, "%s: <mailto:%s>, <%s>%s", name, addr, url, eol);
	else
		buf_addf(b, "%s: <mailto:%s>%s", name, addr, eol);
	free(addr);
}

static void
listmsg_list_fields(struct buf *b, const char *eol,
    const struct listmsg_input *in)
{
	const struct list_config	*l = in->list;
	char				*title, *enc, *marker;

	enc = header_encode(l->title, strlen("List-Id"));
	title = xasprintf("%s <%s.%s>", enc, l->name, in->cfg->domain);
	listmsg_field(b, eol, "List-Id", title);
	free(title);
	free(enc);
	listmsg_mailto(b, eol, in, "List-Post", "", NULL);
	listmsg_mailto(b, eol, in, "List-Help", "+help", NULL);
	listmsg_mailto(b, eol, in, "List-Subscribe", "+subscribe", NULL);
	listmsg_mailto(b, eol, in, "List-Unsubscribe", "+unsubscribe",
	    l->unsubscribe_url);
	if (l->unsubscribe_url != NULL)
		listmsg_field(b, eol, "List-Unsubscribe-Post",
		    "List-Unsubscribe=One-Click");
	listmsg_mailto(b, eol, in, "List-Owner", "-owner", NULL);
	if (l->archive_url != NULL) {
		buf_addf(b, "List-Archive: <%s>%s", l->archive_url, eol);
		buf_addf(b, "Archived-At: <%s%s%lld>%s", l->archive_url,
		    l->archive_url[strlen(l->archive_url) - 1] == '/' ? "" : "/",
		    (long long)in->number, eol);
	}
	listmsg_field(b, eol, "Precedence", "list");
	marker = loop_marker(in->cfg);
	listmsg_field(b, eol, "X-Loop", marker);
	free(marker);
}

/* The line ending of the first line: CRLF or LF. */
static const char *
listmsg_eol(const char *raw, size_t len)
{
	const char	*nl = memchr(raw, '\n', len);

	return (nl != NULL && nl > raw && nl[-1] == '\r') ? "\r\n" : "\n";
}

char *
listmsg_build(const struct listmsg_input *in, size_t *len)
{
	const struct message	*m = in->msg;
	struct header_list	 hl;
	struct buf		 b;
	const char		*eol;
	size_t			 i;

	header_split(m->raw, m->raw_len, &hl);
	eol = listmsg_eol(m->raw, m->raw_len);
	buf_init(&b);
	for (i = 0; i < hl.nfields; i++) {
		const struct header_field *f = &hl.fields[i];

		if (listmsg_drop(f))
			continue;
		if (listmsg_is(f, "Subject"))
			continue;
		if (in->rewrite_from && listmsg_is(f, "From"))
			continue;
		buf_add(&b, f->start, f->len);
	}
	if (in->message_id != NULL)
		buf_addf(&b, "Message-ID: <%s>%s", in->message_id, eol);
	listmsg_subject_field(&b, eol, in);
	if (in->rewrite_from)
		listmsg_from_field(&b, eol, in);
	listmsg_list_fields(&b, eol, in);
	buf_adds(&b, eol);
	if (hl.body_offset < m->raw_len)
		buf_add(&b, m->raw + hl.body_offset, m->raw_len -
		    hl.body_offset);
	header_list_free(&hl);
	*len = b.len;
	return buf_detach(&b);
}
