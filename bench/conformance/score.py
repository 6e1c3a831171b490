#!/usr/bin/env python3
"""
bench/conformance/score.py: score `feedfold parse` against the test suites
of other feed parsers, on the fields of the record.

    bench/conformance/score.py [--feedfold BIN] [--feedparser DIR]
        [--gofeed DIR] [--rss-parser DIR] [--excerpt-length N]
        [--failures] [--not-checked] [--json FILE]

Each DIR is a copy of (part of) a suite's test data, laid out as in its
repository: feedparser's tests/ tree (XML files whose header comment holds
Description:, Expect: and Header: lines), gofeed's testdata/ tree (X.xml
next to the expected X.json), rss-parser's test/ tree (input/X.rss|atom|xml
and output/X.json). The suites' data is not part of feedfold and is never
copied into this repository: fetch it, point the script at it.

For every case the script runs `feedfold parse FILE [--url BASE]`, reads
the YAML records, maps the case's expectations onto record fields and
counts one check per (case, entry, field) it can compare. Expectations
about things the record does not carry are not checks; they are counted,
by reason, so that nothing disappears silently. README.md (next to this
file) gives the mapping, the normalisation of text and URLs, and the
reasons a check is not made.

Prints per suite: checks, passed, %; the overall figure; with --failures
the failed checks (case, entry, field, expected, got).
"""

import argparse
import ast
import datetime
import email.utils
import html
import html.entities
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

try:
    import yaml
except ImportError:		# pragma: no cover
    sys.exit("score.py: needs PyYAML (Debian: python3-yaml)")

EXCERPT_LENGTH = 300
TITLE_LENGTH = 1000

# ---------------------------------------------------------------------------
# Text: what a reader sees, for both sides of a comparison.

# Elements that separate words (a space in text) and elements whose content
# is not text at all. The HTML definitions of block-level and of
# non-rendered content; a, b, span, img and the rest run on inline, and so
# does object: its content is the fallback shown when the object is not
# (text.c's rule).
BLOCK = frozenset("""address article aside blockquote body br caption center
    dd details dialog dir div dl dt fieldset figcaption figure footer form
    h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol option
    p pre section summary table tbody td tfoot th thead tr ul""".split())
SKIP = frozenset("""head iframe noscript script style svg template
    title""".split())
# Zero-width and format characters a reader does not see.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"), None)


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip = 0

    def _tag(self, tag):
        return tag.split(":")[-1].lower()

    def handle_starttag(self, tag, attrs):
        t = self._tag(tag)
        if t in SKIP:
            self.skip += 1
        elif t in BLOCK:
            self.out.append(" ")

    def handle_startendtag(self, tag, attrs):
        if self._tag(tag) in BLOCK:
            self.out.append(" ")

    def handle_endtag(self, tag):
        t = self._tag(tag)
        if t in SKIP:
            self.skip = max(0, self.skip - 1)
        elif t in BLOCK:
            self.out.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def collapse(s):
    """Whitespace runs to one space, no space at either end; C0/C1 control
    and zero-width characters dropped (both sides get this)."""
    s = s.translate(INVISIBLE)
    s = "".join(c if (c >= " " and not "\x7f" <= c <= "\x9f") or c in "\t\n\r"
                else "" for c in s)
    return " ".join(s.split())


# Markup in a value that is HTML (a summary): any tag or reference.
LOOKS_HTML = re.compile(r"<[A-Za-z/!]|&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")

# The elements of HTML, to tell a tag from a pair of angle brackets (the
# same list as normalize.c's).
HTML_ELEMENTS = frozenset("""a abbr acronym address applet area article
    aside audio b base basefont bdi bdo big blink blockquote body br button
    canvas caption center cite code col colgroup data datalist dd del
    details dfn dialog dir div dl dt em embed fieldset figcaption figure
    font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr
    html i iframe img input ins kbd label legend li link main map mark
    marquee menu meta meter nav nobr noframes noscript object ol optgroup
    option output p param picture pre progress q rp rt ruby s samp script
    search section select slot small source span strike strong style sub
    summary sup svg table tbody td template textarea tfoot th thead time
    title tr track tt u ul var video wbr""".split())
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(.?)", re.S)
REF = re.compile(r"&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def looks_html(s):
    """Whether a title, which may be either, is HTML: an end tag, a comment or
    a complete reference (a named one HTML defines) in it, and every tag
    in it one of an HTML element (docs/parsing.md; normalize.c's
    normalize_looks_html)."""
    markup = "<!--" in s
    for m in TAG.finditer(s):
        if m.group(3) == "":
            continue		# cut by the end of the value
        if m.group(3) not in "> /\t\r\n" or \
                m.group(2).lower() not in HTML_ELEMENTS:
            return False
        markup = markup or m.group(1) == "/"
    for m in REF.finditer(s):
        name = m.group(1)
        if name.startswith("#") or name + ";" in html.entities.html5:
            markup = True
    return markup


def to_text(s, mode="auto"):
    """A value of another parser as plain text. mode "html": it is HTML;
    "plain": it is text already; "auto": HTML when it has any markup (a
    tag or a complete reference); titles decide by looks_html() first,
    the rule feedfold applies to RSS titles."""
    if s is None:
        return None
    if mode == "html" or (mode == "auto" and LOOKS_HTML.search(s)):
        p = _Text()
        p.feed(s)
        p.close()
        s = "".join(p.out)
    return collapse(s)


def excerpt_ok(ours, theirs, limit):
    """Our excerpt against their text: equal when theirs fits in the limit;
    otherwise ours is a prefix of theirs ending on a word boundary, at most
    limit characters long and at least three quarters of it (text.c cuts
    on the last boundary unless that loses more than a quarter, and then
    cuts inside the word)."""
    if len(theirs) <= limit:
        return ours == theirs
    if not theirs.startswith(ours) or len(ours) > limit:
        return False
    if len(ours) < limit * 3 // 4:
        return False
    return True

# ---------------------------------------------------------------------------
# URLs and dates.


def url_norm(u):
    """RFC 3986 normalisation: case of scheme and host, default port, empty
    path, percent-encoding of what must be encoded (and only of that)."""
    if u is None:
        return None
    u = u.strip()
    try:
        p = urllib.parse.urlsplit(u)
    except ValueError:
        return u
    scheme = p.scheme.lower()
    host = (p.hostname or "")
    try:
        host = host.encode("idna").decode("ascii") if host else host
    except UnicodeError:
        pass
    netloc = host
    try:
        port = p.port
    except ValueError:
        port = None
    if port and not ((scheme == "http" and port == 80) or
                     (scheme == "https" and port == 443)):
        netloc += ":%d" % port
    if p.username:
        netloc = p.username + ("@" if not p.password else
                               ":" + p.password + "@") + netloc
    path = p.path or ("/" if scheme in ("http", "https") else "")
    safe = "/:@!$&'()*+,;=-._~%"

    def req(s):
        return urllib.parse.quote(urllib.parse.unquote(s), safe=safe)
    return urllib.parse.urlunsplit((scheme, netloc, req(path),
                                    req(p.query), req(p.fragment)))


def url_host(u):
    try:
        h = urllib.parse.urlsplit(u.strip()).hostname or ""
    except ValueError:
        return ""
    h = h.lower()
    return h[4:] if h.startswith("www.") else h


def date_parse(s):
    """Another parser's date, given as a string: RFC 822 or ISO 8601.
    None when neither reads it (the expectation is then not checked)."""
    if s is None:
        return None
    s = s.strip()
    if not s:
        return None
    try:
        d = email.utils.parsedate_to_datetime(s)
        if d is not None:
            if d.tzinfo is None:
                d = d.replace(tzinfo=datetime.timezone.utc)
            return d.astimezone(datetime.timezone.utc)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
        if d.tzinfo is None:
            d = d.replace(tzinfo=datetime.timezone.utc)
        return d.astimezone(datetime.timezone.utc)
    except ValueError:
        return None


def date_ours(v):
    if v is None:
        return None
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=datetime.timezone.utc)
        return v.astimezone(datetime.timezone.utc)
    return date_parse(str(v))


