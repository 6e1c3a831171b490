/*
 * bench/write.c: how fast the record writer writes record files, next to a
 * plain C loop that writes the same bytes into the same folder.
 *
 *	write [--count N] [--block B] SEED.yaml DIR
 *
 * Built and run by bench/write (see bench/README.md). Every record is the
 * seed record with its own webUrl and title (so its own id and file), about
 * the seed's size. The modes, each into its own subfolder of DIR:
 *
 *	loop			open, write, fsync, close, rename of the same
 *				bytes (the text the writer writes) to the
 *				same names: the peer issue 4 names
 *	loop + folder fsync	the same plus an fsync of the folder after
 *				each rename
 *	writer, batch		record_write_file() with an fsync of each file
 *				and one record_write_sync() of the folder per
 *				block of B records (how the daemon writes the
 *				records of a poll cycle)
 *	writer, folder each	the writer's defaults: fsync of the file and
 *				of the folder for every record
 *	loop / writer rewrite	the loop and the batch writer again over
 *				their existing files (the daemon's usual
 *				case: the writer reads each file first to
 *				keep `published`)
 *	the loop and the batch writer again without any fsync
 *	emit only		record_write_emit() into a reused buffer
 *
 * The machine this runs on is shared and noisy, and ext4 gets slower at
 * allocating inodes while many were recently deleted: so the modes being
 * compared run interleaved, B records of each in turn (the first mode of
 * each turn rotating), and every time is the sum over the blocks. Nothing is
 * deleted until the end. It prints the machine, the figures and the ratios.
 */
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "record.h"
#include "record_read.h"
#include "record_write.h"
#include "xmalloc.h"

enum bench_kind {
	BENCH_LOOP,		/* the plain loop */
	BENCH_WRITER,		/* record_write_file() */
};

struct bench_mode {
	const char	*name;
	const char	*subdir;
	enum bench_kind	 kind;
	int		 fsync;		/* fsync each file */
	int		 dir_each;	/* fsync the folder after each rename */
	int		 peer;		/* index of the mode to compare with, or -1 */
	double		 time;		/* summed over the blocks */
};

struct bench {
	struct record	*record;	/* the seed; mutated per record */
	char		*base_title;
	char		**texts;	/* what the writer writes, per record */
	size_t		*lens;
	char		(*ids)[RECORD_WRITE_ID_LEN + 1];
	int		 count;
	const char	*dir;
};

static double
bench_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void __attribute__((noreturn))
bench_die(const char *what)
{
	fprintf(stderr, "bench/write: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Make record i out of the seed: its own webUrl and title. */
static void
bench_record(struct bench *b, int i)
{
	char	*s;

	s = xasprintf("https://cointelegraph.com/news/bench-%d", i);
	entry_set(&b->record->primary->web_url, s);
	entry_set(&b->record->primary->original_url, s);
	free(s);
	s = xasprintf("%s (%d)", b->base_title, i);
	entry_set(&b->record->primary->title, s);
	free(s);
}

static char *
bench_subdir(struct bench *b, const char *name)
{
	char	*d;

	d = xasprintf("%s/%s", b->dir, name);
	if (mkdir(d, 0755) == -1 && errno != EEXIST)
		bench_die(d);
	return d;
}

/*
 * Records [from, to) with the writer: fsync each file if fsync_on, the
 * folder after each rename if dir_each, else once at the end if fsync_on.
 */
static double
bench_writer(struct bench *b, const char *d, int from, int to, int fsync_on,
    int dir_each)
{
	struct record_write_opts opts;
	struct errbuf	 err;
	double		 t0;
	int		 i;

	record_write_opts_init(&opts);
	opts.fsync = fsync_on;
	opts.fsync_dir = fsync_on && dir_each;
	t0 = bench_now();
	for (i = from; i < to; i++) {
		bench_record(b, i);
		if (record_write_file(d, b->ids[i], b->record, &opts,
		    &err) != 0) {
			fprintf(stderr, "bench/write: %s\n", err.msg);
			exit(1);
		}
	}
	if (fsync_on && !dir_each && record_write_sync(d, &err) != 0) {
		fprintf(stderr, "bench/write: %s\n", err.msg);
		exit(1);
	}
	return bench_now() - t0;
}

/* The peer: the same bytes, the same names, nothing but system calls. */
static double
bench_loop(struct bench *b, const char *d, int from, int to, int fsync_on,
    int dirsync)
{
	char		 tmp[PATH_MAX], path[PATH_MAX];
	double		 t0;
	ssize_t		 n;
	int		 i, fd, dfd;

	t0 = bench_now();
	for (i = from; i < to; i++) {
		snprintf(tmp, sizeof tmp, "%s/.%s.yaml.tmp", d, b->ids[i]);
		snprintf(path, sizeof path, "%s/%s.yaml", d, b->ids[i]);
		if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    0644)) == -1)
			bench_die(tmp);
		n = write(fd, b->texts[i], b->lens[i]);
		if (n != (ssize_t)b->lens[i])
			bench_die("write");
		if (fsync_on && fsync(fd) == -1)
			bench_die("fsync");
		if (close(fd) == -1)
			bench_die("close");
		if (rename(tmp, path) == -1)
			bench_die("rename");
		if (dirsync) {
			if ((dfd = open(d, O_RDONLY | O_DIRECTORY)) == -1 ||
			    fsync(dfd) == -1)
				bench_die("fsync folder");
			close(dfd);
		}
	}
	return bench_now() - t0;
}

