/*
 * event: a coordinator's announcement to L+event@D becomes an event.
 *
 * Contract: event_handle() takes a message to L+event@D or
 * L+event-TOKEN@D.  Only the list's coordinators announce; anyone else is
 * told so and nothing is recorded.  An attached iCalendar file (.ics,
 * text/calendar) gives the events, a recurring one (RRULE) expanded for
 * the coming year, at most EVENT_MAX_OCCURRENCES; without one, the
 * letter's lines do: the Subject (or a "Название:" line) is the title,
 * "Дата:"/"Date:" (or any line holding a date) the day and times,
 * "Время:"/"Time:" the times, "Место:"/"Place:" the place,
 * "Ссылка:"/"Link:" the link, the rest the description.  The
 * coordinator gets back how the event was understood (each date spelled
 * out) with Reply-To L+event-TOKEN@D, so that a plain Reply "отменить" /
 * "cancel" withdraws it.  A letter with no date is answered with the
 * forms understood, and nothing is recorded.  When the list's
 * event_notify is on, members who receive mail (normal or digest) get
 * the event at once with an .ics to add to their calendars.  The rows
 * and the letters are committed together.
 */
#ifndef METODIST_CORE_EVENT_H
#define METODIST_CORE_EVENT_H

#include <stddef.h>
#include <time.h>

#include "core/route.h"
#include "mail/message.h"

#define EVENT_MAX_OCCURRENCES	100

struct site;

/* 0 done, -1 temporary failure. */
int	event_handle(struct site *, const struct route *,
	    const struct message *, const char *envelope_sender);
/* "12 мая 2026, 15:00–16:30" (the site's zone); into out. */
void	event_when(time_t start, time_t end, int all_day, const char *lang,
	    char *out, size_t sz);

#endif
