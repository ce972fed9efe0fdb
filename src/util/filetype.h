/*
 * filetype: what kind of document a file is, by its content.
 *
 * Contract: filetype_sniff() looks only at the bytes: "pdf" (a %PDF-
 * header), the ZIP containers by the names inside them ("docx" with
 * word/, "xlsx" with xl/, "pptx" with ppt/, "odt"/"ods"/"odp" by the
 * stored mimetype entry), "zip" for any other ZIP, "ole" for the old
 * Office compound files; NULL when it knows none of these.  The ZIP
 * directory is read within the given length only; a damaged one falls
 * back to the local headers.  filetype_of() adds the name: it returns
 * the extension's type only when the extension (case-blind) agrees with
 * the content ("doc", "xls" or "ppt" for an "ole" file; "zip" for any
 * ZIP named .zip), else NULL.  Nothing is allocated.
 */
#ifndef METODIST_FILETYPE_H
#define METODIST_FILETYPE_H

#include <stddef.h>

const char	*filetype_sniff(const void *data, size_t len);
/* The type named by the file's extension and confirmed by its content. */
const char	*filetype_of(const char *name, const void *data, size_t len);
/* The extension of name, lower case ASCII, into out ("" when none). */
void		 filetype_extension(const char *name, char *out, size_t sz);

#endif
