/*
 * test_log.c: line formats, levels and the journald prefix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "test.h"

/* Run fn with stderr sent to a temporary file; return what it wrote. */
static char *
capture(void (*fn)(void))
{
	char	 path[] = "/tmp/feedfold-log.XXXXXX";
	int	 fd, saved;
	char	*out;

	fd = mkstemp(path);
	ASSERT(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	out = test_read_file(path, NULL);
	unlink(path);
	return out;
}

static void
emit_levels(void)
{
	log_error("fetch", "connect to %s failed", "example.com");
	log_warn("parse", "bad date");
	log_notice("main", "started");
	log_info("fetch", "info line");
	log_debug("fetch", "debug line");
}

static void
emit_newline(void)
{
	log_error("parse", "title\nforged: line");
}

static void
test_log_plain(void)
{
	char	*out;

	log_set_journal(0);
	log_set_level(LOG_LEVEL_NOTICE);
	out = capture(emit_levels);
	ASSERT_STR_EQ(out,
	    "feedfold: fetch: error: connect to example.com failed\n"
	    "feedfold: parse: warning: bad date\n"
	    "feedfold: main: started\n");
	free(out);
}

static void
test_log_journal_prefix(void)
{
	char	*out;

	log_set_journal(1);
	log_set_level(LOG_LEVEL_DEBUG);
	out = capture(emit_levels);
	ASSERT_STR_EQ(out,
	    "<3>fetch: connect to example.com failed\n"
	    "<4>parse: bad date\n"
	    "<5>main: started\n"
	    "<6>fetch: info line\n"
	    "<7>fetch: debug line\n");
	free(out);
	log_set_journal(0);
}

static void
test_log_quiet(void)
{
	char	*out;

	log_set_journal(0);
	log_set_level(LOG_LEVEL_ERROR);
	out = capture(emit_levels);
	ASSERT_STR_EQ(out,
	    "feedfold: fetch: error: connect to example.com failed\n");
	free(out);
}

static void
test_log_one_line_per_message(void)
{
	char	*out;

	log_set_journal(0);
	log_set_level(LOG_LEVEL_NOTICE);
	out = capture(emit_newline);
	ASSERT_STR_EQ(out, "feedfold: parse: error: title forged: line\n");
	free(out);
}

static void
test_log_journal_stream_detection(void)
{
	/* A JOURNAL_STREAM that does not name our stderr is ignored. */
	setenv("JOURNAL_STREAM", "1:1", 1);
	log_init(LOG_LEVEL_NOTICE);
	{
		char	*out = capture(emit_levels);

		ASSERT(strncmp(out, "feedfold: ", 10) == 0);
		free(out);
	}
	unsetenv("JOURNAL_STREAM");
}

static const struct test_case cases[] = {
	TEST(test_log_plain),
	TEST(test_log_journal_prefix),
	TEST(test_log_quiet),
	TEST(test_log_one_line_per_message),
	TEST(test_log_journal_stream_detection),
};

int
main(void)
{
	return TEST_MAIN(cases);
}
