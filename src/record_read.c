/*
 * record_read.c: record files back into struct record (record_read.h).
 *
 * The file is loaded with libyaml's document API and walked against the
 * record format: a top-level mapping with the primary's keys, `provider`,
 * `images`, `topics`, `related` and `secured`. The walk has a fixed depth
 * and visits every node at most once (an alias that would make it visit a
 * node twice is refused), so a hostile file costs time linear in its size.
 * Every refusal names the line and column of the offending node.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <yaml.h>

#include "record_read.h"
#include "xmalloc.h"

struct record_reader {
	yaml_document_t	 doc;
	const char	*name;
	struct errbuf	*err;
	unsigned char	*seen;		/* one flag per node: visited */
	size_t		 nnodes;
};

/* Entry keys; the top-level ones are only known at the top level. */
enum record_key {
	RK_CATEGORY,
	RK_TITLE,
	RK_EXCERPT,
	RK_PUBLISHED_DATE,
	RK_ORIGINAL_URL,
	RK_WEB_URL,
	RK_AMP_URL,
	RK_CDN_AMP_URL,
	RK_TYPE,
	RK_QUALITY,
	RK_PROVIDER,
	RK_TOPICS,
	RK_IMAGES,
	RK_HEAT,		/* top level only from here */
	RK_PUBLISHED,
	RK_RELATED,
	RK_SECURED,
	RK_UNKNOWN,
};

static const char *const record_keys[] = {
	"category", "title", "excerpt", "publishedDateTime", "originalUrl",
	"webUrl", "ampWebUrl", "cdnAmpWebUrl", "type", "quality", "provider",
	"topics", "images", "heat", "published", "related", "secured",
};

