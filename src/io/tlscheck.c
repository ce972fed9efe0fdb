/*
 * tlscheck: see tlscheck.h.
 */
#include <config.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "io/tlscheck.h"

#define TLSCHECK_CHAIN_MAX	16

static int
tlscheck_is_ip(const char *host)
{
	unsigned char	buf[16];

	return inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1;
}

void
tlscheck_prepare(struct mailstream_ssl_context *ctx, void *data)
{
	const char	*host = data;

	if (host != NULL && !tlscheck_is_ip(host))
		mailstream_ssl_set_server_name(ctx, (char *)host);
}

static int
tlscheck_trust(gnutls_x509_trust_list_t *tl, const char *cafile, char *err,
    size_t errsz)
{
	int	n;

	if (gnutls_x509_trust_list_init(tl, 0) < 0) {
		snprintf(err, errsz, "cannot set up certificate checks");
		return -1;
	}
	if (cafile != NULL)
		n = gnutls_x509_trust_list_add_trust_file(*tl, cafile, NULL,
		    GNUTLS_X509_FMT_PEM, 0, 0);
	else
		n = gnutls_x509_trust_list_add_system_trust(*tl, 0, 0);
	if (n <= 0) {
		snprintf(err, errsz, "no trusted certificates in %s",
		    cafile ? cafile : "the system's trust store");
		gnutls_x509_trust_list_deinit(*tl, 1);
		return -1;
	}
	return 0;
}

static size_t
tlscheck_import(carray *chain, gnutls_x509_crt_t *crts)
{
	gnutls_datum_t	 d;
	MMAPString	*s;
	size_t		 i, n = 0;

	for (i = 0; i < carray_count(chain) && n < TLSCHECK_CHAIN_MAX; i++) {
		s = carray_get(chain, (unsigned)i);
		d.data = (unsigned char *)s->str;
		d.size = (unsigned)s->len;
		if (gnutls_x509_crt_init(&crts[n]) < 0)
			break;
		if (gnutls_x509_crt_import(crts[n], &d, GNUTLS_X509_FMT_DER) <
		    0) {
			gnutls_x509_crt_deinit(crts[n]);
			break;
		}
		n++;
	}
	return n;
}

static int
tlscheck_verify(gnutls_x509_trust_list_t tl, gnutls_x509_crt_t *crts,
    size_t n, const char *host, char *err, size_t errsz)
{
	gnutls_typed_vdata_st	 vd;
	gnutls_datum_t		 out;
	unsigned		 status = 0;

	vd.type = GNUTLS_DT_DNS_HOSTNAME;
	vd.data = (unsigned char *)host;
	vd.size = 0;
	if (gnutls_x509_trust_list_verify_crt2(tl, crts, (unsigned)n, &vd, 1,
	    0, &status, NULL) < 0) {
		snprintf(err, errsz, "certificate check failed");
		return -1;
	}
	if (status == 0)
		return 0;
	if (gnutls_certificate_verification_status_print(status,
	    GNUTLS_CRT_X509, &out, 0) == 0) {
		snprintf(err, errsz, "server certificate not trusted: %s",
		    (const char *)out.data);
		gnutls_free(out.data);
	} else
		snprintf(err, errsz, "server certificate not trusted");
	return -1;
}

int
tlscheck_peer(mailstream *s, const char *host, const char *cafile, char *err,
    size_t errsz)
{
	gnutls_x509_trust_list_t	 tl;
	gnutls_x509_crt_t		 crts[TLSCHECK_CHAIN_MAX];
	carray				*chain;
	size_t				 n, i;
	int				 rc;

	if ((chain = mailstream_get_certificate_chain(s)) == NULL ||
	    carray_count(chain) == 0) {
		if (chain != NULL)
			mailstream_certificate_chain_free(chain);
		snprintf(err, errsz, "the server sent no certificate");
		return -1;
	}
	n = tlscheck_import(chain, crts);
	mailstream_certificate_chain_free(chain);
	if (n == 0) {
		snprintf(err, errsz, "the server's certificate is unreadable");
		return -1;
	}
	if ((rc = tlscheck_trust(&tl, cafile, err, errsz)) == 0) {
		rc = tlscheck_verify(tl, crts, n, host, err, errsz);
		gnutls_x509_trust_list_deinit(tl, 1);
	}
	for (i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	return rc;
}
