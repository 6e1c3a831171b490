# tests/run_http.sh: feedfold run against tests/httpd.py on 127.0.0.1:
# it fetches, writes records, and stops cleanly on SIGTERM and SIGINT,
# also with a transfer still in flight, saving state and the story
# snapshot. Every wait is bounded: a loop of at most N short polls, and a
# timeout(1) that kills a feedfold that has not exited after 30 s (which
# then fails the test rather than hanging it).
. "$srcdir/tests/lib.sh"

httpd_start --max-seconds 120 --max-requests 200

# start_run CONFIG: feedfold run in the background, every feed at once.
start_run() {
	# The old log goes first: wait_for must not read the last run's lines.
	rm -f "$tap_tmp/run.out" "$tap_tmp/run.err"
	# timeout(1) kills it if it is still there after 30 s.
	FEEDFOLD_TEST_SPREAD=0 timeout -s KILL 30 "$FEEDFOLD" run -c "$1" \
		>"$tap_tmp/run.out" 2>"$tap_tmp/run.err" &
	pid=$!
}
# stop_run SIGNAL: send it and wait; sets $status.
stop_run() {
	# To feedfold itself: a background timeout(1) ignores SIGINT, and
	# would also signal its whole process group a second time.
	pkill -"$1" -P "$pid"
	wait "$pid"
	status=$?
}
records() { ls "$1" 2>/dev/null | grep -c '\.yaml$'; }

cat >"$tap_tmp/a.yaml" <<EOF
output_dir: $tap_tmp/a/records
state_dir: $tap_tmp/a/state
feeds:
  - url: $base/feed/a
  - url: $base/hold?ms=200
EOF

start_run "$tap_tmp/a.yaml"
wait_for '[ "$(awk -F "\t" "\$2 ~ /^\/(feed|hold)/" "$tap_tmp/req.log" 2>/dev/null | wc -l)" -ge 2 ] && [ "$(records "$tap_tmp/a/records")" -ge 1 ]'
is "run: both feeds fetched at start" \
	"$(awk -F '\t' '$2 ~ /^\/(feed\/a|hold)/' "$tap_tmp/req.log" | wc -l | tr -d ' ')" 2
is "run: the entry is written as one record" "$(records "$tap_tmp/a/records")" 1
stop_run TERM
is "SIGTERM: exit 0" "$status" 0
like "SIGTERM: logged" "$(cat "$tap_tmp/run.err")" 'stopping'
like "SIGTERM: the feed state is saved" \
	"$(cat "$tap_tmp/a/state/feeds.state" 2>/dev/null)" "$base/feed/a"
like "SIGTERM: the story snapshot is saved" \
	"$(head -1 "$tap_tmp/a/state/stories.snapshot" 2>/dev/null)" '^feedfold-stories 1 '
is "SIGTERM: no temporary file left" \
	"$(ls -a "$tap_tmp/a/records" "$tap_tmp/a/state" | grep -c '\.tmp')" 0

# A restart: nothing is due yet, the record stays single, SIGINT stops it.
before=$(wc -l <"$tap_tmp/req.log")
start_run "$tap_tmp/a.yaml"
wait_for 'grep -q "polling 2 feeds" "$tap_tmp/run.err"'
stop_run INT
is "SIGINT: exit 0" "$status" 0
is "restart: nothing was due, nothing asked" \
	"$(( $(wc -l <"$tap_tmp/req.log") - before ))" 0
is "restart: still one record" "$(records "$tap_tmp/a/records")" 1

# SIGTERM with a transfer in flight: the grace period, then a clean exit.
cat >"$tap_tmp/slow.yaml" <<EOF
output_dir: $tap_tmp/slow/records
state_dir: $tap_tmp/slow/state
timeout: 60s
feeds:
  - url: $base/feed/b
  - url: $base/slow
EOF
start_run "$tap_tmp/slow.yaml"
wait_for 'grep -q "/slow" "$tap_tmp/req.log" && [ "$(records "$tap_tmp/slow/records")" -ge 1 ]'
stop_run TERM
is "SIGTERM mid-transfer: exit 0" "$status" 0
like "SIGTERM mid-transfer: the slow transfer is cancelled" \
	"$(cat "$tap_tmp/run.err")" 'cancelled'
like "SIGTERM mid-transfer: the finished feed's state is saved" \
	"$(cat "$tap_tmp/slow/state/feeds.state" 2>/dev/null)" "$base/feed/b"

# SIGHUP: a new config applies without a restart; a broken one is refused.
cat >"$tap_tmp/r.yaml" <<EOF
output_dir: $tap_tmp/r/records
state_dir: $tap_tmp/r/state
feeds:
  - url: $base/feed/r1
  - url: $base/hold?ms=10
EOF
start_run "$tap_tmp/r.yaml"
wait_for 'grep -q "/hold?ms=10" "$tap_tmp/req.log" && grep -q "polling 2 feeds" "$tap_tmp/run.err"'
cat >"$tap_tmp/r.yaml" <<EOF
output_dir: $tap_tmp/r/records
state_dir: $tap_tmp/r/state
user_agent: feedfold-reload-test/1
feeds:
  - url: $base/feed/r1
  - url: $base/feed/r2
EOF
pkill -HUP -P "$pid"
wait_for 'grep -q "/feed/r2" "$tap_tmp/req.log"'
like "SIGHUP: logged with the counts" "$(cat "$tap_tmp/run.err")" \
	'reloaded: 2 feeds \(1 new, 1 removed\)'
is "SIGHUP: the new feed is fetched with the new User-Agent" \
	"$(awk -F '\t' '$2 == "/feed/r2" { print $8 }' "$tap_tmp/req.log")" \
	"feedfold-reload-test/1"
printf 'feeds: [\n' >"$tap_tmp/r.yaml"
pkill -HUP -P "$pid"
wait_for 'grep -q "reload refused" "$tap_tmp/run.err"'
like "SIGHUP with a broken config: its error is logged" \
	"$(cat "$tap_tmp/run.err")" 'r.yaml:[0-9]+:[0-9]+: YAML syntax error'
like "SIGHUP with a broken config: refused, the old one stays" \
	"$(cat "$tap_tmp/run.err")" 'reload refused, the running configuration stays'
cat >"$tap_tmp/r.yaml" <<EOF
output_dir: $tap_tmp/elsewhere
state_dir: $tap_tmp/r/state
feeds:
  - url: $base/feed/r1
EOF
pkill -HUP -P "$pid"
wait_for 'grep -q "cannot change" "$tap_tmp/run.err"'
like "SIGHUP moving output_dir: refused" "$(cat "$tap_tmp/run.err")" \
	'output_dir and state_dir cannot change while running'
if kill -0 "$pid" 2>/dev/null; then ok "after refused reloads: still running"
else not_ok "after refused reloads: still running"; fi
stop_run TERM
is "after reloads: SIGTERM exits 0" "$status" 0

httpd_stop
plan "$tap_n"
done_testing
