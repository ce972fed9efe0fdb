/*
 * report-mail: see report-mail.h.
 *
 * The letter is multipart/mixed: the template's text with the text
 * report in it (8bit UTF-8, lines kept short by the renderer), then the
 * HTML and the CSV as base64 attachments, so nothing on the way rewraps
 * them.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/loop.h"
#include "core/report.h"
#include "core/report-mail.h"
#include "core/site.h"
#include "mail/header.h"
#include "render/report.h"
#include "render/template.h"
#include "store/db.h"
#include "store/queue.h"
#include "store/report.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/rnd.h"
#include "util/strutil.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

static void
report_mail_base64(struct buf *b, const char *data, size_t len)
{
	static const char	 al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char	*p = (const unsigned char *)data;
	size_t			 i, col = 0;
	uint32_t		 v;

	for (i = 0; i < len; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		buf_addc(b, al[(v >> 18) & 63]);
		buf_addc(b, al[(v >> 12) & 63]);
		buf_addc(b, i + 1 < len ? al[(v >> 6) & 63] : '=');
		buf_addc(b, i + 2 < len ? al[v & 63] : '=');
		if ((col += 4) >= 76) {
			buf_addc(b, '\n');
			col = 0;
		}
	}
	if (col > 0)
		buf_addc(b, '\n');
}

static void
report_mail_attach(struct buf *b, const char *boundary, const char *type,
    const char *name, const char *data)
{
	buf_addf(b, "\n--%s\nContent-Type: %s; charset=utf-8; name=\"%s\"\n"
	    "Content-Disposition: attachment; filename=\"%s\"\n"
	    "Content-Transfer-Encoding: base64\n\n", boundary, type, name,
	    name);
	report_mail_base64(b, data, strlen(data));
}

/* The names of municipalities below the line, or the word "none". */
static char *
report_mail_flagged(const struct report *r)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < r->munis.n; i++) {
		if (!report_muni_flagged(&r->munis.row[i]))
			continue;
		if (b.len > 0)
			buf_adds(&b, ", ");
		buf_adds(&b, *r->munis.row[i].name ? r->munis.row[i].name :
		    report_word(r->lang, W_NOT_GIVEN));
	}
	if (b.len == 0)
		buf_adds(&b, strcmp(r->lang, "en") == 0 ? "none" : "нет");
	return buf_detach(&b);
}

struct report_letter {
	char	month[64], share[32], teachers[32], included[32];
	char	html_name[96], csv_name[96];
	char	*scope_title, *flagged, *text;
};

static void
report_letter_make(const struct site *s, const struct report *r,
    struct report_letter *l)
{
	const struct list_config	*lc = *r->scope ?
					    config_list(s->cfg, r->scope) :
					    NULL;

	report_month_name(r->lang, r->month, l->month, sizeof l->month);
	report_percent(r->lang, report_permille(r->total[RT_INCLUDED],
	    r->total[RT_TEACHERS]), l->share, sizeof l->share);
	snprintf(l->teachers, sizeof l->teachers, "%lld",
	    (long long)r->total[RT_TEACHERS]);
	snprintf(l->included, sizeof l->included, "%lld",
	    (long long)r->total[RT_INCLUDED]);
	snprintf(l->html_name, sizeof l->html_name, "report-%s%s%s.html",
	    r->month, *r->scope ? "-" : "", r->scope);
	snprintf(l->csv_name, sizeof l->csv_name, "report-%s%s%s.csv",
	    r->month, *r->scope ? "-" : "", r->scope);
	l->scope_title = xstrdup(lc != NULL ? lc->title :
	    report_word(r->lang, W_SITE_WIDE));
	l->flagged = report_mail_flagged(r);
	l->text = report_text(r, s->cfg->site_name);
}

static void
report_letter_free(struct report_letter *l)
{
	free(l->scope_title);
	free(l->flagged);
	free(l->text);
}

static void
report_mail_headers(struct buf *b, const struct site *s,
    const char *subject, char *const *to, size_t n, time_t now)
{
	char	 date[64], id[33], *from, *enc, *marker, *site;
	size_t	 i;

	time_rfc5322(now, date, sizeof date);
	rnd_hex(id, 16);
	site = xasprintf("%s@%s", s->cfg->site_address, s->cfg->domain);
	from = header_encode_address(s->cfg->site_name, site);
	enc = header_encode(subject, strlen("Subject"));
	marker = loop_marker(s->cfg);
	buf_addf(b, "From: %s\nTo: ", from);
	for (i = 0; i < n; i++)
		buf_addf(b, "%s%s", i ? ",\n " : "", to[i]);
	buf_addf(b, "\nSubject: %s\nDate: %s\nMessage-ID: <%s@%s>\n"
	    "MIME-Version: 1.0\nAuto-Submitted: auto-generated\n"
	    "X-Loop: %s\n", enc, date, id, s->cfg->domain, marker);
	free(marker);
	free(enc);
	free(from);
	free(site);
}

