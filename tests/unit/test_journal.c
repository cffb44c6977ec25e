// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The journal source and the export writer against real journal files: the
 * tests write Journal Export Format text, systemd-journal-remote turns it
 * into .journal files in a temporary directory, and ksplat reads them back
 * through sd-journal (and its records through the envelope). Without
 * systemd-journal-remote those tests are skipped; the time parser and the
 * checks on bad input run everywhere.
 */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "ksplat/envelope.h"
#include "ksplat/jexport.h"
#include "ksplat/journal.h"

#define BOOT_A "6a1f0c5e9b7d4e2a8c3f5d7e9a1b3c5d"
#define BOOT_A_UUID "6A1F0C5E-9B7D-4E2A-8C3F-5D7E9A1B3C5D"
#define BOOT_B "0f1e2d3c4b5a49788796a5b4c3d2e1f0"
#define MACHINE "d4c3b2a1f0e94d8c7b6a594837261504"
#define HOST "splathost"
/* 2023-11-14 22:13:20 UTC, and the second boot a day later. */
#define T_A UINT64_C(1700000000000000)
#define T_B (T_A + UINT64_C(86400000000))
#define SEC UINT64_C(1000000)

/* Every byte /dev/kmsg escapes, and UTF-8 (escaped too: it is >= 0x7f). */
#define ODD_MSG "esc \x1b[1mbold\x1b[0m back\\slash del\x7f tab\there caf\xc3\xa9"
#define ODD_RECORD                                                                            \
	"esc \\x1b[1mbold\\x1b[0m back\\x5cslash del\\x7f tab\\x09here caf\\xc3\\xa9"
#define MULTI_MSG "Call Trace:\n <TASK>\n dump_stack_lvl+0x4c/0x5f\n __might_resched+0x250/0x273"

#define MAX_RECORDS 128
#define FOLLOW_LIMIT_USEC (5 * SEC)

/* One journal entry as the tests write it. */
struct tentry {
	const char *boot;
	uint64_t realtime;    /* us since the epoch */
	uint64_t monotonic;   /* journald's arrival time, us since boot */
	const char *transport;
	int priority;         /* -1: no PRIORITY field */
	int facility;         /* -1: no SYSLOG_FACILITY field */
	int64_t source_mono;  /* -1: no _SOURCE_MONOTONIC_TIMESTAMP */
	const char *message;
	const char *extra;    /* more "FIELD=value\n" lines, or NULL */
};

/* Two boots; kernel lines from samples/atomic_kmalloc.dmesg.log, and userspace around them. */
static const struct tentry base_entries[] = {
	{ BOOT_A, T_A, 1200000, "kernel", 5, 0, 0,
	  "Linux version 6.1.192 (splat@rig) #2 SMP PREEMPT_DYNAMIC", NULL },
	{ BOOT_A, T_A + 1 * SEC, 2200000, "syslog", 6, 3, -1, "rsyslogd: start", NULL },
	{ BOOT_A, T_A + 2 * SEC, 3200000, "kernel", 4, 0, 2774840,
	  "splatmod: loading out-of-tree module taints kernel.", NULL },
	{ BOOT_A, T_A + 3 * SEC, 3300000, "kernel", 3, 0, 2790302,
	  "BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274", NULL },
	{ BOOT_A, T_A + 3 * SEC + 1, 3300001, "kernel", 3, 0, 2790541,
	  "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod", NULL },
	{ BOOT_A, T_A + 4 * SEC, 4300000, "kernel", 4, 0, 2792458, MULTI_MSG, NULL },
	/* Userspace writing to /dev/kmsg: kernel transport, facility daemon. */
	{ BOOT_A, T_A + 5 * SEC, 5300000, "kernel", 6, 3, 5100000, "Started Journal Service.",
	  "SYSLOG_IDENTIFIER=systemd\n" },
	{ BOOT_A, T_A + 6 * SEC, 6300000, "kernel", 4, 0, 6100000, ODD_MSG,
	  "_KERNEL_SUBSYSTEM=pci\n_KERNEL_DEVICE=+pci:0000:00:02.0\n" },
	{ BOOT_B, T_B, 1100000, "kernel", 5, 0, 0,
	  "Linux version 6.1.192 (splat@rig) #3 SMP PREEMPT_DYNAMIC", NULL },
	{ BOOT_B, T_B + 1 * SEC, 2100000, "stdout", 6, -1, -1, "hello from a service", NULL },
	/* No kernel time stamp kept: the entry's monotonic time stands in. */
	{ BOOT_B, T_B + 2 * SEC, 3500000, "kernel", 4, 0, -1, "splatmod: scenario atomic_kmalloc",
	  NULL },
	/* No priority nor facility: LOG_INFO, kernel. */
	{ BOOT_B, T_B + 3 * SEC, 4500000, "kernel", -1, -1, 4400000, "random: crng init done", NULL },
};

/* Entries appended while following (boot B goes on). */
static const struct tentry follow_entries[] = {
	{ BOOT_B, T_B + 10 * SEC, 10500000, "kernel", 4, 0, 10400000,
	  "WARNING: CPU: 0 PID: 1 at kernel/locking/lockdep.c:4700 follow one", NULL },
	{ BOOT_B, T_B + 11 * SEC, 11500000, "syslog", 6, 3, -1, "cron: follow noise", NULL },
	{ BOOT_B, T_B + 12 * SEC, 12500000, "kernel", 3, 0, 12400000,
	  "BUG: scheduling while atomic: follow/2/0x00000002", NULL },
	{ BOOT_B, T_B + 13 * SEC, 13500000, "kernel", 4, 0, 13400000, "follow three\nsecond line",
	  NULL },
};

struct fixture {
	const char *remote;  /* systemd-journal-remote, NULL when not installed */
	char dir[64];        /* temporary directory of this run, removed at the end */
	char journal[128];   /* base_entries as a journal file */
	unsigned scratch;    /* subdirectories made so far */
};

/* The records of one reading, dictionary lines included, copied. */
struct readout {
	size_t n;
	char *rec[MAX_RECORDS];
	size_t len[MAX_RECORDS];
	char boot[MAX_RECORDS][33]; /* ks_journal_boot_id() after each */
	bool cut[MAX_RECORDS];
};

/* A kmsg record decoded by the envelope, its lines joined again. */
struct msg {
	char text[1024];
	size_t len;
	uint64_t ts_ns;
	int level;
	uint16_t flags;
	uint64_t seq;
};

