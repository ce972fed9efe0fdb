#!/bin/bash
# Digests through Postfix: two members choose digest mode by mail (one of
# them the plain form), a week of posts (a thread, Cyrillic, a Word file)
# reaches the member in normal mode one by one and the digest readers not
# at all; `metodist digest send L --now` then brings each digest reader
# one digest in the form chosen: MIME with every post whole (attachment
# bytes unchanged), plain (RFC 1153) with the attachment named.  A second
# run sends nothing: no post twice.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=$(e2e_pick_list members math)
[ -n "$list" ] || e2e_bail "no list with policy = members in lists.d"
addr=$list@$E2E_DOMAIN
req=$list-request@$E2E_DOMAIN

e2e_init || e2e_bail "metodist init failed"
anna=anna.ivanova@school1.example.com
boris=boris.orlov@school2.example.com
vera=vera.sokolova@school3.example.com
e2e_member_add "$list" "$anna" "Анна Иванова"
e2e_member_add "$list" "$boris" "Борис Орлов"
e2e_member_add "$list" "$vera" "Вера Соколова"

e2e_postfix_start || e2e_bail "private Postfix did not start"
msg=$E2E_TMP/msg

command() { # FROM BODY
	printf 'From: %s\nTo: %s\nSubject: команды\nMessage-ID: <c%s.%s@school.example.com>\n\n%b\n' \
		"$1" "$req" "$RANDOM" "$$" "$2" >"$msg"
	e2e_mta_deliver "$1" "$req" "$msg"
}
check "anna asks for the digest" command "$anna" "режим дайджест"
check "boris asks for the plain digest" command "$boris" \
	"set digest\nset digest plain"
like "$(e2e_body "$(e2e_outbox_for "$boris" | tail -n 1)")" \
	"простым текстом|plain text" "boris is told his digest is plain"
listed=$(e2e_metodist members list "$list")
like "$listed" "$anna	digest" "anna is in digest mode"
like "$listed" "$boris	digest" "boris is in digest mode"
e2e_outbox_clear

# A week of posts: a question and its answers, news, a Word file.
post() { # FROM ID SUBJECT [IN-REPLY-TO]
	{
		printf 'From: %s\nTo: %s\nSubject: %s\n' "$1" "$addr" "$3"
		printf 'Message-ID: <%s@school.example.com>\n' "$2"
		[ -n "${4:-}" ] && printf 'In-Reply-To: <%s@school.example.com>\nReferences: <%s@school.example.com>\n' "$4" "$4"
		printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nТекст письма %s.\n' "$2"
	} >"$msg"
	e2e_mta_deliver "$1" "$addr" "$msg"
}
check "post 1" post "$vera" d1 "Подготовка к ОГЭ"
check "post 2" post "$anna" d2 "Re: Подготовка к ОГЭ" d1
check "post 3" post "$vera" d3 "Олимпиада: итоги"
check "post 4" post "$boris" d4 "Re: Подготовка к ОГЭ" d2
check "post 5" post "$vera" d5 "Вебинар в четверг"
check "post 6" post "$anna" d6 "Задачи на проценты"
cat >"$msg" <<MSG
From: $vera
To: $addr
Subject: =?UTF-8?B?0J/Qu9Cw0L0g0YPRgNC+0LrQsA==?=
Message-ID: <d7@school.example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b7"

--b7
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

План во вложении.
--b7
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document
Content-Disposition: attachment; filename*=UTF-8''%D0%BF%D0%BB%D0%B0%D0%BD.docx
Content-Transfer-Encoding: base64

UEsDBBQAAAAIAHBsYW4tdXJva2EtNy1rbGFzcw==
--b7--
MSG
check "post 7 with a Word file" e2e_mta_deliver "$vera" "$addr" "$msg"

is "$(e2e_outbox_count_for "$vera")" 7 "vera (normal) got the 7 posts"
is "$(e2e_outbox_count_for "$anna")" 0 "anna (digest) got no single post"
is "$(e2e_outbox_count_for "$boris")" 0 "boris (digest) got no single post"

out=$(e2e_metodist digest send "$list" --now 2>&1)
like "$out" "digest of $list queued" "digest send --now queues a digest"
is "$(e2e_outbox_count_for "$anna")" 1 "anna got one digest"
is "$(e2e_outbox_count_for "$boris")" 1 "boris got one digest"
is "$(e2e_outbox_count_for "$vera")" 7 "vera got no digest"

mime=$(e2e_outbox_for "$anna" | tail -n 1)
plain=$(e2e_outbox_for "$boris" | tail -n 1)
if [ -n "$mime" ] && [ -n "$plain" ]; then
	subj=$(e2e_header "$mime" Subject | python3 -c '
import sys
from email.header import decode_header, make_header
print(str(make_header(decode_header(sys.stdin.read().strip()))))')
	like "$subj" "Дайджест .*том 1, выпуск 1" "MIME digest numbered"
	like "$(e2e_header "$mime" Content-Type)" "multipart/mixed" \
		"MIME digest is multipart/mixed"
	like "$(e2e_header "$mime" List-Id)" "<$list\\." "MIME digest List-Id"
	# Python's email package reads the structure back.
	parts=$(python3 - "$mime" <<'PY'
import sys, email
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
d = [p for p in m.walk() if p.get_content_type() == 'multipart/digest'][0]
inner = [p.get_payload()[0] for p in d.iter_parts()]
print(len(inner))
for i in inner:
    print(i['Message-ID'], i['Subject'])
for p in inner[-1].walk():
    if p.get_filename():
        print('file', p.get_filename(), len(p.get_payload(decode=True)))
PY
)
	like "$parts" "^7" "MIME digest holds 7 posts"
	like "$parts" "<d1@school.example.com> Подготовка к ОГЭ" \
		"MIME digest: Cyrillic subject read back"
	like "$parts" "file план.docx 28" "MIME digest keeps the Word file whole"
	order=$(printf '%s\n' "$parts" | sed -n 's/^<\(d[0-9]\)@.*/\1/p' | tr '\n' ' ')
	is "$order" "d1 d2 d4 d3 d5 d6 d7 " "MIME digest keeps the thread together"

	like "$(e2e_header "$plain" Content-Type)" "text/plain" \
		"plain digest is text/plain"
	pbody=$(e2e_body "$plain")
	like "$pbody" "Вложение: план\\.docx" "plain digest names the attachment"
	unlike "$pbody" "UEsDBBQAAAAIAHBsYW4t" "plain digest leaves the bytes out"
	is "$(printf '%s\n' "$pbody" | grep -c '^------------------------------$')" 7 \
		"plain digest: 7 posts between RFC 1153 separators"
	like "$pbody" "Текст письма d6\\." "plain digest has the texts"
	like "$pbody" "Конец дайджеста" "plain digest ends as RFC 1153 says"
fi

out=$(e2e_metodist digest send "$list" --now 2>&1)
like "$out" "no digest due" "a second send has nothing to send"
e2e_metodist run >/dev/null 2>&1
is "$(e2e_outbox_count_for "$anna")" 1 "still one digest for anna"
is "$(e2e_outbox_count_for "$boris")" 1 "still one digest for boris"

e2e_done
