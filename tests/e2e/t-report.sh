#!/bin/bash
# The monthly indicator report from a registry and lists run through the
# real paths: a generated registry of 1,000 teachers in four
# municipalities loaded with "metodist import", some of them subscribed
# by a second import, posts through Postfix; then "metodist report" as
# HTML (drawn by headless Chromium: the SVG chart, the 25% line, the
# flagged municipalities), as CSV (read back by python3's csv module) and
# as text; metodistd, left to itself, sends the last finished month's
# reports; and "metodist report --mail" sends them again: the
# coordinator's letter reaches the outbox with the HTML and CSV attached.
set -u
METODISTD=${METODISTD:-$(cd "$(dirname "${METODIST:?}")" && pwd)/metodistd}
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

[ -x "$METODISTD" ] || e2e_bail "no metodistd beside $METODIST"
cp "$METODISTD" "$E2E_TMP/bin/metodistd" && chmod 755 "$E2E_TMP/bin/metodistd"
METODISTD=$E2E_TMP/bin/metodistd
# The daemon needs no listener here (and must not take the quickstart's).
sed -i -e "s|^listen *=.*|listen =|" -e "s|^lmtp *=.*|lmtp =|" "$E2E_CONF"

e2e_init || e2e_bail "metodist init failed"

# Municipality, teachers, included: 30%, 10% (flagged), 30%, 20% (flagged).
all=$E2E_TMP/registry.csv
some=$E2E_TMP/included.csv
python3 - "$all" "$some" <<'PY' || e2e_bail "cannot write the registry"
import sys
region = [("Алапаевск", 400, 120), ("Березовский", 300, 30),
          ("Верхотурье", 200, 60), ("Гари", 100, 20)]
head = "ФИО;E-mail;Школа;Муниципалитет;Предмет\r\n"
with open(sys.argv[1], "w", encoding="utf-8") as a, \
     open(sys.argv[2], "w", encoding="utf-8") as s:
    a.write(head)
    s.write(head)
    for m, (name, n, k) in enumerate(region):
        for i in range(n):
            row = "Педагог %d-%04d;t%d.%d@school%d.m%d.example.org;" \
                  "Школа № %d;%s;Математика\r\n" % (m, i, m, i, i % 8, m,
                                                     i % 8 + 1, name)
            a.write(row)
            if i < k:
                s.write(row)
PY
chmod 644 "$all" "$some"

out=$(e2e_metodist import "$all" 2>&1)
like "$out" "добавлено: 1000" "import: 1,000 teachers loaded"
out=$(e2e_metodist import --subscribe "$some" 2>&1)
like "$out" "подписано: 230" "import --subscribe: 230 of them join math"

# Three teachers of Гари talk on the history list through Postfix.
for a in t3.0@school0.m3.example.org t3.1@school1.m3.example.org \
	t3.2@school2.m3.example.org; do
	e2e_member_add history "$a"
done
e2e_postfix_start || e2e_bail "private Postfix did not start"
msg=$E2E_TMP/post.eml
n=0
for from in t3.0@school0.m3.example.org t3.1@school1.m3.example.org; do
	n=$((n + 1))
	printf 'From: %s\nTo: history@%s\nSubject: Тема %d\nMessage-ID: <r%d@e2e>\n%s\nContent-Type: text/plain; charset=utf-8\n\nКоллеги!\n' \
		"$from" "$E2E_DOMAIN" "$n" "$n" \
		"$([ "$n" -eq 2 ] && echo 'In-Reply-To: <r1@e2e>' || echo 'X-First: yes')" \
		>"$msg"
	check "post $n through Postfix" e2e_mta_deliver "$from" \
		"history@$E2E_DOMAIN" "$msg"
done

# --- this month, provisional ------------------------------------------------
tz=$(e2e_ini "$E2E_CONF" site timezone)
now=$(TZ=${tz:-Asia/Yekaterinburg} date +%Y-%m)
html=$E2E_TMP/report.html
e2e_metodist report --month "$now" --format html >"$html"
is "$?" 0 "report --format html: exit 0"
like "$(cat "$html")" "id=\"provisional\"" "the current month is provisional"

shot=$E2E_TMP/report.png
bash "$E2E_SRCDIR/tests/browser/shot.sh" "$html" "$shot" 1024,1600 \
	>"$E2E_TMP/shot.out" 2>&1
rc=$?
if [ "$rc" -eq 77 ]; then
	ok "# SKIP no chromium: the chart is not drawn"
else
	is "$rc" 0 "Chromium drew the report" ||
		e2e_diag "$(cat "$E2E_TMP/shot.out")"
	python3 - "${shot%.png}.dom.html" >"$E2E_TMP/dom.out" 2>&1 <<'PY'
import sys
from html.parser import HTMLParser

