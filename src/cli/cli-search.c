/*
 * cli-search: metodist search LIST WORDS... — the list's archive searched
 * (store/search.h): one hit per line as "N<TAB>date<TAB>subject", the
 * snippet indented below.  `metodist search --cgi` answers one query as
 * a CGI program (QUERY_STRING l=LIST&q=WORDS) with an HTML page of hits
 * linking into the static archive.  Exit 0 with hits, 1 with none, 64 on
 * a usage error or an unknown list, 75 on a database error.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "cli.h"
#include "core/config.h"
#include "core/site.h"
#include "render/html.h"
#include "store/search.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#define CLI_SEARCH_HITS		20
#define CLI_SEARCH_QUERY_MAX	400

static int
cli_search_print(void *arg, const struct search_hit *h)
{
	char	day[16];

	(void)arg;
	time_day((time_t)h->date, day, sizeof day);
	printf("%lld\t%s\t%s\n\t%s\n", (long long)h->number, day, h->subject,
	    h->snippet);
	return 0;
}

static char *
cli_search_words(int argc, char **argv)
{
	struct buf	b;
	int		i;

	buf_init(&b);
	for (i = 0; i < argc; i++)
		buf_addf(&b, "%s%s", i ? " " : "", argv[i]);
	return buf_detach(&b);
}

/* One value of a query string, %XX and '+' decoded; NULL if absent. */
static char *
cli_search_param(const char *qs, const char *name)
{
	size_t		 n = strlen(name);
	const char	*p = qs;
	struct buf	 b;
	unsigned	 c;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			buf_init(&b);
			for (p += n + 1; *p != '\0' && *p != '&'; p++) {
				if (*p == '+')
					buf_addc(&b, ' ');
				else if (*p == '%' && sscanf(p + 1, "%2x", &c)
				    == 1) {
					buf_addc(&b, c ? (int)c : ' ');
					p += 2;
				} else
					buf_addc(&b, *p);
			}
			return buf_detach(&b);
		}
		if ((p = strchr(p, '&')) != NULL)
			p++;
	}
	return NULL;
}

struct cli_search_page {
	struct buf			*b;
	const struct list_config	*list;
	size_t				 n;
};

static int
cli_search_hit_html(void *arg, const struct search_hit *h)
{
	struct cli_search_page	*pg = arg;
	char			 day[16];

	time_day((time_t)h->date, day, sizeof day);
	buf_addf(pg->b, "<li><a href=\"%s/p/%lld.html\">", pg->list->name,
	    (long long)h->number);
	html_escape(pg->b, *h->subject ? h->subject : "—");
	buf_addf(pg->b, "</a> <span class=\"meta\">№&nbsp;%lld · %s</span>"
	    "<br>", (long long)h->number, day);
	html_text(pg->b, h->snippet, strlen(h->snippet),
	    pg->list->archive_private ? HTML_ADDR_HIDE : HTML_ADDR_OBFUSCATE,
	    pg->list->language);
	buf_adds(pg->b, "</li>\n");
	pg->n++;
	return 0;
}

static void
cli_search_cgi_page(const struct list_config *l, const char *q,
    const struct cli_search_page *pg, int failed)
{
	struct buf	h;
	int		en = strcmp(l->language, "en") == 0;

	buf_init(&h);
	html_escape(&h, q);
	buf_adds(&h, " — ");
	html_escape(&h, l->title);
	printf("Content-Type: text/html; charset=utf-8\r\n\r\n"
	    "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\"><title>%s</title></head>\n<body><h1>%s</h1>\n"
	    "<p>%s: %zu</p>\n<ol>\n%s</ol>\n<p><a href=\"%s/index.html\">%s"
	    "</a></p>\n</body></html>\n", en ? "en" : "ru", buf_cstr(&h),
	    buf_cstr(&h), failed ? (en ? "search failed" : "ошибка поиска") :
	    (en ? "found" : "найдено"), pg->n, pg->b->data ? pg->b->data : "",
	    l->name, en ? "Back to the archive" : "К архиву");
	buf_free(&h);
}

static int
cli_search_cgi(struct cli_ctx *ctx)
{
	const struct list_config	*l;
	struct cli_search_page		 pg;
	struct site			 s;
	struct buf			 b;
	const char			*qs = getenv("QUERY_STRING");
	char				*name, *q;
	int				 transient, rc = -1;

	name = cli_search_param(qs ? qs : "", "l");
	q = cli_search_param(qs ? qs : "", "q");
	l = name ? config_list(ctx->cfg, name) : NULL;
	if (l == NULL || q == NULL || strlen(q) > CLI_SEARCH_QUERY_MAX) {
		printf("Status: 400 Bad Request\r\nContent-Type: text/plain; "
		    "charset=utf-8\r\n\r\nbad request\n");
	} else if (site_open(ctx->cfg, &s, &transient) == -1) {
		printf("Status: 503 Service Unavailable\r\nContent-Type: "
		    "text/plain; charset=utf-8\r\n\r\ntry later\n");
	} else {
		buf_init(&b);
		pg = (struct cli_search_page){ &b, l, 0 };
		rc = search_posts(s.db, site_list_id(&s, l), q,
		    CLI_SEARCH_HITS, cli_search_hit_html, &pg);
		cli_search_cgi_page(l, q, &pg, rc < 0);
		buf_free(&b);
		site_close(&s);
	}
	free(name);
	free(q);
	return 0;
}

static int
cli_search_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct list_config	*l;
	struct site			 s;
	char				*words;
	int				 transient, n;

	if (argc == 2 && strcmp(argv[1], "--cgi") == 0)
		return cli_search_cgi(ctx);
	if (argc < 3) {
		fprintf(stderr, "usage: metodist search LIST WORDS...\n");
		return EX_USAGE;
	}
	if ((l = config_list(ctx->cfg, argv[1])) == NULL) {
		fprintf(stderr, "metodist search: no list '%s'\n", argv[1]);
		return EX_USAGE;
	}
	if (site_open(ctx->cfg, &s, &transient) == -1)
		return transient ? EX_TEMPFAIL : EX_SOFTWARE;
	words = cli_search_words(argc - 2, argv + 2);
	n = search_posts(s.db, site_list_id(&s, l), words, CLI_SEARCH_HITS,
	    cli_search_print, NULL);
	free(words);
	site_close(&s);
	if (n < 0)
		return EX_TEMPFAIL;
	return n > 0 ? 0 : 1;
}

const struct cli_command cli_search = {
	"search", "LIST WORDS... | --cgi",
	"search the list archive", 1, cli_search_run
};
