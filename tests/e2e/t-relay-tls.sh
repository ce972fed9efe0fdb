#!/bin/bash
# The SMTP relay transport against a real relay that demands TLS and AUTH:
# a second private Postfix on loopback with STARTTLS required
# (smtpd_tls_security_level = encrypt, a self-signed certificate made here)
# and relaying only for SASL-authenticated clients, SASL through a private
# Dovecot auth socket with a passwd-file; what it accepts goes into one
# maildir per recipient, counted here.  metodist sends with tls =
# starttls, the certificate as cafile, user and password: each member gets
# the post once, the relay logged TLS and the SASL login.  Then, each
# followed by the right settings and a run that sends the deferred copies
# exactly once: a wrong password (535, deferred, said why), a cafile that
# does not match the relay's certificate (nothing sent, certificate error,
# no AUTH on that connection) and tls = none (the relay refuses plain
# text: deferred, not lost).
# e2e-timeout: 300
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

command -v openssl >/dev/null || e2e_bail "no openssl"
[ -x /usr/sbin/dovecot ] || e2e_bail "no /usr/sbin/dovecot (dovecot-core)"
command -v postfix >/dev/null || e2e_bail "no postfix"

list=$(e2e_pick_list members math)
[ -n "$list" ] || e2e_bail "need a list with policy = members"
school=school.example.org
relay_user=metodist-relay@$school
members=("m1@$school" "m2@$school" "m3@$school" "m4@$school")
relay_pass='relay-s3cret'

# --- the relay: Postfix + Dovecot auth, under E2E_TMP/relay ----------------

R=$E2E_TMP/relay
R_ETC=$R/etc
R_QUEUE=$R/queue
R_DATA=$R/data
R_MAIL=$R/mail
R_LOG=$R/maillog
R_DC=$R/dovecot
R_AUTH=$R_DC/auth-postfix
R_PORT=
R_STARTED=0
R_DC_PID=

# relay_cert NAME: R/NAME.pem and NAME.key, self-signed for 127.0.0.1
relay_cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
		-subj "/CN=127.0.0.1" \
		-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
		-keyout "$R/$1.key" -out "$R/$1.pem" >/dev/null 2>&1 &&
		chmod 644 "$R/$1.pem" && chmod 600 "$R/$1.key"
}

