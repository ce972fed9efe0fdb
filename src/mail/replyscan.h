/*
 * replyscan: the text of a reply, line by line, each line told apart as
 * the sender's own words or what the mail client put around them.
 *
 * Contract: replyscan_next() hands out the lines of a NUL-terminated
 * text in order, each without its line end ("\n", "\r\n", or a "\r"
 * that ends the text; a "\r" elsewhere is part of the line): an empty
 * text has no lines, a text ending in a line end has no empty line after
 * it, and the last line needs no line end.  A line points into the text;
 * nothing is copied or changed, and any bytes are accepted.
 *
 * replyscan_kind() names what one line is.  The first rule that holds
 * decides:
 *   REPLYSCAN_SIGNATURE  the separator "-- " (the line, trimmed, is "--");
 *   REPLYSCAN_BLANK      nothing but white space;
 *   REPLYSCAN_QUOTED     first visible character '>' or '|';
 *   REPLYSCAN_ORIGINAL   where an unmarked copy of the answered or
 *                        forwarded letter begins: "-----Original
 *                        Message-----", "-----Исходное сообщение-----",
 *                        "---------- Forwarded message ---------",
 *                        "Begin forwarded message:", "Начало
 *                        пересылаемого сообщения:", a line of five or
 *                        more '_' (Outlook); also a line of the two
 *                        kinds below that starts with "--";
 *   REPLYSCAN_HEADER     a header field of a copied letter: "From: ...",
 *                        "Sent: ...", "От: ...", "Отправлено: ...", "Кому:
 *                        ..." (to, cc, date, subject, копия, дата, тема);
 *   REPLYSCAN_INTRO      the line that introduces the quotation: "On
 *                        DATE, NAME wrote:", "DATE, NAME пишет:", "...
 *                        написал(а):", "DATE, NAME <addr@host>:";
 *   REPLYSCAN_SIGNOFF    a closing that begins the sender's signature
 *                        without a separator: "С уважением, ...", "Best
 *                        regards", "Sent from my iPhone", "Отправлено с
 *                        iPhone";
 *   REPLYSCAN_TEXT       anything else.
 * The words are matched without regard to case, in any script (PCRE2
 * with UTF and UCP, compiled once, a bounded match).  Text that is not
 * valid UTF-8 is never a marker, and neither is a line longer than
 * REPLYSCAN_MARKER_MAX bytes: those are TEXT (or BLANK, QUOTED,
 * SIGNATURE by the first three rules).  What each kind means to a reader
 * (skip it, stop there) is the caller's choice.
 */
#ifndef METODIST_REPLYSCAN_H
#define METODIST_REPLYSCAN_H

#include <stddef.h>

#define REPLYSCAN_MARKER_MAX	400	/* longer lines are no marker */

enum replyscan_kind {
	REPLYSCAN_BLANK,
	REPLYSCAN_QUOTED,
	REPLYSCAN_INTRO,
	REPLYSCAN_HEADER,
	REPLYSCAN_ORIGINAL,
	REPLYSCAN_SIGNATURE,
	REPLYSCAN_SIGNOFF,
	REPLYSCAN_TEXT
};

/* Where the walk through a text stands. */
struct replyscan {
	const char	*rest;
};

struct replyscan_line {
	const char		*s;	/* into the text, not NUL-terminated */
	size_t			 len;	/* without the line end */
	enum replyscan_kind	 kind;
};

void	replyscan_init(struct replyscan *, const char *text);
/* The next line, classified, in *ln: 1, or 0 after the last one. */
int	replyscan_next(struct replyscan *, struct replyscan_line *ln);
enum replyscan_kind replyscan_kind(const char *s, size_t len);
/* "blank", "quoted", ... "text": for logs and tests. */
const char *replyscan_kind_name(enum replyscan_kind);

#endif
