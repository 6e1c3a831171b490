# tests/crash_write.sh: SIGKILL a process that is rewriting 2,000 records,
# 20 times at random moments. After every kill each record file must be
# one of its two complete versions, and the next start must remove every
# temporary file the kill left.
#
# No sleeps: the helper (tests/writer_loop) reports progress on a pipe, and
# the kill comes after a random number of progress lines (a seeded
# generator, so a failure can be replayed with CRASH_SEED).
. "$srcdir/tests/lib.sh"

: "${WRITER_LOOP:=./tests/writer_loop}"
: "${CRASH_SEED:=20240119}"
records=2000
rounds=20
every=10

plan $((1 + 3 * rounds + 1))
echo "# seed $CRASH_SEED"

# The records go on a tmpfs when there is one: the property is the same on
# any file system, and ext4 pushes every rename-over-a-file to the disk,
# which would make 20 rounds take half a minute.
dir="$tap_tmp/records"
if [ -z "${CRASH_DIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	CRASH_DIR=$(mktemp -d /dev/shm/feedfold-crash.XXXXXX) || CRASH_DIR=
	[ -n "$CRASH_DIR" ] && trap 'rm -rf "$tap_tmp" "$CRASH_DIR"' EXIT
fi
[ -n "${CRASH_DIR:-}" ] && dir="$CRASH_DIR/records"
mkdir "$dir"
echo "# records in $dir"
run "$WRITER_LOOP" init "$dir" "$records"
is "2000 records written" "$rc" 0

seed=$CRASH_SEED
rand() {
	seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))
}

leftovers=0
r=1
while [ "$r" -le "$rounds" ]; do
	fifo="$tap_tmp/progress"
	mkfifo "$fifo"
	rand
	first=$(( (seed / 65536) % records ))
	rand
	version=$(( (seed / 65536) % 2 ))
	"$WRITER_LOOP" run "$dir" "$records" "$every" "$first" "$version" \
	    >"$fifo" 2>"$tap_tmp/run.err" &
	pid=$!
	exec 3<"$fifo"
	# Skip the start line, then wait for 1 to 100 progress lines: the
	# kill lands anywhere in the first 1,000 writes from a random record
	# on, mid-write or not.
	read -r line <&3
	rand
	want=$(( (seed / 65536) % 100 + 1 ))
	n=0
	while [ "$n" -lt "$want" ] && read -r line <&3; do
		n=$((n + 1))
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	exec 3<&-
	rm -f "$fifo"
	is "round $r: killed after $n progress lines" "$n" "$want"

	left=$(ls -A "$dir" | grep -c '\.yaml\.tmp-')
	leftovers=$((leftovers + left))
	run "$WRITER_LOOP" check "$dir" "$records"
	is "round $r: every record is the old or the new version ($out)" "$rc" 0
	[ "$rc" -eq 0 ] || printf '%s\n' "$err" | head -5 | sed 's/^/# /'

	run "$WRITER_LOOP" start "$dir"
	is "round $r: no temporary file after the next start ($left before)" \
	    "$(ls -A "$dir" | grep -c '\.yaml\.tmp-')" 0
	r=$((r + 1))
done

echo "# temporary files left by the kills: $leftovers"
is "no stray files: 2000 records and nothing else" \
    "$(ls -A "$dir" | wc -l | tr -d ' ')" "$records"

done_testing
