#!/bin/bash
# Bounces through Postfix (SMTP to the private instance, whose pipe transport
# runs "metodist deliver"): a post to a members list gives each copy a VERP
# envelope (L+bounces-TOKEN@D); a delivery status notification for one
# member, sent back to that address with the null sender (which the pipe
# hands to deliver as MAILER-DAEMON), raises the
# member's score; at the list's bounce_threshold of hard failures delivery
# to the member stops, the member gets a probe and the coordinator a
# notice.  A vacation reply and a delay notice to a VERP address change
# nothing.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

list=$(e2e_pick_list members math)
[ -n "$list" ] || e2e_bail "no list with policy = members"
addr=$list@$E2E_DOMAIN
coord=$(e2e_list_coordinator "$list")
threshold=$(e2e_list_key "$list" bounce_threshold)
[ -n "$threshold" ] || threshold=5
db=$E2E_VAR/metodist.db
command -v sqlite3 >/dev/null || e2e_bail "the sqlite3 command is missing"

e2e_init || e2e_bail "metodist init failed"
m1=svetlana.belova@school21.example.com
m2=oleg.titov@school22.example.com
e2e_member_add "$list" "$m1" "Светлана Белова"
e2e_member_add "$list" "$m2" "Олег Титов"

e2e_postfix_start || e2e_bail "private Postfix did not start"

msg=$E2E_TMP/msg
n_msg=0
n_sent=0

# deliver_as SENDER RCPT: send $msg to Postfix over SMTP ("<>": the null
# sender) and wait until its pipe has run deliver; sets rc (0 when the pipe
# said status=sent) and qid (Postfix's queue id of the message)
deliver_as() {
	n_sent=$((n_sent + 1))
	e2e_mta_deliver "$1" "$2" "$msg"
	rc=$?
	qid=$E2E_QID
}

# post FROM: a fresh post to the list
post() {
	n_msg=$((n_msg + 1))
	printf 'From: %s\nTo: %s\nSubject: Bounce test %d\nMessage-ID: <bnc-post-%d.%s@school21.example.com>\n\nText %d.\n' \
		"$1" "$addr" "$n_msg" "$n_msg" "$$" "$n_msg" >"$msg"
	deliver_as "$1" "$addr"
}

# dsn RCPT STATUS ACTION: an RFC 3464 report about RCPT in $msg
dsn() {
	n_msg=$((n_msg + 1))
	cat >"$msg" <<DSN
From: MAILER-DAEMON@mx.school21.example.com (Mail Delivery System)
To: $verp
Subject: Undelivered Mail Returned to Sender
Message-ID: <bnc-dsn-$n_msg.$$@mx.school21.example.com>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b$n_msg"

--b$n_msg
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<$1>: host mx.school21.example.com said: 550 $2 User unknown

--b$n_msg
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.school21.example.com

Final-Recipient: rfc822; $1
Action: $3
Status: $2
Diagnostic-Code: smtp; 550 $2 <$1>: User unknown

--b$n_msg--
DSN
}

sql() {
	sqlite3 -cmd '.timeout 5000' "$db" "$1"
}

score() {
	sql "SELECT bounce_score FROM members WHERE address = '$1'"
}

