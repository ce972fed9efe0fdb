#!/bin/bash
# Abuse limits through Postfix: a member's posts beyond [limits]
# posts_per_hour are held for the coordinators (with the reason), not
# sent and not lost; command letters beyond commands_per_day get one
# answer saying so, then silence; the coordinators are not counted.
# The bounds of one message ([limits] max_header_fields, max_header_line,
# max_mime_depth, max_mime_parts, here small except the line's default
# 998): a post at them goes out, one past any of them is refused by the
# pipe (exit 65) and Postfix bounces it with a 5.6.0 reason naming the
# bound, nothing of it kept or sent; a command letter with more commands
# acting on addresses than max_command_addresses is answered with the
# limit and carried out not at all.  Straight LMTP to metodistd gives the
# same bounds 554 5.6.0 and logs which one.
set -u
METODISTD=${METODISTD:-$(cd "$(dirname "${METODIST:?}")" && pwd)/metodistd}
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=math
D=$E2E_DOMAIN
coord=$(e2e_list_coordinator "$list")
m1=olga.petrova@school5.example.com
m2=pavel.smirnov@school6.example.com

sed -i -e 's/^posts_per_hour *=.*/posts_per_hour = 2/' \
	-e 's/^commands_per_day *=.*/commands_per_day = 2/' \
	-e 's/^max_header_fields *=.*/max_header_fields = 20/' \
	-e 's/^max_mime_depth *=.*/max_mime_depth = 3/' \
	-e 's/^max_mime_parts *=.*/max_mime_parts = 5/' \
	-e 's/^max_command_addresses *=.*/max_command_addresses = 3/' \
	-e 's/^max_header_line *=.*/max_header_line = 998/' "$E2E_CONF"
for kv in 'max_header_fields = 20' 'max_mime_depth = 3' 'max_mime_parts = 5' \
	'max_command_addresses = 3' 'max_header_line = 998'; do
	grep -qx "$kv" "$E2E_CONF" || e2e_bail "the test configuration lacks $kv"
done
grep -q '^posts_per_hour = 2' "$E2E_CONF" ||
	printf '\n[limits]\nposts_per_hour = 2\ncommands_per_day = 2\n' >>"$E2E_CONF"

e2e_init || e2e_bail "metodist init failed"
e2e_member_add "$list" "$m1" "Ольга Петрова"
e2e_member_add "$list" "$m2" "Павел Смирнов"
e2e_member_add "$list" "$coord" "Координатор"
e2e_postfix_start || e2e_bail "private Postfix did not start"

msg=$E2E_TMP/msg
n=0
# mail FROM TO SUBJECT BODY: one letter through Postfix
mail() {
	n=$((n + 1))
	printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <lim-%d.%d@school5.example.com>\nContent-Type: text/plain; charset=utf-8\n\n%s\n' \
		"$1" "$2" "$3" "$n" "$$" "$4" >"$msg"
	e2e_mta_deliver "$1" "$2" "$msg"
}

for i in 1 2 3; do
	mail "$m1" "$list@$D" "Вопрос $i" "Коллеги, вопрос номер $i."
	is "$?" 0 "post $i from one member delivered"
done
# copies_for ADDR PREFIX: ADDR's copies of the posts with Message-ID PREFIX*
copies_for() {
	local f c=0
	for f in $(e2e_outbox_for "$1"); do
		case $(e2e_header "$f" Message-ID) in
		"<$2"*) c=$((c + 1)) ;;
		esac
	done
	echo "$c"
}
is "$(copies_for "$m2" lim-)" 2 "two posts an hour reach the other member"
held=$(e2e_metodist held)
like "$held" "$m1" "the third post is held, not lost"
like "$held" 'больше 2 писем в час' "the held post carries the reason"
is "$(e2e_archive_files "$list" | grep -c .)" 2 "only two posts archived"

for i in 1 2 3; do
	mail "$coord" "$list@$D" "Объявление $i" "Объявление координатора $i."
done
is "$(copies_for "$m2" lim-)" 5 "the coordinator's posts are not counted"

e2e_outbox_clear
for i in 1 2 3 4; do
	mail "$m2" "$list-request@$D" "" "помощь"
done
is "$(e2e_outbox_count_for "$m2")" 3 \
	"four command letters: two answers, one refusal, then silence"
