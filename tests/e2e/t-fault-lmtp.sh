#!/bin/bash
# Fault injection over the daemon's whole delivery path: LMTP (and SMTP)
# in, the spool, processing at the next tick, the outbound queue, the
# members' maildir copies.
#
# For each kind (write, fsync, rename, SQLite file write/sync, SQLite
# statement, allocation, SQLite allocation) and each N, metodistd runs with
# METODIST_FAULT=KIND:N and METODIST_FAULT_FROM=session, so the Nth such
# operation from its first accepted client on fails (start-up is not
# counted; the baseline run counts the range with METODIST_FAULT_COUNT).
# One post goes in through a real LMTP client.  Then, as the MTA and an
# operator would:
#   250         the post is the daemon's; if the daemon died (exit 75 from
#               fatal), it is restarted without faults;
#   4xx, or the connection lost
#               the client sends the same message again, to a daemon
#               restarted without faults (Postfix's retry), and it must
#               get 250;
#   5xx         a failure: the MTA would bounce a post nobody refused.
# Time is moved on for what the faulted daemon left for later (deferred
# copies, entries claimed by a process that died), and the next tick is
# played.  Each time the post must be archived once, each member must
# hold exactly one copy, and nothing may be left in the spool or the queue:
# never lost, never doubled.  A daemon that hangs on SIGTERM, or dies any
# other way than exit 75, or a sanitizer report, fails the walk too.
#
# The outbound queue is walked twice: to the members' maildir (within the
# LMTP walk: the copies go out at the tick after the 250, still counted)
# and, with [egress] transport = smtp, into smtp-sink, where a copy the
# relay took must not be sent again.
#
# What is walked (each trial starts a daemon, so every one costs seconds):
#   LMTP  write, fsync, rename: every operation; dbio, dbstep: FAULT_SAMPLES
#         faults spread evenly (default 20); alloc, dballoc (thousands):
#         FAULT_ALLOC_SAMPLES (default 10)
#   SMTP  write, rename: every operation (the listener shares the
#         session code; these are where its reply is decided)
#   relay dbio, dbstep, alloc, dballoc: FAULT_RELAY_SAMPLES each (default 8)
# FAULT_FULL=1 walks every operation of every kind (an hour or more).
# FAULT_KINDS, FAULT_SMTP_KINDS and FAULT_RELAY_KINDS choose the kinds
# (empty: none).
#
# Needs a build configured with --enable-fault-injection; otherwise it says
# so and plans no test.
# e2e-timeout: 1500
set -u
METODISTD=${METODISTD:-$(cd "$(dirname "${METODIST:?}")" && pwd)/metodistd}
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

[ -x "$METODISTD" ] || e2e_bail "no metodistd beside $METODIST"
cp "$METODISTD" "$E2E_TMP/bin/metodistd" && chmod 755 "$E2E_TMP/bin/metodistd"
METODISTD=$E2E_TMP/bin/metodistd

FAULT_SAMPLES=${FAULT_SAMPLES:-20}
FAULT_ALLOC_SAMPLES=${FAULT_ALLOC_SAMPLES:-10}
FAULT_RELAY_SAMPLES=${FAULT_RELAY_SAMPLES:-8}
if [ "${FAULT_FULL:-0}" = 1 ]; then
	FAULT_SAMPLES=0 FAULT_ALLOC_SAMPLES=0 FAULT_RELAY_SAMPLES=0
fi
# The system's interpreter: a version manager's shim costs seconds a run.
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
LIST=math
SENDER=teacher1@school1.example.org
MEMBERS="$SENDER teacher2@school2.example.org teacher3@school3.example.org"
DB=$E2E_VAR/metodist.db
run=$E2E_TMP/run
mkdir -p "$run" && chown "$E2E_USER:" "$run" && chmod 755 "$run"
SOCK=$run/lmtp.sock
SMTP_PORT=$(e2e_free_port)
sed -i -e "s|^listen *=.*|listen = 127.0.0.1:$SMTP_PORT|" \
	-e "s|^lmtp *=.*|lmtp = unix:$SOCK|" \
	-e 's/^posts_per_hour *=.*/posts_per_hour = 100000/' \
	-e 's/^list_posts_per_hour *=.*/list_posts_per_hour = 1000000/' \
	"$E2E_CONF"
e2e_init || e2e_bail "init failed"
for m in $MEMBERS; do
	e2e_metodist members add "$LIST" "$m" >/dev/null 2>&1 ||
		e2e_bail "cannot subscribe $m"
