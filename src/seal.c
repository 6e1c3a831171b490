/*
 * seal.c: sealing and unsealing the `secured` field (seal.h).
 *
 * The only file that uses libcrypto. AES-256-CBC with PKCS#7 padding
 * through EVP, a fresh IV from RAND_bytes() for every seal, base64 through
 * EVP_EncodeBlock(). CBC has no integrity check of its own: a wrong key or
 * a damaged field is caught by the padding check and, when that passes by
 * chance (about one time in 256), by the provenance document's fixed first
 * line and its last, a checksum of the lines before it. That catches
 * damage; it is not a MAC against a forger, which the record format's
 * AES-CBC does not have (docs/record-format.md).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <xxhash.h>

#include "seal.h"
#include "xmalloc.h"

/* The first line of every provenance document, with its version. */
#define SEAL_MAGIC	"feedfold-provenance 1\n"

struct seal_key {
	unsigned char	 bytes[SEAL_KEY_LEN];
};

struct seal_key *
seal_key_new(const unsigned char bytes[SEAL_KEY_LEN])
{
	struct seal_key	*key;

	key = xmalloc(sizeof *key);
	memcpy(key->bytes, bytes, SEAL_KEY_LEN);
	return key;
}

void
seal_key_free(struct seal_key *key)
{
	if (key == NULL)
		return;
	OPENSSL_cleanse(key->bytes, sizeof key->bytes);
	free(key);
}

