/*
 * config.c: loading and validating the configuration file (config.h).
 *
 * Two passes. The first reads the file with libyaml's event parser into a
 * small tree of nodes, each with the line and column where it starts, so
 * that every later message can point at the node it is about; anchors and
 * aliases are refused there (an alias is how a few hundred bytes of YAML
 * become gigabytes), and the file size, node count and depth are capped.
 * The second walks the tree against tables of known keys, converts values,
 * and records an error for every bad one while carrying on, so that one
 * run reports everything. Errors are sorted by position before they are
 * handed to the caller, so they come in file order even though duplicate
 * feed URLs are only found at the end.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <yaml.h>

#include "buf.h"
#include "config.h"
#include "errbuf.h"
#include "opml.h"
#include "url.h"
#include "xmalloc.h"

/*
 * stories.threshold's default. Its scale is the clusterer's (cluster.h:
 * cosine in [0,1]); change it here when cluster_params_default changes.
 */
#define CONFIG_STORIES_THRESHOLD	0.2

#define CONFIG_USER_AGENT \
	"feedfold/" PACKAGE_VERSION " (+https://github.com/feedfold/feedfold)"

/* Bounds on what a configuration file may make us hold. */
#define CONFIG_MAX_BYTES	(4 * 1024 * 1024)
#define CONFIG_MAX_NODES	200000
#define CONFIG_MAX_DEPTH	32
#define CONFIG_MAX_FEEDS	100000
#define CONFIG_MAX_TOPICS	64
#define CONFIG_MAX_ERRORS	1000

#define CONFIG_DAY		(24 * 3600)

enum config_node_type {
	CONFIG_NODE_SCALAR,
	CONFIG_NODE_MAP,
	CONFIG_NODE_SEQ,
};

/* One YAML node; a mapping's kids alternate key, value. */
struct config_node {
	enum config_node_type	 type;
	int			 line;	/* 1-based */
	int			 col;
	int			 plain;	/* an unquoted scalar */
	char			*value;	/* scalars only */
	struct config_node	**kids;
	size_t			 nkids;
	size_t			 cap;
};

struct config_error {
	int		 line;
	int		 col;
	size_t		 seq;		/* keeps equal positions in order */
	char		*text;
};

/* A feed while loading: where to blame it, and its canonical URL. */
struct config_feed_src {
	struct config_node *node;	/* the url: or opml: value */
	char		*what;		/* "feeds[2].url" or an OPML place */
	char		*canonical;
	size_t		 index;
};

struct config_loader {
	const char	*file;		/* as the user named it */
	struct config	*c;
	struct config_error *errors;
	size_t		 nerrors;
	size_t		 nodes;
	struct config_feed_src *src;	/* parallel to c->feeds */
	size_t		 cap_feeds;
};

enum config_type {
	CONFIG_T_DIR,		/* a folder: required, made absolute */
	CONFIG_T_FILE,		/* a file or "" (NULL): made absolute */
	CONFIG_T_STRING,
	CONFIG_T_INT,
	CONFIG_T_DURATION,
	CONFIG_T_SIZE,
	CONFIG_T_BOOL,
	CONFIG_T_MODE,
	CONFIG_T_DOUBLE,
	CONFIG_T_PRIMARY,
	CONFIG_T_STORIES,
	CONFIG_T_IMAGES,
	CONFIG_T_FEEDS,
};

struct config_key {
	const char	*name;
	enum config_type type;
	size_t		 offset;	/* into the struct being filled */
	int64_t		 min;
	int64_t		 max;
};

#define CONFIG_OFF(f)	offsetof(struct config, f)

/*
 * Known keys of each mapping, sorted by strcmp for bsearch. Numbers and
 * durations carry their range; a value outside it is an error rather than
 * a silent clamp, because a typo of one digit should not pass.
 */
static const struct config_key config_top_keys[] = {
	{ "allow_private_addresses", CONFIG_T_BOOL,
	    CONFIG_OFF(allow_private_addresses), 0, 1 },
	{ "cache_dir", CONFIG_T_DIR, CONFIG_OFF(cache_dir), 0, 0 },
	{ "concurrency", CONFIG_T_INT, CONFIG_OFF(concurrency), 1, 1024 },
	{ "enrich", CONFIG_T_BOOL, CONFIG_OFF(enrich), 0, 1 },
	{ "excerpt_length", CONFIG_T_INT, CONFIG_OFF(excerpt_length), 1,
	    100000 },
	{ "feeds", CONFIG_T_FEEDS, 0, 0, 0 },
	{ "images", CONFIG_T_IMAGES, CONFIG_OFF(images), 0, 0 },
	{ "interval", CONFIG_T_DURATION, CONFIG_OFF(interval), 1,
	    365 * CONFIG_DAY },
	{ "max_body", CONFIG_T_SIZE, CONFIG_OFF(max_body), 1024,
	    INT64_C(1) << 32 },
	{ "max_entries", CONFIG_T_INT, CONFIG_OFF(max_entries), 1, 1000000 },
	{ "max_interval", CONFIG_T_DURATION, CONFIG_OFF(max_interval), 1,
	    365 * CONFIG_DAY },
	{ "metrics_file", CONFIG_T_FILE, CONFIG_OFF(metrics_file), 0, 0 },
	{ "min_interval", CONFIG_T_DURATION, CONFIG_OFF(min_interval), 1,
	    365 * CONFIG_DAY },
	{ "output_dir", CONFIG_T_DIR, CONFIG_OFF(output_dir), 0, 0 },
	{ "per_host", CONFIG_T_INT, CONFIG_OFF(per_host), 1, 64 },
	{ "record_mode", CONFIG_T_MODE, CONFIG_OFF(record_mode), 0, 0777 },
	{ "secured_key_file", CONFIG_T_FILE, CONFIG_OFF(secured_key_file), 0,
	    0 },
	{ "state_dir", CONFIG_T_DIR, CONFIG_OFF(state_dir), 0, 0 },
	{ "stories", CONFIG_T_STORIES, CONFIG_OFF(stories), 0, 0 },
	{ "timeout", CONFIG_T_DURATION, CONFIG_OFF(timeout), 1, 3600 },
	{ "user_agent", CONFIG_T_STRING, CONFIG_OFF(user_agent), 0, 0 },
};