done

# The client: one transaction, the final reply as "CODE TEXT", or
# "lost ..." when the connection broke (the MTA defers then).
cat >"$E2E_TMP/send.py" <<'EOT'
import smtplib, sys
proto, where, sender, rcpt, path = sys.argv[1:6]
data = open(path, "rb").read()
try:
    if proto == "lmtp":
        s = smtplib.LMTP(where, timeout=20)
        code, msg = s.ehlo()
    else:
        host, port = where.rsplit(":", 1)
        s = smtplib.SMTP(host, int(port), timeout=20)
        code, msg = s.ehlo()
    if code != 250:
        print(code, msg.decode(errors="replace"), "(at hello)"); sys.exit()
    code, msg = s.mail(sender)
    if code != 250:
        print(code, msg.decode(errors="replace"), "(at MAIL)"); sys.exit()
    for r in rcpt.split(","):
        code, msg = s.rcpt(r)
        if code != 250:
            print(code, msg.decode(errors="replace"), "(at RCPT)"); sys.exit()
    code, msg = s.data(data)
    print(code, msg.decode(errors="replace"))
    try:
        s.quit()
    except Exception:
        pass
except (smtplib.SMTPServerDisconnected, OSError) as e:
    print("lost", type(e).__name__, e)
EOT

DAEMON_RUNUSER=
# daemon_start [FAULT]: metodistd in the foreground as the test user.
# The daemon's first tick (with the periodic work of a daemon just
# started) runs before it accepts anyone, so the operations counted from
# the first client on are those of one delivery, the same in every run.
daemon_start() {
	local i
	rm -f "$SOCK"
	runuser -u "$E2E_USER" -- env METODIST_FAULT="${1:-}" \
		METODIST_FAULT_FROM=session \
		METODIST_FAULT_COUNT="${FAULT_COUNT_FILE:-}" \
		"$METODISTD" -d -c "$E2E_CONF" >>"$E2E_TMP/metodistd.log" 2>&1 &
	DAEMON_RUNUSER=$!
	for i in $(seq 1 100); do
		[ -S "$SOCK" ] && return 0
		sleep 0.05
	done
	return 1
}

