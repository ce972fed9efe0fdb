#!/bin/bash
# Fault injection over the whole pipe delivery path.
#
# `metodist deliver` is run as Postfix's pipe(8) runs it, with
# METODIST_FAULT=KIND:N making the Nth write, fsync, rename, allocation,
# SQLite file write/sync, SQLite statement or SQLite allocation fail.  N is
# walked over every such operation the path makes (allocations sampled).
# After each fault the test does what the MTA and the daemon would do: an
# exit 75 is delivered again (the MTA retries), anything else than 0 or 75
# is a failure (the MTA would bounce the message), and `metodist run` then
# plays the daemon's next tick.  Each time the post must be archived once,
# every member must hold exactly one copy, and the spool must be empty:
# never lost, never doubled.  Then a full disk (a 1 MiB tmpfs, when root)
# and a read-only database, likewise.
#
# Needs a build configured with --enable-fault-injection; otherwise it
# says so and plans no test.  FAULT_SAMPLES bounds the faults tried per
# kind (default 40, spread evenly over the operations; 0: every one).
# e2e-timeout: 1200
. "$(dirname "$0")/lib.sh"

FAULT_SAMPLES=${FAULT_SAMPLES:-40}
LIST=math
SENDER=teacher1@school1.example.org
MEMBERS="$SENDER teacher2@school2.example.org teacher3@school3.example.org"
DB=$E2E_VAR/metodist.db
TRIAL=0

# deliver_as_mta MSGFILE [FAULT]: one pipe(8) delivery; prints the exit code
deliver_as_mta() {
	local rc
	runuser -u "$E2E_USER" -- env METODIST_FAULT="${2:-}" \
		METODIST_FAULT_COUNT="${FAULT_COUNT_FILE:-}" \
		"$METODIST" -c "$E2E_CONF" deliver -f "$SENDER" \
		"$LIST@$E2E_DOMAIN" <"$1" >>"$E2E_TMP/deliver.log" 2>&1
	rc=$?
	printf '%s\n' "$rc"
}

# new_message: writes a fresh post to $E2E_TMP/msg, its id in $MSGID
new_message() {
	TRIAL=$(date +%s%N)
	MSGID="fault-$TRIAL-$$@school1.example.org"
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
	chmod 644 "$E2E_TMP/msg"
}

# copies_of ID: "address:count" for every member, in MEMBERS order
copies_of() {
	local m n out=
	for m in $MEMBERS; do
		n=$(grep -l -i -r "^Message-ID: <$1>" "$E2E_OUTBOX" 2>/dev/null |
			xargs -r grep -l -i "^Delivered-To: $m" 2>/dev/null | wc -l)
		out="$out $m:$n"
	done
	printf '%s\n' "${out# }"
}

posts_of() {
	runuser -u "$E2E_USER" -- sqlite3 "$DB" \
		"SELECT count(*) FROM posts WHERE message_id = '$1'"
}

spool_left() {
	find "$E2E_SPOOL" -type f \( -path '*/new/*' -o -path '*/cur/*' \
		-o -path '*/bad/*' \) -exec grep -l -F "<$1>" {} + | wc -l
}

# outcome ID: one line summarising where the message is
outcome() {
	printf 'posts=%s copies=[%s] spool=%s\n' "$(posts_of "$1")" \
		"$(copies_of "$1")" "$(spool_left "$1")"
}

# settle: what the daemon does next.  An entry a dead process left in the
# spool's cur/ is taken back after 10 minutes; the clock is moved for it.
settle() {
	find "$E2E_SPOOL/cur" -type f -exec touch -d '-11 min' {} + 2>/dev/null
	runuser -u "$E2E_USER" -- "$METODIST" -c "$E2E_CONF" run \
		>>"$E2E_TMP/deliver.log" 2>&1
}

# Hundreds of posts from one member within the hour: no rate limit here.
sed -i -e 's/^posts_per_hour *=.*/posts_per_hour = 100000/' \
	-e 's/^list_posts_per_hour *=.*/list_posts_per_hour = 1000000/' "$E2E_CONF"
e2e_init || e2e_bail "init failed"
for m in $MEMBERS; do
	e2e_metodist members add "$LIST" "$m" >/dev/null 2>&1 ||
		e2e_bail "cannot subscribe $m"
done