static int
record_reader_fail(struct record_reader *rd, const yaml_mark_t *mark,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
record_reader_fail(struct record_reader *rd, const yaml_mark_t *mark,
    const char *fmt, ...)
{
	char	 msg[ERRBUF_SIZE];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	errbuf_set(rd->err, "%s:%zu:%zu: %s", rd->name, mark->line + 1,
	    mark->column + 1, msg);
	return -EBADMSG;
}

/* The node of an index, marked as visited; NULL (and an error) if seen. */
static yaml_node_t *
record_reader_node(struct record_reader *rd, int index, int *error)
{
	yaml_node_t	*n;

	n = yaml_document_get_node(&rd->doc, index);
	if (n == NULL) {
		*error = -EBADMSG;
		errbuf_set(rd->err, "%s: broken YAML document", rd->name);
		return NULL;
	}
	if (rd->seen[index - 1]) {
		/* The mark is the anchored node's: libyaml keeps no other. */
		*error = record_reader_fail(rd, &n->start_mark,
		    "aliases are not allowed in a record");
		return NULL;
	}
	rd->seen[index - 1] = 1;
	return n;
}

static int
record_scalar_is(const yaml_node_t *n, const char *s)
{
	return n->data.scalar.length == strlen(s) &&
	    memcmp(n->data.scalar.value, s, n->data.scalar.length) == 0;
}

/* A plain empty, "~" or "null" scalar: YAML's null. */
static int
record_scalar_null(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE &&
	    n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (n->data.scalar.length == 0 || record_scalar_is(n, "~") ||
	    record_scalar_is(n, "null") || record_scalar_is(n, "Null") ||
	    record_scalar_is(n, "NULL"));
}

/* A string field; null leaves it NULL (unknown). */
static int
record_read_str(struct record_reader *rd, yaml_node_t *n, const char *key,
    char **field)
{
	if (n->type != YAML_SCALAR_NODE)
		return record_reader_fail(rd, &n->start_mark,
		    "%s: expected a string", key);
	free(*field);
	*field = NULL;
	if (record_scalar_null(n))
		return 0;
	if (memchr(n->data.scalar.value, '\0', n->data.scalar.length) != NULL)
		return record_reader_fail(rd, &n->start_mark,
		    "%s: NUL character in a string", key);
	*field = xstrndup((const char *)n->data.scalar.value,
	    n->data.scalar.length);
	return 0;
}

static int
record_read_int(struct record_reader *rd, yaml_node_t *n, const char *key,
    int *v)
{
	const char	*s;
	char		*end;
	long		 l;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		goto bad;
	s = (const char *)n->data.scalar.value;
	if (n->data.scalar.length == 0 || n->data.scalar.length > 12 ||
	    strlen(s) != n->data.scalar.length)
		goto bad;
	if (!(s[0] == '-' || s[0] == '+' || (s[0] >= '0' && s[0] <= '9')))
		goto bad;
	errno = 0;
	l = strtol(s, &end, 10);
	if (*end != '\0' || errno != 0 || l < INT_MIN || l > INT_MAX)
		goto bad;
	*v = (int)l;
	return 0;
bad:
	return record_reader_fail(rd, &n->start_mark,
	    "%s: expected an integer", key);
}

static int
record_read_bool(struct record_reader *rd, yaml_node_t *n, const char *key,
    int *v)
{
	static const char *const yes[] = {
		"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON",
		NULL
	};
	static const char *const no[] = {
		"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF",
		NULL
	};
	size_t	 i;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		goto bad;
	for (i = 0; yes[i] != NULL; i++) {
		if (record_scalar_is(n, yes[i])) {
			*v = 1;
			return 0;
		}
	}
	for (i = 0; no[i] != NULL; i++) {
		if (record_scalar_is(n, no[i])) {
			*v = 0;
			return 0;
		}
	}
bad:
	return record_reader_fail(rd, &n->start_mark,
	    "%s: expected true or false", key);
}

static int
record_digits(const char *s, int n, int *v)
{
	int	 i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SSZ", exactly as the writer puts it. */
static int
record_read_date(struct record_reader *rd, yaml_node_t *n, const char *key,
    int64_t *t)
{
	const char	*s;
	struct tm	 tm, back;
	time_t		 tt;
	int		 y, mo, d, h, mi, se;

	if (n->type != YAML_SCALAR_NODE)
		goto bad;
	if (record_scalar_null(n)) {
		*t = ENTRY_NO_DATE;
		return 0;
	}
	s = (const char *)n->data.scalar.value;
	if (n->data.scalar.length != 20 || s[4] != '-' || s[7] != '-' ||
	    s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
	    record_digits(s, 4, &y) != 0 || record_digits(s + 5, 2, &mo) != 0 ||
	    record_digits(s + 8, 2, &d) != 0 ||
	    record_digits(s + 11, 2, &h) != 0 ||
	    record_digits(s + 14, 2, &mi) != 0 ||
	    record_digits(s + 17, 2, &se) != 0)
		goto bad;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	tt = timegm(&tm);
	/* timegm() normalises 2024-02-30; a real date survives the trip. */
	if (gmtime_r(&tt, &back) == NULL || back.tm_year != y - 1900 ||
	    back.tm_mon != mo - 1 || back.tm_mday != d || back.tm_hour != h ||
	    back.tm_min != mi || back.tm_sec != se)
		goto bad;
	*t = (int64_t)tt;
	return 0;
bad:
	return record_reader_fail(rd, &n->start_mark,
	    "%s: expected a date like 2024-01-19T13:42:00Z", key);
}

/*
 * Walk the pairs of a mapping: each known key once, in any order. Calls
 * fn(rd, index of key in keys, value node, arg) for known keys; unknown
 * keys are skipped without visiting their values.
 */
typedef int record_pair_cb(struct record_reader *, int, yaml_node_t *,
    void *);

static int
record_read_mapping(struct record_reader *rd, yaml_node_t *map,
    const char *what, const char *const *keys, int nkeys, record_pair_cb *fn,
    void *arg)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v;
	uint32_t		 seen = 0;
	int			 i, error = 0;

	if (map->type != YAML_MAPPING_NODE)
		return record_reader_fail(rd, &map->start_mark,
		    "%s: expected a mapping", what);
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		if ((k = record_reader_node(rd, pair->key, &error)) == NULL)
			return error;
		if (k->type != YAML_SCALAR_NODE)
			return record_reader_fail(rd, &k->start_mark,
			    "%s: keys must be strings", what);
		for (i = 0; i < nkeys; i++) {
			if (record_scalar_is(k, keys[i]))
				break;
		}
		if (i == nkeys)
			continue;
		if (seen & (1u << i))
			return record_reader_fail(rd, &k->start_mark,
			    "%s: duplicate key %s", what, keys[i]);
		seen |= 1u << i;
		if ((v = record_reader_node(rd, pair->value, &error)) == NULL)
			return error;
		if ((error = fn(rd, i, v, arg)) != 0)
			return error;
	}
	return 0;
}

