/*
 * story.h: the story store the daemon keeps between fetches.
 *
 * Every entry the normalizer makes goes through story_add(). An exact
 * duplicate (the same canonical webUrl, or the same GUID within one feed)
 * updates the member it repeats and never adds one; anything else goes to
 * the clusterer (cluster.h), which says which story it joins or whether it
 * founds one. The store keeps a copy of every member, so that it can build
 * the story's record (story_record) whenever the story changes, and the
 * keys that recognise repeats. A story idle for longer than stories.window
 * is closed: its members and keys leave memory, its file stays.
 *
 * A story's id is its record's file name: 16 lower-case hex digits of
 * XXH3_64 of the founding entry's webUrl (record_write_id). It never
 * changes; when two stories converge and merge, the older one's id lives
 * on and story_add() reports the younger's as retired.
 *
 * Restart (story_restore): the records in the output folder are the truth.
 * Every record whose newest member is inside the window is read back and
 * its members re-enter the clusterer under the record's id, so the next
 * entry of a known story joins it instead of making a second file. A
 * snapshot (story_snapshot_save) adds what the records cannot say: the
 * dedupe keys of members the related cap left out of the file, and GUIDs,
 * which records do not carry. A missing, stale (saved before the window) or
 * corrupt snapshot is ignored; only stories that still have a record are
 * taken from it.
 */
#ifndef FEEDFOLD_STORY_H
#define FEEDFOLD_STORY_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "errbuf.h"
#include "record.h"

/* Members whose entries a story keeps; past it only their keys are kept. */
#define STORY_MEMBERS_MAX	1000
/* A snapshot larger than this is refused as corrupt. */
#define STORY_SNAPSHOT_MAX	(256 * 1024 * 1024)

enum story_change {
	STORY_UNCHANGED,	/* an exact repeat with nothing new */
	STORY_UPDATED,		/* a new member, or a member changed */
	STORY_NEW,		/* the entry founded a story */
};

struct story_result {
	enum story_change change;
	int		 duplicate;	/* the entry repeated a known member */
	char		 id[17];	/* the story (its record's name) */
	/* Non-empty: a story merged into this one; its record is obsolete. */
	char		 retired[17];
};

struct story_stats {
	size_t		 stories;	/* open */
	size_t		 entries;	/* members kept, all open stories */
	size_t		 bytes;		/* memory held, clusterer included */
	size_t		 cluster_bytes;	/* of which the clusterer's */
};

/* The defaults of config's `stories:` keys (window, threshold, ...). */
void		 story_defaults(struct config_stories *);

/* A new store; cfg NULL means story_defaults(). Caller owns it. */
struct story_store *story_store_new(const struct config_stories *cfg);
void		 story_store_free(struct story_store *);

/*
 * Add an entry (the store keeps a copy; e stays the caller's). Its time is
 * e->published, else e->fetched, else the newest time seen. Fills res and
 * returns 0; -EINVAL for an entry with neither webUrl nor GUID and no
 * title (nothing to recognise or cluster it by).
 */
int		 story_add(struct story_store *, const struct entry *e,
		    struct story_result *res);

/*
 * The record of an open story, ready for record_write_file(): the primary
 * (stories.primary), then up to max_related others, best quality first,
 * newest first among equals. NULL when no open story has that id. The
 * caller owns the record.
 */
struct record	*story_record(const struct story_store *, const char *id);

/* Close the stories idle past the window at time now. */
void		 story_expire(struct story_store *, int64_t now);
/* Nonzero while the story with that id is open. */
int		 story_is_open(const struct story_store *, const char *id);
/* Members (kept entries and remembered keys) of an open story; -1 if none. */
long		 story_members(const struct story_store *, const char *id);
void		 story_get_stats(const struct story_store *, struct story_stats *);

/*
 * Write the snapshot atomically to path (temporary file, fsync, rename).
 * Returns 0 or a negative errno with the reason in errbuf.
 */
int		 story_snapshot_save(const struct story_store *, const char *path,
		    int64_t now, struct errbuf *);
/*
 * The time a snapshot was saved with (its header), without loading it: the
 * daemon saves the newest entry time it has seen there, so that a restart
 * measures the window on the data's clock. -1 when the file is missing or
 * has no valid header (the checksum is checked by story_restore only).
 */
int64_t		 story_snapshot_time(const char *path);
/*
 * Rebuild a fresh store after a restart from the records in records_dir
 * and, if snapshot is not NULL, the snapshot there (see the top of this
 * file). Unreadable records are skipped with a warning. Returns the number
 * of stories restored, or a negative errno when records_dir cannot be
 * read, with the reason in errbuf.
 */
int		 story_restore(struct story_store *, const char *records_dir,
		    const char *snapshot, int64_t now, struct errbuf *);

#endif