def fmt_date(d):
    return d.strftime("%Y-%m-%dT%H:%M:%SZ") if d else None

# ---------------------------------------------------------------------------
# Media: what counts as an image, and the type an item gets.


IMAGE_EXT = re.compile(r"\.(jpe?g|png|gif|webp|avif|bmp|svg)(\?|#|$)", re.I)


def media_kind(url, mtype=None, medium=None):
    """image, video, audio or None for a media reference: by medium, else
    by MIME type, else (no type at all) by file name."""
    medium = (medium or "").lower()
    mtype = (mtype or "").lower().strip()
    if medium in ("image", "video", "audio"):
        return medium
    if mtype.startswith("image/"):
        return "image"
    if mtype.startswith("video/") or mtype == "application/x-shockwave-flash":
        return "video"
    if mtype.startswith("audio/"):
        return "audio"
    if not mtype and url and IMAGE_EXT.search(url):
        return "image"
    return None


def type_of(kinds):
    """The record's type from the media an item carries (docs/parsing.md):
    video wins over audio, images never set it."""
    if "video" in kinds:
        return "video"
    if "audio" in kinds:
        return "audio"
    return "article"

# ---------------------------------------------------------------------------
# Raw items: only to tell whether an item has anything feedfold keeps an
# entry for (a title, an excerpt source, a link), and the attributes of its
# links and enclosures, which some expectations leave out.

ITEM_RE = re.compile(r"<((?:[\w.-]+:)?(?:item|entry)|ITEM)\b([^>]*?)"
                     r"(?:/>|>(.*?)</\1\s*>)", re.S)
CHILD_RE = re.compile(r"<((?:[\w.-]+:)?([\w.-]+))\b([^>]*?)(?:/>|>(.*?)</\1\s*>)", re.S)
ATTR_RE = re.compile(r"([\w:.-]+)\s*=\s*(\"[^\"]*\"|'[^']*')", re.S)
KEEPS = {"title", "link", "description", "summary", "content", "encoded",
         "abstract", "guid", "body", "fullitem", "origLink"}


def _attrs(s):
    return {k.split(":")[-1] if not k.startswith("xml:") else k:
            html.unescape(v[1:-1]) for k, v in ATTR_RE.findall(s or "")}


def _inner_text(s):
    s = re.sub(r"<!\[CDATA\[(.*?)\]\]>", r"\1", s or "", flags=re.S)
    s = re.sub(r"<[^>]*>", " ", s)
    return html.unescape(s).strip()


def raw_items(doc):
    """The bodies of the document's items and entries, in order (comments
    taken out first)."""
    doc = re.sub(r"<!--.*?-->", "", doc, flags=re.S)
    out = []
    for m in ITEM_RE.finditer(doc):
        body = m.group(3) or ""
        if m.group(1) == "ITEM":
            # CDF: the item's link is its HREF attribute; written here as
            # the link element it stands for.
            href = _attrs(m.group(2)).get("HREF", "")
            if href.strip():
                body = '<link href="%s"/>' % html.escape(href) + body
        out.append(body)
    return out


def raw_children(body):
    """[(local name, attrs, inner)] of an item's direct-ish children."""
    body = re.sub(r"<((?:[\w.-]+:)?source)\b.*?</\1\s*>", "", body, flags=re.S)
    return [(m.group(2), _attrs(m.group(3)), m.group(4) or "")
            for m in CHILD_RE.finditer(body)]


def raw_keeps(body):
    """Whether feedfold makes an entry of this item: a title, an excerpt
    source or a link with something in it."""
    for name, attrs, inner in raw_children(body):
        if name not in KEEPS and name.isupper():
            name = name.lower()		# CDF: <TITLE>, <ABSTRACT>
        if name not in KEEPS:
            continue
        if name == "link" and attrs.get("rel", "alternate") != "alternate":
            continue
        if name == "link" and attrs.get("href", "").strip():
            return True
        if name == "guid":
            t = _inner_text(inner)
            if attrs.get("isPermaLink", "true").lower() != "false" and \
                    re.match(r"https?://", t):
                return True
            continue
        if _inner_text(inner) or (name in ("content", "summary", "title") and
                                  re.search(r"<\w", inner)):
            return True
    return False


