# tests/parse_cmd.sh: feedfold parse: files in, one record document per
# entry out; many files in one process; --url, --charset, -c; exit codes.
. "$srcdir/tests/lib.sh"

feeds="$srcdir/tests/data/feeds"
plan 33

# The number of records in the output: each has an opening and a closing
# "---" line.
records() { printf '%s\n' "$1" | grep -c '^---$' | awk '{ print $1 / 2 }'; }

run "$FEEDFOLD" parse "$feeds/rss20-basic.xml"
is "one file: exit 0" "$rc" 0
is "one file: one record per entry" "$(records "$out")" 2
like "one file: the record layout" "$out" '^title: "Council approves new cycle lanes"$'
is "one file: feed order" "$(printf '%s\n' "$out" | grep '^title:' | head -1)" \
    'title: "Council approves new cycle lanes"'

run "$FEEDFOLD" parse "$feeds/rss20-basic.xml" "$feeds/atom10-basic.xml" \
    "$feeds/truncated.xml"
is "many files: exit 0" "$rc" 0
is "many files: every entry of every file" "$(records "$out")" 5
is "many files: file order" "$(printf '%s\n' "$out" | grep '^title:' | tr '\n' '|')" \
    'title: "Council approves new cycle lanes"|title: "Second item"|title: "Atom draft-07 snapshot"|title: "Complete one"|title: "Complete two"|'

run "$FEEDFOLD" parse "$feeds/rss20-basic.xml" "$tap_tmp/no-such-file.xml" \
    "$feeds/atom10-basic.xml"
is "unreadable file: exit 1" "$rc" 1
like "unreadable file: named on stderr" "$err" 'no-such-file\.xml: No such file or directory'
is "unreadable file: the others still parsed" "$(records "$out")" 3

printf '<html><body>not a feed</body></html>\n' >"$tap_tmp/page.html"
run "$FEEDFOLD" parse "$tap_tmp/page.html"
is "not a feed: exit 1" "$rc" 1
like "not a feed: says so" "$err" 'not an RSS or Atom feed \(root element <html>\)'

run "$FEEDFOLD" parse https://example.com/feed.xml
is "http URL: exit 2" "$rc" 2
like "http URL: fetching is not built yet" "$err" 'fetching feeds is not built yet'

run "$FEEDFOLD" parse --url http://a.example/ "$feeds/rss20-basic.xml" \
    "$feeds/atom10-basic.xml"
is "--url with two files: exit 2" "$rc" 2

run "$FEEDFOLD" parse
is "no file: usage, exit 2" "$rc" 2

run "$FEEDFOLD" parse --url https://site.example.com/feeds/all.rss \
    "$feeds/relative-links-feed-url.xml"
like "--url is the base of relative links" "$out" \
    '^originalUrl: "https://site.example.com/feeds/item-2.html"$'

run "$FEEDFOLD" parse "$feeds/relative-links-feed-url.xml"
like "without --url the file's own URL is the base" "$out" \
    '^originalUrl: "file:///.*/tests/data/feeds/item-2.html"$'

run "$FEEDFOLD" parse --url https://www.fallback.example.net/rss \
    "$feeds/provider-feed-url-fallback.xml"
like "--url is the provider fallback" "$out" '^  domain: fallback.example.net$'

# The declaration says ISO-8859-1; the bytes are KOI8-R, as --charset says.
run "$FEEDFOLD" parse --charset koi8-r "$feeds/enc-http-charset-beats-declaration.xml"
like "--charset over the declaration" "$out" \
    '^title: "Широкая электрификация"$'

cat >"$tap_tmp/feedfold.yaml" <<CONF
feeds:
  - url: https://configured.example.org/feed.xml
    name: Configured Outlet
    category: tech
    topics: [Gadgets]
CONF
run "$FEEDFOLD" parse -c "$tap_tmp/feedfold.yaml" \
    --url https://configured.example.org/feed.xml "$feeds/rss20-basic.xml"
like "-c: the feed's config names the provider" "$out" \
    '^  name: Configured Outlet$'
like "-c: the feed's config sets the category" "$out" '^category: tech$'

# --format tsv: one line an entry, the record's fields in the documented
# columns, the same entries as the YAML.
run "$FEEDFOLD" parse --format tsv "$feeds/rss20-basic.xml" \
    "$feeds/atom10-basic.xml"
is "tsv: exit 0" "$rc" 0
is "tsv: one line per entry" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3
is "tsv: 14 columns on every line" \
    "$(printf '%s\n' "$out" | awk -F '\t' '{ print NF }' | sort -u)" 14
is "tsv: date, title, webUrl, originalUrl" \
    "$(printf '%s\n' "$out" | head -1 | cut -f1-4)" \
    "$(printf '2003-06-10T04:00:00Z\tCouncil approves new cycle lanes\thttps://www.example.com/news/cycle-lanes\thttps://www.example.com/news/cycle-lanes')"
is "tsv: type, provider, domain, quality" \
    "$(printf '%s\n' "$out" | head -1 | cut -f6-9)" \
    "$(printf 'article\tExample News\texample.com\t52')"
yaml_titles=$("$FEEDFOLD" parse "$feeds/rss20-basic.xml" "$feeds/atom10-basic.xml" |
    sed -n 's/^title: "\(.*\)"$/\1/p')
is "tsv: the same entries as the YAML" \
    "$(printf '%s\n' "$out" | cut -f2)" "$yaml_titles"

# Escaped as sfeed escapes: a tab or newline in a value cannot split a line.
cat >"$tap_tmp/escapes.xml" <<'XML'
<rss version="2.0"><channel><title>T</title>
<item><title>back\slash</title><link>https://e.example/a</link>
<category>one</category><category>two</category></item>
</channel></rss>
XML
cat >"$tap_tmp/escapes.yaml" <<'CONF'
feeds:
  - url: https://e.example/feed
    name: "Tab\there"
    category: "line\nbreak"
CONF
run "$FEEDFOLD" parse --format tsv -c "$tap_tmp/escapes.yaml" \
    --url https://e.example/feed "$tap_tmp/escapes.xml"
is "tsv escapes: exit 0" "$rc" 0
is "tsv escapes: still one line" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1
is "tsv escapes: backslash, tab, newline" \
    "$(printf '%s\n' "$out" | cut -f2,7,14)" \
    "$(printf 'back\\\\slash\tTab\\there\tline\\nbreak')"
is "tsv escapes: topics joined by |" "$(printf '%s\n' "$out" | cut -f10)" \
    "one|two"

run "$FEEDFOLD" parse --format json "$feeds/rss20-basic.xml"
is "--format json: usage error, exit 2" "$rc" 2

done_testing
