// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Report start detection: the start line of every kind with its captures,
 * and lines that look like a start but are not (not at the message start,
 * other lockdep titles, empty and hostile lines).
 */
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ksplat/detect.h"
#include "ksplat/envelope.h"
#include "ksplat/kinds.h"
#include "ksplat/util.h"

static int setup(void **state)
{
	struct ks_detect *d;

	if (ks_detect_new(&d) < 0)
		return -1;
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	ks_detect_free(*state);
	return 0;
}

static bool detect(struct ks_detect *d, const char *line, struct ks_match *m)
{
	return ks_detect_line(d, line, strlen(line), m);
}

/* Capture @i is @want, borrowed from @line. */
static void assert_cap(const struct ks_match *m, uint32_t i, const char *line, const char *want)
{
	assert_true(i < m->ncap);
	assert_non_null(m->cap[i].p);
	assert_true(m->cap[i].p >= line && m->cap[i].p + m->cap[i].len <= line + strlen(line));
	assert_int_equal(m->cap[i].len, strlen(want));
	assert_memory_equal(m->cap[i].p, want, m->cap[i].len);
}

static void assert_no_cap(const struct ks_match *m, uint32_t i)
{
	assert_true(i >= m->ncap || m->cap[i].p == NULL);
}

/* The kinds this file is about: the atomic-context reports and the warning. */
static const enum ks_kind base_kinds[] = {
	KS_KIND_SLEEP_IN_ATOMIC, KS_KIND_SCHEDULE_WHILE_ATOMIC, KS_KIND_INVALID_WAIT_CONTEXT,
	KS_KIND_SMP_PROCESSOR_ID, KS_KIND_WARNING,
};

/* @line starts no report of @kind: no report at all, or one of another kind. */
static void assert_not_kind(struct ks_detect *d, const char *line, size_t len, enum ks_kind kind)
{
	struct ks_match m;

	if (ks_detect_line(d, line, len, &m))
		assert_int_not_equal(m.kind, kind);
}

static void assert_no_base_kind(struct ks_detect *d, const char *line, size_t len)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(base_kinds); i++)
		assert_not_kind(d, line, len, base_kinds[i]);
}

static void test_sleep_with_file_line(void **state)
{
	static const char line[] =
		"BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274";
	struct ks_match m;

	assert_true(detect(*state, line, &m));
	assert_int_equal(m.kind, KS_KIND_SLEEP_IN_ATOMIC);
	assert_int_equal(m.ncap, 3);
	assert_cap(&m, 0, line, line);
	assert_cap(&m, 1, line, "include/linux/sched/mm.h");
	assert_cap(&m, 2, line, "274");
}

static void test_sleep_without_file_line(void **state)
{
	static const char line[] = "BUG: sleeping function called from invalid context";
	struct ks_match m;

	assert_true(detect(*state, line, &m));
	assert_int_equal(m.kind, KS_KIND_SLEEP_IN_ATOMIC);
	assert_cap(&m, 0, line, line);
	assert_no_cap(&m, 1);
	assert_no_cap(&m, 2);
}

static void test_sleep_debug_prefix(void **state)
{
	static const char line[] = "Debug: sleeping function called from invalid context at mm/slab.c:2848";
	struct ks_match m;

	assert_true(detect(*state, line, &m));
	assert_int_equal(m.kind, KS_KIND_SLEEP_IN_ATOMIC);
	assert_cap(&m, 1, line, "mm/slab.c");
	assert_cap(&m, 2, line, "2848");
}

/* The line length is the caller's: the text need not be NUL-terminated there. */
static void test_sleep_len_respected(void **state)
{
	static const char line[] =
		"BUG: sleeping function called from invalid context at kernel/locking/mutex.c:58099999";
	struct ks_match m;

	assert_true(ks_detect_line(*state, line, strlen(line) - 5, &m));
	assert_int_equal(m.kind, KS_KIND_SLEEP_IN_ATOMIC);
	assert_int_equal(m.cap[0].len, strlen(line) - 5);
	assert_int_equal(m.cap[2].len, 3);
	assert_memory_equal(m.cap[2].p, "580", 3);
	assert_memory_equal(m.cap[1].p, "kernel/locking/mutex.c", m.cap[1].len);
	assert_int_equal(m.cap[1].len, strlen("kernel/locking/mutex.c"));
	/* Cut inside the needle: no longer a sleeping-function report. */
	assert_not_kind(*state, line, 30, KS_KIND_SLEEP_IN_ATOMIC);
}

