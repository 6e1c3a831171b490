/*
 * record_read.h: record files back into struct record.
 *
 * The writer reads an existing file before rewriting it (to keep the
 * consumer's `published`), and the daemon reads its record folder to
 * rebuild the story index after a restart. Files are parsed with libyaml;
 * anything hostile or hand-edited that does not fit the record format of
 * docs/record-format.md is an error with "name:line:col: message", never a
 * crash. Unknown keys are ignored, so that consumers may add their own.
 */
#ifndef FEEDFOLD_RECORD_READ_H
#define FEEDFOLD_RECORD_READ_H

#include <stddef.h>

#include "errbuf.h"
#include "record.h"

/* Files larger than this are refused (-EFBIG) before anything is read. */
#define RECORD_READ_MAX		(16 * 1024 * 1024)

/*
 * Parse a record from memory; name is used in messages. On success *out is
 * a new record owned by the caller (record_free) and 0 is returned. On
 * failure *out is NULL and the return is -EBADMSG (not YAML, or not a
 * record) or -EFBIG (len over RECORD_READ_MAX), with the reason in errbuf.
 */
int	 record_read_mem(const char *data, size_t len, const char *name,
	    struct record **out, struct errbuf *);

/*
 * Read and parse a record file. Returns as record_read_mem(), or -ENOENT
 * when the file does not exist, or another negative errno when it cannot
 * be read.
 */
int	 record_read_file(const char *path, struct record **out,
	    struct errbuf *);

#endif
