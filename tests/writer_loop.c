/*
 * writer_loop.c: the helper of tests/crash_write.sh.
 *
 *	writer_loop init DIR COUNT        write version 0 of COUNT records
 *	writer_loop run DIR COUNT EVERY FIRST VERSION
 *	                                  start as the daemon does (remove
 *	                                  crash leftovers), then rewrite the
 *	                                  records from record FIRST on with
 *	                                  VERSION (0 or 1), flipping versions
 *	                                  after each pass, printing
 *	                                  "progress N" after every EVERY
 *	                                  writes, until killed
 *	writer_loop start DIR             only the start: remove leftovers
 *	writer_loop check DIR COUNT       every record is version 0 or 1,
 *	                                  byte for byte, and parses
 *
 * The two versions of a record differ in title, quality and the number of
 * related items (so in length), and both are complete records.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "record.h"
#include "record_read.h"
#include "record_write.h"
#include "xmalloc.h"

/* Bounds the run if nobody kills it. */
#define WRITER_LOOP_MAX_PASSES	100

static struct record *
writer_loop_record(int i, int version, char id[RECORD_WRITE_ID_LEN + 1])
{
	struct record	*r;
	struct entry	*e;
	char		*s;
	int		 j;

	e = entry_new();
	s = xasprintf("https://example.com/story/%d", i);
	entry_set(&e->web_url, s);
	entry_set(&e->original_url, s);
	record_write_id(s, id);
	free(s);
	s = xasprintf("Story %d, version %d: \"quoted\" and long enough to "
	    "span more than one write of a small buffer", i, version);
	entry_set(&e->title, s);
	free(s);
	entry_set(&e->excerpt, "An excerpt that is the same in both versions "
	    "of the record, written as it would be by the daemon.");
	entry_set(&e->provider_name, "Example");
	entry_set(&e->provider_domain, "example.com");
	entry_add_topic(e, "Crash");
	e->published = 1705671720 + i;
	e->quality = version == 0 ? 10 : 90;
	r = record_new(e);
	for (j = 0; j < 1 + version; j++) {
		e = entry_new();
		s = xasprintf("Related %d of story %d (version %d)", j, i,
		    version);
		entry_set(&e->title, s);
		free(s);
		s = xasprintf("https://other%d.example.org/%d", j, i);
		entry_set(&e->web_url, s);
		free(s);
		entry_set(&e->type, "article");
		e->quality = j;
		record_add_related(r, e);
	}
	return r;
}

static int
writer_loop_write(const char *dir, int i, int version)
{
	struct record_write_opts opts;
	struct record	*r;
	struct errbuf	 err;
	char		 id[RECORD_WRITE_ID_LEN + 1];
	int		 error;

	r = writer_loop_record(i, version, id);
	record_write_opts_init(&opts);
	/* A process kill, not a power cut: rename is what must hold. */
	opts.fsync = 0;
	opts.fsync_dir = 0;
	if ((error = record_write_file(dir, id, r, &opts, &err)) != 0)
		fprintf(stderr, "writer_loop: %s\n", err.msg);
	record_free(r);
	return error;
}

/* The whole file (records here are 1-3 KiB); NULL on error or if over 64 KiB. */
static char *
writer_loop_slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*text;
	size_t	 max = 64 * 1024;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	text = xmalloc(max);
	*len = fread(text, 1, max, f);
	if (ferror(f) || *len == max) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

static int
writer_loop_check(const char *dir, int count)
{
	struct record	*r, *back;
	struct errbuf	 err;
	struct buf	 want;
	char		 id[RECORD_WRITE_ID_LEN + 1], *path, *text;
	int		 i, v, bad = 0, seen[2] = { 0, 0 };
	size_t		 len;

	buf_init(&want, RECORD_WRITE_MAX);
	for (i = 0; i < count; i++) {
		r = writer_loop_record(i, 0, id);
		record_free(r);
		path = xasprintf("%s/%s.yaml", dir, id);
		text = NULL;
		if (record_read_file(path, &back, &err) != 0) {
			fprintf(stderr, "record %d: %s\n", i, err.msg);
			bad++;
			goto next;
		}
		record_free(back);
		if ((text = writer_loop_slurp(path, &len)) == NULL) {
			fprintf(stderr, "record %d: cannot read\n", i);
			bad++;
			goto next;
		}
		for (v = 0; v < 2; v++) {
			r = writer_loop_record(i, v, id);
			buf_reset(&want);
			record_write_emit(r, &want);
			record_free(r);
			if (want.len == len &&
			    memcmp(want.data, text, len) == 0)
				break;
		}
		if (v == 2) {
			fprintf(stderr, "record %d: neither version\n", i);
			bad++;
		} else
			seen[v]++;
next:
		free(text);
		free(path);
	}
	buf_free(&want);
	printf("version 0: %d, version 1: %d, bad: %d\n", seen[0], seen[1],
	    bad);
	return bad == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct errbuf	 err;
	int		 count = 0, every = 1, i, j, pass, n, writes = 0;
	int		 first, version;

	log_init(LOG_LEVEL_WARNING);
	if (argc < 3)
		goto usage;
	if (argc > 3)
		count = atoi(argv[3]);
	if (argc > 4)
		every = atoi(argv[4]);
	if (every < 1)
		every = 1;

	if (strcmp(argv[1], "init") == 0 && argc == 4) {
		for (i = 0; i < count; i++) {
			if (writer_loop_write(argv[2], i, 0) != 0)
				return 1;
		}
		return 0;
	}
	if (strcmp(argv[1], "check") == 0 && argc == 4)
		return writer_loop_check(argv[2], count);
	if ((strcmp(argv[1], "start") == 0 && argc == 3) ||
	    (strcmp(argv[1], "run") == 0 && argc == 7)) {
		if ((n = record_write_cleanup(argv[2], &err)) < 0) {
			fprintf(stderr, "writer_loop: %s\n", err.msg);
			return 1;
		}
		printf("removed %d\n", n);
		fflush(stdout);
		if (argv[1][0] == 's')
			return 0;
		first = atoi(argv[5]);
		version = atoi(argv[6]) % 2;
		if (count < 1 || first < 0 || first >= count)
			goto usage;
		for (pass = 0; pass < WRITER_LOOP_MAX_PASSES; pass++) {
			for (j = 0; j < count; j++) {
				i = (first + j) % count;
				if (writer_loop_write(argv[2], i,
				    (version + pass) % 2) != 0)
					return 1;
				if (++writes % every == 0) {
					printf("progress %d\n", writes);
					fflush(stdout);
				}
			}
		}
		return 0;
	}
usage:
	fprintf(stderr, "usage: writer_loop init|start|check DIR [COUNT]\n"
	    "       writer_loop run DIR COUNT EVERY FIRST VERSION\n");
	return 2;
}