static double
bench_emit(struct bench *b, size_t *bytes)
{
	struct buf	 out;
	double		 t0;
	int		 i;

	buf_init(&out, RECORD_WRITE_MAX);
	*bytes = 0;
	t0 = bench_now();
	for (i = 0; i < b->count; i++) {
		bench_record(b, i);
		buf_reset(&out);
		if (record_write_emit(b->record, &out) != 0)
			bench_die("emit");
		*bytes += out.len;
	}
	t0 = bench_now() - t0;
	buf_free(&out);
	return t0;
}

/* The file system type of dir, from the longest mount point above it. */
static void
bench_fs(const char *dir, char *out, size_t size)
{
	char		 real[PATH_MAX], line[4096], mnt[4096], type[256];
	size_t		 best = 0, l;
	struct statfs	 sf;
	FILE		*f;

	snprintf(out, size, "unknown");
	if (realpath(dir, real) == NULL)
		return;
	if ((f = fopen("/proc/self/mountinfo", "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			/* id parent maj:min root MOUNT opts ... - TYPE src */
			char	*dash = strstr(line, " - ");

			if (dash == NULL ||
			    sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
			    sscanf(dash + 3, "%255s", type) != 1)
				continue;
			l = strlen(mnt);
			if (strncmp(real, mnt, l) == 0 && (real[l] == '/' ||
			    real[l] == '\0' || l == 1) && l >= best) {
				best = l;
				snprintf(out, size, "%s (mounted on %s)", type,
				    mnt);
			}
		}
		fclose(f);
	}
	if (best == 0 && statfs(dir, &sf) == 0)
		snprintf(out, size, "f_type 0x%lx", (unsigned long)sf.f_type);
}

static void
bench_machine(const char *dir)
{
	char		 line[512], model[256] = "unknown", fs[4400];
	struct utsname	 u;
	FILE		*f;
	char		*p;

	if ((f = fopen("/proc/cpuinfo", "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			if (strncmp(line, "model name", 10) == 0 &&
			    (p = strchr(line, ':')) != NULL) {
				snprintf(model, sizeof model, "%s", p + 2);
				model[strcspn(model, "\n")] = '\0';
				break;
			}
		}
		fclose(f);
	}
	uname(&u);
	bench_fs(dir, fs, sizeof fs);
	printf("machine: nproc %ld, %s, %s %s %s\n",
	    sysconf(_SC_NPROCESSORS_ONLN), model, u.sysname, u.release,
	    u.machine);
	printf("folder: %s, file system %s\n", dir, fs);
}

/*
 * Run the modes interleaved: block after block of records, each mode in
 * turn, the first mode of each turn rotating; sum each mode's time.
 */
static void
bench_phase(struct bench *b, struct bench_mode *modes, int n, int block)
{
	struct bench_mode	*m;
	char			*d;
	int			 from, to, k, j;

	for (from = 0, k = 0; from < b->count; from += block, k++) {
		to = from + block < b->count ? from + block : b->count;
		for (j = 0; j < n; j++) {
			m = &modes[(k + j) % n];
			d = bench_subdir(b, m->subdir);
			if (m->kind == BENCH_LOOP)
				m->time += bench_loop(b, d, from, to,
				    m->fsync, m->dir_each);
			else
				m->time += bench_writer(b, d, from, to,
				    m->fsync, m->dir_each);
			free(d);
		}
	}
}

static void
bench_report(struct bench *b, const struct bench_mode *modes, int n)
{
	const struct bench_mode	*m;
	int			 j;

	for (j = 0; j < n; j++) {
		m = &modes[j];
		printf("  %-30s %8.3f s %9.0f records/s", m->name, m->time,
		    b->count / m->time);
		if (m->peer >= 0)
			printf("  %5.1f%% of %s", 100.0 *
			    modes[m->peer].time / m->time, modes[m->peer].name);
		printf("\n");
	}
}

int
main(int argc, char **argv)
{
	struct bench_mode fsync_modes[] = {
		{ "loop write+fsync+rename", "loop", BENCH_LOOP, 1, 0, -1, 0 },
		{ "writer, batch", "writer", BENCH_WRITER, 1, 0, 0, 0 },
		{ "loop + folder fsync each", "loop-dir", BENCH_LOOP, 1, 1, -1,
		    0 },
		{ "writer, folder fsync each", "writer-dir", BENCH_WRITER, 1, 1,
		    2, 0 },
	};
	struct bench_mode rewrite_modes[] = {
		{ "loop rewrite", "loop", BENCH_LOOP, 1, 0, -1, 0 },
		{ "writer rewrite, batch", "writer", BENCH_WRITER, 1, 0, 0, 0 },
	};
	struct bench_mode nofsync_modes[] = {
		{ "loop write+rename", "loop-nosync", BENCH_LOOP, 0, 0, -1, 0 },
		{ "writer", "writer-nosync", BENCH_WRITER, 0, 0, 0, 0 },
	};
	struct bench_mode nofsync_rewrite_modes[] = {
		{ "loop rewrite", "loop-nosync", BENCH_LOOP, 0, 0, -1, 0 },
		{ "writer rewrite", "writer-nosync", BENCH_WRITER, 0, 0, 0, 0 },
	};
	struct bench	 b;
	struct errbuf	 err;
	struct buf	 out;
	double		 emit_time;
	size_t		 bytes = 0, total = 0;
	char		*cmd;
	int		 i, block = 500;

	memset(&b, 0, sizeof b);
	b.count = 10000;
	for (i = 1; i < argc - 2; i++) {
		if (strcmp(argv[i], "--count") == 0 && i + 1 < argc - 2)
			b.count = atoi(argv[++i]);
		else if (strcmp(argv[i], "--block") == 0 && i + 1 < argc - 2)
			block = atoi(argv[++i]);
		else
			break;
	}
	if (argc < 3 || i != argc - 2 || b.count < 1 || block < 1) {
		fprintf(stderr, "usage: write [--count N] [--block B] SEED DIR\n");
		return 2;
	}
	log_init(LOG_LEVEL_WARNING);
	if (record_read_file(argv[argc - 2], &b.record, &err) != 0) {
		fprintf(stderr, "bench/write: %s\n", err.msg);
		return 1;
	}
	b.dir = argv[argc - 1];
	b.base_title = xstrdup(b.record->primary->title);

	/* The texts the writer will write, for the loop to write too. */
	b.texts = xcalloc((size_t)b.count, sizeof *b.texts);
	b.lens = xcalloc((size_t)b.count, sizeof *b.lens);
	b.ids = xcalloc((size_t)b.count, sizeof *b.ids);
	buf_init(&out, RECORD_WRITE_MAX);
	for (i = 0; i < b.count; i++) {
		bench_record(&b, i);
		record_write_id(b.record->primary->web_url, b.ids[i]);
		buf_reset(&out);
		if (record_write_emit(b.record, &out) != 0)
			bench_die("emit");
		b.lens[i] = out.len;
		b.texts[i] = xstrndup(out.data, out.len);
		total += out.len;
	}
	buf_free(&out);

	bench_machine(b.dir);
	printf("records: %d of %zu bytes on average (the seed, %s, is %zu), "
	    "modes interleaved in blocks of %d\n", b.count,
	    total / (size_t)b.count, argv[argc - 2], b.lens[0], block);

	bench_phase(&b, fsync_modes, 4, block);
	bench_phase(&b, rewrite_modes, 2, block);
	bench_phase(&b, nofsync_modes, 2, block);
	bench_phase(&b, nofsync_rewrite_modes, 2, block);
	emit_time = bench_emit(&b, &bytes);

	printf("with fsync (the folder synced once per block of %d in "
	    "\"batch\"):\n", block);
	bench_report(&b, fsync_modes, 4);
	bench_report(&b, rewrite_modes, 2);
	printf("without fsync:\n");
	bench_report(&b, nofsync_modes, 2);
	bench_report(&b, nofsync_rewrite_modes, 2);
	printf("emit only (record_write_emit):\n");
	printf("  %-30s %8.3f s %9.0f records/s %7.1f MB/s\n", "emit",
	    emit_time, b.count / emit_time, (double)bytes / emit_time / 1e6);
	printf("ratio writer (batch) / loop, with fsync: %.1f%% (issue 4 asks "
	    ">= 70%%)\n", 100.0 * fsync_modes[0].time / fsync_modes[1].time);

	cmd = xasprintf("rm -rf '%s'/loop* '%s'/writer*", b.dir, b.dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench/write: could not clean %s\n", b.dir);
	free(cmd);
	for (i = 0; i < b.count; i++)
		free(b.texts[i]);
	free(b.texts);
	free(b.lens);
	free(b.ids);
	free(b.base_title);
	record_free(b.record);
	return 0;
}
