/*
 * record_write.c: placeholder until the record writer lands (issue 4).
 */
#include "record_write.h"

int
record_write_emit(const struct record *r, struct buf *out)
{
	(void)r;
	return buf_adds(out, "---\n# the record writer is not built yet\n---\n");
}
