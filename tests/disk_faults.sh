# tests/disk_faults.sh: a full record folder, a read-only one, a corrupted
# state file and a record a consumer broke. Each gets a clear log line;
# nothing already written is lost or changed; feedfold recovers once the
# fault is gone. The record folder is a small tmpfs mounted by the test
# (skipped where mounting is not allowed); feeds are file:// files that
# the test edits, so there is no server.
. "$srcdir/tests/lib.sh"

skip_all() { echo "1..0 # SKIP $1"; exit 0; }
dump=${RECORD_DUMP:-./tests/record_dump}

mnt="$tap_tmp/mnt"
mkdir -p "$mnt"
mount -t tmpfs -o size=512k,mode=0755 feedfold-test "$mnt" 2>/dev/null ||
	skip_all "cannot mount a tmpfs here (needs root in a mount namespace)"
cleanup() { umount "$mnt" 2>/dev/null; rm -rf "$tap_tmp"; }
trap cleanup EXIT

mkdir -p "$tap_tmp/feeds"
# feed N K: an RSS file with items 1..K of feed N, each its own story.
feed() {
	{
		echo '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
		k=1
		while [ $k -le "$2" ]; do
			echo "<item><title>Item$1x$k quorx$1y$k zembla$1z$k</title>"
			echo "<link>https://disk.example/$1/$k</link>"
			# Words no other item has: every item stays its own story.
			echo "<description>$(for j in $(seq 1 40); do printf 'pad%sx%sy%s ' "$1" "$k" "$j"; done)</description></item>"
			k=$((k + 1))
		done
		echo '</channel></rss>'
	} >"$tap_tmp/feeds/$1.xml"
}
feed a 3
feed b 3
cat >"$tap_tmp/feedfold.yaml" <<EOF
output_dir: $mnt/records
state_dir: $tap_tmp/state
feeds:
  - url: file:feeds/a.xml
  - url: file:feeds/b.xml
EOF
once() { run "$FEEDFOLD" once --force -c "$tap_tmp/feedfold.yaml"; }
snapshot() { (cd "$mnt/records" && ls | grep '\.yaml$' | sort | xargs md5sum); }
# unchanged SNAPSHOT: the files of an earlier snapshot, byte for byte.
unchanged() { (cd "$mnt/records" && printf '%s\n' "$1" | md5sum -c --quiet 2>&1); }
urls() { ls "$mnt"/records/*.yaml 2>/dev/null | xargs -r "$dump" | cut -f2 | sort; }

once
is "a first run writes the records" "$rc $(urls | wc -l | tr -d ' ')" "0 6"
before=$(snapshot)

# ---- the record folder fills up ---------------------------------------------
dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null
feed a 40
# And one more item of a story that has a record already: it joins it,
# and its record cannot be written either.
sed -i 's|</channel>|<item><title>Itemax1 quorxay1 zemblaaz1 again</title><link>https://disk.example/a/1-again</link></item></channel>|' "$tap_tmp/feeds/a.xml"
once
is "disk full: once says so (exit 1)" "$rc" 1
like "disk full: a clear error with the file and the reason" "$err" \
	'write: .*records.*No space left on device'
like "disk full: the summary counts the failures" "$out" 'FAILED'
is "disk full: the records already written are unchanged" "$(unchanged "$before")" ""
is "disk full: no temporary file left behind" \
	"$(ls -a "$mnt/records" | grep -c 'tmp')" 0
like "disk full: the feed's validators are dropped, to fetch it in full again" \
	"$err" 'fetched in full again'
rm -f "$mnt/filler"
once
is "space again: exit 0" "$rc" 0
is "space again: every entry is recorded, none lost" "$(urls | wc -l | tr -d ' ')" 44
like "space again: the member that joined a recorded story is in its record" \
	"$(urls)" 'disk.example/a/1-again'

is "space again: none twice" "$(urls | uniq -d | head -3)" ""

# ---- full while run runs: the record is retried, not lost --------------------
# run keeps the entries it could not write in memory, so a re-fetch is a
# repeat; the story is written again at the next commit once there is room.
cat >"$tap_tmp/run.yaml" <<EOF
output_dir: $mnt/records
state_dir: $tap_tmp/state
interval: 1s
min_interval: 1s
max_interval: 1s
feeds:
  - url: file:feeds/a.xml
  - url: file:feeds/b.xml
EOF
FEEDFOLD_TEST_SPREAD=0 timeout -s KILL 60 "$FEEDFOLD" run -c "$tap_tmp/run.yaml" \
	2>"$tap_tmp/run.err" &
pid=$!
wait_for 'grep -q "polling 2 feeds" "$tap_tmp/run.err"' 150
dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null
sed -i 's|</channel>|<item><title>Runfull quorxrun zemblarun</title><link>https://disk.example/a/run-full</link></item></channel>|' "$tap_tmp/feeds/a.xml"
wait_for 'grep -q "No space left" "$tap_tmp/run.err"' 150
like "run, disk full: the failure is logged" "$(cat "$tap_tmp/run.err")" 'No space left on device'
rm -f "$mnt/filler"
wait_for 'urls | grep -q run-full' 150
like "run, space again: the entry is written without a restart" "$(urls)" 'a/run-full'
pkill -TERM -P "$pid"
wait "$pid"
is "run: SIGTERM exits 0 after the fault" "$?" 0

# ---- the record folder is read-only -----------------------------------------
before=$(snapshot)
mount -o remount,ro "$mnt"
feed b 5
once
is "read-only folder: exit 1" "$rc" 1
like "read-only folder: a clear error" "$err" 'Read-only file system'
is "read-only folder: nothing already written changed" "$(unchanged "$before")$(snapshot | wc -l)" "$(printf '%s\n' "$before" | wc -l)"
mount -o remount,rw "$mnt"
once
is "writable again: the new entries are recorded" \
	"$rc $(urls | grep -c 'disk.example/b/')" "0 5"

# ---- the feed state is corrupted on disk ------------------------------------
printf 'feedfold-state 2\nF\tgarbage\n\001\002\377 not a state line\n' \
	>"$tap_tmp/state/feeds.state"
once
is "corrupted state: exit 0" "$rc" 0
like "corrupted state: one clear warning" "$err" 'feeds.state'
is "corrupted state: no entry recorded twice" "$(urls | uniq -d | head -3)" ""
like "corrupted state: rewritten whole" "$(head -1 "$tap_tmp/state/feeds.state")" '^feedfold-state '

# ---- a consumer breaks a record ---------------------------------------------
victim=$(grep -l 'disk.example/a/1"' "$mnt"/records/*.yaml | head -1)
printf 'title: [unclosed\n\t- : :\n' >"$victim"
# A new item of that story: the record is rewritten, the broken one kept.
sed -i 's|</channel>|<item><title>Itemax1 quorxay1 zemblaaz1 update</title><link>https://disk.example/a/1-update</link></item></channel>|' "$tap_tmp/feeds/a.xml"
once
is "a broken record: exit 0" "$rc" 0
corrupt=$(ls "$mnt/records" | grep -c '\.corrupt-')
is "a broken record: moved aside as .corrupt-<time>, not overwritten" "$corrupt" 1
like "a broken record: a warning names it" "$err" "$(basename "$victim")"
is "every record parses" "$(ls "$mnt"/records/*.yaml | xargs "$dump" | grep -c '^BAD')" 0

plan "$tap_n"
done_testing