/* ---- Writing journal files ---- */

static const char *find_remote(void)
{
	static const char *const paths[] = {
		"/lib/systemd/systemd-journal-remote",
		"/usr/lib/systemd/systemd-journal-remote",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

static struct fixture *need_remote(void **state)
{
	struct fixture *fx = *state;

	if (!fx->remote) {
		print_message("skipped: systemd-journal-remote not installed\n");
		skip();
	}
	return fx;
}

/* Text form when printable ASCII, else the binary form (what journalctl -o export does). */
static void put_export_field(FILE *f, const char *name, const char *value, size_t len)
{
	bool binary = false;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)value[i] < 0x20 || (unsigned char)value[i] >= 0x7f)
			binary = true;
	if (!binary) {
		fprintf(f, "%s=%.*s\n", name, (int)len, value);
		return;
	}
	fprintf(f, "%s\n", name);
	for (int i = 0; i < 8; i++)
		fputc((int)(((uint64_t)len >> (8 * i)) & 0xff), f);
	fwrite(value, 1, len, f);
	fputc('\n', f);
}

static void put_export_entry(FILE *f, const struct tentry *e, const char *message, size_t len)
{
	fprintf(f, "__REALTIME_TIMESTAMP=%" PRIu64 "\n__MONOTONIC_TIMESTAMP=%" PRIu64 "\n",
		e->realtime, e->monotonic);
	fprintf(f, "_BOOT_ID=%s\n_TRANSPORT=%s\n_HOSTNAME=" HOST "\n_MACHINE_ID=" MACHINE "\n",
		e->boot, e->transport);
	if (e->priority >= 0)
		fprintf(f, "PRIORITY=%d\n", e->priority);
	if (e->facility >= 0)
		fprintf(f, "SYSLOG_FACILITY=%d\n", e->facility);
	if (e->facility == 0)
		fputs("SYSLOG_IDENTIFIER=kernel\n", f);
	if (e->source_mono >= 0)
		fprintf(f, "_SOURCE_MONOTONIC_TIMESTAMP=%" PRId64 "\n", e->source_mono);
	if (e->extra)
		fputs(e->extra, f);
	put_export_field(f, "MESSAGE", message, len);
	fputc('\n', f);
}

static void write_export(const char *path, const struct tentry *e, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		put_export_entry(f, &e[i], e[i].message, strlen(e[i].message));
	assert_int_equal(fclose(f), 0);
}

/*
 * systemd-journal-remote --output=JOURNAL EXPORT_FILE: the entries of the
 * export file appended to JOURNAL (created when missing; the name must end
 * in .journal). Its chatter goes to remote.log next to the journal.
 */
