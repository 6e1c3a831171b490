/*
 * test_tokenize.c: normalisation, stop words, folding, hashed features.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "test.h"
#include "tokenize.h"

/* The words of s joined by single spaces, in a static buffer. */
static const char *
words(const char *s)
{
	static char		 out[4096];
	struct tokenize_iter	 it;
	size_t			 n = 0;

	out[0] = '\0';
	tokenize_init(&it, s, strlen(s));
	while (tokenize_next(&it)) {
		if (n != 0)
			out[n++] = ' ';
		memcpy(out + n, it.word, it.len);
		n += it.len;
		out[n] = '\0';
		ASSERT_INT_EQ(strlen(it.word), it.len);
	}
	return out;
}

static void
test_tokenize_ascii(void)
{
	ASSERT_STR_EQ(words("Meta's AI overhaul: Zuckerberg's plan"),
	    "meta ai overhaul zuckerberg plan");
	ASSERT_STR_EQ(words("  UPDATE 2-McDonald's US sales  "),
	    "update 2 mcdonald us sale");
	ASSERT_STR_EQ(words(""), "");
	ASSERT_STR_EQ(words("!!! ... ---"), "");
}

static void
test_tokenize_latin_folding(void)
{
	ASSERT_STR_EQ(words("CAFÉ Über Straße Æsir"), "cafe uber strasse aesir");
	ASSERT_STR_EQ(words("Łódź Dvořák Őrség Œuvre"), "lodz dvorak orseg oeuvre");
	ASSERT_STR_EQ(words("ÀÉÎÕÜ àéîõü çÇñÑ"), "aeiou aeiou ccnn");
	/* Romanian comma-below letters. */
	ASSERT_STR_EQ(words("Timișoara Constanța"), "timisoara constanta");
}

static void
test_tokenize_greek_cyrillic(void)
{
	ASSERT_STR_EQ(words("ΑΘΗΝΑ Αθήνα"), "αθηνα αθηνα");
	/* Final sigma folds to sigma, so case variants meet. */
	ASSERT_STR_EQ(words("ΟΔΥΣΣΕΥΣ Οδυσσεύς"), "οδυσσευσ οδυσσευσ");
	ASSERT_STR_EQ(words("МОСКВА Москва Ёлка ЇЖАК"), "москва москва елка їжак");
}

static void
test_tokenize_combining_marks(void)
{
	/* "é" written as e + U+0301 folds like the precomposed letter. */
	ASSERT_STR_EQ(words("cafe\xcc\x81 caf\xc3\xa9"), "cafe cafe");
}

static void
test_tokenize_punctuation_separates(void)
{
	/* Em dash, curly double quotes, ellipsis, bullet. */
	ASSERT_STR_EQ(words("wire\xe2\x80\x94" "story \xe2\x80\x9c" "quoted"
	    "\xe2\x80\x9d" "\xe2\x80\xa6" "end" "\xe2\x80\xa2" "x"),
	    "wire story quoted end x");
	/* NBSP, guillemets, inverted marks. */
	ASSERT_STR_EQ(words("a\xc2\xa0" "b \xc2\xab" "c\xc2\xbb \xc2\xbf" "d?"),
	    "b c d");
	/* Emoji and math symbols. */
	ASSERT_STR_EQ(words("fire\xf0\x9f\x94\xa5storm x\xc3\x97y"),
	    "fire storm x y");
}

static void
test_tokenize_cjk(void)
{
	/* Han characters are words by themselves; the ideographic comma
	 * separates. */
	ASSERT_STR_EQ(words("東京、地震"), "東 京 地 震");
	ASSERT_STR_EQ(words("abc東def"), "abc 東 def");
	/* Fullwidth Latin folds to ASCII. */
	ASSERT_STR_EQ(words("ＡＢＣ１２！"), "abc12");
}

static void
test_tokenize_stop_words(void)
{
	ASSERT_STR_EQ(words("The cat and the hat of it"), "cat hat");
	ASSERT_STR_EQ(words("It's what they've done"), "done");
	/* "Shell" the company is not a stop word. */
	ASSERT_STR_EQ(words("Shell profits"), "shell profit");
}

static void
test_tokenize_stop_table_sorted(void)
{
	const char	*prev = NULL, *w;
	size_t		 i;

	for (i = 0; (w = tokenize_stop_word_at(i)) != NULL; i++) {
		if (prev != NULL && strcmp(prev, w) >= 0)
			test_fail(__FILE__, __LINE__, "stop words out of order: "
			    "'%s' before '%s'", prev, w);
		ASSERT(tokenize_is_stop_word(w, strlen(w)));
		ASSERT(tokenize_is_stop_word_sorted(w, strlen(w)));
		prev = w;
	}
	ASSERT(i > 100);
	ASSERT(!tokenize_is_stop_word("earthquake", 10));
	ASSERT(!tokenize_is_stop_word("th", 2));
	ASSERT(!tokenize_is_stop_word("thex", 3) == 0);	/* "the" */
}

