/*
 * newsletter: one periodic issue per list for everyone who gets mail.
 *
 * Contract: newsletter_build() gathers, for the period since the list's
 * last issue (a week before `now` for the first), the events to come in
 * NEWSLETTER_AHEAD seconds in date order (from mail, .ics and feeds; the
 * list's and the site's), the materials approved in the period, the
 * coordinators' posts (announcements), the liveliest threads (most posts
 * in the period, with links into the archive when the list has one),
 * the feeds' news, and one line of activity (posts, authors, new
 * members).  An issue is empty unless something in it is new: an event
 * announced in the period, a material, an announcement, a thread or
 * news; so the same upcoming events are never sent again on their own.  newsletter_render() makes the message:
 * multipart/alternative, the text and a simple HTML (one table, inline
 * styles, no images or scripts: it reads in mail.ru, Yandex, Gmail and
 * Outlook) from templates/LANG/newsletter.txt and newsletter.html, every
 * value escaped for HTML.  newsletter_run() sends what the lists'
 * schedules make due at `now` (the caller's clock); newsletter_send()
 * sends a list's issue at once.  Sending numbers the issue and queues it
 * to members not in nomail (and not disabled) in one transaction, so an
 * issue goes once; an empty issue is not sent.
 */
#ifndef METODIST_NEWSLETTER_H
#define METODIST_NEWSLETTER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/config.h"

#define NEWSLETTER_AHEAD	(60 * 86400)
#define NEWSLETTER_MAX_ROWS	20	/* per section */
#define NEWSLETTER_THREADS	5

struct site;

struct newsletter_row {
	char	*title;
	char	*when;		/* events: the date spelled out */
	char	*detail;	/* place, author, posts count ... */
	char	*link;		/* or NULL */
};

enum newsletter_section {
	NL_EVENTS, NL_MATERIALS, NL_ANNOUNCEMENTS, NL_THREADS, NL_NEWS,
	NL_NSECTIONS
};

struct newsletter_issue {
	const struct list_config *list;
	int64_t			 number;
	time_t			 from, to;
	struct newsletter_row	*rows[NL_NSECTIONS];
	size_t			 nrows[NL_NSECTIONS];
	int64_t			 posts, authors, new_members;
	int64_t			 new_events;	/* announced in the period */
};

int	newsletter_build(struct site *, const struct list_config *,
	    time_t now, struct newsletter_issue *);
int	newsletter_empty(const struct newsletter_issue *);
void	newsletter_free(struct newsletter_issue *);
/* The whole message; the text and HTML parts alone when asked. */
char	*newsletter_render(struct site *, const struct newsletter_issue *,
	    char **text, char **html);
/* 1 sent, 0 empty (nothing sent), -1 error. */
int	newsletter_send(struct site *, const struct list_config *, time_t now);
/* Issues sent, or -1. */
int	newsletter_run(struct site *, time_t now);

#endif
