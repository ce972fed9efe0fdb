#!/bin/bash
# The SMTP relay transport ([egress] transport = smtp) against a relay on
# loopback: Postfix's smtp-sink, and fake-relay.py where the relay must
# answer per recipient.  A post to 50 members is 50 transactions, each with
# its own VERP sender and one RCPT; a relay that is down defers every
# delivery (deliver still exits 0) and a later run sends each exactly once;
# 452 to a RCPT defers only that recipient, 550 fails only that one with the
# relay's line; with batch = yes a post is one transaction with one
# envelope sender for all its members, and a notice to several
# coordinators is one transaction whose RCPT replies land on the right
# recipients.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

SINK=${SMTP_SINK:-/usr/sbin/smtp-sink}
[ -x "$SINK" ] || e2e_bail "no $SINK (Debian package postfix)"
FAKE_RELAY=$E2E_LIB_DIR/fake-relay.py
[ -f "$FAKE_RELAY" ] || e2e_bail "no $FAKE_RELAY"

list=$(e2e_pick_list members math)
list2=$(e2e_lists_with members | grep -vx "$list" | sed -n 1p)
modlist=$(e2e_pick_list moderated)
[ -n "$list" ] && [ -n "$list2" ] || e2e_bail "need two lists with policy = members"
[ -n "$modlist" ] || e2e_bail "need a list with policy = moderated"
school=school.example.org

port=$(e2e_free_port) || e2e_bail "no free port"
sed -i "s|^transport *=.*|transport = smtp\nrelay = 127.0.0.1:$port\ntimeout = 5\nconnections = 4|" \
	"$E2E_CONF"
e2e_metodist check >/dev/null 2>&1 ||
	e2e_bail "config with the relay does not check: $(e2e_metodist check 2>&1)"

sink=
relay=
relay_log=$E2E_TMP/relay.log
stop_servers() {
	[ -n "$sink" ] && kill "$sink" 2>/dev/null && wait "$sink" 2>/dev/null
	[ -n "$relay" ] && kill "$relay" 2>/dev/null && wait "$relay" 2>/dev/null
	sink=
	relay=
	return 0
}
trap 'stop_servers; e2e_cleanup' EXIT

