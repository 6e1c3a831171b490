#!/usr/bin/env python3
"""httpd.py: feedfold's scripted HTTP/1.1 test server.

Listens on 127.0.0.1 on a port the kernel picks and prints that port on
stdout. Stops when stdin reaches EOF (the test closed its end), after
--max-requests requests or after --max-seconds seconds, whichever comes
first, so a crashed test never leaves it running.

Every request is logged to --log as one tab-separated line:

    method  path  if-none-match  if-modified-since  inflight  connections
    accept-encoding  user-agent  time

with "-" for an absent header; inflight and connections are counted when the
request arrives (this request and its connection included; a request stops
counting when its answer starts), so a test can check that a client never
had more than N requests or connections open.

Paths (the query string is ignored unless noted):
  /feed/NAME       200 with ETag and Last-Modified; 304 when either matches
  /gzip, /deflate  a feed body compressed that way (if asked for)
  /brotli          brotli body; 501 if this Python has no brotli module
  /r301 /r302 /r307 /r308   redirect to /feed/moved
  /chain           301 to /r302 (which goes on to /feed/moved)
  /loop            302 to itself
  /tofile          302 to file:///etc/passwd
  /gone            410
  /429             429, Retry-After: 120
  /503date         503, Retry-After as an HTTP date 300 s after Date
  /500             500
  /cache           200 with Cache-Control: max-age=600 and Expires (+900 s)
  /slow            200, Content-Length 100, then 1 byte per second
  /truncated       200, Content-Length 1000, 50 bytes, then closes
  /big?n=N         N bytes with Content-Length
  /bigchunked?n=N  N bytes, chunked (no length announced)
  /bomb?n=N        gzip of N zero bytes (a small body that inflates)
  /hold?ms=M       waits M ms, then a small feed (for concurrency tests)
  /pub/N?period=P  a feed that keeps publishing: item k appears P seconds
                   (default 5) after item k-1, from the server's start;
                   every item so far, each its own story (random words)
  /pubstats        "N<TAB>k" per /pub feed: the last item served (so a
                   test knows what was published to feedfold)
  /pubfreeze       stop publishing: /pub feeds keep the items they have
Hostile answers (tests/hostile_http.sh):
  /laughs          a billion-laughs entity bomb
  /xxe             external entities: file:///etc/passwd, /xxe-probe
  /gzbomb          gzip of endless zeros, made as it is sent (no length)
  /endless         a feed body that never ends (chunked)
  /redirects?n=N   302 to /redirects?n=N-1, down to a feed at 0
  /bigheader       a 1 MB response header
  /garbage         invalid UTF-8, NUL bytes and control characters
  /sameguid        20 items, one GUID
  /dates           items dated 9999, 1900, next year and now
  /million?n=N     a well-formed RSS 2.0 feed of N tiny items (default
                   1,000,000), newest first, all dated within the last
                   day, each with its own link, GUID and title; made as it
                   is sent (chunked), never whole in memory
Enrichment (tests/enrich_http.sh):
  /enrichfeed      items linking to /article/1 and /article/2, and three
                   with image enclosures /img/html, /img/huge, /img/slow
  /article/N       an article page: amphtml /amp/N, og:image /img/png with
                   a wrong og:image:width, og:site_name, a description
  /img/png         tests/data/images/png.png; /img/html an HTML page sent
                   as image/png; /img/huge 20 MB; /img/slow 1 byte a second
"""
import argparse
import email.utils
import gzip
import http.server
import os
import socketserver
import sys
import threading
import time
import urllib.parse
import zlib

try:
    import brotli  # noqa: F401 (python3-brotli, optional)
except ImportError:
    brotli = None

FEED = (b'<?xml version="1.0" encoding="utf-8"?>\n'
        b'<rss version="2.0"><channel><title>Test</title>'
        b'<item><title>Hello</title><link>http://example.com/1</link>'
        b'</item></channel></rss>\n')
LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"

lock = threading.Lock()
state = {"inflight": 0, "conns": 0, "requests": 0}
started = time.time()
pub_served = {}         # feed number -> last item number served
pub_frozen = []         # [time] once /pubfreeze was asked
SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "ta", "vo", "zi", "pe", "shu",
             "dra", "gon", "fel", "bri", "tor", "quin", "wex", "yal",
             "mor", "sul", "cha", "plo", "gri", "nox"]


def pub_title(n, k):
    """Five made-up words that no other item uses (each encodes the feed,
    the item and its place), so that the clusterer keeps every item its
    own story and no story outgrows the related cap."""
    words = []
    for j in range(5):
        v = ((n * 100000 + k) * 5 + j) * 7919 % 24 ** 7
        w = ""
        for _ in range(7):
            w += SYLLABLES[v % 24]
            v //= 24
        words.append(w)
    return " ".join(words)


def pub_feed(n, period):
    with lock:
        now = pub_frozen[0] if pub_frozen else time.time()
    k_max = int((now - started) // period)
    items = []
    for k in range(k_max + 1):
        when = email.utils.formatdate(started + k * period, usegmt=True)
        url = "http://pub.example/%d/%d" % (n, k)
        items.append("<item><title>%s</title><link>%s</link>"
                     "<guid>%s</guid><pubDate>%s</pubDate></item>"
                     % (pub_title(n, k), url, url, when))
    with lock:
        if pub_served.get(n, -1) < k_max:
            pub_served[n] = k_max
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">'
            '<channel><title>Pub %d</title>%s</channel></rss>\n'
            % (n, "".join(items))).encode()


# /million: item titles are three made-up words drawn from a 32-bit mix
# of the item number, spelt in letters (digits would make words that the
# clusterer treats alike), so the items stay distinct stories.
MILLION_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def million_items(n, now):
    """The feed of /million in pieces of up to 1000 items."""
    yield ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">'
           '<channel><title>Million</title>'
           '<link>http://million.example/</link>').encode()
    step = 86000.0 / max(n, 1)
    date, date_s = None, -1
    for lo in range(0, n, 1000):
        part = []
        for k in range(lo, min(n, lo + 1000)):
            s = int(now - k * step)
            if s != date_s:
                date, date_s = email.utils.formatdate(s, usegmt=True), s
            h = (k + 1) * 2654435761
            title = ("%08x %08x %08x" % (h & 0xffffffff,
                                         (h >> 7) * 40503 & 0xffffffff,
                                         (h >> 13) * 69069 & 0xffffffff)
                     ).translate(MILLION_LETTERS)
            part.append("<item><title>%s</title>"
                        "<link>http://million.example/%d</link>"
                        "<guid>m%d</guid><pubDate>%s</pubDate></item>"
                        % (title, k, k, date))
        yield "".join(part).encode()
    yield b"</channel></rss>\n"


args = None
logf = None
server = None


