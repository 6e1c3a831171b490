/*
 * fuzz_cluster_tsv.c: libFuzzer target for the clusterer's input path.
 *
 * The input is a TSV as `feedfold cluster` reads it. Every line goes
 * through cluster_parse_time() and, title and excerpt NUL-terminated,
 * cluster_add(); the whole input also goes through the tokenizer. Checked:
 * no crash, no out-of-bounds access (under ASan), words that are valid
 * NUL-terminated strings of at most TOKENIZE_WORD_MAX bytes, and story
 * numbers that only ever grow by one for a new story.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "tokenize.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cluster_params	 p;
	struct cluster		*c;
	struct tokenize_iter	 it;
	char			*copy, *line, *next, *f[5];
	size_t			 nf;
	int64_t			 when, now = 0;
	uint32_t		 n, top = 0;
	int			 is_new;

	tokenize_init(&it, (const char *)data, size);
	while (tokenize_next(&it)) {
		if (it.len == 0 || it.len > TOKENIZE_WORD_MAX ||
		    strlen(it.word) != it.len)
			abort();
	}

	copy = malloc(size + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	cluster_params_default(&p);
	/* A short window makes expiry and slot reuse happen in small inputs. */
	p.window = 600;
	c = cluster_new(&p, NULL);
	for (line = copy; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		nf = 0;
		f[nf++] = line;
		while (nf < 5 && (f[nf] = strchr(f[nf - 1], '\t')) != NULL)
			*f[nf]++ = '\0', nf++;
		if (nf < 2 || cluster_parse_time(f[1], strlen(f[1]), &when) != 0)
			when = now;
		now = when;
		n = cluster_add(c, when, nf > 3 ? f[3] : f[0],
		    nf > 4 ? f[4] : NULL, &is_new);
		if (is_new) {
			if (n != top + 1)
				abort();
			top = n;
		} else if (n == 0 || n > top || !cluster_is_open(c, n))
			abort();
	}
	cluster_free(c);
	free(copy);
	return 0;
}
