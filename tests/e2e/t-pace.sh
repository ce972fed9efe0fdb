#!/bin/bash
# The hourly sending cap of a hosted account ([egress] max_per_hour),
# without Postfix: with a cap of 120 an hour (2 a minute) a post to five
# members sends two copies at once and keeps the rest due, not deferred;
# the next minute two more go; a full hour lets nothing through; nothing is
# lost and nobody gets a copy twice.  The clock is moved by ageing the
# recorded send times in the database.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || e2e_bail "sqlite3 missing (Debian package sqlite3)"
sed -i 's/^\[egress\]$/[egress]\nmax_per_hour = 120/' "$E2E_CONF"
e2e_init || e2e_bail "metodist init failed"
list=$(e2e_pick_list members math)
members="m1@school1.example.org m2@school2.example.org m3@school3.example.org
m4@school4.example.org m5@school5.example.org"
for m in $members; do
	e2e_member_add "$list" "$m"
done
db=$E2E_VAR/metodist.db
sql() { runuser -u "$E2E_USER" -- sqlite3 "$db" "$1"; }

msg=$E2E_TMP/post
cat >"$msg" <<EOF
From: m1@school1.example.org
To: $list@$E2E_DOMAIN
Subject: Под ограничением
Message-ID: <pace.$$@school1.example.org>

Текст.
EOF
chmod 644 "$msg"
runuser -u "$E2E_USER" -- "$METODIST" -c "$E2E_CONF" deliver \
	-f m1@school1.example.org "$list@$E2E_DOMAIN" <"$msg"
is "$?" 0 "the post is accepted"
is "$(e2e_outbox_count)" 2 "two copies go at once (120 an hour: 2 a minute)"
is "$(sql "SELECT count(*) FROM deliveries WHERE state = 'pending' AND attempts = 0")" 3 \
	"three wait, due, with no attempt counted"
e2e_metodist run >/dev/null 2>&1
is "$(e2e_outbox_count)" 2 "a run in the same minute sends none"

# a minute later
sql "UPDATE deliveries SET updated = updated - 61 WHERE state = 'sent'"
e2e_metodist run >/dev/null 2>&1
is "$(e2e_outbox_count)" 4 "the next minute two more go"

# the hour is full: 120 sent in the last hour
sql "UPDATE deliveries SET updated = updated - 120 WHERE state = 'sent'"
sql "INSERT INTO outbound (kind, path, envelope_from, created) VALUES ('reply', '/nonexistent', '', strftime('%s','now'))"
sql "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 116) INSERT INTO deliveries (outbound_id, recipient, token, state, updated) SELECT (SELECT max(id) FROM outbound), 'filler' || v || '@x.example', 't' || v, 'sent', strftime('%s','now') - 600 FROM n"
e2e_metodist run >/dev/null 2>&1
is "$(e2e_outbox_count)" 4 "with 120 sent in the last hour, none goes"

# an hour later everything has gone, once each
sql "UPDATE deliveries SET updated = updated - 3600 WHERE state = 'sent'"
e2e_metodist run >/dev/null 2>&1
is "$(e2e_outbox_count)" 5 "an hour later the last one goes"
for m in $members; do
	n=$(e2e_outbox_count_for "$m")
	[ "$m" = m1@school1.example.org ] && [ "$n" = 1 ] && continue
	[ "$n" = 1 ] || not_ok "$m got $n copies"
done
ok "every member has exactly one copy"
is "$(sql "SELECT count(*) FROM deliveries WHERE state <> 'sent'")" 0 "nothing failed or is left"

e2e_done