static const struct config_key config_stories_keys[] = {
	{ "max_related", CONFIG_T_INT,
	    offsetof(struct config_stories, max_related), 0, 1000 },
	{ "primary", CONFIG_T_PRIMARY,
	    offsetof(struct config_stories, primary), 0, 0 },
	{ "threshold", CONFIG_T_DOUBLE,
	    offsetof(struct config_stories, threshold), 0, 1 },
	{ "window", CONFIG_T_DURATION,
	    offsetof(struct config_stories, window), 60, 365 * CONFIG_DAY },
};

static const struct config_key config_images_keys[] = {
	/* Sorted: looked up with bsearch. */
	{ "cache", CONFIG_T_BOOL, offsetof(struct config_images, cache), 0, 1 },
	{ "cache_max", CONFIG_T_SIZE,
	    offsetof(struct config_images, cache_max), 1024 * 1024,
	    INT64_C(1) << 40 },
	{ "max_bytes", CONFIG_T_SIZE,
	    offsetof(struct config_images, max_bytes), 1024, INT64_C(1) << 30 },
};

/* Keys of a feed entry, sorted; handled one by one in config_feed_entry. */
static const char *config_feed_keys[] = {
	"category", "enrich", "interval", "name", "opml", "quality", "topics",
	"type", "url",
};

#define CONFIG_NKEYS(t)	(sizeof (t) / sizeof (t)[0])

/* ---- errors ---------------------------------------------------------- */

static void
config_error_at(struct config_loader *ld, int line, int col,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
config_error_at(struct config_loader *ld, int line, int col,
    const char *fmt, ...)
{
	struct config_error	*e;
	va_list			 ap;
	char			*msg;

	if (ld->nerrors == CONFIG_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	ld->errors = xreallocarray(ld->errors, ld->nerrors + 1,
	    sizeof *ld->errors);
	e = &ld->errors[ld->nerrors];
	e->line = line;
	e->col = col;
	e->seq = ld->nerrors++;
	if (line > 0)
		e->text = xasprintf("%s:%d:%d: %s", ld->file, line, col, msg);
	else
		e->text = xasprintf("%s: %s", ld->file, msg);
	free(msg);
}

#define config_error(ld, n, ...) \
	config_error_at((ld), (n)->line, (n)->col, __VA_ARGS__)

static int
config_error_cmp(const void *a, const void *b)
{
	const struct config_error *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* What a node is, for "expected X, got Y". Static buffer. */
static const char *
config_got(const struct config_node *n)
{
	static char	 buf[80];

	switch (n->type) {
	case CONFIG_NODE_MAP:
		return "a mapping";
	case CONFIG_NODE_SEQ:
		return "a list";
	case CONFIG_NODE_SCALAR:
		break;
	}
	if (n->plain && (*n->value == '\0' || strcmp(n->value, "~") == 0 ||
	    strcmp(n->value, "null") == 0))
		return "nothing";
	if (strlen(n->value) > 40)
		snprintf(buf, sizeof buf, "'%.37s...'", n->value);
	else
		snprintf(buf, sizeof buf, "'%s'", n->value);
	return buf;
}

/* ---- pass 1: YAML events to a tree ------------------------------------ */

static void
config_node_free(struct config_node *n)
{
	size_t	 i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		config_node_free(n->kids[i]);
	free(n->kids);
	free(n->value);
	free(n);
}

static struct config_node *
config_node_new(enum config_node_type type, const yaml_mark_t *mark)
{
	struct config_node	*n;

	n = xcalloc(1, sizeof *n);
	n->type = type;
	n->line = (int)mark->line + 1;
	n->col = (int)mark->column + 1;
	return n;
}

static void
config_node_add(struct config_node *parent, struct config_node *kid)
{
	if (parent->nkids == parent->cap) {
		parent->cap = parent->cap == 0 ? 8 : parent->cap * 2;
		parent->kids = xreallocarray(parent->kids, parent->cap,
		    sizeof *parent->kids);
	}
	parent->kids[parent->nkids++] = kid;
}

/* Report libyaml's error at its mark, with its context when it has one. */
static void
config_yaml_error(struct config_loader *ld, yaml_parser_t *p,
    const char *data)
{
	const char	*problem = p->problem != NULL ? p->problem : "error";
	size_t		 i, line = 1, col = 1;

	if (p->error == YAML_READER_ERROR) {
		/* Only an offset: find its line and column. */
		for (i = 0; i < p->problem_offset && data[i] != '\0'; i++) {
			if (data[i] == '\n') {
				line++;
				col = 1;
			} else
				col++;
		}
		config_error_at(ld, (int)line, (int)col,
		    "YAML syntax error: %s", problem);
	} else if (p->context != NULL)
		config_error_at(ld, (int)p->problem_mark.line + 1,
		    (int)p->problem_mark.column + 1,
		    "YAML syntax error: %s (%s at line %zu)", problem,
		    p->context, p->context_mark.line + 1);
	else
		config_error_at(ld, (int)p->problem_mark.line + 1,
		    (int)p->problem_mark.column + 1,
		    "YAML syntax error: %s", problem);
}

/*
 * Build the tree of one YAML document. Returns the root (NULL for an empty
 * file) and sets *failed when the file could not be read as YAML; errors
 * are recorded in ld.
 */
static struct config_node *
config_read_tree(struct config_loader *ld, const char *data, size_t len,
    int *failed)
{
	yaml_parser_t		 p;
	yaml_event_t		 ev;
	struct config_node	*stack[CONFIG_MAX_DEPTH], *root = NULL, *n;
	size_t			 depth = 0;
	int			 docs = 0, done = 0;

	*failed = 0;
	if (!yaml_parser_initialize(&p)) {
		config_error_at(ld, 0, 0, "cannot initialise the YAML parser");
		*failed = 1;
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			config_yaml_error(ld, &p, data);
			*failed = 1;
			break;
		}
		n = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				config_error_at(ld, (int)ev.start_mark.line + 1,
				    (int)ev.start_mark.column + 1,
				    "only one YAML document is allowed");
				*failed = 1;
				done = 1;
			}
			break;
		case YAML_ALIAS_EVENT:
			config_error_at(ld, (int)ev.start_mark.line + 1,
			    (int)ev.start_mark.column + 1,
			    "YAML aliases (*%s) are not supported",
			    (const char *)ev.data.alias.anchor);
			n = config_node_new(CONFIG_NODE_SCALAR, &ev.start_mark);
			n->value = xstrdup("");
			n->plain = 1;
			break;
		case YAML_SCALAR_EVENT:
			n = config_node_new(CONFIG_NODE_SCALAR, &ev.start_mark);
			n->value = xstrndup((const char *)ev.data.scalar.value,
			    ev.data.scalar.length);
			n->plain = ev.data.scalar.style ==
			    YAML_PLAIN_SCALAR_STYLE;
			if (ev.data.scalar.anchor != NULL)
				config_error(ld, n, "YAML anchors (&%s) are "
				    "not supported",
				    (const char *)ev.data.scalar.anchor);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			n = config_node_new(ev.type == YAML_MAPPING_START_EVENT ?
			    CONFIG_NODE_MAP : CONFIG_NODE_SEQ, &ev.start_mark);
			if ((ev.type == YAML_MAPPING_START_EVENT ?
			    ev.data.mapping_start.anchor :
			    ev.data.sequence_start.anchor) != NULL)
				config_error(ld, n, "YAML anchors are not "
				    "supported");
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
		if (n != NULL) {
			if (++ld->nodes > CONFIG_MAX_NODES) {
				config_error(ld, n, "more than %d YAML nodes",
				    CONFIG_MAX_NODES);
				config_node_free(n);
				*failed = done = 1;
			} else if (depth == 0 && root != NULL) {
				config_node_free(n);	/* cannot happen */
			} else {
				if (depth == 0)
					root = n;
				else
					config_node_add(stack[depth - 1], n);
				if (n->type != CONFIG_NODE_SCALAR) {
					if (depth == CONFIG_MAX_DEPTH) {
						config_error(ld, n, "YAML "
						    "nested deeper than %d",
						    CONFIG_MAX_DEPTH);
						*failed = done = 1;
					} else
						stack[depth++] = n;
				}
			}
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return root;
}

/* ---- values ---------------------------------------------------------- */

int
config_parse_duration(const char *s, int64_t *out)
{
	int64_t		 total = 0, v, unit;
	const char	*p = s;

	if (s == NULL || *s == '\0')
		return -1;
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = 0;
		while (isdigit((unsigned char)*p)) {
			if (v > (INT64_MAX - 9) / 10)
				return -1;
			v = v * 10 + (*p++ - '0');
		}
		switch (*p++) {
		case 's':
			unit = 1;
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'd':
			unit = CONFIG_DAY;
			break;
		default:
			return -1;
		}
		if (v > (INT64_MAX - total) / unit)
			return -1;
		total += v * unit;
	}
	*out = total;
	return 0;
}

int
config_parse_size(const char *s, uint64_t *out)
{
	static const struct {
		const char	*suffix;
		uint64_t	 mult;
	} units[] = {
		{ "", 1 }, { "B", 1 },
		{ "KiB", UINT64_C(1) << 10 }, { "MiB", UINT64_C(1) << 20 },
		{ "GiB", UINT64_C(1) << 30 },
		{ "kB", 1000 }, { "KB", 1000 }, { "MB", 1000 * 1000 },
		{ "GB", 1000 * 1000 * 1000 },
	};
	const char	*p = s;
	uint64_t	 v = 0;
	size_t		 i;

	if (s == NULL || !isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p++ - '0');
	}
	if (*p == ' ' && p[1] != '\0')
		p++;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(p, units[i].suffix) != 0)
			continue;
		if (v > UINT64_MAX / units[i].mult)
			return -1;
		*out = v * units[i].mult;
		return 0;
	}
	return -1;
}