# wait_port: until something accepts on 127.0.0.1:$port (5 s)
wait_port() {
	local i
	for i in $(seq 1 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# sink_start DIR: smtp-sink dumping each transaction to a file in DIR
sink_start() {
	mkdir -p "$1" && chown "$E2E_USER:" "$1"
	"$SINK" -u "$E2E_USER" -d "$1/%M." "127.0.0.1:$port" 100 \
		>/dev/null 2>&1 &
	sink=$!
	wait_port || e2e_bail "smtp-sink did not listen on $port"
}

sink_stop() {
	kill "$sink" && wait "$sink" 2>/dev/null
	sink=
}

# relay_start [--accept-soft]
relay_start() {
	python3 "$FAKE_RELAY" "$port" "$relay_log" "$@" \
		>>"$E2E_TMP/relay.err" 2>&1 &
	relay=$!
	wait_port || e2e_bail "fake-relay did not listen: $(cat "$E2E_TMP/relay.err")"
}

relay_stop() {
	kill "$relay" && wait "$relay" 2>/dev/null
	relay=
}

db() {
	runuser -u "$E2E_USER" -- sqlite3 "$E2E_VAR/metodist.db" "$1"
}

# states WHERE: "state|count" lines of the deliveries matching WHERE
states() {
	db "SELECT state, count(*) FROM deliveries WHERE ${1:-1} GROUP BY state ORDER BY state" |
		tr '\n' ' ' | sed 's/ $//'
}

msg=$E2E_TMP/msg
n_msg=0
# post FROM LIST SUBJECT: deliver a fresh post; sets rc and secs
post() {
	local t0
	n_msg=$((n_msg + 1))
	{
		printf 'From: %s\nTo: %s@%s\nSubject: %s\n' "$1" "$2" \
			"$E2E_DOMAIN" "$3"
		printf 'Date: %s\nMessage-ID: <relay-%d.%s@%s>\n' "$(date -R)" \
			"$n_msg" "$$" "$school"
		printf '\nPost %d.\n.a line that starts with a dot\n..and two\nend\n' \
			"$n_msg"
	} >"$msg"
	chmod 644 "$msg"
	t0=$(date +%s)
	runuser -u "$E2E_USER" -- "$METODIST" -c "$E2E_CONF" deliver -f "$1" \
		"$2@$E2E_DOMAIN" <"$msg" >"$E2E_TMP/deliver.out" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
}

# last_post_where LIST: SQL condition for the deliveries of LIST's last post
last_post_where() {
	printf "outbound_id = (SELECT max(o.id) FROM outbound o JOIN lists l ON l.id = o.list_id WHERE o.kind = 'post' AND l.name = '%s')" "$1"
}

e2e_init || e2e_bail "metodist init failed"
members=()
for i in $(seq -w 1 50); do
	members+=("t$i@$school")
done
out=$(for m in "${members[@]}"; do
	e2e_metodist members add "$list" "$m" 2>&1 || echo "FAILED $m"
done)
unlike "$out" FAILED "50 members added to $list"
poster=${members[0]}

# --- 1: a post to 50 members through smtp-sink ---------------------------
dump1=$E2E_TMP/sink1
sink_start "$dump1"
post "$poster" "$list" "Через ретранслятор"
is "$rc" 0 "post via the relay: deliver exits 0"
[ "$rc" -eq 0 ] || e2e_diag "$(cat "$E2E_TMP/deliver.out")"
files=$(find "$dump1" -type f | sort)
is "$(printf '%s\n' "$files" | grep -c .)" 50 "the sink got 50 transactions"
multi=0
for f in $files; do
	[ "$(grep -c '^X-Rcpt-Args:' "$f")" -eq 1 ] || multi=$((multi + 1))
done
is "$multi" 0 "each transaction has exactly one RCPT"
senders=$(cat $files /dev/null | sed -n 's/^X-Mail-Args: <\([^>]*\)>.*/\1/p')
is "$(printf '%s\n' "$senders" | sort -u | grep -c .)" 50 \
	"50 distinct envelope senders"
is "$(printf '%s\n' "$senders" |
	grep -Ec "^$list[+]bounces-[A-Za-z0-9]+@$E2E_DOMAIN\$")" 50 \
	"every envelope sender is $list+bounces-TOKEN@$E2E_DOMAIN"
rcpts=$(cat $files /dev/null | sed -n 's/^X-Rcpt-Args: <\([^>]*\)>.*/\1/p' | sort)
is "$rcpts" "$(printf '%s\n' "${members[@]}" | sort)" \
	"the RCPTs are the 50 members, each once"
is "$(states "$(last_post_where "$list")")" "sent|50" "deliveries: 50 sent"
f=$(printf '%s\n' "$files" | sed -n 1p)
if [ -n "$f" ] && grep -qx '\.a line that starts with a dot' "$f" &&
	grep -qx '\.\.and two' "$f"; then
	ok "lines starting with a dot arrive intact (stuffed once)"
else
	not_ok "lines starting with a dot arrive intact (stuffed once)" \
		"$(grep -n 'dot\|and two' "$f" 2>&1)"
fi

# --- 2: the relay is down, then back --------------------------------------
sink_stop
post "$poster" "$list" "Ретранслятор недоступен"
is "$rc" 0 "relay down: deliver still exits 0"
[ "$rc" -eq 0 ] || e2e_diag "$(cat "$E2E_TMP/deliver.out")"
w2=$(last_post_where "$list")
is "$(states "$w2")" "pending|50" "relay down: 50 deliveries pending"
now=$(date +%s)
is "$(db "SELECT count(*) FROM deliveries WHERE $w2 AND attempts >= 1 AND next_attempt > $now AND last_error <> ''")" \
	50 "relay down: each deferred (attempts >= 1, next_attempt later, an error)"
like "$secs" '^[0-9]$' "relay down: deliver gives up within seconds (${secs}s)"
dump2=$E2E_TMP/sink2
sink_start "$dump2"
db "UPDATE deliveries SET next_attempt = 0 WHERE state = 'pending'"
out=$(e2e_metodist run 2>&1)
is "$?" 0 "relay back: metodist run exits 0"
is "$(states "$w2")" "sent|50" "relay back: 50 sent"
rcpts=$(cat $(find "$dump2" -type f) /dev/null |
	sed -n 's/^X-Rcpt-Args: <\([^>]*\)>.*/\1/p' | sort)
is "$rcpts" "$(printf '%s\n' "${members[@]}" | sort)" \
	"relay back: each member got the post exactly once"
out=$(e2e_metodist run 2>&1)
is "$(find "$dump2" -type f | grep -c .)" 50 "another run sends nothing twice"
sink_stop

# --- 2b: a relay that accepts and never answers is cut off ---------------
sed -i "s|^timeout *=.*|timeout = 2|" "$E2E_CONF"
relay_start --mute
post "$poster" "$list" "Ретранслятор молчит"
is "$rc" 0 "hung relay: deliver exits 0"
w=$(last_post_where "$list")
is "$(states "$w")" "pending|50" "hung relay: 50 deliveries pending"
like "$secs" '^[0-9]$' "hung relay: cut off by the 2 s timeout (${secs}s)"
like "$(db "SELECT last_error FROM deliveries WHERE $w LIMIT 1")" \
	'[Tt]ime' "hung relay: the error says it timed out"
relay_stop
sed -i "s|^timeout *=.*|timeout = 5|" "$E2E_CONF"
db "UPDATE deliveries SET state = 'failed' WHERE $w"

# --- 2c: tls = starttls never falls back to plain text --------------------
sed -i "s|^relay *=.*|&\ntls = starttls|" "$E2E_CONF"
dump3=$E2E_TMP/sink3
sink_start "$dump3"
post "$poster" "$list" "Только TLS"
w=$(last_post_where "$list")
is "$(states "$w")" "pending|50" "starttls to a relay without TLS: 50 deferred"
is "$(find "$dump3" -type f | grep -c .)" 0 \
	"starttls to a relay without TLS: nothing sent in clear"
sink_stop
sed -i "/^tls = starttls\$/d" "$E2E_CONF"
db "UPDATE deliveries SET state = 'failed' WHERE $w"

# --- 3: per-recipient replies: 452 defers, 550 fails ----------------------
ok1=ok1@$school ok2=ok2@$school soft1=soft1@$school soft2=soft2@$school
hard1=hard1@$school
for m in "$ok1" "$ok2" "$soft1" "$soft2" "$hard1"; do
	e2e_metodist members add "$list2" "$m" >/dev/null 2>&1 ||
		not_ok "members add $list2 $m"
done
: >"$relay_log"
relay_start
post "$ok1" "$list2" "Ответы по адресатам"
is "$rc" 0 "mixed replies: deliver exits 0"
w3=$(last_post_where "$list2")
is "$(states "$w3")" "failed|1 pending|2 sent|2" "mixed replies: 2 sent, 2 pending, 1 failed"
is "$(db "SELECT recipient FROM deliveries WHERE $w3 AND state = 'pending' ORDER BY recipient" | tr '\n' ' ')" \
	"$soft1 $soft2 " "the 452 recipients are pending"
like "$(db "SELECT last_error FROM deliveries WHERE $w3 AND recipient = '$soft1'")" \
	'^452 4\.2\.2 ' "a 452 recipient keeps the relay's line"
like "$(db "SELECT recipient, last_error FROM deliveries WHERE $w3 AND state = 'failed'")" \
	"^$hard1[|]550 5\.1\.1 <$hard1>: hard: no such user here\$" \
	"the 550 recipient failed with the relay's line"
is "$(db "SELECT kind || ' ' || status FROM bounces WHERE address = '$hard1'")" \
	"hard 5.1.1" "the 550 is recorded as a hard bounce of that member"
is "$(db "SELECT bounce_score FROM members WHERE address = '$hard1'")" 1.0 \
	"and counts toward the member's bounce score"
is "$(cut -d' ' -f3 "$relay_log" | sort | tr '\n' ' ')" "$ok1 $ok2 " \
	"the relay took ok1 and ok2 only"
is "$(awk '$4 != "crlf"' "$relay_log" | grep -c .)" 0 \
	"every body line reached the relay with CRLF"
relay_stop
relay_start --accept-soft
db "UPDATE deliveries SET next_attempt = 0 WHERE state = 'pending'"
out=$(e2e_metodist run 2>&1)
is "$?" 0 "retry: metodist run exits 0"
is "$(states "$w3")" "failed|1 sent|4" "retry: the 452 recipients are sent, the 550 one stays failed"
is "$(cut -d' ' -f3 "$relay_log" | sort | uniq -c | awk '{print $1}' | sort -u)" 1 \
	"retry: no recipient got the post twice"
is "$(grep -c " $hard1 " "$relay_log")" 0 "retry: the 550 recipient was not tried again"

# --- 4: batch = yes ---------------------------------------------------------
sed -i "s|^relay *=.*|&\nbatch = yes|" "$E2E_CONF"
: >"$relay_log"
: >"$relay_log.conn"
post "$poster" "$list" "Пакетный режим"
is "$rc" 0 "batch: deliver exits 0"
is "$(states "$(last_post_where "$list")")" "sent|50" "batch: a post to 50 members, 50 sent"
is "$(awk '{print $1}' "$relay_log" | sort -u | grep -c .)" 1 \
	"batch: the 50 recipients share one transaction"
is "$(awk '{print $2}' "$relay_log" | sort -u)" "$list+bounces@$E2E_DOMAIN" \
	"batch: one envelope sender for the post, L+bounces@D"
is "$(awk '{print $3}' "$relay_log" | sort -u | grep -c .)" 50 \
	"batch: every member is one RCPT of it"

# A held post's notice goes to every coordinator with the null sender: one
# transaction with one RCPT per coordinator, replies mapped per RCPT.
okc1=okc1@imc.example.org okc2=okc2@imc.example.org
softc=softc@imc.example.org hardc=hardc@imc.example.org
sed -i "s|^coordinators *=.*|coordinators = $okc1, $softc, $hardc, $okc2|" \
	"$(e2e_list_conf "$modlist")"
e2e_metodist members add "$modlist" "$poster" >/dev/null 2>&1 ||
	not_ok "members add $modlist $poster"
relay_stop
: >"$relay_log"
relay_start
post "$poster" "$modlist" "На модерацию"
is "$rc" 0 "batch: a post to a moderated list is held, deliver exits 0"
wn="outbound_id = (SELECT max(outbound_id) FROM deliveries WHERE recipient = '$hardc')"
is "$(db "SELECT recipient || ':' || state FROM deliveries WHERE $wn ORDER BY recipient" | tr '\n' ' ')" \
	"$hardc:failed $okc1:sent $okc2:sent $softc:pending " \
	"batch: per-RCPT replies land on the right coordinators"
n_txn=$(grep -E " ($okc1|$okc2) " "$relay_log" | awk '{print $1}' | sort -u | grep -c .)
is "$n_txn" 1 "batch: the two accepted coordinators shared one transaction"
like "$(grep -E " $okc1 " "$relay_log")" "^[0-9]+ - $okc1 crlf\$" \
	"batch: the notice went with the null sender"
like "$(db "SELECT last_error FROM deliveries WHERE $wn AND recipient = '$hardc'")" \
	"^550 5\.1\.1 <$hardc>" "batch: the 550 line is kept for its own RCPT"
like "$(db "SELECT last_error FROM deliveries WHERE $wn AND recipient = '$softc'")" \
	"^452 4\.2\.2 <$softc>" "batch: the 452 line is kept for its own RCPT"
relay_stop

e2e_done
