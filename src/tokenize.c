/*
 * tokenize.c: normalised words and hashed features for the story
 * clusterer (tokenize.h).
 *
 * Folding is table-driven and covers the scripts news feeds mostly use;
 * a letter outside the tables is kept as it is (lower-cased where the
 * Unicode block pairs capitals and small letters by parity). Everything is
 * done on the caller's stack: the clusterer tokenizes every item of the
 * stream, so the hot path allocates nothing.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "tokenize.h"

/* What one code point is to the tokenizer. */
enum tokenize_class {
	TOKENIZE_SEP,		/* ends a word */
	TOKENIZE_LETTER,	/* part of a word: bytes written */
	TOKENIZE_SKIP,		/* combining mark: nothing, the word goes on */
	TOKENIZE_APOS,		/* apostrophe: joins or ends a possessive */
	TOKENIZE_SOLO,		/* a word by itself (Han, kana) */
};

/*
 * Latin-1 Supplement U+00C0-U+00FF with diacritics removed. Upper-case
 * letters stand for two-letter foldings: A = "ae", T = "th", S = "ss";
 * '.' is a separator (multiplication and division signs).
 */
static const char tokenize_latin1[64] =
	"aaaaaaAceeeeiiiidnooooo.ouuuuyTS"
	"aaaaaaAceeeeiiiidnooooo.ouuuuyTy";

/*
 * Latin Extended-A U+0100-U+017F, folded to the base letter; J = "ij",
 * O = "oe".
 */
static const char tokenize_latin_a[128] =
	"aaaaaaccccccccdd" "ddeeeeeeeeeegggg" "gggghhhhiiiiiiii"
	"iiJJjjkkklllllll" "lllnnnnnnnnnoooo" "ooOOrrrrrrssssss"
	"ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";

/*
 * ASCII folded: a letter or digit maps to its lower-case self, another
 * ASCII character to 1 (a separator), the apostrophe and every byte of a
 * multibyte sequence to 0 (the slow path classifies it).
 */