post "$m2"
is "$rc" 0 "post: deliver exits 0 (pipe status=sent)"
f=$(e2e_outbox_for "$m1" | sed -n 1p)
[ -n "$f" ] || e2e_bail "the post did not reach $m1"
rp=$(e2e_addr "$(e2e_header "$f" Return-Path)")
like "$rp" "^$list\+bounces-[A-Za-z0-9_-]+@" "the copy's envelope is the VERP address"
verp=$rp
token=${rp#"$list"+bounces-}
token=${token%@*}
is "$(sql "SELECT recipient FROM deliveries WHERE token = '$token'")" "$m1" \
	"the token names the delivery to the member"

# A vacation reply and a delay notice to the VERP address count nothing.
e2e_outbox_clear
cat >"$msg" <<VAC
From: $m1
To: $verp
Subject: =?utf-8?B?0JDQstGC0L7QvtGC0LLQtdGC?=
Auto-Submitted: auto-replied
Content-Type: text/plain; charset=utf-8

Я в отпуске до понедельника.
VAC
deliver_as "$m1" "$verp"
is "$rc" 0 "vacation reply: deliver exits 0 (pipe status=sent)"
dsn "$m1" 4.4.1 delayed
deliver_as "<>" "$verp"
is "$rc" 0 "delay notice: deliver exits 0 (pipe status=sent)"
is "$(score "$m1")" 0.0 "vacation and delay: the score stays 0"
is "$(sql "SELECT count(*) FROM bounces")" 0 "vacation and delay: no bounce recorded"
is "$(e2e_outbox_count)" 0 "vacation and delay: nobody is written to"

# Hard failures up to the threshold.
i=1
while [ "$i" -lt "$threshold" ]; do
	dsn "$m1" 5.1.1 failed
	deliver_as "<>" "$verp"
	i=$((i + 1))
done
is "$rc" 0 "hard bounce: deliver exits 0 (pipe status=sent)"
is "$(score "$m1")" "$((threshold - 1)).0" "score after $((threshold - 1)) hard bounces"
is "$(sql "SELECT count(*) FROM members WHERE address = '$m1' AND disabled IS NULL")" 1 \
	"below the threshold delivery stays on"
is "$(e2e_outbox_count)" 0 "below the threshold nobody is written to"
is "$(score "$m2")" 0.0 "the other member's score is untouched"

dsn "$m1" 5.1.1 failed
deliver_as "<>" "$verp"
is "$(e2e_mta_sender "$qid")" "<>" \
	"the DSN reached Postfix with the null envelope sender"
is "$rc" 0 "the bounce at the threshold: deliver exits 0 (pipe status=sent)"
is "$(score "$m1")" "$threshold.0" "score at the threshold"
is "$(sql "SELECT count(*) FROM members WHERE address = '$m1' AND disabled IS NOT NULL")" 1 \
	"at the threshold delivery is disabled"
is "$(sql "SELECT count(*) FROM bounces WHERE address = '$m1' AND kind = 'hard'")" "$threshold" \
	"each hard bounce is recorded"
is "$(e2e_outbox_count_for "$m1")" 1 "the member gets one probe"
f=$(e2e_outbox_for "$m1" | sed -n 1p)
like "$(e2e_header "$f" Reply-To)" "$list\+subscribe@$E2E_DOMAIN" "the probe is answered to L+subscribe"
like "$(e2e_header "$f" Auto-Submitted)" "auto-replied" "the probe is an auto-reply"
like "$(e2e_body "$f")" "приостановлена" "the probe says delivery is paused, in Russian"
is "$(e2e_outbox_count_for "$coord")" 1 "the coordinator gets one notice"
f=$(e2e_outbox_for "$coord" | sed -n 1p)
like "$(e2e_body "$f")" "$m1" "the notice names the member"

# One more bounce: recorded, no more letters.
e2e_outbox_clear
dsn "$m1" 5.1.1 failed
deliver_as "<>" "$verp"
is "$(e2e_outbox_count)" 0 "a bounce after disabling writes to nobody"

# The next post reaches the other member only.
e2e_outbox_clear
post "$m2"
is "$rc" 0 "next post: deliver exits 0 (pipe status=sent)"
is "$(e2e_outbox_count_for "$m1")" 0 "the disabled member gets no copy"
is "$(e2e_outbox_count_for "$m2")" 1 "the other member still gets the post"

# The member answers the probe from the mailbox that works again.
e2e_outbox_clear
printf 'From: %s\nTo: %s+subscribe@%s\nSubject: Re: probe\nMessage-ID: <bnc-back-%s@school21.example.com>\n\nЯщик снова работает.\n' \
	"$m1" "$list" "$E2E_DOMAIN" "$$" >"$msg"
deliver_as "$m1" "$list+subscribe@$E2E_DOMAIN"
is "$rc" 0 "reply to the probe: deliver exits 0 (pipe status=sent)"
is "$(sql "SELECT count(*) FROM members WHERE address = '$m1' AND disabled IS NULL AND bounce_score = 0")" 1 \
	"replying to the probe resumes delivery and clears the score"
like "$(e2e_body "$(e2e_outbox_for "$m1" | sed -n 1p)")" "возобновлена" \
	"the member is told delivery is resumed"

# A bounce to the list address itself with the MAILER-DAEMON sender (the
# null sender, which Postfix's pipe passes as MAILER-DAEMON), attributed by
# the report's recipient.
e2e_outbox_clear
dsn "$m2" 5.2.2 failed
deliver_as "<>" "$addr"
is "$rc" 0 "bounce to the list address: deliver exits 0 (pipe status=sent)"
is "$(score "$m2")" 1.0 "attributed by the report's recipient"
is "$(e2e_outbox_count_for "$m2")" 0 "the bounce is not posted to the list"

# --- the MTA path ------------------------------------------------------------
is "$(e2e_pipe_results | grep -c 'status=sent')" "$n_sent" \
	"Postfix piped all $n_sent messages to metodist, each with status=sent"
unlike "$(e2e_pipe_results)" 'status=(bounced|deferred)' \
	"no message was bounced or deferred by Postfix"

e2e_done
