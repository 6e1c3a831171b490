# tests/check_config.sh: feedfold check-config: exit codes, the summary
# line, every error on stderr, and where the config path comes from.
. "$srcdir/tests/lib.sh"

plan 21

data="$srcdir/tests/data/config"
unset FEEDFOLD_CONFIG

run "$FEEDFOLD" check-config -c "$data/values.yaml"
is "good config: exit 0" "$rc" 0
is "good config: one summary line" "$out" \
	"$data/values.yaml: ok, 2 feeds, records in $(cd "$data" && pwd -P)/records"
is "good config: nothing on stderr" "$err" ""

run "$FEEDFOLD" check-config -c "$srcdir/etc/feedfold.yaml"
is "etc/feedfold.yaml: exit 0" "$rc" 0
like "etc/feedfold.yaml: summary" "$out" ': ok, [0-9]+ feeds, records in /.*/records$'

run "$FEEDFOLD" check-config -c "$data/opml.yaml"
is "OPML feeds are counted" "$out" \
	"$data/opml.yaml: ok, 6 feeds, records in $(cd "$data" && pwd -P)/records"

run "$FEEDFOLD" check-config -c "$data/multiple.yaml"
is "bad config: exit 2" "$rc" 2
is "bad config: nothing on stdout" "$out" ""
is "bad config: every error, then a count" \
	"$(printf '%s\n' "$err" | sed "s|^$data/||")" \
"multiple.yaml:1:1: unknown key 'bogus' (expected one of allow_private_addresses, cache_dir, concurrency, enrich, excerpt_length, feeds, images, interval, max_body, max_entries, max_interval, metrics_file, min_interval, output_dir, per_host, record_mode, secured_key_file, state_dir, stories, timeout, user_agent)
multiple.yaml:2:11: interval: expected a duration like 90s, 15m, 6h, 7d or 1h30m, got 'soon'
multiple.yaml:4:10: feeds[0].url: expected an http, https or file URL, got 'mailto:news@example.com'
multiple.yaml:5:5: feeds[1]: missing key 'url' (or 'opml')
multiple.yaml:7:15: feeds[2].interval: expected a duration like 90s, 15m, 6h, 7d or 1h30m, got '5'
multiple.yaml:8:10: feeds[3].url: duplicate feed URL 'https://example.com/feed.xml' (first at line 6)
multiple.yaml:9:11: max_body: expected a size like 512KiB, 16MiB or a number of bytes, got 'lots'
feedfold: $data/multiple.yaml: 7 errors"

run "$FEEDFOLD" check-config -c "$data/yaml_syntax.yaml"
is "YAML syntax error: exit 2" "$rc" 2
like "YAML syntax error: file:line:col" "$err" 'yaml_syntax.yaml:4:2: YAML syntax error: '

FEEDFOLD_CONFIG="$data/values.yaml" run "$FEEDFOLD" check-config
is "\$FEEDFOLD_CONFIG honoured: exit 0" "$rc" 0
like "\$FEEDFOLD_CONFIG honoured: its path" "$out" "^$data/values.yaml: ok"

FEEDFOLD_CONFIG="$data/missing_url.yaml" run "$FEEDFOLD" check-config -c "$data/values.yaml"
is "-c wins over \$FEEDFOLD_CONFIG" "$rc" 0

FEEDFOLD_CONFIG="$data/missing_url.yaml" run "$FEEDFOLD" check-config
is "\$FEEDFOLD_CONFIG bad: exit 2" "$rc" 2

run "$FEEDFOLD" check-config -c "$tap_tmp/nope.yaml"
is "missing file: exit 2" "$rc" 2
is "missing file: a clear error" "$(printf '%s\n' "$err" | head -n 1)" \
	"$tap_tmp/nope.yaml: cannot open: No such file or directory"

run "$FEEDFOLD" check-config -x
is "unknown option: exit 2" "$rc" 2
like "unknown option: usage" "$err" '^usage: feedfold check-config \[-c FILE\]'

run "$FEEDFOLD" check-config -c "$data/values.yaml" extra
is "stray argument: exit 2" "$rc" 2

# The demo config (another area's file) must pass whatever it holds.
run "$FEEDFOLD" check-config -c "$srcdir/etc/demo.yaml"
is "etc/demo.yaml: exit 0" "$rc" 0

done_testing
