/*
 * test_seal.c: the `secured` field: seal, unseal, wrong keys, damaged
 * fields, provenance documents and key files.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "record.h"
#include "seal.h"
#include "test.h"
#include "xmalloc.h"

static const unsigned char key_bytes[SEAL_KEY_LEN] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};
#define KEY_HEX	"000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f"

/* The provenance document of the tests, made by sample_doc(). */
static char	*doc_text;

#define DOC_BODY \
    "feedfold-provenance 1\n" \
    "feed: https://cointelegraph.com/rss\n" \
    "entry: https://cointelegraph.com/news/meta-ai\n" \
    "fetched: 2024-01-19T14:00:05Z\n" \
    "hash: 0123456789abcdef\n"

static void
sample_doc(void)
{
	struct seal_provenance	 p;

	if (doc_text != NULL)
		return;
	memset(&p, 0, sizeof p);
	p.feed_url = (char *)"https://cointelegraph.com/rss";
	p.entry_id = (char *)"https://cointelegraph.com/news/meta-ai";
	p.fetched = 1705672805;
	p.content_hash = 0x0123456789abcdefULL;
	doc_text = seal_provenance_format(&p);
}

static void
test_seal_roundtrip(void)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 300, 4096,
	    SEAL_PLAIN_MAX };
	struct seal_key	*key;
	struct errbuf	 err;
	struct buf	 out;
	unsigned char	*plain;
	char		*field, *again;
	size_t		 i, j;

	key = seal_key_new(key_bytes);
	buf_init(&out, SEAL_PLAIN_MAX);
	plain = xmalloc(SEAL_PLAIN_MAX);
	for (j = 0; j < SEAL_PLAIN_MAX; j++)
		plain[j] = (unsigned char)(j * 7 + 3);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		field = seal_encrypt(key, plain, sizes[i], &err);
		ASSERT_NOT_NULL(field);
		/* base64 of whole AES blocks (PKCS#7 always pads), ';', IV. */
		ASSERT_INT_EQ(strlen(field), ((sizes[i] / 16 + 1) * 16 + 2) /
		    3 * 4 + 1 + 24);
		ASSERT_INT_EQ(field[strlen(field) - 25], ';');
		ASSERT_INT_EQ(seal_decrypt(key, field, &out, &err), 0);
		ASSERT_MEM_EQ(out.data, out.len, plain, sizes[i]);
		/* A fresh IV each time: the same input never seals the same. */
		again = seal_encrypt(key, plain, sizes[i], &err);
		ASSERT_STR_NE(again, field);
		free(again);
		free(field);
	}
	ASSERT_NULL(seal_encrypt(key, plain, SEAL_PLAIN_MAX + 1, &err));
	free(plain);
	buf_free(&out);
	seal_key_free(key);
}

/* The seed's own field: 400 bytes of ciphertext and a 16-byte IV. */
static void
test_seal_seed_shape(void)
{
	unsigned char	 plain[390];
	struct seal_key	*key;
	struct errbuf	 err;
	struct buf	 out;
	char		*field;
	size_t		 n;

	key = seal_key_new(key_bytes);
	buf_init(&out, SEAL_PLAIN_MAX);
	memset(plain, 'p', sizeof plain);
	/* 390 bytes pad to 400. */
	field = seal_encrypt(key, plain, sizeof plain, &err);
	n = (size_t)(strchr(field, ';') - field);
	ASSERT_INT_EQ(n, 400 / 3 * 4 + 4);
	free(field);
	/* Someone else's key: the seed's field does not open with ours. */
	ASSERT_INT_EQ(seal_open(key, "Ym9D7ilkXTHqmUDLss/CmzsC+s3iZmPnsoVNEsxF"
	    "Zpg0oFG5Q4bgCSXgNLmjwW0n+IrXoN1YKCaIa35vtHS+PAvM1z1VvqUPGQD1ixVC"
	    "e8QYjnRlrIzLZa5dKHiPLSlSDm5nEDnBfbKH4uxvmzh7fyFDs6mzrDblMqFoxxjp"
	    "VQhWS+NF3WJ2TH+AGif/aJ3ws/LW+4Na1kuMUMNTOSPcQOnL5HY2JBNtV6Z1Zmpn"
	    "upK6IBv/WvLQUf1aMH16Fi5RgsvWlzjSULaivKV9j34lsIh4OSigEAplaZcLdY/Q"
	    "NHaYxmTfsCsQqifGj/4dEILQwcO1Cor21zy51Ew5wCQxooOdzTg7jAsLMk+4hpJ5"
	    "qs7qaZgE88WMUBjDGkmwFTzuhwAyZvuUZO9d+BoGz1X4NCTeyi+EFsUhqwyQkzy+"
	    "cnRjtixwKpDfDKcLTJaIR/RfRdLzZSE7eb8H/NkPAFPUUSd6K9Spf9ztmz1tfNTZ"
	    "cR/2Zum6hZF52EFRNZ1xBKvqOFYd+RLIFjbkGVEcwUdfiw==;JWHPQjRfyAfIeZd"
	    "EXlT9WQ==", &out, &err), -EBADMSG);
	ASSERT_NOT_NULL(strstr(err.msg, "wrong key"));
	buf_free(&out);
	seal_key_free(key);
}

