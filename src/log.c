/*
 * log.c: levels, subsystem tags and journald priority prefixes (log.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

static enum log_level	log_level = LOG_LEVEL_NOTICE;
static int		log_journal;

/*
 * systemd sets JOURNAL_STREAM to "DEV:INODE" of the stream it connected to
 * our stderr. Only trust it when stderr still is that stream: a child whose
 * stderr was redirected inherits the variable but not the stream.
 */
static int
log_stderr_is_journal(void)
{
	const char		*js;
	unsigned long long	 dev, ino;
	struct stat		 st;

	if ((js = getenv("JOURNAL_STREAM")) == NULL || *js == '\0')
		return 0;
	if (sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return 0;
	if (fstat(fileno(stderr), &st) != 0)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(enum log_level level)
{
	log_level = level;
	log_journal = log_stderr_is_journal();
}

void
log_set_level(enum log_level level)
{
	log_level = level;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

void
log_set_journal(int on)
{
	log_journal = on;
}

static const char *
log_level_name(enum log_level level)
{
	switch (level) {
	case LOG_LEVEL_ERROR:
		return "error";
	case LOG_LEVEL_WARNING:
		return "warning";
	case LOG_LEVEL_NOTICE:
		return "notice";
	case LOG_LEVEL_INFO:
		return "info";
	case LOG_LEVEL_DEBUG:
		return "debug";
	}
	return "?";
}

void
log_vmsg(enum log_level level, const char *tag, const char *fmt, va_list ap)
{
	char	 line[2048];
	size_t	 len;

	if (level > log_level)
		return;
	vsnprintf(line, sizeof line, fmt, ap);
	/* One record per line: a message must not forge a second entry. */
	for (len = 0; line[len] != '\0'; len++) {
		if (line[len] == '\n' || line[len] == '\r')
			line[len] = ' ';
	}
	if (log_journal)
		fprintf(stderr, "<%d>%s: %s\n", (int)level, tag, line);
	else if (level <= LOG_LEVEL_WARNING)
		fprintf(stderr, "feedfold: %s: %s: %s\n", tag,
		    log_level_name(level), line);
	else
		fprintf(stderr, "feedfold: %s: %s\n", tag, line);
}

void
log_msg(enum log_level level, const char *tag, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vmsg(level, tag, fmt, ap);
	va_end(ap);
}