static int
config_parse_int(const char *s, int64_t *out)
{
	char	*end;
	long long v;

	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

static int
config_parse_bool(const char *s, int *out)
{
	static const char *yes[] = { "true", "yes", "on" };
	static const char *no[] = { "false", "no", "off" };
	size_t	 i;

	for (i = 0; i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* A scalar that is YAML's null: an empty plain value, "~" or "null". */
static int
config_is_null(const struct config_node *n)
{
	return n->type == CONFIG_NODE_SCALAR && n->plain &&
	    (*n->value == '\0' || strcmp(n->value, "~") == 0 ||
	    strcmp(n->value, "null") == 0);
}

/* dir/rel, or rel itself when it is absolute. Caller frees. */
static char *
config_path(const char *dir, const char *rel)
{
	if (*rel == '/' || dir == NULL)
		return xstrdup(rel);
	return xasprintf("%s/%s", dir, rel);
}

/* A string value; NULL (after an error) for a non-scalar. */
static const char *
config_scalar(struct config_loader *ld, struct config_node *n,
    const char *key, const char *expected)
{
	if (n->type != CONFIG_NODE_SCALAR) {
		config_error(ld, n, "%s: expected %s, got %s", key, expected,
		    config_got(n));
		return NULL;
	}
	return n->value;
}

static void
config_format_duration(char *buf, size_t len, int64_t v)
{
	if (v % CONFIG_DAY == 0)
		snprintf(buf, len, "%lldd", (long long)(v / CONFIG_DAY));
	else if (v % 3600 == 0)
		snprintf(buf, len, "%lldh", (long long)(v / 3600));
	else if (v % 60 == 0)
		snprintf(buf, len, "%lldm", (long long)(v / 60));
	else
		snprintf(buf, len, "%llds", (long long)v);
}

/*
 * Convert and store one value of a simple type at base + k->offset.
 * Returns 0, or -1 after recording an error (nothing stored).
 */
static int
config_value(struct config_loader *ld, const struct config_key *k,
    const char *key, struct config_node *n, void *base)
{
	char		*at = (char *)base + k->offset;
	const char	*s, *q;
	char		 lo[32], hi[32];
	int64_t		 i64;
	uint64_t	 u64;
	double		 d;
	char		*end;
	int		 b;

	switch (k->type) {
	case CONFIG_T_DIR:
		if ((s = config_scalar(ld, n, key, "a folder path")) == NULL)
			return -1;
		if (*s == '\0' || config_is_null(n)) {
			config_error(ld, n, "%s: expected a folder path, got "
			    "nothing", key);
			return -1;
		}
		free(*(char **)at);
		*(char **)at = config_path(ld->c->dir, s);
		return 0;
	case CONFIG_T_FILE:
		if ((s = config_scalar(ld, n, key, "a file path or \"\""))
		    == NULL)
			return -1;
		free(*(char **)at);
		*(char **)at = *s == '\0' || config_is_null(n) ? NULL :
		    config_path(ld->c->dir, s);
		return 0;
	case CONFIG_T_STRING:
		if ((s = config_scalar(ld, n, key, "a string")) == NULL)
			return -1;
		/* It goes into an HTTP header: no line breaks or controls. */
		for (q = s; *q != '\0'; q++) {
			if ((unsigned char)*q < 0x20 || *q == 0x7f)
				break;
		}
		if (*q != '\0') {
			config_error(ld, n, "%s: control characters are not "
			    "allowed", key);
			return -1;
		}
		free(*(char **)at);
		/* Empty means the built-in value. */
		*(char **)at = xstrdup(*s == '\0' || config_is_null(n) ?
		    CONFIG_USER_AGENT : s);
		return 0;
	case CONFIG_T_INT:
		if ((s = config_scalar(ld, n, key, "a whole number")) == NULL)
			return -1;
		if (config_parse_int(s, &i64) != 0) {
			config_error(ld, n, "%s: expected a whole number from "
			    "%lld to %lld, got %s", key, (long long)k->min,
			    (long long)k->max, config_got(n));
			return -1;
		}
		if (i64 < k->min || i64 > k->max) {
			config_error(ld, n, "%s: %s is out of range (expected "
			    "%lld to %lld)", key, s, (long long)k->min,
			    (long long)k->max);
			return -1;
		}
		*(int *)at = (int)i64;
		return 0;
	case CONFIG_T_DURATION:
		if ((s = config_scalar(ld, n, key, "a duration")) == NULL)
			return -1;
		if (config_parse_duration(s, &i64) != 0) {
			config_error(ld, n, "%s: expected a duration like 90s, "
			    "15m, 6h, 7d or 1h30m, got %s", key, config_got(n));
			return -1;
		}
		if (i64 < k->min || i64 > k->max) {
			config_format_duration(lo, sizeof lo, k->min);
			config_format_duration(hi, sizeof hi, k->max);
			config_error(ld, n, "%s: %s is out of range (expected "
			    "%s to %s)", key, s, lo, hi);
			return -1;
		}
		*(int64_t *)at = i64;
		return 0;
	case CONFIG_T_SIZE:
		if ((s = config_scalar(ld, n, key, "a size")) == NULL)
			return -1;
		if (config_parse_size(s, &u64) != 0) {
			config_error(ld, n, "%s: expected a size like 512KiB, "
			    "16MiB or a number of bytes, got %s", key,
			    config_got(n));
			return -1;
		}
		if (u64 < (uint64_t)k->min || u64 > (uint64_t)k->max) {
			config_error(ld, n, "%s: %s is out of range (expected "
			    "%lluKiB to %lluMiB)", key, s,
			    (unsigned long long)k->min >> 10,
			    (unsigned long long)k->max >> 20);
			return -1;
		}
		*(uint64_t *)at = u64;
		return 0;
	case CONFIG_T_BOOL:
		if ((s = config_scalar(ld, n, key, "true or false")) == NULL)
			return -1;
		if (config_parse_bool(s, &b) != 0) {
			config_error(ld, n, "%s: expected true or false, got %s",
			    key, config_got(n));
			return -1;
		}
		*(int *)at = b;
		return 0;
	case CONFIG_T_MODE:
		if ((s = config_scalar(ld, n, key, "an octal mode")) == NULL)
			return -1;
		if (*s == '\0' || strlen(s) > 4 ||
		    strspn(s, "01234567") != strlen(s)) {
			config_error(ld, n, "%s: expected an octal file mode "
			    "like \"0644\", got %s", key, config_got(n));
			return -1;
		}
		u64 = strtoull(s, NULL, 8);
		if (u64 > (uint64_t)k->max || (u64 & 0600) != 0600) {
			config_error(ld, n, "%s: %s is out of range (expected "
			    "0600 to 0777: the owner must read and write)", key,
			    s);
			return -1;
		}
		*(unsigned int *)at = (unsigned int)u64;
		return 0;
	case CONFIG_T_DOUBLE:
		if ((s = config_scalar(ld, n, key, "a number")) == NULL)
			return -1;
		errno = 0;
		d = strtod(s, &end);
		if (*s == '\0' || isspace((unsigned char)*s) || *end != '\0' ||
		    errno != 0 || !isfinite(d)) {
			config_error(ld, n, "%s: expected a number from %lld to "
			    "%lld, got %s", key, (long long)k->min,
			    (long long)k->max, config_got(n));
			return -1;
		}
		if (d < (double)k->min || d > (double)k->max) {
			config_error(ld, n, "%s: %s is out of range (expected "
			    "%lld to %lld)", key, s, (long long)k->min,
			    (long long)k->max);
			return -1;
		}
		*(double *)at = d;
		return 0;
	case CONFIG_T_PRIMARY:
		if ((s = config_scalar(ld, n, key, "first or quality")) == NULL)
			return -1;
		if (strcmp(s, "first") == 0)
			*(enum config_primary *)at = CONFIG_PRIMARY_FIRST;
		else if (strcmp(s, "quality") == 0)
			*(enum config_primary *)at = CONFIG_PRIMARY_QUALITY;
		else {
			config_error(ld, n, "%s: expected first or quality, "
			    "got %s", key, config_got(n));
			return -1;
		}
		return 0;
	default:
		break;
	}
	return -1;
}

static int
config_key_cmp(const void *name, const void *row)
{
	return strcmp(name, ((const struct config_key *)row)->name);
}

static int
config_name_cmp(const void *name, const void *row)
{
	return strcmp(name, *(const char *const *)row);
}

/*
 * Report keys that appear twice in mapping m (YAML says a mapping's keys
 * are unique; libyaml does not check). Returns nonzero when the key at
 * index i repeats an earlier one.
 */
static int
config_key_repeated(struct config_loader *ld, struct config_node *m,
    size_t i, const char *prefix)
{
	size_t	 j;
	struct config_node *k = m->kids[i];

	if (k->type != CONFIG_NODE_SCALAR)
		return 0;
	for (j = 0; j < i; j += 2) {
		if (m->kids[j]->type == CONFIG_NODE_SCALAR &&
		    strcmp(m->kids[j]->value, k->value) == 0) {
			config_error(ld, k, "%s%s: duplicate key (first at line "
			    "%d)", prefix, k->value, m->kids[j]->line);
			return 1;
		}
	}
	return 0;
}

/* Edit distance of two short strings, capped: keys are under 32 bytes. */
static size_t
config_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, prev, diag, cur;
	size_t	 row[33];

	if (la > 32 || lb > 32)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			prev = row[j];
			cur = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < cur)
				cur = row[j] + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			row[j] = cur;
			diag = prev;
		}
	}
	return row[lb];
}