/*
 * Many wrong keys: the padding check catches most, and the provenance
 * document's first line the ones whose padding passes by chance.
 */
static void
test_seal_wrong_key(void)
{
	struct seal_key	*key, *wrong;
	struct errbuf	 err;
	struct buf	 out;
	unsigned char	 other[SEAL_KEY_LEN];
	char		*field;
	int		 i;

	key = seal_key_new(key_bytes);
	field = seal_encrypt(key, doc_text, strlen(doc_text), &err);
	buf_init(&out, SEAL_PLAIN_MAX);
	ASSERT_INT_EQ(seal_open(key, field, &out, &err), 0);
	ASSERT_MEM_EQ(out.data, out.len, doc_text, strlen(doc_text));
	for (i = 0; i < 2000; i++) {
		memcpy(other, key_bytes, sizeof other);
		other[i % SEAL_KEY_LEN] ^= (unsigned char)(1 + i / SEAL_KEY_LEN);
		wrong = seal_key_new(other);
		errbuf_clear(&err);
		ASSERT_INT_EQ(seal_open(wrong, field, &out, &err), -EBADMSG);
		ASSERT_NOT_NULL(strstr(err.msg, "wrong key or damaged"));
		seal_key_free(wrong);
	}
	buf_free(&out);
	free(field);
	seal_key_free(key);
}

static void
test_seal_damaged(void)
{
	static const char *const bad[] = {
		"", ";", "abc", "AAAA;", ";AAECAwQFBgcICQoLDA0ODw==",
		"AAAA;AAECAwQFBgcICQoLDA0ODw==",
		"AAAAAAAAAAAAAAAAAAAAAA==;AAECAwQFBgcICQoLDA0ODw==;x",
		"AAAAAAAAAAAAAAAAAAAAAA==;AAECAwQFBgcICQoLDA0O",
		"AAAAAAAAAAAAAAAAAAAAAA==;AAECAwQFBgcICQoLDA0ODw==\n",
		"AAAAAAAAAAAAAAAA AAAAAA==;AAECAwQFBgcICQoLDA0ODw==",
		"AAAAAAAAAAAAAAAAAAAAAA=A;AAECAwQFBgcICQoLDA0ODw==",
		"AAAAAAAAAAAAAAAAAAAAA*==;AAECAwQFBgcICQoLDA0ODw==",
		"AAAAAAAAAAAAAAAAAAAAAA==;AAECAwQFBgcICQoLDA0ODwAA",
	};
	struct seal_key	*key;
	struct errbuf	 err;
	struct buf	 out;
	char		*field, *p;
	size_t		 i, n;

	key = seal_key_new(key_bytes);
	buf_init(&out, SEAL_PLAIN_MAX);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errbuf_clear(&err);
		if (seal_open(key, bad[i], &out, &err) != -EBADMSG)
			test_fail(__FILE__, __LINE__, "case %zu opened", i);
		ASSERT(err.msg[0] != '\0');
	}

	/* Every single-character change in a real field is refused. */
	field = seal_encrypt(key, doc_text, strlen(doc_text), &err);
	n = strlen(field);
	for (i = 0; i < n; i++) {
		p = xstrdup(field);
		p[i] = p[i] == 'A' ? 'B' : 'A';
		if (seal_open(key, p, &out, &err) == 0 &&
		    (out.len != strlen(doc_text) ||
		    memcmp(out.data, doc_text, out.len) != 0))
			test_fail(__FILE__, __LINE__, "change at %zu opened "
			    "into something else", i);
		free(p);
	}
	/* Truncated. */
	p = xstrndup(field, n - 30);
	ASSERT_INT_EQ(seal_open(key, p, &out, &err), -EBADMSG);
	free(p);
	free(field);
	buf_free(&out);
	seal_key_free(key);
}

