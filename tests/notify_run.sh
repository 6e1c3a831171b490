# tests/notify_run.sh: feedfold run as systemd sees it. A test listener on
# $NOTIFY_SOCKET records every datagram; feedfold must send, in order:
# READY=1 with STATUS=, WATCHDOG=1 at half of $WATCHDOG_USEC, RELOADING=1
# with MONOTONIC_USEC= then READY=1 around a SIGHUP (also one whose config
# is broken, which leaves it running), and STOPPING=1 on SIGTERM, exiting
# 0. It also writes metrics_file, which promtool accepts when installed.
# Every wait is a bounded poll; timeout(1) kills a feedfold stuck > 30 s.
. "$srcdir/tests/lib.sh"

py=${PYTHON3:-python3}

# The listener: one line per assignment, "<monotonic seconds> VAR=value".
cat >"$tap_tmp/listen.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(60)
out = open(sys.argv[2], "a")
print("ready", flush=True)
while True:
    try:
        d = s.recv(65536)
    except socket.timeout:
        break
    for line in d.decode().split("\n"):
        out.write("%.3f %s\n" % (time.monotonic(), line))
    out.flush()
EOF
"$py" "$tap_tmp/listen.py" "$tap_tmp/notify.sock" "$tap_tmp/notify.log" \
	>"$tap_tmp/listen.out" 2>&1 &
listener=$!
i=0
while ! grep -q ready "$tap_tmp/listen.out" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done

sent() { grep -c "^[0-9.]* $1" "$tap_tmp/notify.log" 2>/dev/null || true; }

mkdir -p "$tap_tmp/feeds"
cat >"$tap_tmp/feeds/a.xml" <<'EOF'
<?xml version="1.0"?>
<rss version="2.0"><channel><title>A</title>
<item><title>Volcano erupts in Iceland</title><link>https://a.example/1</link></item>
</channel></rss>
EOF
write_config() {
	cat >"$tap_tmp/feedfold.yaml" <<EOF
output_dir: $tap_tmp/records
state_dir: $tap_tmp/state
metrics_file: $tap_tmp/feedfold.prom
feeds:
  - url: file:feeds/a.xml
$1
EOF
}
write_config ""

NOTIFY_SOCKET="$tap_tmp/notify.sock" WATCHDOG_USEC=1000000 \
	FEEDFOLD_TEST_SPREAD=0 timeout -s KILL 30 "$FEEDFOLD" run \
	-c "$tap_tmp/feedfold.yaml" >"$tap_tmp/run.out" 2>"$tap_tmp/run.err" &
pid=$!
wait_for '[ "$(sent WATCHDOG=1)" -ge 3 ] && [ -s "$tap_tmp/feedfold.prom" ]'

first=$(awk '{ print $2 }' "$tap_tmp/notify.log" | grep -m1 -E '^(READY|STATUS|WATCHDOG)')
like "READY=1 comes first, with STATUS=" \
	"$(awk '{ $1 = ""; print }' "$tap_tmp/notify.log" | head -2 | tr '\n' ' ')" \
	'STATUS=1 feeds, .*READY=1'
is "no WATCHDOG=1 before READY=1" "${first%%=*}" STATUS
# Pings every 500 ms: a gap as long as WATCHDOG_USEC would get us killed.
gap=$(awk '$2 == "WATCHDOG=1" { if (t) { g = $1 - t; if (g > m) m = g } t = $1 }
	END { printf "%d", m * 1000 }' "$tap_tmp/notify.log")
if [ "$(sent WATCHDOG=1)" -ge 3 ] && [ "$gap" -lt 1000 ] && [ "$gap" -ge 250 ]; then
	ok "WATCHDOG=1 at half of WATCHDOG_USEC (largest gap $gap ms)"
else
	not_ok "WATCHDOG=1 at half of WATCHDOG_USEC (largest gap $gap ms)" \
		"$(sent WATCHDOG=1) pings"
fi

# A good reload: RELOADING=1 with MONOTONIC_USEC, then READY=1.
write_config "  - url: file:feeds/b.xml"
cp "$tap_tmp/feeds/a.xml" "$tap_tmp/feeds/b.xml"
pkill -HUP -P "$pid"
wait_for '[ "$(sent READY=1)" -ge 2 ]'
like "SIGHUP: RELOADING=1, MONOTONIC_USEC=, then READY=1" \
	"$(awk '$2 !~ /^(WATCHDOG|STATUS)/ { print $2 }' "$tap_tmp/notify.log" | tr '\n' ' ')" \
	'^READY=1 RELOADING=1 MONOTONIC_USEC=[0-9]+ READY=1 $'

# A broken one: refused, logged, still running, still READY=1 after.
printf 'feeds: [\n' >"$tap_tmp/feedfold.yaml"
pkill -HUP -P "$pid"
wait_for '[ "$(sent READY=1)" -ge 3 ]'
is "broken config: RELOADING=1 then READY=1 again" \
	"$(sent RELOADING=1) $(sent READY=1)" "2 3"
like "broken config: its error is logged" "$(cat "$tap_tmp/run.err")" \
	'feedfold.yaml:[0-9]+:[0-9]+: YAML syntax error'
if kill -0 "$pid" 2>/dev/null; then ok "broken config: still running"
else not_ok "broken config: still running"; fi

pkill -TERM -P "$pid"
wait "$pid"
is "SIGTERM: exit 0" "$?" 0
is "SIGTERM: STOPPING=1 is the last message but pings" \
	"$(awk '$2 != "WATCHDOG=1" && $2 !~ /^STATUS=/ { v = $2 } END { print v }' "$tap_tmp/notify.log")" \
	STOPPING=1

like "metrics_file is written, counting the fetches (last write at exit)" "$(cat "$tap_tmp/feedfold.prom")" \
	'^feedfold_fetches_total\{result="ok"\} [2-9]$'
if command -v promtool >/dev/null 2>&1; then
	run promtool check metrics <"$tap_tmp/feedfold.prom"
	is "promtool check metrics accepts it" "$rc" 0
else
	skip "promtool check metrics accepts it" "promtool not installed (Debian package prometheus)"
fi

kill "$listener" 2>/dev/null
wait "$listener" 2>/dev/null
plan "$tap_n"
done_testing