/*
 * An unknown key: say what was meant when one known key is a typo away,
 * else list the keys allowed there. names has n entries, stride apart.
 */
static void
config_unknown_key(struct config_loader *ld, struct config_node *key,
    const char *prefix, const void *names, size_t n, size_t stride)
{
	struct buf	 list;
	const char	*name, *best = NULL;
	size_t		 i, d, bestd = 3;

	buf_init(&list, BUF_NOMAX);
	for (i = 0; i < n; i++) {
		name = *(const char *const *)((const char *)names + i * stride);
		if ((d = config_distance(key->value, name)) < bestd) {
			bestd = d;
			best = name;
		}
		buf_printf(&list, "%s%s", i == 0 ? "" : ", ", name);
	}
	if (best != NULL)
		config_error(ld, key, "unknown key '%s%s' (did you mean '%s%s'?)",
		    prefix, key->value, prefix, best);
	else
		config_error(ld, key, "unknown key '%s%s' (expected one of %s)",
		    prefix, key->value, buf_str(&list));
	buf_free(&list);
}

static void	config_feeds(struct config_loader *, struct config_node *);

/* Walk mapping m against keys (nkeys, sorted); prefix names the parent. */
static void
config_map(struct config_loader *ld, struct config_node *m,
    const struct config_key *keys, size_t nkeys, void *base,
    const char *prefix)
{
	const struct config_key	*k;
	struct config_node	*key, *val;
	char			*name;
	size_t			 i;

	for (i = 0; i + 1 < m->nkids; i += 2) {
		key = m->kids[i];
		val = m->kids[i + 1];
		if (key->type != CONFIG_NODE_SCALAR) {
			config_error(ld, key, "%sexpected a key name, got %s",
			    prefix, config_got(key));
			continue;
		}
		if (config_key_repeated(ld, m, i, prefix))
			continue;
		k = bsearch(key->value, keys, nkeys, sizeof *keys,
		    config_key_cmp);
		if (k == NULL) {
			config_unknown_key(ld, key, prefix, keys, nkeys,
			    sizeof *keys);
			continue;
		}
		name = xasprintf("%s%s", prefix, k->name);
		switch (k->type) {
		case CONFIG_T_STORIES:
		case CONFIG_T_IMAGES:
			if (val->type != CONFIG_NODE_MAP) {
				if (!config_is_null(val))
					config_error(ld, val, "%s: expected a "
					    "mapping, got %s", name,
					    config_got(val));
				break;
			}
			free(name);
			name = xasprintf("%s%s.", prefix, k->name);
			if (k->type == CONFIG_T_STORIES)
				config_map(ld, val, config_stories_keys,
				    CONFIG_NKEYS(config_stories_keys),
				    (char *)base + k->offset, name);
			else
				config_map(ld, val, config_images_keys,
				    CONFIG_NKEYS(config_images_keys),
				    (char *)base + k->offset, name);
			break;
		case CONFIG_T_FEEDS:
			if (val->type == CONFIG_NODE_SEQ)
				config_feeds(ld, val);
			else if (!config_is_null(val))
				config_error(ld, val, "feeds: expected a list "
				    "of feeds, got %s", config_got(val));
			break;
		default:
			config_value(ld, k, name, val, base);
			break;
		}
		free(name);
	}
}