static void
test_tokenize_plurals(void)
{
	ASSERT_STR_EQ(words("cities taxes churches games cars wishes"),
	    "city tax church game car wish");
	/* Guards: not plurals, or too short to tell. */
	ASSERT_STR_EQ(words("glass virus crisis news gas bus yes"),
	    "glass virus crisis news gas bus yes");
	ASSERT_STR_EQ(words("Obama\xe2\x80\x99s Texas"), "obama texas");
	/* Every word of the keep-s list, past its length/letter filter. */
	ASSERT_STR_EQ(words("always analysis basis bias chaos christmas "
	    "crisis diabetes economics ethics gas lens news perhaps physics "
	    "politics series species texas thanks whereas"),
	    "always analysis basis bias chaos christmas crisis diabetes "
	    "economics ethics gas lens news perhaps physics politics series "
	    "species texas thanks whereas");
}

static void
test_tokenize_apostrophes_join(void)
{
	ASSERT_STR_EQ(words("O'Brien rock'n'roll"), "obrien rocknroll");
	/* A quote that is not inside a word separates. */
	ASSERT_STR_EQ(words("'quoted' word'"), "quoted word");
}

static void
test_tokenize_numbers_kept(void)
{
	ASSERT_STR_EQ(words("iOS 7.1 in 2014: 13 deaths"),
	    "ios 7 1 2014 13 death");
}

static void
test_tokenize_invalid_utf8_separates(void)
{
	ASSERT_STR_EQ(words("abc\xff" "def \xc3"), "abc def");
	/* Overlong encoding of '/' and a lone surrogate. */
	ASSERT_STR_EQ(words("b\xc0\xafz x\xed\xa0\x80y"), "b z x y");
}

static void
test_tokenize_long_word_cut(void)
{
	char	 s[200];

	char	 want[200];

	memset(s, 'k', 150);
	s[150] = '\0';
	ASSERT_INT_EQ(strlen(words(s)), TOKENIZE_WORD_MAX);

	/* The rest of the long word is skipped; the next word is whole. */
	memcpy(s + 150, " Next", 6);
	memset(want, 'k', TOKENIZE_WORD_MAX);
	memcpy(want + TOKENIZE_WORD_MAX, " next", 6);
	ASSERT_STR_EQ(words(s), want);

	/* A word begun by a folded letter, then a long ASCII run. */
	memcpy(s, "\xc3\x89", 2);
	memset(s + 2, 'A', 100);
	memcpy(s + 102, " x2", 4);
	want[0] = 'e';
	memset(want + 1, 'a', TOKENIZE_WORD_MAX - 1);
	memcpy(want + TOKENIZE_WORD_MAX, " x2", 4);
	ASSERT_STR_EQ(words(s), want);
}

static const struct tokenize_opts opts = { 2.0f, 0.0f, 40 };

static float
weight_of(const struct tokenize_feature *f, size_t n, const char *word)
{
	uint64_t	 h = XXH3_64bits(word, strlen(word));
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (f[i].hash == h)
			return f[i].weight;
	}
	return 0;
}

/*
 * The ASCII fast path reads eight bytes at a time where eight are left and
 * one at a time near the end. Random words that are never stop words or
 * plurals (a digit first and last), mixed case, 1 to 60 bytes (cut at
 * TOKENIZE_WORD_MAX), between random ASCII separators, at every alignment:
 * the words must be the text split at non-alphanumerics, lower-cased and
 * cut, whichever path read them.
 */
