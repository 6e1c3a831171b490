# tests/once_http.sh: feedfold once against tests/httpd.py on 127.0.0.1.
#
# Each case asserts both sides: the server's request log (what feedfold
# asked, with which validators, and when it did not ask) and feedfold's
# feed state (state_dir/feeds.state). Time is simulated with
# $FEEDFOLD_TEST_NOW, so a Retry-After of 120 s or a doubled back-off is
# checked without waiting. The server stops when this script closes its
# stdin, or after 120 s and 400 requests whatever happens.
. "$srcdir/tests/lib.sh"


T0=1800000000

# The server's Python: $PYTHON3, or Debian's own when only that one has
# the brotli module (python3-brotli), so that brotli bodies are tested.
py=${PYTHON3:-python3}
if ! "$py" -c 'import brotli' 2>/dev/null &&
    /usr/bin/python3 -c 'import brotli' 2>/dev/null; then
	py=/usr/bin/python3
fi
httpd_py=$py
httpd_start --max-seconds 120 --max-requests 400
have_brotli=no
"$py" -c 'import brotli' 2>/dev/null && have_brotli=yes

cat >"$tap_tmp/feedfold.yaml" <<EOF
output_dir: $tap_tmp/records
state_dir: $tap_tmp/state
timeout: 3s
max_body: 64KiB
interval: 30m
feeds:
  - url: $base/feed/a
  - url: $base/gzip
  - url: $base/brotli
  - url: $base/r301
  - url: $base/r302
  - url: $base/gone
  - url: $base/429
  - url: $base/500
  - url: $base/slow
  - url: $base/big?n=200000
  - url: $base/tofile
  - url: http://127.0.0.1:1/refused
  - url: http://feedfold-test.invalid/rss
EOF
cfg="$tap_tmp/feedfold.yaml"
state="$tap_tmp/state/feeds.state"

# field KEY N: field N of the state line of the feed configured as KEY
# (2 key, 3 url, 4 etag, 5 last_modified, 6 last_fetch, 7 next_due,
# 8 interval, 9 last_status, 10 error_streak, 11 retired).
field() { awk -F '\t' -v k="$1" -v n="$2" '$1 == "F" && $2 == k { print $n }' "$state"; }
# requests PATH: how many requests for PATH the server has logged.
requests() { awk -F '\t' -v p="$1" '$2 == p { n++ } END { print n + 0 }' "$tap_tmp/req.log"; }
# last_header PATH N: field N of the last request for PATH (3 If-None-Match,
# 4 If-Modified-Since, 7 Accept-Encoding, 8 User-Agent).
last_header() { awk -F '\t' -v p="$1" -v n="$2" '$2 == p { v = $n } END { print v }' "$tap_tmp/req.log"; }

# ---- the first run: every feed is due ------------------------------------
FEEDFOLD_TEST_NOW=$T0 run "$FEEDFOLD" once -c "$cfg"
is "first run: exit 0 (some feeds answered)" "$rc" 0
like "first run: summary" "$out" \
	"^feeds: [0-9]+ fetched, 0 not modified, [0-9]+ failed, 1 retired"
is "first run: every feed was asked once" \
	"$(wc -l <"$tap_tmp/req.log" | tr -d ' ')" \
	"$(( $(grep -c "^  - url: $base" "$cfg") + 2 ))"

is "200: ETag and Last-Modified kept" \
	"$(field "$base/feed/a" 4) $(field "$base/feed/a" 5) $(field "$base/feed/a" 9)" \
	'"v1-a" Wed,%2021%20Oct%202015%2007:28:00%20GMT 200'
is "200: the first request carries no validators" \
	"$(last_header /feed/a 3) $(last_header /feed/a 4)" "- -"
like "200: the User-Agent names feedfold" "$(last_header /feed/a 8)" '^feedfold/'
like "gzip: asked for it, got the body" \
	"$(last_header /gzip 7) $(field "$base/gzip" 9)" 'gzip.* 200$'
if [ "$have_brotli" = yes ]; then
	like "brotli: asked for it, got the body" \
		"$(last_header /brotli 7) $(field "$base/brotli" 9)" 'br.* 200$'
else
	skip "brotli: asked for it, got the body" "no brotli module in $py (install python3-brotli)"
fi
is "301: the new URL is stored" "$(field "$base/r301" 3)" "$base/feed/moved"
is "302: the URL is not stored" "$(field "$base/r302" 3)" "="
is "410: retired, never due" \
	"$(field "$base/gone" 11) $(field "$base/gone" 7)" "1 9223372036854775807"
