/*
 * enrich.c: article page metadata and cached images for one entry.
 *
 * A job goes through at most two fetches, one after the other: the page
 * (page_meta.c reads its head), then the image (imgsize.c reads its
 * header). Either may fail; the entry keeps what the feed said. Nothing
 * here blocks: the fetcher calls back on the loop.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "amp.h"
#include "enrich.h"
#include "fetch.h"
#include "fsutil.h"
#include "imgsize.h"
#include "log.h"
#include "page_meta.h"
#include "xmalloc.h"

#define ENRICH_PAGE_ACCEPT	"text/html,application/xhtml+xml;q=0.9," \
				"*/*;q=0.1"
#define ENRICH_IMAGE_ACCEPT	"image/avif,image/webp,image/png,image/jpeg," \
				"image/gif,image/svg+xml;q=0.9,*/*;q=0.1"

struct enricher {
	struct fetcher	*f;
	char		*dir;		/* cache_dir/images */
	uint64_t	 total;		/* bytes of the files in dir */
	uint64_t	 max;		/* images.cache_max */
	uint64_t	*seen;		/* pages fetched: open addressing */
	size_t		 nseen;
	size_t		 capseen;	/* a power of two, or 0 */
};

struct enrich_job {
	struct enricher	*en;
	struct entry	*e;
	struct enrich_opts opts;
	enrich_done_cb	*done;
	void		*arg;
	int		 changed;
};

static const char *const enrich_exts[] = {
	"png", "jpg", "gif", "webp", "avif", "heic", "svg",
};

/* Insert h; 1 if it was new. 0 is "empty", so it stands for 1. */
static int
enrich_seen_add(struct enricher *en, uint64_t h)
{
	size_t		 i, mask;
	uint64_t	*old;
	size_t		 oldcap;

	if (h == 0)
		h = 1;
	if ((en->nseen + 1) * 2 > en->capseen) {
		old = en->seen;
		oldcap = en->capseen;
		en->capseen = oldcap ? oldcap * 2 : 1024;
		en->seen = xcalloc(en->capseen, sizeof *en->seen);
		en->nseen = 0;
		for (i = 0; i < oldcap; i++) {
			if (old[i] != 0)
				enrich_seen_add(en, old[i]);
		}
		free(old);
	}
	mask = en->capseen - 1;
	for (i = (size_t)h & mask; en->seen[i] != 0; i = (i + 1) & mask) {
		if (en->seen[i] == h)
			return 0;
	}
	en->seen[i] = h;
	en->nseen++;
	return 1;
}

struct enrich_file {
	char		*name;
	int64_t		 used;		/* mtime: touched on every use */
	uint64_t	 size;
};

static int
enrich_file_cmp(const void *a, const void *b)
{
	const struct enrich_file	*x = a, *y = b;

	if (x->used != y->used)
		return x->used < y->used ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * Sum the cache; with evict, remove the least recently used files until it
 * is under nine tenths of the bound (so that eviction is not paid for on
 * every new image). Temporary files a crash left are removed too.
 */
static void
enrich_cache_scan(struct enricher *en, int evict)
{
	struct enrich_file	*files = NULL;
	struct dirent		*de;
	struct stat		 st;
	size_t			 n = 0, cap = 0, i;
	char			*path;
	DIR			*d;

	if ((d = opendir(en->dir)) == NULL)
		return;
	en->total = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", en->dir, de->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (strstr(de->d_name, ".tmp-") != NULL) {
			unlink(path);
			free(path);
			continue;
		}
		free(path);
		en->total += (uint64_t)st.st_size;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			files = xreallocarray(files, cap, sizeof *files);
		}
		files[n].name = xstrdup(de->d_name);
		files[n].used = (int64_t)st.st_mtime;
		files[n].size = (uint64_t)st.st_size;
		n++;
	}
	closedir(d);
	if (evict && en->total > en->max && n > 0) {
		qsort(files, n, sizeof *files, enrich_file_cmp);
		for (i = 0; i < n && en->total > en->max / 10 * 9; i++) {
			path = xasprintf("%s/%s", en->dir, files[i].name);
			if (unlink(path) == 0)
				en->total -= files[i].size;
			free(path);
		}
		log_info("enrich", "%s: image cache over %" PRIu64 " bytes: "
		    "%zu least recently used images removed", en->dir,
		    en->max, i);
	}
	for (i = 0; i < n; i++)
		free(files[i].name);
	free(files);
}

struct enricher *
enricher_new(struct fetcher *f, const char *cache_dir, uint64_t cache_max)
{
	struct enricher	*en;
	char		*dir;
	int		 rc;

	dir = xasprintf("%s/images", cache_dir);
	if ((rc = fs_mkdirs(dir, 0755)) != 0) {
		log_error("enrich", "%s: cannot create: %s; no enrichment",
		    dir, strerror(-rc));
		free(dir);
		return NULL;
	}
	en = xcalloc(1, sizeof *en);
	en->f = f;
	en->dir = dir;
	en->max = cache_max > 0 ? cache_max : UINT64_C(1) << 30;
	enrich_cache_scan(en, 1);
	return en;
}