static void
test_seal_provenance(void)
{
	struct seal_provenance	 p, q;
	struct errbuf		 err;
	char			*doc;

	memset(&p, 0, sizeof p);
	p.feed_url = xstrdup("https://cointelegraph.com/rss");
	p.entry_id = xstrdup("https://cointelegraph.com/news/meta-ai");
	p.fetched = 1705672805;
	p.content_hash = 0x0123456789abcdefULL;
	doc = seal_provenance_format(&p);
	ASSERT_STR_EQ(doc, doc_text);
	ASSERT_INT_EQ(strncmp(doc, DOC_BODY, strlen(DOC_BODY)), 0);
	ASSERT_INT_EQ(strncmp(doc + strlen(DOC_BODY), "check: ", 7), 0);
	ASSERT_INT_EQ(strlen(doc), strlen(DOC_BODY) + 7 + 16 + 1);
	ASSERT_INT_EQ(seal_provenance_parse(doc, strlen(doc), &q, &err), 0);
	ASSERT_STR_EQ(q.feed_url, p.feed_url);
	ASSERT_STR_EQ(q.entry_id, p.entry_id);
	ASSERT_INT_EQ(q.fetched, p.fetched);
	ASSERT(q.content_hash == p.content_hash);
	seal_provenance_clear(&q);
	free(doc);
	seal_provenance_clear(&p);

	/* Line breaks, '%' and controls in a GUID stay on one line. */
	p.feed_url = NULL;
	p.entry_id = xstrdup("tag:x,2024:%41\nfeed: evil\r\x01\x7f");
	p.fetched = ENTRY_NO_DATE;
	p.content_hash = 0;
	doc = seal_provenance_format(&p);
	ASSERT_INT_EQ(strncmp(doc, "feedfold-provenance 1\nfeed: \n"
	    "entry: tag:x,2024:%2541%0Afeed: evil%0D%01%7F\nfetched: \n"
	    "hash: 0000000000000000\ncheck: ", 109), 0);
	ASSERT_INT_EQ(seal_provenance_parse(doc, strlen(doc), &q, &err), 0);
	ASSERT_NULL(q.feed_url);
	ASSERT_STR_EQ(q.entry_id, p.entry_id);
	ASSERT_INT_EQ(q.fetched, ENTRY_NO_DATE);
	seal_provenance_clear(&q);
	free(doc);
	seal_provenance_clear(&p);

	ASSERT_INT_EQ(seal_provenance_parse("", 0, &q, &err), -EBADMSG);
	ASSERT_INT_EQ(seal_provenance_parse("feedfold-provenance 2\n", 22, &q,
	    &err), -EBADMSG);
	doc = xstrdup(doc_text);
	doc[strlen(doc) - 2] = 'g';
	ASSERT_INT_EQ(seal_provenance_parse(doc, strlen(doc), &q, &err),
	    -EBADMSG);
	/* A changed value no longer matches the check line. */
	doc[strlen(doc) - 2] = doc_text[strlen(doc_text) - 2];
	doc[30] = 'X';
	ASSERT_INT_EQ(seal_provenance_parse(doc, strlen(doc), &q, &err),
	    -EBADMSG);
	free(doc);
	/* Trailing junk, missing lines, bad escapes. */
	doc = xasprintf("%sextra: 1\n", doc_text);
	ASSERT_INT_EQ(seal_provenance_parse(doc, strlen(doc), &q, &err),
	    -EBADMSG);
	free(doc);
	ASSERT_INT_EQ(seal_provenance_parse(doc_text, strlen(doc_text) - 1, &q,
	    &err), -EBADMSG);
	doc = xstrdup("feedfold-provenance 1\nfeed: %0\nentry: \nfetched: \n"
	    "hash: 0000000000000000\ncheck: 0000000000000000\n");
	ASSERT_INT_EQ(seal_provenance_parse(doc, strlen(doc), &q, &err),
	    -EBADMSG);
	free(doc);
	doc = xstrdup("feedfold-provenance 1\nfeed: %00\nentry: \nfetched: \n"
	    "hash: 0000000000000000\ncheck: 0000000000000000\n");
	ASSERT_INT_EQ(seal_provenance_parse(doc, strlen(doc), &q, &err),
	    -EBADMSG);
	free(doc);
}

static void
test_seal_entry(void)
{
	struct seal_key	*key;
	struct entry	*e;
	struct errbuf	 err;
	struct buf	 out;
	char		*field;

	key = seal_key_new(key_bytes);
	e = entry_new();
	entry_set(&e->feed_url, "https://cointelegraph.com/rss");
	entry_set(&e->guid, "https://cointelegraph.com/news/meta-ai");
	e->fetched = 1705672805;
	e->content_hash = 0x0123456789abcdefULL;
	field = seal_entry(key, e, &err);
	ASSERT_NOT_NULL(field);
	buf_init(&out, SEAL_PLAIN_MAX);
	ASSERT_INT_EQ(seal_open(key, field, &out, &err), 0);
	ASSERT_STR_EQ(buf_str(&out), doc_text);
	buf_free(&out);
	free(field);
	entry_free(e);
	seal_key_free(key);
}

