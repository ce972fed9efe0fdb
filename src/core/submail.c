/*
 * submail: see submail.h.
 */
#include <config.h>

#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/loop.h"
#include "core/site.h"
#include "core/submail.h"
#include "mail/header.h"
#include "util/atomicfile.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#define SUBMAIL_VARS_MAX	48
#define SUBMAIL_FILE_MAX	((size_t)1 << 30)
#define SUBMAIL_B64_LINE	57	/* bytes per 76-character line */
#define SUBMAIL_2231_CHUNK	60	/* encoded bytes per continuation */

static const struct {
	const char	*type;
	const char	*mime;
} submail_types[] = {
	{ "pdf", "application/pdf" },
	{ "docx", "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet" },
	{ "pptx", "application/vnd.openxmlformats-officedocument."
	    "presentationml.presentation" },
	{ "odt", "application/vnd.oasis.opendocument.text" },
	{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
	{ "odp", "application/vnd.oasis.opendocument.presentation" },
	{ "zip", "application/zip" },
	{ "doc", "application/msword" },
	{ "xls", "application/vnd.ms-excel" },
	{ "ppt", "application/vnd.ms-powerpoint" },
};

const char *
submail_mime_type(const char *type)
{
	size_t	i;

	for (i = 0; i < sizeof submail_types / sizeof submail_types[0]; i++)
		if (strcmp(submail_types[i].type, type) == 0)
			return submail_types[i].mime;
	return "application/octet-stream";
}

void
submail_size(int64_t n, const char *lang, char *out, size_t sz)
{
	int	en = strcmp(lang, "en") == 0;
	int	w;

	if (n >= 1024 * 1024)
		w = snprintf(out, sz, "%.1f %s", (double)n / (1024.0 * 1024.0),
		    en ? "MB" : "МБ");
	else if (n >= 1024)
		w = snprintf(out, sz, "%.0f %s", (double)n / 1024.0,
		    en ? "KB" : "КБ");
	else
		w = snprintf(out, sz, "%lld %s", (long long)n,
		    en ? "bytes" : "байт");
	if (w < 0 || (size_t)w >= sz)
		out[0] = '\0';
	else if (!en)
		for (; *out != '\0'; out++)
			if (*out == '.')
				*out = ',';
}

int
submail_render(struct site *s, const struct list_config *l,
    const char *template, const struct template_var *extra, size_t nextra,
    struct template_text *t)
{
	struct template_var	 v[SUBMAIL_VARS_MAX];
	char			*post, *request, *submit, *site, date[64];
	size_t			 n = 0, i;
	int			 rc;

	post = site_list_address(s->cfg, l, "");
	request = site_list_address(s->cfg, l, "-request");
	submit = site_list_address(s->cfg, l, "+submit");
	site = xasprintf("%s@%s", s->cfg->site_address, s->cfg->domain);
	time_human_date(time(NULL), l->language, date, sizeof date);
	v[n++] = (struct template_var){ "list_title", l->title };
	v[n++] = (struct template_var){ "list_name", l->name };
	v[n++] = (struct template_var){ "list_address", post };
	v[n++] = (struct template_var){ "request_address", request };
	v[n++] = (struct template_var){ "submit_address", submit };
	v[n++] = (struct template_var){ "site_address", site };
	v[n++] = (struct template_var){ "site_name", s->cfg->site_name };
	v[n++] = (struct template_var){ "date", date };
	for (i = 0; i < nextra && n < SUBMAIL_VARS_MAX; i++)
		v[n++] = extra[i];
	rc = template_render(s->cfg->templates_dir, l->language, template, v,
	    n, t);
	free(post);
	free(request);
	free(submit);
	free(site);
	return rc;
}

static void
submail_base64(struct buf *b, const unsigned char *data, size_t len)
{
	char	line[BASE64_ENCODE_RAW_LENGTH(SUBMAIL_B64_LINE) + 1];
	size_t	n, off;

	for (off = 0; off < len; off += n) {
		n = len - off < SUBMAIL_B64_LINE ? len - off : SUBMAIL_B64_LINE;
		base64_encode_raw(line, n, data + off);
		buf_add(b, line, BASE64_ENCODE_RAW_LENGTH(n));
		buf_addc(b, '\n');
	}
}

/* RFC 2231: filename*0*=UTF-8''%D0%9F...; continued every chunk. */
static void
submail_param_2231(struct buf *b, const char *name)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)name;
	size_t			 part = 0, used = 0;

	buf_addf(b, ";\n filename*0*=UTF-8''");
	for (; *p != '\0'; p++) {
		if (used >= SUBMAIL_2231_CHUNK) {
			buf_addf(b, ";\n filename*%zu*=", ++part);
			used = 0;
		}
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		    *p == '_') {
			buf_addc(b, *p);
			used++;
		} else {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 15]);
			used += 3;
		}
	}
}

