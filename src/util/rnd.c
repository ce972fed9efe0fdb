/*
 * rnd: see rnd.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#ifdef HAVE_GETRANDOM
#include <sys/random.h>
#endif

#include "log.h"
#include "rnd.h"

void
rnd_bytes(void *buf, size_t len)
{
	unsigned char	*p = buf;
	ssize_t		 n;
	int		 fd;

#ifdef HAVE_GETRANDOM
	while (len > 0) {
		n = getrandom(p, len, 0);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (len == 0)
		return;
#endif
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) == -1)
		fatal("rnd_bytes: /dev/urandom");
	while (len > 0) {
		n = read(fd, p, len);
		if (n <= 0) {
			if (n == -1 && errno == EINTR)
				continue;
			fatal("rnd_bytes: read");
		}
		p += n;
		len -= (size_t)n;
	}
	close(fd);
}

void
rnd_hex(char *out, size_t nbytes)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 b[64];
	size_t			 i;

	if (nbytes > sizeof b)
		fatalx("rnd_hex: %zu bytes", nbytes);
	rnd_bytes(b, nbytes);
	for (i = 0; i < nbytes; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 0xf];
	}
	out[2 * nbytes] = '\0';
}
