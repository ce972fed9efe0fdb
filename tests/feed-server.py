#!/usr/bin/env python3
"""A feed server for the tests, on 127.0.0.1 and a free port.

Usage: feed-server.py PORTFILE LOGFILE [YEAR [DATE]]

Writes the port it listens on to PORTFILE once it listens, and one line
per request to LOGFILE: "PATH STATUS If-None-Match If-Modified-Since".
YEAR (default: next year) is the year of the dated entries; DATE
(default 14.05.YEAR) the day of the seminar the RSS feed announces.

  /rss       RSS 2.0, ETag and Last-Modified; 304 when either matches
  /atom      Atom, two entries
  /cal.ics   iCalendar, a weekly event (RRULE COUNT=3)
  /500       500 Internal Server Error
  /loop      302 to itself, for ever
  /big       a 20 MB body
  /bad       malformed XML
  /slow      answers after 40 seconds (logged on arrival with status 0)
"""
import datetime
import http.server
import sys
import threading
import time

PORTFILE, LOGFILE = sys.argv[1], sys.argv[2]
YEAR = int(sys.argv[3]) if len(sys.argv) > 3 else datetime.date.today().year + 1
SEMINAR = sys.argv[4] if len(sys.argv) > 4 else f'14.05.{YEAR}'
ETAG = '"rss-v1"'
LASTMOD = 'Tue, 10 Nov 2026 08:00:00 GMT'
LOCK = threading.Lock()

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>ИМЦ: новости</title>
<link>http://imc.example.org/</link><description>news</description>
<item><title>Семинар «Функциональная грамотность» {SEMINAR} 15:00–16:30</title>
<link>http://imc.example.org/news/1</link><guid>imc-news-1</guid>
<description>Приглашаем учителей математики.</description>
<pubDate>Mon, 09 Nov 2026 10:00:00 +0500</pubDate></item>
<item><title>Итоги олимпиады</title><link>http://imc.example.org/news/2</link>
<guid>imc-news-2</guid><description>Опубликованы результаты.</description></item>
</channel></rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Portal</title>
<id>urn:portal</id><updated>2026-11-10T08:00:00Z</updated>
<entry><title>Конкурс методических разработок</title>
<id>urn:portal:1</id><link rel="alternate" href="http://portal.example.org/1"/>
<updated>2026-11-09T08:00:00Z</updated><summary>Приём работ до 1 декабря.</summary></entry>
<entry><title>Webinar May 21, {YEAR} 3:00 PM</title><id>urn:portal:2</id>
<link href="http://portal.example.org/2"/><published>2026-11-08T08:00:00+05:00</published>
<content type="html">&lt;p&gt;Online.&lt;/p&gt;</content></entry>
</feed>
"""

ICS = f"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//feed//RU\r
BEGIN:VEVENT\r
UID:club@imc.example.org\r
DTSTAMP:20261101T000000Z\r
SUMMARY:Клуб молодых педагогов\r
LOCATION:ИМЦ\r
DTSTART;TZID=Asia/Yekaterinburg:{YEAR}0603T160000\r
DTEND;TZID=Asia/Yekaterinburg:{YEAR}0603T173000\r
RRULE:FREQ=WEEKLY;COUNT=3\r
END:VEVENT\r
END:VCALENDAR\r
"""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        pass

    def note(self, status):
        with LOCK, open(LOGFILE, 'a', encoding='utf-8') as f:
            f.write('%s %d %s %s\n' % (
                self.path, status,
                self.headers.get('If-None-Match', '-'),
                (self.headers.get('If-Modified-Since') or '-').replace(' ', '_')))

    def send(self, status, body=b'', ctype='text/plain', extra=()):
        self.note(status)
        self.send_response(status)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        p = self.path
        if p == '/rss':
            if (self.headers.get('If-None-Match') == ETAG or
                    self.headers.get('If-Modified-Since') == LASTMOD):
                self.note(304)
                self.send_response(304)
                self.send_header('ETag', ETAG)
                self.end_headers()
                return
            self.send(200, RSS.encode(), 'application/rss+xml; charset=utf-8',
                      [('ETag', ETAG), ('Last-Modified', LASTMOD)])
        elif p == '/atom':
            self.send(200, ATOM.encode(), 'application/atom+xml')
        elif p == '/cal.ics':
            self.send(200, ICS.encode(), 'text/calendar; charset=utf-8')
        elif p == '/500':
            self.send(500, b'broken')
        elif p == '/loop':
            self.send(302, b'', extra=[('Location', '/loop')])
        elif p == '/big':
            size = 20 * 1024 * 1024
            self.note(200)
            self.send_response(200)
            self.send_header('Content-Type', 'application/rss+xml')
            self.send_header('Content-Length', str(size))
            self.end_headers()
            chunk = b'<' * 65536
            try:
                for _ in range(size // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif p == '/slow':
            self.note(0)        # logged on arrival: "/slow 0 ..."
            time.sleep(40)
            try:
                self.send(200, RSS.encode(), 'application/rss+xml')
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif p == '/bad':
            self.send(200, b'<?xml version="1.0"?><rss><channel><item>'
                      b'<title>unclosed</channel></rss>', 'application/rss+xml')
        else:
            self.send(404, b'no such feed')


def main():
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    srv.daemon_threads = True
    with open(PORTFILE + '.tmp', 'w') as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(PORTFILE + '.tmp', PORTFILE)
    srv.serve_forever()


if __name__ == '__main__':
    main()
