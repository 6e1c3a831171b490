/*
 * config.h: the validated, read-only configuration.
 *
 * config_load() reads the YAML file described in etc/feedfold.yaml and
 * docs/configuration.md with libyaml, expands `opml:` entries, resolves relative
 * paths against the config file's folder, and either returns a complete
 * struct config or reports every error it found as "file:line:col: message".
 * Nothing else in feedfold reads the configuration file.
 */
#ifndef FEEDFOLD_CONFIG_H
#define FEEDFOLD_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_DEFAULT_PATH	"/etc/feedfold/feedfold.yaml"

/* Unset per-feed overrides. */
#define CONFIG_UNSET		(-1)

enum config_primary {
	CONFIG_PRIMARY_FIRST,		/* the founding entry */
	CONFIG_PRIMARY_QUALITY,		/* the best-quality entry */
};

struct config_feed {
	char		*url;		/* absolute: http(s), or file:///... with
					   relative paths resolved against
					   the config (or OPML) folder */
	char		*name;		/* provider name override, or NULL */
	char		*category;	/* or NULL */
	char		**topics;
	size_t		 ntopics;
	char		*type;		/* "article", "video", "audio" or NULL */
	int64_t		 interval;	/* seconds, or CONFIG_UNSET */
	int		 quality;	/* feed weight 0..100, or CONFIG_UNSET */
	int		 enrich;	/* 0, 1, or CONFIG_UNSET */
	/*
	 * Where the feed was defined, for messages: the config file and its
	 * url: value, or for a feed from an `opml:` entry the OPML file and
	 * the line where its <outline> start tag ends (col 1).
	 */
	char		*file;
	int		 line;
	int		 col;
};

struct config_stories {
	int64_t		 window;	/* seconds */
	double		 threshold;
	int		 max_related;
	enum config_primary primary;
};

struct config_images {
	int		 cache;
	uint64_t	 max_bytes;	/* one image */
	uint64_t	 cache_max;	/* the whole image cache */
};

struct config {
	char		*path;		/* the file loaded, or NULL for defaults */
	char		*dir;		/* its folder: base of relative paths */
	char		*output_dir;	/* absolute after loading */
	char		*state_dir;
	char		*cache_dir;
	char		*user_agent;
	int		 concurrency;
	int		 per_host;
	int64_t		 interval;	/* seconds */
	int64_t		 min_interval;
	int64_t		 max_interval;
	int64_t		 timeout;
	uint64_t	 max_body;	/* bytes */
	int		 max_entries;	/* kept of one fetch, in document
					   order */
	int		 excerpt_length; /* characters */
	unsigned int	 record_mode;
	char		*metrics_file;	/* NULL: off */
	char		*secured_key_file; /* NULL: no `secured` */
	struct config_stories stories;
	struct config_images images;
	int		 enrich;
	/*
	 * Enrichment may fetch pages and images at loopback, private and
	 * other non-public addresses (fetch_addr_public); feeds always may.
	 */
	int		 allow_private_addresses;
	struct config_feed *feeds;
	size_t		 nfeeds;
};

/* Called once per error, in file order, with "file:line:col: message". */
typedef void config_error_cb(void *arg, const char *message);

/*
 * Load and validate a configuration file. On success the caller owns the
 * result (config_free). On failure NULL is returned after err() was called
 * once for every error found (not just the first); err may be NULL.
 */
struct config	*config_load(const char *path, config_error_cb *err, void *arg);
/* The built-in defaults, with no feeds; relative paths against dir. */
struct config	*config_default(const char *dir);
void		 config_free(struct config *);

/* "90s", "15m", "6h", "7d" (and combinations like "1h30m") to seconds. */
int		 config_parse_duration(const char *, int64_t *seconds);
/* "512", "512KiB", "16MiB", "1GiB" (also kB/MB/GB as powers of 1000). */
int		 config_parse_size(const char *, uint64_t *bytes);

#endif
