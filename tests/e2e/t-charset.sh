#!/bin/bash
# Russian mail as Russian clients send it: KOI8-R and windows-1251 encoded
# subjects come out as RFC 2047 that decodes to the same text, and an
# attachment with an RFC 2231 Cyrillic filename keeps its bytes and its name.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=$(e2e_pick_list members math)
[ -n "$list" ] || e2e_bail "no list with policy = members"
addr=$list@$E2E_DOMAIN

e2e_init || e2e_bail "metodist init failed"
m1=elena.sokolova@school6.example.com
m2=dmitry.volkov@school7.example.com
e2e_member_add "$list" "$m1" "Елена Соколова"
e2e_member_add "$list" "$m2" "Дмитрий Волков"

e2e_postfix_start || e2e_bail "private Postfix did not start"

msg=$E2E_TMP/msg
n_msg=0

# b_word CHARSET TEXT: TEXT as one RFC 2047 B encoded word in CHARSET
b_word() {
	printf '=?%s?B?%s?=' "$1" \
		"$(printf '%s' "$2" | iconv -f UTF-8 -t "$1" | base64 -w 0)"
}

# hex_bytes: the bytes of stdin as lower-case hex, one per line
hex_bytes() {
	od -An -v -tx1 | tr -s ' ' '\n' | sed '/^$/d'
}

# q_word CHARSET TEXT: TEXT as one RFC 2047 Q encoded word in CHARSET
q_word() {
	local h
	printf '=?%s?Q?' "$1"
	for h in $(printf '%s' "$2" | iconv -f UTF-8 -t "$1" | hex_bytes); do
		case $h in
		20) printf _ ;;
		3[0-9] | 4[1-9a-f] | 5[0-9a] | 6[1-9a-f] | 7[0-9a])
			# shellcheck disable=SC2059 # the format is the byte
			printf "\\x$h" ;;
		*) printf '=%s' "${h^^}" ;;
		esac
	done
	printf '?='
}

# pct_2231 TEXT: TEXT in UTF-8 percent-encoded for an RFC 2231 value
pct_2231() {
	local h
	for h in $(printf '%s' "$1" | hex_bytes); do
		case $h in
		2d | 2e | 3[0-9] | 4[1-9a-f] | 5[0-9a] | 5f | 6[1-9a-f] | 7[0-9a])
			# shellcheck disable=SC2059 # the format is the byte
			printf "\\x$h" ;;
		*) printf '%%%s' "${h^^}" ;;
		esac
	done
}

# header_block FROM SUBJECT-WORD: the common headers of a test message
header_block() {
	n_msg=$((n_msg + 1))
	printf 'From: %s\r\nTo: %s\r\nSubject: %s\r\n' "$1" "$addr" "$2"
	printf 'Date: %s\r\n' "$(date -R)"
	printf 'Message-ID: <charset-%d.%s@school6.example.com>\r\n' \
		"$n_msg" "$$"
	printf 'MIME-Version: 1.0\r\n'
}

# decoded_subject FILE: the Subject of FILE decoded to UTF-8
decoded_subject() {
	python3 - "$1" <<'PY'
import sys
from email.header import decode_header, make_header
with open(sys.argv[1], "rb") as fp:
    raw = fp.read().decode("ascii", "replace")
head = raw.replace("\r\n", "\n").split("\n\n", 1)[0]
value = None
for line in head.split("\n"):
    if value is not None and line[:1] in (" ", "\t"):
        value += line
        continue
    if value is not None:
        break
    if line.lower().startswith("subject:"):
        value = line[8:]
print(str(make_header(decode_header((value or "").strip()))))
PY
}

# subject_case NAME CHARSET-TEXT WORD: send, then check both copies
subject_case() {
	local name=$1 text=$2 word=$3 m f raw
	e2e_outbox_clear
	{
		header_block "$m1" "$word"
		printf 'Content-Type: text/plain; charset=utf-8\r\n'
		printf 'Content-Transfer-Encoding: 8bit\r\n\r\n'
		printf 'Тест кодировки %s.\r\n' "$name"
	} >"$msg"
	check "$name: Postfix accepted the post" e2e_send_raw "$m1" "$addr" "$msg"
	check "$name: queue drained" e2e_wait_queue_empty 20
	for m in "$m1" "$m2"; do
		is "$(e2e_outbox_count_for "$m")" 1 "$name: $m got one copy"
		f=$(e2e_outbox_for "$m" | sed -n 1p)
		[ -n "$f" ] || continue
		raw=$(e2e_header_raw "$f" Subject)
		if e2e_is_ascii "$raw"; then
			ok "$name: $m: raw Subject is ASCII"
		else
			not_ok "$name: $m: raw Subject is ASCII" "$raw"
		fi
		like "$raw" '=\?[A-Za-z0-9_-]+\?[BbQq]\?' \
			"$name: $m: raw Subject is RFC 2047 encoded"
		like "$(decoded_subject "$f")" "$text\$" \
			"$name: $m: Subject decodes to the original text"
	done
}

