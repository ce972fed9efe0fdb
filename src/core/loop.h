/*
 * loop: is this message one the gateway must not answer or distribute?
 *
 * Contract: loop_reason() returns NULL for an ordinary message, or a short
 * reason for a message that came from this gateway itself (its List-Id or
 * X-Loop), from an automaton (Auto-Submitted other than "no"; Precedence
 * bulk, junk or list), or from a mailer daemon (empty envelope sender,
 * MAILER-DAEMON or postmaster senders).  Such a message is dropped with a
 * log line and never answered, so no two automata can feed each other.
 */
#ifndef METODIST_LOOP_H
#define METODIST_LOOP_H

#include "core/config.h"
#include "mail/message.h"

const char	*loop_reason(const struct config *, const struct message *,
		    const char *envelope_sender);
/* The marker this gateway puts in X-Loop of everything it sends. */
char		*loop_marker(const struct config *);

#endif
