/*
 * feed: one HTTP(S) fetch of a feed with libcurl.
 *
 * Contract: feed_fetch() makes one GET, conditional when the last ETag
 * or Last-Modified is given (If-None-Match, If-Modified-Since), with a
 * total timeout, at most max_redirects redirects (http and https only),
 * and a body of at most max_size bytes: a larger body is cut off and
 * the fetch fails, whatever the server claimed.  It returns 0 when the
 * server answered (res->status is its code: 200 with the body and the
 * new validators, 304 without a body, or any other code) and -1 when it
 * could not be reached or broke a limit (res->error says which).  It
 * never raises a signal (CURLOPT_NOSIGNAL) and never waits longer than
 * the timeout.
 */
#ifndef METODIST_FEED_H
#define METODIST_FEED_H

#include <stddef.h>

struct feed_request {
	const char	*url;
	const char	*etag;		/* or NULL */
	const char	*last_modified;	/* or NULL */
	long		 timeout;	/* seconds, whole fetch */
	size_t		 max_size;	/* bytes of body */
	long		 max_redirects;
};

struct feed_response {
	long	 status;	/* HTTP code, 0 when none */
	char	*body;		/* NUL-terminated, or NULL */
	size_t	 len;
	char	*etag;		/* new validators, or NULL */
	char	*last_modified;
	char	 error[256];
};

int	feed_fetch(const struct feed_request *, struct feed_response *);
void	feed_response_free(struct feed_response *);

#endif