koi8_text="Открытый урок по алгебре в 7 классе"
subject_case KOI8-R "$koi8_text" "$(b_word KOI8-R "$koi8_text")"

cp1251_text="Методическая неделя: итоги и планы"
# three encoded words, folded, each within the 75 characters RFC 2047 allows
fold=$'\r\n '
subject_case windows-1251 "$cp1251_text" \
	"$(q_word windows-1251 "Методическая ")$fold$(q_word windows-1251 \
		"неделя: ")$fold$(q_word windows-1251 "итоги и планы")"

# --- attachment with a Cyrillic RFC 2231 filename --------------------------
e2e_outbox_clear
fname="План урока.docx"
fname_2231=$(pct_2231 "$fname")
payload=$E2E_TMP/payload.bin
head -c 6000 /dev/urandom >"$payload"
want_sha=$(sha256sum "$payload" | cut -d' ' -f1)
boundary="=_e2e_boundary_$$"
{
	header_block "$m1" "$(b_word UTF-8 "Разработка урока")"
	printf 'Content-Type: multipart/mixed; boundary="%s"\r\n\r\n' "$boundary"
	printf 'This is a multi-part message in MIME format.\r\n'
	printf -- '--%s\r\n' "$boundary"
	printf 'Content-Type: text/plain; charset=utf-8\r\n'
	printf 'Content-Transfer-Encoding: 8bit\r\n\r\n'
	printf 'Коллеги, во вложении план урока.\r\n\r\n'
	printf -- '--%s\r\n' "$boundary"
	printf 'Content-Type: application/vnd.openxmlformats-officedocument.'
	printf 'wordprocessingml.document;\r\n name*=utf-8'"''"'%s\r\n' "$fname_2231"
	printf 'Content-Disposition: attachment;\r\n'
	printf ' filename*=utf-8'"''"'%s\r\n' "$fname_2231"
	printf 'Content-Transfer-Encoding: base64\r\n\r\n'
	base64 -w 76 "$payload" | sed 's/$/\r/'
	printf -- '--%s--\r\n' "$boundary"
} >"$msg"

# attachment FILE: "sha256 filename" of each attachment of FILE
attachment() {
	python3 - "$1" <<'PY'
import hashlib, sys, email
from email import policy
from email.header import decode_header, make_header
with open(sys.argv[1], "rb") as fp:
    msg = email.message_from_binary_file(fp, policy=policy.compat32)
for part in msg.walk():
    name = part.get_filename()
    if name is None:
        continue
    if isinstance(name, tuple):
        name = email.utils.collapse_rfc2231_value(name)
    if "=?" in name:
        name = str(make_header(decode_header(name)))
    data = part.get_payload(decode=True) or b""
    print(hashlib.sha256(data).hexdigest(), name)
PY
}

check "attachment: Postfix accepted the post" e2e_send_raw "$m1" "$addr" "$msg"
check "attachment: queue drained" e2e_wait_queue_empty 20
for m in "$m1" "$m2"; do
	is "$(e2e_outbox_count_for "$m")" 1 "attachment: $m got one copy"
	f=$(e2e_outbox_for "$m" | sed -n 1p)
	[ -n "$f" ] || continue
	is "$(attachment "$f")" "$want_sha $fname" \
		"attachment: $m: same bytes, same name"
done
mapfile -t archived < <(e2e_archive_files "$list")
is "${#archived[@]}" 3 "archive holds the three posts"
if [ "${#archived[@]}" -ge 1 ]; then
	got=$(for a in "${archived[@]}"; do attachment "$a"; done)
	is "$got" "$want_sha $fname" "archive: attachment kept byte-exact"
fi

e2e_done
