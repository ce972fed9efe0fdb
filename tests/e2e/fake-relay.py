#!/usr/bin/env python3
"""A tiny SMTP relay for t-relay.sh that answers RCPT by the local part.

Usage: fake-relay.py PORT LOG [--accept-soft | --mute]

RCPT to an address whose local part starts with "soft" gets 452 (250 with
--accept-soft), "hard" gets 550, anything else 250.  After the reply to
the end of DATA, each accepted recipient of the transaction is appended
to LOG as "TXN SENDER RCPT ENDS": TXN numbers the transactions, SENDER is
the MAIL FROM path without brackets ("-" for the null sender), ENDS is
"crlf" when every body line ended in CRLF, else "bare-lf".  Each
connection accepted appends a line to LOG.conn.  With --mute it accepts
connections and never says a word, as a hung relay does.
Listens on 127.0.0.1:PORT until killed; serves connections in parallel.
"""
import asyncio
import re
import sys

PORT = int(sys.argv[1])
LOG = sys.argv[2]
ACCEPT_SOFT = "--accept-soft" in sys.argv[3:]
MUTE = "--mute" in sys.argv[3:]
PATH = re.compile(r"<([^>]*)>")


def path_of(line):
    m = PATH.search(line)
    return m.group(1) if m else ""


def rcpt_reply(addr):
    local = addr.split("@", 1)[0].lower()
    if local.startswith("hard"):
        return "550 5.1.1 <%s>: hard: no such user here" % addr
    if local.startswith("soft") and not ACCEPT_SOFT:
        return "452 4.2.2 <%s>: soft: mailbox full, try later" % addr
    return "250 2.1.5 Ok"


async def read_body(reader):
    """The body up to the lone dot; dot-stuffing undone."""
    lines = []
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("eof in DATA")
        if line in (b".\r\n", b".\n"):
            return lines
        if line.startswith(b".."):
            line = line[1:]
        lines.append(line)


TXN = [0]


def record(sender, rcpts, lines):
    TXN[0] += 1
    ends = "crlf"
    if any(not ln.endswith(b"\r\n") for ln in lines):
        ends = "bare-lf"
    with open(LOG, "a") as f:
        for r in rcpts:
            f.write("%d %s %s %s\n" % (TXN[0], sender or "-", r, ends))


async def session(reader, writer):
    def say(text):
        writer.write((text + "\r\n").encode())

    with open(LOG + ".conn", "a") as f:
        f.write("connection\n")
    if MUTE:
        while await reader.read(4096):
            pass
        writer.close()
        return
    say("220 fake-relay ESMTP")
    sender, rcpts = None, []
    try:
        while True:
            raw = await reader.readline()
            if not raw:
                break
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                say("250-fake-relay\r\n250 8BITMIME")
            elif verb == "MAIL":
                sender, rcpts = path_of(line), []
                say("250 2.1.0 Ok")
            elif verb == "RCPT":
                addr = path_of(line)
                reply = rcpt_reply(addr)
                if reply.startswith("250"):
                    rcpts.append(addr)
                say(reply)
            elif verb == "DATA":
                if sender is None or not rcpts:
                    say("554 5.5.1 no valid recipients")
                    continue
                say("354 go ahead")
                await writer.drain()
                record(sender, rcpts, await read_body(reader))
                say("250 2.0.0 Ok: queued")
                sender, rcpts = None, []
            elif verb == "RSET":
                sender, rcpts = None, []
                say("250 2.0.0 Ok")
            elif verb == "NOOP":
                say("250 2.0.0 Ok")
            elif verb == "QUIT":
                say("221 2.0.0 Bye")
                await writer.drain()
                break
            else:
                say("502 5.5.2 unknown command")
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(session, "127.0.0.1", PORT)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