def raw_media(body):
    """[(kind-or-None, url, type)] of enclosures and links rel=enclosure,
    in document order."""
    out = []
    for name, attrs, inner in raw_children(body):
        if name == "enclosure":
            out.append((attrs.get("url") or attrs.get("href"), attrs.get("type")))
        elif name == "link" and attrs.get("rel") == "enclosure":
            out.append((attrs.get("href") or _inner_text(inner), attrs.get("type")))
    return out


def raw_links(body):
    """[(rel, href)] of an item's link elements, in order (RSS <link> text
    is rel alternate)."""
    out = []
    for name, attrs, inner in raw_children(body):
        if name == "link":
            out.append((attrs.get("rel", "alternate"),
                        attrs.get("href") or _inner_text(inner)))
    return out


DATE_NAMES = {"pubDate", "published", "issued", "date", "created", "updated",
              "modified"}


def raw_date_count(body):
    return sum(1 for name, _, inner in raw_children(body)
               if name in DATE_NAMES and _inner_text(inner))


SUMMARY_NAMES = {"description", "summary", "abstract", "subtitle"}


def raw_has_summary(body):
    return any(name in SUMMARY_NAMES and (_inner_text(inner) or
                                          re.search(r"<\w", inner))
               for name, _, inner in raw_children(body))


TEXT_TYPES = {"text", "text/plain"}
HTML_TYPES = {"html", "xhtml", "text/html", "application/xhtml+xml"}


def raw_text_mode(body, names):
    """"plain" when the item's first element of these names declares its
    value plain text (Atom type="text", type="text/plain"): the suite's
    value is then text, its brackets characters, not tags; "html" when it
    declares HTML; else "auto"."""
    for name, attrs, _ in raw_children(body):
        if name in names:
            t = attrs.get("type", "").strip().lower()
            if t in TEXT_TYPES:
                return "plain"
            return "html" if t in HTML_TYPES else "auto"
    return "auto"


def raw_category(body, k):
    cats = [(a, inner) for n, a, inner in raw_children(body)
            if n in ("category", "subject")]
    return cats[k] if k < len(cats) else None

# ---------------------------------------------------------------------------
# A check and the comparisons.


class Check:
    def __init__(self, field, expected, compare, shown=None):
        self.field = field		# record field it is about
        self.expected = expected	# their value, normalised
        self.compare = compare		# fn(entry dict) -> (ok, got)
        self.shown = shown if shown is not None else expected


def ck_title(value, mode="auto"):
    if mode == "auto" and value is not None:
        mode = "html" if looks_html(value) else "plain"
    want = to_text(value, mode)
    if want is not None and len(want) > TITLE_LENGTH:
        want = want[:TITLE_LENGTH]

    def cmp(e):
        got = e.get("title")
        got = collapse(got) if got is not None else None
        return (got or None) == (want or None), got
    return Check("title", want, cmp)


def ck_excerpt(value, limit, mode="auto"):
    want = to_text(value, mode)

    def cmp(e):
        got = e.get("excerpt")
        got = collapse(got) if got is not None else None
        if not want:
            return not got, got
        if not got:
            return False, got
        return excerpt_ok(got, want, limit), got
    return Check("excerpt", want, cmp)


def ck_link(value):
    want = url_norm(value) if value else None

    def cmp(e):
        got = e.get("originalUrl")
        return url_norm(got) == want, got
    return Check("webUrl", want, cmp, value)


def ck_date(d):
    def cmp(e):
        got = date_ours(e.get("publishedDateTime"))
        return got == d, fmt_date(got)
    return Check("publishedDateTime", fmt_date(d), cmp)


def ck_topic(value):
    want = to_text(value, "plain")

    def cmp(e):
        got = [collapse(str(t)) for t in (e.get("topics") or [])]
        return want in got, got
    return Check("topics", want, cmp)


def ck_topics(values):
    want, seen = [], set()
    for v in values:
        t = to_text(v, "plain")
        if t and t.lower() not in seen:
            seen.add(t.lower())
            want.append(t)

    def cmp(e):
        got = [collapse(str(t)) for t in (e.get("topics") or [])]
        return got == want, got
    return Check("topics", want, cmp)


def ck_image(url):
    want = url_norm(url)

    def cmp(e):
        got = [url_norm(i.get("url")) for i in (e.get("images") or [])]
        return want in got, got
    return Check("images", want, cmp, url)


def ck_images(urls):
    want = []
    for u in urls:
        n = url_norm(u)
        if n not in want:
            want.append(n)

    def cmp(e):
        got = []
        for i in e.get("images") or []:
            n = url_norm(i.get("url"))
            if n not in got:
                got.append(n)
        return got == want, got
    return Check("images", want, cmp)


def ck_type(t):
    def cmp(e):
        got = e.get("type")
        return got == t, got
    return Check("type", t, cmp)


def ck_provider(name):
    want = to_text(name, "auto")

    def cmp(e):
        got = (e.get("provider") or {}).get("name")
        got = collapse(str(got)) if got is not None else None
        return got == want, got
    return Check("provider", want, cmp)


def ck_domain(url):
    want = url_host(url)

    def cmp(e):
        got = (e.get("provider") or {}).get("domain")
        return got == want, got
    return Check("provider.domain", want, cmp, url)

# ---------------------------------------------------------------------------
# Running feedfold.


def run_feedfold(binary, path, url=None):
    cmd = [binary, "parse", path]
    if url:
        cmd += ["--url", url]
    p = subprocess.run(cmd, capture_output=True, timeout=60)
    text = p.stdout.decode("utf-8", "replace")
    entries = []
    try:
        for d in yaml.safe_load_all(text):
            if isinstance(d, dict):
                entries.append(d)
    except yaml.YAMLError as e:
        return None, "YAML: %s" % e
    if p.returncode != 0 and not entries:
        return entries, p.stderr.decode("utf-8", "replace").strip()
    return entries, None

# ---------------------------------------------------------------------------
# feedparser: Expect: is a Python expression over the parse result.

FP_DOCROOT = "http://127.0.0.1:8097/"	# the URL its test server serves at