static void test_scheduling_while_atomic(void **state)
{
	static const char line[] = "BUG: scheduling while atomic: kworker/0:1/23/0x00000002";
	static const char line2[] = "BUG: scheduling while atomic: insmod/39/0x00000101";
	struct ks_match m;

	assert_true(detect(*state, line, &m));
	assert_int_equal(m.kind, KS_KIND_SCHEDULE_WHILE_ATOMIC);
	assert_int_equal(m.ncap, 4);
	/* The comm keeps its '/' and ':'; pid and preempt count are the last two fields. */
	assert_cap(&m, 1, line, "kworker/0:1");
	assert_cap(&m, 2, line, "23");
	assert_cap(&m, 3, line, "00000002");

	assert_true(detect(*state, line2, &m));
	assert_int_equal(m.kind, KS_KIND_SCHEDULE_WHILE_ATOMIC);
	assert_cap(&m, 1, line2, "insmod");
	assert_cap(&m, 2, line2, "39");
	assert_cap(&m, 3, line2, "00000101");
}

static void test_invalid_wait_context(void **state)
{
	static const char *const lines[] = {
		"[ BUG: Invalid wait context ]",
		"BUG: Invalid wait context",
		"[ BUG: Invalid wait context ]   ",
	};
	struct ks_match m;

	for (size_t i = 0; i < KS_ARRAY_SIZE(lines); i++) {
		assert_true(detect(*state, lines[i], &m));
		assert_int_equal(m.kind, KS_KIND_INVALID_WAIT_CONTEXT);
		assert_cap(&m, 0, lines[i], lines[i]);
	}
	/* Text after the title is not the title line. */
	assert_not_kind(*state, "[ BUG: Invalid wait context ] in foo", 36, KS_KIND_INVALID_WAIT_CONTEXT);
	/* The rulers and the lines of the report body start nothing. */
	assert_false(detect(*state, "=============================", &m));
	assert_false(detect(*state, "insmod/39 is trying to lock:", &m));
}

static void test_smp_processor_id(void **state)
{
	static const char line[] = "BUG: using __this_cpu_read() in preemptible [00000000] code: a/1";
	static const char line2[] =
		"BUG: using smp_processor_id() in preemptible [00000000] code: systemd-udevd/312";
	struct ks_match m;

	assert_true(detect(*state, line, &m));
	assert_int_equal(m.kind, KS_KIND_SMP_PROCESSOR_ID);
	assert_int_equal(m.ncap, 5);
	assert_cap(&m, 1, line, "__this_cpu_read");
	assert_cap(&m, 2, line, "00000000");
	assert_cap(&m, 3, line, "a");
	assert_cap(&m, 4, line, "1");

	assert_true(detect(*state, line2, &m));
	assert_int_equal(m.kind, KS_KIND_SMP_PROCESSOR_ID);
	assert_cap(&m, 1, line2, "smp_processor_id");
	assert_cap(&m, 3, line2, "systemd-udevd");
	assert_cap(&m, 4, line2, "312");
}

static void test_warning(void **state)
{
	static const char line[] = "WARNING: CPU: 0 PID: 1 at kernel/x.c:5 f+0x1/0x2";
	static const char line2[] =
		"WARNING: CPU: 1 PID: 41 at splatmod/splatmod.c:339 splat_conc_cpu1_warn+0x0/0x3 [splatmod]";
	struct ks_match m;

	assert_true(detect(*state, line, &m));
	assert_int_equal(m.kind, KS_KIND_WARNING);
	assert_cap(&m, 1, line, "0");
	assert_cap(&m, 2, line, "1");
	assert_cap(&m, 3, line, "kernel/x.c:5");

	assert_true(detect(*state, line2, &m));
	assert_int_equal(m.kind, KS_KIND_WARNING);
	assert_cap(&m, 1, line2, "1");
	assert_cap(&m, 2, line2, "41");
	assert_cap(&m, 3, line2, "splatmod/splatmod.c:339");
}

