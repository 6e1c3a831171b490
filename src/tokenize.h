/*
 * tokenize.h: text to normalised words to hashed features, for the story
 * clusterer.
 *
 * A tokenizer walks UTF-8 text and yields normalised words: letters folded
 * to lower case beyond ASCII (Latin-1, Latin Extended-A, Greek, Cyrillic,
 * fullwidth forms), diacritics removed (é -> e, ß -> ss), punctuation and
 * symbols (ASCII, Latin-1, U+2000-U+206F, CJK and fullwidth punctuation,
 * emoji) as separators, English stop words dropped, possessives ('s, ’s)
 * and plurals lightly folded, numbers kept. Han and kana characters are
 * words of one character each (their text has no spaces). Invalid UTF-8
 * is a separator. Nothing is allocated.
 *
 * tokenize_features() turns a title and an excerpt into a small set of
 * XXH3-hashed features (words, and adjacent word pairs when asked for)
 * with term weights, for cluster.c.
 */
#ifndef FEEDFOLD_TOKENIZE_H
#define FEEDFOLD_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

/* Longest normalised word kept, in bytes; longer words are cut there. */
#define TOKENIZE_WORD_MAX	48

struct tokenize_iter {
	const unsigned char	*p;
	const unsigned char	*end;
	size_t			 len;	/* of word */
	char			 word[TOKENIZE_WORD_MAX + 8];	/* NUL-terminated */
};

/* Start walking len bytes of s (not necessarily NUL-terminated). */
void	 tokenize_init(struct tokenize_iter *, const char *s, size_t len);
/* The next word into it->word / it->len: 1, or 0 at the end of the text. */
int	 tokenize_next(struct tokenize_iter *);

/* Nonzero when the len bytes at w are an English stop word (normalised). */
int	 tokenize_is_stop_word(const char *w, size_t len);
/* The same answer by bsearch in the sorted table (for tests). */
int	 tokenize_is_stop_word_sorted(const char *w, size_t len);
/* The i-th stop word of the sorted table, or NULL past its end. */
const char *tokenize_stop_word_at(size_t i);

/* What tokenize_features() takes from a text. */
struct tokenize_opts {
	float	 title_weight;	/* a title word counts this many excerpt words */
	float	 pair_weight;	/* weight of a word pair relative to a word; 0: none */
	int	 excerpt_words;	/* words read from the excerpt at most */
};

struct tokenize_feature {
	uint64_t	 hash;		/* XXH3 of the word, or of a word pair */
	float		 weight;	/* summed term weight */
};

/* The most features tokenize_features() returns. */
#define TOKENIZE_FEATURES_MAX	192

/*
 * The distinct features of a title and an excerpt (either may be NULL),
 * written to out (room for TOKENIZE_FEATURES_MAX); returns how many. The
 * order is the order of first appearance. Features past the cap are
 * dropped, so a hostile excerpt costs a bounded amount of work.
 */
size_t	 tokenize_features(const char *title, const char *excerpt,
	    const struct tokenize_opts *, struct tokenize_feature *out);

#endif