def _path(node):
    """entries[0]['title'] / entries[0].source.href as a tuple, or None."""
    parts = []
    while True:
        if isinstance(node, ast.Subscript):
            try:
                parts.append(ast.literal_eval(node.slice))
            except ValueError:
                return None
            node = node.value
        elif isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return tuple(reversed(parts))
        else:
            return None


def _literal(node):
    """A literal, with string concatenation folded ('a' + 'b': the suite
    splits '<!-' + '-' so that its header comment stays a comment)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        ok1, a = _literal(node.left)
        ok2, b = _literal(node.right)
        if ok1 and ok2 and isinstance(a, str) and isinstance(b, str):
            return True, a + b
        return False, None
    try:
        return True, ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return False, None


def fp_comparisons(expr):
    """(path, op, literal) for each comparison of a path with a literal in
    an and-chain; the rest is returned as unhandled text."""
    try:
        tree = ast.parse(expr.strip(), mode="eval").body
    except SyntaxError:
        return [], [expr]
    terms = tree.values if isinstance(tree, ast.BoolOp) and \
        isinstance(tree.op, ast.And) else [tree]
    out, rest = [], []
    for t in terms:
        if isinstance(t, ast.UnaryOp) and isinstance(t.op, ast.Not) and \
                isinstance(t.operand, ast.Name) and t.operand.id == "bozo":
            continue
        if isinstance(t, ast.Name) and t.id == "bozo":
            continue
        if not isinstance(t, ast.Compare):
            rest.append(ast.unparse(t))
            continue
        nodes = [t.left] + list(t.comparators)
        lits = [n for n in nodes if _literal(n)[0]]
        paths = [_path(n) for n in nodes if not _literal(n)[0]]
        if len(lits) != 1 or not all(paths) or \
                not all(isinstance(o, (ast.Eq, ast.In)) for o in t.ops):
            rest.append(ast.unparse(t))
            continue
        lit = _literal(lits[0])[1]
        op = "in" if isinstance(t.ops[0], ast.In) else "=="
        for p in paths:
            out.append((p, op, lit))
    return out, rest


# The content types feedparser reports for a value ("title_detail.type"),
# as the text modes of to_text(). Only plain text: a value the suite calls
# HTML is read as HTML by the "auto" rule already wherever it has markup.
FP_TYPE_MODES = {"text/plain": "plain"}


def fp_declared_modes(comps):
    """{(entry index, "title" or "summary"): mode} from the expectation's
    own "entries[i].title_detail.type == ..." terms: where the suite says
    what kind of text it expects, its value is read as that kind."""
    out = {}
    for p, op, lit in comps:
        if op == "==" and len(p) == 4 and p[0] == "entries" and \
                isinstance(p[1], int) and p[3] == "type" and \
                p[2] in ("title_detail", "summary_detail") and \
                isinstance(lit, str) and lit in FP_TYPE_MODES:
            out[(p[1], p[2][:-len("_detail")])] = FP_TYPE_MODES[lit]
    return out


def fp_map(path, op, lit, items, limit, notes, declared=None):
    """One feedparser expectation to (entry index, Check), or None with the
    reason counted in notes. declared: fp_declared_modes() of the case."""
    def skip(reason):
        notes[reason] = notes.get(reason, 0) + 1
        return None

    def mode(i, field, body, names):
        if declared and (i, field) in declared:
            return declared[(i, field)]
        return raw_text_mode(body, names)

    if path[0] == "feed" or path[0] == "channel":
        key = path[1:]
        if key in (("title",), ("title_detail", "value")) and op == "==":
            return ("feed", ck_provider(lit))
        return skip("feed-level field the record does not carry")
    if path[0] != "entries" or len(path) < 3 or not isinstance(path[1], int):
        return skip("not an entry field")
    i, key = path[1], path[2:]
    body = items[i] if i < len(items) else ""
    if op == "in":
        return skip("containment test (not a field value)")
    k0 = key[0]
    if key in (("title",), ("title_detail", "value")):
        return (i, ck_title(lit, mode(i, "title", body, ("title",))))
    if key in (("summary",), ("description",), ("summary_detail", "value"),
               ("subtitle",)):
        return (i, ck_excerpt(lit, limit,
                              mode(i, "summary", body, SUMMARY_NAMES)))
    if k0 == "content" and len(key) >= 3 and key[2] == "value":
        if raw_has_summary(body):
            return skip("content where the entry also has a summary "
                        "(the excerpt comes from the summary)")
        return (i, ck_excerpt(lit, limit, raw_text_mode(body, ("content",))))
    if key == ("link",):
        return (i, ck_link(lit))
    if k0 == "links" and len(key) == 3 and key[2] == "href":
        links = raw_links(body)
        k = key[1]
        if k < len(links) and links[k][0] == "alternate" and \
                all(r != "alternate" for r, _ in links[:k]):
            return (i, ck_link(lit))
        return skip("link that is not the entry's alternate link")
    if k0 in ("published", "updated", "created", "issued", "modified",
              "published_parsed", "updated_parsed", "created_parsed"):
        if raw_date_count(body) != 1:
            return skip("one of several dates (the record keeps one, by "
                        "precedence)")
        if isinstance(lit, tuple) and len(lit) >= 6:
            d = datetime.datetime(*lit[:6], tzinfo=datetime.timezone.utc)
        elif isinstance(lit, str):
            d = date_parse(lit)
        else:
            d = None
        if d is None:
            return skip("date string neither RFC 822 nor ISO 8601")
        return (i, ck_date(d))
    if key == ("category",) or (k0 == "tags" and len(key) == 3 and
                                 key[2] in ("term", "label")):
        k = key[1] if k0 == "tags" else 0
        cat = raw_category(body, k)
        if key[-1] == "term" or k0 == "category":
            if cat is not None and cat[0].get("label"):
                return skip("category term where a label is given (topics "
                            "take the label)")
        return (i, ck_topic(lit))
    if k0 == "tags":
        return skip("category scheme")
    if k0 == "enclosures" or (k0 == "links" and len(key) >= 2):
        if k0 == "links":
            return skip("link attribute other than the alternate href")
        if len(key) == 1:
            if lit == []:
                return (i, ck_images([]))
            return skip("enclosure list")
        media = raw_media(body)
        k = key[1]
        if k >= len(media):
            return skip("enclosure not found in the input")
        url, mtype = media[k]
        kind = media_kind(url, mtype)
        if kind == "image":
            return (i, ck_image(url), ("enclosure", k))
        if kind in ("audio", "video"):
            kinds = [media_kind(u, t) for u, t in media]
            return (i, ck_type(type_of(kinds)), ("enclosure", k))
        return skip("enclosure neither image, audio nor video")
    if k0 in ("media_thumbnail", "media_content") and len(key) == 3 and \
            key[2] == "url":
        return (i, ck_image(lit), (k0, key[1]))
    if key in (("image", "href"), ("itunes_image",)):
        return (i, ck_image(lit))
    if k0 == "source":
        sk = key[1:]
        if sk in (("title",), ("title_detail", "value")):
            return (i, ck_provider(lit))
        if sk in (("href",), ("url",), ("link",)):
            return (i, ck_domain(lit))
        return skip("source field the record does not carry")
    return skip("entry field the record does not carry (%s)" % k0)


def fp_cases(root):
    for dirpath, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if f.endswith(".xml"):
                yield os.path.join(dirpath, f)


def fp_header(text):
    m = re.search(r"<!--(.*?)-->", text, re.S)
    hdr = m.group(1) if m else ""
    expect = re.search(r"^\s*Expect:\s*(.*?)\s*$", hdr, re.M)
    headers = dict(re.findall(r"^\s*Header:\s*([\w-]+):\s*(.*?)\s*$", hdr, re.M))
    return (expect.group(1) if expect else None), headers

# ---------------------------------------------------------------------------
# The scoring loop.


class Score:
    def __init__(self, name):
        self.name = name
        self.checks = 0
        self.passed = 0
        self.failures = []
        self.notes = {}
        self.cases = 0
        self.differences = []

    def note(self, reason, n=1):
        self.notes[reason] = self.notes.get(reason, 0) + n


def align(ours, items):
    """Map their entry index to our entry: by index when the counts agree,
    else by the items feedfold keeps (raw_keeps) when that explains the
    count, else by index."""
    keeps = [raw_keeps(b) for b in items]
    if len(ours) == len(items):
        return {i: ours[i] for i in range(len(ours))}, keeps
    if sum(keeps) == len(ours):
        m, j = {}, 0
        for i, k in enumerate(keeps):
            if k:
                m[i] = ours[j]
                j += 1
        return m, keeps
    return {i: ours[i] for i in range(min(len(ours), len(items)))}, keeps


# Cases where the record defines the field differently from the suite
# (README.md, "Documented differences"). Each is listed, never counted.
# The excerpt and the title are the text a reader sees
# (docs/dates-and-text.md): the content of head/title, script, iframe and
# object is not part of it, while feedparser's sanitizer keeps the text of
# the elements it removes.
DIFFERENCES = {
    ("feedparser", "wellformed/sanitize/entry_content_crazy.xml", "excerpt"):
        "head/title and unterminated script text are not displayed text",
    ("feedparser", "wellformed/sanitize/entry_summary_crazy.xml", "excerpt"):
        "head/title and unterminated script text are not displayed text",
    ("feedparser", "wellformed/sanitize/item_description_crazy.xml", "excerpt"):
        "head/title and unterminated script text are not displayed text",
    ("feedparser", "wellformed/sanitize/entry_title_crazy.xml", "title"):
        "head/title and unterminated script text are not displayed text",
    ("feedparser", "wellformed/sanitize/item_content_encoded_crazy.xml",
     "excerpt"):
        "head/title and unterminated script text are not displayed text",
    ("feedparser", "wellformed/sanitize/item_fullitem_crazy.xml", "excerpt"):
        "head/title and unterminated script text are not displayed text",
    ("feedparser", "wellformed/sanitize/entry_content_iframe.xml", "excerpt"):
        "an iframe's content is not displayed text",
    ("feedparser", "wellformed/sanitize/entry_summary_iframe.xml", "excerpt"):
        "an iframe's content is not displayed text",
    # HTML5 tokenizes "<![CDATA[" outside SVG and MathML as a bogus
    # comment that ends at the first ">": a browser shows "]]>" of
    # "<![CDATA[<script></script>]]>", feedparser "<![CDATA[]]>".
    ("feedparser",
     "wellformed/sanitize/item_content_encoded_script_nested_cdata.xml",
     "excerpt"): "<![CDATA[ in HTML is a bogus comment up to the first >",
}
# The old layout's illformed/ tree holds the same sanitize cases in a
# feed that is not well-formed (its last ">" cut): the same documented
# difference applies to each twin.
for _k, _why in list(DIFFERENCES.items()):
    if _k[1].startswith("wellformed/sanitize/"):
        DIFFERENCES[(_k[0], "illformed/" + _k[1][len("wellformed/"):],
                     _k[2])] = _why
DIFFERENCES.update({
    # RFC 2822 4.3: a three-digit year is the year + 1900
    # (docs/dates-and-text.md); W3C-DTF alone has no three-digit years.
    ("feedparser", "test_date_parsers.py _parse_date_w3dtf('013')",
     "publishedDateTime"): "a three-digit year is read by RFC 2822's rule",
})


def judge(score, case, mapping, keeps, checks):
    """checks: [(entry index or 'feed', Check, dedupe key or None)]."""
    seen = set()
    for i, c, key in checks:
        why = DIFFERENCES.get((score.name, case, c.field))
        if why is not None:
            score.differences.append((case, i, c.field, why))
            continue
        if c.field in ("title", "excerpt") and c.expected == "":
            score.note("their value has no text (nothing to compare)")
            continue
        if key is not None:
            if (i, key) in seen:
                continue
            seen.add((i, key))
        if i == "feed":
            if not mapping:
                score.note("feed-level value and no entry to carry it")
                continue
            first = mapping[min(mapping)]
            if first.get("_has_source"):
                score.note("feed title where the entry names its source")
                continue
            i, e = min(mapping), first
        else:
            e = mapping.get(i)
        if e is None:
            if i < len(keeps) and not keeps[i]:
                score.note("item with no title, excerpt source or link "
                           "(no entry, by design)")
                continue
            score.checks += 1
            score.failures.append((case, i, c.field, c.shown, "(no entry)"))
            continue
        ok, got = c.compare(e)
        score.checks += 1
        if ok:
            score.passed += 1
        else:
            score.failures.append((case, i, c.field, c.shown, got))


def score_feedparser(binary, root, limit):
    s = Score("feedparser")
    dates = os.path.join(root, "test_date_parsers.py")
    if os.path.exists(dates):
        with tempfile.TemporaryDirectory() as tmp:
            score_fp_dates(s, binary, dates, tmp)
    for path in fp_cases(root):
        rel = os.path.relpath(path, root)
        with open(path, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8", "replace")
        expect, headers = fp_header(text)
        if not expect:
            s.note("no Expect: line")
            continue
        s.cases += 1
        url = headers.get("Content-Location") or FP_DOCROOT + rel
        items = raw_items(text)
        comps, rest = fp_comparisons(expect)
        for r in rest:
            s.note("expression that is not a field comparison")
        checks = []
        declared = fp_declared_modes(comps)
        for p, op, lit in comps:
            r = fp_map(p, op, lit, items, limit, s.notes, declared)
            if r is None:
                continue
            i, c = r[0], r[1]
            key = r[2] if len(r) > 2 else (c.field, repr(c.expected))
            checks.append((i, c, key))
        if not checks:
            continue
        ours, err = run_feedfold(binary, path, url)
        if ours is None:
            ours = []
        for e in ours:
            e["_has_source"] = False
        mapping, keeps = align(ours, items)
        _mark_sources(mapping, items)
        judge(s, rel, mapping, keeps, checks)
    return s


def fp_date_cases(path):
    """(parser name, input, expected tuple or None) from feedparser's
    test_date_parsers.py: the tuples of its parametrize list, and the
    calls asserted to give None."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 3 and \
                isinstance(node.elts[0], ast.Name) and \
                node.elts[0].id.startswith("_parse_date"):
            ok1, value = _literal(node.elts[1])
            ok2, want = _literal(node.elts[2])
            if ok1 and ok2 and isinstance(value, str):
                out.append((node.elts[0].id, value, want))
        elif isinstance(node, ast.Compare) and \
                isinstance(node.ops[0], ast.Is) and \
                isinstance(node.left, ast.Call) and \
                isinstance(node.left.func, ast.Name) and \
                node.left.func.id.startswith("_parse_date") and \
                node.left.args:
            ok, value = _literal(node.left.args[0])
            if ok and isinstance(value, str):
                out.append((node.left.func.id, value, None))
    return out


