#!/bin/bash
# Crash safety of a fan-out: a post to a list of 2,000 members is being
# sent when metodistd is killed with SIGKILL, again and again at random
# moments; after the last restart every member has the post exactly once.
# Also: a spool file left in tmp/ by a crash is cleaned, one in new/ is
# processed.
set -u
METODISTD=${METODISTD:-$(cd "$(dirname "${METODIST:?}")" && pwd)/metodistd}
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

[ -x "$METODISTD" ] || e2e_bail "no metodistd beside $METODIST"
members=${CRASH_MEMBERS:-2000}
list=$(e2e_pick_list members math)
addr=$list@$E2E_DOMAIN
port=$(e2e_free_port)
sed -i -e "s|^listen *=.*|listen = 127.0.0.1:$port|" \
	-e "s|^process_inline *=.*|process_inline = no|" "$E2E_CONF"
e2e_init || e2e_bail "metodist init failed"
db=$E2E_VAR/metodist.db

# Members straight into the database: 2,000 `members add` would take long.
lid=$(sqlite3 "$db" "SELECT id FROM lists WHERE name = '$list'")
{
	echo "BEGIN;"
	for i in $(seq 1 "$members"); do
		echo "INSERT INTO members (list_id, address, mode, created) VALUES ($lid, 'm$i@school.example.org', 'normal', 0);"
	done
	echo "COMMIT;"
} | sqlite3 "$db" || e2e_bail "cannot add members"
chown -R "$E2E_USER:" "$E2E_VAR"
is "$(sqlite3 "$db" "SELECT count(*) FROM members WHERE list_id = $lid")" "$members" "$members members"

daemon=
start_daemon() {
	"$METODISTD" -d -c "$E2E_CONF" >>"$E2E_TMP/metodistd.log" 2>&1 &
	daemon=$!
}
stop_daemon() {
	[ -n "$daemon" ] && kill "$daemon" 2>/dev/null
	[ -n "$daemon" ] && wait "$daemon" 2>/dev/null
	daemon=
}
trap 'stop_daemon; e2e_cleanup' EXIT

sent() { sqlite3 "$db" "SELECT count(*) FROM deliveries WHERE state = 'sent'"; }

# The post enters the spool; the daemon does the fan-out.
printf 'From: m1@school.example.org\nTo: %s\nSubject: Crash\nMessage-ID: <crash-%s@school.example.org>\n\nText.\n' \
	"$addr" "$$" | "$METODIST" -c "$E2E_CONF" deliver -f m1@school.example.org "$addr"
is "$?" 0 "the post is spooled"

kills=0 during=0
for round in 1 2 3 4 5 6; do
	start_daemon
	sleep "$((RANDOM % 3)).$((RANDOM % 10))"
	kill -9 "$daemon" 2>/dev/null && kills=$((kills + 1))
	wait "$daemon" 2>/dev/null
	daemon=
	# copies written but not all recorded: killed in mid fan-out
	f=$(find "$E2E_OUTBOX/new" -type f | wc -l)
	[ "$f" -gt 0 ] && [ "$(sent)" -lt "$members" ] && during=$((during + 1))
done
ok "killed metodistd with SIGKILL $kills times ($during of them in mid fan-out)"

start_daemon
for i in $(seq 1 600); do
	[ "$(sent)" -eq "$members" ] && break
	sleep 0.1
done
is "$(sent)" "$members" "after the restart every delivery is sent"
stop_daemon

dups=$(grep -h '^Delivered-To:' "$E2E_OUTBOX"/new/* | sort | uniq -d | wc -l)
total=$(grep -h '^Delivered-To:' "$E2E_OUTBOX"/new/* | sort -u | wc -l)
is "$total" "$members" "every member has the post"
is "$dups" 0 "no member has it twice"
is "$(ls "$E2E_OUTBOX/new" | wc -l)" "$members" "exactly $members copies in the outbox"
is "$(sqlite3 "$db" "SELECT count(*) FROM posts")" 1 "the post is archived once"

# Spool files a crash left behind: tmp/ is cleaned, new/ is processed.
touch -d '2 hours ago' "$E2E_VAR/spool/tmp/partial.123"
printf 'X-Metodist-Recipient: %s\nX-Metodist-Sender: m2@school.example.org\nX-Metodist-Received: 0\n\nFrom: m2@school.example.org\nTo: %s\nSubject: Left\nMessage-ID: <left-%s@school.example.org>\n\nText.\n' \
	"$addr" "$addr" "$$" >"$E2E_VAR/spool/new/1.1.left"
start_daemon
for i in $(seq 1 100); do
	[ ! -e "$E2E_VAR/spool/new/1.1.left" ] && [ "$(sqlite3 "$db" "SELECT count(*) FROM posts")" -eq 2 ] && break
	sleep 0.1
done
stop_daemon
is "$(sqlite3 "$db" "SELECT count(*) FROM posts")" 2 "a message left in spool/new is processed"
[ -e "$E2E_VAR/spool/tmp/partial.123" ] && not_ok "a partial file in spool/tmp is cleaned" ||
	ok "a partial file in spool/tmp is cleaned"

e2e_done