/* ---- feeds ------------------------------------------------------------ */

/* Percent-encode a file path for a file:// URL. Caller frees. */
static char *
config_path_url(const char *path)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out, *o;
	unsigned char		 c;

	out = o = xmalloc(strlen(path) * 3 + sizeof "file://");
	o += sprintf(o, "file://");
	for (; *path != '\0'; path++) {
		c = (unsigned char)*path;
		/* RFC 3986 pchar and '/': what a path may hold as is. */
		if (isalnum(c) || (c != '\0' &&
		    strchr("/-._~!$&'()*+,;=:@", c) != NULL))
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 0xf];
		}
	}
	*o = '\0';
	return out;
}

/*
 * The absolute URL a feed's url value stands for, or NULL with *why set
 * (static text). Relative file references are resolved against dir:
 * "file:demo/x.xml", "./x.xml", "../x.xml"; "/abs/x.xml" and
 * "file:///abs/x.xml" are absolute already.
 */
static char *
config_feed_url(const char *dir, const char *value, const char **why)
{
	char		*scheme, *path, *url, *out;
	const char	*rest;

	*why = NULL;
	if (strncasecmp(value, "file:", 5) == 0 && value[5] != '/') {
		/* "file:rel/path": a URL path relative to the folder. */
		rest = value + 5;
		if (*rest == '\0') {
			*why = "a file URL needs a path";
			return NULL;
		}
		path = config_path_url(dir);
		url = xasprintf("%s/%s", path, rest);
		free(path);
		out = url_resolve(NULL, url);
		free(url);
		if (out == NULL)
			*why = "not a valid file URL";
		return out;
	}
	if (*value == '/' || strncmp(value, "./", 2) == 0 ||
	    strncmp(value, "../", 3) == 0) {
		path = config_path(dir, value);
		url = config_path_url(path);
		free(path);
		out = url_resolve(NULL, url);
		free(url);
		if (out == NULL)
			*why = "not a valid file path";
		return out;
	}
	if ((scheme = url_scheme(value)) == NULL) {
		*why = "expected an http, https or file URL";
		return NULL;
	}
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0 &&
	    strcmp(scheme, "file") != 0) {
		free(scheme);
		*why = "scheme";
		return NULL;
	}
	free(scheme);
	if ((out = url_resolve(NULL, value)) == NULL)
		*why = "not a valid URL";
	return out;
}