static void run_remote(const struct fixture *fx, const char *export_path, const char *journal_path)
{
	char out_arg[256], log_path[256];
	int status;
	pid_t pid;

	snprintf(out_arg, sizeof(out_arg), "--output=%s", journal_path);
	snprintf(log_path, sizeof(log_path), "%s/remote.log", fx->dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execl(fx->remote, fx->remote, out_arg, export_path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		assert_int_equal(errno, EINTR);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("%s failed on %s (see %s)", fx->remote, export_path, log_path);
}

/* Entries @e written to (or appended to) the journal file @journal_path. */
static void make_journal(const struct fixture *fx, const char *journal_path, const struct tentry *e,
			 size_t n)
{
	char export_path[256];

	snprintf(export_path, sizeof(export_path), "%s.export", journal_path);
	write_export(export_path, e, n);
	run_remote(fx, export_path, journal_path);
	assert_int_equal(unlink(export_path), 0);
}

/* A fresh directory for one test, removed with the rest at the end. */
static void scratch_dir(struct fixture *fx, char *out, size_t size)
{
	snprintf(out, size, "%s/t%u", fx->dir, fx->scratch++);
	assert_int_equal(mkdir(out, 0755), 0);
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static int group_setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	/* Local time is UTC unless a test says otherwise. */
	setenv("TZ", "UTC0", 1);
	tzset();
	fx->remote = find_remote();
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/ksplat-test-journal-XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	snprintf(fx->journal, sizeof(fx->journal), "%s/base.journal", fx->dir);
	*state = fx;
	return 0;
}

static int group_teardown(void **state)
{
	struct fixture *fx = *state;

	nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

/* The base journal, made by the first test that needs it. */
static struct fixture *need_base(void **state)
{
	struct fixture *fx = need_remote(state);

	if (access(fx->journal, F_OK) != 0)
		make_journal(fx, fx->journal, base_entries, KS_ARRAY_SIZE(base_entries));
	return fx;
}

/* ---- Reading ---- */

static struct ks_journal *open_ok(const struct ks_journal_opts *o)
{
	struct ks_journal *j = NULL;
	char err[512] = "";
	int r = ks_journal_open(o, &j, err, sizeof(err));

	if (r < 0)
		fail_msg("ks_journal_open: %s (%d)", err, r);
	assert_non_null(j);
	return j;
}

/* A failing open: its code, and its message in @err. */
static int open_fails(const struct ks_journal_opts *o, char *err, size_t errlen)
{
	struct ks_journal *j = NULL;
	int r;

	err[0] = '\0';
	r = ks_journal_open(o, &j, err, errlen);
	assert_true(r < 0);
	assert_null(j);
	assert_true(err[0] != '\0');
	return r;
}

static void readout_add(struct readout *o, struct ks_journal *j, const char *rec, size_t len)
{
	if (o->n == MAX_RECORDS)
		fail_msg("more than %d records", MAX_RECORDS);
	/* A record never holds a line break: the caller feeds it as one line. */
	assert_null(memchr(rec, '\n', len));
	assert_int_equal(rec[len], '\0');
	o->rec[o->n] = malloc(len + 1);
	assert_non_null(o->rec[o->n]);
	memcpy(o->rec[o->n], rec, len + 1);
	o->len[o->n] = len;
	o->cut[o->n] = ks_journal_is_cut(j);
	snprintf(o->boot[o->n], sizeof(o->boot[0]), "%s", ks_journal_boot_id(j));
	o->n++;
}

/* Every record up to the first 0 (the end, or nothing new when following). */
static void read_available(struct ks_journal *j, struct readout *o)
{
	const char *rec;
	size_t len;
	int r;

	while ((r = ks_journal_next(j, &rec, &len)) == 1)
		readout_add(o, j, rec, len);
	assert_int_equal(r, 0);
}

static void readout_free(struct readout *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->rec[i]);
	o->n = 0;
}

/* Read everything @o selects: open, read to the end, check the end stays the end. */
static void read_journal(const struct ks_journal_opts *o, struct readout *out)
{
	struct ks_journal *j = open_ok(o);
	const char *rec;
	size_t len;

	memset(out, 0, sizeof(*out));
	read_available(j, out);
	assert_int_equal(ks_journal_next(j, &rec, &len), 0);
	ks_journal_free(j);
}

/* The records through the envelope: one msg per kmsg record; dictionary lines give none. */
static size_t decode(const struct readout *o, struct msg *out, size_t max)
{
	struct ks_envelope *env;
	size_t n = 0;

	assert_int_equal(ks_envelope_new(16384, &env), 0);
	for (size_t i = 0; i < o->n; i++) {
		struct ks_line l;
		bool first = true;

		ks_envelope_feed(env, o->rec[i], o->len[i], i + 1, o->cut[i]);
		while (ks_envelope_next(env, &l)) {
			struct msg *m = &out[n];

			if (first) {
				assert_true(n < max);
				memset(m, 0, sizeof(*m));
				assert_int_equal(l.env, KS_ENV_KMSG);
				m->ts_ns = l.ts_ns;
				m->level = l.level;
				m->flags = l.flags;
				m->seq = l.seq;
				n++;
			} else {
				m = &out[n - 1];
				m->text[m->len++] = '\n';
			}
			assert_true(m->len + l.len < sizeof(m->text));
			memcpy(m->text + m->len, l.text, l.len);
			m->len += l.len;
			first = false;
		}
	}
	ks_envelope_free(env);
	return n;
}

/* Kernel entries of @entries in one boot (NULL: any), within [since, until]. */
static size_t select_entries(const struct tentry *entries, size_t n, const char *boot,
			     uint64_t since, uint64_t until, const struct tentry **out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct tentry *e = &entries[i];

		if (strcmp(e->transport, "kernel") != 0 || (boot && strcmp(e->boot, boot) != 0) ||
		    e->realtime < since || e->realtime > until)
			continue;
		out[k++] = e;
	}
	return k;
}

static unsigned expected_pri(const struct tentry *e)
{
	return (unsigned)(e->facility < 0 ? 0 : e->facility) * 8 +
	       (unsigned)(e->priority < 0 ? 6 : e->priority);
}

static uint64_t expected_ts_usec(const struct tentry *e)
{
	return e->source_mono >= 0 ? (uint64_t)e->source_mono : e->monotonic;
}

/* The decoded messages are exactly @want, in order, with their priority and kernel time. */
static void expect_msgs(const struct msg *m, size_t n, const struct tentry *const *want,
			size_t nwant, uint64_t first_seq)
{
	if (n != nwant)
		fail_msg("%zu messages, want %zu", n, nwant);
	for (size_t i = 0; i < n; i++) {
		const struct tentry *e = want[i];
		unsigned pri = expected_pri(e);

		if (m[i].len != strlen(e->message) || memcmp(m[i].text, e->message, m[i].len) != 0)
			fail_msg("message %zu: \"%.*s\", want \"%s\"", i, (int)m[i].len, m[i].text,
				 e->message);
		assert_int_equal(m[i].ts_ns, expected_ts_usec(e) * 1000);
		assert_int_equal(m[i].level, (int)(pri & 7));
		assert_int_equal(!!(m[i].flags & KS_LINE_USER), pri >= 8);
		assert_int_equal(m[i].seq, first_seq + i);
	}
}

/* Read with @o and check the kernel entries of @boot within [since, until] came, in order. */
static void expect_selection(const struct ks_journal_opts *o, const char *boot, uint64_t since,
			     uint64_t until)
{
	const struct tentry *want[KS_ARRAY_SIZE(base_entries)];
	size_t nwant = select_entries(base_entries, KS_ARRAY_SIZE(base_entries), boot, since,
				      until, want);
	struct msg msgs[MAX_RECORDS];
	struct readout out;
	size_t n;

	read_journal(o, &out);
	n = decode(&out, msgs, MAX_RECORDS);
	expect_msgs(msgs, n, want, nwant, 1);
	readout_free(&out);
}

/* Index of the kmsg record (not a dictionary line) number @k, from 0. */
static size_t record_index(const struct readout *o, size_t k)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->rec[i][0] != ' ' && k-- == 0)
			return i;
	fail_msg("no record %zu", k);
	return 0;
}

static void test_read_all(void **state)
{
	struct fixture *fx = need_base(state);
	const char *files[] = { fx->journal };
	struct ks_journal_opts o = { .files = files, .nfiles = 1 };
	struct readout out;
	size_t i;

	expect_selection(&o, NULL, 0, UINT64_MAX);

	/* The records themselves, as /dev/kmsg would have given them. */
	read_journal(&o, &out);
	assert_string_equal(out.rec[0], "5,1,0,-;Linux version 6.1.192 (splat@rig) #2 SMP PREEMPT_DYNAMIC");
	assert_string_equal(out.rec[1], " _BOOT_ID=" BOOT_A);
	assert_string_equal(out.rec[2], " _HOSTNAME=" HOST);
	assert_string_equal(out.rec[3], " _MACHINE_ID=" MACHINE);
	assert_string_equal(out.boot[0], BOOT_A);
	assert_string_equal(out.rec[record_index(&out, 1)],
			    "4,2,2774840,-;splatmod: loading out-of-tree module taints kernel.");
	/* A multi-line message stays one record, its line breaks escaped. */
	assert_string_equal(out.rec[record_index(&out, 4)],
			    "4,5,2792458,-;Call Trace:\\x0a <TASK>\\x0a dump_stack_lvl+0x4c/0x5f"
			    "\\x0a __might_resched+0x250/0x273");
	/* Userspace through /dev/kmsg: facility 3 (daemon) * 8 + 6. */
	assert_string_equal(out.rec[record_index(&out, 5)], "30,6,5100000,-;Started Journal Service.");
	/* Control bytes, DEL, '\' and UTF-8 escaped; the kernel's dictionary first, then ours. */
	i = record_index(&out, 6);
	assert_string_equal(out.rec[i], "4,7,6100000,-;" ODD_RECORD);
	assert_string_equal(out.rec[i + 1], " SUBSYSTEM=pci");
	assert_string_equal(out.rec[i + 2], " DEVICE=+pci:0000:00:02.0");
	assert_string_equal(out.rec[i + 3], " _BOOT_ID=" BOOT_A);
	/* The second boot: its own ID, no kernel time (journald's stands in), no priority. */
	i = record_index(&out, 7);
	assert_string_equal(out.rec[i], "5,8,0,-;Linux version 6.1.192 (splat@rig) #3 SMP PREEMPT_DYNAMIC");
	assert_string_equal(out.boot[i], BOOT_B);
	assert_string_equal(out.rec[record_index(&out, 8)], "4,9,3500000,-;splatmod: scenario atomic_kmalloc");
	assert_string_equal(out.rec[record_index(&out, 9)], "6,10,4400000,-;random: crng init done");
	for (i = 0; i < out.n; i++)
		assert_false(out.cut[i]);
	readout_free(&out);
}

