# tests/opml_cmd.sh: feedfold import-opml and export-opml. The YAML that
# import prints is wrapped into a config and loaded by check-config and
# export-opml; the OPML that export prints is parsed with python3's
# xml.etree (well-formed, attribute values exact) and imported again.
. "$srcdir/tests/lib.sh"

plan 34

py=${PYTHON3:-python3}
opml="$srcdir/tests/data/opml"
unset FEEDFOLD_CONFIG

# wrap NAME: the YAML on stdin as $tap_tmp/NAME.yaml, a whole config.
wrap() {
	{ printf 'output_dir: records\nstate_dir: state\n'; cat; } \
		>"$tap_tmp/$1.yaml"
}

# attrs FILE ATTR: that attribute of every outline with an xmlUrl, one a
# line, Python's repr so that tabs and newlines show.
attrs() {
	"$py" - "$1" "$2" <<'EOF'
import sys, xml.etree.ElementTree as ET
for o in ET.parse(sys.argv[1]).iter("outline"):
    if o.get("xmlUrl") is not None:
        print(repr(o.get(sys.argv[2])))
EOF
}

# ---- import: the fixtures ------------------------------------------------

run "$FEEDFOLD" import-opml "$opml/nested.opml"
is "nested.opml: exit 0" "$rc" 0
is "nested.opml: nothing on stderr" "$err" ""
printf '%s\n' "$out" >"$tap_tmp/nested.out"
like "nested.opml: folders then categories become topics" "$out" \
	'^  topics: \["World", "Europe", "politics"\]$'
like "nested.opml: the title is the name" "$out" '^  name: "The Guardian"$'
like "nested.opml: a relative file feed is made absolute" "$out" \
	'^- url: "file:///.*/tests/data/opml/local/feed\.xml"$'
wrap nested <"$tap_tmp/nested.out"
run "$FEEDFOLD" check-config -c "$tap_tmp/nested.yaml"
is "nested.opml: check-config accepts it" "$rc" 0
like "nested.opml: 5 feeds" "$out" ': ok, 5 feeds,'

# The same file as an `opml:` entry of a config means the same feeds.
printf 'output_dir: records\nstate_dir: state\nfeeds:\n  - opml: %s\n' \
	"$(cd "$opml" && pwd)/nested.opml" >"$tap_tmp/entry.yaml"
"$FEEDFOLD" export-opml -c "$tap_tmp/entry.yaml" >"$tap_tmp/entry.opml"
"$FEEDFOLD" export-opml -c "$tap_tmp/nested.yaml" >"$tap_tmp/nested.opml"
is "import-opml gives what an opml: entry gives (URLs, names, topics)" \
	"$(cat "$tap_tmp/nested.opml")" "$(cat "$tap_tmp/entry.opml")"

run "$FEEDFOLD" import-opml "$opml/flat.opml"
is "flat.opml: exit 0" "$rc" 0
printf '%s\n' "$out" | wrap flat
run "$FEEDFOLD" check-config -c "$tap_tmp/flat.yaml"
like "flat.opml: check-config, 2 feeds (an empty xmlUrl is no feed)" "$out" \
	': ok, 2 feeds,'

run "$FEEDFOLD" import-opml "$opml/broken.opml"
is "broken.opml: exit 1" "$rc" 1
like "broken.opml: says why" "$err" 'not well-formed XML'
is "broken.opml: nothing on stdout" "$out" ""
run "$FEEDFOLD" import-opml "$opml/dtd.opml"
is "dtd.opml: refused" "$rc" 1

# ---- import: hostile titles and URLs, duplicates, a scheme left out -------

cat >"$tap_tmp/hostile.opml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>t</title></head><body>
<outline text="Q &amp; A: &quot;quoted&quot; \ back # hash">
  <outline title="null" xmlUrl="https://a.example/feed?x='1'&amp;y=%20#frag"/>
  <outline title="two&#10;lines&#9;tab" xmlUrl="https://b.example/rss"/>
  <outline title="Café — 東京" xmlUrl="https://c.example/atom"
    category="- dash,true,[x]"/>
  <outline title="ftp" xmlUrl="ftp://d.example/feed"/>
</outline>
<outline text="Again">
  <outline title="b again" xmlUrl="HTTPS://B.example:443/rss#top"/>
</outline>
<outline title="rel" xmlUrl="./rel dir/x.xml"/>
</body></opml>
EOF
run "$FEEDFOLD" import-opml "$tap_tmp/hostile.opml"
is "hostile: exit 1 (one feed left out)" "$rc" 1
like "hostile: the ftp feed is named" "$err" \
	"hostile\.opml:8: feed 'ftp://d\.example/feed' left out"
