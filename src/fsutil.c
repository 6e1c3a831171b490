/*
 * fsutil.c: small file-system helpers (fsutil.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>

#include "fsutil.h"
#include "xmalloc.h"

int
fs_mkdirs(const char *path, mode_t mode)
{
	char	*copy, *p, c;
	int	 rc = 0;

	copy = xstrdup(path);
	for (p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(copy, mode) != 0 && errno != EEXIST) {
			rc = -errno;
			break;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(copy);
	return rc;
}