static int
seal_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 64 hex digits to 32 bytes; -1 if any is not a hex digit. */
static int
seal_key_hex(const unsigned char *s, unsigned char out[SEAL_KEY_LEN])
{
	int	 i, hi, lo;

	for (i = 0; i < SEAL_KEY_LEN; i++) {
		hi = seal_hex_digit(s[2 * i]);
		lo = seal_hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

struct seal_key *
seal_key_load(const char *path, struct errbuf *err)
{
	unsigned char	 data[128], bytes[SEAL_KEY_LEN];
	struct seal_key	*key = NULL;
	struct stat	 st;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		errbuf_set(err, "key file %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		errbuf_set(err, "key file %s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		errbuf_set(err, "key file %s: not a regular file", path);
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		errbuf_set(err, "key file %s: readable or writable by group or "
		    "others (mode %04o); run chmod 600 on it", path,
		    (unsigned int)(st.st_mode & 07777));
		goto out;
	}
	/* Read at most sizeof data: anything that long is wrong anyway. */
	while (len < sizeof data) {
		n = read(fd, data + len, sizeof data - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			errbuf_set(err, "key file %s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}

	if (len == SEAL_KEY_LEN)
		key = seal_key_new(data);
	else if ((len == 64 || (len == 65 && data[64] == '\n') ||
	    (len == 66 && data[64] == '\r' && data[65] == '\n')) &&
	    seal_key_hex(data, bytes) == 0)
		key = seal_key_new(bytes);
	else if (len == 64 || len == 65 || len == 66)
		errbuf_set(err, "key file %s: 64 characters that are not all "
		    "hex digits", path);
	else
		errbuf_set(err, "key file %s: wrong size (%s%zu bytes); want "
		    "32 raw bytes or 64 hex digits", path,
		    len == sizeof data ? "at least " : "", len);
out:
	OPENSSL_cleanse(data, sizeof data);
	OPENSSL_cleanse(bytes, sizeof bytes);
	close(fd);
	return key;
}

char *
seal_encrypt(const struct seal_key *key, const void *plain, size_t len,
    struct errbuf *err)
{
	unsigned char	 iv[SEAL_IV_LEN], *ct = NULL;
	EVP_CIPHER_CTX	*ctx = NULL;
	char		*out = NULL;
	int		 n1, n2, b1;

	if (len > SEAL_PLAIN_MAX) {
		errbuf_set(err, "seal: document of %zu bytes is too large",
		    len);
		return NULL;
	}
	if (RAND_bytes(iv, sizeof iv) != 1) {
		errbuf_set(err, "seal: no random bytes for the IV");
		return NULL;
	}
	/* PKCS#7 adds 1 to 16 bytes. */
	ct = xmalloc(len + SEAL_IV_LEN);
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key->bytes,
	    iv) != 1 ||
	    EVP_EncryptUpdate(ctx, ct, &n1, plain, (int)len) != 1 ||
	    EVP_EncryptFinal_ex(ctx, ct + n1, &n2) != 1) {
		errbuf_set(err, "seal: encryption failed");
		goto out;
	}
	/* base64: 4 characters per 3 bytes, then ';', the IV's 24 and NUL. */
	out = xmalloc(((size_t)(n1 + n2) + 2) / 3 * 4 + 1 + 24 + 1);
	b1 = EVP_EncodeBlock((unsigned char *)out, ct, n1 + n2);
	out[b1] = ';';
	EVP_EncodeBlock((unsigned char *)out + b1 + 1, iv, sizeof iv);
out:
	EVP_CIPHER_CTX_free(ctx);
	free(ct);
	return out;
}

/*
 * Strict base64 (the alphabet, whole blocks, '=' only at the end) of n
 * characters into out; returns the decoded length or -1.
 */
static int
seal_base64_decode(const char *s, size_t n, unsigned char *out)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t	 i, pad = 0;
	int	 len;

	if (n == 0 || n % 4 != 0)
		return -1;
	if (s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	for (i = 0; i < n - pad; i++) {
		if (s[i] == '\0' || strchr(alphabet, s[i]) == NULL)
			return -1;
	}
	len = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
	if (len < 0)
		return -1;
	return len - (int)pad;
}

int
seal_decrypt(const struct seal_key *key, const char *field, struct buf *out,
    struct errbuf *err)
{
	unsigned char	 iv[SEAL_IV_LEN + 3], *ct = NULL, *pt = NULL;
	EVP_CIPHER_CTX	*ctx = NULL;
	const char	*semi;
	size_t		 ctlen64;
	int		 ctlen, ivlen, n1, n2, error = -EBADMSG;

	if ((semi = strchr(field, ';')) == NULL ||
	    strchr(semi + 1, ';') != NULL) {
		errbuf_set(err, "damaged secured field: want "
		    "base64(ciphertext);base64(iv)");
		return -EBADMSG;
	}
	ctlen64 = (size_t)(semi - field);
	if (ctlen64 > (SEAL_PLAIN_MAX + SEAL_IV_LEN) / 3 * 4 + 4) {
		errbuf_set(err, "damaged secured field: ciphertext too long");
		return -EBADMSG;
	}
	if (strlen(semi + 1) != 24 ||
	    (ivlen = seal_base64_decode(semi + 1, 24, iv)) != SEAL_IV_LEN) {
		errbuf_set(err, "damaged secured field: the IV is not 16 bytes "
		    "of base64");
		return -EBADMSG;
	}
	ct = xmalloc(ctlen64 / 4 * 3 + 3);
	ctlen = seal_base64_decode(field, ctlen64, ct);
	if (ctlen <= 0 || ctlen % 16 != 0) {
		errbuf_set(err, "damaged secured field: the ciphertext is not "
		    "whole AES blocks of base64");
		goto out;
	}
	pt = xmalloc((size_t)ctlen + SEAL_IV_LEN);
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), NULL, key->bytes,
	    iv) != 1 ||
	    EVP_DecryptUpdate(ctx, pt, &n1, ct, ctlen) != 1) {
		errbuf_set(err, "unseal: decryption failed");
		goto out;
	}
	if (EVP_DecryptFinal_ex(ctx, pt + n1, &n2) != 1) {
		errbuf_set(err, "wrong key or damaged secured field (bad "
		    "padding)");
		goto out;
	}
	buf_reset(out);
	if (buf_add(out, pt, (size_t)(n1 + n2)) != 0) {
		errbuf_set(err, "unseal: document too large");
		error = -E2BIG;
		goto out;
	}
	error = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	if (pt != NULL) {
		OPENSSL_cleanse(pt, (size_t)ctlen);
		free(pt);
	}
	free(ct);
	return error;
}

/* A value on one line: '%', control characters and DEL as %XX. */
static void
seal_add_value(struct buf *b, const char *s)
{
	const unsigned char	*p;

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '%' || *p < 0x20 || *p == 0x7f)
			buf_printf(b, "%%%02X", *p);
		else
			buf_addc(b, (char)*p);
	}
}

