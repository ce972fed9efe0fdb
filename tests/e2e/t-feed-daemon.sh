#!/bin/bash
# A slow feed never stalls mail: metodistd behind Postfix's lmtp reads a
# feed that answers only after 40 seconds and another that answers at
# once; while the fetch hangs, a post still reaches every member within
# seconds; the hanging fetch is cut off at the feed timeout (15 s) and
# recorded as a failure, the other feed is read; SIGTERM stops the daemon
# and its fetcher.
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
	"$E2E_CONF"

fs_dir=$E2E_TMP/feeds
mkdir -p "$fs_dir"
python3 "$E2E_SRCDIR/tests/feed-server.py" "$fs_dir/port" "$fs_dir/log" &
fs_pid=$!
daemon=
trap 'kill "$fs_pid" 2>/dev/null; [ -n "$daemon" ] && kill "$daemon" 2>/dev/null; e2e_cleanup' EXIT
for _ in $(seq 1 100); do [ -s "$fs_dir/port" ] && break; sleep 0.1; done
[ -s "$fs_dir/port" ] || e2e_bail "the feed server did not start"
fport=$(cat "$fs_dir/port")

list=$(e2e_pick_list members math)
addr=$list@$E2E_DOMAIN
printf 'feeds = http://127.0.0.1:%s/slow, http://127.0.0.1:%s/rss\n' \
	"$fport" "$fport" >>"$(e2e_list_conf "$list")"
e2e_init || e2e_bail "metodist init failed"
for m in anna@school1.example.org boris@school2.example.org; do
	e2e_member_add "$list" "$m"
done

runuser -u "$E2E_USER" -- "$METODISTD" -d -c "$E2E_CONF" \
	>"$E2E_TMP/metodistd.log" 2>&1 &
daemon=$!
for _ in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || e2e_bail "no LMTP socket: $(cat "$E2E_TMP/metodistd.log")"
daemon=$(cat "$E2E_VAR/metodistd.pid") || e2e_bail "no pid file"
chgrp postfix "$sock" && chmod 660 "$sock"
ok "metodistd listens for LMTP on a unix socket"
E2E_TRANSPORT="lmtp:unix:$sock"
e2e_postfix_start || e2e_bail "postfix did not start"

# The fetcher is hanging on /slow by now.
for _ in $(seq 1 50); do grep -q '^/slow' "$fs_dir/log" 2>/dev/null && break; sleep 0.1; done
like "$(cat "$fs_dir/log" 2>/dev/null)" "^/slow" "the daemon is fetching the slow feed"
start=$(date +%s)
e2e_send anna@school1.example.org "$addr" "Пока лента молчит" "Текст." ||
	not_ok "swaks"
for _ in $(seq 1 100); do
	[ "$(e2e_outbox_count_for boris@school2.example.org)" -ge 1 ] && break
	sleep 0.1
done
took=$(($(date +%s) - start))
is "$(e2e_outbox_count_for boris@school2.example.org)" 1 \
	"the post reached a member while the feed hangs"
ok_fast=0
[ "$took" -le 10 ] && ok_fast=1
is "$ok_fast" 1 "within 10 seconds (took ${took}s)"

# The hanging fetch is cut off after 15 s; the other feed is read after it.
db=$E2E_VAR/metodist.db
for _ in $(seq 1 300); do
	s=$(sqlite3 "$db" "SELECT coalesce(last_status, 0) FROM feeds WHERE url LIKE '%/rss'" 2>/dev/null)
	[ "$s" = 200 ] && break
	sleep 0.1
done
like "$(sqlite3 "$db" "SELECT failures || ' ' || last_error FROM feeds WHERE url LIKE '%/slow'")" \
	"^1 .*[Tt]imeout|^1 .*timed out" "the slow feed is cut off by the timeout"
is "$(sqlite3 "$db" "SELECT last_status FROM feeds WHERE url LIKE '%/rss'")" 200 \
	"the other feed is read"
is "$(sqlite3 "$db" "SELECT count(*) FROM feed_entries")" 2 "its entries kept"

kill -TERM "$daemon"
for _ in $(seq 1 50); do e2e_pid_alive "$daemon" || break; sleep 0.1; done
e2e_pid_alive "$daemon" && not_ok "SIGTERM stops the daemon" || ok "SIGTERM stops the daemon"
daemon=

e2e_done