# daemon_stop: SIGTERM; the exit status in STATUS, "hang" when it did not
# stop within 10 s (then killed)
daemon_stop() {
	local pid i
	STATUS=
	[ -n "$DAEMON_RUNUSER" ] || return 0
	pid=$(cat "$E2E_VAR/metodistd.pid" 2>/dev/null)
	if e2e_pid_alive "$DAEMON_RUNUSER"; then
		[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
		for i in $(seq 1 200); do
			e2e_pid_alive "$DAEMON_RUNUSER" || break
			sleep 0.05
		done
		if e2e_pid_alive "$DAEMON_RUNUSER"; then
			kill -KILL "$pid" "$DAEMON_RUNUSER" 2>/dev/null
			wait "$DAEMON_RUNUSER" 2>/dev/null
			DAEMON_RUNUSER=
			STATUS=hang
			return
		fi
	fi
	wait "$DAEMON_RUNUSER" 2>/dev/null
	STATUS=$?
	DAEMON_RUNUSER=
}
trap 'daemon_stop; e2e_cleanup' EXIT

# send PROTO: the post in $E2E_TMP/msg to the list; prints the reply
send() {
	local where=$SOCK proto=lmtp
	[ "$1" = smtp ] && where=127.0.0.1:$SMTP_PORT proto=smtp
	"$PYTHON" -S "$E2E_TMP/send.py" "$proto" "$where" "$SENDER" \
		"$LIST@$E2E_DOMAIN" "$E2E_TMP/msg" 2>&1 | tail -1
}

# new_message: writes a fresh post to $E2E_TMP/msg, its id in $MSGID
new_message() {
	TRIAL=$(date +%s%N)
	MSGID="faultd-$TRIAL-$$@school1.example.org"
	cat >"$E2E_TMP/msg" <<-EOT
	From: Учитель <$SENDER>
	To: $LIST@$E2E_DOMAIN
	Subject: =?UTF-8?B?0J/RgNC+0LLQtdGA0LrQsA==?= $TRIAL
	Message-ID: <$MSGID>
	Date: $(LC_ALL=C date -R)
	MIME-Version: 1.0
	Content-Type: text/plain; charset=UTF-8

	Проверка $TRIAL: сообщение не теряется и не удваивается.
	EOT
}

# setpriv rather than runuser: no PAM session, a tenth of the time
E2E_UID=$(id -u "$E2E_USER") E2E_GID=$(id -g "$E2E_USER")
db() {
	setpriv --reuid="$E2E_UID" --regid="$E2E_GID" --clear-groups \
		sqlite3 "$DB" "$@"
}

# copies_of ID: "address:count" for every member, in MEMBERS order (the
# outbox is a maildir; a trial that passed clears it)
copies_of() {
	local m out=
	out=$(grep -l -i -r -F "Message-ID: <$1>" "$E2E_OUTBOX" 2>/dev/null |
		xargs -r grep -h -i '^Delivered-To: ' 2>/dev/null | tr A-Z a-z)
	for m in $MEMBERS; do
		printf '%s:%s ' "$m" "$(grep -c -i -x -F "delivered-to: $m" <<<"$out")"
	done | sed 's/ $//'
	printf '\n'
}

spool_left() {
	find "$E2E_SPOOL" -type f \( -path '*/new/*' -o -path '*/cur/*' \
		-o -path '*/bad/*' \) -exec grep -l -F "<$1>" {} + 2>/dev/null |
		wc -l
}

unsent() {
	db "SELECT count(*) FROM deliveries WHERE state != 'sent'"
}

# outcome ID: one line summarising where the message is
outcome() {
	printf 'posts=%s copies=[%s] spool=%s unsent=%s\n' \
		"$(db "SELECT count(*) FROM posts WHERE message_id = '$1'")" \
		"$(copies_of "$1")" "$(spool_left "$1")" "$(unsent)"
}

# quiet ID: nothing left for the daemon to do now (spool empty of the
# post, no copy due); a deferred copy waits for later
quiet() {
	[ "$(spool_left "$1")" = 0 ] &&
		[ "$(db "SELECT count(*) FROM deliveries WHERE state = 'pending' AND next_attempt <= strftime('%s','now')")" = 0 ]
}

# wait_for COND-COMMAND SECONDS: poll every 0.1 s
wait_for() {
	local i
	for i in $(seq 1 $(($2 * 10))); do
		"$1" && return 0
		e2e_pid_alive "$DAEMON_RUNUSER" || return 1
		sleep 0.1
	done
	return 1
}
want_reached() { [ "$(outcome "$MSGID")" = "${WANT//$BASE_ID/$MSGID}" ]; }
trial_quiet() { quiet "$MSGID"; }

# time_passes: what the faulted daemon left for later becomes due now (a
# deferred copy's backoff, an entry in cur/ of a process that died)
time_passes() {
	db "UPDATE deliveries SET next_attempt = 0 WHERE state = 'pending'"
	find "$E2E_SPOOL/cur" -type f -exec touch -d '-11 min' {} + 2>/dev/null
}

settle() {
	setpriv --reuid="$E2E_UID" --regid="$E2E_GID" --clear-groups \
		"$METODIST" -c "$E2E_CONF" run >>"$E2E_TMP/run.log" 2>&1
}

# The baseline: no fault, and how many operations of each kind a whole
# delivery takes from the first client on (until the copies are out).
ALL_ONE=
for m in $MEMBERS; do ALL_ONE="$ALL_ONE $m:1"; done
ALL_ONE=${ALL_ONE# }
FAULT_COUNT_FILE=$E2E_TMP/counts
: >"$FAULT_COUNT_FILE"
chown "$E2E_USER:" "$FAULT_COUNT_FILE"
daemon_start || e2e_bail "metodistd did not listen: $(tail -5 "$E2E_TMP/metodistd.log")"
new_message
reply=$(send lmtp)
wait_for trial_quiet 10
daemon_stop
FAULT_COUNT_FILE=
if [ ! -s "$E2E_TMP/counts" ]; then
	printf '1..0 # SKIP metodistd was built without --enable-fault-injection\n'
	exit 0
fi
like "$reply" '^250 ' "baseline: LMTP answers 250"
is "$STATUS" 0 "baseline: the daemon stops on SIGTERM with 0"
WANT=$(outcome "$MSGID")
BASE_ID=$MSGID
like "$WANT" '^posts=1 copies=\[.*:1 .*:1 .*:1\] spool=0 unsent=0$' \
	"baseline: one post, one copy per member, nothing left"
count_of() { awk -v k="$1" '$1 == k { print $2; exit }' "$E2E_TMP/counts"; }
printf '# operations from the first client on: %s\n' \
	"$(tr '\n' ' ' <"$E2E_TMP/counts")"
e2e_outbox_clear

# trial PROTO KIND N: one delivery with the Nth KIND failing; leaves
# what went wrong in PROBLEM ("" when all is well); tallies the outcomes
trial() {
	local reply st retry= why=
	PROBLEM=
	new_message
	daemon_start "$2:$3" || { PROBLEM="$2:$3: no socket"; daemon_stop; return; }
	reply=$(send "$1")
	wait_for trial_quiet 3
	daemon_stop
	st=$STATUS
	case $reply in
	250\ *) OUT_250=$((OUT_250 + 1)) ;;
	4[0-9][0-9]\ *|lost\ *) OUT_4XX=$((OUT_4XX + 1)); retry=1 ;;
	*) PROBLEM="$2:$3: '$reply': the MTA would bounce the post"; return ;;
	esac
	case $st in
	0) ;;
	75) OUT_DIED=$((OUT_DIED + 1)) ;;
	*) why="the daemon ended with '$st'; " ;;
	esac
	# Done already: the faulted daemon recovered by itself.
	if [ -z "$retry$why" ] && [ "$st" = 0 ] && want_reached; then
		OUT_SELF=$((OUT_SELF + 1))
		e2e_outbox_clear
		return
	fi
	time_passes
	if [ -n "$retry" ]; then
		# The MTA tries again later: a daemon without faults now.
		daemon_start || { PROBLEM="$2:$3: the clean daemon did not start"; daemon_stop; return; }
		reply=$(send "$1")
		case $reply in
		250\ *) ;;
		*) PROBLEM="$2:$3: the retry was answered '$reply'"; daemon_stop
		   return ;;
		esac
		wait_for want_reached 6
		daemon_stop
		# a slow machine: what the daemon had not done yet, done now
		if [ "$STATUS" = 0 ] && ! want_reached; then
			time_passes
			settle || STATUS="run: $?"
		fi
	else
		# The daemon's next tick, without faults: what a restarted
		# daemon does first (it takes back what a dead one claimed).
		STATUS=0
		settle || STATUS="run: $?"
	fi
	[ "$STATUS" = 0 ] || why="${why}the clean daemon ended with '$STATUS'; "
	got=$(outcome "$MSGID")
	[ "$got" = "${WANT//$BASE_ID/$MSGID}" ] || why="$why$got; "
	if [ -z "$why" ]; then
		e2e_outbox_clear
	else
		PROBLEM="$2:$3 (reply '$reply', exit $st): ${why%; }"
	fi
}

