#!/bin/bash
# The monthly indicator report from a registry and lists run through the
# real paths: a generated registry of 2,000 teachers in four
# municipalities loaded with "metodist import", some of them subscribed
# by a second import, posts through Postfix; then "metodist report" as
# HTML (drawn by headless Chromium: the SVG chart, the 25% line, the
# flagged municipalities), as CSV (read back by python3's csv module) and
# as text; and "metodist report --mail" of the last finished month: the
# coordinator's letter reaches the outbox with the HTML and CSV attached.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

e2e_init || e2e_bail "metodist init failed"

# Municipality, teachers, included: 30%, 10% (flagged), 30%, 20% (flagged).
region="Алапаевск 800 240
Березовский 600 60
Верхотурье 400 120
Гари 200 40"

all=$E2E_TMP/registry.csv
some=$E2E_TMP/included.csv
python3 - "$all" "$some" <<'PY' || e2e_bail "cannot write the registry"
import sys
region = [("Алапаевск", 800, 240), ("Березовский", 600, 60),
          ("Верхотурье", 400, 120), ("Гари", 200, 40)]
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
like "$out" "добавлено: 2000" "import: 2,000 teachers loaded"
out=$(e2e_metodist import --subscribe "$some" 2>&1)
like "$out" "подписано: 460" "import --subscribe: 460 of them join math"

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
is "$rows" "Алапаевск;800;240;30,0;нет
Березовский;600;60;10,0;да
Верхотурье;400;120;30,0;нет
Гари;200;40;20,0;да" "CSV: a spreadsheet reads each municipality and its flag"

text=$(e2e_metodist report --month "$now")
like "$text" "Березовский .*! ниже 25%" "text: Березовский flagged"
like "$text" "Сообщений за месяц +2" "text: the two posts of the month"
like "$text" "Из них ответов +1" "text: one of them a reply"
like "$text" "Доля, % +23,0" "text: 460 of 2,000 teachers, 23,0%"

# --- the last finished month by mail ------------------------------------------
prev=$(TZ=${tz:-Asia/Yekaterinburg} date -d "$now-01 -1 day" +%Y-%m)
e2e_outbox_clear
out=$(e2e_metodist report --mail --month "$prev" 2>&1)
like "$out" "$prev: 28 reports sent" "report --mail: 27 lists and the site"
coord=$(e2e_list_key math coordinators | cut -d, -f1 | tr -d ' ')
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