/* Add topic t to f unless it is there already (ASCII case ignored). */
static void
config_topic_add(struct config_feed *f, const char *t)
{
	size_t	 i;

	if (*t == '\0' || f->ntopics == CONFIG_MAX_TOPICS)
		return;
	for (i = 0; i < f->ntopics; i++) {
		if (strcasecmp(f->topics[i], t) == 0)
			return;
	}
	f->topics = xreallocarray(f->topics, f->ntopics + 1,
	    sizeof *f->topics);
	f->topics[f->ntopics++] = xstrdup(t);
}

static void
config_feed_clear(struct config_feed *f)
{
	size_t	 i;

	free(f->url);
	free(f->name);
	free(f->category);
	for (i = 0; i < f->ntopics; i++)
		free(f->topics[i]);
	free(f->topics);
	free(f->type);
	free(f->file);
	memset(f, 0, sizeof *f);
}

/* Copy the overrides of template t into f (url and place excepted). */
static void
config_feed_copy(struct config_feed *f, const struct config_feed *t)
{
	size_t	 i;

	f->name = t->name != NULL ? xstrdup(t->name) : NULL;
	f->category = t->category != NULL ? xstrdup(t->category) : NULL;
	for (i = 0; i < t->ntopics; i++)
		config_topic_add(f, t->topics[i]);
	f->type = t->type != NULL ? xstrdup(t->type) : NULL;
	f->interval = t->interval;
	f->quality = t->quality;
	f->enrich = t->enrich;
}

/* Append a feed (taking f's contents) with where to blame it. */
static void
config_feed_push(struct config_loader *ld, struct config_feed *f,
    struct config_node *node, char *what)
{
	struct config	*c = ld->c;
	struct config_feed_src *s;

	if (c->nfeeds == CONFIG_MAX_FEEDS) {
		config_error(ld, node, "%s: more than %d feeds", what,
		    CONFIG_MAX_FEEDS);
		config_feed_clear(f);
		free(what);
		return;
	}
	if (c->nfeeds == ld->cap_feeds) {
		ld->cap_feeds = ld->cap_feeds == 0 ? 16 : ld->cap_feeds * 2;
		c->feeds = xreallocarray(c->feeds, ld->cap_feeds,
		    sizeof *c->feeds);
		ld->src = xreallocarray(ld->src, ld->cap_feeds,
		    sizeof *ld->src);
	}
	s = &ld->src[c->nfeeds];
	s->node = node;
	s->what = what;
	s->canonical = url_canonical(f->url);
	s->index = c->nfeeds;
	c->feeds[c->nfeeds++] = *f;
	memset(f, 0, sizeof *f);
}

/* Expand an opml: entry into feeds with t's overrides as defaults. */
static void
config_feed_opml(struct config_loader *ld, struct config_node *node,
    const char *key, const struct config_feed *t)
{
	struct config_feed	 f;
	struct opml		*o;
	struct opml_feed	*of;
	struct errbuf		 eb;
	char			*path, *dir, *slash;
	const char		*why;
	size_t			 i, j;

	if (config_is_null(node) || *node->value == '\0') {
		config_error(ld, node, "%s: expected an OPML file path, got "
		    "nothing", key);
		return;
	}
	path = config_path(ld->c->dir, node->value);
	if (opml_read_file(path, &o, &eb) != 0) {
		/* eb names the resolved path; the user wrote node->value. */
		why = eb.msg;
		if (strncmp(why, path, strlen(path)) == 0)
			why += strlen(path);
		why += strspn(why, ":");
		why += strspn(why, " ");
		config_error(ld, node, "%s: cannot read OPML file '%s': %s",
		    key, node->value, why);
		free(path);
		return;
	}
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	for (i = 0; i < o->nfeeds; i++) {
		of = &o->feeds[i];
		memset(&f, 0, sizeof f);
		if ((f.url = config_feed_url(dir, of->xml_url, &why)) == NULL) {
			if (strcmp(why, "scheme") == 0)
				why = "scheme not supported (expected http, "
				    "https or file)";
			config_error(ld, node, "%s: %s:%d: feed '%s': %s", key,
			    node->value, of->line, of->xml_url, why);
			continue;
		}
		config_feed_copy(&f, t);
		/* The outline's own title names this feed better. */
		if (of->title != NULL) {
			free(f.name);
			f.name = xstrdup(of->title);
		}
		for (j = 0; j < of->nfolders; j++)
			config_topic_add(&f, of->folders[j]);
		for (j = 0; j < of->ncategories; j++)
			config_topic_add(&f, of->categories[j]);
		f.file = xstrdup(path);
		f.line = of->line;
		f.col = 1;
		config_feed_push(ld, &f, node, xasprintf("%s: %s:%d", key,
		    node->value, of->line));
	}
	opml_free(o);
	free(dir);
	free(path);
}

static const char *
config_feed_string(struct config_loader *ld, struct config_node *n,
    const char *key)
{
	const char	*s;

	if ((s = config_scalar(ld, n, key, "a string")) == NULL)
		return NULL;
	if (config_is_null(n) || *s == '\0') {
		config_error(ld, n, "%s: expected a string, got nothing", key);
		return NULL;
	}
	return s;
}

