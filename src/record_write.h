/*
 * record_write.h: records to YAML files, in the seed's exact layout.
 *
 * The layout (key order, quoting, blank lines) is that of
 * tests/data/records/seed.yaml and docs/record-format.md. Scalars are
 * emitted through libyaml.
 */
#ifndef FEEDFOLD_RECORD_WRITE_H
#define FEEDFOLD_RECORD_WRITE_H

#include "buf.h"
#include "errbuf.h"
#include "record.h"

/*
 * Append the whole text of the record, from its opening "---" line to its
 * closing "---" line, to out. Keys whose values are unknown are left out.
 * Returns 0, or a negative code when out's cap is reached.
 */
int	 record_write_emit(const struct record *, struct buf *out);

#endif
