#!/usr/bin/env python3
"""bench/gen-feeds.py: the parse benchmark corpus.

    bench/gen-feeds.py OUTDIR [--count N] [--seed S]

Writes N (default 1000) realistic feeds into OUTDIR as feed-NNNN.xml: about
55% RSS 2.0, 35% Atom 1.0 and 10% RSS 1.0 (RDF), 20 to 50 entries each, with
HTML bodies of a few KB (content:encoded, Atom content type="html" or
"xhtml") holding paragraphs, links, images, lists and entities; media:content,
media:thumbnail and enclosures (images, podcasts); categories; dates in the
forms feeds really use (RFC 822 with and without weekday or seconds, numeric
offsets, named zones, two-digit years; RFC 3339 with Z, offsets and
fractions); non-ASCII text (accents, CJK, emoji, curly quotes); and article
URLs carrying tracking parameters. All files are UTF-8.

The output depends only on N and S: the same seed gives the same bytes on
every machine (one random.Random, no hash-ordered containers, no clock). At
the end it prints one line:

    gen-feeds: N feeds, E entries, B bytes in OUTDIR

Python 3 standard library only.
"""

import argparse
import os
import random
import sys

# ---- vocabulary -----------------------------------------------------------

CITIES = [
    "Springfield", "Riverside", "Fairview", "Portland", "Madison", "Ashland",
    "Zürich", "São Paulo", "Montréal", "Kraków", "Malmö", "Málaga", "Köln",
    "Reykjavík", "Łódź", "Ciudad Juárez", "Besançon", "Tromsø", "Dublin",
    "Austin", "Denver", "Leeds", "Auckland", "Lagos", "Nairobi", "Mumbai",
]
PAPERS = [
    "Herald", "Tribune", "Gazette", "Observer", "Chronicle", "Post", "Times",
    "Dispatch", "Ledger", "Review", "Courier", "Journal", "Sentinel",
    "Independent", "Examiner", "Record", "Standard", "Bulletin",
]
TECH = [
    "Byte", "Circuit", "Signal", "Kernel", "Vector", "Pixel", "Orbit", "Quanta",
    "Stack", "Relay", "Packet", "Silicon", "Lattice", "Photon",
]
TECH_SUFFIX = ["Daily", "Wire", "Report", "Insider", "Weekly", "Hub", "Lab"]
SECTIONS = [
    "news", "world", "politics", "business", "technology", "science", "health",
    "sport", "culture", "opinion", "climate", "markets", "travel", "music",
]
FIRST = [
    "Maria", "José", "Zoë", "François", "Søren", "Ana", "Łukasz", "Chloé",
    "Mehmet", "Aoife", "Nguyễn", "Priya", "Jürgen", "Inès", "Björn", "Olúwaseun",
    "James", "Sarah", "David", "Emily", "Michael", "Laura", "Daniel", "Rachel",
]
LAST = [
    "Martínez", "Okafor", "Lefèvre", "Johansson", "Nowak", "O'Brien", "Müller",
    "Dubois", "Yılmaz", "Kowalczyk", "Novák", "García", "Smith", "Chen",
    "Nakamura", "Patel", "Brown", "Wilson", "Schäfer", "Gonçalves",
]
SUBJECTS = [
    "City council", "Regulators", "Scientists", "Researchers", "Lawmakers",
    "The central bank", "Investors", "Engineers", "Health officials", "Voters",
    "A startup", "The union", "Astronomers", "Farmers", "Teachers", "Fans",
    "The Senate", "Prosecutors", "Residents", "Chipmakers", "Airlines",
]
SINGULAR = ["City council", "The central bank", "A startup", "The union",
            "The Senate"]