/* The same journal found through its directory. */
static void test_read_dir(void **state)
{
	struct fixture *fx = need_base(state);
	struct ks_journal_opts o = { .dir = fx->dir };

	expect_selection(&o, NULL, 0, UINT64_MAX);
}

static void expect_boot(const struct fixture *fx, const char *boot, const char *want_boot)
{
	const char *files[] = { fx->journal };
	struct ks_journal_opts o = { .files = files, .nfiles = 1, .boot = boot };

	expect_selection(&o, want_boot, 0, UINT64_MAX);
}

static void expect_boot_error(const struct fixture *fx, const char *boot, int want)
{
	const char *files[] = { fx->journal };
	struct ks_journal_opts o = { .files = files, .nfiles = 1, .boot = boot };
	char err[512];

	if (open_fails(&o, err, sizeof(err)) != want)
		fail_msg("boot \"%s\": %s, want %d", boot, err, want);
	assert_non_null(strstr(err, "boot"));
}

static void test_boot(void **state)
{
	struct fixture *fx = need_base(state);

	expect_boot(fx, "0", BOOT_B);
	expect_boot(fx, "", BOOT_B);
	expect_boot(fx, "+0", BOOT_B);
	expect_boot(fx, "-1", BOOT_A);
	expect_boot(fx, "1", BOOT_A);
	expect_boot(fx, "+1", BOOT_A);
	expect_boot(fx, "+2", BOOT_B);
	expect_boot(fx, BOOT_A, BOOT_A);
	expect_boot(fx, BOOT_B, BOOT_B);
	expect_boot(fx, BOOT_A_UUID, BOOT_A);
	expect_boot(fx, BOOT_A "+1", BOOT_B);
	expect_boot(fx, BOOT_B "-1", BOOT_A);
	expect_boot(fx, BOOT_B "+0", BOOT_B);

	expect_boot_error(fx, "-2", -ENOENT);
	expect_boot_error(fx, "+3", -ENOENT);
	expect_boot_error(fx, BOOT_B "+1", -ENOENT);
	expect_boot_error(fx, BOOT_A "-1", -ENOENT);
	expect_boot_error(fx, "ffffffffffffffffffffffffffffffff", -ENOENT);
	expect_boot_error(fx, "abc", -EINVAL);
	expect_boot_error(fx, "-", -EINVAL);
	expect_boot_error(fx, "1.5", -EINVAL);
	expect_boot_error(fx, "-1x", -EINVAL);
	expect_boot_error(fx, BOOT_A "1", -EINVAL);
	expect_boot_error(fx, BOOT_A "+", -EINVAL);
	expect_boot_error(fx, "6a1f0c5e9b7d4e2a8c3f5d7e9a1b3c5", -EINVAL);
	expect_boot_error(fx, "99999999999", -EINVAL);
}

static void expect_range(const struct fixture *fx, const char *since, const char *until,
			 const char *boot, uint64_t want_since, uint64_t want_until)
{
	const char *files[] = { fx->journal };
	struct ks_journal_opts o = {
		.files = files, .nfiles = 1, .since = since, .until = until, .boot = boot,
	};

	expect_selection(&o, boot && boot[0] == '0' ? BOOT_B : NULL, want_since, want_until);
}

static void test_since_until(void **state)
{
	struct fixture *fx = need_base(state);
	const char *files[] = { fx->journal };
	struct ks_journal_opts o = { .files = files, .nfiles = 1 };
	char err[512];

	/* Both bounds are inclusive, to the microsecond. */
	expect_range(fx, "@1700000002", "@1700000003.000001", NULL, T_A + 2 * SEC, T_A + 3 * SEC + 1);
	expect_range(fx, "@1700000003", NULL, NULL, T_A + 3 * SEC, UINT64_MAX);
	expect_range(fx, NULL, "@1700000002", NULL, 0, T_A + 2 * SEC);
	expect_range(fx, "2023-11-14 22:13:22", "2023-11-14 22:13:23", NULL, T_A + 2 * SEC,
		     T_A + 3 * SEC);
	expect_range(fx, "2023-11-15", NULL, NULL, T_A + 6400 * SEC, UINT64_MAX);
	expect_range(fx, NULL, "2023-11-15", NULL, 0, T_A + 6400 * SEC);
	expect_range(fx, "2023-11-15 22:13:22", NULL, NULL, T_B + 2 * SEC, UINT64_MAX);
	/* With a boot, and past everything. */
	expect_range(fx, "2023-11-14", NULL, "0", 0, UINT64_MAX);
	expect_range(fx, "@1800000000", NULL, NULL, UINT64_MAX, UINT64_MAX);
	expect_range(fx, "2023-11-14 22:13:20", "2023-11-14 22:13:20", NULL, T_A, T_A);

	o.since = "yesterdayish";
	assert_int_equal(open_fails(&o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "--since"));
	assert_non_null(strstr(err, "yesterdayish"));
	o.since = NULL;
	o.until = "2023-02-30";
	assert_int_equal(open_fails(&o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "--until"));
	o.since = "@1700000003";
	o.until = "@1700000002";
	assert_int_equal(open_fails(&o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "after"));
	o.since = NULL;
	o.follow = true;
	assert_int_equal(open_fails(&o, err, sizeof(err)), -EINVAL);
}

