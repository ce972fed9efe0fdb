#!/bin/bash
# The pipe contract without Postfix: exit codes of "metodist deliver" as
# pipe(8) reads them, recipient and sender from the environment, and no loss
# when the spool cannot be written.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=$(e2e_pick_list members math)
[ -n "$list" ] || e2e_bail "no list with policy = members"
addr=$list@$E2E_DOMAIN

e2e_init || e2e_bail "metodist init failed"
m1=maria.kozlova@school10.example.com
m2=ivan.novikov@school11.example.com
e2e_member_add "$list" "$m1" "Мария Козлова"
e2e_member_add "$list" "$m2" "Иван Новиков"

msg=$E2E_TMP/msg
n_msg=0

# make_post FROM SUBJECT: a fresh post from FROM in $msg
make_post() {
	n_msg=$((n_msg + 1))
	{
		printf 'From: %s\n' "$1"
		printf 'To: %s\n' "$addr"
		printf 'Subject: %s\n' "$2"
		printf 'Date: %s\n' "$(date -R)"
		printf 'Message-ID: <deliver-%d.%s@school10.example.com>\n' \
			"$n_msg" "$$"
		printf '\nBody of post %d.\n' "$n_msg"
	} >"$msg"
	chmod 644 "$msg"
}

# deliver ARGS...: run deliver as the test user on $msg; sets rc and err
deliver() {
	err=$(runuser -u "$E2E_USER" -- "$METODIST" -c "$E2E_CONF" deliver "$@" \
		<"$msg" 2>&1 >/dev/null)
	rc=$?
}

# one_line DESC TEXT: TEXT is exactly one non-empty line
one_line() {
	if [ -n "$2" ] && [ "$(printf '%s\n' "$2" | wc -l)" -eq 1 ]; then
		ok "$1"
	else
		not_ok "$1" "stderr: '$2'"
	fi
}

# --- unknown list ---------------------------------------------------------
make_post "$m1" "To nowhere"
deliver -f "$m1" "no-such-list@$E2E_DOMAIN"
is "$rc" 67 "unknown list: exit 67 (EX_NOUSER)"
one_line "unknown list: one line on stderr" "$err"
is "$(e2e_outbox_count)" 0 "unknown list: nothing in the outbox"

# --- a valid post ---------------------------------------------------------
make_post "$m1" "A valid post"
deliver -f "$m1" "$addr"
is "$rc" 0 "valid post: exit 0"
[ "$rc" -eq 0 ] || e2e_diag "stderr: $err"
is "$(e2e_outbox_count_for "$m1")" 1 "valid post: $m1 got one copy"
is "$(e2e_outbox_count_for "$m2")" 1 "valid post: $m2 got one copy"
e2e_outbox_clear

# --- recipient and sender from the environment, as local(8) sets them -----
make_post "$m1" "Recipient from the environment"
err=$(runuser -u "$E2E_USER" -- env ORIGINAL_RECIPIENT="$addr" \
	SENDER="$m1" "$METODIST" -c "$E2E_CONF" deliver <"$msg" 2>&1 >/dev/null)
rc=$?
is "$rc" 0 "ORIGINAL_RECIPIENT and SENDER: exit 0"
[ "$rc" -eq 0 ] || e2e_diag "stderr: $err"
is "$(e2e_outbox_count)" 2 "ORIGINAL_RECIPIENT and SENDER: two copies"
e2e_outbox_clear

# --- spool not writable: temporary failure, nothing lost ------------------
spool_tmp=$E2E_SPOOL/tmp
if [ -d "$spool_tmp" ]; then
	ok "init created $spool_tmp"
	mode=$(stat -c %a "$spool_tmp")
	n_arch=$(e2e_archive_files "$list" | grep -c .)
	make_post "$m1" "Spool trouble"
	chmod 000 "$spool_tmp"
	deliver -f "$m1" "$addr"
	chmod "$mode" "$spool_tmp"
	is "$rc" 75 "unwritable spool: exit 75 (EX_TEMPFAIL)"
	one_line "unwritable spool: one line on stderr" "$err"
	is "$(e2e_outbox_count)" 0 "unwritable spool: nothing delivered yet"
	is "$(e2e_archive_files "$list" | grep -c .)" "$n_arch" \
		"unwritable spool: nothing archived yet"
	# the MTA keeps the message and tries again
	deliver -f "$m1" "$addr"
	is "$rc" 0 "retry after the spool is back: exit 0"
	[ "$rc" -eq 0 ] || e2e_diag "stderr: $err"
	is "$(e2e_outbox_count_for "$m1")" 1 "retry: $m1 got one copy"
	is "$(e2e_outbox_count_for "$m2")" 1 "retry: $m2 got one copy"
	is "$(e2e_archive_files "$list" | grep -c .)" $((n_arch + 1)) \
		"retry: the post is archived"
	is "$(find "$spool_tmp" -type f | grep -c .)" 0 \
		"no leftovers in $spool_tmp"
else
	not_ok "init created $spool_tmp" "$(ls -la "$E2E_SPOOL" 2>&1)"
fi

e2e_done
