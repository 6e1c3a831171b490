# tests/unseal.sh: feedfold unseal: the key from --key or the config,
# wrong keys, damaged fields, refused key files, exit codes.
. "$srcdir/tests/lib.sh"

plan 25

# sealed.yaml was sealed with sealed.key (the bytes 0x00..0x1f as hex). The
# tree's copy of the key is readable by all, which unseal refuses: the test
# uses a private copy.
rec="$srcdir/tests/data/records/sealed.yaml"
key="$tap_tmp/key"
cp "$srcdir/tests/data/records/sealed.key" "$key"
chmod 600 "$key"

want='feedfold-provenance 1
feed: https://example.com/feed.xml
entry: urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66
fetched: 2024-01-19T14:00:05Z
hash: feedf01d00c0ffee
check: f5f850994d7dfe1c'

run "$FEEDFOLD" unseal --key "$key" "$rec"
is "--key: exit 0" "$rc" 0
is "--key: the provenance document" "$out" "$want"
is "--key: nothing on stderr" "$err" ""

run "$FEEDFOLD" unseal "$rec" -k "$key"
is "-k after the file: exit 0" "$rc" 0
is "-k after the file: the document" "$out" "$want"

# The key named by the configuration, relative to its folder.
mkdir "$tap_tmp/etc"
cp "$key" "$tap_tmp/etc/secured.key"
printf 'secured_key_file: secured.key\nfeeds: []\n' >"$tap_tmp/etc/feedfold.yaml"
run "$FEEDFOLD" unseal -c "$tap_tmp/etc/feedfold.yaml" "$rec"
is "config key: exit 0" "$rc" 0
is "config key: the document" "$out" "$want"
FEEDFOLD_CONFIG="$tap_tmp/etc/feedfold.yaml" run "$FEEDFOLD" unseal "$rec"
is "\$FEEDFOLD_CONFIG key: exit 0" "$rc" 0

# A wrong key is a clear failure, never garbage on stdout.
printf '%064d\n' 0 >"$tap_tmp/wrong"
chmod 600 "$tap_tmp/wrong"
run "$FEEDFOLD" unseal --key "$tap_tmp/wrong" "$rec"
is "wrong key: exit 1" "$rc" 1
like "wrong key: said so" "$err" "sealed.yaml: wrong key or damaged secured field"
is "wrong key: nothing on stdout" "$out" ""

# The seed's field was sealed with someone else's key.
run "$FEEDFOLD" unseal --key "$key" "$srcdir/tests/data/records/seed.yaml"
is "seed with our key: exit 1" "$rc" 1

# Damaged fields: a changed character, a cut IV.
sed 's/secured: "x/secured: "y/' "$rec" >"$tap_tmp/damaged.yaml"
run "$FEEDFOLD" unseal --key "$key" "$tap_tmp/damaged.yaml"
is "damaged ciphertext: exit 1" "$rc" 1
like "damaged ciphertext: said so" "$err" "wrong key or damaged"
sed 's/==";/";/; s/=="$/"/' "$rec" >"$tap_tmp/cut.yaml"
run "$FEEDFOLD" unseal --key "$key" "$tap_tmp/cut.yaml"
is "cut IV: exit 1" "$rc" 1
like "cut IV: said so" "$err" "damaged secured field"

# A record without the field; a file that is not a record.
grep -v '^secured' "$rec" >"$tap_tmp/plain.yaml"
run "$FEEDFOLD" unseal --key "$key" "$tap_tmp/plain.yaml"
is "no secured: exit 1" "$rc" 1
like "no secured: said so" "$err" "plain.yaml: no secured field"
run "$FEEDFOLD" unseal --key "$key" "$tap_tmp/missing.yaml"
is "missing record: exit 1" "$rc" 1

# Key files others can read are refused before anything is decrypted.
chmod 644 "$key"
run "$FEEDFOLD" unseal --key "$key" "$rec"
is "readable key: exit 2" "$rc" 2
like "readable key: said so" "$err" "group or others \(mode 0644\)"
chmod 600 "$key"
printf 'short' >"$tap_tmp/short"
chmod 600 "$tap_tmp/short"
run "$FEEDFOLD" unseal --key "$tap_tmp/short" "$rec"
like "short key: wrong size" "$err" "wrong size \(5 bytes\)"

# No key anywhere; usage.
printf 'feeds: []\n' >"$tap_tmp/etc/nokey.yaml"
run "$FEEDFOLD" unseal -c "$tap_tmp/etc/nokey.yaml" "$rec"
is "no key configured: exit 2" "$rc" 2
run "$FEEDFOLD" unseal
is "no file: exit 2" "$rc" 2
like "no file: usage" "$err" "^usage: feedfold unseal"

done_testing