/*
 * A clock set back (a boot whose wall clock starts earlier than the last
 * one ended): the bounds hold for every entry, in journal order; reading
 * ends at the first entry past --until.
 */
static void test_clock_back(void **state)
{
	static const struct tentry entries[] = {
		{ BOOT_A, T_A + 10 * SEC, 1000000, "kernel", 4, 0, 900000, "a1", NULL },
		{ BOOT_A, T_A + 20 * SEC, 2000000, "kernel", 4, 0, 1900000, "a2", NULL },
		{ BOOT_B, T_A + 5 * SEC, 1000000, "kernel", 4, 0, 900000, "b1", NULL },
		{ BOOT_B, T_A + 30 * SEC, 2000000, "kernel", 4, 0, 1900000, "b2", NULL },
	};
	struct fixture *fx = need_remote(state);
	struct ks_journal_opts o = { .nfiles = 1, .since = "@1700000008" };
	const struct tentry *want[4];
	struct msg msgs[8];
	struct readout out;
	char dir[128], path[192];
	const char *files[1];

	scratch_dir(fx, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/clock.journal", dir);
	make_journal(fx, path, entries, 4);
	files[0] = path;
	o.files = files;

	read_journal(&o, &out);
	want[0] = &entries[0];
	want[1] = &entries[1];
	want[2] = &entries[3];
	expect_msgs(msgs, decode(&out, msgs, 8), want, 3, 1);
	readout_free(&out);

	o.since = NULL;
	o.until = "@1700000025";
	read_journal(&o, &out);
	want[2] = &entries[2];
	expect_msgs(msgs, decode(&out, msgs, 8), want, 3, 1);
	readout_free(&out);
}

/* A message longer than the record keeps: cut, and said so; bytes like NUL escaped. */
static void test_long_message(void **state)
{
	struct fixture *fx = need_remote(state);
	const struct tentry e = { BOOT_A, T_A, 1000000, "kernel", 4, 0, 900000, NULL, NULL };
	size_t len = KS_JOURNAL_MAX_MESSAGE + 5000;
	char dir[128], path[192], export_path[256];
	char *msg = malloc(len);
	struct ks_journal_opts o = { .nfiles = 1 };
	const char *files[1];
	struct readout out;
	FILE *f;

	assert_non_null(msg);
	memset(msg, 'A', len);
	memcpy(msg, "x\0y\x01z", 5);
	scratch_dir(fx, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/long.journal", dir);
	snprintf(export_path, sizeof(export_path), "%s/long.export", dir);
	f = fopen(export_path, "w");
	assert_non_null(f);
	put_export_entry(f, &e, msg, len);
	assert_int_equal(fclose(f), 0);
	free(msg);
	run_remote(fx, export_path, path);

	files[0] = path;
	o.files = files;
	read_journal(&o, &out);
	assert_true(out.n >= 2);
	assert_true(out.cut[0]);
	assert_int_equal(out.len[0], strlen("4,1,900000,-;") + strlen("x\\x00y\\x01z") +
					     KS_JOURNAL_MAX_MESSAGE - 5);
	assert_memory_equal(out.rec[0], "4,1,900000,-;x\\x00y\\x01zAAA", 27);
	assert_false(out.cut[1]);
	readout_free(&out);
}

static void test_open_errors(void **state)
{
	struct fixture *fx = *state;
	const char *missing[] = { "/nonexistent/ksplat/x.journal" };
	const char *dir_as_file[] = { "/tmp" };
	struct ks_journal_opts o = { .files = missing, .nfiles = 1 };
	struct ks_journal *j = NULL;
	char err[512], text[192];
	const char *text_file[] = { text };
	FILE *f;
	int r;

	assert_int_equal(open_fails(&o, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, missing[0]));
	o.files = dir_as_file;
	assert_int_equal(open_fails(&o, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "/tmp"));

	/* Not a journal: a file of text. */
	snprintf(text, sizeof(text), "%s/not-a.journal", fx->dir);
	f = fopen(text, "w");
	assert_non_null(f);
	fputs("[    2.790302] BUG: sleeping function called from invalid context\n", f);
	assert_int_equal(fclose(f), 0);
	o.files = text_file;
	open_fails(&o, err, sizeof(err));
	assert_non_null(strstr(err, text));

	o.dir = fx->dir;
	assert_int_equal(open_fails(&o, err, sizeof(err)), -EINVAL);
	o.nfiles = 0;
	o.dir = "/nonexistent/ksplat";
	assert_true(open_fails(&o, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, o.dir));

	/* The system journal: either there is one, or ksplat says there is none. */
	memset(&o, 0, sizeof(o));
	r = ks_journal_open(&o, &j, err, sizeof(err));
	if (r < 0) {
		assert_int_equal(r, -ENOENT);
		assert_non_null(strstr(err, "journal"));
	} else {
		ks_journal_free(j);
	}
	ks_journal_free(NULL);
}

/* ---- Following ---- */

static uint64_t mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * SEC + (uint64_t)ts.tv_nsec / 1000;
}

/*
 * Wait for the next record as a follower does, ks_journal_wait() first, for
 * at most FOLLOW_LIMIT_USEC; the record goes to @o. Returns whether
 * ks_journal_wait() reported the change.
 */
static bool wait_for_record(struct ks_journal *j, struct readout *o)
{
	uint64_t deadline = mono_usec() + FOLLOW_LIMIT_USEC;
	bool woke = false;
	const char *rec;
	size_t len;
	int r;

	while (mono_usec() < deadline) {
		r = ks_journal_wait(j, 200000);
		assert_true(r == 0 || r == 1);
		woke |= r == 1;
		r = ks_journal_next(j, &rec, &len);
		assert_true(r == 0 || r == 1);
		if (r == 1) {
			readout_add(o, j, rec, len);
			return woke;
		}
	}
	fail_msg("no new record within %" PRIu64 " s", FOLLOW_LIMIT_USEC / SEC);
	return false;
}

/* Nothing new: the wait times out (in about its time) and there is nothing to read. */
static void expect_quiet(struct ks_journal *j)
{
	uint64_t start = mono_usec();
	const char *rec;
	size_t len;

	assert_int_equal(ks_journal_wait(j, 100000), 0);
	assert_true(mono_usec() - start >= 90000);
	assert_int_equal(ks_journal_next(j, &rec, &len), 0);
}

/* The messages of @o since record @from are exactly @want. */
static void expect_new(const struct readout *o, size_t from, const struct tentry *const *want,
		       size_t nwant, uint64_t first_seq)
{
	struct readout tail = { 0 };
	struct msg msgs[MAX_RECORDS];
	size_t n;

	for (size_t i = from; i < o->n; i++) {
		tail.rec[tail.n] = o->rec[i];
		tail.len[tail.n] = o->len[i];
		tail.cut[tail.n] = o->cut[i];
		tail.n++;
	}
	n = decode(&tail, msgs, MAX_RECORDS);
	expect_msgs(msgs, n, want, nwant, first_seq);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A signal ends a wait (with 0) long before its timeout, so a follower can stop. */
static void expect_wait_interrupted(struct ks_journal *j)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct itimerval alarm_in = { .it_value = { .tv_sec = 0, .tv_usec = 100000 } };
	uint64_t start = mono_usec();

	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	assert_int_equal(setitimer(ITIMER_REAL, &alarm_in, NULL), 0);
	assert_int_equal(ks_journal_wait(j, 30 * SEC), 0);
	assert_true(mono_usec() - start < 10 * SEC);
	assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
}

/* Entries appended to the file being read arrive. */
static void test_follow_append(void **state)
{
	struct fixture *fx = need_remote(state);
	const struct tentry *want[4];
	struct readout out = { 0 };
	struct ks_journal_opts o = { .nfiles = 1, .follow = true };
	const char *files[1];
	char dir[128], path[192];
	struct ks_journal *j;
	size_t mark;

	scratch_dir(fx, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/follow.journal", dir);
	make_journal(fx, path, base_entries + 8, 4); /* boot B */
	files[0] = path;
	o.files = files;
	j = open_ok(&o);

	/* The backlog first, then nothing. */
	read_available(j, &out);
	want[0] = &base_entries[8];
	want[1] = &base_entries[10];
	want[2] = &base_entries[11];
	expect_new(&out, 0, want, 3, 1);
	expect_quiet(j);

	/* One kernel entry and some userspace noise appended: the entry comes. */
	mark = out.n;
	make_journal(fx, path, follow_entries, 2);
	assert_true(wait_for_record(j, &out));
	read_available(j, &out);
	want[0] = &follow_entries[0];
	expect_new(&out, mark, want, 1, 4);
	assert_string_equal(out.boot[mark], BOOT_B);

	/* Two more at once. */
	mark = out.n;
	make_journal(fx, path, follow_entries + 2, 2);
	assert_true(wait_for_record(j, &out));
	read_available(j, &out);
	want[0] = &follow_entries[2];
	want[1] = &follow_entries[3];
	expect_new(&out, mark, want, 2, 5);
	expect_quiet(j);
	expect_wait_interrupted(j);

	ks_journal_free(j);
	readout_free(&out);
}

/*
 * A directory followed through rotation (the active file renamed to an
 * archive name, a new one started) and vacuuming (the archive deleted):
 * reading goes on where it was, nothing lost, nothing twice.
 */
static void test_follow_rotate(void **state)
{
	struct fixture *fx = need_remote(state);
	const struct tentry *want[2];
	struct readout out = { 0 };
	char dir[128], active[192], archived[256];
	struct ks_journal_opts o = { .follow = true, .boot = "0" };
	struct ks_journal *j;
	size_t mark;

	scratch_dir(fx, dir, sizeof(dir));
	snprintf(active, sizeof(active), "%s/system.journal", dir);
	snprintf(archived, sizeof(archived), "%s/system@0000000000000001-0000000000000001.journal", dir);
	make_journal(fx, active, base_entries + 8, 3);
	o.dir = dir;
	j = open_ok(&o);
	read_available(j, &out);
	want[0] = &base_entries[8];
	want[1] = &base_entries[10];
	expect_new(&out, 0, want, 2, 1);
	expect_quiet(j);

	/* Rotation. */
	assert_int_equal(rename(active, archived), 0);
	mark = out.n;
	make_journal(fx, active, follow_entries, 1);
	assert_true(wait_for_record(j, &out));
	read_available(j, &out);
	want[0] = &follow_entries[0];
	expect_new(&out, mark, want, 1, 3);

	/* Vacuuming, then more in the new file. */
	assert_int_equal(unlink(archived), 0);
	mark = out.n;
	make_journal(fx, active, follow_entries + 2, 1);
	assert_true(wait_for_record(j, &out));
	read_available(j, &out);
	want[0] = &follow_entries[2];
	expect_new(&out, mark, want, 1, 4);
	expect_quiet(j);

	ks_journal_free(j);
	readout_free(&out);
}

/* A follower that starts on an empty directory sees the first file appear. */
static void test_follow_empty_dir(void **state)
{
	struct fixture *fx = need_remote(state);
	const struct tentry *want[1] = { &follow_entries[0] };
	struct readout out = { 0 };
	struct ks_journal_opts o = { .follow = true, .since = "@1700086400" };
	char dir[128], path[192];
	struct ks_journal *j;

	scratch_dir(fx, dir, sizeof(dir));
	o.dir = dir;
	j = open_ok(&o);
	read_available(j, &out);
	assert_int_equal(out.n, 0);
	/* Before any wait: the directory is watched from the start. */
	snprintf(path, sizeof(path), "%s/first.journal", dir);
	make_journal(fx, path, follow_entries, 2);
	assert_true(wait_for_record(j, &out));
	read_available(j, &out);
	expect_new(&out, 0, want, 1, 1);
	expect_quiet(j);
	ks_journal_free(j);
	readout_free(&out);
}

/* ---- Times ---- */

static void expect_time(const char *s, uint64_t now, uint64_t want)
{
	uint64_t got = 0;
	int r = ks_journal_parse_time(s, now, &got);

	if (r < 0)
		fail_msg("\"%s\": error %d", s, r);
	if (got != want)
		fail_msg("\"%s\": %" PRIu64 ", want %" PRIu64, s, got, want);
}

static void expect_bad_time(const char *s)
{
	uint64_t got = 12345;

	if (ks_journal_parse_time(s, T_A, &got) != -EINVAL)
		fail_msg("\"%s\" accepted as %" PRIu64, s, got);
	assert_int_equal(got, 12345);
}

static void test_parse_time(void **state)
{
	const uint64_t now = T_A + 123456; /* Tue 2023-11-14 22:13:20.123456 UTC */
	static const char *const bad[] = {
		"", " ", "now ", "Now", "2023-13-01", "2023-00-10", "2023-02-30", "2023-11-31",
		"2023-11-14 24:00", "2023-11-14 22:60", "2023-11-14 22:13:61", "2023-11-14 ",
		"2023-11-14X22:13", "2023-11-14 22", "23-11-14", "2023-11-14 22:13:20 PST",
		"2023-11-14 22:13:20.1234567", "@", "@-5", "@12x", "@1.", "@1.1234567", "-", "+",
		"-5 parsecs", "--5s", "5min agoo", " ago", "-5min ago", "yesterdays", "todayx",
		"99999999999999999999s ago", "+18446744073709551615s", "1h30", "5h x",
	};

	(void)state;
	expect_time("now", now, now);
	expect_time("today", now, UINT64_C(1699920000000000));
	expect_time("yesterday", now, UINT64_C(1699833600000000));
	expect_time("tomorrow", now, UINT64_C(1700006400000000));
	expect_time("2023-11-14", now, UINT64_C(1699920000000000));
	expect_time("2023-11-14 22:13", now, UINT64_C(1699999980000000));
	expect_time("2023-11-14 22:13:20", now, T_A);
	expect_time("2023-11-14T22:13:20.5", now, T_A + 500000);
	expect_time("2023-11-14 22:13:20.000001 UTC", now, T_A + 1);
	expect_time("2024-02-29 00:00:00", now, UINT64_C(1709164800000000));
	expect_time("22:13:20", now, T_A);
	expect_time("00:00", now, UINT64_C(1699920000000000));
	expect_time("@1700000000", now, T_A);
	expect_time("@1700000000.25", now, T_A + 250000);
	expect_time("@0", now, 0);
	expect_time("-30s", now, now - 30 * SEC);
	expect_time("-5min", now, now - 300 * SEC);
	expect_time("-2h", now, now - 7200 * SEC);
	expect_time("-1d", now, now - 86400 * SEC);
	expect_time("-1w", now, now - 7 * 86400 * SEC);
	expect_time("-500ms", now, now - 500000);
	expect_time("-250us", now, now - 250);
	expect_time("+1h", now, now + 3600 * SEC);
	expect_time("-1h30min", now, now - 5400 * SEC);
	expect_time("-1h 30min", now, now - 5400 * SEC);
	expect_time("-1h 30", now, now - 3630 * SEC);
	expect_time("2 days ago", now, now - 2 * 86400 * SEC);
	expect_time("90 ago", now, now - 90 * SEC);
	expect_time("-100000d", now, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_bad_time(bad[i]);

	/* Local time is local: five hours behind UTC, no daylight saving time. */
	setenv("TZ", "EST5", 1);
	expect_time("2023-11-14 22:13:20", now, T_A + 5 * 3600 * SEC);
	expect_time("2023-11-14 22:13:20 UTC", now, T_A);
	expect_time("today", now, UINT64_C(1699938000000000));
	expect_time("yesterday", now, UINT64_C(1699851600000000));
	expect_time("17:13:20", now, T_A);
	expect_time("@1700000000", now, T_A);
	setenv("TZ", "UTC0", 1);
	expect_time("2023-11-14 22:13:20", now, T_A);
}

/* ---- Export format ---- */

#define REPORT_TEXT                                                                             \
	"#1 BUG: sleeping function called from invalid context in faulty_function\n"            \
	"   lock      my_lock {+.+.}-{3:3}, taken at faulty_function+0xd/0x4c [splatmod]\n"
#define TITLE_TEXT "lock \xe2\x80\x98my_lock\xe2\x80\x99 \xe2\x80\x94 held"
#define BLOB_TEXT "\x00\x01\xff\x1b[0m\n"

/* A field whose value is a string literal, NULs included. */
#define FIELD(name, lit) { name, lit, sizeof(lit) - 1 }

static const struct ks_jfield report_fields[] = {
	FIELD("MESSAGE", "BUG: sleeping function called from invalid context in faulty_function"),
	FIELD("MESSAGE_ID", KS_JOURNAL_MESSAGE_ID),
	FIELD("PRIORITY", "3"),
	FIELD("SYSLOG_IDENTIFIER", "ksplat"),
	FIELD("KSPLAT_REPORT", REPORT_TEXT),
	FIELD("KSPLAT_TITLE", TITLE_TEXT),
};

static const struct ks_jfield warning_fields[] = {
	FIELD("MESSAGE", "WARNING: CPU: 0 PID: 1 at kernel/locking/lockdep.c:4700"),
	FIELD("MESSAGE_ID", KS_JOURNAL_MESSAGE_ID),
	FIELD("KSPLAT_BLOB", BLOB_TEXT),
	{ "KSPLAT_EMPTY", NULL, 0 },
	FIELD("KSPLAT_2ND", "tab\there"),
};

/* Every field of @f is in the current entry of @sd, byte for byte. */
static void expect_fields(sd_journal *sd, const struct ks_jfield *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t nlen = strlen(f[i].name), len;
		const void *data;
		int r = sd_journal_get_data(sd, f[i].name, &data, &len);

		if (r < 0)
			fail_msg("%s: %d", f[i].name, r);
		assert_int_equal(len, nlen + 1 + f[i].len);
		assert_memory_equal(data, f[i].name, nlen);
		assert_int_equal(((const char *)data)[nlen], '=');
		if (f[i].len > 0)
			assert_memory_equal((const char *)data + nlen + 1, f[i].value, f[i].len);
	}
}

static void expect_bad_fields(const struct ks_jfield *f, size_t n, const char *boot_id)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	assert_non_null(out);
	assert_int_equal(ks_jexport_write(out, f, n, T_A, 1, boot_id), -EINVAL);
	assert_int_equal(fclose(out), 0);
	/* Checked before anything was written. */
	assert_int_equal(size, 0);
	free(buf);
}

static void test_jexport_invalid(void **state)
{
	static const char *const bad_names[] = {
		"", "lower", "_TRUSTED", "__CURSOR", "1ABC", "A-B", "A B", "A=B", "MESSAGE\n",
	};
	struct ks_jfield f[2] = { { "MESSAGE", "x", 1 }, { NULL, "y", 1 } };
	char longest[66];
	FILE *out;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		f[1].name = bad_names[i];
		expect_bad_fields(f, 2, BOOT_A);
		assert_int_equal(ks_jexport_send(f, 2), -EINVAL);
	}
	/* 64 characters are fine, 65 are not. */
	memset(longest, 'A', 65);
	longest[65] = '\0';
	f[1].name = longest;
	expect_bad_fields(f, 2, BOOT_A);
	longest[64] = '\0';
	out = fopen("/dev/null", "w");
	assert_non_null(out);
	assert_int_equal(ks_jexport_write(out, f, 2, T_A, 1, BOOT_A), 0);
	fclose(out);
	f[1].value = NULL; /* with a length */
	expect_bad_fields(f, 2, BOOT_A);
	f[1].value = "y";
	expect_bad_fields(f, 2, "6A1F0C5E9B7D4E2A8C3F5D7E9A1B3C5D");
	expect_bad_fields(f, 2, "6a1f0c5e");
	expect_bad_fields(f, 2, BOOT_A "0");
	assert_int_equal(ks_jexport_send(f, 0), -EINVAL);
}

