/*
 * dmarc: which DMARC policy (RFC 7489) an author's domain publishes.
 *
 * Contract: this module only answers the question; the caller caches the
 * result and decides whether to rewrite From.  dmarc_parse_record() is a
 * pure parser of one TXT record.  dmarc_lookup() asks DNS for the TXT
 * records at _dmarc.<domain>, keeps those that start with "v=DMARC1", and,
 * when there are none, asks again at the organisational domain (libpsl)
 * and applies its sp= (p= when sp= is absent).  More than one DMARC record,
 * or one that does not parse, means no policy applies (ABSENT).  Whenever
 * the answer cannot be had (timeout, SERVFAIL, REFUSED, network error, a
 * truncated or malformed reply) the result is TEMPFAIL, never a guess.
 * A lookup never takes longer than timeout_s seconds in total; the
 * resolver counts in whole seconds, so a lookup that needs the
 * organisational domain gets TEMPFAIL when fewer than two seconds were
 * allowed and the first answer was not instant.  Not thread-safe.
 */
#ifndef METODIST_DMARC_H
#define METODIST_DMARC_H

#include <stddef.h>

enum dmarc_policy {
	DMARC_POLICY_ABSENT,		/* no usable DMARC record */
	DMARC_POLICY_NONE,		/* p=none */
	DMARC_POLICY_QUARANTINE,	/* p=quarantine */
	DMARC_POLICY_REJECT,		/* p=reject */
	DMARC_POLICY_TEMPFAIL		/* the answer could not be had */
};

/*
 * Parse one TXT record of len bytes (the character-strings already
 * joined).  Returns 0 when it is a valid DMARC record: it starts with
 * "v=DMARC1" (tag name in any case, value exactly so, spaces and tabs
 * allowed around '=' and ';') and has a p= of none, quarantine or reject
 * (any case).  *p gets p=; *sp gets sp=, or p= when sp= is absent or not
 * one of the three values.  Unknown and malformed tags are ignored; the
 * first of repeated tags counts.  Returns -1 otherwise, leaving *p and *sp
 * untouched.
 */
int	 dmarc_parse_record(const char *txt, size_t len,
	    enum dmarc_policy *p, enum dmarc_policy *sp);

/*
 * The policy that applies to mail From: domain (ASCII/IDNA form, one
 * trailing dot allowed).  nameserver is NULL for the system resolver, or
 * "IP", "IP:port", "[IPv6]" or "[IPv6]:port" (a bare IPv6 address is also
 * accepted).  A domain that cannot exist in DNS (empty, too long, empty or
 * over-long labels, bytes other than letters, digits, '-' and '_') gives
 * ABSENT; a bad nameserver string or timeout_s < 1 gives TEMPFAIL.
 */
enum dmarc_policy dmarc_lookup(const char *domain, const char *nameserver,
	    int timeout_s);

/* "absent", "none", "quarantine", "reject" or "tempfail". */
const char	*dmarc_policy_name(enum dmarc_policy);

#endif