walk() { # PROTO KIND SAMPLES
	local total step n bad=() tried=0 t0=$SECONDS
	total=$(count_of "$2")
	[ -n "$total" ] || total=0
	step=1
	[ "$3" -gt 0 ] && step=$(( (total + $3 - 1) / $3 ))
	[ "$step" -ge 1 ] || step=1
	OUT_250=0 OUT_4XX=0 OUT_DIED=0 OUT_SELF=0
	for ((n = 1; n <= total; n += step)); do
		tried=$((tried + 1))
		trial "$1" "$2" "$n"
		[ -z "$PROBLEM" ] || { bad+=("$PROBLEM"); printf '# %s\n' "$PROBLEM"; }
	done
	if [ "${#bad[@]}" -eq 0 ]; then
		ok "$1 $2: $tried faults of $total operations (stride $step), $((SECONDS - t0)) s: $OUT_250 answered 250 ($OUT_SELF done with no restart), $OUT_4XX refused for now, $OUT_DIED daemons died (exit 75); each post once"
	else
		not_ok "$1 $2: ${#bad[@]} of $tried faults went wrong" \
			"${bad[@]:0:10}"
	fi
}

for kind in ${FAULT_KINDS-write fsync rename dbio dbstep alloc dballoc}; do
	case $kind in
	alloc|dballoc) walk lmtp "$kind" "$FAULT_ALLOC_SAMPLES" ;;
	dbio|dbstep) walk lmtp "$kind" "$FAULT_SAMPLES" ;;
	*) walk lmtp "$kind" 0 ;;
	esac
done
for kind in ${FAULT_SMTP_KINDS-write rename}; do
	walk smtp "$kind" 0
done