/* One entry of feeds: (index i). */
static void
config_feed_entry(struct config_loader *ld, struct config_node *m, size_t idx)
{
	static const struct config_key k_interval = { "interval",
	    CONFIG_T_DURATION, offsetof(struct config_feed, interval), 1,
	    365 * CONFIG_DAY };
	static const struct config_key k_quality = { "quality", CONFIG_T_INT,
	    offsetof(struct config_feed, quality), 0, 100 };
	static const struct config_key k_enrich = { "enrich", CONFIG_T_BOOL,
	    offsetof(struct config_feed, enrich), 0, 1 };
	struct config_feed	 f;
	struct config_node	*key, *val, *url = NULL, *opml = NULL, *t;
	const char		*s, *why;
	char			*prefix, *name;
	size_t			 i, j;

	prefix = xasprintf("feeds[%zu].", idx);
	if (m->type != CONFIG_NODE_MAP) {
		config_error(ld, m, "feeds[%zu]: expected a mapping with url "
		    "or opml, got %s", idx, config_got(m));
		free(prefix);
		return;
	}
	memset(&f, 0, sizeof f);
	f.interval = CONFIG_UNSET;
	f.quality = CONFIG_UNSET;
	f.enrich = CONFIG_UNSET;
	for (i = 0; i + 1 < m->nkids; i += 2) {
		key = m->kids[i];
		val = m->kids[i + 1];
		if (key->type != CONFIG_NODE_SCALAR) {
			config_error(ld, key, "feeds[%zu]: expected a key name, "
			    "got %s", idx, config_got(key));
			continue;
		}
		if (config_key_repeated(ld, m, i, prefix))
			continue;
		if (bsearch(key->value, config_feed_keys,
		    CONFIG_NKEYS(config_feed_keys), sizeof config_feed_keys[0],
		    config_name_cmp) == NULL) {
			config_unknown_key(ld, key, prefix, config_feed_keys,
			    CONFIG_NKEYS(config_feed_keys),
			    sizeof config_feed_keys[0]);
			continue;
		}
		name = xasprintf("%s%s", prefix, key->value);
		if (strcmp(key->value, "url") == 0) {
			if (config_scalar(ld, val, name, "a URL") != NULL)
				url = val;
		} else if (strcmp(key->value, "opml") == 0) {
			if (config_scalar(ld, val, name, "an OPML file path") !=
			    NULL)
				opml = val;
		} else if (strcmp(key->value, "name") == 0) {
			if ((s = config_feed_string(ld, val, name)) != NULL)
				f.name = xstrdup(s);
		} else if (strcmp(key->value, "category") == 0) {
			if ((s = config_feed_string(ld, val, name)) != NULL)
				f.category = xstrdup(s);
		} else if (strcmp(key->value, "type") == 0) {
			s = config_scalar(ld, val, name, "article, video or "
			    "audio");
			if (s != NULL && strcmp(s, "article") != 0 &&
			    strcmp(s, "video") != 0 && strcmp(s, "audio") != 0)
				config_error(ld, val, "%s: expected article, "
				    "video or audio, got %s", name,
				    config_got(val));
			else if (s != NULL)
				f.type = xstrdup(s);
		} else if (strcmp(key->value, "topics") == 0) {
			if (val->type == CONFIG_NODE_SCALAR) {
				if (!config_is_null(val))
					config_topic_add(&f, val->value);
			} else if (val->type != CONFIG_NODE_SEQ)
				config_error(ld, val, "%s: expected a list of "
				    "topics, got %s", name, config_got(val));
			else {
				for (j = 0; j < val->nkids; j++) {
					t = val->kids[j];
					if (t->type != CONFIG_NODE_SCALAR)
						config_error(ld, t, "%s: "
						    "expected a topic, got %s",
						    name, config_got(t));
					else if (j >= CONFIG_MAX_TOPICS)
						config_error(ld, t, "%s: more "
						    "than %d topics", name,
						    CONFIG_MAX_TOPICS);
					else
						config_topic_add(&f, t->value);
				}
			}
		} else if (strcmp(key->value, "interval") == 0)
			config_value(ld, &k_interval, name, val, &f);
		else if (strcmp(key->value, "quality") == 0)
			config_value(ld, &k_quality, name, val, &f);
		else if (strcmp(key->value, "enrich") == 0)
			config_value(ld, &k_enrich, name, val, &f);
		free(name);
	}

	if (url != NULL && opml != NULL) {
		config_error(ld, opml, "feeds[%zu]: url and opml cannot both "
		    "be set", idx);
	} else if (opml != NULL) {
		name = xasprintf("%sopml", prefix);
		config_feed_opml(ld, opml, name, &f);
		free(name);
	} else if (url == NULL) {
		config_error(ld, m, "feeds[%zu]: missing key 'url' (or 'opml')",
		    idx);
	} else if (config_is_null(url) || *url->value == '\0') {
		config_error(ld, url, "%surl: expected a URL, got nothing",
		    prefix);
	} else {
		f.url = config_feed_url(ld->c->dir, url->value, &why);
		if (f.url == NULL && strcmp(why, "scheme") == 0) {
			s = url->value;
			config_error(ld, url, "%surl: scheme '%.*s' is not "
			    "supported (expected http, https or file)", prefix,
			    (int)strcspn(s, ":"), s);
		} else if (f.url == NULL)
			config_error(ld, url, "%surl: %s, got %s", prefix, why,
			    config_got(url));
		else {
			f.file = xstrdup(ld->file);
			f.line = url->line;
			f.col = url->col;
			config_feed_push(ld, &f, url,
			    xasprintf("%surl", prefix));
		}
	}
	config_feed_clear(&f);
	free(prefix);
}

