#!/bin/bash
# The newsletter through Postfix: an event announced by mail, a recurring
# one by .ics, and an RSS feed served on loopback by tests/feed-server.py
# (its second fetch a conditional GET answered 304) all reach the issue,
# in date order, with a thread and an activity line; `metodist newsletter
# send L --now` delivers one multipart/alternative issue to each member
# not in nomail; its HTML part is rendered in headless Chromium and must
# draw; a second send finds nothing new and sends nothing.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=$(e2e_pick_list members math)
[ -n "$list" ] || e2e_bail "no list with policy = members in lists.d"
coord=$(e2e_list_coordinator "$list")
addr=$list@$E2E_DOMAIN
y=$(($(date +%Y) + 1))

# The feed server, on a free loopback port.
fs_dir=$E2E_TMP/feeds
mkdir -p "$fs_dir"
d3=$(date -d '+10 days' +%d.%m.%Y)	# the RSS feed's seminar
python3 "$E2E_SRCDIR/tests/feed-server.py" "$fs_dir/port" "$fs_dir/log" \
	"$y" "$d3" &
fs_pid=$!
trap 'kill "$fs_pid" 2>/dev/null; e2e_cleanup' EXIT
for _ in $(seq 1 100); do [ -s "$fs_dir/port" ] && break; sleep 0.1; done
[ -s "$fs_dir/port" ] || e2e_bail "the feed server did not start"
fport=$(cat "$fs_dir/port")
printf 'feeds = http://127.0.0.1:%s/rss\n' "$fport" >>"$(e2e_list_conf "$list")"
check "configuration with a feed passes check" e2e_metodist check

e2e_init || e2e_bail "metodist init failed"
anna=anna.ivanova@school1.example.com
boris=boris.orlov@school2.example.com
clara=clara.belova@school3.example.com
e2e_member_add "$list" "$anna" "Анна Иванова"
e2e_member_add "$list" "$boris" "Борис Орлов"
e2e_member_add "$list" "$clara" "Клара Белова"
sqlite3 "$E2E_VAR/metodist.db" "UPDATE members SET mode = 'digest' WHERE address = '$boris'; UPDATE members SET mode = 'nomail' WHERE address = '$clara';"
e2e_postfix_start || e2e_bail "private Postfix did not start"
msg=$E2E_TMP/msg

# Dates a few weeks ahead, so that the two-month window holds them.
d1=$(date -d '+20 days' +%d.%m.%Y)
d2=$(date -d '+27 days' +%Y%m%d)

printf 'From: %s\nTo: %s+event@%s\nSubject: Семинар по функциональной грамотности\nMessage-ID: <n1.%s@imc.example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nДата: %s 15:00–16:30\nМесто: ИМЦ, кабинет 12\n' \
	"$coord" "$list" "$E2E_DOMAIN" "$$" "$d1" >"$msg"
check "an event by mail" e2e_mta_deliver "$coord" "$list+event@$E2E_DOMAIN" "$msg"
cat >"$msg" <<MSG
From: $coord
To: $list+event@$E2E_DOMAIN
Subject: Клуб
Message-ID: <n2.$$@imc.example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="c1"

--c1
Content-Type: text/plain; charset=utf-8

Календарь во вложении.
--c1
Content-Type: text/calendar; charset=utf-8
Content-Disposition: attachment; filename="club.ics"

BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//imc//RU
BEGIN:VEVENT
UID:club-tuesdays@imc.example.org
DTSTAMP:20260101T000000Z
SUMMARY:Клуб наставников
DTSTART;TZID=Asia/Yekaterinburg:${d2}T170000
RRULE:FREQ=WEEKLY;COUNT=2
END:VEVENT
END:VCALENDAR
--c1--
MSG
check "an event by .ics with RRULE" e2e_mta_deliver "$coord" "$list+event@$E2E_DOMAIN" "$msg"

out=$(e2e_metodist feeds --now 2>&1)
like "$out" "/rss	status 200	failures 0	entries 2" "the feed fetched: 200, 2 entries"
out=$(e2e_metodist feeds --now 2>&1)
like "$out" "/rss	status 304	failures 0	entries 2" "the second fetch answered 304"
like "$(cat "$fs_dir/log")" '/rss 304 "rss-v1"' \
	"the second fetch was a conditional GET (If-None-Match)"

