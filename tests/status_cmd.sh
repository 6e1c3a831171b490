# tests/status_cmd.sh: feedfold status: the table from a hand-made state
# file (tests/data/status), --failing, feeds that left the config, a
# version 1 state file, and the exit codes. No network.
. "$srcdir/tests/lib.sh"

plan 22

data="$srcdir/tests/data/status"
unset FEEDFOLD_CONFIG
# 2024-01-15T10:00:00Z: the state's times are around it.
FEEDFOLD_TEST_NOW=1705312800
export FEEDFOLD_TEST_NOW

run "$FEEDFOLD" status -c "$data/feedfold.yaml"
is "status: exit 0" "$rc" 0
is "status: the table" "$out" "$(cat "$data/expected.txt")"
is "status: nothing on stderr" "$err" ""
like "a 200: ok, next due relative and absolute" "$out" \
	'^https://a\.example/feed\.xml +200 +2024-01-15T09:48:00Z +2024-01-15T09:48:00Z +in 12m \(2024-01-15T10:12:00Z\) +0 +no$'
like "a fetch error by name, its streak, the last success before it" "$out" \
	'^https://c\.example/atom +timeout +2024-01-14T08:00:00Z +2024-01-15T08:00:00Z +in 6h .* 3 +no$'
like "410: retired, never due" "$out" '^https://d\.example/gone +410 .* never +0 +yes$'
like "a configured feed with no state yet" "$out" '^https://e\.example/new\.xml( +-){6}$'
is "a feed that left the config comes after the configured ones, marked" \
	"$(printf '%s\n' "$out" | grep -A1 '^not in the configuration' | tail -n 1 | cut -c1-24)" \
	"https://old.example/feed"
like "the summary" "$out" \
	'^5 feeds configured: 2 ok, 1 failing, 1 retired, 1 not fetched yet; 1 more in the state$'

run "$FEEDFOLD" status --failing -c "$data/feedfold.yaml"
is "--failing: exit 0" "$rc" 0
is "--failing: the table" "$out" "$(cat "$data/expected-failing.txt")"
is "--failing: only streaks and retired feeds" \
	"$(printf '%s\n' "$out" | grep -o '^https://[a-z.]*' | tr '\n' ' ')" \
	"https://c.example https://d.example https://old.example "

# The same feeds from a version 1 state file (13 fields, no last_success).
mkdir -p "$tap_tmp/v1/state"
cp "$data/feedfold.yaml" "$tap_tmp/v1/"
awk -F '\t' -v OFS='\t' 'NR == 1 { $0 = "feedfold-state 1" }
	$1 == "F" { NF = 13 } { print }' "$data/state/feeds.state" \
	>"$tap_tmp/v1/state/feeds.state"
run "$FEEDFOLD" status -c "$tap_tmp/v1/feedfold.yaml"
is "version 1 state: exit 0" "$rc" 0
is "version 1 state: no complaint" "$err" ""
like "version 1 state: a feed whose last fetch worked succeeded then" "$out" \
	'^https://b\.example/rss +304 +2024-01-15T09:00:00Z +2024-01-15T09:00:00Z'
like "version 1 state: a failing feed's last success is not known" "$out" \
	'^https://c\.example/atom +timeout +- +2024-01-15T08:00:00Z'

# Nothing has run yet.
mkdir -p "$tap_tmp/fresh"
printf 'output_dir: records\nstate_dir: state\nfeeds:\n  - url: https://a.example/\n' \
	>"$tap_tmp/fresh/feedfold.yaml"
run "$FEEDFOLD" status -c "$tap_tmp/fresh/feedfold.yaml"
is "no state yet: exit 1" "$rc" 1
like "no state yet: said so" "$err" 'no feed state yet: .*/state/feeds\.state does not exist'
is "no state yet: nothing on stdout" "$out" ""

run "$FEEDFOLD" status -c "$tap_tmp/nope.yaml"
is "missing config: exit 2" "$rc" 2

run "$FEEDFOLD" status -c "$data/feedfold.yaml" extra
is "stray argument: exit 2" "$rc" 2
like "stray argument: usage" "$err" '^usage: feedfold status \[-c FILE\] \[--failing\]'

done_testing