static int
config_src_cmp(const void *a, const void *b)
{
	const struct config_feed_src *x = a, *y = b;
	int	 r;

	if (x->canonical == NULL || y->canonical == NULL) {
		if (x->canonical != y->canonical)
			return x->canonical == NULL ? -1 : 1;
	} else if ((r = strcmp(x->canonical, y->canonical)) != 0)
		return r;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Every feed whose canonical URL an earlier feed has is an error. */
static void
config_feeds_dedupe(struct config_loader *ld)
{
	struct config_feed_src	*v, *first = NULL;
	size_t			 i, n = ld->c->nfeeds;

	if (n < 2)
		return;
	v = xreallocarray(NULL, n, sizeof *v);
	memcpy(v, ld->src, n * sizeof *v);
	qsort(v, n, sizeof *v, config_src_cmp);
	for (i = 0; i < n; i++) {
		if (v[i].canonical == NULL)
			continue;
		if (first == NULL || strcmp(first->canonical,
		    v[i].canonical) != 0) {
			first = &v[i];
			continue;
		}
		config_error(ld, v[i].node, "%s: duplicate feed URL '%s' "
		    "(first at line %d)", v[i].what, v[i].canonical,
		    first->node->line);
	}
	free(v);
}

static void
config_feeds(struct config_loader *ld, struct config_node *seq)
{
	size_t	 i;

	for (i = 0; i < seq->nkids; i++)
		config_feed_entry(ld, seq->kids[i], i);
}

/* ---- loading ---------------------------------------------------------- */

struct config *
config_default(const char *dir)
{
	struct config	*c;

	c = xcalloc(1, sizeof *c);
	c->dir = xstrdup(dir != NULL ? dir : ".");
	c->output_dir = config_path(c->dir, "records");
	c->state_dir = config_path(c->dir, "state");
	c->cache_dir = config_path(c->dir, "cache");
	c->user_agent = xstrdup(CONFIG_USER_AGENT);
	c->concurrency = 32;
	c->per_host = 2;
	c->interval = 30 * 60;
	c->min_interval = 15 * 60;
	c->max_interval = 24 * 3600;
	c->timeout = 30;
	c->max_body = 16 * 1024 * 1024;
	c->max_entries = 5000;
	c->excerpt_length = 300;
	c->record_mode = 0644;
	c->metrics_file = NULL;
	c->secured_key_file = NULL;
	c->stories.window = 72 * 3600;
	c->stories.threshold = CONFIG_STORIES_THRESHOLD;
	c->stories.max_related = 15;
	c->stories.primary = CONFIG_PRIMARY_FIRST;
	c->images.cache = 0;
	c->images.max_bytes = 5 * 1024 * 1024;
	c->images.cache_max = UINT64_C(1) << 30;
	c->enrich = 0;
	c->allow_private_addresses = 0;
	return c;
}

/* The file's folder as an absolute path, or NULL. Caller frees. */
static char *
config_dir_of(const char *path)
{
	char	*copy, *slash, *dir;

	copy = xstrdup(path);
	if ((slash = strrchr(copy, '/')) == NULL)
		dir = realpath(".", NULL);
	else if (slash == copy)
		dir = xstrdup("/");
	else {
		*slash = '\0';
		dir = realpath(copy, NULL);
	}
	free(copy);
	return dir;
}

/* Read a whole file up to CONFIG_MAX_BYTES; NULL with an error recorded. */
static char *
config_read_file(struct config_loader *ld, const char *path, size_t *len)
{
	struct stat	 st;
	FILE		*f;
	char		*data;

	if ((f = fopen(path, "rb")) == NULL) {
		config_error_at(ld, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		config_error_at(ld, 0, 0, "not a regular file");
		fclose(f);
		return NULL;
	}
	if (st.st_size > CONFIG_MAX_BYTES) {
		config_error_at(ld, 0, 0, "larger than %d bytes",
		    CONFIG_MAX_BYTES);
		fclose(f);
		return NULL;
	}
	data = xmalloc((size_t)st.st_size + 1);
	*len = fread(data, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		config_error_at(ld, 0, 0, "cannot read: %s", strerror(errno));
		fclose(f);
		free(data);
		return NULL;
	}
	fclose(f);
	data[*len] = '\0';
	return data;
}

/* Checks between keys, once every value is known. */
static void
config_cross_check(struct config_loader *ld, struct config_node *root)
{
	struct config		*c = ld->c;
	struct config_node	*at;
	char			 a[32], b[32];
	size_t			 i;

	if (c->min_interval > c->max_interval) {
		at = root;
		for (i = 0; root != NULL && i + 1 < root->nkids; i += 2) {
			if (root->kids[i]->type == CONFIG_NODE_SCALAR &&
			    (strcmp(root->kids[i]->value, "max_interval") == 0 ||
			    strcmp(root->kids[i]->value, "min_interval") == 0))
				at = root->kids[i + 1];
		}
		config_format_duration(a, sizeof a, c->min_interval);
		config_format_duration(b, sizeof b, c->max_interval);
		config_error(ld, at, "min_interval (%s) is longer than "
		    "max_interval (%s)", a, b);
	}
	if (c->per_host > c->concurrency) {
		at = root;
		for (i = 0; root != NULL && i + 1 < root->nkids; i += 2) {
			if (root->kids[i]->type == CONFIG_NODE_SCALAR &&
			    (strcmp(root->kids[i]->value, "per_host") == 0 ||
			    strcmp(root->kids[i]->value, "concurrency") == 0))
				at = root->kids[i + 1];
		}
		config_error(ld, at, "per_host (%d) is larger than "
		    "concurrency (%d)", c->per_host, c->concurrency);
	}
}

struct config *
config_load(const char *path, config_error_cb *err, void *arg)
{
	struct config_loader	 ld;
	struct config_node	*root = NULL;
	struct config		*c = NULL;
	char			*data = NULL, *dir;
	size_t			 len = 0, i;
	int			 failed;

	memset(&ld, 0, sizeof ld);
	ld.file = path;
	if ((data = config_read_file(&ld, path, &len)) == NULL)
		goto out;
	if ((dir = config_dir_of(path)) == NULL) {
		config_error_at(&ld, 0, 0, "cannot find its folder: %s",
		    strerror(errno));
		goto out;
	}
	c = ld.c = config_default(dir);
	free(dir);
	free(c->path);
	c->path = xstrdup(path);

	root = config_read_tree(&ld, data, len, &failed);
	if (failed)
		goto out;
	if (root != NULL && root->type == CONFIG_NODE_MAP) {
		config_map(&ld, root, config_top_keys,
		    CONFIG_NKEYS(config_top_keys), c, "");
		config_feeds_dedupe(&ld);
		config_cross_check(&ld, root);
	} else if (root != NULL && !config_is_null(root))
		config_error(&ld, root, "expected a mapping of settings at the "
		    "top, got %s", config_got(root));

out:
	for (i = 0; i < (c != NULL ? c->nfeeds : 0); i++) {
		free(ld.src[i].what);
		free(ld.src[i].canonical);
	}
	free(ld.src);
	config_node_free(root);
	free(data);
	if (ld.nerrors != 0) {
		qsort(ld.errors, ld.nerrors, sizeof *ld.errors,
		    config_error_cmp);
		for (i = 0; i < ld.nerrors; i++) {
			if (err != NULL)
				err(arg, ld.errors[i].text);
			free(ld.errors[i].text);
		}
		config_free(c);
		c = NULL;
	}
	free(ld.errors);
	return c;
}

void
config_free(struct config *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nfeeds; i++)
		config_feed_clear(&c->feeds[i]);
	free(c->feeds);
	free(c->path);
	free(c->dir);
	free(c->output_dir);
	free(c->state_dir);
	free(c->cache_dir);
	free(c->user_agent);
	free(c->metrics_file);
	free(c->secured_key_file);
	free(c);
}
