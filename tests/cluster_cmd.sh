# tests/cluster_cmd.sh: feedfold cluster: output shape and order, story ids,
# stdin, malformed input, and quality floors on small labelled samples of
# the development sets (tests/data/stories/*-sample.*).
. "$srcdir/tests/lib.sh"

plan 25

d="$srcdir/tests/data/stories"
t="$tap_tmp"

# B-cubed F1 of PRED against GOLD (both "id<TAB>label"), as story-score.
bcubed() {
	awk -F '\t' '
	NR == FNR { g[$1] = $2; next }
	($1 in g) { p[$1] = $2 }
	END {
		for (k in g) {
			if (!(k in p)) p[k] = "missing:" k
			n[p[k] SUBSEP g[k]]++; ps[p[k]]++; gs[g[k]]++; N++
		}
		for (k in g) {
			c = n[p[k] SUBSEP g[k]]
			P += c / ps[p[k]]; R += c / gs[g[k]]
		}
		P /= N; R /= N
		printf "%.4f\n", (P + R > 0) ? 2 * P * R / (P + R) : 0
	}' "$1" "$2"
}

run "$FEEDFOLD" cluster "$d/gnews-sample.tsv"
is "gnews sample: exit 0" "$rc" 0
printf '%s\n' "$out" >"$t/gnews.pred"
is "every id once, in input order" "$(cut -f1 "$t/gnews.pred")" \
    "$(cut -f1 "$d/gnews-sample.tsv")"
is "cluster ids are 16 lower-case hex digits" \
    "$(cut -f2 "$t/gnews.pred" | grep -cvE '^[0-9a-f]{16}$')" 0
f1=$(bcubed "$d/gnews-sample.gold" "$t/gnews.pred")
like "gnews sample B-cubed F1 $f1 >= 0.88" \
    "$(awk -v f="$f1" 'BEGIN { print (f >= 0.88) ? "yes" : "no" }')" '^yes$'

run "$FEEDFOLD" cluster "$d/uci-sample.tsv"
printf '%s\n' "$out" >"$t/uci.pred"
f1=$(bcubed "$d/uci-sample.gold" "$t/uci.pred")
like "uci sample (titles only) B-cubed F1 $f1 >= 0.65" \
    "$(awk -v f="$f1" 'BEGIN { print (f >= 0.65) ? "yes" : "no" }')" '^yes$'

# A story's id is XXH3_64 of its founding item's id (the TSV has no URL).
first=$(head -n 1 "$d/gnews-sample.tsv" | cut -f1)
if command -v xxhsum >/dev/null 2>&1; then
	want=$(printf %s "$first" | xxhsum -H3 | sed 's/.* = //; s/^XXH3_//; s/ .*//')
	is "story id = XXH3 of the founding id" \
	    "$(head -n 1 "$t/gnews.pred" | cut -f2)" "$want"
else
	ok "story id = XXH3 of the founding id # SKIP no xxhsum"
fi

run "$FEEDFOLD" cluster "$d/gnews-sample.tsv"
is "the same input gives the same output" "$out" "$(cat "$t/gnews.pred")"

run sh -c "\"$FEEDFOLD\" cluster - <\"$d/gnews-sample.tsv\""
is "- reads stdin" "$out" "$(cat "$t/gnews.pred")"

sed 's/$/\r/' "$d/gnews-sample.tsv" >"$t/crlf.tsv"
run "$FEEDFOLD" cluster "$t/crlf.tsv"
is "CRLF line ends are accepted" "$out" "$(cat "$t/gnews.pred")"

# Syndicated verbatim: one story; an unrelated item: another.
w='Powerful storm knocks out power to 200,000 homes in Pacific Northwest'
x='A powerful windstorm swept through Oregon and Washington on Monday.'
{
	printf 'a1\t2024-01-15T10:00:00Z\tapnews.com\t%s\t%s\n' "$w" "$x"
	printf 'a2\t2024-01-15T10:05:00Z\twtop.com\t%s\t%s\n' "$w" "$x"
	printf 'a3\t2024-01-15T10:06:00Z\tsfgate.com\t%s\t\n' "$w"
	printf 'b1\t2024-01-15T10:07:00Z\tbbc.co.uk\tChess prodigy wins world title\n'
	printf 'a4\t2024-01-15T11:00:00Z\tstartribune.com\t%s\t%s\n' "$w" "$x"
	printf 'a5\t2024-01-15T12:00:00Z\tabcnews.go.com\t%s\t%s\n' "$w" "$x"
} >"$t/wire.tsv"
run "$FEEDFOLD" cluster "$t/wire.tsv"
is "wire story on five outlets: one story" \
    "$(printf '%s\n' "$out" | grep '^a' | cut -f2 | sort -u | wc -l | tr -d ' ')" 1
