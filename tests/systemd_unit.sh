# tests/systemd_unit.sh: the systemd unit as make builds and installs it:
# the installed tree of `make install DESTDIR=...` (binary, unit, config,
# man pages), the unit's paths pointing into that tree, and
# `systemd-analyze verify` and the `systemd-analyze security` exposure
# when systemd-analyze is there.
. "$srcdir/tests/lib.sh"

plan 15

builddir=$(cd "$(dirname "$FEEDFOLD")" && pwd)
unit="$builddir/systemd/feedfold.service"
root="$tap_tmp/root"

is "the unit is built" "$(test -f "$unit" && echo yes)" yes
is "no placeholder is left in it" "$(grep -c '@[a-z_]*@' "$unit")" 0

# The sub-make must not join make check's job server (or its -j).
run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -C "$builddir" \
	install DESTDIR="$root"
is "make install DESTDIR=... succeeds" "$rc" 0
[ "$rc" -eq 0 ] || printf '%s\n' "$err" | tail -5 | sed 's/^/# /'

( cd "$root" && find . -type f -o -type l ) | sed 's|^\./|/|' | sort \
	>"$tap_tmp/installed"
installed=$(cat "$tap_tmp/installed")
like "installed: the binary" "$installed" '/bin/feedfold$'
like "installed: the unit" "$installed" '/systemd/system/feedfold\.service$'
like "installed: the example config" "$installed" '/feedfold/feedfold\.yaml$'
like "installed: feedfold(1)" "$installed" '/man1/feedfold\.1$'
like "installed: feedfold.yaml(5)" "$installed" '/man5/feedfold\.yaml\.5$'
like "installed: feedfold-record(5)" "$installed" '/man5/feedfold-record\.5$'

# The unit names the binary and the config where make install put them.
exec_line=$(grep '^ExecStart=' "$unit")
bin=$(printf '%s\n' "$exec_line" | sed 's/^ExecStart=\([^ ]*\) .*/\1/')
conf=$(printf '%s\n' "$exec_line" | sed 's/.* -c \([^ ]*\).*/\1/')
is "ExecStart runs the installed binary" \
	"$(test -x "$root$bin" && echo "$bin")" "$bin"
is "ExecStart reads the installed config" \
	"$(test -f "$root$conf" && echo "$conf")" "$conf"

if ! command -v systemd-analyze >/dev/null 2>&1; then
	why="systemd-analyze not installed (Debian package systemd)"
	skip "systemd-analyze verify" "$why"
	skip "systemd-analyze verify, the systemd < 253 variant" "$why"
	skip "systemd-analyze security exposure <= 2.0" "$why"
	skip "systemd-analyze security: hardening options understood" "$why"
	done_testing
	exit
fi
version=$(systemd-analyze --version | sed -n 's/^systemd \([0-9]*\).*/\1/p')

# verify checks that ExecStart= is executable: point it at the installed
# copy. It checks Documentation= with man(1), which may not be set up
# here; tests/man.sh checks the pages.
mkdir "$tap_tmp/unit" "$tap_tmp/old"
sed "s|^ExecStart=$bin|ExecStart=$root$bin|" "$unit" \
	>"$tap_tmp/unit/feedfold.service"
run systemd-analyze verify --man=no "$tap_tmp/unit/feedfold.service"
# systemd before 253 does not know notify-reload: that one line is
# expected there, and the variant for those versions is checked next.
if [ "${version:-0}" -lt 253 ]; then
	err=$(printf '%s\n' "$err" | grep -v 'Failed to parse service type, ignoring: notify-reload')
fi
is "systemd-analyze verify (systemd ${version:-?}): no complaint" "$rc:$err" "0:"

sed -e 's|^Type=notify-reload|#&|' -e 's|^#Type=notify$|Type=notify|' \
	-e 's|^#ExecReload=|ExecReload=|' \
	"$tap_tmp/unit/feedfold.service" >"$tap_tmp/old/feedfold.service"
run systemd-analyze verify --man=no "$tap_tmp/old/feedfold.service"
is "systemd-analyze verify, the systemd < 253 variant" "$rc:$err" "0:"

run systemd-analyze security --offline=yes "$tap_tmp/old/feedfold.service"
if [ "$rc" -ne 0 ]; then
	skip "systemd-analyze security exposure <= 2.0" \
		"systemd ${version:-?} has no security --offline"
	skip "systemd-analyze security: hardening options understood" \
		"systemd ${version:-?} has no security --offline"
else
	score=$(printf '%s\n' "$out" |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	echo "# systemd-analyze security --offline=yes: exposure $score"
	is "systemd-analyze security exposure <= 2.0 (got $score)" \
		"$(awk -v s="$score" 'BEGIN { print (s != "" && s <= 2.0) ? "yes" : "no" }')" yes
	unlike "systemd-analyze security: hardening options understood" \
		"$err" 'Unknown|Failed to parse'
fi

done_testing