relay_dovecot_write_config() {
	mkdir -p "$R_DC/run" "$R_DC/state" || return 1
	chmod 755 "$R_DC"
	printf '%s:{PLAIN}%s\n' "$relay_user" "$relay_pass" >"$R_DC/passwd"
	cat >"$R_DC/dovecot.conf" <<EOF
# private Dovecot, SASL for the relay of t-relay-tls.sh only
base_dir = $R_DC/run
state_dir = $R_DC/state
log_path = $R_DC/dovecot.log
protocols = none
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
auth_verbose = yes
default_internal_user = dovecot
default_login_user = dovenull
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $R_DC/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}
service auth {
  unix_listener $R_AUTH {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF
}

relay_dovecot_start() {
	local i
	relay_dovecot_write_config || return 1
	/usr/sbin/dovecot -F -c "$R_DC/dovecot.conf" >>"$R_DC/stdout" 2>&1 &
	R_DC_PID=$!
	for i in $(seq 1 100); do
		[ -S "$R_AUTH" ] && return 0
		sleep 0.1
	done
	return 1
}

relay_dovecot_stop() {
	local i
	[ -n "$R_DC_PID" ] || return 0
	kill "$R_DC_PID" 2>/dev/null
	for i in $(seq 1 50); do
		kill -0 "$R_DC_PID" 2>/dev/null || break
		sleep 0.1
	done
	R_DC_PID=
}

relay_postfix_write_config() {
	local uid gid
	uid=$(id -u "$E2E_USER")
	gid=$(id -g "$E2E_USER")
	mkdir -p "$R_ETC" "$R_QUEUE/maildrop" "$R_QUEUE/public" "$R_DATA" \
		"$R_MAIL" || return 1
	chown postfix: "$R_DATA" && chmod 700 "$R_DATA"
	chmod 755 "$R_QUEUE"
	chown postfix:postdrop "$R_QUEUE/maildrop" "$R_QUEUE/public"
	chmod 1730 "$R_QUEUE/maildrop"
	chmod 2710 "$R_QUEUE/public"
	chown "$E2E_USER:" "$R_MAIL"
	# one maildir per member, named by its local part
	for m in "${members[@]}"; do
		printf '%s %s/\n' "$m" "${m%@*}"
	done >"$R_ETC/mailboxes"
	cat >"$R_ETC/main.cf" <<EOF
# private relay Postfix for t-relay-tls.sh
compatibility_level = 3.6
queue_directory = $R_QUEUE
data_directory = $R_DATA
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-relay
maillog_file = $R_LOG
maillog_file_prefixes = $E2E_TMP
myhostname = relay.localhost
mydomain = localhost
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
relay_domains =
local_recipient_maps =
alias_maps =
alias_database =
virtual_mailbox_domains = $school
virtual_mailbox_base = $R_MAIL
virtual_mailbox_maps = texthash:$R_ETC/mailboxes
virtual_uid_maps = static:$uid
virtual_gid_maps = static:$gid
virtual_minimum_uid = 1
default_transport = discard:outside the relay test domain
smtputf8_enable = no
biff = no
smtpd_banner = \$myhostname ESMTP relay-e2e
smtpd_tls_security_level = encrypt
smtpd_tls_cert_file = $R/server.pem
smtpd_tls_key_file = $R/server.key
smtpd_tls_loglevel = 1
smtpd_tls_session_cache_database =
smtpd_tls_auth_only = yes
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $R_AUTH
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_error_sleep_time = 0
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
delay_warning_time = 0
EOF
	cat >"$R_ETC/master.cf" <<EOF
# service type private unpriv chroot wakeup maxproc command
127.0.0.1:$R_PORT inet n - n - - smtpd
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n - 0 cleanup
qmgr       unix  n - n 300 1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n - - trivial-rewrite
bounce     unix  - - n - 0 bounce
defer      unix  - - n - 0 bounce
trace      unix  - - n - 0 bounce
verify     unix  - - n - 1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n - - proxymap
proxywrite unix  - - n - 1 proxymap
smtp       unix  - - n - - smtp
relay      unix  - - n - - smtp
showq      unix  n - n - - showq
error      unix  - - n - - error
retry      unix  - - n - - error
discard    unix  - - n - - discard
virtual    unix  - n n - - virtual
anvil      unix  - - n - 1 anvil
scache     unix  - - n - 1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF
}

relay_postfix_start() {
	local out i
	R_PORT=$(e2e_free_port) || return 1
	relay_postfix_write_config || return 1
	: >"$R_LOG"
	if ! out=$(postfix -c "$R_ETC" start 2>&1); then
		printf '# relay postfix start failed:\n'
		e2e_diag "$out"
		e2e_diag "$(cat "$R_LOG")"
		return 1
	fi
	R_STARTED=1
	for i in $(seq 1 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$R_PORT") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# the relay instance's processes: they carry MAIL_CONFIG=R_ETC
relay_postfix_pids() {
	grep -lzxF "MAIL_CONFIG=$R_ETC" /proc/[0-9]*/environ 2>/dev/null |
		sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' | grep -vx "$$"
	return 0
}

relay_postfix_stop() {
	local master='' i pid
	[ "$R_STARTED" -eq 1 ] || return 0
	R_STARTED=0
	[ -f "$R_QUEUE/pid/master.pid" ] &&
		master=$(tr -d ' \n' <"$R_QUEUE/pid/master.pid")
	postfix -c "$R_ETC" stop >/dev/null 2>&1
	if [ -n "$master" ]; then
		for i in $(seq 1 50); do
			e2e_pid_alive "$master" || break
			sleep 0.1
		done
	fi
	for pid in $(relay_postfix_pids); do
		kill -TERM "$pid" 2>/dev/null
	done
	return 0
}

trap 'relay_postfix_stop; relay_dovecot_stop; e2e_cleanup' EXIT

mkdir -p "$R" && chmod 755 "$R"
relay_cert server || e2e_bail "openssl could not make the relay certificate"
relay_cert other || e2e_bail "openssl could not make the other certificate"
relay_dovecot_start ||
	e2e_bail "relay dovecot did not start: $(cat "$R_DC/stdout" "$R_DC/dovecot.log" 2>/dev/null)"
relay_postfix_start || e2e_bail "relay postfix did not start"

# relay_wait_idle: until the relay's queue is empty (20 s)
relay_wait_idle() {
	local i
	for i in $(seq 1 100); do
		case $(postqueue -c "$R_ETC" -p 2>&1) in
		*"Mail queue is empty"*) return 0 ;;
		esac
		sleep 0.2
	done
	return 1
}

# got POST_N: "local:count" of the maildir files holding post N, per member
got() {
	local m n
	for m in "${members[@]}"; do
		n=$(grep -lx "Post $1\." "$R_MAIL/${m%@*}"/new/* 2>/dev/null |
			grep -c .)
		printf '%s:%s ' "${m%@*}" "$n"
	done | sed 's/ $//'
}

# want COUNT: what got prints when each member has COUNT copies
want() {
	local m
	for m in "${members[@]}"; do
		printf '%s:%s ' "${m%@*}" "$1"
	done | sed 's/ $//'
}

total() {
	grep -rlxE "Post [0-9]+\\." "$R_MAIL" | grep -c .
}

# log_mark / log_since: the relay's log lines after the mark
log_mark() {
	mark=$(wc -l <"$R_LOG")
}
log_since() {
	tail -n "+$((mark + 1))" "$R_LOG"
}

# --- metodist: transport = smtp through the relay ---------------------------

sed -i "s|^transport *=.*|transport = smtp\nrelay = 127.0.0.1:$R_PORT\ntls = starttls\ncafile = $R/server.pem\nuser = $relay_user\npassword = $relay_pass\ntimeout = 10\nconnections = 2|" \
	"$E2E_CONF"
# egress_set KEY VALUE: change a key this script put in [egress]
egress_set() {
	sed -i "s|^$1 = .*|$1 = $2|" "$E2E_CONF"
}
e2e_metodist check >/dev/null 2>&1 ||
	e2e_bail "config with the relay does not check: $(e2e_metodist check 2>&1)"

db() {
	runuser -u "$E2E_USER" -- sqlite3 "$E2E_VAR/metodist.db" "$1"
}

states() {
	db "SELECT state, count(*) FROM deliveries WHERE ${1:-1} GROUP BY state ORDER BY state" |
		tr '\n' ' ' | sed 's/ $//'
}

last_post_where() {
	printf "outbound_id = (SELECT max(o.id) FROM outbound o JOIN lists l ON l.id = o.list_id WHERE o.kind = 'post' AND l.name = '%s')" "$list"
}

msg=$E2E_TMP/msg
n_msg=0
# post SUBJECT: a fresh post by the first member; sets rc, out, where
post() {
	n_msg=$((n_msg + 1))
	{
		printf 'From: %s\nTo: %s@%s\nSubject: %s\n' "${members[0]}" \
			"$list" "$E2E_DOMAIN" "$1"
		printf 'Date: %s\nMessage-ID: <tls-%d.%s@%s>\n' "$(date -R)" \
			"$n_msg" "$$" "$school"
		printf '\nPost %d.\n' "$n_msg"
	} >"$msg"
	chmod 644 "$msg"
	out=$(runuser -u "$E2E_USER" -- "$METODIST" -c "$E2E_CONF" deliver \
		-f "${members[0]}" "$list@$E2E_DOMAIN" <"$msg" 2>&1)
	rc=$?
	where=$(last_post_where)
}

# retry: the right settings back, the deferred copies due, one run
retry() {
	egress_set tls starttls
	egress_set cafile "$R/server.pem"
	egress_set password "$relay_pass"
	db "UPDATE deliveries SET next_attempt = 0 WHERE state = 'pending'"
	run_out=$(e2e_metodist run 2>&1)
	run_rc=$?
	[ "$run_rc" -eq 0 ] || e2e_diag "$run_out"
	relay_wait_idle
}

# deferred_check WHAT: the last post's deliveries all pending, retried later
deferred_check() {
	local now
	is "$(states "$where")" "pending|${#members[@]}" \
		"$1: all ${#members[@]} deliveries pending, none failed or sent"
	now=$(date +%s)
	is "$(db "SELECT count(*) FROM deliveries WHERE $where AND attempts >= 1 AND next_attempt > $now AND last_error <> ''")" \
		"${#members[@]}" "$1: each deferred with an error and a later attempt"
}

e2e_init || e2e_bail "metodist init failed"
for m in "${members[@]}"; do
	e2e_metodist members add "$list" "$m" >/dev/null 2>&1 ||
		e2e_bail "members add $list $m failed"
done

# --- 1: the right settings ------------------------------------------------
t0=$(date +%s.%N)
log_mark
post "Через ретранслятор с TLS"
is "$rc" 0 "deliver exits 0"
relay_wait_idle || not_ok "the relay's queue drained" "$(postqueue -c "$R_ETC" -p)"
t1=$(date +%s.%N)
is "$(states "$where")" "sent|${#members[@]}" "every delivery is sent"
is "$(got 1)" "$(want 1)" "each member's copy reached the relay's maildir once"
is "$(total)" "${#members[@]}" "and nothing else"
like "$(log_since)" "postfix-relay/smtpd\[[0-9]+\]: (Anonymous|Untrusted|Trusted|Verified) TLS connection established from" \
	"the relay logged a TLS connection"
like "$(log_since)" "sasl_method=(PLAIN|LOGIN), sasl_username=$relay_user" \
	"the relay logged the SASL login of $relay_user"
unlike "$(log_since)" "authentication failed" "no failed AUTH on the way"
printf '# first post to %d members: %.2fs\n' "${#members[@]}" \
	"$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"

# --- 2: a wrong password ----------------------------------------------------
egress_set password wrong-password
log_mark
post "Неверный пароль"
is "$rc" 0 "wrong password: deliver exits 0"
relay_wait_idle
deferred_check "wrong password"
is "$(total)" "${#members[@]}" "wrong password: nothing reached the relay"
like "$(db "SELECT last_error FROM deliveries WHERE $where LIMIT 1")" \
	'^535 ' "wrong password: the error is the relay's 535 line"
like "$out" "to m1@$school deferred: 535 " "wrong password: metodist logged the 535 line"
like "$(log_since)" "SASL (PLAIN|LOGIN) authentication failed" \
	"wrong password: the relay logged the failed AUTH"
unlike "$(log_since)" "sasl_method=" "wrong password: no login on the relay"
retry
is "$run_rc" 0 "right password: metodist run exits 0"
is "$(states "$where")" "sent|${#members[@]}" "right password: all sent"
is "$(got 2)" "$(want 1)" "right password: each member got post 2 once"

# --- 3: a cafile that does not match the relay ------------------------------
egress_set cafile "$R/other.pem"
log_mark
post "Чужой сертификат"
is "$rc" 0 "wrong cafile: deliver exits 0"
relay_wait_idle
deferred_check "wrong cafile"
is "$(got 3)" "$(want 0)" "wrong cafile: nothing reached the relay"
like "$(db "SELECT last_error FROM deliveries WHERE $where LIMIT 1")" \
	'[Cc]ertificate|SSL|TLS' "wrong cafile: the error names the certificate"
like "$out" "to m1@$school deferred: .*([Cc]ertificate|SSL)" "wrong cafile: metodist logged it"
like "$(log_since)" "STARTTLS|TLS|SSL" "wrong cafile: the relay saw the STARTTLS"
since=$(log_since)
unlike "$since" "sasl_|authentication failed" \
	"wrong cafile: no SASL line on the relay"
like "$(printf '%s\n' "$since" | grep ' disconnect from ')" ' starttls=' \
	"wrong cafile: the relay logged how each connection ended"
unlike "$(printf '%s\n' "$since" | grep ' disconnect from ')" ' auth=' \
	"wrong cafile: no AUTH command on any connection"
retry
is "$run_rc" 0 "right cafile: metodist run exits 0"
is "$(states "$where")" "sent|${#members[@]}" "right cafile: all sent"
is "$(got 3)" "$(want 1)" "right cafile: each member got post 3 once"

# --- 4: tls = none against a relay that demands STARTTLS --------------------
egress_set tls none
log_mark
post "Без TLS"
is "$rc" 0 "tls = none: deliver exits 0"
relay_wait_idle
deferred_check "tls = none"
is "$(got 4)" "$(want 0)" "tls = none: nothing reached the relay"
like "$(db "SELECT last_error FROM deliveries WHERE $where LIMIT 1")" \
	'^530 .*STARTTLS' "tls = none: the error is the relay's 530 STARTTLS line"
since=$(log_since)
unlike "$since" "sasl_|authentication failed" \
	"tls = none: no SASL line on the relay"
like "$(printf '%s\n' "$since" | grep ' disconnect from ')" ' mail=0/1' \
	"tls = none: the relay refused MAIL FROM"
like "$out" "to m1@$school deferred: 530 .*STARTTLS" "tls = none: metodist logged the 530 line"
unlike "$(printf '%s\n' "$since" | grep ' disconnect from ')" ' auth=' \
	"tls = none: no AUTH command in clear"
retry
is "$run_rc" 0 "tls = starttls again: metodist run exits 0"
is "$(states "$where")" "sent|${#members[@]}" "tls = starttls again: all sent"

# --- in the end ----------------------------------------------------------------
for n in 1 2 3 4; do
	is "$(got "$n")" "$(want 1)" "post $n: each member has exactly one copy"
done
is "$(total)" $((4 * ${#members[@]})) "the relay holds $((4 * ${#members[@]})) copies, nothing doubled"
is "$(states "state <> 'sent'")" "" "no delivery is left pending or failed"

e2e_done