refusals=0
for f in $(e2e_outbox_for "$m2"); do
	e2e_body "$f" | grep -q 'писем с командами' && refusals=$((refusals + 1))
done
is "$refusals" 1 "one answer says the day's commands are used up"
like "$(e2e_maillog)" 'status=sent' "Postfix delivered every letter"
like "$(e2e_metodist held)" "$m1" "the held post is still there at the end"

# --- bounds of one message ---------------------------------------------

# line N: N octets of ASCII
line() { head -c "$1" /dev/zero | tr '\0' 'a'; }
# bound_post ID HEADERS BODY: a post from m2 to the list, Message-ID <ID...>
bound_post() {
	printf 'From: %s\nTo: %s@%s\nSubject: Границы %s\nMessage-ID: <%s.%d@school6.example.com>\nMIME-Version: 1.0\n%s\n%s' \
		"$m2" "$list" "$D" "$1" "$1" "$$" "$2" "$3" >"$msg"
	e2e_mta_deliver "$m2" "$list@$D" "$msg"
}
# refused ID KEY WHAT: the post ID bounced by the pipe with 5.6.0 naming KEY
refused() {
	local log
	log=$(e2e_maillog | grep -F " $E2E_QID: " | grep -F 'relay=metodist')
	is "$E2E_PIPE_STATUS" bounced "$3: Postfix bounces it"
	like "$log" "dsn=5\.6\.0.*status=bounced.*5\.6\.0 .*$2" \
		"$3: the bounce says 5.6.0 and names $2"
	is "$(copies_for "$m1" "$1")" 0 "$3: no member gets a copy"
}

narchived=$(e2e_archive_files "$list" | grep -c .)
edge_line=$(line 998)
mixed='Content-Type: multipart/mixed; boundary="o"'
# depth 3 and 5 parts (mixed, text, alternative, text, html), a line of 998
bound_post bound-edge "$mixed" "
--o
Content-Type: text/plain; charset=utf-8

$edge_line
--o
Content-Type: multipart/alternative; boundary=\"a\"

--a
Content-Type: text/plain; charset=utf-8

Текст на границах.
--a
Content-Type: text/html; charset=utf-8

<p>Текст на границах.</p>
--a--
--o--
"
is "$?" 0 "a post at every bound (depth 3, 5 parts, a 998-octet line) is taken"
is "$(copies_for "$m1" bound-edge)" 1 "the post at the bounds reaches the other member"
is "$(e2e_archive_files "$list" | grep -c .)" $((narchived + 1)) "the post at the bounds is archived"
f=$(e2e_archive_files "$list" | xargs grep -l 'bound-edge' 2>/dev/null | head -n 1)
is "$(grep -cx "$edge_line" "${f:-/dev/null}")" 1 "the 998-octet line is archived whole"

fields=
for i in $(seq 1 25); do fields="${fields}X-Field-$i: $i
"; done
bound_post bound-fields "${fields}Content-Type: text/plain; charset=utf-8
" "Много полей.
"
refused bound-fields max_header_fields "more than 20 header fields"

bound_post bound-line 'Content-Type: text/plain; charset=utf-8
' "Длинная строка:
$(line 999)
"
refused bound-line max_header_line "a line of 999 octets over the configured 998"

bound_post bound-depth "$mixed" "
--o
Content-Type: multipart/mixed; boundary=\"p\"

--p
Content-Type: multipart/mixed; boundary=\"q\"

--q
Content-Type: text/plain; charset=utf-8

Глубоко.
--q--
--p--
--o--
"
refused bound-depth max_mime_depth "MIME nested 4 deep over 3"

parts=
for i in 1 2 3 4 5; do parts="$parts
--o
Content-Type: text/plain; charset=utf-8; name=\"f$i.txt\"
Content-Disposition: attachment; filename=\"f$i.txt\"

файл $i"; done
bound_post bound-parts "$mixed" "$parts
--o--
"
refused bound-parts max_mime_parts "6 MIME parts over 5"

is "$(e2e_archive_files "$list" | grep -c .)" $((narchived + 1)) "none of the refused posts is archived"
is "$(find "$E2E_VAR/spool" -type f | grep -c .)" 0 "nothing of them is left in the spool"

# --- commands acting on addresses, over max_command_addresses (3) -----