static void test_not_at_line_start(void **state)
{
	static const struct {
		const char *line;
		enum ks_kind kind;
	} cases[] = {
		{ " BUG: sleeping function called from invalid context at a.c:1", KS_KIND_SLEEP_IN_ATOMIC },
		{ "Re: BUG: scheduling while atomic: a/1/0x00000002", KS_KIND_SCHEDULE_WHILE_ATOMIC },
		{ "x WARNING: CPU: 0 PID: 1 at kernel/x.c:5 f+0x1/0x2", KS_KIND_WARNING },
		{ "foo: BUG: using smp_processor_id() in preemptible [00000000] code: a/1", KS_KIND_SMP_PROCESSOR_ID },
		{ "lockdep: [ BUG: Invalid wait context ]", KS_KIND_INVALID_WAIT_CONTEXT },
	};
	struct ks_match m;

	/* A mail subject quoting a report is no report of any kind. */
	assert_false(detect(*state, "[syzbot] BUG: sleeping function called from invalid context", &m));
	assert_false(detect(*state, "[syzbot] BUG: sleeping function called from invalid context in foo", &m));
	for (size_t i = 0; i < KS_ARRAY_SIZE(cases); i++)
		assert_not_kind(*state, cases[i].line, strlen(cases[i].line), cases[i].kind);
}

/* Lines inside reports, and lockdep's note that it is off, start nothing. */
static void test_report_lines_are_not_starts(void **state)
{
	static const char *const lines[] = {
		"INFO: lockdep is turned off.",
		"---[ end trace 0000000000000000 ]---",
		"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
		"preempt_count: 1, expected: 0",
		"1 lock held by insmod/39:",
		" #0: ffffffffc00026b8 (my_lock){+.+.}-{3:3}, at: faulty_function+0xd/0x4c [splatmod]",
		"=============================",
		"insmod/39 is trying to lock:",
		"caller is splat_smp_id_preemptible+0x5/0x13 [splatmod]",
		"CPU: 0 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
		"Call Trace:",
		" dump_stack_lvl+0x4c/0x5f",
		" </TASK>",
	};
	struct ks_match m;

	for (size_t i = 0; i < KS_ARRAY_SIZE(lines); i++)
		assert_false(detect(*state, lines[i], &m));
}

/* Lockdep titles and partial headers are not the kinds their words resemble. */
static void test_lookalikes_are_other_kinds(void **state)
{
	static const char *const lines[] = {
		"WARNING: possible circular locking dependency detected",
		"WARNING: possible recursive locking detected",
		"WARNING: suspicious RCU usage",
		"WARNING: inconsistent lock state",
		"WARNING: bad unlock balance detected!",
		"BUG: scheduling while atomic",
		"BUG: scheduling while atomic: no-pid",
		"BUG: sleeping function",
		"BUG: using smp_processor_id() in preemptible code",
		"BUG: Invalid wait context in foo",
	};

	struct ks_match m;

	for (size_t i = 0; i < KS_ARRAY_SIZE(lines); i++) {
		const char *l = lines[i];

		assert_no_base_kind(*state, l, strlen(l));
	}
	/* Where lockdep's reports are detected at all, they are lockdep's kinds. */
	if (detect(*state, lines[0], &m))
		assert_string_equal(ks_kind_name(m.kind), "lockdep-circular");
}

static void test_empty_line(void **state)
{
	struct ks_match m;

	assert_false(ks_detect_line(*state, "", 0, &m));
	/* A start line of length 0 is empty, whatever the buffer holds. */
	assert_false(ks_detect_line(*state, "BUG: Invalid wait context", 0, &m));
}