/* The whole letter, or NULL when the template is missing. */
static char *
report_mail_compose(struct site *s, const struct report *r,
    char *const *to, size_t n, time_t now)
{
	struct report_letter	 l;
	struct template_text	 t;
	struct buf		 b;
	char			 boundary[40], rnd[17], *html, *csv;
	struct template_var	 v[] = {
		{ "month", l.month }, { "scope_title", NULL },
		{ "html_name", l.html_name }, { "csv_name", l.csv_name },
		{ "teachers", l.teachers }, { "included", l.included },
		{ "share", l.share }, { "flagged", NULL }, { "report", NULL },
		{ "site_name", s->cfg->site_name },
	};

	report_letter_make(s, r, &l);
	v[1].value = l.scope_title;
	v[7].value = l.flagged;
	v[8].value = l.text;
	if (template_render(s->cfg->templates_dir, r->lang, "report", v,
	    sizeof v / sizeof v[0], &t) == -1) {
		report_letter_free(&l);
		return NULL;
	}
	rnd_hex(rnd, 8);
	snprintf(boundary, sizeof boundary, "=_report_%s", rnd);
	buf_init(&b);
	report_mail_headers(&b, s, t.subject, to, n, now);
	buf_addf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\n\n"
	    "--%s\nContent-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n%s", boundary, boundary,
	    t.body);
	html = report_html(r, s->cfg->site_name);
	csv = report_csv(r);
	report_mail_attach(&b, boundary, "text/html", l.html_name, html);
	report_mail_attach(&b, boundary, "text/csv", l.csv_name, csv);
	buf_addf(&b, "\n--%s--\n", boundary);
	free(html);
	free(csv);
	template_text_free(&t);
	report_letter_free(&l);
	return buf_detach(&b);
}

int
report_mail_send(struct site *s, const struct report *r, char *const *to,
    size_t n, time_t now)
{
	const struct list_config *lc = *r->scope ?
				    config_list(s->cfg, r->scope) : NULL;
	char			 name[64], *msg, *path;
	int64_t			 oid, lid = 0;
	size_t			 i;
	int			 rc = -1;

	if ((msg = report_mail_compose(s, r, to, n, now)) == NULL)
		return -1;
	rnd_hex(name, 12);
	strncat(name, ".eml", sizeof name - strlen(name) - 1);
	path = site_store_file(s, s->queue_dir, name, msg, strlen(msg));
	free(msg);
	if (path == NULL)
		return -1;
	if (lc != NULL && (lid = site_list_id(s, lc)) == -1)
		goto out;
	if (db_begin(s->db) == -1)
		goto out;
	oid = queue_outbound(s->db, "notice", lid, 0, path, "");
	for (i = 0; oid != -1 && i < n; i++)
		if (queue_add_recipient(s->db, oid, to[i]) == -1)
			oid = -1;
	if (oid == -1 || report_snapshot_mailed(s->db, r->month, r->scope,
	    now) == -1 || db_commit(s->db) == -1)
		db_rollback(s->db);
	else
		rc = 0;
out:
	free(path);
	return rc;
}

/* Send (or record as sent with nobody to send to) one kept report. */
static int
report_mail_scope(struct site *s, const char *month, const char *scope,
    time_t now)
{
	const struct list_config	*lc = NULL;
	char *const			*to = s->cfg->report_admins;
	size_t				 n = s->cfg->nreport_admins;
	struct report			 r;
	int				 rc;

	if (*scope != '\0') {
		lc = config_list(s->cfg, scope);
		to = lc ? lc->coordinators : NULL;
		n = lc ? lc->ncoordinators : 0;
	}
	if (n == 0)
		return report_snapshot_mailed(s->db, month, scope, now) == -1 ?
		    -1 : 0;
	if ((rc = report_load(s, month, scope, &r)) != 0)
		return -1;
	rc = report_mail_send(s, &r, to, n, now);
	report_free(&r);
	if (rc == 0)
		log_info("report: %s %s sent to %zu address%s", month,
		    *scope ? scope : "(site)", n, n == 1 ? "" : "es");
	return rc == 0 ? 1 : -1;
}

int
report_mail_month(struct site *s, const char *month, const char *scope,
    time_t now)
{
	time_t	start, end;
	size_t	i;
	int	rc, sent = 0;

	if (report_month_bounds(month, &start, &end) == -1 || end > now)
		return -2;
	if (report_keep(s, month, now) == -1)
		return -1;
	if (scope != NULL && *scope != '\0')
		return report_mail_scope(s, month, scope, now);
	if ((rc = report_mail_scope(s, month, "", now)) == -1)
		return -1;
	sent += rc;
	for (i = 0; i < s->cfg->nlists; i++) {
		if ((rc = report_mail_scope(s, month, s->cfg->lists[i].name,
		    now)) == -1)
			return -1;
		sent += rc;
	}
	return sent;
}

int
report_mail_run(struct site *s, time_t now)
{
	char	 month[8], **scopes;
	time_t	 start, end;
	size_t	 n, i;
	int	 rc = 0, sent = 0;

	if (!s->cfg->report_mail)
		return 0;
	report_month_of(now, month);
	report_month_before(month, month);
	if (report_month_bounds(month, &start, &end) == -1)
		return -1;
	if (db_int(s->db, -1, "SELECT coalesce(min(created), ?1) FROM lists",
	    "i", (int64_t)end) >= (int64_t)end)
		return 0;
	/* Kept and sent already: the common case, without a write lock. */
	if (db_int(s->db, -1, "SELECT count(*) FROM report_snapshots WHERE "
	    "month = ?1", "t", month) >= (int64_t)s->cfg->nlists + 1 &&
	    db_int(s->db, -1, "SELECT count(*) FROM report_snapshots WHERE "
	    "month = ?1 AND mailed IS NULL", "t", month) == 0)
		return 0;
	if (report_keep(s, month, now) == -1 ||
	    report_snapshot_unmailed(s->db, month, &scopes, &n) == -1)
		return -1;
	for (i = 0; i < n && rc != -1; i++)
		if ((rc = report_mail_scope(s, month, scopes[i], now)) > 0)
			sent++;
	str_array_free(scopes, n);
	return rc == -1 ? -1 : sent;
}