VERBS = [
    "approve", "reject", "unveil", "warn about", "delay", "debate", "launch",
    "investigate", "celebrate", "back", "question", "expand", "cut", "test",
    "announce", "propose", "sue over", "rethink", "fund", "discover",
]
OBJECTS = [
    "new housing plan", "interest rates", "electric buses", "AI rules",
    "a record budget", "the stadium deal", "flood defences", "a quantum chip",
    "drug prices", "water restrictions", "the transit strike", "a new vaccine",
    "satellite broadband", "school funding", "offshore wind farms",
    "the merger", "crypto exchanges", "heat pumps", "a rare comet",
    "battery recycling", "the trade agreement", "wildfire season",
]
QUALIFIERS = [
    "after long debate", "amid protests", "for the first time", "despite costs",
    "as prices rise", "ahead of elections", "in surprise move", "this week",
    "after storm damage", "following criticism", "as demand soars", "",
    "", "", "",
]
WORDS = (
    "the of and to in a is that for on with as was by at from it an be this "
    "which or are have has had not but were their they its also more been "
    "after over new first said would year years people time city state "
    "government report data market company project plan week month percent "
    "million billion public local national officials according statement "
    "council budget water energy school health research study police court "
    "minister growth prices workers service system support community program "
    "development policy election campaign network technology analysis "
    "investment season team match players coach fans stadium record results "
    "climate weather storm flood drought emissions carbon solar wind grid "
    "hospital patients doctors treatment vaccine trial scientists researchers "
    "university students teachers schools funding housing rent homes transit "
    "rail bus airport flights travel tourism museum festival music album film "
    "series director artist concert gallery book author library history"
).split()
ACCENTED = [
    "café", "naïve", "façade", "déjà vu", "résumé", "piñata", "jalapeño",
    "crème brûlée", "über", "smörgåsbord", "coöperate", "Señor", "Ærø",
    "São Tomé", "Fußball", "Gdańsk", "Dvořák", "Škoda", "İstanbul",
]
EMOJI = ["🚀", "📈", "⚽", "🎵", "🌍", "🔥", "💡", "🏆", "📉", "🌧️", "🇪🇺", "👩‍🔬"]
CJK_SENTENCES = [
    "东京证券交易所的股价今天上涨了百分之二。",
    "研究人员在实验室中发现了一种新的材料。",
    "台风预计将于周末登陆沿海地区。",
    "市政府宣布了新的公共交通计划。",
    "今年の夏は記録的な暑さになると予想されています。",
    "新しいスマートフォンが来月発売される予定です。",
    "地震の後、鉄道の運行が一時停止しました。",
    "서울의 아파트 가격이 다시 오르고 있습니다.",
    "정부는 새로운 에너지 정책을 발표했습니다.",
]
CJK_TITLES = [
    "经济增长放缓，央行考虑降息", "新型电动汽车电池续航突破一千公里",
    "東京で桜の開花が過去最早に", "人工知能規制の新しい法案が可決",
    "서울 지하철 신규 노선 개통", "반도체 수출 3개월 연속 증가",
    "北京马拉松吸引三万名跑者", "大阪万博の準備が本格化",
]
TRACKING = [
    "utm_source=rss&utm_medium=feed&utm_campaign={slug}",
    "utm_source=feedburner&utm_medium=feed&utm_campaign=Feed%3A+{site}",
    "utm_source=rss&utm_medium=rss&utm_campaign={slug}",
    "ref=rss",
    "cmpid=rss&utm_content=headline",
    "fbclid=IwAR{tok}",
    "gclid=Cj0KCQ{tok}",
    "mc_cid={tok}&mc_eid={tok2}",
    "at_medium=RSS&at_campaign=KARANGA",
    "",
    "",
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
ZONES = [("GMT", 0), ("UT", 0), ("Z", 0), ("EST", -300), ("EDT", -240),
         ("CST", -360), ("CDT", -300), ("PST", -480), ("PDT", -420),
         ("MST", -420)]
ENTITIES = ["&nbsp;", "&mdash;", "&ndash;", "&rsquo;", "&ldquo;", "&rdquo;",
            "&hellip;", "&amp;", "&eacute;", "&#8217;", "&#x2014;", "&copy;",
            "&euro;", "&frac12;", "&deg;"]
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def xesc(s):
    """Escape text for XML character data and attribute values."""
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def slugify(s):
    out = []
    for ch in s.lower():
        if "a" <= ch <= "z" or "0" <= ch <= "9":
            out.append(ch)
        elif ch in " -_'’":
            out.append("-")
        elif ch.isalpha() and ord(ch) < 0x250:
            # Latin letter with a diacritic: keep its base letter.
            base = {"à": "a", "á": "a", "â": "a", "ã": "a", "ä": "a", "å": "a",
                    "æ": "ae", "ç": "c", "è": "e", "é": "e", "ê": "e", "ë": "e",
                    "ì": "i", "í": "i", "î": "i", "ï": "i", "ı": "i", "ñ": "n",
                    "ò": "o", "ó": "o", "ô": "o", "õ": "o", "ö": "o", "ø": "o",
                    "ù": "u", "ú": "u", "û": "u", "ü": "u", "ý": "y", "ß": "ss",
                    "ł": "l", "ń": "n", "ś": "s", "ź": "z", "ż": "z", "ą": "a",
                    "ę": "e", "č": "c", "ř": "r", "š": "s", "ž": "z", "ğ": "g",
                    "ş": "s", "ő": "o", "ű": "u"}.get(ch, "")
            out.append(base)
    slug = "-".join(p for p in "".join(out).split("-") if p)
    return slug[:80] or "story"


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    # -- small pieces --------------------------------------------------------
    def token(self, n):
        return "".join(self.r.choice(ALNUM) for _ in range(n))

    def person(self):
        return "%s %s" % (self.r.choice(FIRST), self.r.choice(LAST))

    def title(self, cjk):
        r = self.r
        if cjk and r.random() < 0.7:
            t = r.choice(CJK_TITLES)
        else:
            subj, verb = r.choice(SUBJECTS), r.choice(VERBS)
            if subj in SINGULAR:
                head, _, rest = verb.partition(" ")
                head += "es" if head.endswith(("ch", "sh")) else "s"
                verb = (head + " " + rest).strip()
            t = "%s %s %s" % (subj, verb, r.choice(OBJECTS))
            q = r.choice(QUALIFIERS)
            if q:
                t += " " + q
            x = r.random()
            if x < 0.15:
                t = "%s: “%s”" % (r.choice(CITIES), t)
            elif x < 0.25:
                t = "‘%s’ — %s says" % (t, self.person())
            elif x < 0.32:
                t += " in " + r.choice(CITIES)
            elif x < 0.38:
                t = "%s & %s: %s" % (r.choice(CITIES), r.choice(CITIES), t)
        if r.random() < 0.06:
            t += " " + r.choice(EMOJI)
        if r.random() < 0.03:
            t = t.upper()
        return t

    def sentence(self, cjk):
        r = self.r
        if cjk and r.random() < 0.6:
            return r.choice(CJK_SENTENCES)
        n = r.randint(8, 24)
        words = [r.choice(WORDS) for _ in range(n)]
        if r.random() < 0.3:
            words[r.randrange(n)] = r.choice(ACCENTED)
        if r.random() < 0.25:
            words[r.randrange(n)] = r.choice(CITIES)
        if r.random() < 0.2:
            words.insert(r.randrange(n), "“%s”" % r.choice(WORDS))
        if r.random() < 0.15:
            words.insert(r.randrange(n), "%d%%" % r.randint(1, 99))
        s = " ".join(words)
        return s[0].upper() + s[1:] + r.choice([".", ".", ".", "?", "!", "…"])

    def paragraph(self, cjk, site, entities=True):
        """One HTML paragraph with the odd link, emphasis and entity."""
        r = self.r
        parts = []
        for _ in range(r.randint(2, 5)):
            s = xesc(self.sentence(cjk))
            x = r.random()
            if x < 0.25:
                w = r.choice(WORDS)
                s += ' <a href="https://%s/%s/%s-%d.html">%s</a>' % (
                    site, r.choice(SECTIONS), w, r.randint(1000, 99999), w)
            elif x < 0.35:
                s = "<strong>%s</strong>" % s
            elif x < 0.45:
                s += " <em>%s</em>" % xesc(r.choice(ACCENTED))
            if entities and r.random() < 0.35:
                s += " " + r.choice(ENTITIES) + " "
            elif not entities and r.random() < 0.2:
                s += " &#160;&#8212; "
            parts.append(s)
        return "<p>" + " ".join(parts) + "</p>"

    def body(self, cjk, site, img, entities=True):
        """An article body of a few KB."""
        r = self.r
        out = []
        target = r.randint(1500, 5000)
        size = 0
        first = True
        while size < target:
            x = r.random()
            if first and img:
                block = ('<figure><img src="%s" alt="%s" width="%d" height="%d"'
                         ' loading="lazy"/><figcaption>%s</figcaption></figure>'
                         % (xesc(img[0]), xesc(self.person()), img[1], img[2],
                            xesc(self.sentence(cjk))))
            elif x < 0.08:
                block = "<h2>%s</h2>" % xesc(self.title(cjk))
            elif x < 0.14:
                block = "<ul>" + "".join(
                    "<li>%s</li>" % xesc(self.sentence(cjk))
                    for _ in range(r.randint(2, 5))) + "</ul>"
            elif x < 0.18:
                block = "<blockquote><p>%s</p></blockquote>" % xesc(
                    self.sentence(cjk))
            else:
                block = self.paragraph(cjk, site, entities)
            first = False
            out.append(block)
            size += len(block)
        if r.random() < 0.3:
            out.append('<p>The post <a href="https://%s/">%s</a> appeared '
                       'first on %s.</p>' % (site, site, site))
        return "\n".join(out)

    def summary(self, cjk):
        return " ".join(self.sentence(cjk) for _ in range(self.r.randint(1, 3)))

    # -- dates ---------------------------------------------------------------
    def rfc822(self, t, style):
        """t: minutes since 2024-01-01 00:00 UTC."""
        r = self.r
        name, off = r.choice(ZONES) if style != 0 else ("GMT", 0)
        if style == 2:
            off = r.choice([0, 60, 120, -300, 330, 540, -420])
            name = "%s%02d%02d" % ("-" if off < 0 else "+", abs(off) // 60,
                                   abs(off) % 60)
        local = t + off
        days = local // 1440
        y, mo, d = civil(days)
        hh, mm = (local % 1440) // 60, local % 60
        ss = r.randint(0, 59)
        wd = DAYS[(days + 0) % 7]  # 2024-01-01 was a Monday
        var = r.random()
        if var < 0.55:
            return "%s, %02d %s %d %02d:%02d:%02d %s" % (
                wd, d, MONTHS[mo - 1], y, hh, mm, ss, name)
        if var < 0.7:
            return "%s, %d %s %d %02d:%02d %s" % (      # no seconds
                wd, d, MONTHS[mo - 1], y, hh, mm, name)
        if var < 0.8:
            return "%d %s %d %02d:%02d:%02d %s" % (     # no weekday
                d, MONTHS[mo - 1], y, hh, mm, ss, name)
        if var < 0.88:
            return "%s, %02d %s %02d %02d:%02d:%02d %s" % (  # 2-digit year
                wd, d, MONTHS[mo - 1], y % 100, hh, mm, ss, name)
        if var < 0.94:
            return "%s,%02d %s %d %02d:%02d:%02d %s" % (    # no space
                wd, d, MONTHS[mo - 1], y, hh, mm, ss, name)
        return "%s, %02d %s %d %02d:%02d:%02d %s" % (       # full names
            ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
             "Saturday", "Sunday"][days % 7], d,
            ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November",
             "December"][mo - 1], y, hh, mm, ss, name)

    def rfc3339(self, t):
        r = self.r
        off = r.choice([0, 0, 0, 60, -300, -240, 330, 540, 120])
        local = t + off
        y, mo, d = civil(local // 1440)
        hh, mm = (local % 1440) // 60, local % 60
        s = "%04d-%02d-%02dT%02d:%02d:%02d" % (y, mo, d, hh, mm,
                                               r.randint(0, 59))
        if r.random() < 0.2:
            s += ".%03d" % r.randint(0, 999)
        if off == 0 and r.random() < 0.7:
            return s + "Z"
        return s + "%s%02d:%02d" % ("-" if off < 0 else "+", abs(off) // 60,
                                    abs(off) % 60)

    # -- one entry's data ----------------------------------------------------
    def entry(self, feed, t):
        r = self.r
        cjk = feed["cjk"]
        title = self.title(cjk)
        slug = slugify(title) if not cjk else "article-%d" % r.randint(10**6, 10**7)
        sect = r.choice(feed["sections"])
        y, mo, d = civil(t // 1440)
        aid = r.randint(10**6, 10**8)
        link = "https://%s/%s/%04d/%02d/%02d/%s-%d" % (
            feed["site"], sect, y, mo, d, slug, aid)
        if feed["html_suffix"]:
            link += ".html"
        track = r.choice(TRACKING)
        if track:
            link += "?" + track.format(slug=slug[:40], site=feed["slug"],
                                       tok=self.token(20), tok2=self.token(10))
        img = None
        if r.random() < feed["img_rate"]:
            w, h = r.choice([(1200, 675), (1600, 900), (800, 450), (1024, 683),
                             (640, 360), (1920, 1080), (720, 378)])
            img = ("https://cdn.%s/images/%04d/%02d/%s-%d.jpg?w=%d&h=%d&fit=crop"
                   % (feed["site"].replace("www.", ""), y, mo, slug[:50], aid,
                      w, h), w, h)
        cats = [r.choice(feed["cats"]) for _ in range(r.randint(0, 4))]
        cats = list(dict.fromkeys(cats))
        return {
            "title": title, "link": link, "t": t, "img": img, "cats": cats,
            "author": self.person(), "id": aid, "cjk": cjk, "slug": slug,
            "summary": self.summary(cjk),
            "body": self.body(cjk, feed["site"], img,
                              entities=feed["kind"] != "atom-xhtml"),
            "audio": (feed["podcast"] and r.random() < 0.9),
        }

    # -- one feed ------------------------------------------------------------
    def feed(self, i):
        r = self.r
        x = r.random()
        if x < 0.55:
            kind = "rss2"
        elif x < 0.80:
            kind = "atom"
        elif x < 0.90:
            kind = "atom-xhtml"
        else:
            kind = "rss1"
        if r.random() < 0.6:
            name = "The %s %s" % (r.choice(CITIES), r.choice(PAPERS))
        else:
            name = "%s %s" % (r.choice(TECH), r.choice(TECH_SUFFIX))
        fslug = slugify(name.replace("The ", ""))
        site = ("www." if r.random() < 0.7 else "") + fslug.replace("-", "") + \
            r.choice([".com", ".com", ".co.uk", ".org", ".net", ".de", ".com.br"])
        feed = {
            "kind": kind, "name": name, "site": site, "slug": fslug,
            "cjk": r.random() < 0.06,
            "sections": r.sample(SECTIONS, r.randint(2, 5)),
            "cats": r.sample(SECTIONS, 4) + [r.choice(CITIES), r.choice(OBJECTS),
                                              r.choice(ACCENTED)],
            "img_rate": r.choice([0.0, 0.5, 0.8, 0.95, 1.0]),
            "html_suffix": r.random() < 0.4,
            "podcast": r.random() < 0.05,
            "media": r.choice(["content", "thumbnail", "enclosure", "group",
                               "content"]),
            "cdata": r.random() < 0.6,
            "desc_html": r.random() < 0.5,
        }
        n = r.randint(20, 50)
        t = r.randint(0, 360 * 1440)
        entries = []
        for _ in range(n):
            entries.append(self.entry(feed, t))
            t -= r.randint(5, 600)
        if kind == "rss2":
            text = self.rss2(feed, entries)
        elif kind == "rss1":
            text = self.rss1(feed, entries)
        else:
            text = self.atom(feed, entries)
        return text, n

    def media(self, feed, e, atom=False):
        r = self.r
        out = []
        if e["audio"]:
            url = "https://media.%s/podcast/%s-%d.mp3?source=feed" % (
                feed["site"].replace("www.", ""), e["slug"][:40], e["id"])
            if atom:
                out.append('<link rel="enclosure" type="audio/mpeg" length="%d" href="%s"/>'
                           % (r.randint(10**7, 9 * 10**7), xesc(url)))
            else:
                out.append('<enclosure url="%s" length="%d" type="audio/mpeg"/>'
                           % (xesc(url), r.randint(10**7, 9 * 10**7)))
        img = e["img"]
        if not img:
            return out
        url, w, h = img
        m = feed["media"]
        if m == "content":
            out.append('<media:content url="%s" medium="image" type="image/jpeg" '
                       'width="%d" height="%d"><media:credit>%s</media:credit>'
                       '</media:content>' % (xesc(url), w, h, xesc(e["author"])))
        elif m == "thumbnail":
            out.append('<media:thumbnail url="%s" width="%d" height="%d"/>'
                       % (xesc(url), w, h))
        elif m == "group":
            out.append('<media:group><media:content url="%s" medium="image" '
                       'width="%d" height="%d"/><media:thumbnail url="%s" '
                       'width="%d" height="%d"/><media:description type="plain">'
                       '%s</media:description></media:group>'
                       % (xesc(url), w, h, xesc(url.replace("w=%d" % w, "w=320")),
                          320, 320 * h // w, xesc(e["summary"][:120])))
        elif atom:
            out.append('<link rel="enclosure" type="image/jpeg" length="%d" href="%s"/>'
                       % (r.randint(30000, 400000), xesc(url)))
        else:
            out.append('<enclosure url="%s" length="%d" type="image/jpeg"/>'
                       % (xesc(url), r.randint(30000, 400000)))
        return out

    def textblock(self, feed, html):
        """HTML for RSS character data: CDATA or escaped."""
        if feed["cdata"] and "]]>" not in html:
            return "<![CDATA[" + html + "]]>"
        return xesc(html)

    def rss2(self, feed, entries):
        r = self.r
        home = "https://%s/" % feed["site"]
        w = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
             ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
             ' xmlns:atom="http://www.w3.org/2005/Atom"'
             ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'
             ' xmlns:slash="http://purl.org/rss/1.0/modules/slash/"'
             ' xmlns:media="http://search.yahoo.com/mrss/"'
             + (' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
                if feed["podcast"] else "") + '>',
             "<channel>",
             "<title>%s</title>" % xesc(feed["name"]),
             '<atom:link href="%sfeed/" rel="self" type="application/rss+xml"/>' % home,
             "<link>%s</link>" % home,
             "<description>%s</description>" % xesc(self.sentence(feed["cjk"])),
             "<lastBuildDate>%s</lastBuildDate>" % self.rfc822(entries[0]["t"], 0),
             "<language>%s</language>" % ("zh-CN" if feed["cjk"] else "en-US"),
             "<sy:updatePeriod>hourly</sy:updatePeriod>",
             "<sy:updateFrequency>1</sy:updateFrequency>",
             "<generator>https://wordpress.org/?v=6.4.2</generator>",
             "<image><url>%swp-content/uploads/icon-32x32.png</url><title>%s</title>"
             "<link>%s</link><width>32</width><height>32</height></image>"
             % (home, xesc(feed["name"]), home)]
        if feed["podcast"]:
            w.append('<itunes:image href="%spodcast-cover.jpg"/>' % home)
            w.append("<itunes:author>%s</itunes:author>" % xesc(feed["name"]))
        style = r.choice([0, 1, 2])
        for e in entries:
            w.append("<item>")
            w.append("<title>%s</title>" % (self.textblock(feed, e["title"])
                                          if r.random() < 0.3 else xesc(e["title"])))
            w.append("<link>%s</link>" % xesc(e["link"]))
            if r.random() < 0.5:
                w.append('<comments>%s#respond</comments>' % xesc(e["link"].split("?")[0]))
            w.append("<dc:creator>%s</dc:creator>" % self.textblock(feed, e["author"]))
            w.append("<pubDate>%s</pubDate>" % self.rfc822(e["t"], style))
            for c in e["cats"]:
                if r.random() < 0.2:
                    w.append('<category domain="%stag/%s">%s</category>'
                             % (home, slugify(c), xesc(c)))
                else:
                    w.append("<category>%s</category>" % self.textblock(feed, c))
            if r.random() < 0.5:
                w.append('<guid isPermaLink="false">%s?p=%d</guid>' % (home, e["id"]))
            else:
                w.append("<guid>%s</guid>" % xesc(e["link"].split("?")[0]))
            desc = e["summary"]
            if feed["desc_html"]:
                desc = "<p>%s</p>" % xesc(desc)
            w.append("<description>%s</description>" % self.textblock(feed, desc))
            w.append("<content:encoded><![CDATA[%s]]></content:encoded>" % e["body"])
            w.append("<slash:comments>%d</slash:comments>" % r.randint(0, 250))
            w.extend(self.media(feed, e))
            if e["audio"]:
                w.append("<itunes:duration>%02d:%02d:%02d</itunes:duration>"
                         % (r.randint(0, 1), r.randint(0, 59), r.randint(0, 59)))
            w.append("</item>")
        w.append("</channel>")
        w.append("</rss>")
        return "\n".join(w) + "\n"

    def rss1(self, feed, entries):
        home = "https://%s/" % feed["site"]
        w = ['<?xml version="1.0" encoding="utf-8"?>',
             '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
             ' xmlns="http://purl.org/rss/1.0/"'
             ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
             ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
             ' xmlns:syn="http://purl.org/rss/1.0/modules/syndication/">',
             '<channel rdf:about="%sindex.rdf">' % home,
             "<title>%s</title>" % xesc(feed["name"]),
             "<link>%s</link>" % home,
             "<description>%s</description>" % xesc(self.sentence(feed["cjk"])),
             "<dc:language>%s</dc:language>" % ("ja" if feed["cjk"] else "en"),
             "<dc:date>%s</dc:date>" % self.rfc3339(entries[0]["t"]),
             "<syn:updatePeriod>hourly</syn:updatePeriod>",
             "<items><rdf:Seq>"]
        for e in entries:
            w.append('<rdf:li rdf:resource="%s"/>' % xesc(e["link"]))
        w.append("</rdf:Seq></items>")
        w.append("</channel>")
        for e in entries:
            w.append('<item rdf:about="%s">' % xesc(e["link"]))
            w.append("<title>%s</title>" % xesc(e["title"]))
            w.append("<link>%s</link>" % xesc(e["link"]))
            w.append("<description>%s</description>" % xesc(e["summary"]))
            w.append("<dc:creator>%s</dc:creator>" % xesc(e["author"]))
            w.append("<dc:date>%s</dc:date>" % self.rfc3339(e["t"]))
            for c in e["cats"]:
                w.append("<dc:subject>%s</dc:subject>" % xesc(c))
            w.append("<content:encoded><![CDATA[%s]]></content:encoded>" % e["body"])
            w.append("</item>")
        w.append("</rdf:RDF>")
        return "\n".join(w) + "\n"

    def atom(self, feed, entries):
        r = self.r
        home = "https://%s/" % feed["site"]
        xhtml = feed["kind"] == "atom-xhtml"
        w = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom"'
             ' xmlns:media="http://search.yahoo.com/mrss/"'
             ' xml:lang="%s">' % ("ja" if feed["cjk"] else "en"),
             "<title>%s</title>" % xesc(feed["name"]),
             '<subtitle type="html">%s</subtitle>' % xesc(
                 "<em>%s</em>" % xesc(self.sentence(feed["cjk"]))),
             '<link rel="alternate" type="text/html" href="%s"/>' % home,
             '<link rel="self" type="application/atom+xml" href="%sfeed.atom"/>' % home,
             "<id>tag:%s,2024:feed</id>" % feed["site"],
             "<updated>%s</updated>" % self.rfc3339(entries[0]["t"]),
             '<generator uri="https://gohugo.io/" version="0.121">Hugo</generator>',
             "<icon>%sfavicon.ico</icon>" % home]
        for e in entries:
            w.append("<entry>")
            if r.random() < 0.2:
                w.append('<title type="html">%s</title>' % xesc(xesc(e["title"])))
            else:
                w.append('<title type="text">%s</title>' % xesc(e["title"]))
            w.append('<link rel="alternate" type="text/html" href="%s"/>' % xesc(e["link"]))
            w.append("<id>tag:%s,2024:%d</id>" % (feed["site"], e["id"]))
            pub = self.rfc3339(e["t"])
            w.append("<published>%s</published>" % pub)
            if r.random() < 0.4:
                w.append("<updated>%s</updated>" % self.rfc3339(e["t"] + r.randint(0, 900)))
            else:
                w.append("<updated>%s</updated>" % pub)
            w.append("<author><name>%s</name><uri>%sauthor/%s</uri></author>"
                     % (xesc(e["author"]), home, slugify(e["author"])))
            for c in e["cats"]:
                w.append('<category term="%s" label="%s" scheme="%stags/"/>'
                         % (xesc(slugify(c)), xesc(c), home))
            w.append('<summary type="text">%s</summary>' % xesc(e["summary"]))
            if xhtml:
                w.append('<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
                         "%s</div></content>" % e["body"].replace("<br>", "<br/>"))
            else:
                w.append('<content type="html" xml:base="%s">%s</content>'
                         % (home, xesc(e["body"])))
            w.extend(self.media(feed, e, atom=True))
            w.append("</entry>")
        w.append("</feed>")
        return "\n".join(w) + "\n"


def civil(days):
    """Days since 2024-01-01 -> (year, month, day), proleptic Gregorian."""
    # Howard Hinnant's civil_from_days, shifted to 1970-01-01.
    z = days + 19723 + 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d)


def main():
    ap = argparse.ArgumentParser(description="Write the parse benchmark corpus.")
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=1000, help="feeds (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    a = ap.parse_args()
    if a.count < 1:
        ap.error("--count must be at least 1")
    os.makedirs(a.outdir, exist_ok=True)
    g = Gen(a.seed)
    total_bytes = total_entries = 0
    width = max(4, len(str(a.count - 1)))
    for i in range(a.count):
        text, n = g.feed(i)
        data = text.encode("utf-8")
        path = os.path.join(a.outdir, "feed-%0*d.xml" % (width, i))
        with open(path, "wb") as f:
            f.write(data)
        total_bytes += len(data)
        total_entries += n
    print("gen-feeds: %d feeds, %d entries, %d bytes in %s"
          % (a.count, total_entries, total_bytes, a.outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
