# tests/sigkill.sh: SIGKILL at any moment loses nothing and duplicates
# nothing. feedfold run polls 200 feeds on tests/httpd.py that keep
# publishing (a new item every 3 s each); it is killed with SIGKILL at a
# random moment 50 times and restarted each time; a last `once --force`
# reads every feed once more. Then:
#  - every record file parses (read back by the daemon's own reader);
#  - no entry appears twice across records (so no story has two files);
#  - no temporary file is left in the record or state folder;
#  - every item the server published to feedfold is in some record.
# FEEDFOLD_SIGKILL_FEEDS and FEEDFOLD_SIGKILL_ROUNDS make it smaller or
# larger; the kill moments come from a seeded generator (FEEDFOLD_SIGKILL_SEED)
# and are printed, so a failure can be replayed.
. "$srcdir/tests/lib.sh"

feeds=${FEEDFOLD_SIGKILL_FEEDS:-200}
rounds=${FEEDFOLD_SIGKILL_ROUNDS:-50}
seed=${FEEDFOLD_SIGKILL_SEED:-$$}
dump=${RECORD_DUMP:-./tests/record_dump}

httpd_start --max-seconds 900 --max-requests 200000

{
	echo "output_dir: $tap_tmp/records"
	echo "state_dir: $tap_tmp/state"
	echo "interval: 1s"
	echo "min_interval: 1s"
	echo "max_interval: 2s"
	echo "concurrency: 50"
	echo "per_host: 50"
	echo "timeout: 30s"
	echo "feeds:"
	n=0
	while [ $n -lt "$feeds" ]; do
		echo "  - url: $base/pub/$n?period=3"
		n=$((n + 1))
	done
} >"$tap_tmp/feedfold.yaml"

# The kill moments: 50 ms to 1.5 s after each start, from the seed.
awk -v seed="$seed" -v n="$rounds" 'BEGIN { srand(seed);
	for (i = 0; i < n; i++) printf "%.2f\n", 0.05 + rand() * 1.45 }' \
	>"$tap_tmp/moments"
echo "# seed $seed: kill moments $(tr '\n' ' ' <"$tap_tmp/moments")"

killed=0
while read -r moment; do
	FEEDFOLD_TEST_SPREAD=0 "$FEEDFOLD" -q run -c "$tap_tmp/feedfold.yaml" \
		2>>"$tap_tmp/run.err" &
	pid=$!
	sleep "$moment"
	if kill -9 "$pid" 2>/dev/null; then
		killed=$((killed + 1))
		wait "$pid" 2>/dev/null
	else
		# It ended by itself: say how, for the failure below.
		wait "$pid" 2>/dev/null
		echo "# a run ended before its kill, status $?: $(tail -3 "$tap_tmp/run.err" | tr '\n' ' ')"
	fi
done <"$tap_tmp/moments"
is "killed with SIGKILL at random moments, restarted each time" "$killed" "$rounds"
unlike "no error logged by the runs" "$(grep -v 'temporary files left by a crash' "$tap_tmp/run.err" | grep -i 'error' | head -3)" '.'

# The server stops publishing; then once --force reads every feed again
# until each has answered (a loaded machine may time some out: an item
# the server sent into a transfer that timed out was never received).
get() { "${PYTHON3:-python3}" -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())' "$1"; }
get "$base/pubfreeze" >/dev/null
tries=0
while [ $tries -lt 5 ]; do
	tries=$((tries + 1))
	run "$FEEDFOLD" -q once --force -c "$tap_tmp/feedfold.yaml"
	unanswered=$(awk -F '\t' '$1 == "F" && $9 != 200' "$tap_tmp/state/feeds.state" | wc -l)
	[ "$unanswered" -eq 0 ] && break
	echo "# once --force $tries: $unanswered feeds did not answer; again"
done
is "a last once --force: exit 0, every feed answered" "$rc $unanswered" "0 0"
get "$base/pubstats" >"$tap_tmp/pubstats"
httpd_stop

ls "$tap_tmp/records" | grep '\.yaml$' | sed "s|^|$tap_tmp/records/|" \
	>"$tap_tmp/files"
nrec=$(wc -l <"$tap_tmp/files" | tr -d ' ')
xargs "$dump" <"$tap_tmp/files" >"$tap_tmp/entries"
is "every one of the $nrec record files parses" \
	"$(grep -c '^BAD' "$tap_tmp/entries")" 0
cut -f2 "$tap_tmp/entries" | grep -v '^BAD' | sort >"$tap_tmp/urls"
is "no entry appears in two records (no story has two files)" \
	"$(uniq -d "$tap_tmp/urls" | head -3)" ""
is "no temporary file left" \
	"$(ls -a "$tap_tmp/records" "$tap_tmp/state" | grep -c -e '\.tmp' -e 'tmp-')" 0
# Every item 0..k of feed n that the server served must be recorded.
awk -F '\t' '{ for (k = 0; k <= $2; k++) printf "http://pub.example/%d/%d\n", $1, k }' \
	"$tap_tmp/pubstats" | sort >"$tap_tmp/published"
npub=$(wc -l <"$tap_tmp/published" | tr -d ' ')
like "the server published to all $feeds feeds" \
	"$(wc -l <"$tap_tmp/pubstats" | tr -d ' ')" "^$feeds\$"
missing=$(sort -u "$tap_tmp/urls" | comm -23 "$tap_tmp/published" - | head -5 | tr '\n' ' ')
is "every one of the $npub published items is in a record" "$missing" ""
if [ -n "$missing" ]; then
	# What the daemon logged, and the state of the first feed concerned.
	n=$(printf '%s' "$missing" | sed 's|http://pub.example/\([0-9]*\)/.*|\1|')
	echo "# state of feed $n: $(grep -F "/pub/$n?" "$tap_tmp/state/feeds.state")"
	echo "# log: $(tail -5 "$tap_tmp/run.err" | tr '\n' ' ')"
fi

plan "$tap_n"
done_testing
