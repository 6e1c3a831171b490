/*
 * bench/sax-baseline.c: the floor for parsing speed. Parses each file named
 * on the command line with libxml2's SAX2 push parser and callbacks that do
 * nothing, reading the file with read() in 64 KiB chunks, and prints the
 * bytes and files processed. Whatever feedfold parse does on top of this is
 * its own cost.
 *
 *   cc -O2 -o sax-baseline bench/sax-baseline.c $(pkg-config --cflags --libs libxml-2.0)
 *   ./sax-baseline FILE...
 *
 * Exit status: 0, or 1 when a file could not be read or was not well-formed
 * (the benchmark corpus always is).
 *
 * It sets glibc's malloc as feedfold parse does (cmd_parse_malloc): blocks
 * under 1 MiB from the heap, 4 MiB of free heap kept. libxml2's per-file
 * buffers are then not mapped afresh for every file; the floor benefits
 * from it as much as feedfold does, so the comparison stays fair.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#if defined(__has_include)
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
#endif

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	(void)ctx; (void)localname; (void)prefix; (void)uri;
	(void)nb_namespaces; (void)namespaces;
	(void)nb_attributes; (void)nb_defaulted; (void)attributes;
}

static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	(void)ctx; (void)localname; (void)prefix; (void)uri;
}

static void
on_characters(void *ctx, const xmlChar *ch, int len)
{
	(void)ctx; (void)ch; (void)len;
}

static void
on_error(void *ctx, const char *msg, ...)
{
	(void)ctx; (void)msg;
}

int
main(int argc, char **argv)
{
	static char buf[64 * 1024];
	xmlSAXHandler sax;
	unsigned long long total = 0;
	int files = 0, status = 0;

	LIBXML_TEST_VERSION
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
	mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024);
#endif

	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_characters;
	sax.cdataBlock = on_characters;
	sax.error = on_error;
	sax.warning = on_error;

	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "sax-baseline: %s: %s\n", argv[i],
			    strerror(errno));
			status = 1;
			continue;
		}
		xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, NULL,
		    NULL, 0, argv[i]);
		if (ctxt == NULL) {
			fprintf(stderr, "sax-baseline: out of memory\n");
			return 1;
		}
		/* As a feed reader must: no network, no DTD, no entities. */
		xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
		    XML_PARSE_NOWARNING);
		ssize_t n;
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			total += (unsigned long long)n;
			xmlParseChunk(ctxt, buf, (int)n, 0);
		}
		if (n < 0) {
			fprintf(stderr, "sax-baseline: %s: %s\n", argv[i],
			    strerror(errno));
			status = 1;
		}
		xmlParseChunk(ctxt, NULL, 0, 1);
		if (!ctxt->wellFormed) {
			fprintf(stderr, "sax-baseline: %s: not well-formed\n",
			    argv[i]);
			status = 1;
		}
		xmlFreeParserCtxt(ctxt);
		close(fd);
		files++;
	}
	printf("%llu bytes in %d files\n", total, files);
	return status;
}