like "hostile: the repeat is merged" "$err" \
	"hostile\.opml:11: 'https://B\.example:443/rss#top' again \(first at line 5\)"
printf '%s\n' "$out" | wrap hostile
run "$FEEDFOLD" check-config -c "$tap_tmp/hostile.yaml"
is "hostile: check-config accepts the YAML" "$rc" 0
like "hostile: 4 feeds" "$out" ': ok, 4 feeds,'
"$FEEDFOLD" export-opml -c "$tap_tmp/hostile.yaml" >"$tap_tmp/hostile.out.opml"
is "hostile: names survive OPML -> YAML -> config -> OPML" \
	"$(attrs "$tap_tmp/hostile.out.opml" title)" \
"'null'
'two\\nlines\\ttab'
'Café — 東京'
'rel'"
is "hostile: topics too, the repeat's folder merged" \
	"$(attrs "$tap_tmp/hostile.out.opml" category)" \
"'Q & A: \"quoted\" \\\\ back # hash'
'Q & A: \"quoted\" \\\\ back # hash,Again'
'Q & A: \"quoted\" \\\\ back # hash,- dash,true,[x]'
None"
is "hostile: a URL with quotes, & and a fragment is kept" \
	"$(attrs "$tap_tmp/hostile.out.opml" xmlUrl | head -n 1)" \
	"\"https://a.example/feed?x='1'&y=%20#frag\""
like "hostile: a bare relative path is made absolute" \
	"$(attrs "$tap_tmp/hostile.out.opml" xmlUrl | tail -n 1)" \
	"^'file:///.*/rel%20dir/x\.xml'\$"

# ---- export -----------------------------------------------------------------

# Names and topics that XML must escape, written straight into a config.
cat >"$tap_tmp/names.yaml" <<'EOF'
output_dir: records
state_dir: state
feeds:
  - url: https://one.example/feed.xml
    name: "<b>Tom & Jerry's \"News\"</b>\ttabbed\nnewline"
    category: news
    topics: [World, "a/b", "c,d", Sport]
  - url: "https://two.example/rss?a=1&b=<2>"
  - url: https://three.example/atom
    name: "Ünïcödé ✓"
EOF
run "$FEEDFOLD" export-opml -c "$tap_tmp/names.yaml"
is "export: exit 0" "$rc" 0
printf '%s\n' "$out" >"$tap_tmp/names.opml"
is "export: OPML 2.0 that parses, one outline a feed" \
	"$("$py" -c 'import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
print(r.tag, r.get("version"), len(r.findall("body/outline")))' "$tap_tmp/names.opml")" \
	"opml 2.0 3"
is "export: names exact, the URL (as loaded) where there is none" \
	"$(attrs "$tap_tmp/names.opml" text)" \
"'<b>Tom & Jerry\\'s \"News\"</b>\\ttabbed\\nnewline'
'https://two.example/rss?a=1&b=%3C2%3E'
'Ünïcödé ✓'"
is "export: category then topics; ',' and '/' ones left out" \
	"$(attrs "$tap_tmp/names.opml" category | head -n 1)" "'news,World,Sport'"
like "export: what was left out is said" "$err" "'a/b' left out of the OPML category"
if command -v xmllint >/dev/null 2>&1; then
	run xmllint --noout "$tap_tmp/names.opml"
	is "export: xmllint agrees" "$rc" 0
else
	ok "export: xmllint agrees # SKIP no xmllint"
fi

# Round trip: export, import, export again: the same URLs, in order.
run "$FEEDFOLD" import-opml "$tap_tmp/names.opml"
is "round trip: import of the export exits 0" "$rc" 0
printf '%s\n' "$out" | wrap again
"$FEEDFOLD" export-opml -c "$tap_tmp/again.yaml" >"$tap_tmp/again.opml"
is "round trip: the same URLs" "$(attrs "$tap_tmp/again.opml" xmlUrl)" \
	"$(attrs "$tap_tmp/names.opml" xmlUrl)"
is "round trip: the same names" "$(attrs "$tap_tmp/again.opml" title)" \
	"$(attrs "$tap_tmp/names.opml" title)"

# ---- usage -------------------------------------------------------------------

run "$FEEDFOLD" import-opml
is "import-opml without a file: exit 2" "$rc" 2
run "$FEEDFOLD" export-opml -c "$tap_tmp/nope.yaml"
is "export-opml with a missing config: exit 2" "$rc" 2

done_testing
