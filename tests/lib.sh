# tests/lib.sh: TAP helpers for shell tests. Source it, call plan N, then
# one check per case; each prints "ok"/"not ok" with a diagnostic.
#
#   run CMD...          run a command, keeping stdout, stderr and status in
#                       $out, $err and $rc
#   is NAME GOT WANT    pass when GOT equals WANT
#   like NAME GOT PAT   pass when GOT matches the grep -E pattern PAT
#   skip NAME REASON    a case that cannot run here
#   wait_for CMD [N]    poll CMD up to N tenths of a second

: "${FEEDFOLD:=./feedfold}"
: "${srcdir:=.}"
tap_n=0
tap_failed=0
tap_tmp=$(mktemp -d "${TMPDIR:-/tmp}/feedfold-sh.XXXXXX")
trap 'rm -rf "$tap_tmp"' EXIT

plan() { echo "1..$1"; }

run() {
	"$@" >"$tap_tmp/out" 2>"$tap_tmp/err"
	rc=$?
	out=$(cat "$tap_tmp/out")
	err=$(cat "$tap_tmp/err")
}

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}

is() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2" "want: $3"; fi
}

like() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok "$1"
	else not_ok "$1" "got:  $2" "want match: $3"; fi
}

unlike() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then not_ok "$1" "got:  $2" "want no match: $3"
	else ok "$1"; fi
}

# skip NAME REASON: a case that cannot run here, counted as passed.
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# wait_for CMD [TENTHS]: poll the shell command CMD every 0.1 s until it
# succeeds, at most TENTHS times (default 100: 10 s). Never a timing
# assertion: the check after it says whether the state was reached.
wait_for() {
	i=0
	while ! eval "$1" && [ $i -lt "${2:-100}" ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

done_testing() { [ "$tap_failed" -eq 0 ]; }

# httpd_start [ARGS...]: start tests/httpd.py on 127.0.0.1 (ARGS go to it,
# e.g. --max-requests N), logging requests to $tap_tmp/req.log; sets $port,
# $base and $httpd. It stops when httpd_stop closes its stdin, or by its
# own limits. Without a server the whole test is skipped. $httpd_py picks
# the Python (default $PYTHON3).
httpd_start() {
	mkfifo "$tap_tmp/httpd.in"
	"${httpd_py:-${PYTHON3:-python3}}" "$srcdir/tests/httpd.py" \
		--log "$tap_tmp/req.log" "$@" \
		<"$tap_tmp/httpd.in" >"$tap_tmp/port" 2>"$tap_tmp/httpd.err" &
	httpd=$!
	exec 9>"$tap_tmp/httpd.in"
	# The port is the server's first line; give it at most 10 s.
	i=0
	while [ ! -s "$tap_tmp/port" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	port=$(head -1 "$tap_tmp/port")
	if [ -z "$port" ]; then
		echo "1..0 # SKIP the test server did not start: $(cat "$tap_tmp/httpd.err")"
		exit 0
	fi
	base="http://127.0.0.1:$port"
}

httpd_stop() {
	exec 9>&-
	wait "$httpd" 2>/dev/null
}
