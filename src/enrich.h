/*
 * enrich.h: what feeds rarely say, from the article page and the image.
 *
 * For one entry, after its story's record is first written: fetch the
 * article page (its first PAGE_META_MAX_BYTES, through the same fetcher,
 * so per-host limits and politeness apply) and take from its head the AMP
 * URL (and from it the AMP cache URL), an og:image with its size, the site
 * name, a description and a date where the feed had none; then download
 * the entry's first image into the image cache, read its real width and
 * height from the file's header, and mark it cached once the file is
 * complete on disk. The caller gets the entry back and folds it into its
 * story as an update.
 *
 * Each article page is fetched once per process; each image once ever (the
 * cache is keyed by the XXH3 of its URL: cache_dir/images/<16 hex>.<ext>).
 */
#ifndef FEEDFOLD_ENRICH_H
#define FEEDFOLD_ENRICH_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct fetcher;
struct enricher;

struct enrich_opts {
	int		 pages;		/* fetch the article page */
	int		 images;	/* cache the first image */
	size_t		 image_max;	/* bytes an image may have */
	int		 private_ok;	/* pages and images may be at non-public
					   addresses (fetch_addr_public) */
};

/*
 * Called once per enrich_start(), on the loop, with the entry (the
 * caller's again) and whether anything in it changed.
 */
typedef void enrich_done_cb(struct entry *, int changed, void *arg);

/*
 * An enricher that fetches with f (borrowed) and keeps images under
 * cache_dir/images, which it creates, within cache_max bytes: past that
 * the least recently used images go (a file's mtime is its last use). NULL,
 * logged, when that folder cannot be made.
 */
struct enricher	*enricher_new(struct fetcher *, const char *cache_dir,
		    uint64_t cache_max);
void		 enricher_free(struct enricher *);
/*
 * Enrich e (owned by the enricher until done is called, which may happen
 * before enrich_start returns when no fetch is needed after all). Returns
 * 0, or -1 when there is nothing to do (nothing asked, no http(s) URL, the
 * page seen before and no image to cache): then done is not called and e
 * stays the caller's.
 */
int		 enrich_start(struct enricher *, struct entry *,
		    const struct enrich_opts *, enrich_done_cb *, void *arg);

#endif