void
enricher_free(struct enricher *en)
{
	if (en == NULL)
		return;
	free(en->seen);
	free(en->dir);
	free(en);
}

static void
enrich_finish(struct enrich_job *j)
{
	j->done(j->e, j->changed, j->arg);
	free(j);
}

/* Set a field the feed left empty; 1 if it changed. */
static int
enrich_fill(char **field, const char *value)
{
	if (value == NULL || *value == '\0' ||
	    (*field != NULL && **field != '\0'))
		return 0;
	entry_set(field, value);
	return 1;
}

static void
enrich_apply_page(struct enrich_job *j, const struct page_meta *m)
{
	struct entry	*e = j->e;
	char		*cdn;

	j->changed |= enrich_fill(&e->amp_url, m->amp_url);
	if (e->amp_url != NULL && e->cdn_amp_url == NULL &&
	    (cdn = amp_cache_url(e->amp_url)) != NULL) {
		entry_set(&e->cdn_amp_url, cdn);
		free(cdn);
		j->changed = 1;
	}
	/*
	 * A provider named after its domain is the normalizer's fallback,
	 * not the feed's word: the site's own name is better.
	 */
	if (e->provider_name != NULL && e->provider_domain != NULL &&
	    strcmp(e->provider_name, e->provider_domain) == 0 &&
	    m->site_name != NULL && *m->site_name != '\0') {
		entry_set(&e->provider_name, m->site_name);
		j->changed = 1;
	} else
		j->changed |= enrich_fill(&e->provider_name, m->site_name);
	j->changed |= enrich_fill(&e->excerpt, m->description);
	if (e->published == ENTRY_NO_DATE && m->published != INT64_MIN) {
		e->published = m->published;
		j->changed = 1;
	}
	if (e->nimages == 0 && m->image_url != NULL) {
		entry_add_image(e, m->image_url, m->image_width > 0 ?
		    m->image_width : ENTRY_NO_SIZE, m->image_height > 0 ?
		    m->image_height : ENTRY_NO_SIZE);
		j->changed = 1;
	}
}

/* The size from the file, which wins over what the feed said. */
static void
enrich_apply_size(struct enrich_job *j, const struct imgsize *sz)
{
	struct entry_image	*im = &j->e->images[0];

	if (sz->width > 0 && sz->height > 0 && sz->width <= INT32_MAX &&
	    sz->height <= INT32_MAX && ((int)sz->width != im->width ||
	    (int)sz->height != im->height)) {
		im->width = (int)sz->width;
		im->height = (int)sz->height;
		j->changed = 1;
	}
	if (!im->cached) {
		im->cached = 1;
		j->changed = 1;
	}
}

static char *
enrich_image_base(struct enricher *en, const char *url)
{
	return xasprintf("%s/%016" PRIx64, en->dir,
	    (uint64_t)XXH3_64bits(url, strlen(url)));
}

