/*
 * log.h: feedfold's one logger.
 *
 * Lines go to stderr. Under journald ($JOURNAL_STREAM set, and naming the
 * device and inode of our stderr) each line starts with a "<N>" syslog
 * priority prefix so that journald files it at the right level; otherwise
 * lines are plain "feedfold: [tag] message". Every line names the
 * subsystem that wrote it (fetch, parse, config, ...) so that a reader can
 * grep one concern.
 */
#ifndef FEEDFOLD_LOG_H
#define FEEDFOLD_LOG_H

#include <stdarg.h>

/* The values are syslog priorities, so that "<N>" prefixes need no table. */
enum log_level {
	LOG_LEVEL_ERROR = 3,
	LOG_LEVEL_WARNING = 4,
	LOG_LEVEL_NOTICE = 5,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

/* Read $JOURNAL_STREAM and choose the line format; set the threshold. */
void	 log_init(enum log_level);
void	 log_set_level(enum log_level);
enum log_level log_get_level(void);
/* Force the format (tests): nonzero for "<N>" prefixes. */
void	 log_set_journal(int);

void	 log_msg(enum log_level, const char *tag, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 log_vmsg(enum log_level, const char *tag, const char *fmt, va_list)
	    __attribute__((format(printf, 3, 0)));

#define log_error(tag, ...)	log_msg(LOG_LEVEL_ERROR, tag, __VA_ARGS__)
#define log_warn(tag, ...)	log_msg(LOG_LEVEL_WARNING, tag, __VA_ARGS__)
#define log_notice(tag, ...)	log_msg(LOG_LEVEL_NOTICE, tag, __VA_ARGS__)
#define log_info(tag, ...)	log_msg(LOG_LEVEL_INFO, tag, __VA_ARGS__)
#define log_debug(tag, ...)	log_msg(LOG_LEVEL_DEBUG, tag, __VA_ARGS__)

#endif