static int
record_read_provider_pair(struct record_reader *rd, int key, yaml_node_t *v,
    void *arg)
{
	struct entry	*e = arg;

	if (key == 0)
		return record_read_str(rd, v, "provider name",
		    &e->provider_name);
	return record_read_str(rd, v, "provider domain", &e->provider_domain);
}

struct record_image_ctx {
	char		*url;
	int		 width;
	int		 height;
	int		 cached;
};

static int
record_read_image_pair(struct record_reader *rd, int key, yaml_node_t *v,
    void *arg)
{
	struct record_image_ctx	*im = arg;

	switch (key) {
	case 0:
		return record_read_str(rd, v, "image url", &im->url);
	case 1:
		return record_read_int(rd, v, "image width", &im->width);
	case 2:
		return record_read_int(rd, v, "image height", &im->height);
	default:
		return record_read_bool(rd, v, "isCached", &im->cached);
	}
}

static int
record_read_images(struct record_reader *rd, yaml_node_t *seq,
    struct entry *e)
{
	static const char *const keys[] = {
		"url", "width", "height", "isCached"
	};
	struct record_image_ctx	 im;
	yaml_node_item_t	*it;
	yaml_node_t		*n;
	int			 error = 0;

	if (record_scalar_null(seq))
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE)
		return record_reader_fail(rd, &seq->start_mark,
		    "images: expected a list");
	for (it = seq->data.sequence.items.start;
	    it < seq->data.sequence.items.top; it++) {
		if ((n = record_reader_node(rd, *it, &error)) == NULL)
			return error;
		memset(&im, 0, sizeof im);
		im.width = im.height = ENTRY_NO_SIZE;
		error = record_read_mapping(rd, n, "image", keys, 4,
		    record_read_image_pair, &im);
		if (error == 0 && im.url == NULL)
			error = record_reader_fail(rd, &n->start_mark,
			    "image: no url");
		if (error == 0) {
			entry_add_image(e, im.url, im.width, im.height);
			e->images[e->nimages - 1].cached = im.cached;
		}
		free(im.url);
		if (error != 0)
			return error;
	}
	return 0;
}

static int
record_read_topics(struct record_reader *rd, yaml_node_t *seq,
    struct entry *e)
{
	yaml_node_item_t	*it;
	yaml_node_t		*n;
	char			*topic = NULL;
	int			 error = 0;

	if (record_scalar_null(seq))
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE)
		return record_reader_fail(rd, &seq->start_mark,
		    "topics: expected a list");
	for (it = seq->data.sequence.items.start;
	    it < seq->data.sequence.items.top; it++) {
		if ((n = record_reader_node(rd, *it, &error)) == NULL)
			return error;
		if ((error = record_read_str(rd, n, "topic", &topic)) != 0)
			return error;
		if (topic != NULL)
			entry_add_topic(e, topic);
		free(topic);
		topic = NULL;
	}
	return 0;
}

struct record_entry_ctx {
	struct record	*record;	/* NULL inside a related item */
	struct entry	*entry;
};

static int	record_read_related(struct record_reader *, yaml_node_t *,
		    struct record *);