def score_fp_dates(s, binary, path, tmpdir):
    """Each date of test_date_parsers.py in the pubDate of a one-item RSS
    feed (with a title, so that the entry exists): publishedDateTime must
    be the expected instant, or absent where they expect no date."""
    cases = fp_date_cases(path)
    files, kept = [], []
    for k, (fn, value, want) in enumerate(cases):
        if not value.strip():
            s.note("date test with an empty string (nothing to compare)")
            continue
        f = os.path.join(tmpdir, "date-%03d.xml" % k)
        with open(f, "w", encoding="utf-8") as out:
            out.write("<rss version=\"2.0\"><channel><title>d</title><item>"
                      "<title>d</title><pubDate>%s</pubDate></item>"
                      "</channel></rss>\n" % html.escape(value, quote=False))
        files.append(f)
        kept.append((k, fn, value, want))
    if not files:
        return
    s.cases += len(files)
    ents = []
    for f in files:
        e, _ = run_feedfold(binary, f)
        ents.append(e[0] if e else None)
    for (k, fn, value, want), e in zip(kept, ents):
        case = "test_date_parsers.py %s(%r)" % (fn, value)
        why = DIFFERENCES.get((s.name, case, "publishedDateTime"))
        if why is not None:
            s.differences.append((case, 0, "publishedDateTime", why))
            continue
        if want is None:
            exp = None
        else:
            y, mo, d, h, mi, sec = want[:6]
            try:
                exp = datetime.datetime(y, mo, d, h, mi, sec,
                                        tzinfo=datetime.timezone.utc)
            except ValueError:
                s.note("expected date the record cannot hold")
                continue
        c = ck_date(exp)
        s.checks += 1
        if e is None:
            s.failures.append((case, 0, c.field, c.shown, "(no entry)"))
            continue
        ok, got = c.compare(e)
        if ok:
            s.passed += 1
        else:
            s.failures.append((case, 0, c.field, c.shown, got))


