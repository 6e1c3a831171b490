/*
 * seal.h: the `secured` field: sealed provenance of a record.
 *
 * A small text document saying where the primary entry came from (feed
 * URL, entry id, fetch time, content hash) is encrypted with AES-256-CBC
 * and PKCS#7 padding under a 32-byte key, with a fresh random IV for every
 * seal, and written "base64(ciphertext);base64(iv)". seal.c is the only
 * file that uses libcrypto. The format is described in
 * docs/record-format.md.
 */
#ifndef FEEDFOLD_SEAL_H
#define FEEDFOLD_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "errbuf.h"
#include "record.h"

#define SEAL_KEY_LEN		32
#define SEAL_IV_LEN		16
/* The largest provenance document sealed or unsealed. */
#define SEAL_PLAIN_MAX		(64 * 1024)

struct seal_key;

/*
 * What `secured` holds. Strings are owned by the struct (seal_provenance_
 * clear); NULL means unknown and is written as an empty value.
 */
struct seal_provenance {
	char		*feed_url;
	char		*entry_id;	/* the feed's id/GUID for the entry */
	int64_t		 fetched;	/* Unix seconds, UTC; ENTRY_NO_DATE if unknown */
	uint64_t	 content_hash;	/* XXH3 of the entry's content */
};

/*
 * Load a key file: exactly 32 raw bytes, or 64 hex digits with an optional
 * trailing newline. Refused when group- or world-accessible, not a regular
 * file, or of another size. Returns a new key (seal_key_free) or NULL with
 * the reason in errbuf.
 */
struct seal_key	*seal_key_load(const char *path, struct errbuf *);
/* A key from 32 bytes (tests). Never NULL. */
struct seal_key	*seal_key_new(const unsigned char bytes[SEAL_KEY_LEN]);
/* Wipes and frees; NULL is a no-op. */
void		 seal_key_free(struct seal_key *);

/*
 * Encrypt len bytes (at most SEAL_PLAIN_MAX) with a fresh IV. Returns the
 * field text "base64(ciphertext);base64(iv)", owned by the caller, or NULL
 * with the reason in errbuf if libcrypto fails.
 */
char		*seal_encrypt(const struct seal_key *, const void *plain,
		    size_t len, struct errbuf *);
/*
 * Decrypt a field. On success the plaintext replaces out's content and 0 is
 * returned; on a damaged field or a wrong key, a negative code with the
 * reason in errbuf.
 */
int		 seal_decrypt(const struct seal_key *, const char *field,
		    struct buf *out, struct errbuf *);

/* The provenance as its text document (caller frees). */
char		*seal_provenance_format(const struct seal_provenance *);
/*
 * Parse a provenance document into p (zeroed first; seal_provenance_clear
 * afterwards either way). Returns 0, or -EBADMSG with the reason in errbuf.
 */
int		 seal_provenance_parse(const char *, size_t,
		    struct seal_provenance *, struct errbuf *);
void		 seal_provenance_clear(struct seal_provenance *);

/*
 * Seal an entry's provenance (feed_url, guid, fetched, content_hash): the
 * `secured` value for a record whose primary it is. Caller frees; NULL
 * with the reason in errbuf on failure.
 */
char		*seal_entry(const struct seal_key *, const struct entry *,
		    struct errbuf *);

/*
 * Unseal a field into its provenance document (the plaintext, checked to
 * be a provenance document). Returns 0 with the document in out, or a
 * negative code with "wrong key or damaged field" style reasons.
 */
int		 seal_open(const struct seal_key *, const char *field,
		    struct buf *out, struct errbuf *);

#endif
