#!/usr/bin/env python3
"""Fixtures for t-submit.sh: documents, messages carrying them, and the
files found in a delivered letter.

  submission.py docx OUT TEXT      a small Word document (a ZIP with word/)
  submission.py pdf OUT TEXT       a small PDF
  submission.py message OUT FROM TO SUBJECT BODY FILE:NAME:CHARSET ...
        a multipart/mixed message; each file's name is given as RFC 2231
        (filename*) in CHARSET, and as an RFC 2047 word in name=
  submission.py files LETTER       one line per attached file:
        "SHA256<TAB>NAME" (NAME decoded)
"""
import email
import email.policy
import hashlib
import io
import sys
import urllib.parse
import zipfile
from base64 import b64encode


def docx(out, text):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml",
                   '<?xml version="1.0"?><w:document><w:body><w:p><w:r>'
                   '<w:t>%s</w:t></w:r></w:p></w:body></w:document>' % text)
    open(out, "wb").write(buf.getvalue())


def pdf(out, text):
    body = ("%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
            "%% %s\ntrailer << /Root 1 0 R >>\n%%%%EOF\n" % text)
    open(out, "wb").write(body.encode("utf-8") + bytes(range(256)))


def wrap(data):
    enc = b64encode(data).decode()
    return "\n".join(enc[i:i + 76] for i in range(0, len(enc), 76))


def message(out, sender, to, subject, body, specs):
    b = "=_submission_boundary"
    subj = "=?UTF-8?B?%s?=" % b64encode(subject.encode()).decode()
    parts = ["From: %s\nTo: %s\nSubject: %s\nMessage-ID: <%s@school.example.com>\n"
             "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"%s\"\n\n"
             "--%s\nContent-Type: text/plain; charset=utf-8\n"
             "Content-Transfer-Encoding: 8bit\n\n%s\n"
             % (sender, to, subj, hashlib.sha1((subject + body + repr(specs))
                .encode()).hexdigest(), b, b, body)]
    for spec in specs:
        path, name, charset = spec.split(":", 2)
        raw = name.encode(charset)
        pct = urllib.parse.quote(raw, safe="")
        word = "=?%s?B?%s?=" % (charset, b64encode(raw).decode())
        parts.append("--%s\nContent-Type: application/octet-stream; name=\"%s\"\n"
                     "Content-Disposition: attachment; filename*=%s''%s\n"
                     "Content-Transfer-Encoding: base64\n\n%s\n"
                     % (b, word, charset, pct, wrap(open(path, "rb").read())))
    parts.append("--%s--\n" % b)
    open(out, "w").write("".join(parts))


def files(letter):
    msg = email.message_from_binary_file(open(letter, "rb"),
                                         policy=email.policy.default)
    for part in msg.iter_attachments():
        data = part.get_payload(decode=True) or b""
        print("%s\t%s" % (hashlib.sha256(data).hexdigest(),
                          part.get_filename()))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "docx":
        docx(sys.argv[2], sys.argv[3])
    elif cmd == "pdf":
        pdf(sys.argv[2], sys.argv[3])
    elif cmd == "message":
        message(*sys.argv[2:7], sys.argv[7:])
    elif cmd == "files":
        files(sys.argv[2])
    else:
        sys.exit("unknown command " + cmd)