#define TOKENIZE_ASCII_SEP \
	[1] = 1, [2] = 1, [3] = 1, [4] = 1, [5] = 1, [6] = 1, [7] = 1, \
	[8] = 1, [9] = 1, [10] = 1, [11] = 1, [12] = 1, [13] = 1, [14] = 1, \
	[15] = 1, [16] = 1, [17] = 1, [18] = 1, [19] = 1, [20] = 1, [21] = 1, \
	[22] = 1, [23] = 1, [24] = 1, [25] = 1, [26] = 1, [27] = 1, [28] = 1, \
	[29] = 1, [30] = 1, [31] = 1, [' '] = 1, ['!'] = 1, ['"'] = 1, \
	['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['('] = 1, [')'] = 1, \
	['*'] = 1, ['+'] = 1, [','] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1, \
	[':'] = 1, [';'] = 1, ['<'] = 1, ['='] = 1, ['>'] = 1, ['?'] = 1, \
	['@'] = 1, ['['] = 1, ['\\'] = 1, [']'] = 1, ['^'] = 1, ['_'] = 1, \
	['`'] = 1, ['{'] = 1, ['|'] = 1, ['}'] = 1, ['~'] = 1, [127] = 1

static const unsigned char tokenize_ascii[256] = {
	TOKENIZE_ASCII_SEP,
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e',
	['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j',
	['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o',
	['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't',
	['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
	['Z'] = 'z',
	['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e',
	['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j',
	['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n', ['o'] = 'o',
	['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't',
	['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y',
	['z'] = 'z',
};

/*
 * English stop words, normalised as the tokenizer leaves them (no
 * apostrophes: "don't" is "dont"). Sorted by strcmp for bsearch; keep it
 * so when adding a word (tests/test_tokenize.c checks the order).
 */
static const char *const tokenize_stop_words[] = {
	"a", "about", "above", "after", "again", "against", "all", "also",
	"am", "an", "and", "any", "are", "arent", "as", "at",
	"be", "because", "been", "before", "being", "below", "between", "both",
	"but", "by", "can", "cannot", "cant", "could", "couldnt", "did",
	"didnt", "do", "does", "doesnt", "doing", "dont", "down", "during",
	"each", "few", "for", "from", "further", "had", "hadnt", "has",
	"hasnt", "have", "havent", "having", "he", "her",
	"here", "heres", "hers", "herself", "hes", "him", "himself", "his",
	"how", "hows", "i", "if", "im", "in",
	"into", "is", "isnt", "it", "its", "itself", "ive", "just",
	"lets", "may", "me", "might", "more", "most", "must", "mustnt",
	"my", "myself", "no", "nor", "not", "of", "off", "on",
	"once", "only", "or", "other", "ought", "our", "ours", "ourselves",
	"out", "over", "own", "same", "shall", "shant", "she",
	"shes", "should", "shouldnt", "so", "some", "such", "than",
	"that", "thats", "the", "their", "theirs", "them", "themselves", "then",
	"there", "theres", "these", "they", "theyd", "theyll", "theyre", "theyve",
	"this", "those", "through", "to", "too", "under", "until", "up",
	"very", "was", "wasnt", "we", "were", "werent",
	"weve", "what", "whats", "when", "whens", "where", "wheres", "which",
	"while", "who", "whom", "whos", "why", "whys", "will", "with",
	"wont", "would", "wouldnt", "you", "youd", "youll", "your", "youre",
	"yours", "yourself", "yourselves", "youve",
};

/*
 * Words ending in s that are not plurals of a shorter word, or whose
 * folding would merge them with an unrelated word. Sorted by strcmp.
 */
static const char *const tokenize_keep_s[] = {
	"always", "analysis", "basis", "bias", "chaos", "christmas",
	"crisis", "diabetes", "economics", "ethics", "gas", "lens", "news",
	"perhaps", "physics", "politics", "series", "species", "texas",
	"thanks", "whereas",
};

static int
tokenize_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/*
 * Stop words are looked up for every word of every item, so they also sit
 * in a small open-addressing table keyed by FNV-1a, built once; the
 * sorted table stays the reference (and what a person edits).
 */
#define TOKENIZE_STOP_SLOTS	512	/* power of two, over twice the words */
static uint8_t		 tokenize_stop_map[TOKENIZE_STOP_SLOTS];
/*
 * By length and first letter, a bit per possible last letter: most words
 * are ruled out here without hashing (every stop word is lower-case a-z).
 */
static uint32_t		 tokenize_stop_mask[11][26];
/* By length, a bit per first letter of the words of tokenize_keep_s. */
static uint32_t		 tokenize_keep_mask[16];
static pthread_once_t	 tokenize_stop_once = PTHREAD_ONCE_INIT;
/* Set (release) by the builder: a shortcut past pthread_once per word. */
static atomic_int	 tokenize_stop_built;

static uint32_t
tokenize_fnv(const char *w, size_t len)
{
	uint32_t	 h = 2166136261u;
	size_t		 i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	return h;
}

static void
tokenize_stop_build(void)
{
	size_t		 i, k, n;
	const size_t	 nwords = sizeof tokenize_stop_words /
			    sizeof tokenize_stop_words[0];

	for (i = 0; i < nwords; i++) {
		n = strlen(tokenize_stop_words[i]);
		for (k = tokenize_fnv(tokenize_stop_words[i], n) &
		    (TOKENIZE_STOP_SLOTS - 1); tokenize_stop_map[k] != 0;
		    k = (k + 1) & (TOKENIZE_STOP_SLOTS - 1))
			;
		tokenize_stop_map[k] = (uint8_t)(i + 1);
		tokenize_stop_mask[n][tokenize_stop_words[i][0] - 'a'] |=
		    1u << (tokenize_stop_words[i][n - 1] - 'a');
	}
	for (i = 0; i < sizeof tokenize_keep_s / sizeof tokenize_keep_s[0];
	    i++) {
		n = strlen(tokenize_keep_s[i]);
		tokenize_keep_mask[n] |= 1u << (tokenize_keep_s[i][0] - 'a');
	}
	atomic_store_explicit(&tokenize_stop_built, 1, memory_order_release);
}

/* tokenize_is_stop_word(), inlined into the tokenizer's word ends. */
static inline int
tokenize_stop(const char *w, size_t len)
{
	const char	*sw;
	size_t		 k, i;
	uint8_t		 m;

	/* The longest stop word has 10 letters. */
	if (len == 0 || len > 10)
		return 0;
	if (w[0] < 'a' || w[0] > 'z' || w[len - 1] < 'a' || w[len - 1] > 'z' ||
	    !(tokenize_stop_mask[len][w[0] - 'a'] & (1u << (w[len - 1] - 'a'))))
		return 0;
	for (k = tokenize_fnv(w, len) & (TOKENIZE_STOP_SLOTS - 1);
	    (m = tokenize_stop_map[k]) != 0;
	    k = (k + 1) & (TOKENIZE_STOP_SLOTS - 1)) {
		sw = tokenize_stop_words[m - 1];
		for (i = 0; i < len && sw[i] == w[i]; i++)
			;
		if (i == len && sw[len] == '\0')
			return 1;
	}
	return 0;
}

/* Build the stop word tables once, before the first lookup. */
static inline void
tokenize_stop_ready(void)
{
	if (!atomic_load_explicit(&tokenize_stop_built, memory_order_acquire))
		pthread_once(&tokenize_stop_once, tokenize_stop_build);
}

int
tokenize_is_stop_word(const char *w, size_t len)
{
	tokenize_stop_ready();
	return tokenize_stop(w, len);
}

/* The reference lookup: bsearch in the sorted table (tests compare). */
int
tokenize_is_stop_word_sorted(const char *w, size_t len)
{
	char	 tmp[16];

	if (len == 0 || len >= sizeof tmp)
		return 0;
	memcpy(tmp, w, len);
	tmp[len] = '\0';
	return bsearch(tmp, tokenize_stop_words,
	    sizeof tokenize_stop_words / sizeof tokenize_stop_words[0],
	    sizeof tokenize_stop_words[0], tokenize_cmp) != NULL;
}

/* The stop word at index i of the sorted table, or NULL past its end. */
const char *
tokenize_stop_word_at(size_t i)
{
	if (i >= sizeof tokenize_stop_words / sizeof tokenize_stop_words[0])
		return NULL;
	return tokenize_stop_words[i];
}

static int
tokenize_keeps_s(const char *w, size_t len)
{
	char	 tmp[16];

	/* w is a-z only (tokenize_plural checked); most fail the mask. */
	if (len >= sizeof tmp ||
	    !(tokenize_keep_mask[len] & (1u << (w[0] - 'a'))))
		return 0;
	memcpy(tmp, w, len);
	tmp[len] = '\0';
	return bsearch(tmp, tokenize_keep_s,
	    sizeof tokenize_keep_s / sizeof tokenize_keep_s[0],
	    sizeof tokenize_keep_s[0], tokenize_cmp) != NULL;
}

/* Decode one UTF-8 sequence; an invalid one yields U+FFFD over one byte. */
static uint32_t
tokenize_decode(const unsigned char **pp, const unsigned char *end)
{
	const unsigned char	*p = *pp;
	uint32_t		 cp, min;
	size_t			 n, i;

	if (p[0] < 0x80) {
		*pp = p + 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		cp = p[0] & 0x1f;
		n = 2;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		cp = p[0] & 0x0f;
		n = 3;
		min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		cp = p[0] & 0x07;
		n = 4;
		min = 0x10000;
	} else
		goto bad;
	if ((size_t)(end - p) < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		goto bad;
	*pp = p + n;
	return cp;
bad:
	*pp = p + 1;
	return 0xfffd;
}

static size_t
tokenize_encode(uint32_t cp, char *out)
{
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Expand a table letter (see the tables above) into out. */
static size_t
tokenize_table_letter(char c, char *out)
{
	switch (c) {
	case 'A':
		memcpy(out, "ae", 2);
		return 2;
	case 'T':
		memcpy(out, "th", 2);
		return 2;
	case 'S':
		memcpy(out, "ss", 2);
		return 2;
	case 'J':
		memcpy(out, "ij", 2);
		return 2;
	case 'O':
		memcpy(out, "oe", 2);
		return 2;
	}
	out[0] = c;
	return 1;
}

/* Greek U+0370-U+03FF: lower case without tonos or dialytika. */
static uint32_t
tokenize_greek(uint32_t cp)
{
	switch (cp) {
	case 0x0386: case 0x03ac: return 0x03b1;	/* alpha */
	case 0x0388: case 0x03ad: return 0x03b5;	/* epsilon */
	case 0x0389: case 0x03ae: return 0x03b7;	/* eta */
	case 0x038a: case 0x03af: case 0x0390: case 0x03aa: case 0x03ca:
		return 0x03b9;				/* iota */
	case 0x038c: case 0x03cc: return 0x03bf;	/* omicron */
	case 0x038e: case 0x03cd: case 0x03b0: case 0x03ab: case 0x03cb:
		return 0x03c5;				/* upsilon */
	case 0x038f: case 0x03ce: return 0x03c9;	/* omega */
	case 0x03c2: return 0x03c3;			/* final sigma */
	}
	if (cp >= 0x0391 && cp <= 0x03a9)
		return cp + 0x20;
	return cp;
}

/* Cyrillic U+0400-U+04FF: lower case; ё is е, as Russian text mostly writes. */
static uint32_t
tokenize_cyrillic(uint32_t cp)
{
	if (cp == 0x0401 || cp == 0x0451)
		return 0x0435;
	if (cp >= 0x0400 && cp <= 0x040f)
		return cp + 0x50;
	if (cp >= 0x0410 && cp <= 0x042f)
		return cp + 0x20;
	if (cp == 0x04c0)
		return 0x04cf;
	if (cp >= 0x04c1 && cp <= 0x04ce)
		return (cp & 1) ? cp + 1 : cp;
	if ((cp >= 0x0460 && cp <= 0x0481) || (cp >= 0x048a && cp <= 0x04bf) ||
	    (cp >= 0x04d0 && cp <= 0x04ff))
		return (cp & 1) ? cp : cp + 1;
	return cp;
}

/*
 * Classify a code point and, for a letter, write its folded form to out
 * (at most 4 bytes) and its length to *n.
 */
static enum tokenize_class
tokenize_fold(uint32_t cp, char *out, size_t *n)
{
	*n = 0;
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z') {
			out[0] = (char)(cp + 32);
			*n = 1;
			return TOKENIZE_LETTER;
		}
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			out[0] = (char)cp;
			*n = 1;
			return TOKENIZE_LETTER;
		}
		return cp == '\'' ? TOKENIZE_APOS : TOKENIZE_SEP;
	}
	if (cp < 0xc0)		/* Latin-1 punctuation, symbols, NBSP */
		return TOKENIZE_SEP;
	if (cp < 0x100) {
		if (tokenize_latin1[cp - 0xc0] == '.')
			return TOKENIZE_SEP;
		*n = tokenize_table_letter(tokenize_latin1[cp - 0xc0], out);
		return TOKENIZE_LETTER;
	}
	if (cp < 0x180) {
		*n = tokenize_table_letter(tokenize_latin_a[cp - 0x100], out);
		return TOKENIZE_LETTER;
	}
	switch (cp) {
	case 0x0192:			/* f with hook */
		out[0] = 'f';
		*n = 1;
		return TOKENIZE_LETTER;
	case 0x0218: case 0x0219:	/* Romanian s and t with comma */
		out[0] = 's';
		*n = 1;
		return TOKENIZE_LETTER;
	case 0x021a: case 0x021b:
		out[0] = 't';
		*n = 1;
		return TOKENIZE_LETTER;
	case 0x02bc:			/* modifier letter apostrophe */
	case 0x2018: case 0x2019:	/* curly single quotes */
		return TOKENIZE_APOS;
	}
	if (cp >= 0x0300 && cp <= 0x036f)	/* combining diacritics */
		return TOKENIZE_SKIP;
	if (cp >= 0x0370 && cp <= 0x03ff) {
		if (cp == 0x037e || cp == 0x0387)	/* Greek ; and · */
			return TOKENIZE_SEP;
		cp = tokenize_greek(cp);
	} else if (cp >= 0x0400 && cp <= 0x04ff) {
		if (cp >= 0x0483 && cp <= 0x0489)	/* combining */
			return TOKENIZE_SKIP;
		cp = tokenize_cyrillic(cp);
	} else if ((cp >= 0x1e00 && cp <= 0x1e95) ||
	    (cp >= 0x1ea0 && cp <= 0x1eff)) {
		/* Latin Extended Additional pairs capitals by parity. */
		cp |= 1;
	} else if ((cp >= 0x2000 && cp <= 0x2bff) ||	/* punctuation, symbols */
	    (cp >= 0x2e00 && cp <= 0x2e7f) ||		/* supplemental punct. */
	    (cp >= 0x3000 && cp <= 0x303f) ||		/* CJK punctuation */
	    (cp >= 0xe000 && cp <= 0xf8ff) ||		/* private use */
	    (cp >= 0xfe10 && cp <= 0xfe6f) ||		/* vertical, small forms */
	    (cp >= 0xfff0 && cp <= 0xffff) ||		/* specials, U+FFFD */
	    cp == 0xfeff || (cp >= 0x1f000 && cp <= 0x1faff)) /* emoji */
		return TOKENIZE_SEP;
	else if (cp >= 0xff01 && cp <= 0xff5e) {
		/* Fullwidth ASCII: fold as the ASCII character. */
		return tokenize_fold(cp - 0xfee0, out, n);
	} else if (cp >= 0xff00 && cp <= 0xffef) {
		if (cp >= 0xff66 && cp <= 0xff9d)	/* halfwidth katakana */
			goto solo;
		return TOKENIZE_SEP;
	} else if ((cp >= 0x3040 && cp <= 0x30ff) ||	/* kana */
	    (cp >= 0x3400 && cp <= 0x4dbf) ||		/* Han extension A */
	    (cp >= 0x4e00 && cp <= 0x9fff) ||		/* Han */
	    (cp >= 0xf900 && cp <= 0xfaff) ||		/* Han compatibility */
	    (cp >= 0x20000 && cp <= 0x3ffff))		/* Han extensions */
		goto solo;
	*n = tokenize_encode(cp, out);
	return TOKENIZE_LETTER;
solo:
	*n = tokenize_encode(cp, out);
	return TOKENIZE_SOLO;
}

void
tokenize_init(struct tokenize_iter *it, const char *s, size_t len)
{
	/* Here rather than at each word end, where it cost a load a word. */
	tokenize_stop_ready();
	it->p = (const unsigned char *)s;
	it->end = it->p + len;
	it->len = 0;
	it->word[0] = '\0';
}

/* True when the word ends with the len bytes of suffix. */
static int
tokenize_ends(const struct tokenize_iter *it, const char *suffix, size_t len)
{
	return it->len >= len &&
	    memcmp(it->word + it->len - len, suffix, len) == 0;
}

/*
 * Fold an English plural to its singular, conservatively: only ASCII
 * words of four letters or more, never after s, u or i ("glass", "virus",
 * "crisis"), "ies" to "y" ("cities"), "es" dropped after s, x, z, ch and
 * sh ("taxes", "churches"), else one s dropped ("games", "cars").
 */
static void
tokenize_plural(struct tokenize_iter *it)
{
	size_t	 i;
	char	 c;

	for (i = 0; i < it->len; i++) {
		if (it->word[i] < 'a' || it->word[i] > 'z')
			return;
	}
	c = it->word[it->len - 2];
	if (c == 's' || c == 'u' || c == 'i')
		return;
	if (tokenize_keeps_s(it->word, it->len))
		return;
	if (tokenize_ends(it, "ies", 3) && it->len >= 5) {
		it->len -= 2;
		it->word[it->len - 1] = 'y';
	} else if (tokenize_ends(it, "sses", 4) || tokenize_ends(it, "xes", 3) ||
	    tokenize_ends(it, "zes", 3) || tokenize_ends(it, "ches", 4) ||
	    tokenize_ends(it, "shes", 4))
		it->len -= 2;
	else
		it->len -= 1;
	it->word[it->len] = '\0';
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TOKENIZE_SWAR
#define TOKENIZE_REP8(b)	((uint64_t)(b) * 0x0101010101010101ull)

/*
 * The bytes of x (little-endian: first byte lowest) that are not an ASCII
 * letter or digit, as the top bit of each such byte: what tokenize_ascii
 * says one byte at a time, eight at once (a byte of the fast path is one
 * of these, and it folds to lower case by setting bit 5). The range tests
 * add to bytes whose top bit is clear, so no carry crosses a byte.
 */
static inline uint64_t
tokenize_alnum8(uint64_t x)
{
	const uint64_t	 hi = TOKENIZE_REP8(0x80);
	uint64_t	 x7, l7, digit, letter;

	x7 = x & ~hi;
	digit = (x7 + TOKENIZE_REP8(0x80 - '0')) &
	    ~(x7 + TOKENIZE_REP8(0x7f - '9'));
	l7 = x7 | TOKENIZE_REP8(0x20);
	letter = (l7 + TOKENIZE_REP8(0x80 - 'a')) &
	    ~(l7 + TOKENIZE_REP8(0x7f - 'z'));
	return ~((digit | letter) & ~x) & hi;
}
#endif

/*
 * The tokenizer's hot functions are forced inline: a word is a few bytes,
 * so calls at each word cost as much as the work (cluster.c tokenizes
 * every item of the stream).
 */
#define TOKENIZE_HOT	static inline __attribute__((always_inline))

/* End the current word: 1 when it is one to yield. */
TOKENIZE_HOT int
tokenize_finish(struct tokenize_iter *it)
{
	it->word[it->len] = '\0';
	if (it->len == 0)
		return 0;
	if (tokenize_stop(it->word, it->len)) {
		it->len = 0;
		return 0;
	}
	/* Most words do not end in s: decide that without a call. */
	if (it->len >= 4 && it->word[it->len - 1] == 's')
		tokenize_plural(it);
	return 1;
}

/* Append folded bytes, silently cutting words at TOKENIZE_WORD_MAX. */
static void
tokenize_append(struct tokenize_iter *it, const char *s, size_t n)
{
	size_t	 i;

	if (it->len + n > TOKENIZE_WORD_MAX)
		return;
	/* At most four bytes: a loop beats a call to memcpy. */
	for (i = 0; i < n; i++)
		it->word[it->len + i] = s[i];
	it->len += n;
}

/* tokenize_next(), inlined into tokenize_features(). */
TOKENIZE_HOT int
tokenize_step(struct tokenize_iter *it)
{
	const unsigned char	*save, *q;
	enum tokenize_class	 class;
	uint32_t		 cp, cp2;
	char			 out[8];
	size_t			 n, n2;

	it->len = 0;
	while (it->p < it->end) {
		/*
		 * Fast path: a run of ASCII letters and digits, most of any
		 * feed, with the cursor and length in locals (stores to the
		 * word, a char array, could alias them and force reloads).
		 */
		if (tokenize_ascii[*it->p] > 1) {
			const unsigned char	*p = it->p, *end = it->end, *stop;
			size_t			 len = it->len;
			unsigned char		 t;

#ifdef TOKENIZE_SWAR
			/* Eight bytes a step while eight are left. */
			while (end - p >= 8) {
				uint64_t	 x, more;
				size_t		 run;

				memcpy(&x, p, 8);
				more = tokenize_alnum8(x);
				run = more == 0 ? 8 :
				    (size_t)__builtin_ctzll(more) / 8;
				/*
				 * len is at most TOKENIZE_WORD_MAX and word
				 * has 8 bytes of slack past that: the bytes
				 * past the run are scratch.
				 */
				x |= TOKENIZE_REP8(0x20);
				memcpy(it->word + len, &x, 8);
				len = len + run > TOKENIZE_WORD_MAX ?
				    TOKENIZE_WORD_MAX : len + run;
				p += run;
				if (run < 8)
					break;
			}
			/*
			 * Fewer than eight left: byte by byte. (Also if the
			 * SWAR test and the table ever disagreed on a byte:
			 * the byte loop then makes the progress.)
			 */
			if (end - p < 8 || tokenize_ascii[*p] > 1) {
#endif
			/* Copy up to the word's room, then skip the rest. */
			stop = p + ((size_t)(end - p) < TOKENIZE_WORD_MAX - len ?
			    (size_t)(end - p) : TOKENIZE_WORD_MAX - len);
			while (p < stop && (t = tokenize_ascii[*p]) > 1) {
				it->word[len++] = (char)t;
				p++;
			}
			while (p < end && tokenize_ascii[*p] > 1)
				p++;
#ifdef TOKENIZE_SWAR
			}
#endif
			it->p = p;
			it->len = len;
			continue;
		}
		if (tokenize_ascii[*it->p] == 1) {
			it->p++;
			if (tokenize_finish(it))
				return 1;
			continue;
		}
		save = it->p;
		cp = tokenize_decode(&it->p, it->end);
		class = tokenize_fold(cp, out, &n);
		switch (class) {
		case TOKENIZE_LETTER:
			tokenize_append(it, out, n);
			break;
		case TOKENIZE_SKIP:
			break;
		case TOKENIZE_SOLO:
			if (it->len != 0) {
				/* Yield the word before; this one next time. */
				it->p = save;
				if (tokenize_finish(it))
					return 1;
				break;
			}
			tokenize_append(it, out, n);
			return tokenize_finish(it);
		case TOKENIZE_APOS:
			if (it->len == 0 || it->p >= it->end)
				goto sep;
			q = it->p;
			cp2 = tokenize_decode(&q, it->end);
			if (tokenize_fold(cp2, out, &n2) != TOKENIZE_LETTER)
				goto sep;
			if (out[0] == 's' && n2 == 1) {
				/* "'s" then a word end: a possessive, drop it. */
				const unsigned char	*r = q;

				if (r >= it->end || tokenize_fold(
				    tokenize_decode(&r, it->end), out, &n2) !=
				    TOKENIZE_LETTER) {
					it->p = q;
					goto sep;
				}
			}
			/* Inside a word ("don't", "o'brien"): join. */
			break;
		case TOKENIZE_SEP:
		sep:
			if (tokenize_finish(it))
				return 1;
			break;
		}
	}
	return tokenize_finish(it);
}

int
tokenize_next(struct tokenize_iter *it)
{
	return tokenize_step(it);
}

/*
 * Find or add a feature in the caller's small open-addressing table.
 * Forced inline: it runs once a word.
 */
TOKENIZE_HOT void
tokenize_add_feature(struct tokenize_feature *out, size_t *nout,
    uint8_t *slots, size_t mask, uint64_t hash, float weight)
{
	size_t	 i;

	for (i = hash & mask;; i = (i + 1) & mask) {
		if (slots[i] == 0) {
			if (*nout == TOKENIZE_FEATURES_MAX)
				return;
			out[*nout].hash = hash;
			out[*nout].weight = weight;
			slots[i] = (uint8_t)++*nout;
			return;
		}
		if (out[slots[i] - 1].hash == hash) {
			out[slots[i] - 1].weight += weight;
			return;
		}
	}
}

/* A word pair's feature: order matters, so the two hashes are chained. */
static uint64_t
tokenize_pair_hash(uint64_t a, uint64_t b)
{
	return XXH3_64bits_withSeed(&b, sizeof b, a);
}

_Static_assert(TOKENIZE_FEATURES_MAX < 256, "a feature's slot is a byte");

size_t
tokenize_features(const char *title, const char *excerpt,
    const struct tokenize_opts *opts, struct tokenize_feature *out)
{
	struct tokenize_iter	 it;
	/*
	 * A power of two over twice the cap: short probe chains. A slot
	 * holds a feature's index + 1, which fits a byte: half the table to
	 * clear for each item.
	 */
	uint8_t			 slots[512];
	const size_t		 mask = 511;
	const char		*text[2];
	float			 w;
	uint64_t		 h, prev;
	size_t			 nout = 0;
	int			 t, words, have_prev;

	memset(slots, 0, sizeof slots);
	text[0] = title;
	text[1] = excerpt;
	for (t = 0; t < 2; t++) {
		if (text[t] == NULL)
			continue;
		w = t == 0 ? opts->title_weight : 1.0f;
		tokenize_init(&it, text[t], strlen(text[t]));
		have_prev = 0;
		prev = 0;
		words = 0;
		while (tokenize_step(&it)) {
			if (t == 1 && words++ >= opts->excerpt_words)
				break;
			h = XXH3_64bits(it.word, it.len);
			tokenize_add_feature(out, &nout, slots, mask, h, w);
			if (opts->pair_weight > 0 && have_prev)
				tokenize_add_feature(out, &nout, slots, mask,
				    tokenize_pair_hash(prev, h),
				    w * opts->pair_weight);
			prev = h;
			have_prev = 1;
		}
	}
	return nout;
}