/* The exact bytes: text form, binary form, the end of the entry. */
static void test_jexport_bytes(void **state)
{
	static const struct ks_jfield f[] = {
		{ "MESSAGE", "hi", 2 },
		{ "KSPLAT_LINES", "a\nb", 3 },
		{ "KSPLAT_UTF8", "caf\xc3\xa9", 5 },
		{ "KSPLAT_BAD_UTF8", "caf\xc3", 4 },
	};
	static const char want[] = "__REALTIME_TIMESTAMP=1700000000000000\n"
				   "__MONOTONIC_TIMESTAMP=2790302\n"
				   "_BOOT_ID=" BOOT_A "\n"
				   "MESSAGE=hi\n"
				   "KSPLAT_LINES\n\x03\0\0\0\0\0\0\0a\nb\n"
				   "KSPLAT_UTF8=caf\xc3\xa9\n"
				   "KSPLAT_BAD_UTF8\n\x04\0\0\0\0\0\0\0caf\xc3\n"
				   "\n"
				   "__REALTIME_TIMESTAMP=1700000000000001\n"
				   "MESSAGE=hi\n"
				   "\n";
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	(void)state;
	assert_non_null(out);
	assert_int_equal(ks_jexport_write(out, f, KS_ARRAY_SIZE(f), T_A, 2790302, BOOT_A), 0);
	assert_int_equal(ks_jexport_write(out, f, 1, T_A + 1, 5, NULL), 0);
	assert_int_equal(fclose(out), 0);
	assert_int_equal(size, sizeof(want) - 1);
	assert_memory_equal(buf, want, size);
	free(buf);
}