unlike "an unrelated item is not in it" \
    "$(printf '%s\n' "$out" | grep '^b1' | cut -f2)" \
    "$(printf '%s\n' "$out" | grep '^a1' | cut -f2)"

# The same headline a week later is a new story (window 72h).
{
	printf 'q1\t2024-01-15T10:00:00Z\tx.com\tMagnitude 7 earthquake strikes off coast\t\n'
	printf 'q2\t2024-01-22T10:00:00Z\tx.com\tMagnitude 7 earthquake strikes off coast\t\n'
} >"$t/week.tsv"
run "$FEEDFOLD" cluster "$t/week.tsv"
is "a week apart: two stories" \
    "$(printf '%s\n' "$out" | cut -f2 | sort -u | wc -l | tr -d ' ')" 2
run "$FEEDFOLD" cluster -w 8d "$t/week.tsv"
is "-w 8d: one story" \
    "$(printf '%s\n' "$out" | cut -f2 | sort -u | wc -l | tr -d ' ')" 1

: >"$t/empty.tsv"
run "$FEEDFOLD" cluster "$t/empty.tsv"
is "empty input: exit 0" "$rc" 0
is "empty input: no output" "$out" ""

printf 'a\t2024-01-15T10:00:00Z\tx.com\tTitle\t\nb\t2024-01-15T10:00:00Z\tx.com\n' \
    >"$t/short.tsv"
run "$FEEDFOLD" cluster "$t/short.tsv"
is "missing fields: exit 2" "$rc" 2
like "missing fields: FILE:LINE: message" "$err" "short.tsv:2: expected 5 tab-separated fields"

printf 'a\t2024-01-15 10:00:00\tx.com\tTitle\t\n' >"$t/date.tsv"
run "$FEEDFOLD" cluster "$t/date.tsv"
like "bad date: FILE:LINE: message, exit 2" "$rc $err" "^2 .*date.tsv:1: bad publishedDateTime"

printf '\t2024-01-15T10:00:00Z\tx.com\tTitle\t\n' >"$t/noid.tsv"
run "$FEEDFOLD" cluster "$t/noid.tsv"
like "empty id: exit 2" "$rc $err" "^2 .*noid.tsv:1: empty id"

printf 'a\t2024-01-15T10:00:00Z\tx.com\tT\tE\textra\n' >"$t/long.tsv"
run "$FEEDFOLD" cluster "$t/long.tsv"
like "extra fields: exit 2" "$rc $err" "^2 .*long.tsv:1: .*more than 5"

# Lines are read through a fixed buffer: an overlong one is refused.
{
	printf 'a\t2024-01-15T10:00:00Z\tx.com\tT\t\n'
	printf 'b\t2024-01-15T10:00:00Z\tx.com\t'
	head -c 1100000 /dev/zero | tr '\0' 'x'
	printf '\t\n'
} >"$t/huge.tsv"
run "$FEEDFOLD" cluster "$t/huge.tsv"
like "overlong line: FILE:LINE: message, exit 2" "$rc $err" \
    "^2 .*huge.tsv:2: line longer than"

printf 'a\t2024-01-15T10:00:00Z\tx.com\tT\t\nb\t2024-01-15T10:00:01Z\tx.com\tU' \
    >"$t/nonl.tsv"
run "$FEEDFOLD" cluster "$t/nonl.tsv"
is "a last line without newline is read" "$(printf '%s\n' "$out" | cut -f1 | tr '\n' ' ')" "a b "

run "$FEEDFOLD" cluster "$t/does-not-exist.tsv"
is "missing file: exit 1" "$rc" 1

run "$FEEDFOLD" cluster
is "no file: usage, exit 2" "$rc" 2

run "$FEEDFOLD" cluster -t 2 "$t/wire.tsv"
is "threshold out of range: exit 2" "$rc" 2

done_testing