static char *
key_file(const char *dir, const char *name, const void *data, size_t len,
    mode_t mode)
{
	char	*path;
	int	 fd;

	path = xasprintf("%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT(fd != -1);
	ASSERT_INT_EQ(write(fd, data, len), (ssize_t)len);
	ASSERT_INT_EQ(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

/* A key file loaded and used to open what seal_key_new() sealed. */
static void
check_key_opens(const char *path)
{
	struct seal_key	*ref, *key;
	struct errbuf	 err;
	struct buf	 out;
	char		*field;

	errbuf_clear(&err);
	key = seal_key_load(path, &err);
	if (key == NULL)
		test_fail(__FILE__, __LINE__, "%s refused: %s", path, err.msg);
	ref = seal_key_new(key_bytes);
	field = seal_encrypt(ref, doc_text, strlen(doc_text), &err);
	buf_init(&out, SEAL_PLAIN_MAX);
	ASSERT_INT_EQ(seal_open(key, field, &out, &err), 0);
	buf_free(&out);
	free(field);
	seal_key_free(ref);
	seal_key_free(key);
}

static void
check_key_refused(const char *path, const char *why)
{
	struct errbuf	 err;

	errbuf_clear(&err);
	ASSERT_NULL(seal_key_load(path, &err));
	if (strstr(err.msg, why) == NULL)
		test_fail(__FILE__, __LINE__, "\"%s\" does not say \"%s\"",
		    err.msg, why);
	ASSERT_NOT_NULL(strstr(err.msg, path));
}

static void
test_seal_key_files(void)
{
	char	*dir, *p, big[200];

	dir = test_tmpdir();
	p = key_file(dir, "raw", key_bytes, 32, 0600);
	check_key_opens(p);
	free(p);
	p = key_file(dir, "hex", KEY_HEX, 64, 0400);
	check_key_opens(p);
	free(p);
	p = key_file(dir, "hexnl", KEY_HEX "\n", 65, 0600);
	check_key_opens(p);
	free(p);
	p = key_file(dir, "hexcrlf", KEY_HEX "\r\n", 66, 0600);
	check_key_opens(p);
	free(p);
	p = key_file(dir, "HEX", "000102030405060708090A0B0C0D0E0F"
	    "101112131415161718191A1B1C1D1E1F", 64, 0600);
	check_key_opens(p);
	free(p);

	p = key_file(dir, "group", KEY_HEX, 64, 0640);
	check_key_refused(p, "readable or writable by group or others "
	    "(mode 0640)");
	free(p);
	p = key_file(dir, "world", key_bytes, 32, 0604);
	check_key_refused(p, "(mode 0604)");
	free(p);
	p = key_file(dir, "groupwrite", key_bytes, 32, 0620);
	check_key_refused(p, "group or others");
	free(p);
	p = key_file(dir, "short", key_bytes, 31, 0600);
	check_key_refused(p, "wrong size (31 bytes)");
	free(p);
	p = key_file(dir, "rawnl", KEY_HEX, 33, 0600);
	check_key_refused(p, "wrong size (33 bytes)");
	free(p);
	p = key_file(dir, "empty", "", 0, 0600);
	check_key_refused(p, "wrong size (0 bytes)");
	free(p);
	memset(big, 'a', sizeof big);
	p = key_file(dir, "big", big, sizeof big, 0600);
	check_key_refused(p, "wrong size (at least 128 bytes)");
	free(p);
	p = key_file(dir, "nothex", "g00102030405060708090a0b0c0d0e0f"
	    "101112131415161718191a1b1c1d1e1f", 64, 0600);
	check_key_refused(p, "not all hex digits");
	free(p);
	p = key_file(dir, "hexspace", KEY_HEX " ", 65, 0600);
	check_key_refused(p, "not all hex digits");
	free(p);
	p = xasprintf("%s/missing", dir);
	check_key_refused(p, "No such file");
	free(p);
	check_key_refused(dir, "not a regular file");
	test_rmtree(dir);
	free(dir);
}

static const struct test_case cases[] = {
	TEST(test_seal_roundtrip),
	TEST(test_seal_seed_shape),
	TEST(test_seal_wrong_key),
	TEST(test_seal_damaged),
	TEST(test_seal_provenance),
	TEST(test_seal_entry),
	TEST(test_seal_key_files),
};

int
main(void)
{
	int	 status;

	sample_doc();
	status = TEST_MAIN(cases);
	free(doc_text);
	return status;
}
