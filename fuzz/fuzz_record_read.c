/*
 * fuzz_record_read.c: libFuzzer target for record_read_mem().
 *
 * Any input must be read without a crash, a leak or undefined behaviour.
 * An input that reads as a record must also survive the writer's round
 * trip: emit it, read the text back, emit again, and get the same bytes.
 * The input is also used as raw strings (a title, a name, a topic) of a
 * record, valid UTF-8 or not: the writer must emit them (repairing bad
 * UTF-8), and the text must read back and emit the same way again. And
 * the writer's fast path for a string must give libyaml's very bytes, in
 * the plain and in the double-quoted style.
 *
 *	./configure CC=clang --enable-fuzzing && make fuzz/fuzz_record_read
 *	fuzz/fuzz_record_read -max_len=65536 CORPUS tests/data/records
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "record.h"
#include "record_read.h"
#include "record_write.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* emit(r) reads back, and emit(read(emit(r))) is the same text. */
static void
fuzz_roundtrip(const struct record *r)
{
	struct record	*again;
	struct errbuf	 err;
	struct buf	 a, b;

	buf_init(&a, RECORD_WRITE_MAX);
	buf_init(&b, RECORD_WRITE_MAX);
	/* Inputs are far below the cap: emission must not fail. */
	if (record_write_emit(r, &a) != 0) {
		fprintf(stderr, "emission failed\n");
		abort();
	}
	if (record_read_mem(a.data, a.len, "emitted", &again, &err) != 0) {
		fprintf(stderr, "emitted record does not read back: %s\n%s",
		    err.msg, buf_str(&a));
		abort();
	}
	if (record_write_emit(again, &b) != 0 || a.len != b.len ||
	    memcmp(a.data, b.data, a.len) != 0) {
		fprintf(stderr, "emit(read(emit(r))) differs:\n%s\n---\n%s",
		    buf_str(&a), buf_str(&b));
		abort();
	}
	record_free(again);
	buf_free(&a);
	buf_free(&b);
}

/* record_write_scalar()'s fast path is libyaml's answer. */
static void
fuzz_fast_path(const char *s)
{
	struct buf	 fast, slow;
	int		 quoted, ef, es;

	buf_init(&fast, RECORD_WRITE_MAX);
	buf_init(&slow, RECORD_WRITE_MAX);
	for (quoted = 0; quoted < 2; quoted++) {
		buf_reset(&fast);
		buf_reset(&slow);
		ef = record_write_scalar(s, quoted, 0, &fast);
		es = record_write_scalar(s, quoted, 1, &slow);
		if (ef != es || fast.len != slow.len ||
		    memcmp(fast.data, slow.data, fast.len) != 0) {
			fprintf(stderr, "fast path differs (quoted %d): "
			    "%d [%s] vs %d [%s]\n", quoted, ef,
			    buf_str(&fast), es, buf_str(&slow));
			abort();
		}
	}
	buf_free(&fast);
	buf_free(&slow);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record	*r;
	struct entry	*e;
	char		*s;

	if (record_read_mem((const char *)data, size, "fuzz", &r, NULL) == 0) {
		fuzz_roundtrip(r);
		record_free(r);
	}

	if (size > 4096)
		return 0;
	s = strndup((const char *)data, size);
	if (s == NULL)
		return 0;
	fuzz_fast_path(s);
	e = entry_new();
	entry_set(&e->title, s);
	entry_set(&e->provider_name, s);
	entry_add_topic(e, s);
	r = record_new(e);
	e = entry_new();
	entry_set(&e->excerpt, s);
	entry_set(&e->type, s);
	record_add_related(r, e);
	fuzz_roundtrip(r);
	record_free(r);
	free(s);
	return 0;
}
