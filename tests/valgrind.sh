# tests/valgrind.sh: feedfold under valgrind's memcheck, which finds what
# the sanitizer build does not: reads of uninitialised memory (ASan has no
# such check), and leaks in the build that users run. Each run must end
# with no memory error and no definite or indirect leak, and `once` and
# `run` with their event loop closed (uv_loop_close() == 0: no "the loop
# still had handles at exit" line):
#
#   - `once` over every parser fixture (tests/data/feeds/*.xml) as
#     file:// feeds, then `once --force` again (state, story snapshot and
#     records read back), then `parse` over the same files in both output
#     formats;
#   - `once` over HTTP against tests/httpd.py: plain, compressed,
#     redirected, refused, failing and hostile answers, with enrichment
#     and the image cache on (regression: an image that outlasted the
#     last feed left `once` unclosed, its handles open and no story
#     snapshot saved);
#   - `run`, stopped by SIGTERM once its records are written.
#
# Skipped without valgrind, and in a sanitizer build (ASan and valgrind
# cannot share a process). The server stops after 120 s or 200 requests.
. "$srcdir/tests/lib.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	skip "feedfold under valgrind" "valgrind is not installed"
	plan "$tap_n"
	exit 0
fi
if grep -q __asan_init "$FEEDFOLD"; then
	skip "feedfold under valgrind" "an AddressSanitizer build"
	plan "$tap_n"
	exit 0
fi

# glibc's loader compares strings 8 bytes at a time and so reads past the
# end of a short strdup()ed RPATH (is_dst, dl-load.c) when libxml2's iconv
# dlopen()s a gconv module for a fixture's encoding: memcheck reports it
# in every program that does so, and it is not ours.
cat >"$tap_tmp/vg.supp" <<'EOF'
{
   glibc-rtld-is_dst-reads-8-bytes-at-a-time
   Memcheck:Addr8
   fun:strncmp
   fun:is_dst
}
{
   glibc-rtld-is_dst-reads-8-bytes-at-a-time-without-debug-symbols
   Memcheck:Addr8
   obj:*/ld-linux-x86-64.so.2
   obj:*/ld-linux-x86-64.so.2
}
EOF
vgopts="--error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite,indirect --suppressions=$tap_tmp/vg.supp"

# vg NAME CMD...: run CMD under memcheck (its report in vg.NAME.log),
# setting $rc, $out and $err like run.
vg() {
	name=$1
	shift
	run timeout -s KILL 300 valgrind $vgopts \
		--log-file="$tap_tmp/vg.$name.log" "$@"
}
# vg_check NAME LOG [STATUS]: the checks every run gets; STATUS (default
# 0) is a grep -E pattern. Leaks of those kinds count as errors too, and
# make valgrind exit 99.
vg_check() {
	log="$tap_tmp/vg.$2.log"
	like "$1: exit status ${3:-0} (valgrind's on an error is 99)" "$rc" \
		"^(${3:-0})\$"
	like "$1: no memory errors" "$(grep 'ERROR SUMMARY' "$log" | tail -1)" \
		'ERROR SUMMARY: 0 errors'
	is "$1: no definite or indirect leaks" \
		"$(grep -E '(definitely|indirectly) lost: [1-9]' "$log")" ""
	unlike "$1: the pipeline and the event loop closed cleanly" "$err" \
		'freed while running|the loop still had handles at exit'
	grep -q 'ERROR SUMMARY: 0 errors' "$log" ||
		sed 's/^/# /' "$log" | head -80
}

# 1 and 2: every parser fixture, as file:// feeds.
{
	echo "output_dir: $tap_tmp/f/records"
	echo "state_dir: $tap_tmp/f/state"
	echo "feeds:"
	for f in "$srcdir"/tests/data/feeds/*.xml; do
		echo "  - url: file://$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"
	done
} >"$tap_tmp/files.yaml"
nfix=$(grep -c 'url: file://' "$tap_tmp/files.yaml")
vg fixtures "$FEEDFOLD" once -c "$tap_tmp/files.yaml"
vg_check "once, $nfix fixtures" fixtures
like "once, $nfix fixtures: records written" "$out" 'records: [1-9][0-9]* written'
vg refetch "$FEEDFOLD" once --force -c "$tap_tmp/files.yaml"
vg_check "once --force, read back" refetch
# The same fixtures through `parse`, both output formats; some are not
# feeds, hence 1.
vg parse "$FEEDFOLD" parse "$srcdir"/tests/data/feeds/*.xml
vg_check "parse, $nfix fixtures" parse '0|1'
vg tsv "$FEEDFOLD" parse --format tsv "$srcdir"/tests/data/feeds/*.xml
vg_check "parse --format tsv, $nfix fixtures" tsv '0|1'

# 3. HTTP: the answers of tests/httpd.py that take a different path.
httpd_start --max-seconds 120 --max-requests 200
cat >"$tap_tmp/http.yaml" <<EOF
output_dir: $tap_tmp/h/records
state_dir: $tap_tmp/h/state
cache_dir: $tap_tmp/h/cache
timeout: 10s
max_body: 1MiB
enrich: true
allow_private_addresses: true
images:
  cache: true
feeds:
  - url: $base/feed/good
  - url: $base/gzip
  - url: $base/deflate
  - url: $base/chain
  - url: $base/loop
  - url: $base/tofile
  - url: $base/gone
  - url: $base/429
  - url: $base/500
  - url: $base/truncated
  - url: $base/bigheader
  - url: $base/laughs
  - url: $base/xxe
  - url: $base/gzbomb
  - url: $base/garbage
  - url: $base/sameguid
  - url: $base/dates
  - url: $base/enrichfeed
  - url: $base/nothing-here
EOF
FEEDFOLD_TEST_NOW= vg http "$FEEDFOLD" once -c "$tap_tmp/http.yaml"
vg_check "once over HTTP" http
like "once over HTTP: records written" "$out" 'records: [1-9][0-9]* written'

# 4. run, then SIGTERM.
cat >"$tap_tmp/run.yaml" <<EOF
output_dir: $tap_tmp/r/records
state_dir: $tap_tmp/r/state
feeds:
  - url: $base/feed/run
  - url: $base/sameguid
EOF
FEEDFOLD_TEST_SPREAD=0 timeout -s KILL 120 valgrind $vgopts \
	--log-file="$tap_tmp/vg.run.log" "$FEEDFOLD" run -c "$tap_tmp/run.yaml" \
	>"$tap_tmp/run.out" 2>"$tap_tmp/run.err" &
pid=$!
wait_for '[ -s "$tap_tmp/r/state/feeds.state" ]' 600
# To valgrind's process itself, not to timeout(1).
pkill -TERM -P "$pid"
wait "$pid"
rc=$?
err=$(cat "$tap_tmp/run.err")
vg_check "run, SIGTERM" run
like "run, SIGTERM: stopped cleanly" "$err" 'stopped: [0-9]+ fetches'

httpd_stop
plan "$tap_n"
done_testing
