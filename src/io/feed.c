/*
 * feed: see feed.h.
 */
#include <config.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/feed.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

struct feed_sink {
	struct buf	 body;
	size_t		 max;
	int		 too_big;
	char		*etag;
	char		*last_modified;
};

static size_t
feed_write(char *data, size_t size, size_t n, void *arg)
{
	struct feed_sink	*k = arg;
	size_t			 len = size * n;

	if (k->body.len + len > k->max) {
		k->too_big = 1;
		return 0;	/* libcurl stops with CURLE_WRITE_ERROR */
	}
	buf_add(&k->body, data, len);
	return len;
}

/* A header "Name: value" of the last response; a redirect starts anew. */
static size_t
feed_header(char *data, size_t size, size_t n, void *arg)
{
	struct feed_sink	*k = arg;
	size_t			 len = size * n;
	char			*line, *v;

	if (len > 8 && strncasecmp(data, "HTTP/", 5) == 0) {
		free(k->etag);
		free(k->last_modified);
		k->etag = k->last_modified = NULL;
		return len;
	}
	if (len > 1024)
		return len;
	line = xstrndup(data, len);
	if ((v = strchr(line, ':')) != NULL) {
		*v++ = '\0';
		v = str_trim(v);
		if (strcasecmp(line, "ETag") == 0 && *v != '\0') {
			free(k->etag);
			k->etag = xstrdup(v);
		} else if (strcasecmp(line, "Last-Modified") == 0 &&
		    *v != '\0') {
			free(k->last_modified);
			k->last_modified = xstrdup(v);
		}
	}
	free(line);
	return len;
}

static struct curl_slist *
feed_conditions(const struct feed_request *rq)
{
	struct curl_slist	*h = NULL;
	char			*v;

	if (rq->etag != NULL && *rq->etag != '\0') {
		v = xasprintf("If-None-Match: %s", rq->etag);
		h = curl_slist_append(h, v);
		free(v);
	}
	if (rq->last_modified != NULL && *rq->last_modified != '\0') {
		v = xasprintf("If-Modified-Since: %s", rq->last_modified);
		h = curl_slist_append(h, v);
		free(v);
	}
	return curl_slist_append(h, "Accept: application/rss+xml, "
	    "application/atom+xml, text/calendar, application/xml;q=0.9, "
	    "*/*;q=0.5");
}

static void
feed_options(CURL *c, const struct feed_request *rq, struct feed_sink *k,
    struct curl_slist *h, char *errbuf)
{
	curl_easy_setopt(c, CURLOPT_URL, rq->url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, rq->timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, rq->timeout);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, rq->max_redirects);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)rq->max_size);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, feed_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, k);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, feed_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, k);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "metodist/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
}

int
feed_fetch(const struct feed_request *rq, struct feed_response *res)
{
	struct feed_sink	 k;
	struct curl_slist	*h;
	CURL			*c;
	CURLcode		 rc;
	char			 errbuf[CURL_ERROR_SIZE] = "";

	memset(res, 0, sizeof *res);
	memset(&k, 0, sizeof k);
	buf_init(&k.body);
	k.max = rq->max_size;
	if ((c = curl_easy_init()) == NULL) {
		snprintf(res->error, sizeof res->error, "cannot start libcurl");
		return -1;
	}
	h = feed_conditions(rq);
	feed_options(c, rq, &k, h, errbuf);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	if (rc != CURLE_OK) {
		snprintf(res->error, sizeof res->error, "%s",
		    k.too_big || rc == CURLE_FILESIZE_EXCEEDED ?
		    "the feed is larger than the limit" :
		    *errbuf != '\0' ? errbuf : curl_easy_strerror(rc));
		buf_free(&k.body);
		free(k.etag);
		free(k.last_modified);
		return -1;
	}
	res->len = k.body.len;
	res->body = buf_detach(&k.body);
	res->etag = k.etag;
	res->last_modified = k.last_modified;
	return 0;
}

void
feed_response_free(struct feed_response *res)
{
	free(res->body);
	free(res->etag);
	free(res->last_modified);
	memset(res, 0, sizeof *res);
}
