/*
 * rnd: randomness from the system's CSPRNG.
 *
 * Contract: rnd_bytes() fills the buffer from getrandom(2) or
 * /dev/urandom and calls fatal() if neither works: a token made of weak
 * randomness would be worse than stopping.
 */
#ifndef METODIST_RND_H
#define METODIST_RND_H

#include <stddef.h>

void	rnd_bytes(void *, size_t);
/* Write 2*nbytes lower-case hex digits and a NUL into out. */
void	rnd_hex(char *out, size_t nbytes);

#endif