# The baseline: no fault, and how many operations of each kind it takes.
FAULT_COUNT_FILE=$E2E_TMP/counts
: >"$FAULT_COUNT_FILE"
chown "$E2E_USER:" "$FAULT_COUNT_FILE"
new_message
rc=$(deliver_as_mta "$E2E_TMP/msg")
FAULT_COUNT_FILE=
if [ ! -s "$E2E_TMP/counts" ]; then
	printf '1..0 # SKIP metodist was built without --enable-fault-injection\n'
	exit 0
fi
is "$rc" 0 "baseline delivery exits 0"
settle
WANT=$(outcome "$MSGID")
like "$WANT" '^posts=1 copies=\[.*:1 .*:1 .*:1\] spool=0$' \
	"baseline: one post, one copy per member, nothing left in the spool"

count_of() { awk -v k="$1" '$1 == k { print $2; exit }' "$E2E_TMP/counts"; }

# trial KIND N: one delivery with the Nth KIND failing; "" when all is well
trial() {
	local rc rc2 got
	new_message
	rc=$(deliver_as_mta "$E2E_TMP/msg" "$1:$2")
	case $rc in
	0) ;;
	75) rc2=$(deliver_as_mta "$E2E_TMP/msg")
	    [ "$rc2" = 0 ] || { echo "retry after 75 exited $rc2"; return; } ;;
	*) echo "exit $rc: the MTA would bounce the message"; return ;;
	esac
	settle
	got=$(outcome "$MSGID")
	[ "$got" = "${WANT//$BASE_ID/$MSGID}" ] ||
		echo "after $1:$2 (exit $rc): $got"
}
BASE_ID=$MSGID

for kind in ${FAULT_KINDS:-write fsync rename dbio dbstep alloc dballoc}; do
	total=$(count_of "$kind")
	[ -n "$total" ] || total=0
	step=1
	[ "$FAULT_SAMPLES" -gt 0 ] &&
		step=$(( (total + FAULT_SAMPLES - 1) / FAULT_SAMPLES ))
	[ "$step" -ge 1 ] || step=1
	bad=() tried=0
	for ((n = 1; n <= total; n += step)); do
		tried=$((tried + 1))
		r=$(trial "$kind" "$n")
		[ -z "$r" ] || bad+=("$r")
	done
	if [ "${#bad[@]}" -eq 0 ]; then
		ok "$kind: $tried faults of $total operations, each post once"
	else
		not_ok "$kind: ${#bad[@]} of $tried faults lost or doubled" \
			"${bad[@]:0:10}"
	fi
done

# A read-only database: the message waits in the spool, then goes once.
new_message
chmod a-w "$DB"
rc=$(deliver_as_mta "$E2E_TMP/msg")
[ "$rc" = 0 ] || [ "$rc" = 75 ] && ok "read-only database: exit $rc" ||
	not_ok "read-only database: exit $rc, the MTA would bounce"
# The operator gives the database (and the -shm SQLite made meanwhile with
# its mode) back to the gateway.
chmod u+w "$DB" "$DB"-*
[ "$rc" = 75 ] && deliver_as_mta "$E2E_TMP/msg" >/dev/null
settle
is "$(outcome "$MSGID")" "${WANT//$BASE_ID/$MSGID}" \
	"read-only database: once writable again, the post went once"

# A full disk under var/: refused for now, nothing half-done, then once.
if [ "$(id -u)" -eq 0 ]; then
	full=$E2E_TMP/full
	mkdir -p "$full"
	if mount -t tmpfs -o size=8m,mode=755 metodist-full "$full"; then
		trap 'umount "$full" 2>/dev/null; e2e_cleanup' EXIT
		chown "$E2E_USER:" "$full"
		sed -i "s|^\([ \t]*var[ \t]*=\).*|\1 $full|" "$E2E_CONF"
		DB=$full/metodist.db E2E_SPOOL=$full/spool
		e2e_init || not_ok "init on the small disk"
		for m in $MEMBERS; do
			e2e_metodist members add "$LIST" "$m" >/dev/null 2>&1
		done
		dd if=/dev/zero of="$full/filler" bs=64k >/dev/null 2>&1
		new_message
		rc=$(deliver_as_mta "$E2E_TMP/msg")
		is "$rc" 75 "full disk: the MTA is told to retry (exit 75)"
		rm -f "$full/filler"
		rc=$(deliver_as_mta "$E2E_TMP/msg")
		is "$rc" 0 "full disk: the retry after space came back exits 0"
		settle
		is "$(outcome "$MSGID")" "${WANT//$BASE_ID/$MSGID}" \
			"full disk: the post went once"
		umount "$full"
	else
		not_ok "cannot mount a tmpfs as root"
	fi
fi

e2e_done