# One SMTP transaction for two recipients has one reply: when the second
# cannot be spooled (its rename fails), the 451 makes the client send both
# again, so the entry spooled for the first must be taken back, or the
# retry would act on it twice.
if [ -n "${FAULT_SMTP_KINDS-write rename}" ]; then
	new_message
	daemon_start "rename:2" || e2e_bail "metodistd did not listen"
	two="$LIST@$E2E_DOMAIN,$LIST-request@$E2E_DOMAIN"
	reply=$("$PYTHON" -S "$E2E_TMP/send.py" smtp "127.0.0.1:$SMTP_PORT" \
		"$SENDER" "$two" "$E2E_TMP/msg" 2>&1 | tail -1)
	left=$(spool_left "$MSGID")
	daemon_stop
	like "$reply" '^451 ' "two recipients, the second not spooled: 451 for the transaction"
	is "$left" 0 "the first recipient's entry is taken back before the 451"
	daemon_start || e2e_bail "metodistd did not listen"
	reply=$("$PYTHON" -S "$E2E_TMP/send.py" smtp "127.0.0.1:$SMTP_PORT" \
		"$SENDER" "$two" "$E2E_TMP/msg" 2>&1 | tail -1)
	wait_for trial_quiet 10
	daemon_stop
	like "$reply" '^250 ' "the client's retry is taken"
	is "$(db "SELECT count(*) FROM posts WHERE message_id = '$MSGID'")" 1 \
		"the post is archived once after the retry"
	e2e_outbox_clear
fi

# The outbound queue to a relay: the same walk with [egress] transport =
# smtp into smtp-sink, which keeps each transaction it accepts.  A copy
# the relay took is a copy the member has: a fault after the relay's 250
# must not send it again.
SINK=${SMTP_SINK:-/usr/sbin/smtp-sink}
if [ -n "${FAULT_RELAY_KINDS-dbio dbstep alloc dballoc}" ] && [ -x "$SINK" ]; then
	RELAY_PORT=$(e2e_free_port)
	dump=$E2E_TMP/sink
	mkdir -p "$dump" && chown "$E2E_USER:" "$dump"
	"$SINK" -u "$E2E_USER" -d "$dump/%M." "127.0.0.1:$RELAY_PORT" 20 \
		>"$E2E_TMP/sink.log" 2>&1 &
	sink=$!
	trap 'daemon_stop; kill "$sink" 2>/dev/null; e2e_cleanup' EXIT
	for i in $(seq 1 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$RELAY_PORT") 2>/dev/null && break
		sleep 0.1
	done
	sed -i "s|^transport *=.*|transport = smtp\nrelay = 127.0.0.1:$RELAY_PORT|" \
		"$E2E_CONF"
	# copies in smtp-sink's dump: the transactions holding the post, one
	# X-Rcpt-Args line per recipient
	copies_of() {
		local m out=
		out=$(grep -l -r -F "Message-ID: <$1>" "$dump" 2>/dev/null |
			xargs -r grep -h '^X-Rcpt-Args: ' 2>/dev/null |
			sed 's/^X-Rcpt-Args: <\([^>]*\)>.*/\1/' | tr A-Z a-z)
		for m in $MEMBERS; do
			printf '%s:%s ' "$m" "$(grep -c -x -F "$m" <<<"$out")"
		done | sed 's/ $//'
		printf '\n'
	}
	e2e_outbox_clear() { find "$dump" -type f -delete; }
	FAULT_COUNT_FILE=$E2E_TMP/counts
	: >"$FAULT_COUNT_FILE"
	chown "$E2E_USER:" "$FAULT_COUNT_FILE"
	daemon_start || e2e_bail "metodistd did not listen"
	new_message
	reply=$(send lmtp)
	wait_for trial_quiet 10
	daemon_stop
	FAULT_COUNT_FILE=
	WANT=$(outcome "$MSGID")
	BASE_ID=$MSGID
	like "$WANT" '^posts=1 copies=\[.*:1 .*:1 .*:1\] spool=0 unsent=0$' \
		"relay baseline: one post, one copy per member in smtp-sink"
	printf '# relay: operations from the first client on: %s\n' \
		"$(tr '\n' ' ' <"$E2E_TMP/counts")"
	e2e_outbox_clear
	for kind in ${FAULT_RELAY_KINDS-dbio dbstep alloc dballoc}; do
		walk relay "$kind" "$FAULT_RELAY_SAMPLES"
	done
fi

if grep -qE 'AddressSanitizer|runtime error:|LeakSanitizer' \
	"$E2E_TMP/metodistd.log"; then
	not_ok "no sanitizer report in the daemon's log" \
		"$(grep -m5 -E 'AddressSanitizer|runtime error:|LeakSanitizer' "$E2E_TMP/metodistd.log")"
else
	ok "no sanitizer report in the daemon's log"
fi

e2e_done
