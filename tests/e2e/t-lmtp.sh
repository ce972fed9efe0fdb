#!/bin/bash
# metodistd behind Postfix's lmtp: transport on a unix socket, as the README
# sets it up: a post reaches every member; an unknown list is refused with
# 550 5.1.1 (Postfix bounces it); straight LMTP gives one reply per
# recipient and refuses an oversized message with 552 5.3.4; SIGHUP with a
# broken configuration keeps the old one; SIGTERM stops the daemon and
# removes its pid file.
set -u
METODISTD=${METODISTD:-$(cd "$(dirname "${METODIST:?}")" && pwd)/metodistd}
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

[ -x "$METODISTD" ] || e2e_bail "no metodistd beside $METODIST"
cp "$METODISTD" "$E2E_TMP/bin/metodistd" && chmod 755 "$E2E_TMP/bin/metodistd"
METODISTD=$E2E_TMP/bin/metodistd

run=$E2E_TMP/run
mkdir -p "$run" && chown "$E2E_USER:" "$run" && chmod 755 "$run"
sock=$run/lmtp.sock
sed -i -e "s|^listen *=.*|listen =|" -e "s|^lmtp *=.*|lmtp = unix:$sock|" \
	-e "s|^max_message_size = 26214400|max_message_size = 200000|" "$E2E_CONF"

list=$(e2e_pick_list members math)
addr=$list@$E2E_DOMAIN
e2e_init || e2e_bail "metodist init failed"
for m in anna@school1.example.org boris@school2.example.org; do
	e2e_member_add "$list" "$m"
done

runuser -u "$E2E_USER" -- "$METODISTD" -d -c "$E2E_CONF" \
	>"$E2E_TMP/metodistd.log" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; e2e_cleanup' EXIT
for i in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || e2e_bail "no LMTP socket: $(cat "$E2E_TMP/metodistd.log")"
# runuser stays as the parent: signals go to the daemon's own pid.
daemon=$(cat "$E2E_VAR/metodistd.pid") || e2e_bail "no pid file"
# Postfix's lmtp client runs as the postfix user.
chgrp postfix "$sock" && chmod 660 "$sock"
ok "metodistd listens for LMTP on a unix socket"

E2E_TRANSPORT="lmtp:unix:$sock"
e2e_postfix_start || e2e_bail "postfix did not start"

# wait_copies RCPT N: wait up to 10 s for N copies to RCPT in the outbox
wait_copies() {
	local i
	for i in $(seq 1 100); do
		[ "$(e2e_outbox_count_for "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

e2e_send anna@school1.example.org "$addr" "Через LMTP" "Текст." ||
	not_ok "swaks to Postfix"
e2e_wait_queue_empty
wait_copies boris@school2.example.org 1
is "$(e2e_outbox_count_for boris@school2.example.org)" 1 "post via Postfix LMTP reaches boris once"
is "$(e2e_outbox_count_for anna@school1.example.org)" 1 "post via Postfix LMTP reaches anna once"
like "$(cat "$E2E_PF_LOG")" "relay=.*lmtp.sock.*status=sent" "Postfix logged the LMTP delivery as sent"

e2e_send anna@school1.example.org "nosuch@$E2E_DOMAIN" "Куда?" "Текст." 
e2e_wait_queue_empty
like "$(grep 'nosuch@' "$E2E_PF_LOG")" "status=bounced.*5\.1\.1" "unknown list: Postfix bounces with 5.1.1"

# Straight LMTP: per-recipient replies.
out=$(swaks --protocol LMTP --socket "$sock" --from anna@school1.example.org \
	--to "$addr,nosuch@$E2E_DOMAIN,$list+help@$E2E_DOMAIN" \
	--header "Subject: Два адресата" --body "Текст." 2>&1)
like "$out" "<\\*\\* 550 5\\.1\\.1" "LMTP: RCPT of an unknown list gets 550 5.1.1"
is "$(printf '%s\n' "$out" | grep -cE '^<-  250 2\.0\.0 ')" 2 "LMTP: one 250 per accepted recipient after DATA"

big=$E2E_TMP/big.txt
head -c 300000 /dev/zero | tr '\0' 'x' | fold -w 76 >"$big"
out=$(swaks --protocol LMTP --socket "$sock" --from anna@school1.example.org \
	--to "$addr" --header "Subject: Большое" --body "@$big" 2>&1)
like "$out" "552 5\.3\.4" "LMTP: an oversized message gets 552 5.3.4"

# SIGHUP with a broken configuration: refused, the old one kept.
cp "$E2E_CONF" "$E2E_TMP/good.conf"
printf '\n[site]\ncolour = blue\n' >>"$E2E_CONF"
kill -HUP "$daemon"
sleep 1.5
like "$(cat "$E2E_TMP/metodistd.log")" "keeping the old one" "SIGHUP with a bad configuration keeps the old one"
e2e_pid_alive "$daemon" && ok "the daemon still runs" || not_ok "the daemon still runs"
cp "$E2E_TMP/good.conf" "$E2E_CONF"
e2e_outbox_clear
e2e_send boris@school2.example.org "$addr" "После HUP" "Текст." ||
	not_ok "swaks after HUP"
e2e_wait_queue_empty
wait_copies anna@school1.example.org 1
is "$(e2e_outbox_count_for anna@school1.example.org)" 1 "posts still flow after the refused reload"

kill -TERM "$daemon"
for i in $(seq 1 50); do e2e_pid_alive "$daemon" || break; sleep 0.1; done
e2e_pid_alive "$daemon" && not_ok "SIGTERM stops the daemon" || ok "SIGTERM stops the daemon"
[ -e "$E2E_VAR/metodistd.pid" ] && not_ok "the pid file is removed" || ok "the pid file is removed"

e2e_done