d429=$(( $(field "$base/429" 7) - T0 ))
is "429: status kept" "$(field "$base/429" 9)" 429
like "429: not due before Retry-After (120 s)" "$d429" '^[0-9]+$'
[ "$d429" -ge 120 ] 2>/dev/null && ok "429: next due $d429 s later (>= 120)" ||
	not_ok "429: next due $d429 s later (>= 120)"
is "500: one error in a row" "$(field "$base/500" 10) $(field "$base/500" 9)" "1 500"
is "slow server: a timeout (-3)" "$(field "$base/slow" 9)" -3
is "body over max_body: aborted (-4)" "$(field "$base/big?n=200000" 9)" -4
is "redirect to file://: refused (-5)" "$(field "$base/tofile" 9)" -5
is "connection refused (-2)" "$(field "http://127.0.0.1:1/refused" 9)" -2
like "unresolvable .invalid host: an error" \
	"$(field "http://feedfold-test.invalid/rss" 9)" '^-[0-9]+$'
n=$(ls "$tap_tmp/records" | grep -c '\.yaml$')
is "the feeds' one entry is one record" "$n" 1
like "the record holds the entry" "$(cat "$tap_tmp"/records/*.yaml)" \
	'webUrl: "http://example.com/1"'

# ---- 60 s later: nothing is due, nothing is asked --------------------------
before=$(wc -l <"$tap_tmp/req.log")
FEEDFOLD_TEST_NOW=$((T0 + 60)) run "$FEEDFOLD" once -c "$cfg"
is "60 s later: no request at all (429 included)" \
	"$rc $(( $(wc -l <"$tap_tmp/req.log") - before ))" "0 0"
like "60 s later: the summary says nothing was due" "$out" 'not due yet'

# ---- just before the Retry-After is up: still nothing for /429 ------------
FEEDFOLD_TEST_NOW=$((T0 + 119)) run "$FEEDFOLD" once -c "$cfg"
is "119 s later: /429 not asked again" "$(requests /429)" 1

# ---- two days later, a new process: everything but the retired feed -------
d500=$(( $(field "$base/500" 7) - $(field "$base/500" 6) ))
FEEDFOLD_TEST_NOW=$((T0 + 2 * 86400)) run "$FEEDFOLD" once -c "$cfg"
is "conditional GET: the stored ETag is sent verbatim" \
	"$(last_header /feed/a 3)" '"v1-a"'
is "conditional GET: 304 keeps the validators" \
	"$(field "$base/feed/a" 9) $(field "$base/feed/a" 4)" '304 "v1-a"'
is "301 survives a restart: /r301 not asked again" "$(requests /r301)" 1
is "301: the new URL is asked instead (with /r302's hop)" "$(requests /feed/moved)" 4
is "302: the old URL is asked again" "$(requests /r302)" 2
is "410: not asked again" "$(requests /gone)" 1
is "429: asked again once its delay was over" "$(requests /429)" 2
e500=$(( $(field "$base/500" 7) - $(field "$base/500" 6) ))
is "500 twice: two errors in a row" "$(field "$base/500" 10)" 2
# Jitter adds at most 10 %: doubled means at least 2/1.1 of the last delay.
[ $((e500 * 11)) -ge $((d500 * 20)) ] && ok "500 twice: the delay doubled ($d500 s, then $e500 s)" ||
	not_ok "500 twice: the delay doubled ($d500 s, then $e500 s)"
like "not modified is counted" "$out" '[1-9][0-9]* not modified'
is "no second record for the same entry" \
	"$(ls "$tap_tmp/records" | grep -c '\.yaml$')" 1

# ---- --force: everything now, still conditional ----------------------------
FEEDFOLD_TEST_NOW=$((T0 + 2 * 86400 + 60)) run "$FEEDFOLD" once --force -c "$cfg"
is "--force: /feed/a asked again at once" "$(requests /feed/a)" 3
is "--force: still conditional" "$(last_header /feed/a 3)" '"v1-a"'
is "--force: a retired feed stays retired" "$(requests /gone)" 1

# ---- every feed failing: exit 1 ---------------------------------------------
cat >"$tap_tmp/bad.yaml" <<EOF
output_dir: $tap_tmp/bad/records
state_dir: $tap_tmp/bad/state
timeout: 3s
feeds:
  - url: http://127.0.0.1:1/refused
  - url: $base/500
EOF
run "$FEEDFOLD" once -c "$tap_tmp/bad.yaml"
is "all feeds failed: exit 1" "$rc" 1
like "all feeds failed: the summary says so" "$out" '^feeds: 0 fetched, 0 not modified, 2 failed'
like "a failure is logged with its URL" "$err" "127.0.0.1:1/refused"

run "$FEEDFOLD" once -c "$tap_tmp/no-such.yaml"
is "missing config: exit 2" "$rc" 2

httpd_stop
plan "$tap_n"
done_testing
