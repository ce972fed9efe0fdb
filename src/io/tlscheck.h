/*
 * tlscheck: the server certificate of a libetpan TLS stream, verified.
 *
 * libetpan (built with GnuTLS on Debian) completes the handshake
 * without judging the certificate; it only hands over the chain the
 * server sent.  tlscheck_peer() verifies that chain against the given
 * CA file, or the system's trust store when there is none, and checks
 * that it names the host (a DNS name or an IP address), before a single
 * credential is sent.  tlscheck_prepare() is the handshake callback that
 * sets SNI for a host name, which hosted providers need to pick the
 * right certificate.
 *
 * Contract: 0 when trusted; -1 with a one-line reason in err otherwise
 * (untrusted issuer, expired, wrong name, no certificate).
 */
#ifndef METODIST_TLSCHECK_H
#define METODIST_TLSCHECK_H

#include <stddef.h>

#include <libetpan/libetpan.h>

int	tlscheck_peer(mailstream *, const char *host, const char *cafile,
	    char *err, size_t errsz);
/* For mailstream_ssl_open_with_callback...: data is the host name. */
void	tlscheck_prepare(struct mailstream_ssl_context *, void *host);

#endif
