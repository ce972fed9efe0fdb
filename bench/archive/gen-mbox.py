#!/usr/bin/env python3
"""Generate a list's history as mboxrd: N posts in threads of 1-8 over
three years, Russian text with inflected word forms, quoted replies,
References chains (some broken on purpose), a few CP1251/KOI8-R
messages.  Also writes 1,000 mixed search queries.

usage: gen-mbox.py N OUT.mbox QUERIES.txt [SEED]
"""
import random
import re
import sys
import email.utils
from email.header import Header

STEMS = [
    ("урок", ["урок", "урока", "уроку", "уроком", "уроке", "уроки", "уроков", "урокам", "уроками", "уроках"]),
    ("задача", ["задача", "задачи", "задаче", "задачу", "задачей", "задач", "задачам", "задачами"]),
    ("ученик", ["ученик", "ученика", "ученику", "учеником", "ученики", "учеников", "ученикам"]),
    ("учитель", ["учитель", "учителя", "учителю", "учителем", "учителей", "учителям"]),
    ("олимпиада", ["олимпиада", "олимпиады", "олимпиаде", "олимпиаду", "олимпиад"]),
    ("программа", ["программа", "программы", "программе", "программу", "программ"]),
    ("разработка", ["разработка", "разработки", "разработку", "разработок", "разработками"]),
    ("ёлка", ["ёлка", "ёлки", "елка", "елки", "ёлку"]),
    ("класс", ["класс", "класса", "классе", "классы", "классов", "классах"]),
    ("геометрия", ["геометрия", "геометрии", "геометрию"]),
    ("дробь", ["дробь", "дроби", "дробей", "дробями"]),
    ("экзамен", ["экзамен", "экзамена", "экзамены", "экзаменов", "экзаменам"]),
    ("методика", ["методика", "методики", "методику", "методикой"]),
    ("семинар", ["семинар", "семинара", "семинаре", "семинары"]),
    ("контрольная", ["контрольная", "контрольной", "контрольную", "контрольные"]),
]
FILLER = ("и в на по с к о что как это мы вы для не но также уже ещё очень "
          "коллеги предлагаю обсудить планирую провести сегодня завтра неделе "
          "материалы пример вариант результат опыт вопрос ответ время тема "
          "подготовка проверка оценка интересный новый хороший сложный "
          "lesson plan teaching students homework").split()
RARE = ["стереометрия", "тригонометрия", "логарифмы", "комбинаторика",
        "вероятность", "параллелепипед", "биссектриса", "интеграл"]
NAMES = ["Ольга Петрова", "Павел Смирнов", "Наталья Иванова", "Сергей Орлов",
         "Елена Кузнецова", "Андрей Соколов", "Татьяна Попова", "Игорь Лебедев",
         "Мария Козлова", "Дмитрий Новиков", "Ирина Морозова", "Алексей Волков"]


def word(rng):
    r = rng.random()
    if r < 0.35:
        return rng.choice(rng.choice(STEMS)[1])
    if r < 0.37:
        return rng.choice(RARE)
    return rng.choice(FILLER)


def paragraph(rng, n):
    words = [word(rng) for _ in range(n)]
    text, line = [], ""
    for w in words:
        if len(line) + len(w) > 70:
            text.append(line)
            line = w
        else:
            line = (line + " " + w).strip()
    text.append(line)
    return "\n".join(text).capitalize() + "."


def mboxrd(data):
    out = []
    for line in data.split(b"\n"):
        if re.match(rb"^>*From ", line):
            line = b">" + line
        out.append(line)
    return b"\n".join(out)


def main():
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    t = 1640995200  # 2022-01-01
    step = (3 * 365 * 86400) // max(n, 1)
    out = open(sys.argv[2], "wb")
    i = 0
    thread = 0
    while i < n:
        size = min(rng.randint(1, 8), n - i)
        topic = rng.choice(STEMS)[1][0]
        subject = "%s: %s %d" % (rng.choice(["Вопрос", "Обсуждение", "Материалы", "Семинар"]),
                                 topic, thread)
        ids, prev_text = [], ""
        for j in range(size):
            t += rng.randint(step // 2, step + step // 2)
            name = rng.choice(NAMES)
            addr = "user%d@school%d.example.org" % (rng.randrange(400), rng.randrange(60))
            mid = "bench-%d@school.example.org" % i
            body = "\n\n".join(paragraph(rng, rng.randint(25, 70)) for _ in range(rng.randint(1, 3)))
            if rng.random() < 0.03:
                body += "\nFrom the textbook: пример.\n"
            subj = subject if j == 0 else "Re: [Математика] " + subject
            hdrs = ["From: %s <%s>" % (Header(name, "utf-8").encode(), addr),
                    "To: math@lists.example.org",
                    "Subject: %s" % Header(subj, "utf-8").encode(),
                    "Date: %s" % email.utils.formatdate(t, localtime=False),
                    "Message-ID: <%s>" % mid]
            if j > 0 and rng.random() > 0.05:  # 5% of clients break References
                hdrs.append("In-Reply-To: <%s>" % ids[-1])
                hdrs.append("References: %s" % " ".join("<%s>" % x for x in ids[-5:]))
            if j > 0 and prev_text:
                body += "\n\n" + "\n".join("> " + l for l in prev_text.split("\n")[:6])
            charset = "utf-8"
            if rng.random() < 0.02:
                charset = rng.choice(["koi8-r", "windows-1251"])
            payload = body.encode(charset, "replace")
            hdrs += ["MIME-Version: 1.0",
                     "Content-Type: text/plain; charset=%s" % charset,
                     "Content-Transfer-Encoding: 8bit"]
            msg = ("\n".join(hdrs) + "\n\n").encode() + payload + b"\n"
            out.write(b"From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n")
            out.write(mboxrd(msg))
            out.write(b"\n")
            ids.append(mid)
            prev_text = body
            i += 1
        thread += 1
    out.close()
    with open(sys.argv[3], "w") as q:
        for k in range(1000):
            r = k % 5
            if r == 0:
                q.write(rng.choice(rng.choice(STEMS)[1]) + "\n")
            elif r == 1:
                q.write("%s %s\n" % (rng.choice(rng.choice(STEMS)[1]),
                                     rng.choice(rng.choice(STEMS)[1])))
            elif r == 2:
                q.write(rng.choice(RARE) + "\n")
            elif r == 3:
                q.write(rng.choice(["lesson", "plan", "teaching", "students", "homework"]) + "\n")
            else:
                q.write(rng.choice(["кристаллография", "гиперболоид", "nonexistent"]) + "\n")


main()
