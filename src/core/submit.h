/*
 * submit: a methodological development sent to L+submit@D.
 *
 * Contract: on a list whose policy is not open only its members and
 * coordinators (by From, as for posts) may submit; anyone else is told
 * how to join.  submit_handle() takes the message's attachments one by one:
 * each gets a safe name (mail/filename), must not be empty, must fit the
 * list's submit_max_file, and must be of an allowed kind by content and
 * extension together (util/filetype); the accepted ones together must fit
 * submit_max_total.  With none accepted the sender gets submit-refused
 * saying why for each file, and nothing is stored.  Otherwise the files
 * are written under var/submissions with generated names, and in one
 * transaction the submission (or, when the Subject names the sender's
 * own submission waiting for revision, its next version) is recorded with
 * its files and its reviewers' assignments and letters (core/review).  The
 * sender then gets submit-receipt with the number, the files taken and
 * those refused.  A message already made into a submission (same author
 * and Message-ID, e.g. processed again after a crash) changes nothing.
 */
#ifndef METODIST_SUBMIT_H
#define METODIST_SUBMIT_H

#include "core/route.h"
#include "mail/message.h"

struct site;

/* 0 handled (answered), -1 temporary failure. */
int	submit_handle(struct site *, const struct route *,
	    const struct message *, const char *envelope_sender);

#endif