static void test_hostile_long_lines(void **state)
{
	size_t n = 10000;
	char *buf = malloc(n + 1);
	struct ks_match m;

	assert_non_null(buf);
	for (size_t i = 0; i < n; i += 5)
		memcpy(buf + i, "BUG: ", 5);
	buf[n] = '\0';
	assert_no_base_kind(*state, buf, n);

	/* The needle at the start and 10000 bytes of slashes and digits that never match. */
	strcpy(buf, "BUG: scheduling while atomic: ");
	for (size_t i = strlen(buf); i < n; i++)
		buf[i] = i % 2 ? '/' : '7';
	assert_no_base_kind(*state, buf, n);

	/* A long start line is still a start; the file capture is absent without ':LINE'. */
	memset(buf, 'a', n);
	memcpy(buf, "BUG: sleeping function called from invalid context at ", 55);
	assert_true(ks_detect_line(*state, buf, n, &m));
	assert_int_equal(m.kind, KS_KIND_SLEEP_IN_ATOMIC);
	assert_int_equal(m.cap[0].len, strlen("BUG: sleeping function called from invalid context"));
	assert_no_cap(&m, 1);
	free(buf);
}

/* Kinds detected with and without the prefilter, over every line of @path. */
struct agreement {
	struct ks_detect *d;
	struct ks_envelope *env;
	unsigned long lines, starts;
};

static void agree_on_line(struct agreement *a, const char *raw, size_t len)
{
	struct ks_line l;

	ks_envelope_feed(a->env, raw, len, ++a->lines, false);
	while (ks_envelope_next(a->env, &l)) {
		struct ks_match m1, m2;
		bool fast = ks_detect_line(a->d, l.text, l.len, &m1);
		bool slow = ks_detect_line_unfiltered(a->d, l.text, l.len, &m2);

		if (fast != slow || (fast && m1.kind != m2.kind)) {
			print_error("prefilter %s, patterns %s: %.*s\n", fast ? ks_kind_name(m1.kind) : "none",
				    slow ? ks_kind_name(m2.kind) : "none", (int)l.len, l.text);
			fail();
		}
		a->starts += slow;
	}
}

static void agree_on_file(struct agreement *a, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	assert_non_null(f);
	ks_envelope_reset(a->env);
	while ((n = getline(&line, &cap, f)) > 0) {
		size_t len = (size_t)n;

		if (line[len - 1] == '\n')
			len--;
		agree_on_line(a, line, len > 16384 ? 16384 : len);
	}
	free(line);
	fclose(f);
}

/* Every regular file under @dir, recursively. */
static void agree_on_tree(struct agreement *a, const char *dir)
{
	DIR *dh = opendir(dir);
	struct dirent *e;

	if (!dh)
		return;
	while ((e = readdir(dh))) {
		char path[4096];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			agree_on_tree(a, path);
		else if (S_ISREG(st.st_mode))
			agree_on_file(a, path);
	}
	closedir(dh);
}

/*
 * The needles are a promise: every line a start pattern matches holds one.
 * Checked against the patterns themselves on every real log at hand.
 */
static void test_prefilter_agrees_with_patterns(void **state)
{
	struct agreement a = { .d = *state };

	assert_int_equal(ks_envelope_new(16384, &a.env), 0);
	agree_on_tree(&a, "samples");
	if (access("../shared/corpus", R_OK) == 0) {
		agree_on_tree(&a, "../shared/corpus");
		agree_on_tree(&a, "../shared/rig/logs");
	} else {
		fprintf(stderr, "note: ../shared is absent: the prefilter is checked on samples/ only\n");
	}
	ks_envelope_free(a.env);
	fprintf(stderr, "prefilter: %lu start lines in %lu lines, all found\n", a.starts, a.lines);
	assert_true(a.starts > 10);
}

/* Whole lines skipped up to the line before the first that holds a needle. */
/* ks_detect_skip() and whether it stopped at a needle. */
static size_t skip_to(struct ks_detect *d, const char *text, bool want_found)
{
	bool found = !want_found;
	size_t at = ks_detect_skip(d, text, strlen(text), &found);

	assert_int_equal(found, want_found);
	assert_true(at <= strlen(text));
	assert_true(at == 0 || text[at - 1] == '\n');
	return at;
}