static int
record_read_entry_pair(struct record_reader *rd, int key, yaml_node_t *v,
    void *arg)
{
	static const char *const provider_keys[] = { "name", "domain" };
	struct record_entry_ctx	*ctx = arg;
	struct entry		*e = ctx->entry;
	struct record		*r = ctx->record;
	const char		*name = record_keys[key];

	switch ((enum record_key)key) {
	case RK_CATEGORY:
		return record_read_str(rd, v, name, &e->category);
	case RK_TITLE:
		return record_read_str(rd, v, name, &e->title);
	case RK_EXCERPT:
		return record_read_str(rd, v, name, &e->excerpt);
	case RK_PUBLISHED_DATE:
		return record_read_date(rd, v, name, &e->published);
	case RK_ORIGINAL_URL:
		return record_read_str(rd, v, name, &e->original_url);
	case RK_WEB_URL:
		return record_read_str(rd, v, name, &e->web_url);
	case RK_AMP_URL:
		return record_read_str(rd, v, name, &e->amp_url);
	case RK_CDN_AMP_URL:
		return record_read_str(rd, v, name, &e->cdn_amp_url);
	case RK_TYPE:
		return record_read_str(rd, v, name, &e->type);
	case RK_QUALITY:
		return record_read_int(rd, v, name, &e->quality);
	case RK_PROVIDER:
		if (record_scalar_null(v))
			return 0;
		return record_read_mapping(rd, v, name, provider_keys, 2,
		    record_read_provider_pair, e);
	case RK_TOPICS:
		return record_read_topics(rd, v, e);
	case RK_IMAGES:
		return record_read_images(rd, v, e);
	case RK_HEAT:
		return record_read_int(rd, v, name, &r->heat);
	case RK_PUBLISHED:
		return record_read_bool(rd, v, name, &r->published);
	case RK_RELATED:
		return record_read_related(rd, v, r);
	case RK_SECURED:
		return record_read_str(rd, v, name, &r->secured);
	case RK_UNKNOWN:
		break;
	}
	return 0;
}

static int
record_read_related(struct record_reader *rd, yaml_node_t *seq,
    struct record *r)
{
	struct record_entry_ctx	 ctx;
	yaml_node_item_t	*it;
	yaml_node_t		*n;
	int			 error = 0;

	if (record_scalar_null(seq))
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE)
		return record_reader_fail(rd, &seq->start_mark,
		    "related: expected a list");
	for (it = seq->data.sequence.items.start;
	    it < seq->data.sequence.items.top; it++) {
		if ((n = record_reader_node(rd, *it, &error)) == NULL)
			return error;
		ctx.record = r;
		ctx.entry = entry_new();
		record_add_related(r, ctx.entry);
		/* Only entry keys inside an item: no nested `related`. */
		if ((error = record_read_mapping(rd, n, "related item",
		    record_keys, RK_HEAT, record_read_entry_pair, &ctx)) != 0)
			return error;
	}
	return 0;
}

/* "name:line:col: problem" from a failed libyaml parser. */
static int
record_reader_parse_error(struct record_reader *rd, yaml_parser_t *p,
    const char *data, size_t len)
{
	yaml_mark_t	 mark;
	size_t		 i;

	mark = p->problem_mark;
	if (p->error == YAML_READER_ERROR) {
		/*
		 * The reader (bad UTF-8, control characters) gives a byte
		 * offset, not a mark: count lines and characters up to it.
		 */
		memset(&mark, 0, sizeof mark);
		for (i = 0; i < p->problem_offset && i < len; i++) {
			if (data[i] == '\n') {
				mark.line++;
				mark.column = 0;
			} else if (((unsigned char)data[i] & 0xc0) != 0x80)
				mark.column++;
		}
	}
	if (p->problem == NULL)
		return record_reader_fail(rd, &mark, "YAML error");
	if (p->context != NULL)
		return record_reader_fail(rd, &mark, "%s %s", p->problem,
		    p->context);
	return record_reader_fail(rd, &mark, "%s", p->problem);
}

