#!/bin/bash
# Events through Postfix: a coordinator's letters to L+event@D in three
# date styles (Russian words, numbers with a time range, English) and one
# with an .ics whose RRULE repeats weekly are each recorded and confirmed
# back with the dates spelled out, Reply-To L+event-TOKEN@D; members (the
# list's event_notify on) get each event with an .ics attached; a member
# is refused, a letter with no date is answered with the forms
# understood; a Reply "отменить" withdraws the event, once.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=$(e2e_pick_list members math)
[ -n "$list" ] || e2e_bail "no list with policy = members in lists.d"
coord=$(e2e_list_coordinator "$list")
ev=$list+event@$E2E_DOMAIN
db=$E2E_VAR/metodist.db
printf 'event_notify = yes\n' >>"$(e2e_list_conf "$list")"
check "the configuration with event_notify passes check" \
	e2e_metodist check

e2e_init || e2e_bail "metodist init failed"
anna=anna.ivanova@school1.example.com
e2e_member_add "$list" "$anna" "Анна Иванова"
e2e_postfix_start || e2e_bail "private Postfix did not start"
msg=$E2E_TMP/msg

announce() { # FROM SUBJECT BODY
	printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <e%s.%s@imc.example.org>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%b\n' \
		"$1" "$ev" "$2" "$RANDOM" "$$" "$3" >"$msg"
	e2e_mta_deliver "$1" "$ev" "$msg"
}
q() { sqlite3 "$db" "$1"; }
# last_to RCPT: the newest letter delivered to RCPT
last_to() { e2e_outbox_for "$1" | xargs -r ls -t | head -n 1; }
y=$(($(date +%Y) + 1))	# dates to come, whenever the test runs

check "style 1 (Russian words) accepted" announce "$coord" \
	"Семинар по ФГ" "Дата: 12 мая $y, 15:00\nМесто: ИМЦ, кабинет 12\n\nПриглашаем учителей математики."
f=$(last_to "$coord")
like "$(e2e_body "$f")" "12 мая $y, 15:00" "confirmation spells out 12 мая $y, 15:00"
like "$(e2e_body "$f")" "ИМЦ, кабинет 12" "confirmation shows the place"
like "$(e2e_header "$f" Reply-To)" "$list\\+event-[0-9a-f]{32}@" \
	"confirmation Reply-To carries the token"
token1=$(e2e_header "$f" Reply-To | sed -n "s/.*$list+event-\([0-9a-f]*\)@.*/\1/p")
is "$(q "SELECT title || '|' || datetime(starts, 'unixepoch', '+5 hours') || '|' || coalesce(ends, '-') FROM events WHERE token = '$token1'")" \
	"Семинар по ФГ|$y-05-12 15:00:00|-" "style 1 recorded in Yekaterinburg time"

check "style 2 (numbers, range) accepted" announce "$coord" \
	"Вебинар: задачи ОГЭ" "Коллеги!\n12.05.$y 15:00–16:30\nСсылка: https://webinar.example.org/oge"
f=$(last_to "$coord")
like "$(e2e_body "$f")" "12 мая $y, 15:00–16:30" "style 2 confirmed with its range"
like "$(e2e_body "$f")" "https://webinar.example.org/oge" "style 2 link"

check "style 3 (English) accepted" announce "$coord" \
	"Open lesson" "Date: May 20, $y 3:00 PM - 4:30 PM\nPlace: School 5"
f=$(last_to "$coord")
like "$(e2e_body "$f")" "20 мая $y, 15:00–16:30" "style 3 understood as 15:00–16:30"

cat >"$msg" <<MSG
From: $coord
To: $ev
Subject: Methodological Tuesdays
Message-ID: <ics1.$$@imc.example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="c1"

--c1
Content-Type: text/plain; charset=utf-8

The calendar is attached.
--c1
Content-Type: text/calendar; charset=utf-8; name="tuesdays.ics"
Content-Disposition: attachment; filename="tuesdays.ics"

BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//imc//RU
BEGIN:VEVENT
UID:tuesdays@imc.example.org
DTSTAMP:20260401T000000Z
SUMMARY:Методический вторник
LOCATION:ИМЦ
DTSTART;TZID=Asia/Yekaterinburg:${y}0601T140000
DTEND;TZID=Asia/Yekaterinburg:${y}0601T153000
RRULE:FREQ=WEEKLY;COUNT=5
END:VEVENT
END:VCALENDAR
--c1--
MSG
check "an .ics with RRULE accepted" e2e_mta_deliver "$coord" "$ev" "$msg"
f=$(last_to "$coord")
body=$(e2e_body "$f")
for d in "1 июня $y, 14:00–15:30" "8 июня $y" "15 июня $y" \
	"22 июня $y" "29 июня $y"; do
	like "$body" "$d" ".ics confirmation lists $d"
done
is "$(q "SELECT count(*) FROM events WHERE uid = 'tuesdays@imc.example.org' AND source = 'ics'")" 5 \
	"5 occurrences of the RRULE recorded"

is "$(e2e_outbox_count_for "$anna")" 4 "the member got each of the 4 events"
n=0
while IFS= read -r f; do
	grep -q '^Content-Type: text/calendar' "$f" && n=$((n + 1))
done < <(e2e_outbox_for "$anna")
is "$n" 4 "each event to members carries an .ics"
ics=$(e2e_outbox_for "$anna" | xargs -r ls -tr | head -n 1)
like "$(python3 - "$ics" <<'PY'
import sys, email
m = email.message_from_binary_file(open(sys.argv[1], 'rb'))
for p in m.walk():
    if p.get_content_type() == 'text/calendar':
        print(p.get_payload(decode=True).decode())
PY
)" "DTSTART:${y}0512T100000Z" "the member's .ics starts at 10:00 UTC"

check "a member's announcement is delivered" announce "$anna" "My event" \
	"Дата: 1 июня $y"
like "$(e2e_body "$(last_to "$anna")")" "только координаторы|координаторы" \
	"a member is told only coordinators announce"
is "$(q "SELECT count(*) FROM events WHERE title = 'My event'")" 0 \
	"nothing recorded from a member"

check "a letter without a date is delivered" announce "$coord" "Скоро" \
	"Подробности позже."
like "$(e2e_header "$(last_to "$coord")" Subject | python3 -c '
import sys
from email.header import decode_header, make_header
print(str(make_header(decode_header(sys.stdin.read().strip()))))')" \
	"Не удалось понять дату" "no date: the coordinator is told"

printf 'From: %s\nTo: %s+event-%s@%s\nSubject: Re: Мероприятие записано: отмена занятий\nMessage-ID: <t%s@imc.example.org>\n\nСпасибо!\n\n> Чтобы отменить, ответьте на это письмо словом «отменить»\n' \
	"$coord" "$list" "$token1" "$E2E_DOMAIN" "$$" >"$msg"
check "a thank-you reply is delivered" e2e_mta_deliver "$coord" \
	"$list+event-$token1@$E2E_DOMAIN" "$msg"
is "$(q "SELECT state FROM events WHERE token = '$token1'")" active \
	"a reply quoting the word does not withdraw"
like "$(e2e_body "$(last_to "$coord")")" "ответьте словом «отменить»" \
	"the coordinator is told how to withdraw"

printf 'From: %s\nTo: %s+event-%s@%s\nSubject: Re: Мероприятие записано\nMessage-ID: <x%s@imc.example.org>\n\nотменить\n\n> Название: Семинар по ФГ\n' \
	"$coord" "$list" "$token1" "$E2E_DOMAIN" "$$" >"$msg"
check "the cancel reply is delivered" e2e_mta_deliver "$coord" \
	"$list+event-$token1@$E2E_DOMAIN" "$msg"
is "$(q "SELECT state FROM events WHERE token = '$token1'")" cancelled \
	"the event is withdrawn"
like "$(e2e_body "$(last_to "$coord")")" "отменено" "the coordinator is told"
check "a second cancel is delivered" e2e_mta_deliver "$coord" \
	"$list+event-$token1@$E2E_DOMAIN" "$msg"
like "$(e2e_body "$(last_to "$coord")")" "уже отменено" \
	"a second cancel: already cancelled"
is "$(q "SELECT count(*) FROM events WHERE state = 'active'")" 7 \
	"the other events stay"

e2e_done