static void test_skip(void **state)
{
	static const char quiet[] = "[    1.000000] usb 1-1: new device\n[    1.100000] EXT4-fs mounted\n"
				    "[    1.200000] e1000e: link up\n[    1.300000] audit: ok\n";
	static const char block[] = "[    1.000000] usb 1-1: new device\n"
				    "[    1.100000] ======\n"
				    "[    1.200000] WARNING: possible circular locking dependency detected\n"
				    "[    1.300000] more\n";
	static const char first[] = "[    2.000000] BUG: scheduling while atomic: x/1/0x2\nrest\n";
	static const char offset[] = "a\nb\nKernel Offset: 0x1c000000 from 0xffffffff81000000\n";
	static const char split[] = "[ 1.0] BU\nG: not a needle\n";
	/* util-linux dmesg: a record's later lines are indented under its first. */
	static const char record[] = "[    0.400000] quiet\n"
				     "[    0.500000] quiet\n"
				     "[    1.000000] a record\n"
				     "               of three lines\n"
				     "               BUG: and a needle\n";
	/* The same at the end of a block: kept for a needle in the next one. */
	static const char tail[] = "[    0.400000] quiet\n"
				   "[    0.500000] quiet\n"
				   "[    1.000000] a record\n"
				   "               continued\n";
	struct ks_detect *d = *state;
	char run[64 * 20 + 64];

	assert_int_equal(skip_to(d, quiet, false), strlen(quiet) - strlen("[    1.200000] e1000e: link up\n"
									"[    1.300000] audit: ok\n"));
	assert_int_equal(skip_to(d, block, true), strlen("[    1.000000] usb 1-1: new device\n"));
	assert_int_equal(skip_to(d, first, true), 0);
	/* Context lines stop it too: the symbolizer reads the KASLR offset. */
	assert_int_equal(skip_to(d, offset, true), 2);
	assert_int_equal(skip_to(d, split, false), 0);
	assert_int_equal(skip_to(d, record, true), strlen("[    0.400000] quiet\n"));
	assert_int_equal(skip_to(d, tail, false), strlen("[    0.400000] quiet\n"));
	assert_int_equal(skip_to(d, "", false), 0);
	assert_int_equal(skip_to(d, "BUG:\n", true), 0);
	assert_int_equal(skip_to(d, "BUG\n", false), 0);
	/* A long run of indented lines: walked back over a bounded number only. */
	run[0] = '\0';
	for (int i = 0; i < 20; i++)
		strcat(run, "                indented\n");
	strcat(run, "                INFO: a needle\n");
	assert_int_equal(skip_to(d, run, true), strlen("                indented\n") * (20 - 9));
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(ks_kind_name(KS_KIND_SLEEP_IN_ATOMIC), "sleep-in-atomic");
	assert_string_equal(ks_kind_name(KS_KIND_SCHEDULE_WHILE_ATOMIC), "schedule-while-atomic");
	assert_string_equal(ks_kind_name(KS_KIND_INVALID_WAIT_CONTEXT), "invalid-wait-context");
	assert_string_equal(ks_kind_name(KS_KIND_SMP_PROCESSOR_ID), "smp-processor-id-preemptible");
	assert_string_equal(ks_kind_name(KS_KIND_WARNING), "warning");
	assert_string_equal(ks_kind_name(_KS_KIND_INVALID), "unknown");
	assert_string_equal(ks_kind_name(_KS_KIND_MAX), "unknown");
	for (int k = 0; k < _KS_KIND_MAX; k++) {
		assert_int_equal(ks_kinds[k].id, k);
		assert_int_equal(ks_kind_by_name(ks_kind_name((enum ks_kind)k)), k);
	}
	assert_int_equal(ks_kind_by_name("no-such-kind"), _KS_KIND_INVALID);
	assert_int_equal(ks_kind_by_name("Warning"), _KS_KIND_INVALID);
	assert_int_equal(ks_kind_by_name(""), _KS_KIND_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sleep_with_file_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sleep_without_file_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sleep_debug_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sleep_len_respected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scheduling_while_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_wait_context, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smp_processor_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_at_line_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_lines_are_not_starts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookalikes_are_other_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_long_lines, setup, teardown),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test_setup_teardown(test_prefilter_agrees_with_patterns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
