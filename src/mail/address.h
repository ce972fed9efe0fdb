/*
 * address: one mail address, normalized for comparison and storage.
 *
 * Contract: address_normalize() reads one address in any of the usual
 * forms ("Name <a@b>", "a@b", "<a@b>", "a@b (comment)", a quoted display
 * name) and returns "local@domain": the local part exactly as written
 * (quotes kept), the domain lower-cased and in its ASCII form (IDNA via
 * libidn2, so .рф becomes xn--p1ai), no trailing dot.  It returns NULL
 * when the input holds no usable address.  Nothing here does DNS.
 * Domains compare case-blind always; local parts exactly unless the
 * caller asks otherwise (then ASCII and Cyrillic letters fold).
 */
#ifndef METODIST_ADDRESS_H
#define METODIST_ADDRESS_H

char	*address_normalize(const char *in);
/* 1 when both are addresses and the same; 0 otherwise. */
int	 address_equal(const char *a, const char *b, int local_ci);
/* Split a normalized address; 0 on success (both owned by the caller). */
int	 address_split(const char *addr, char **local, char **domain);

#endif