def _mark_sources(mapping, items):
    for i, e in mapping.items():
        if i < len(items) and re.search(r"<(?:[\w.-]+:)?source\b", items[i]):
            e["_has_source"] = True

# ---------------------------------------------------------------------------
# gofeed: X.xml and the expected X.json. Three shapes: the universal feed
# (testdata/translator), the RSS feed and the Atom feed (testdata/parser and
# the older testdata/{rss,atom}).


def _first(*vals):
    for v in vals:
        if v not in (None, "", [], {}):
            return v
    return None


def _ext(item, ns, name):
    try:
        return item["extensions"][ns][name]
    except (KeyError, TypeError):
        return None


def gf_media_ext(item, media):
    """media:content, media:thumbnail and itunes:image from the item's
    extensions. (The universal item's "image" may also be the first <img>
    of its HTML, which the record does not take: only these count.)"""
    for name in ("content", "thumbnail"):
        for m in _ext(item, "media", name) or []:
            a = m.get("attrs") or {}
            media.append((a.get("url"), a.get("type"),
                          "image" if name == "thumbnail" else a.get("medium")))
    it = item.get("itunesExt") or {}
    if it.get("image"):
        media.append((it["image"], None, "image"))


def gf_item_expect(item, shape):
    """The record fields one gofeed item implies: dict field -> value."""
    out = {}
    media = []		# (url, type, medium)
    if shape == "universal":
        out["title"] = item.get("title")
        out["link"] = _first(item.get("link"), (item.get("links") or [None])[0])
        out["excerpt"] = _first(item.get("description"), item.get("content"))
        d = _first(item.get("publishedParsed"), item.get("published"))
        if d is None:
            d = _first(item.get("updatedParsed"), item.get("updated"))
        out["date"] = d
        # iTunes keywords are search terms, not categories: the record's
        # topics do not take them (README.md)
        kw = [k.strip() for k in ((item.get("itunesExt") or {})
                                  .get("keywords") or "").split(",")]
        out["topics"] = [c for c in item.get("categories") or []
                         if c not in kw]
        for en in item.get("enclosures") or []:
            media.append((en.get("url"), en.get("type"), None))
        gf_media_ext(item, media)
    elif shape == "rss":
        out["title"] = _first(item.get("title"),
                              ((item.get("dublinCoreExt") or {}).get("title") or [None])[0])
        out["link"] = _first(item.get("link"), (item.get("links") or [None])[0])
        dc = item.get("dublinCoreExt") or {}
        out["excerpt"] = _first(item.get("description"),
                                (dc.get("description") or [None])[0],
                                item.get("content"))
        out["date"] = _first(item.get("pubDateParsed"), item.get("pubDate"),
                             (dc.get("date") or [None])[0])
        topics = [c.get("value") if isinstance(c, dict) else c
                  for c in item.get("categories") or []]
        topics += dc.get("subject") or []
        out["topics"] = topics
        encl = item.get("enclosures") or ([item["enclosure"]]
                                          if item.get("enclosure") else [])
        for en in encl:
            media.append((en.get("url"), en.get("type"), None))
        gf_media_ext(item, media)
        src = item.get("source")
        if src:
            out["provider"] = src.get("title")
            out["domain"] = src.get("url")
    else:	# atom
        content = item.get("content")
        if isinstance(content, dict):
            content = content.get("value")
        item = dict(item, content=content)
        out["title"] = item.get("title")
        links = item.get("links") or []
        alt = [l.get("href") for l in links
               if (l.get("rel") or "alternate") == "alternate"]
        out["link"] = alt[0] if alt else None
        out["excerpt"] = _first(item.get("summary"), item.get("content"))
        out["date"] = _first(item.get("publishedParsed"), item.get("published"),
                             item.get("updatedParsed"), item.get("updated"))
        out["topics"] = [_first(c.get("label"), c.get("term"))
                         for c in item.get("categories") or []]
        for l in links:
            if l.get("rel") == "enclosure":
                media.append((l.get("href"), l.get("type"), None))
        src = item.get("source")
        if src and src.get("title"):
            out["provider"] = src.get("title")
    out["media"] = media
    return out