/* An image already in the cache: its size from the file. 0 if found. */
static int
enrich_image_cached(struct enrich_job *j, const char *base)
{
	struct imgsize	 sz;
	unsigned char	 head[IMGSIZE_SVG_SCAN];
	char		*path;
	ssize_t		 n;
	size_t		 i;
	int		 fd;

	for (i = 0; i < sizeof enrich_exts / sizeof enrich_exts[0]; i++) {
		path = xasprintf("%s.%s", base, enrich_exts[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		free(path);
		if (fd < 0)
			continue;
		n = read(fd, head, sizeof head);
		/* Used now: the last to go when the cache is trimmed. */
		futimens(fd, NULL);
		close(fd);
		if (n > 0 && imgsize_probe(head, (size_t)n, &sz) == 0) {
			enrich_apply_size(j, &sz);
			return 0;
		}
	}
	return -1;
}

/* Write the image atomically: it is "cached" only once complete. */
static int
enrich_image_store(const char *base, const char *ext, const void *data,
    size_t len)
{
	char	*path, *tmp;
	size_t	 off = 0;
	ssize_t	 n;
	int	 fd, rc = 0;

	path = xasprintf("%s.%s", base, ext);
	tmp = xasprintf("%s.tmp-XXXXXX", base);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = -errno;
		goto out;
	}
	while (off < len) {
		if ((n = write(fd, (const char *)data + off, len - off)) < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		off += (size_t)n;
	}
	if (rc == 0 && fchmod(fd, 0644) != 0)
		rc = -errno;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0)
		unlink(tmp);
out:
	if (rc != 0)
		log_warn("enrich", "%s: %s", path, strerror(-rc));
	free(tmp);
	free(path);
	return rc;
}

static void
enrich_image_done(struct fetch_result *res, void *arg)
{
	struct enrich_job	*j = arg;
	struct imgsize		 sz;
	char			*base;
	int			 rc;

	if (res->error != FETCH_OK || res->status < 200 || res->status > 299) {
		/* A refused address is worth a warning: see below. */
		log_msg(res->refused ? LOG_LEVEL_WARNING : LOG_LEVEL_INFO,
		    "enrich", "%s: image not cached: %s", res->url,
		    res->error != FETCH_OK ? res->errmsg : "HTTP error");
		enrich_finish(j);
		return;
	}
	rc = imgsize_probe(res->body.data, res->body.len, &sz);
	if (rc != 0 || sz.ext == NULL) {
		/* An HTML error page, a truncated file: not an image. */
		log_info("enrich", "%s: not an image (%s); not cached",
		    res->url, rc == IMGSIZE_NOTIMAGE ? "wrong magic bytes" :
		    "no header");
		enrich_finish(j);
		return;
	}
	base = enrich_image_base(j->en, j->e->images[0].url);
	if (enrich_image_store(base, sz.ext, res->body.data,
	    res->body.len) == 0) {
		enrich_apply_size(j, &sz);
		j->en->total += res->body.len;
		if (j->en->total > j->en->max)
			enrich_cache_scan(j->en, 1);
	}
	free(base);
	enrich_finish(j);
}

/* The second step: the entry's first image, unless it is cached. */
static void
enrich_image(struct enrich_job *j)
{
	struct fetch_req	 req;
	char			*base;
	const char		*url;

	if (!j->opts.images || j->e->nimages == 0 || j->e->images[0].cached ||
	    (url = j->e->images[0].url) == NULL ||
	    (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0)) {
		enrich_finish(j);
		return;
	}
	base = enrich_image_base(j->en, url);
	if (enrich_image_cached(j, base) == 0) {
		free(base);
		enrich_finish(j);
		return;
	}
	free(base);
	memset(&req, 0, sizeof req);
	req.url = url;
	req.max_body = j->opts.image_max;
	req.accept = ENRICH_IMAGE_ACCEPT;
	req.public_only = !j->opts.private_ok;
	if (fetcher_start(j->en->f, &req, enrich_image_done, j) != 0)
		enrich_finish(j);
}

static void
enrich_page_done(struct fetch_result *res, void *arg)
{
	struct enrich_job	*j = arg;
	struct page_meta	*m;

	/*
	 * A page over the cap is still useful: its head is in what arrived
	 * before the abort.
	 */
	if ((res->error == FETCH_OK && res->status >= 200 &&
	    res->status <= 299) || (res->error == FETCH_ERR_TOOBIG &&
	    res->body.len > 0)) {
		m = page_meta_parse(res->final_url != NULL ? res->final_url :
		    res->url, res->charset, res->body.data, res->body.len);
		enrich_apply_page(j, m);
		page_meta_free(m);
	} else if (res->error != FETCH_ERR_CANCELLED)
		/*
		 * A refused address is a warning: an operator should hear of
		 * it (an attack, or an intranet that wants the setting).
		 */
		log_msg(res->refused ? LOG_LEVEL_WARNING : LOG_LEVEL_INFO,
		    "enrich", "%s: page not read: %s", res->url,
		    res->error != FETCH_OK ? res->errmsg : "HTTP error");
	if (res->error == FETCH_ERR_CANCELLED) {
		enrich_finish(j);
		return;
	}
	enrich_image(j);
}

int
enrich_start(struct enricher *en, struct entry *e,
    const struct enrich_opts *opts, enrich_done_cb *done, void *arg)
{
	struct enrich_job	*j;
	struct fetch_req	 req;
	const char		*page;
	int			 want_page;

	page = e->original_url != NULL ? e->original_url : e->web_url;
	want_page = opts->pages && page != NULL &&
	    (strncmp(page, "http://", 7) == 0 ||
	    strncmp(page, "https://", 8) == 0) &&
	    enrich_seen_add(en, XXH3_64bits(page, strlen(page)));
	if (!want_page && !(opts->images && e->nimages > 0 &&
	    !e->images[0].cached))
		return -1;
	j = xcalloc(1, sizeof *j);
	j->en = en;
	j->e = e;
	j->opts = *opts;
	j->done = done;
	j->arg = arg;
	if (!want_page) {
		enrich_image(j);
		return 0;
	}
	memset(&req, 0, sizeof req);
	req.url = page;
	req.max_body = PAGE_META_MAX_BYTES;
	req.accept = ENRICH_PAGE_ACCEPT;
	req.public_only = !opts->private_ok;
	if (fetcher_start(en->f, &req, enrich_page_done, j) != 0)
		enrich_image(j);
	return 0;
}