c1=nina.orlova@school7.example.com
c2=oleg.ivanov@school8.example.com
e2e_outbox_clear
mail "$c1" "$list-request@$D" "" "подписаться
режим дайджест
участники"
is "$(e2e_outbox_count_for "$c1")" 2 "three address commands: a confirmation and a summary back"
nlimit=0
nconfirm=0
for f in $(e2e_outbox_for "$c1"); do
	e2e_body "$f" | grep -q 'не выполнена ни одна' && nlimit=$((nlimit + 1))
	case $(e2e_header "$f" Reply-To) in
	*+confirm-*) nconfirm=$((nconfirm + 1)) ;;
	esac
done
is "$nlimit" 0 "three commands: no limit answer"
is "$nconfirm" 1 "three commands: the subscription asks for confirmation"

mail "$c2" "$list-request@$D" "" "подписаться
режим дайджест
участники
отписаться"
is "$(e2e_outbox_count_for "$c2")" 1 "four address commands: one letter back"
f=$(e2e_outbox_for "$c2" | head -n 1)
b=$(e2e_body "${f:-/dev/null}")
like "$b" 'больше 3 команд' "the answer names the limit of 3"
like "$b" 'не выполнена ни одна' "the answer says none was carried out"
unlike "$(e2e_header "${f:-/dev/null}" Reply-To)" "confirm-" "no confirmation was asked for"
like "$(e2e_metodist members list "$list" 2>&1)" "." "members list runs"
unlike "$(e2e_metodist members list "$list" 2>&1)" "$c2" "the sender is not subscribed"

# --- the same bounds at metodistd's LMTP ---------------------------------

if [ -x "$METODISTD" ]; then
	cp "$METODISTD" "$E2E_TMP/bin/metodistd" && chmod 755 "$E2E_TMP/bin/metodistd"
	run=$E2E_TMP/run
	mkdir -p "$run" && chown "$E2E_USER:" "$run" && chmod 755 "$run"
	sock=$run/lmtp.sock
	sed -i -e "s|^listen *=.*|listen =|" -e "s|^lmtp *=.*|lmtp = unix:$sock|" "$E2E_CONF"
	runuser -u "$E2E_USER" -- "$E2E_TMP/bin/metodistd" -d -c "$E2E_CONF" \
		>"$E2E_TMP/metodistd.log" 2>&1 &
	for i in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
	daemon=$(cat "$E2E_VAR/metodistd.pid" 2>/dev/null)
	trap '[ -n "${daemon:-}" ] && kill "$daemon" 2>/dev/null; e2e_cleanup' EXIT
	# lmtp_data FILE: the LMTP conversation of FILE from m2 to the list
	lmtp_data() {
		swaks --protocol LMTP --socket "$sock" --from "$m2" \
			--to "$list@$D" --data "@$1" 2>&1
	}
	printf 'From: %s\nSubject: LMTP\nMessage-ID: <lmtp-ok.%d@school6.example.com>\n\n%s\n' \
		"$m2" "$$" "$(line 998)" >"$msg"
	like "$(lmtp_data "$msg")" "<-  250 2\.0\.0 " "LMTP: a message at the line bound gets 250"
	{ printf 'From: %s\nSubject: LMTP\n' "$m2"
	  for i in $(seq 1 19); do printf 'X-F%d: %d\n' "$i" "$i"; done
	  printf '\nbody\n'; } >"$msg"
	like "$(lmtp_data "$msg")" "<\*\* 554 5\.6\.0 message has 21 header fields.*max_header_fields" \
		"LMTP: 21 header fields over 20 get 554 5.6.0 naming the bound"
	printf 'From: %s\nSubject: LMTP\nContent-Type: multipart/mixed; boundary=w\n\n--w\n\na\n--w\n\nb\n--w\n\nc\n--w\n\nd\n--w\n\ne\n--w--\n' \
		"$m2" >"$msg"
	like "$(lmtp_data "$msg")" "<\*\* 554 5\.6\.0 .*max_mime_parts" \
		"LMTP: 6 MIME parts over 5 get 554 5.6.0"
	like "$(cat "$E2E_TMP/metodistd.log")" "refused a message from <$m2>: max_mime_parts 6 over 5" \
		"metodistd logs which bound refused the message"
	kill -TERM "$daemon"
	for i in $(seq 1 50); do e2e_pid_alive "$daemon" || break; sleep 0.1; done
else
	not_ok "no metodistd beside $METODIST"
fi

e2e_done
