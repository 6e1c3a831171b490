/*
 * record_dump.c: read record files back the way the daemon does and list
 * their entries, for shell tests that check a record folder.
 *
 *	record_dump FILE...
 *
 * For each file that parses: one line "FILE<TAB>webUrl" per entry, the
 * primary first. For each that does not: "BAD<TAB>FILE<TAB>reason" on
 * stdout. Exit 0 when every file parsed, 1 otherwise.
 */
#include <stdio.h>

#include "errbuf.h"
#include "record.h"
#include "record_read.h"

static void
dump_entry(const char *file, const struct entry *e)
{
	printf("%s\t%s\n", file, e->web_url != NULL ? e->web_url : "-");
}

int
main(int argc, char **argv)
{
	struct record	*r;
	struct errbuf	 err;
	size_t		 k;
	int		 i, status = 0;

	for (i = 1; i < argc; i++) {
		errbuf_clear(&err);
		if (record_read_file(argv[i], &r, &err) != 0) {
			printf("BAD\t%s\t%s\n", argv[i], err.msg);
			status = 1;
			continue;
		}
		dump_entry(argv[i], r->primary);
		for (k = 0; k < r->nrelated; k++)
			dump_entry(argv[i], r->related[k]);
		record_free(r);
	}
	return status;
}
