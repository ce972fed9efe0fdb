/*
 * listaddr: which gateway addresses a message from a hosted mailbox was
 * sent to, and who sent it.
 *
 * A provider has already delivered the message into one mailbox, so the
 * envelope is gone; what is left of it is in the header.  Providers
 * differ in what they keep: Postfix-based ones add X-Original-To,
 * Dovecot and Gmail Delivered-To, Exim Envelope-To; with
 * plus-addressing the list's name is the part after the delimiter
 * (metodist+math@provider).  The mailbox's address_from names the
 * sources to try, in order.
 *
 * Contract: listaddr_find() tries each source in order and returns the
 * gateway addresses (those route_address() accepts) of the first source
 * that yields any, without duplicates, at most LISTADDR_MAX.  Only the
 * top-most (last added) field of a trace source counts; To covers every
 * To and Cc address.  When the mailbox's own address is configured,
 * BOX+DETAIL@ITS-DOMAIN means DETAIL@D and the bare address means the
 * site address, but the bare address is used only when no source gave
 * anything else.  listaddr_sender() is the envelope sender: the
 * top-most Return-Path ("" for <>), else the From address, else "".
 * Both read only the header block; neither fails on malformed input,
 * and what they return is fit for a spool envelope: no control bytes,
 * under 320 bytes (so hostile mail can never block a mailbox).
 */
#ifndef METODIST_LISTADDR_H
#define METODIST_LISTADDR_H

#include <stddef.h>

#include "core/config.h"
#include "core/mbconfig.h"

#define LISTADDR_MAX	20

/* Number of addresses put in *out (freed with str_array_free). */
size_t	listaddr_find(const struct config *, const struct mailbox_config *,
	    const char *msg, size_t len, char ***out);
/* The envelope sender: an address, or "" for the null sender. */
char	*listaddr_sender(const char *msg, size_t len);

#endif
