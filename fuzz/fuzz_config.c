/*
 * fuzz_config.c: libFuzzer target for config_load.
 *
 * The input is written to a file in a private temporary folder (config_load
 * reads files, and relative paths resolve against the file's folder) and
 * loaded; every error message is checked to start with the file name and
 * a position, as check-config promises.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 fuzz_path[64];

static void
fuzz_config_error(void *arg, const char *message)
{
	(void)arg;
	if (strncmp(message, fuzz_path, strlen(fuzz_path)) != 0 ||
	    message[strlen(fuzz_path)] != ':')
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char	 dir[] = "/tmp/fuzz_config.XXXXXX";
	struct config	*c;
	FILE		*f;

	if (*fuzz_path == '\0') {
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(fuzz_path, sizeof fuzz_path, "%s/c.yaml", dir);
	}
	if ((f = fopen(fuzz_path, "wb")) == NULL)
		abort();
	if (size != 0 && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	c = config_load(fuzz_path, fuzz_config_error, NULL);
	config_free(c);
	return 0;
}
