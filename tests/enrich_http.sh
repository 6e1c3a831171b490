# tests/enrich_http.sh: enrichment through tests/httpd.py. Pages and
# images at a non-public address (the server is on loopback) are not
# fetched unless allow_private_addresses says so. A feed links
# articles whose pages name an AMP version and an og:image; once must
# write records with ampWebUrl, cdnAmpWebUrl, and the image with its real
# size (not the page's wrong og:image:width) and isCached: true, the file
# being in cache_dir. An "image" that is HTML, a 20 MB one and a slow one
# are each left uncached without harm.
. "$srcdir/tests/lib.sh"

httpd_start --max-seconds 120 --max-requests 100

# An image cache left over, over its bound: three 400 KB files used 3, 2
# and 1 days ago, and a temporary file a crash left.
mkdir -p "$tap_tmp/cache/images"
for age in 3 2 1; do
	head -c 409600 /dev/zero >"$tap_tmp/cache/images/old$age.png"
	touch -d "$age days ago" "$tap_tmp/cache/images/old$age.png"
done
: >"$tap_tmp/cache/images/0123456789abcdef.tmp-XyZ123"

# By default a page or an image a feed names is fetched only from a
# public address, and the test server is on loopback: nothing is asked
# for, nothing is enriched, the records are written all the same, and
# the log says why.
cat >"$tap_tmp/private.yaml" <<EOF
output_dir: $tap_tmp/p/records
state_dir: $tap_tmp/p/state
cache_dir: $tap_tmp/p/cache
timeout: 3s
enrich: true
images:
  cache: true
feeds:
  - url: $base/enrichfeed
EOF
run timeout -s KILL 60 "$FEEDFOLD" once -c "$tap_tmp/private.yaml"
is "pages at a loopback address: exit 0" "$rc" 0
like "... the records are written" "$(cat "$tap_tmp"/p/records/*.yaml)" \
	"webUrl: \"$base/article/1\""
unlike "... without ampWebUrl" "$(cat "$tap_tmp"/p/records/*.yaml)" ampWebUrl
is "... no page or image was asked for" \
	"$(awk -F '\t' '$2 ~ /^\/(article|img)\//' "$tap_tmp/req.log" | wc -l | tr -d ' ')" 0
like "... the log names the address and the setting" "$err" \
	'127\.0\.0\.1 is not a public address.*allow_private_addresses'

cat >"$tap_tmp/feedfold.yaml" <<EOF
output_dir: $tap_tmp/records
state_dir: $tap_tmp/state
cache_dir: $tap_tmp/cache
timeout: 3s
enrich: true
allow_private_addresses: true
images:
  cache: true
  max_bytes: 1MiB
  cache_max: 1MiB
feeds:
  - url: $base/enrichfeed
EOF
run timeout -s KILL 60 "$FEEDFOLD" once -c "$tap_tmp/feedfold.yaml"
is "once with enrichment: exit 0" "$rc" 0

rec=$(grep -l "webUrl: \"$base/article/1\"" "$tap_tmp"/records/*.yaml | head -1)
like "the article's record exists" "$rec" 'yaml$'
body=$(cat "$rec" 2>/dev/null)
like "ampWebUrl from <link rel=amphtml>, made absolute" "$body" \
	"^ampWebUrl: \"$base/amp/1\"\$"
like "cdnAmpWebUrl from it, by the AMP cache rules" "$body" \
	'^cdnAmpWebUrl: "https://[a-z0-9-]+\.cdn\.ampproject\.org/c/127\.0\.0\.1'
like "the image from og:image" "$body" "url: \"$base/img/png\""
like "its width read from the file (37), not the page's 999" "$body" '^    width: 37$'
like "its height read from the file (23)" "$body" '^    height: 23$'
like "isCached: true" "$body" '^    isCached: true$'
like "the provider name from og:site_name (the feed had none)" "$body" \
	'name: Enrich Times'
is "the image is in the cache, whole" \
	"$(ls "$tap_tmp/cache/images" | grep -v '^old' | sed "s|^|$tap_tmp/cache/images/|" | xargs cat | cmp - "$srcdir/tests/data/images/png.png" && echo same)" same
# Both articles may ask for it at once; once cached, never again.
pngs=$(awk -F '\t' '$2 == "/img/png"' "$tap_tmp/req.log" | wc -l | tr -d ' ')
like "the shared image is fetched at most once per article" "$pngs" '^[12]$'
is "each article page is fetched once" \
	"$(awk -F '\t' '$2 ~ /^\/article\//' "$tap_tmp/req.log" | wc -l | tr -d ' ')" 2

# cached URL: the isCached value written under that image URL.
cached() { awk -v u="url: \"$1\"" 'index($0, u) { f = 1; next }
	f && /isCached:/ { print $2; exit } f && /url:/ { exit }' "$tap_tmp"/records/*.yaml; }
for name in html huge slow; do
	like "an image that is $name: the entry is recorded" \
		"$(cat "$tap_tmp"/records/*.yaml)" "url: \"$base/img/$name\""
	is "an image that is $name: not marked cached" "$(cached "$base/img/$name")" false
done
is "over cache_max: the least recently used image went, the others stay" \
	"$(ls "$tap_tmp/cache/images" | grep '^old' | tr '\n' ' ')" "old1.png old2.png "
is "a crash's temporary file is gone" \
	"$(ls "$tap_tmp/cache/images" | grep -c tmp)" 0
is "nothing else but the one PNG in the cache" \
	"$(ls "$tap_tmp/cache/images" | grep -vc '^old')" 1

# A second run: the page is not fetched again, nothing changes.
before=$(cat "$tap_tmp"/records/*.yaml | md5sum)
run "$FEEDFOLD" once --force -c "$tap_tmp/feedfold.yaml"
is "a second run: the records are unchanged" \
	"$rc $(cat "$tap_tmp"/records/*.yaml | md5sum)" "0 $before"
is "a second run: the cached image is not fetched again" \
	"$(awk -F '\t' '$2 == "/img/png"' "$tap_tmp/req.log" | wc -l | tr -d ' ')" "$pngs"

httpd_stop
plan "$tap_n"
done_testing
