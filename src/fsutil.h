/*
 * fsutil.h: small file-system helpers the daemon's modules share.
 */
#ifndef FEEDFOLD_FSUTIL_H
#define FEEDFOLD_FSUTIL_H

#include <sys/types.h>

/*
 * mkdir -p: create path and its missing parents with mode (before the
 * umask). Returns 0, also when it exists, or a negative errno.
 */
int	 fs_mkdirs(const char *path, mode_t mode);

#endif