def gf_shape(j, rel):
    if "feedType" in j or "/translator/" in "/" + rel:
        return "universal"
    if "entries" in j:
        return "atom"
    return "rss"


def common_checks(exp, ours_entry, limit, mode="auto"):
    """Checks for one item whose expected record fields are in exp. A field
    is checked when they give a value, or when we give one they do not."""
    out = []
    e = ours_entry or {}
    if exp.get("title") or e.get("title"):
        out.append(ck_title(exp.get("title"), mode))
    if exp.get("link") or e.get("originalUrl"):
        out.append(ck_link(exp.get("link")))
    if exp.get("excerpt") or e.get("excerpt"):
        out.append(ck_excerpt(exp.get("excerpt"), limit))
    d = exp.get("date")
    if d:
        dd = date_parse(d) if isinstance(d, str) else None
        if dd is not None:
            out.append(ck_date(dd))
    elif e.get("publishedDateTime"):
        out.append(ck_date(None))
    topics = [t for t in exp.get("topics") or [] if t]
    if topics or e.get("topics"):
        out.append(ck_topics(topics))
    images, kinds = [], []
    for url, mtype, medium in exp.get("media") or []:
        k = media_kind(url, mtype, medium)
        kinds.append(k)
        if k == "image" and url:
            images.append(url)
    if images or e.get("images"):
        out.append(ck_images(images))
    t = type_of(kinds)
    if t != "article" or (e.get("type") not in (None, "article")):
        out.append(ck_type(t))
    if exp.get("provider"):
        out.append(ck_provider(exp["provider"]))
    if exp.get("domain"):
        out.append(ck_domain(exp["domain"]))
    return out


def plausible(check, doc_text):
    """A pair whose expected text does not occur in the input at all comes
    from two versions of the test (the index holds some versions only):
    the expectation is not about this input."""
    if check.field == "publishedDateTime" and check.expected:
        # the year of the expected date must be written in the input
        return check.expected[:4] in doc_text
    if check.field == "title" and not check.expected:
        # a title they lack must not be written in the input either
        return not re.search(r"<(?:[\w.-]+:)?title\b[^>]*>\s*[^<\s]",
                             "".join(raw_items(doc_text)))
    if check.field not in ("title", "excerpt") or not check.expected:
        return True

    def letters(s):
        s = re.sub(r"<!\[CDATA\[|\]\]>", "", s)
        for _ in range(2):
            s = html.unescape(re.sub(r"<[^>]*>", "", s))
        s = re.sub(r"<[^>]*>", "", s)
        return "".join(c for c in s if c.isalnum())
    return letters(check.expected)[:40] in letters(doc_text)


def score_pairs(name, binary, pairs, limit, expect_fn):
    s = Score(name)
    for rel, xml_path, json_path in pairs:
        with open(json_path, encoding="utf-8") as f:
            try:
                j = json.load(f)
            except ValueError:
                s.note("expected output is not JSON")
                continue
        with open(xml_path, "rb") as f:
            doc = f.read().decode("utf-8", "replace")
        exp_items = expect_fn(j, rel)
        if exp_items is None:
            s.note("expected output without items")
            continue
        s.cases += 1
        items = raw_items(doc)
        ours, err = run_feedfold(binary, xml_path)
        ours = ours or []
        if len(exp_items) == 0 and not ours:
            s.note("case without items")
            continue
        if len(ours) != len(exp_items):
            mapping, keeps = align(ours, items)
        else:
            mapping, keeps = {i: ours[i] for i in range(len(ours))}, \
                [True] * len(ours)
        checks = []
        for i, exp in enumerate(exp_items):
            for c in common_checks(exp, mapping.get(i), limit):
                if not plausible(c, doc):
                    s.note("expected value not in the input (pair from two "
                           "versions of the test)")
                    continue
                checks.append((i, c, None))
        if len(ours) > len(exp_items):
            for k in range(len(exp_items), len(ours)):
                s.checks += 1
                s.failures.append((rel, k, "entry", "(no item)",
                                   ours[k].get("title")))
        judge(s, rel, mapping, keeps, checks)
    return s


