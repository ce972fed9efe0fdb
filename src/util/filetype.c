/*
 * filetype: see filetype.h.
 *
 * A ZIP file ends with the end-of-central-directory record, which gives
 * where the central directory is and how many entries it has; each entry
 * names one member.  OOXML packages keep their parts under word/, xl/ or
 * ppt/; OpenDocument files start with an uncompressed member "mimetype"
 * whose content names the kind.
 */
#include <config.h>

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "util/filetype.h"

#define FILETYPE_EOCD_MIN	22
#define FILETYPE_COMMENT_MAX	65535
#define FILETYPE_ENTRIES_MAX	100000
#define FILETYPE_ODF		"application/vnd.oasis.opendocument."

struct filetype_zip {
	int	word, xl, ppt;
	char	odf[16];	/* "text", "spreadsheet", "presentation" */
};

static unsigned
filetype_le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t
filetype_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
filetype_note_name(struct filetype_zip *z, const unsigned char *name,
    size_t len)
{
	if (len >= 5 && memcmp(name, "word/", 5) == 0)
		z->word = 1;
	else if (len >= 3 && memcmp(name, "xl/", 3) == 0)
		z->xl = 1;
	else if (len >= 4 && memcmp(name, "ppt/", 4) == 0)
		z->ppt = 1;
}

/* The stored "mimetype" member at the start of an OpenDocument file. */
static void
filetype_odf(const unsigned char *p, size_t len, struct filetype_zip *z)
{
	size_t	nlen, xlen, dlen, off, i, plen = strlen(FILETYPE_ODF);

	if (len < 30 || memcmp(p, "PK\3\4", 4) != 0)
		return;
	nlen = filetype_le16(p + 26);
	xlen = filetype_le16(p + 28);
	dlen = filetype_le32(p + 18);
	if (filetype_le16(p + 8) != 0 || nlen != 8 || len < 30 + nlen ||
	    memcmp(p + 30, "mimetype", 8) != 0)
		return;
	off = 30 + nlen + xlen;
	if (off > len || dlen > len - off || dlen <= plen ||
	    memcmp(p + off, FILETYPE_ODF, plen) != 0)
		return;
	for (i = 0; i + 1 < sizeof z->odf && plen + i < dlen; i++)
		z->odf[i] = (char)p[off + plen + i];
	z->odf[i] = '\0';
}

/* Walk the central directory; -1 when there is none to walk. */
static int
filetype_central(const unsigned char *p, size_t len, struct filetype_zip *z)
{
	size_t	 i, start, off, n, count, nlen;

	if (len < FILETYPE_EOCD_MIN)
		return -1;
	start = len > FILETYPE_EOCD_MIN + FILETYPE_COMMENT_MAX ?
	    len - FILETYPE_EOCD_MIN - FILETYPE_COMMENT_MAX : 0;
	for (i = len - FILETYPE_EOCD_MIN; memcmp(p + i, "PK\5\6", 4) != 0;
	    i--)
		if (i == start)
			return -1;
	count = filetype_le16(p + i + 10);
	off = filetype_le32(p + i + 16);
	for (n = 0; n < count && n < FILETYPE_ENTRIES_MAX; n++) {
		if (off > len || len - off < 46 ||
		    memcmp(p + off, "PK\1\2", 4) != 0)
			return n == 0 ? -1 : 0;
		nlen = filetype_le16(p + off + 28);
		if (nlen > len - off - 46)
			return 0;
		filetype_note_name(z, p + off + 46, nlen);
		off += 46 + nlen + filetype_le16(p + off + 30) +
		    filetype_le16(p + off + 32);
	}
	return 0;
}

/* No usable directory: the local headers, wherever they are found. */
static void
filetype_local(const unsigned char *p, size_t len, struct filetype_zip *z)
{
	const unsigned char	*q = p, *end = p + len;
	size_t			 nlen;

	while (end - q >= 30 && (q = memmem(q, (size_t)(end - q), "PK\3\4",
	    4)) != NULL && end - q >= 30) {
		nlen = filetype_le16(q + 26);
		if (nlen <= (size_t)(end - q) - 30)
			filetype_note_name(z, q + 30, nlen);
		q += 4;
	}
}

static const char *
filetype_zip(const unsigned char *p, size_t len)
{
	struct filetype_zip	z;

	memset(&z, 0, sizeof z);
	filetype_odf(p, len, &z);
	if (strcmp(z.odf, "text") == 0)
		return "odt";
	if (strcmp(z.odf, "spreadsheet") == 0)
		return "ods";
	if (strcmp(z.odf, "presentation") == 0)
		return "odp";
	if (filetype_central(p, len, &z) == -1)
		filetype_local(p, len, &z);
	if (z.word)
		return "docx";
	if (z.xl)
		return "xlsx";
	if (z.ppt)
		return "pptx";
	return "zip";
}

const char *
filetype_sniff(const void *data, size_t len)
{
	const unsigned char	*p = data;

	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "pdf";
	if (len >= 4 && (memcmp(p, "PK\3\4", 4) == 0 ||
	    memcmp(p, "PK\5\6", 4) == 0))
		return filetype_zip(p, len);
	if (len >= 8 && memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return "ole";
	return NULL;
}

void
filetype_extension(const char *name, char *out, size_t sz)
{
	const char	*dot = name ? strrchr(name, '.') : NULL;
	size_t		 i;

	out[0] = '\0';
	if (dot == NULL || strlen(dot + 1) >= sz)
		return;
	for (i = 0; dot[1 + i] != '\0'; i++)
		out[i] = (char)((dot[1 + i] >= 'A' && dot[1 + i] <= 'Z') ?
		    dot[1 + i] - 'A' + 'a' : dot[1 + i]);
	out[i] = '\0';
}

const char *
filetype_of(const char *name, const void *data, size_t len)
{
	static const char *const ole[] = { "doc", "xls", "ppt" };
	const char	*t = filetype_sniff(data, len);
	char		 ext[16];
	size_t		 i;

	if (t == NULL)
		return NULL;
	filetype_extension(name, ext, sizeof ext);
	if (strcmp(t, "ole") == 0) {
		for (i = 0; i < sizeof ole / sizeof ole[0]; i++)
			if (strcmp(ext, ole[i]) == 0)
				return ole[i];
		return NULL;
	}
	/* A package sent with the plain archive's extension is still a
	 * ZIP the reader can open. */
	if (strcmp(ext, t) == 0)
		return t;
	return strcmp(ext, "zip") == 0 ? "zip" : NULL;
}
