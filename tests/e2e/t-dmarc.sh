#!/bin/bash
# DMARC through the whole path, with a local DNS server (dnsmasq on
# loopback) answering for the authors' domains: p=reject and p=quarantine
# rewrite From to "Name via List" <list> with the author in Reply-To; p=none
# and no record leave From alone; a DNS server that does not answer makes
# the gateway rewrite (the safe choice) within the configured timeout.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

DNSMASQ=${DNSMASQ:-/usr/sbin/dnsmasq}
[ -x "$DNSMASQ" ] || e2e_bail "dnsmasq missing: install dnsmasq-base"

list=$(e2e_pick_list members math)
addr=$list@$E2E_DOMAIN
port=$(e2e_free_port)
"$DNSMASQ" --keep-in-foreground --pid-file= --conf-file=/dev/null \
	--no-resolv --no-hosts --bind-interfaces --listen-address=127.0.0.1 \
	--port="$port" --local=/ru/ \
	--txt-record=_dmarc.strict-school.ru,"v=DMARC1; p=reject" \
	--txt-record=_dmarc.careful-school.ru,"v=DMARC1; p=quarantine" \
	--txt-record=_dmarc.relaxed-school.ru,"v=DMARC1; p=none" \
	>"$E2E_TMP/dnsmasq.log" 2>&1 &
dns_pid=$!
trap 'kill "$dns_pid" 2>/dev/null; e2e_cleanup' EXIT
sleep 0.5
kill -0 "$dns_pid" 2>/dev/null || e2e_bail "dnsmasq did not start: $(cat "$E2E_TMP/dnsmasq.log")"

# decode VALUE: an RFC 2047 header value as text
decode() {
	python3 -c 'import sys
from email.header import decode_header, make_header
print(str(make_header(decode_header(sys.argv[1]))))' "$1"
}

# set_nameserver VALUE: point [dmarc] nameserver at VALUE
set_nameserver() {
	sed -i "s/^nameserver *=.*/nameserver = $1/" "$E2E_CONF"
	sed -i "s/^timeout *=.*/timeout = 2/; s/^mode *=.*/mode = auto/" "$E2E_CONF"
}
set_nameserver "127.0.0.1:$port"

e2e_init || e2e_bail "metodist init failed"
reader=reader@school1.example.org
e2e_member_add "$list" "$reader" "Читатель"
n=0
# post FROM NAME: a member's post via the pipe; $copy is the reader's copy
post() {
	n=$((n + 1))
	e2e_member_add "$list" "$1" "$2"
	e2e_outbox_clear
	printf 'From: %s <%s>\nTo: %s\nSubject: DMARC %d\nMessage-ID: <dmarc-%d.%s@x.ru>\n\nТекст.\n' \
		"$2" "$1" "$addr" "$n" "$n" "$$" >"$E2E_TMP/msg"
	chmod 644 "$E2E_TMP/msg"
	start=$(date +%s)
	runuser -u "$E2E_USER" -- "$METODIST" -c "$E2E_CONF" deliver -f "$1" \
		"$addr" <"$E2E_TMP/msg" >/dev/null 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	copy=$(e2e_outbox_for "$reader")
}

for d in strict-school.ru careful-school.ru; do
	post "teacher@$d" "Анна Иванова"
	is "$rc" 0 "$d: deliver exits 0"
	from=$(e2e_header "$copy" From)
	like "$from" "<$addr>" "$d: From is the list address"
	title=$(e2e_list_key "$list" title)
	is "$(decode "$from")" "Анна Иванова via $title <$addr>" \
		"$d: From reads \"Author via List\" once decoded"
	like "$(e2e_header "$copy" Reply-To)" "teacher@$d" "$d: Reply-To keeps the author"
	e2e_is_ascii "$(e2e_header_raw "$copy" From)" &&
		ok "$d: the rewritten From is RFC 2047 encoded" ||
		not_ok "$d: the rewritten From is RFC 2047 encoded"
done

for d in relaxed-school.ru unlisted-school.ru; do
	post "teacher@$d" "Пётр Сидоров"
	is "$rc" 0 "$d: deliver exits 0"
	like "$(e2e_header "$copy" From)" "teacher@$d" "$d: From stays the author's"
	is "$(e2e_header "$copy" Reply-To)" "" "$d: no Reply-To added"
done

# A DNS server that never answers: rewrite, and do not wait past the timeout.
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
time.sleep(60)' >"$E2E_TMP/silent.port" &
silent_pid=$!
trap 'kill "$dns_pid" "$silent_pid" 2>/dev/null; e2e_cleanup' EXIT
sleep 0.5
set_nameserver "127.0.0.1:$(cat "$E2E_TMP/silent.port")"
post "teacher@silent-school.ru" "Ирина Орлова"
is "$rc" 0 "unanswered lookup: deliver exits 0"
like "$(e2e_header "$copy" From)" "<$addr>" "unanswered lookup: From is rewritten (the safe choice)"
[ "$took" -le 4 ] && ok "unanswered lookup gave up within the timeout (${took}s)" ||
	not_ok "unanswered lookup gave up within the timeout" "took ${took}s"
kill "$silent_pid" "$dns_pid" 2>/dev/null

e2e_done