static void
test_tokenize_ascii_runs_any_alignment(void)
{
	static const char	 alnum[] = "0123456789abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	static const char	 sep[] = " ,.-!?()\t\n:;/\"@#[]{}~^`|\\";
	char			 text[2048], want[2048], *q;
	struct tokenize_iter	 it;
	unsigned int		 seed = 20261127;
	size_t			 n, w, len, k, i, o, cut;
	int			 round;

	for (round = 0; round < 2000; round++) {
		n = 0;
		o = 0;
		/* 0..7 leading separators shift every word's alignment. */
		for (k = (size_t)round % 8; k > 0; k--)
			text[n++] = ' ';
		for (w = 0; w < 1 + (size_t)(rand_r(&seed) % 12); w++) {
			len = 1 + (size_t)(rand_r(&seed) % 60);
			cut = len < TOKENIZE_WORD_MAX ? len : TOKENIZE_WORD_MAX;
			if (o != 0)
				want[o++] = ' ';
			for (i = 0; i < len; i++) {
				text[n + i] = (i == 0 || i == len - 1) ?
				    (char)('0' + rand_r(&seed) % 10) :
				    alnum[rand_r(&seed) % (sizeof alnum - 1)];
				if (i < cut)
					want[o++] = (char)(text[n + i] |
					    0x20);
			}
			n += len;
			for (k = 1 + (size_t)(rand_r(&seed) % 3); k > 0; k--)
				text[n++] = sep[rand_r(&seed) % (sizeof sep - 1)];
		}
		/* Half the texts end inside a word. */
		if (round % 2 == 0)
			while (n > 0 && strchr(sep, text[n - 1]) != NULL)
				n--;
		want[o] = '\0';
		text[n] = '\0';
		o = 0;
		q = text;
		tokenize_init(&it, q, n);
		while (tokenize_next(&it)) {
			ASSERT_INT_EQ(strlen(it.word), it.len);
			if (o != 0)
				ASSERT(want[o++] == ' ');
			ASSERT(memcmp(want + o, it.word, it.len) == 0);
			o += it.len;
		}
		ASSERT_INT_EQ(o, strlen(want));
	}
}

static void
test_tokenize_features_weights(void)
{
	struct tokenize_feature	 f[TOKENIZE_FEATURES_MAX];
	size_t			 n;

	n = tokenize_features("Earthquake hits Chile", "A strong earthquake "
	    "struck Chile's coast", &opts, f);
	ASSERT_INT_EQ(n, 6);	/* earthquake hit chile strong struck coast */
	ASSERT(weight_of(f, n, "earthquake") == 3.0f);
	ASSERT(weight_of(f, n, "hit") == 2.0f);
	ASSERT(weight_of(f, n, "coast") == 1.0f);
	ASSERT(weight_of(f, n, "a") == 0.0f);
}

static void
test_tokenize_features_pairs(void)
{
	struct tokenize_feature		 f[TOKENIZE_FEATURES_MAX];
	struct tokenize_opts		 o = opts;
	uint64_t			 pair;
	size_t				 n1, n2;

	n1 = tokenize_features("Lena Dunham hosts SNL", NULL, &o, f);
	o.pair_weight = 0.5f;
	n2 = tokenize_features("Lena Dunham hosts SNL", NULL, &o, f);
	ASSERT_INT_EQ(n1, 4);
	ASSERT_INT_EQ(n2, 7);
	/* A pair weighs half a title word; order matters in a pair. */
	ASSERT_INT_EQ(tokenize_features("lena dunham", NULL, &o, f), 3);
	ASSERT(f[2].weight == 1.0f);
	pair = f[2].hash;
	ASSERT_INT_EQ(tokenize_features("dunham lena", NULL, &o, f), 3);
	ASSERT(f[2].hash != pair);
}

static void
test_tokenize_features_capped(void)
{
	struct tokenize_feature	 f[TOKENIZE_FEATURES_MAX];
	struct tokenize_opts	 o = opts;
	char			*big;
	size_t			 i, n;

	/* 5000 distinct words: the cap holds and the excerpt limit too. */
	big = malloc(5000 * 8 + 1);
	for (i = 0; i < 5000; i++)
		sprintf(big + i * 8, "w%06zu ", i);
	o.excerpt_words = 100000;
	n = tokenize_features(NULL, big, &o, f);
	ASSERT_INT_EQ(n, TOKENIZE_FEATURES_MAX);
	o.excerpt_words = 10;
	n = tokenize_features(NULL, big, &o, f);
	ASSERT_INT_EQ(n, 10);
	free(big);
}

static const struct test_case cases[] = {
	TEST(test_tokenize_ascii),
	TEST(test_tokenize_latin_folding),
	TEST(test_tokenize_greek_cyrillic),
	TEST(test_tokenize_combining_marks),
	TEST(test_tokenize_punctuation_separates),
	TEST(test_tokenize_cjk),
	TEST(test_tokenize_stop_words),
	TEST(test_tokenize_stop_table_sorted),
	TEST(test_tokenize_plurals),
	TEST(test_tokenize_apostrophes_join),
	TEST(test_tokenize_numbers_kept),
	TEST(test_tokenize_invalid_utf8_separates),
	TEST(test_tokenize_long_word_cut),
	TEST(test_tokenize_ascii_runs_any_alignment),
	TEST(test_tokenize_features_weights),
	TEST(test_tokenize_features_pairs),
	TEST(test_tokenize_features_capped),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