char *
seal_provenance_format(const struct seal_provenance *p)
{
	struct buf	 b;
	struct tm	 tm;
	time_t		 t;

	buf_init(&b, BUF_NOMAX);
	buf_adds(&b, SEAL_MAGIC);
	buf_adds(&b, "feed: ");
	seal_add_value(&b, p->feed_url);
	buf_adds(&b, "\nentry: ");
	seal_add_value(&b, p->entry_id);
	buf_adds(&b, "\nfetched: ");
	t = (time_t)p->fetched;
	if (p->fetched != ENTRY_NO_DATE && p->fetched >= 0 &&
	    p->fetched <= 253402300799LL && gmtime_r(&t, &tm) != NULL)
		buf_printf(&b, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	buf_printf(&b, "\nhash: %016" PRIx64 "\n", p->content_hash);
	buf_printf(&b, "check: %016" PRIx64 "\n",
	    (uint64_t)XXH3_64bits(b.data, b.len));
	return buf_detach(&b);
}

/* The value after "key: " on the line at *s, decoded; advances *s. */
static int
seal_take_line(const char **s, const char *end, const char *key, char **out)
{
	const char	*p = *s, *nl;
	struct buf	 b;
	size_t		 klen = strlen(key);
	int		 hi, lo;

	*out = NULL;
	if ((size_t)(end - p) < klen + 2 || memcmp(p, key, klen) != 0 ||
	    p[klen] != ':' || p[klen + 1] != ' ')
		return -1;
	p += klen + 2;
	if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
		return -1;
	buf_init(&b, SEAL_PLAIN_MAX);
	for (; p < nl; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			goto fail;
		if (*p == '%') {
			if (nl - p < 3 || (hi = seal_hex_digit(p[1])) < 0 ||
			    (lo = seal_hex_digit(p[2])) < 0 ||
			    (hi == 0 && lo == 0))
				goto fail;
			buf_addc(&b, (char)(hi << 4 | lo));
			p += 2;
		} else
			buf_addc(&b, *p);
	}
	*s = nl + 1;
	*out = b.len != 0 ? buf_detach(&b) : NULL;
	buf_free(&b);
	return 0;
fail:
	buf_free(&b);
	return -1;
}

int
seal_provenance_parse(const char *s, size_t len, struct seal_provenance *p,
    struct errbuf *err)
{
	const char	*start = s, *end = s + len, *body_end;
	char		*fetched = NULL, *hash = NULL, *check = NULL, *x;
	struct tm	 tm;
	int		 n = 0;

	memset(p, 0, sizeof *p);
	p->fetched = ENTRY_NO_DATE;
	if (len < strlen(SEAL_MAGIC) ||
	    memcmp(s, SEAL_MAGIC, strlen(SEAL_MAGIC)) != 0)
		goto fail;
	s += strlen(SEAL_MAGIC);
	if (seal_take_line(&s, end, "feed", &p->feed_url) != 0 ||
	    seal_take_line(&s, end, "entry", &p->entry_id) != 0 ||
	    seal_take_line(&s, end, "fetched", &fetched) != 0 ||
	    seal_take_line(&s, end, "hash", &hash) != 0)
		goto fail;
	body_end = s;
	if (seal_take_line(&s, end, "check", &check) != 0 || s != end ||
	    check == NULL || strlen(check) != 16 ||
	    strspn(check, "0123456789abcdef") != 16 ||
	    strtoull(check, &x, 16) != (unsigned long long)XXH3_64bits(start,
	    (size_t)(body_end - start)))
		goto fail;
	if (fetched != NULL) {
		memset(&tm, 0, sizeof tm);
		if (strlen(fetched) != 20 || sscanf(fetched,
		    "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon,
		    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
		    &n) != 6 || n != 20)
			goto fail;
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		p->fetched = (int64_t)timegm(&tm);
	}
	if (hash == NULL || strlen(hash) != 16 ||
	    strspn(hash, "0123456789abcdef") != 16)
		goto fail;
	p->content_hash = strtoull(hash, &x, 16);
	free(fetched);
	free(hash);
	free(check);
	return 0;
fail:
	free(fetched);
	free(hash);
	free(check);
	seal_provenance_clear(p);
	errbuf_set(err, "wrong key or damaged secured field (not a "
	    "provenance document)");
	return -EBADMSG;
}

void
seal_provenance_clear(struct seal_provenance *p)
{
	free(p->feed_url);
	free(p->entry_id);
	p->feed_url = p->entry_id = NULL;
}

char *
seal_entry(const struct seal_key *key, const struct entry *e,
    struct errbuf *err)
{
	struct seal_provenance	 p;
	char			*doc, *field;

	p.feed_url = e->feed_url;
	p.entry_id = e->guid;
	/* entry_new() leaves fetched at 0: not known. */
	p.fetched = e->fetched > 0 ? e->fetched : ENTRY_NO_DATE;
	p.content_hash = e->content_hash;
	doc = seal_provenance_format(&p);
	field = seal_encrypt(key, doc, strlen(doc), err);
	free(doc);
	return field;
}

int
seal_open(const struct seal_key *key, const char *field, struct buf *out,
    struct errbuf *err)
{
	struct seal_provenance	 p;
	int			 error;

	if ((error = seal_decrypt(key, field, out, err)) != 0)
		return error;
	if ((error = seal_provenance_parse(out->data, out->len, &p,
	    err)) != 0)
		return error;
	seal_provenance_clear(&p);
	return 0;
}