post() { # FROM ID SUBJECT [PARENT]
	{
		printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <%s.%s@school.example.com>\n' "$1" "$addr" "$3" "$2" "$$"
		[ -n "${4:-}" ] && printf 'In-Reply-To: <%s.%s@school.example.com>\nReferences: <%s.%s@school.example.com>\n' "$4" "$$" "$4" "$$"
		printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nТекст.\n'
	} >"$msg"
	e2e_mta_deliver "$1" "$addr" "$msg"
}
check "post 1" post "$anna" p1 "Задачи на проценты"
check "post 2" post "$boris" p2 "Re: Задачи на проценты" p1
check "post 3" post "$anna" p3 "Re: Задачи на проценты" p2
e2e_outbox_clear
# An issue covers the posts received before its second; one received in
# that very second belongs to the next issue.  Let the second pass.
sleep 1

preview=$(e2e_metodist newsletter preview "$list" 2>&1)
like "$preview" "Семинар по функциональной грамотности" "preview: the mail event"
like "$preview" "Клуб наставников" "preview: the .ics event"
like "$preview" "Итоги олимпиады" "preview: the feed's news"
like "$preview" "Семинар «Функциональная грамотность»" "preview: the feed's event"
rss=$(printf '%s\n' "$preview" | grep -n "Семинар «Функциональная" | head -n 1 | cut -d: -f1)
like "$preview" "Задачи на проценты" "preview: the liveliest thread"
like "$preview" "3 письма" "preview: the thread's count"
first=$(printf '%s\n' "$preview" | grep -n "Семинар по функциональной" | head -n 1 | cut -d: -f1)
club=$(printf '%s\n' "$preview" | grep -n "Клуб наставников" | head -n 1 | cut -d: -f1)
ok_order=0
[ -n "$rss" ] && [ -n "$first" ] && [ -n "$club" ] &&
	[ "$rss" -lt "$first" ] && [ "$first" -lt "$club" ] && ok_order=1
is "$ok_order" 1 "events in date order: the feed's, the mail's, the .ics's"
is "$(e2e_outbox_count)" 0 "preview sends nothing"

out=$(e2e_metodist newsletter send "$list" --now 2>&1)
like "$out" "newsletter of $list sent" "newsletter send --now"
is "$(e2e_outbox_count_for "$anna")" 1 "anna (normal) got the issue"
is "$(e2e_outbox_count_for "$boris")" 1 "boris (digest) got the issue"
is "$(e2e_outbox_count_for "$clara")" 0 "clara (nomail) did not"

f=$(e2e_outbox_for "$anna" | head -n 1)
html=$E2E_TMP/newsletter.html
if [ -n "$f" ]; then
	like "$(e2e_header "$f" Content-Type)" "multipart/alternative" \
		"the issue is multipart/alternative"
	python3 - "$f" "$html" <<'PY'
import sys, email
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
h = m.get_body(preferencelist=('html',)).get_content()
open(sys.argv[2], 'w', encoding='utf-8').write(h)
PY
	hs=$(cat "$html")
	like "$hs" "Клуб наставников" "HTML part: the .ics event"
	like "$hs" "Семинар по функциональной грамотности" "HTML part: the mail event"
	like "$hs" "Итоги олимпиады" "HTML part: the feed's news"
	like "$hs" "Семинар «Функциональная грамотность»" "HTML part: the feed's event"
	unlike "$hs" "<script" "HTML part: no scripts"
	chmod a+r "$html"
	"$E2E_SRCDIR/tests/browser/shot.sh" "$html" "$E2E_TMP/newsletter.png" 700,1400 >"$E2E_TMP/shot.log" 2>&1
	rc=$?
	if [ "$rc" -eq 77 ]; then
		E2E_N=$((E2E_N + 1))
		printf 'ok %d # SKIP no chromium for the screenshot\n' "$E2E_N"
	else
		is "$rc" 0 "the HTML part draws in headless Chromium"
		like "$(cat "$E2E_TMP/newsletter.dom.html" 2>/dev/null)" \
			"Клуб наставников" "Chromium's DOM holds the issue"
		[ -n "${E2E_SHOT_DIR:-}" ] && cp "$E2E_TMP/newsletter.png" "$E2E_SHOT_DIR/"
	fi
fi

out=$(e2e_metodist feeds --now 2>&1)
out=$(e2e_metodist newsletter send "$list" --now 2>&1)
like "$out" "is empty: not sent" "a second send finds nothing new"
is "$(e2e_outbox_count_for "$anna")" 1 "anna still has one issue"

e2e_done
