# tests/man.sh: the manual pages render without a warning (groff -ww, and
# mandoc -T lint when it is installed), and they keep up with the code:
# every command of `feedfold --help` is in feedfold(1), every key the
# configuration loader knows is in feedfold.yaml(5).
. "$srcdir/tests/lib.sh"

pages="feedfold.1 feedfold.yaml.5 feedfold-record.5"
plan 8

for p in $pages; do
	if command -v groff >/dev/null 2>&1; then
		run groff -man -ww -z "$srcdir/docs/$p"
		is "$p: groff -man -ww: no warning" "$rc:$err" "0:"
	else
		skip "$p: groff -man -ww" \
			"groff not installed (Debian package groff-base)"
	fi
	if command -v mandoc >/dev/null 2>&1; then
		run mandoc -T lint -W warning "$srcdir/docs/$p"
		is "$p: mandoc -T lint: no warning" "$rc:$out$err" "0:"
	else
		skip "$p: mandoc -T lint" "mandoc not installed (Debian package mandoc)"
	fi
done

# A command is documented by a tag line ".B name ..." in COMMANDS.
run "$FEEDFOLD" --help
missing=""
for c in $(printf '%s\n' "$out" |
    sed -n '/^commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p'); do
	man=$(printf '%s' "$c" | sed 's/-/\\\\-/g')
	grep -q "^\.B $man\( \|$\)" "$srcdir/docs/feedfold.1" ||
		missing="$missing $c"
done
is "feedfold(1) documents every command of feedfold --help" "$missing" ""

# The loader lists the keys it knows when it meets one it does not.
cat >"$tap_tmp/keys.yaml" <<'EOF'
zzzzzzzzzz: 1
stories:
  zzzzzzzzzz: 1
images:
  zzzzzzzzzz: 1
feeds:
  - url: https://a.example/
    zzzzzzzzzz: 1
EOF
run "$FEEDFOLD" check-config -c "$tap_tmp/keys.yaml"
keys=$(printf '%s\n' "$err" | sed -n 's/.*(expected one of \(.*\))$/\1/p' |
	tr -d ',' | tr ' ' '\n' | sort -u)
missing=""
[ -n "$keys" ] || missing="(no key list in: $err)"
for k in $keys; do
	grep -q "^\.BR\{0,1\} $k\( \|$\)" "$srcdir/docs/feedfold.yaml.5" ||
		missing="$missing $k"
done
is "feedfold.yaml(5) documents every key the loader knows ($(echo $keys | wc -w) keys)" \
	"$missing" ""

done_testing