/* Two entries through systemd-journal-remote and back through sd-journal. */
static void test_jexport_roundtrip(void **state)
{
	struct fixture *fx = need_remote(state);
	char dir[128], export_path[192], journal_path[192];
	const char *paths[2];
	sd_id128_t boot;
	uint64_t usec;
	sd_journal *sd;
	FILE *out;

	scratch_dir(fx, dir, sizeof(dir));
	snprintf(export_path, sizeof(export_path), "%s/reports.export", dir);
	snprintf(journal_path, sizeof(journal_path), "%s/reports.journal", dir);
	out = fopen(export_path, "w");
	assert_non_null(out);
	assert_int_equal(ks_jexport_write(out, report_fields, KS_ARRAY_SIZE(report_fields),
					  T_A + 7, 2790302, BOOT_A), 0);
	assert_int_equal(ks_jexport_write(out, warning_fields, KS_ARRAY_SIZE(warning_fields),
					  T_B + 9, 4400000, BOOT_B), 0);
	assert_int_equal(fclose(out), 0);
	run_remote(fx, export_path, journal_path);

	paths[0] = journal_path;
	paths[1] = NULL;
	assert_int_equal(sd_journal_open_files(&sd, paths, 0), 0);
	assert_int_equal(sd_journal_seek_head(sd), 0);

	assert_int_equal(sd_journal_next(sd), 1);
	assert_int_equal(sd_journal_get_realtime_usec(sd, &usec), 0);
	assert_int_equal(usec, T_A + 7);
	assert_int_equal(sd_journal_get_monotonic_usec(sd, &usec, &boot), 0);
	assert_int_equal(usec, 2790302);
	assert_string_equal(SD_ID128_TO_STRING(boot), BOOT_A);
	expect_fields(sd, report_fields, KS_ARRAY_SIZE(report_fields));

	assert_int_equal(sd_journal_next(sd), 1);
	assert_int_equal(sd_journal_get_realtime_usec(sd, &usec), 0);
	assert_int_equal(usec, T_B + 9);
	assert_int_equal(sd_journal_get_monotonic_usec(sd, &usec, &boot), 0);
	assert_int_equal(usec, 4400000);
	assert_string_equal(SD_ID128_TO_STRING(boot), BOOT_B);
	expect_fields(sd, warning_fields, KS_ARRAY_SIZE(warning_fields));

	assert_int_equal(sd_journal_next(sd), 0);
	sd_journal_close(sd);
}

/* To the running journald, when there is one; else an error to warn about, not silence. */
static void test_jexport_send(void **state)
{
	(void)state;
	if (access("/run/systemd/journal/socket", F_OK) != 0) {
		assert_int_equal(ks_jexport_send(report_fields, KS_ARRAY_SIZE(report_fields)), -ENOENT);
		print_message("skipped: no journald socket at /run/systemd/journal/socket\n");
		skip();
	}
	assert_int_equal(ks_jexport_send(report_fields, KS_ARRAY_SIZE(report_fields)), 0);
	assert_int_equal(ks_jexport_send(warning_fields, KS_ARRAY_SIZE(warning_fields)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_read_all),
		cmocka_unit_test(test_read_dir),
		cmocka_unit_test(test_boot),
		cmocka_unit_test(test_since_until),
		cmocka_unit_test(test_clock_back),
		cmocka_unit_test(test_long_message),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_follow_append),
		cmocka_unit_test(test_follow_rotate),
		cmocka_unit_test(test_follow_empty_dir),
		cmocka_unit_test(test_jexport_invalid),
		cmocka_unit_test(test_jexport_bytes),
		cmocka_unit_test(test_jexport_roundtrip),
		cmocka_unit_test(test_jexport_send),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