/* name="=?UTF-8?B?...?=" for readers that know no RFC 2231. */
static void
submail_param_2047(struct buf *b, const char *name)
{
	size_t	 len = strlen(name);
	char	*enc = xmalloc(BASE64_ENCODE_RAW_LENGTH(len) + 1);

	base64_encode_raw(enc, len, (const uint8_t *)name);
	enc[BASE64_ENCODE_RAW_LENGTH(len)] = '\0';
	buf_addf(b, ";\n name=\"=?UTF-8?B?%s?=\"", enc);
	free(enc);
}

static int
submail_file(struct buf *b, const char *boundary,
    const struct submission_file *f)
{
	char	*data;
	size_t	 len;

	if ((data = atomicfile_read(f->path, SUBMAIL_FILE_MAX, &len)) ==
	    NULL) {
		log_warn("submail: %s", f->path);
		return -1;
	}
	buf_addf(b, "--%s\nContent-Type: %s", boundary,
	    submail_mime_type(f->type));
	submail_param_2047(b, f->name);
	buf_adds(b, "\nContent-Disposition: attachment");
	submail_param_2231(b, f->name);
	buf_addf(b, "\nContent-Transfer-Encoding: base64\n\n");
	submail_base64(b, (const unsigned char *)data, len);
	free(data);
	return 0;
}

static void
submail_headers(struct buf *b, const struct config *cfg,
    const struct submail *m)
{
	char	 date[64], *subject, *marker;

	time_rfc5322(time(NULL), date, sizeof date);
	subject = header_encode(m->subject, strlen("Subject"));
	buf_addf(b, "From: %s\nTo: %s\nSubject: %s\nDate: %s\n"
	    "Message-ID: <%s>\nMIME-Version: 1.0\n", m->from, m->to, subject,
	    date, m->message_id);
	if (m->reply_to != NULL)
		buf_addf(b, "Reply-To: %s\n", m->reply_to);
	if (m->auto_submitted != NULL) {
		marker = loop_marker(cfg);
		buf_addf(b, "Auto-Submitted: %s\nX-Loop: %s\n",
		    m->auto_submitted, marker);
		free(marker);
	}
	free(subject);
}

char *
submail_build(const struct config *cfg, const struct submail *m, size_t *len)
{
	struct buf	 b;
	char		 boundary[40];
	size_t		 i;

	buf_init(&b);
	submail_headers(&b, cfg, m);
	if (!m->attach || m->nfiles == 0) {
		buf_addf(&b, "Content-Type: text/plain; charset=utf-8\n"
		    "Content-Transfer-Encoding: 8bit\n\n%s", m->text);
		*len = b.len;
		return buf_detach(&b);
	}
	boundary[0] = '=';
	boundary[1] = '_';
	rnd_hex(boundary + 2, 16);
	buf_addf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\n\n"
	    "--%s\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n%s\n", boundary, boundary,
	    m->text);
	for (i = 0; i < m->nfiles; i++)
		if (submail_file(&b, boundary, &m->files[i]) == -1) {
			buf_free(&b);
			return NULL;
		}
	buf_addf(&b, "--%s--\n", boundary);
	*len = b.len;
	return buf_detach(&b);
}