def log_request(h):
    def hdr(name):
        v = h.headers.get(name)
        return v.replace("\t", " ") if v else "-"
    with lock:
        state["inflight"] += 1
        state["requests"] += 1
        line = "\t".join([h.command, h.path, hdr("If-None-Match"),
                          hdr("If-Modified-Since"), str(state["inflight"]),
                          str(state["conns"]), hdr("Accept-Encoding"),
                          hdr("User-Agent"), "%.3f" % time.time()])
        logf.write(line + "\n")
        logf.flush()
        if state["requests"] >= args.max_requests:
            threading.Thread(target=server.shutdown, daemon=True).start()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with lock:
            state["conns"] += 1

    def finish(self):
        try:
            super().finish()
        finally:
            with lock:
                state["conns"] -= 1

    def log_message(self, fmt, *a):
        pass

    def send_body(self, status, body, ctype="application/rss+xml",
                  extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, status, where):
        self.send_response(status)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_response(self, code, message=None):
        # A request stops counting as in flight when its answer starts:
        # the client may see the end of it and send its next request
        # before this thread gets to run again, and counting until then
        # would blame the client for our scheduling.
        self.uncount()
        super().send_response(code, message)

    def uncount(self):
        if getattr(self, "counted", False):
            self.counted = False
            with lock:
                state["inflight"] -= 1

    def do_GET(self):
        log_request(self)
        self.counted = True
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            self.uncount()

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        p = u.path
        n = int(q.get("n", ["0"])[0])
        ae = self.headers.get("Accept-Encoding", "")

        if p.startswith("/feed/"):
            etag = '"v1-%s"' % p[6:]
            if (self.headers.get("If-None-Match") == etag or
                    self.headers.get("If-Modified-Since") == LAST_MODIFIED):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_body(200, FEED,
                           "application/rss+xml; charset=\"UTF-8\"",
                           [("ETag", etag),
                            ("Last-Modified", LAST_MODIFIED)])
        elif p == "/gzip" and "gzip" in ae:
            self.send_body(200, gzip.compress(FEED),
                           "application/rss+xml; charset=ISO-8859-1",
                           [("Content-Encoding", "gzip")])
        elif p == "/deflate" and "deflate" in ae:
            self.send_body(200, zlib.compress(FEED),
                           extra=[("Content-Encoding", "deflate")])
        elif p == "/brotli":
            if brotli is None or "br" not in ae:
                self.send_body(501, b"no brotli\n", "text/plain")
            else:
                self.send_body(200, brotli.compress(FEED),
                               extra=[("Content-Encoding", "br")])
        elif p in ("/r301", "/r302", "/r307", "/r308"):
            self.redirect(int(p[2:]), "/feed/moved")
        elif p == "/chain":
            self.redirect(301, "/r302")
        elif p == "/loop":
            self.redirect(302, "/loop")
        elif p == "/tofile":
            self.redirect(302, "file:///etc/passwd")
        elif p == "/gone":
            self.send_body(410, b"gone\n", "text/plain")
        elif p == "/429":
            self.send_body(429, b"slow down\n", "text/plain",
                           [("Retry-After", "120")])
        elif p == "/503date":
            now = time.time()
            self.send_body(503, b"later\n", "text/plain",
                           [("Date", email.utils.formatdate(now,
                                                            usegmt=True)),
                            ("Retry-After", email.utils.formatdate(
                                now + 300, usegmt=True))])
        elif p == "/500":
            self.send_body(500, b"oops\n", "text/plain")
        elif p == "/cache":
            now = time.time()
            self.send_body(200, FEED, extra=[
                ("Cache-Control", "public, max-age=600"),
                ("Date", email.utils.formatdate(now, usegmt=True)),
                ("Expires", email.utils.formatdate(now + 900,
                                                   usegmt=True))])
        elif p == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.flush()
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1)
        elif p == "/truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(FEED[:50])
            self.wfile.flush()
            self.close_connection = True
        elif p == "/big":
            self.send_body(200, b"x" * n)
        elif p == "/bigchunked":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            left = n
            while left > 0:
                k = min(left, 65536)
                self.wfile.write(b"%x\r\n" % k + b"x" * k + b"\r\n")
                left -= k
            self.wfile.write(b"0\r\n\r\n")
        elif p == "/bomb":
            self.send_body(200, gzip.compress(b"\0" * n),
                           extra=[("Content-Encoding", "gzip")])
        elif p.startswith("/pub/"):
            period = float(q.get("period", ["5"])[0])
            self.send_body(200, pub_feed(int(p[5:]), period))
        elif p == "/pubfreeze":
            with lock:
                if not pub_frozen:
                    pub_frozen.append(time.time())
            self.send_body(200, b"frozen\n", "text/plain")
        elif p == "/pubstats":
            with lock:
                lines = ["%d\t%d\n" % kv for kv in sorted(pub_served.items())]
            self.send_body(200, "".join(lines).encode(), "text/plain")
        elif p == "/laughs":
            ents = ['<!ENTITY lol "lol">']
            for i in range(1, 10):
                ents.append('<!ENTITY lol%d "%s">'
                            % (i, ("&lol%s;" % ("" if i == 1 else i - 1))
                               * 10))
            body = ('<?xml version="1.0"?>\n<!DOCTYPE rss [%s]>\n'
                    '<rss version="2.0"><channel><title>L</title><item>'
                    '<title>Laughs &lol9;</title>'
                    '<link>http://hostile.example/laughs</link></item>'
                    '</channel></rss>\n' % "".join(ents)).encode()
            self.send_body(200, body)
        elif p == "/xxe":
            body = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n'
                    '<!ENTITY f SYSTEM "file:///etc/passwd">\n'
                    '<!ENTITY n SYSTEM "http://127.0.0.1:%d/xxe-probe">\n'
                    '<!ENTITY %% p SYSTEM "http://127.0.0.1:%d/xxe-dtd">\n'
                    '%%p;]>\n<rss version="2.0"><channel><title>X</title>'
                    '<item><title>XXE &f; &n;</title>'
                    '<link>http://hostile.example/xxe</link></item>'
                    '</channel></rss>\n'
                    % (self.server.server_address[1],
                       self.server.server_address[1])).encode()
            self.send_body(200, body)
        elif p == "/gzbomb":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            z = zlib.compressobj(9, zlib.DEFLATED, 31)
            zeros = b"\0" * (1 << 20)
            # Up to 10 GiB of zeros; the client hangs up long before.
            for _ in range(10 * 1024):
                c = z.compress(zeros) + z.flush(zlib.Z_SYNC_FLUSH)
                self.wfile.write(b"%x\r\n" % len(c) + c + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif p == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            head = b'<?xml version="1.0"?><rss version="2.0"><channel>'
            self.wfile.write(b"%x\r\n" % len(head) + head + b"\r\n")
            item = b"<item><title>again</title></item>" * 100
            deadline = time.time() + 60
            while time.time() < deadline:
                self.wfile.write(b"%x\r\n" % len(item) + item + b"\r\n")
        elif p == "/redirects":
            if n <= 0:
                self.send_body(200, FEED)
            else:
                self.redirect(302, "/redirects?n=%d" % (n - 1))
        elif p == "/bigheader":
            self.send_response(200)
            self.send_header("X-Big", "x" * (1 << 20))
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            self.wfile.write(FEED)
        elif p == "/garbage":
            body = (b'<?xml version="1.0" encoding="utf-8"?>\n'
                    b'<rss version="2.0"><channel><title>G\xff\xfe</title>'
                    b'<item><title>Bad \xc3\x28 bytes \x00 and \x01\x1b '
                    b'\xed\xa0\x80 surrogate</title>'
                    b'<description>caf\xe9 \xf0\x9f\x98</description>'
                    b'<link>http://hostile.example/garbage</link></item>'
                    b'</channel></rss>\n')
            self.send_body(200, body)
        elif p == "/sameguid":
            items = "".join(
                "<item><title>Same guid item %d about topic %d</title>"
                "<link>http://hostile.example/same/%d</link>"
                "<guid isPermaLink=\"false\">one-guid</guid></item>"
                % (i, i, i) for i in range(20))
            self.send_body(200, ('<?xml version="1.0"?><rss version="2.0">'
                                 '<channel><title>S</title>%s</channel>'
                                 '</rss>' % items).encode())
        elif p == "/dates":
            now = time.time()
            dates = [("far", "Fri, 31 Dec 9999 23:59:59 GMT"),
                     ("old", "Mon, 01 Jan 1900 00:00:00 GMT"),
                     ("next", email.utils.formatdate(now + 365 * 86400,
                                                     usegmt=True)),
                     ("now", email.utils.formatdate(now, usegmt=True))]
            items = "".join(
                "<item><title>Dated %s unrelated words %s</title>"
                "<link>http://hostile.example/dates/%s</link>"
                "<pubDate>%s</pubDate></item>" % (k, k * 3, k, d)
                for k, d in dates)
            self.send_body(200, ('<?xml version="1.0"?><rss version="2.0">'
                                 '<channel><title>D</title>%s</channel>'
                                 '</rss>' % items).encode())
        elif p == "/million":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for c in million_items(int(q.get("n", ["1000000"])[0]),
                                   time.time()):
                self.wfile.write(b"%x\r\n" % len(c) + c + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif p == "/enrichfeed":
            items = "".join(
                "<item><title>Article %d zq%dx alpha%d</title>"
                "<link>/article/%d</link></item>" % (i, i, i, i)
                for i in (1, 2))
            for name in ("html", "huge", "slow"):
                items += ("<item><title>Image %s qq%szz</title>"
                          "<link>/none/%s</link>"
                          "<enclosure url=\"/img/%s\" type=\"image/png\" "
                          "length=\"1\"/></item>" % (name, name, name, name))
            self.send_body(200, ('<?xml version="1.0"?><rss version="2.0">'
                                 '<channel>'
                                 '<link>http://127.0.0.1:%d/</link>%s'
                                 '</channel></rss>'
                                 % (self.server.server_address[1],
                                    items)).encode())
        elif p.startswith("/article/"):
            n = p[9:]
            page = ('<!DOCTYPE html><html><head><title>A</title>'
                    '<link rel="amphtml" href="/amp/%s">'
                    '<meta property="og:image" content="/img/png">'
                    '<meta property="og:image:width" content="999">'
                    '<meta property="og:site_name" content="Enrich Times">'
                    '<meta name="description" content="About %s.">'
                    '</head><body>%s</body></html>'
                    % (n, n, "x" * 1000))
            self.send_body(200, page.encode(), "text/html; charset=utf-8")
        elif p == "/img/png":
            src = os.environ.get("srcdir", ".")
            with open(os.path.join(src, "tests/data/images/png.png"),
                      "rb") as f:
                self.send_body(200, f.read(), "image/png")
        elif p == "/img/html":
            self.send_body(200, b"<html><body>not an image</body></html>",
                           "image/png")
        elif p == "/img/huge":
            self.send_body(200, b"\x89PNG" + b"\0" * (20 << 20), "image/png")
        elif p == "/img/slow":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"\x89")
                self.wfile.flush()
                time.sleep(1)
        elif p == "/hold":
            time.sleep(int(q.get("ms", ["100"])[0]) / 1000.0)
            self.send_body(200, FEED)
        else:
            self.send_body(404, b"not found\n", "text/plain")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver listens with a backlog of 5: with 50 clients connecting
    # at once on a loaded machine, SYNs were dropped, and the retransmits
    # (1 s, 3 s, 7 s...) pushed connects past feedfold's timeout.
    request_queue_size = 512

    def handle_error(self, request, client_address):
        # A client that drops the connection (feedfold refusing a
        # non-public address after connecting, a cancelled transfer) is
        # part of the tests, not a server fault: no traceback in the log.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def main():
    global args, logf, server
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--max-requests", type=int, default=1000)
    ap.add_argument("--max-seconds", type=float, default=120)
    args = ap.parse_args()
    logf = open(args.log, "a")
    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)

    def watch_stdin():
        while sys.stdin.buffer.read(4096):
            pass
        server.shutdown()
    threading.Thread(target=watch_stdin, daemon=True).start()
    timer = threading.Timer(args.max_seconds, server.shutdown)
    timer.daemon = True
    timer.start()
    server.serve_forever(poll_interval=0.05)
    server.server_close()
    logf.close()
    # Handler threads may still sleep in /slow: do not wait for them.
    os._exit(0)


if __name__ == "__main__":
    main()
