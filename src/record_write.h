/*
 * record_write.h: records to YAML files, in the seed's exact layout.
 *
 * The layout (key order, quoting, blank lines) is that of
 * tests/data/records/seed.yaml and docs/record-format.md. Scalars are
 * emitted through libyaml. Files are written atomically (temporary file in
 * the same folder, fsync, rename, fsync of the folder), and a rewrite keeps
 * the `published` flag that the consumer may have flipped in the file.
 */
#ifndef FEEDFOLD_RECORD_WRITE_H
#define FEEDFOLD_RECORD_WRITE_H

#include "buf.h"
#include "errbuf.h"
#include "record.h"

struct seal_key;

/* The largest record text emitted; the same as record_read's cap. */
#define RECORD_WRITE_MAX	(16 * 1024 * 1024)

/* Length of a record id: 16 lower-case hex digits. */
#define RECORD_WRITE_ID_LEN	16

/* record_write_file() returns this when opts->how said UPDATE and the file
 * is gone (the consumer deleted it). */
#define RECORD_WRITE_SKIPPED	1

enum record_write_how {
	/*
	 * The story is new or has changed (new member, new title, ...): the
	 * file is written whether it exists or not, so a record the consumer
	 * deleted comes back when its story changes.
	 */
	RECORD_WRITE_CREATE,
	/*
	 * A refresh that a reader would not call news: the file is rewritten
	 * only if it is still there; a deleted record stays deleted.
	 */
	RECORD_WRITE_UPDATE,
};

struct record_write_opts {
	unsigned int	 mode;		/* record_mode, e.g. 0644; umask not applied */
	int		 fsync;		/* fsync the file before the rename */
	/*
	 * fsync the folder after the rename, making the rename itself
	 * durable. A caller writing a batch may set it to 0 and call
	 * record_write_sync() once after the batch (and before it commits
	 * anything that depends on the records, such as feed state): one
	 * folder fsync instead of one per file.
	 */
	int		 fsync_dir;
	enum record_write_how how;
	/*
	 * Non-NULL: seal the primary's provenance with this key into a fresh
	 * `secured` value (new IV) instead of writing the record's own.
	 */
	const struct seal_key *key;
};

/* Defaults: mode 0644, both fsyncs on, CREATE, no key. */
void	 record_write_opts_init(struct record_write_opts *);

/*
 * Append the whole text of the record, from its opening "---" line to its
 * closing "---" line, to out. Keys whose values are unknown (NULL or empty
 * strings, ENTRY_NO_DATE, ENTRY_NO_SIZE, empty lists) are left out. Strings
 * that are not valid UTF-8 are repaired: each invalid byte becomes U+FFFD.
 * Returns 0, or a negative code when out's cap is reached (out then holds
 * a partial text the caller must discard).
 */
int	 record_write_emit(const struct record *, struct buf *out);
/*
 * Append the YAML text of one string value as a record writes it: plain
 * where YAML reads it back as that string (quoted = 0), else and always
 * with quoted = 1 double-quoted. slow = 1 takes libyaml's answer every
 * time, skipping the fast path and the cache, so that tests and the fuzz
 * target can check the fast path gives the same bytes.
 */
int	 record_write_scalar(const char *s, int quoted, int slow,
	    struct buf *out);

/*
 * The record id of a story: 16 lower-case hex digits of XXH3_64bits of the
 * founding entry's webUrl, NUL-terminated in out.
 */
void	 record_write_id(const char *web_url, char out[RECORD_WRITE_ID_LEN + 1]);

/*
 * Write dir/ID.yaml atomically. If the file exists and parses, its
 * `published` value is kept; if it exists and no longer parses, it is moved
 * aside as ID.yaml.corrupt-<unix time> with a warning. Returns 0 when
 * written, RECORD_WRITE_SKIPPED (see enum record_write_how), or a negative
 * errno with the reason in errbuf; on failure the old file is untouched
 * and no temporary file is left. opts may be NULL for the defaults.
 */
int	 record_write_file(const char *dir, const char *id,
	    const struct record *, const struct record_write_opts *,
	    struct errbuf *);

/*
 * fsync the folder: makes every rename done in it so far durable. Returns 0
 * or a negative errno with the reason in errbuf.
 */
int	 record_write_sync(const char *dir, struct errbuf *);

/*
 * Remove the temporary files (".ID.yaml.tmp-XXXXXX") a crash left in dir.
 * Call at start, before any writer runs. Returns how many were removed, or
 * a negative errno with the reason in errbuf.
 */
int	 record_write_cleanup(const char *dir, struct errbuf *);

#endif
