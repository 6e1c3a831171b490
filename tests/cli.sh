# tests/cli.sh: the command line: help, version, usage errors, exit codes.
. "$srcdir/tests/lib.sh"

plan 12

run "$FEEDFOLD" --version
is "--version exits 0" "$rc" 0
like "--version prints the version" "$out" '^feedfold [0-9]+\.[0-9]+\.[0-9]+$'

run "$FEEDFOLD" --help
is "--help exits 0" "$rc" 0
like "--help lists every command" "$(echo "$out" | grep -cE '^  (run|once|parse|cluster|check-config|import-opml|export-opml|unseal|status) ')" '^9$'

run "$FEEDFOLD"
is "no command: exit 2" "$rc" 2
like "no command: usage on stderr" "$err" '^usage: feedfold'

run "$FEEDFOLD" frobnicate
is "unknown command: exit 2" "$rc" 2
like "unknown command: named on stderr" "$err" "unknown command 'frobnicate'"

run "$FEEDFOLD" --bogus-option
is "unknown global option: exit 2" "$rc" 2

run "$FEEDFOLD" once --help
is "CMD --help exits 0" "$rc" 0
like "CMD --help prints the command's usage" "$out" '^usage: feedfold once '

run "$FEEDFOLD" check-config --no-such-option
is "unknown command option: exit 2" "$rc" 2

done_testing
