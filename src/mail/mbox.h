/*
 * mbox: messages in the mboxrd format (RFC 4155, with the "rd" quoting).
 *
 * Contract: mbox_write() appends one message: a "From SENDER DATE" line
 * (asctime form, UTC), the message with every line that matches
 * ^>*From  given one more '>', a final line end if missing, and an empty
 * line.  mbox_next() reads the message that starts at *off in the mbox
 * bytes (skipping anything before the first From_ line), removes one '>'
 * from each line matching ^>+From , puts the message without its From_
 * line and without the separating empty line into out, advances *off
 * and returns 1; 0 at the end.  Writing then reading gives back the
 * bytes written, line ends included.
 */
#ifndef METODIST_MBOX_H
#define METODIST_MBOX_H

#include <stdio.h>
#include <time.h>

#include "util/buf.h"

int	mbox_write(FILE *, const char *raw, size_t len, const char *sender,
	    time_t date);
int	mbox_next(const char *data, size_t len, size_t *off, struct buf *out);

#endif
