#!/bin/bash
# Crash safety through a real relay: metodistd sends a post to 2,000
# members into smtp-sink over SMTP and is killed with SIGKILL again and
# again; after the last restart every member has the post, and a member
# has it twice only where a kill fell between the relay's 250 and its
# record in the runner's sent log (SMTP cannot make that window vanish:
# at most one copy per kill and connection).  Nothing acknowledged and
# recorded is ever sent again: the dead runner's sent log is applied
# before its leases are freed.
set -u
METODISTD=${METODISTD:-$(cd "$(dirname "${METODIST:?}")" && pwd)/metodistd}
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

SINK=${SMTP_SINK:-/usr/sbin/smtp-sink}
[ -x "$SINK" ] || e2e_bail "smtp-sink missing (package postfix)"
[ -x "$METODISTD" ] || e2e_bail "no metodistd beside $METODIST"
members=${CRASH_MEMBERS:-2000}
list=$(e2e_pick_list members math)
addr=$list@$E2E_DOMAIN
port=$(e2e_free_port)
sed -i -e "s|^listen *=.*|listen =|" \
	-e "s|^process_inline *=.*|process_inline = no|" \
	-e "s|^transport *=.*|transport = smtp\nrelay = 127.0.0.1:$port|" \
	"$E2E_CONF"
connections=$(e2e_ini "$E2E_CONF" egress connections)
connections=${connections:-4}
e2e_init || e2e_bail "metodist init failed"
db=$E2E_VAR/metodist.db
lid=$(sqlite3 "$db" "SELECT id FROM lists WHERE name = '$list'")
{
	echo "BEGIN;"
	for i in $(seq 1 "$members"); do
		echo "INSERT INTO members (list_id, address, mode, created) VALUES ($lid, 'm$i@school.example.org', 'normal', 0);"
	done
	echo "COMMIT;"
} | sqlite3 "$db" || e2e_bail "cannot add members"

dump=$E2E_TMP/sink
mkdir -p "$dump" && chown "$E2E_USER:" "$dump"
"$SINK" -u "$E2E_USER" -d "$dump/%M." "127.0.0.1:$port" 100 \
	>"$E2E_TMP/sink.log" 2>&1 &
sink=$!
daemon=
trap 'kill "$sink" $daemon 2>/dev/null; e2e_cleanup' EXIT
for i in $(seq 1 50); do
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
	sleep 0.1
done
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null ||
	e2e_bail "smtp-sink did not listen: $(cat "$E2E_TMP/sink.log")"

sent() { sqlite3 "$db" "SELECT count(*) FROM deliveries WHERE state = 'sent'"; }
received() { grep -rh '^X-Rcpt-Args:' "$dump" 2>/dev/null | wc -l; }

printf 'From: m1@school.example.org\nTo: %s\nSubject: Crash\nMessage-ID: <crash-relay-%s@school.example.org>\n\nText.\n' \
	"$addr" "$$" | "$METODIST" -c "$E2E_CONF" deliver -f m1@school.example.org "$addr"
is "$?" 0 "the post is spooled"

kills=0 during=0
for round in 1 2 3 4 5; do
	"$METODISTD" -d -c "$E2E_CONF" >>"$E2E_TMP/metodistd.log" 2>&1 &
	daemon=$!
	# let it get into the fan-out, then kill it mid-way
	for i in $(seq 1 100); do
		[ "$(received)" -gt $((round * members / 7)) ] && break
		sleep 0.05
	done
	kill -9 "$daemon" 2>/dev/null && kills=$((kills + 1))
	wait "$daemon" 2>/dev/null
	daemon=
	n=$(sent)
	[ "$n" -gt 0 ] && [ "$n" -lt "$members" ] && during=$((during + 1))
done
ok "killed metodistd with SIGKILL $kills times ($during of them in mid fan-out)"

"$METODISTD" -d -c "$E2E_CONF" >>"$E2E_TMP/metodistd.log" 2>&1 &
daemon=$!
for i in $(seq 1 1200); do
	[ "$(sent)" -eq "$members" ] && break
	sleep 0.1
done
kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null; daemon=
is "$(sent)" "$members" "after the restart every delivery is recorded sent"

grep -rh '^X-Rcpt-Args:' "$dump" | sed 's/^X-Rcpt-Args: <\(.*\)>.*/\1/' | sort >"$E2E_TMP/rcpts"
is "$(sort -u "$E2E_TMP/rcpts" | wc -l)" "$members" "every member has the post"
dups=$(uniq -d "$E2E_TMP/rcpts" | wc -l)
limit=$((kills * connections))
[ "$dups" -le "$limit" ] &&
	ok "members with two copies: $dups (at most one per kill and connection, $limit)" ||
	not_ok "members with two copies: $dups, more than $limit"
[ "$(uniq -c "$E2E_TMP/rcpts" | awk '$1 > 2' | wc -l)" -eq 0 ] &&
	ok "no member has three copies" || not_ok "no member has three copies"

e2e_done
