/*
 * buf: a growable byte buffer.
 *
 * Contract: data is always NUL-terminated after len bytes (so buf_cstr is
 * free), may contain NUL bytes inside, and grows without bound only up to
 * what the caller puts in: callers bound wire input before adding it.
 */
#ifndef METODIST_BUF_H
#define METODIST_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, int);
/* One Unicode code point as UTF-8; an impossible one becomes U+FFFD. */
void	 buf_add_utf8(struct buf *, uint32_t cp);
void	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
const char *buf_cstr(struct buf *);
char	*buf_detach(struct buf *);

#endif
