#!/bin/bash
# The delivery path under valgrind: tests/valgrind.sh BUILD_DIR
#
# BUILD_DIR is a build without sanitizers (valgrind and ASan exclude each
# other): the quickstart's build/.  In a private copy of conf/ with its own
# var/, metodistd runs under valgrind's memcheck on a free loopback port;
# swaks posts to a list and sends a command letter; once every member's
# copy and the answer are in the outbox, SIGTERM stops the daemon.  Then
# `metodist deliver` takes a post through the pipe path under valgrind
# too.  Each passes when memcheck reports no error and nothing definitely
# or indirectly lost.  Ends with "valgrind: N passed, N failed"; without
# valgrind or swaks it says so and counts one skip ("valgrind: skipped").
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:?usage: valgrind.sh BUILD_DIR}" && pwd)
passed=0 failed=0

for c in valgrind swaks python3; do
	command -v "$c" >/dev/null 2>&1 ||
		{ echo "valgrind: skipped ($c missing)"; exit 0; }
done

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() {
	echo "not ok - $1"; shift
	printf '#   %s\n' "$@"
	failed=$((failed + 1))
}

work=$(mktemp -d /tmp/metodist-vg.XXXXXX)
daemon=
cleanup() {
	[ -n "$daemon" ] && kill "$daemon" 2>/dev/null && wait "$daemon"
	rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cp -r "$top/conf" "$top/templates" "$work/"
conf=$work/conf/metodist.conf
sed -i -e "s|^listen *=.*|listen = 127.0.0.1:$port|" \
	-e "s|^var *=.*|var = $work/var|" \
	-e "s|^outbox *=.*|outbox = $work/var/outbox|" \
	-e 's/^mode = .*/mode = never/' "$conf"
outbox=$work/var/outbox/new
members="teacher1@school1.example.org teacher2@school2.example.org
teacher3@school3.example.org"

vg=(valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect
	--errors-for-leak-kinds=definite,indirect --error-exitcode=99
	--num-callers=30)

"$build/metodist" -c "$conf" init >/dev/null ||
	{ not_ok "metodist init"; echo "valgrind: $passed passed, $failed failed"; exit 1; }
for m in $members; do
	"$build/metodist" -c "$conf" members add math "$m" >/dev/null
done

# memcheck_clean LOG...: "" when the logs report nothing, else the report
memcheck_clean() {
	local f
	[ -e "$1" ] || { echo "valgrind wrote no log"; return; }
	for f in "$@"; do
		[ -s "$f" ] && { head -40 "$f"; return; }
	done
	return 0
}

# --- the daemon: SMTP in, a post and a command letter, then SIGTERM -------
"${vg[@]}" --log-file="$work/vg-daemon.%p" "$build/metodistd" -d \
	-c "$conf" >"$work/daemon.log" 2>&1 &
daemon=$!
up=0
for _ in $(seq 1 300); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then up=1; break; fi
	sleep 0.2
done
if [ "$up" -eq 1 ]; then
	swaks --server "127.0.0.1:$port" --from teacher1@school1.example.org \
		--to math@lists.example.org --header "Subject: Проверка памяти" \
		--body "Коллеги, письмо под valgrind." >"$work/swaks1" 2>&1
	swaks --server "127.0.0.1:$port" --from teacher2@school2.example.org \
		--to math-request@lists.example.org --header "Subject: помощь" \
		--body "помощь" >"$work/swaks2" 2>&1
	want=4	# three copies of the post and the answer to the command
	for _ in $(seq 1 300); do
		n=$(find "$outbox" -type f 2>/dev/null | wc -l)
		[ "$n" -ge "$want" ] && break
		sleep 0.2
	done
	if [ "$n" -ge "$want" ]; then
		ok "daemon under valgrind: the post and the answer went out ($n)"
	else
		not_ok "daemon under valgrind: $n of $want letters in the outbox" \
			"$(tail -5 "$work/daemon.log")"
	fi
else
	not_ok "daemon under valgrind did not listen on 127.0.0.1:$port" \
		"$(tail -5 "$work/daemon.log")"
fi
kill -TERM "$daemon" 2>/dev/null
wait "$daemon"
rc=$?
daemon=
report=$(memcheck_clean "$work"/vg-daemon.*)
if [ "$rc" -eq 0 ] && [ -z "$report" ]; then
	ok "daemon under valgrind: no memory error, nothing lost (exit 0)"
else
	not_ok "daemon under valgrind: exit $rc" "$report"
fi

# --- the pipe: metodist deliver ------------------------------------------
printf 'From: teacher3@school3.example.org\nTo: math@lists.example.org\nSubject: pipe\nMessage-ID: <vg-pipe@school3.example.org>\n\nЧерез pipe.\n' >"$work/msg"
"${vg[@]}" --log-file="$work/vg-deliver.%p" "$build/metodist" -c "$conf" \
	deliver -f teacher3@school3.example.org math@lists.example.org \
	<"$work/msg" >"$work/deliver.log" 2>&1
rc=$?
report=$(memcheck_clean "$work"/vg-deliver.*)
if [ "$rc" -eq 0 ] && [ -z "$report" ]; then
	ok "deliver under valgrind: no memory error, nothing lost (exit 0)"
else
	not_ok "deliver under valgrind: exit $rc" "$report" \
		"$(tail -5 "$work/deliver.log")"
fi

echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