def gofeed_pairs(root):
    out = []
    for dirpath, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if not f.endswith(".xml"):
                continue
            base = f[:-4]
            j = None
            for cand in (base + ".json", base + "_expected.json"):
                if cand in files:
                    j = cand
            if j is None:
                continue
            out.append((os.path.relpath(os.path.join(dirpath, f), root),
                        os.path.join(dirpath, f), os.path.join(dirpath, j)))
    return out


def gofeed_expect(j, rel):
    shape = gf_shape(j, rel)
    items = j.get("entries") if shape == "atom" else j.get("items")
    if items is None:
        return []
    return [gf_item_expect(it, shape) for it in items]

# ---------------------------------------------------------------------------
# rss-parser: test/input/X.* and test/output/X.json ({"feed": {...}}).


def rssparser_pairs(root):
    out = []
    ind, outd = os.path.join(root, "input"), os.path.join(root, "output")
    if not os.path.isdir(ind):
        ind, outd = os.path.join(root, "test", "input"), os.path.join(root, "test", "output")
    if not os.path.isdir(ind):
        return out
    for f in sorted(os.listdir(ind)):
        base = f.rsplit(".", 1)[0] if "." in f else f
        j = os.path.join(outd, base + ".json")
        if os.path.exists(j):
            out.append((os.path.join("input", f), os.path.join(ind, f), j))
    return out


def rssparser_expect(j, rel):
    feed = j.get("feed", j)
    items = feed.get("items")
    if items is None:
        return None
    out = []
    for it in items:
        e = {}
        e["title"] = it.get("title")
        e["link"] = it.get("link")
        e["excerpt"] = _first(it.get("summary"), it.get("content"),
                              it.get("content:encoded"))
        e["date"] = _first(it.get("isoDate"), it.get("pubDate"))
        cats = []
        for c in it.get("categories") or []:
            if isinstance(c, dict):
                c = c.get("_") or c.get("$", {}).get("term")
            cats.append(c)
        e["topics"] = cats
        media = []
        if it.get("enclosure"):
            en = it["enclosure"]
            media.append((en.get("url"), en.get("type"), None))
        for l in it.get("links") or []:
            if isinstance(l, dict) and l.get("rel") == "enclosure":
                media.append((l.get("href"), l.get("type"), None))
        im = (it.get("itunes") or {}).get("image")
        if im:
            media.append((im, None, "image"))
        e["media"] = media
        out.append(e)
    return out

# ---------------------------------------------------------------------------


def find_binary():
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(os.path.dirname(here))
    env = os.environ.get("FEEDFOLD")
    if env:
        return env
    cands = []
    bdir = os.path.join(top, "_build")
    if os.path.isdir(bdir):
        for d in os.listdir(bdir):
            p = os.path.join(bdir, d, "feedfold")
            if os.path.exists(p) and "san" not in d and "fuzz" not in d:
                cands.append((os.path.getmtime(p), p))
    if cands:
        return max(cands)[1]
    return "feedfold"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--feedfold", default=None)
    ap.add_argument("--feedparser", metavar="DIR")
    ap.add_argument("--gofeed", metavar="DIR")
    ap.add_argument("--rss-parser", metavar="DIR", dest="rssparser")
    ap.add_argument("--excerpt-length", type=int, default=EXCERPT_LENGTH)
    ap.add_argument("--failures", action="store_true",
                    help="list every failed check")
    ap.add_argument("--not-checked", action="store_true",
                    help="list the expectations not checked, by reason")
    ap.add_argument("--json", metavar="FILE")
    a = ap.parse_args()
    binary = a.feedfold or find_binary()
    print("feedfold: %s" % binary)
    scores = []
    if a.feedparser:
        scores.append(score_feedparser(binary, a.feedparser, a.excerpt_length))
    if a.gofeed:
        scores.append(score_pairs("gofeed", binary, gofeed_pairs(a.gofeed),
                                  a.excerpt_length, gofeed_expect))
    if a.rssparser:
        scores.append(score_pairs("rss-parser", binary,
                                  rssparser_pairs(a.rssparser),
                                  a.excerpt_length, rssparser_expect))
    if not scores:
        ap.error("give at least one of --feedparser, --gofeed, --rss-parser")
    tc = tp = 0
    print("%-12s %6s %7s %7s %8s" % ("suite", "cases", "checks", "passed", "%"))
    for s in scores:
        pct = 100.0 * s.passed / s.checks if s.checks else 0.0
        print("%-12s %6d %7d %7d %7.1f%%" % (s.name, s.cases, s.checks,
                                            s.passed, pct))
        tc += s.checks
        tp += s.passed
    print("%-12s %6s %7d %7d %7.1f%%" % ("overall", "", tc, tp,
                                         100.0 * tp / tc if tc else 0.0))
    if a.not_checked:
        for s in scores:
            print("\nnot checked (%s):" % s.name)
            for r, n in sorted(s.notes.items(), key=lambda x: -x[1]):
                print("  %5d  %s" % (n, r))
    for s in scores:
        for case, i, field, why in s.differences:
            print("documented difference: %s: %s entry %s %s: %s" %
                  (s.name, case, i, field, why))
    nfail = sum(len(s.failures) for s in scores)
    if a.failures or nfail:
        print("\nfailures: %d" % nfail)
        for s in scores:
            for case, i, field, want, got in s.failures:
                print("  %s: %s entry %s %s: want %r, got %r" %
                      (s.name, case, i, field, want, got))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({s.name: {"cases": s.cases, "checks": s.checks,
                                "passed": s.passed, "notes": s.notes,
                                "failures": s.failures} for s in scores},
                      f, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