int
record_read_mem(const char *data, size_t len, const char *name,
    struct record **out, struct errbuf *err)
{
	struct record_reader	 rd;
	struct record_entry_ctx	 ctx;
	yaml_parser_t		 parser;
	yaml_document_t		 extra;
	yaml_node_t		*root, *n;
	struct record		*r = NULL;
	yaml_mark_t		 start = { 0, 0, 0 };
	int			 error;

	*out = NULL;
	memset(&rd, 0, sizeof rd);
	rd.name = name != NULL ? name : "record";
	rd.err = err;
	if (len > RECORD_READ_MAX) {
		errbuf_set(err, "%s: larger than %d bytes", rd.name,
		    RECORD_READ_MAX);
		return -EFBIG;
	}
	if (!yaml_parser_initialize(&parser)) {
		errbuf_set(err, "%s: cannot start the YAML parser", rd.name);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data,
	    len);
	if (!yaml_parser_load(&parser, &rd.doc)) {
		error = record_reader_parse_error(&rd, &parser, data, len);
		yaml_parser_delete(&parser);
		return error;
	}

	if ((root = yaml_document_get_root_node(&rd.doc)) == NULL) {
		error = record_reader_fail(&rd, &start, "no record in the file");
		goto out;
	}
	rd.nnodes = (size_t)(rd.doc.nodes.top - rd.doc.nodes.start);
	rd.seen = xcalloc(rd.nnodes, 1);
	rd.seen[0] = 1;
	if (root->type != YAML_MAPPING_NODE) {
		error = record_reader_fail(&rd, &root->start_mark,
		    "a record must be a mapping");
		goto out;
	}
	r = record_new(entry_new());
	ctx.record = r;
	ctx.entry = r->primary;
	if ((error = record_read_mapping(&rd, root, "record", record_keys,
	    RK_UNKNOWN, record_read_entry_pair, &ctx)) != 0)
		goto out;

	/*
	 * The closing "---" opens an empty document; anything more than
	 * empty documents after the record is not ours.
	 */
	for (;;) {
		if (!yaml_parser_load(&parser, &extra)) {
			error = record_reader_parse_error(&rd, &parser, data,
			    len);
			goto out;
		}
		n = yaml_document_get_root_node(&extra);
		if (n == NULL) {
			yaml_document_delete(&extra);
			break;
		}
		if (!record_scalar_null(n)) {
			error = record_reader_fail(&rd, &n->start_mark,
			    "unexpected content after the record");
			yaml_document_delete(&extra);
			goto out;
		}
		yaml_document_delete(&extra);
	}
	*out = r;
	r = NULL;
	error = 0;
out:
	record_free(r);
	free(rd.seen);
	yaml_document_delete(&rd.doc);
	yaml_parser_delete(&parser);
	return error;
}

int
record_read_file(const char *path, struct record **out, struct errbuf *err)
{
	struct stat	 st;
	char		*data;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd, error;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		error = -errno;
		errbuf_set(err, "%s: %s", path, strerror(errno));
		return error;
	}
	if (fstat(fd, &st) == -1) {
		error = -errno;
		errbuf_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		return error;
	}
	if (!S_ISREG(st.st_mode)) {
		errbuf_set(err, "%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	if (st.st_size > RECORD_READ_MAX) {
		errbuf_set(err, "%s: larger than %d bytes", path,
		    RECORD_READ_MAX);
		close(fd);
		return -EFBIG;
	}
	/* One byte more than the cap tells a file that grew meanwhile. */
	data = xmalloc((size_t)st.st_size + 1);
	for (;;) {
		n = read(fd, data + len, (size_t)st.st_size + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			error = -errno;
			errbuf_set(err, "%s: %s", path, strerror(errno));
			free(data);
			close(fd);
			return error;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == (size_t)st.st_size + 1)
			break;
	}
	close(fd);
	if (len > (size_t)st.st_size) {
		errbuf_set(err, "%s: changed while being read", path);
		free(data);
		return -EAGAIN;
	}
	error = record_read_mem(data, len, path, out, err);
	free(data);
	return error;
}