class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.svg = self.line = 0
        self.bars = {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and a.get("id") == "participation-chart":
            self.svg += 1
        if tag == "line" and a.get("id") == "threshold-line":
            self.line += 1
        if tag == "rect" and "data-municipality" in a:
            self.bars[a["data-municipality"]] = a.get("class", "")

d = Dom()
d.feed(open(sys.argv[1], encoding="utf-8").read())
print("svg", d.svg)
print("line", d.line)
for name in sorted(d.bars):
    print("bar", name, "flagged" if "flagged" in d.bars[name] else "ok")
PY
	dom=$(cat "$E2E_TMP/dom.out")
	like "$dom" "svg 1" "DOM: the participation chart is an inline SVG"
	like "$dom" "line 1" "DOM: the 25% line is drawn"
	like "$dom" "bar Березовский flagged" "DOM: Березовский (10%) is flagged"
	like "$dom" "bar Гари flagged" "DOM: Гари (20%) is flagged"
	like "$dom" "bar Алапаевск ok" "DOM: Алапаевск (30%) is not"
	is "$(grep -c '^bar ' <<<"$dom")" 4 "DOM: one bar per municipality"
fi

csv=$E2E_TMP/report.csv
e2e_metodist report --month "$now" --format csv >"$csv"
rows=$(python3 - "$csv" <<'PY'
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
# The first section: participation, up to the first empty line.
start = next(i for i, r in enumerate(rows) if r and r[0].startswith("1. "))
for r in rows[start + 2:]:
    if not r:
        break
    if len(r) == 7:
        print(";".join([r[0], r[1], r[2], r[3], r[6]]))
PY
)
is "$rows" "Алапаевск;400;120;30,0;нет
Березовский;300;30;10,0;да
Верхотурье;200;60;30,0;нет
Гари;100;20;20,0;да" "CSV: a spreadsheet reads each municipality and its flag"

text=$(e2e_metodist report --month "$now")
like "$text" "Березовский .*! ниже 25%" "text: Березовский flagged"
like "$text" "Сообщений за месяц +2" "text: the two posts of the month"
like "$text" "Из них ответов +1" "text: one of them a reply"
like "$text" "Доля, % +23,0" "text: 230 of 1,000 teachers, 23,0%"

# --- the daemon's monthly mail -------------------------------------------------
prev=$(TZ=${tz:-Asia/Yekaterinburg} date -d "$now-01 -1 day" +%Y-%m)
coord=$(e2e_list_key math coordinators | cut -d, -f1 | tr -d ' ')
# The gateway has been running since before last month began.
runuser -u "$E2E_USER" -- python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE lists SET created = 0")
c.commit()' "$E2E_VAR/metodist.db" || e2e_bail "cannot date the lists back"
e2e_outbox_clear
runuser -u "$E2E_USER" -- "$METODISTD" -d -c "$E2E_CONF" \
	>"$E2E_TMP/metodistd.log" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; e2e_cleanup' EXIT
for i in $(seq 1 50); do [ -s "$E2E_VAR/metodistd.pid" ] && break; sleep 0.1; done
daemon=$(cat "$E2E_VAR/metodistd.pid") || e2e_bail "no pid file"
for i in $(seq 1 120); do
	[ "$(e2e_outbox_count_for "$coord")" -ge 1 ] &&
		[ "$(e2e_outbox_count_for admin@imc.example.org)" -ge 1 ] && break
	sleep 1
done
is "$(e2e_outbox_count_for "$coord")" 1 \
	"metodistd sent last month's report to the math coordinator" ||
	e2e_diag "$(tail -5 "$E2E_TMP/metodistd.log")"
is "$(e2e_outbox_count_for admin@imc.example.org)" 1 \
	"and the site's report to the administrator"
sleep 2
is "$(e2e_outbox_count_for "$coord")" 1 "once, not at every tick"
kill -TERM "$daemon"
for i in $(seq 1 50); do e2e_pid_alive "$daemon" || break; sleep 0.1; done

# --- the last finished month again, by hand ------------------------------------
e2e_outbox_clear
out=$(e2e_metodist report --mail --month "$prev" 2>&1)
like "$out" "$prev: 28 reports sent" "report --mail: 27 lists and the site"
f=$(e2e_outbox_for "$coord" | sed -n 1p)
if [ -n "$f" ]; then
	is "$(e2e_header "$f" Auto-Submitted)" auto-generated \
		"the report letter: Auto-Submitted: auto-generated"
	got=$(python3 - "$f" <<'PY'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
                                   policy=email.policy.default)
print("subject", m["Subject"])
for part in m.iter_attachments():
    data = part.get_content()
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    print("attachment", part.get_content_type(), part.get_filename(),
          "svg" if "<svg" in data else "", "bom" if data.startswith("\ufeff")
          else "")
PY
)
	like "$got" "subject Показатели сетевых сообществ за .*МО учителей математики" \
		"the letter's subject names the month and the list"
	like "$got" "attachment text/html report-$prev-math.html svg" \
		"the HTML report with its chart is attached"
	like "$got" "attachment text/csv report-$prev-math.csv  bom" \
		"the CSV report is attached, with its BOM"
else
	not_ok "the math coordinator got the report" "$(e2e_outbox_summary)"
fi
is "$(e2e_outbox_count_for admin@imc.example.org)" 1 \
	"the administrator got the site's report"
out=$(e2e_metodist report --mail --month "$now" 2>&1)
like "$out" "has not ended" "report --mail refuses the current month"

e2e_done
