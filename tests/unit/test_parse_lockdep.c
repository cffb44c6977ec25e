// SPDX-License-Identifier: GPL-2.0-or-later
/* Lockdep body lines: the lock being taken, the one held, chain links and release sites. */
#include "unit.h"

#include "ksplat/parse.h"
#include "ksplat/report.h"

static struct ks_report *feed(enum ks_kind kind, const char *const *lines, size_t n)
{
	struct ks_report *r;

	assert_int_equal(ks_report_new(kind, 1 << 20, &r), 0);
	for (size_t i = 0; i < n; i++)
		ks_parse_lockdep_body(r, lines[i], strlen(lines[i]));
	return r;
}

/* FORMATS.md §5.2, as the rig's abba scenario printed it. */
static const char *const circular[] = {
	"insmod/39 is trying to acquire lock:",
	"ffffffffc0002548 (splat_mutex_a){+.+.}-{4:4}, at: splat_abba_ba+0x1c/0x34 [splatmod]",
	"",
	"but task is already holding lock:",
	"ffffffffc00024a8 (splat_mutex_b){+.+.}-{4:4}, at: splat_abba_ba+0xe/0x34 [splatmod]",
	"",
	"the existing dependency chain (in reverse order) is:",
	"",
	"-> #1 (splat_mutex_b){+.+.}-{4:4}:",
	"       lock_acquire+0x113/0x244",
	"       __mutex_lock+0xb2/0x3c2",
	"       ? splat_abba_ab+0x1a/0x34 [splatmod]",
	"       mutex_lock_nested+0x16/0x18",
	"       splat_abba_ab+0x1a/0x34 [splatmod]",
	"       splat_init+0x17b/0x1000 [splatmod]",
	"",
	"-> #0 (splat_mutex_a){+.+.}-{4:4}:",
	"       check_noncircular+0x9d/0xaf",
	"       __lock_acquire+0xda7/0x110a",
	"       lock_acquire+0x113/0x244",
	"       __mutex_lock+0xb2/0x3c2",
	"       splat_abba_ba+0x1c/0x34 [splatmod]",
	"",
	"other info that might help us debug this:",
	"1 lock held by insmod/39:",
	" #0: ffffffffc00024a8 (splat_mutex_b){+.+.}-{4:4}, at: splat_abba_ba+0xe/0x34 [splatmod]",
};

static void test_circular_locks_and_chain(void **state)
{
	struct ks_report *r = feed(KS_KIND_LOCKDEP_CIRCULAR, circular, KS_ARRAY_SIZE(circular));

	(void)state;
	assert_non_null(r->acquiring);
	assert_string_equal(r->acquiring->name, "splat_mutex_a");
	assert_string_equal(r->acquiring->at.func, "splat_abba_ba");
	assert_int_equal(r->acquiring->wait_inner, 4);
	assert_int_equal(r->involved.n, 3);
	assert_string_equal(r->involved.v[0].name, "splat_mutex_b");
	assert_string_equal(r->involved.v[0].role, "holding");
	assert_string_equal(r->involved.v[1].name, "splat_mutex_b");
	assert_string_equal(r->involved.v[1].role, "chain");
	/* Lockdep, the mutex primitives and "?" frames are not where the lock was taken. */
	assert_true(r->involved.v[1].has_at);
	assert_string_equal(r->involved.v[1].at.func, "splat_abba_ab");
	assert_string_equal(r->involved.v[2].name, "splat_mutex_a");
	assert_string_equal(r->involved.v[2].at.func, "splat_abba_ba");
	/* The held-locks list is the assembler's: not parsed here. */
	assert_int_equal(r->held.n, 0);
	ks_report_free(r);
}

/* FORMATS.md §5.8: the release site is on the line after the lock name. */
static void test_bad_unlock_site(void **state)
{
	static const char *const lines[] = {
		"rmmod/1500 is trying to release lock (my_mutex) at:",
		"[<ffffffffc0a040a5>] my_exit+0x15/0x30 [my_mod]",
		"but there are no more locks to release!",
	};
	struct ks_report *r = feed(KS_KIND_LOCKDEP_BAD_UNLOCK, lines, KS_ARRAY_SIZE(lines));

	(void)state;
	assert_int_equal(r->involved.n, 1);
	assert_string_equal(r->involved.v[0].name, "my_mutex");
	assert_string_equal(r->involved.v[0].role, "released");
	assert_non_null(r->site);
	assert_string_equal(r->site->func, "my_exit");
	assert_int_equal(r->site->off, 0x15);
	assert_int_equal(r->site->addr, 0xffffffffc0a040a5ULL);
	assert_null(r->acquiring);
	ks_report_free(r);
}

/*
 * The released lock's name, whatever it holds: parentheses inside the class
 * name; a comm that reads like the phrase (the lock is the one after the
 * phrase that names a verb).
 */
static void test_release_line_names(void **state)
{
	static const struct {
		const char *line, *want;
	} cases[] = {
		{ "kworker/0:1/23 is trying to release lock ((work_completion)(&w->work)) at:",
		  "(work_completion)(&w->work)" },
		{ "x is trying to /7 is trying to contend lock (rx_lock) at:", "rx_lock" },
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(cases); i++) {
		const char *const lines[] = { cases[i].line, "[<ffffffff81001000>] foo+0x1/0x2" };
		struct ks_report *r = feed(KS_KIND_LOCKDEP_BAD_UNLOCK, lines, KS_ARRAY_SIZE(lines));

		assert_int_equal(r->involved.n, 1);
		assert_string_equal(r->involved.v[0].name, cases[i].want);
		assert_non_null(r->site);
		assert_string_equal(r->site->func, "foo");
		ks_report_free(r);
	}
}

/* FORMATS.md §5.6: "(a){..} -> (b){..}" is a new dependency, not a lock. */
static void test_dependency_line_is_not_a_lock(void **state)
{
	static const char *const lines[] = {
		"ffffffffc0a07050 (cfg_lock){+.+.}-{2:2}, at: cfg_update+0x22/0x70 [cfg]",
		" (rx_lock){+.-.}-{2:2} -> (cfg_lock){+.+.}-{2:2}",
		" (rx_lock){+.-.}-{2:2}",
	};
	struct ks_report *r = feed(KS_KIND_LOCKDEP_IRQ_UNSAFE_ORDER, lines, KS_ARRAY_SIZE(lines));

	(void)state;
	assert_string_equal(r->acquiring->name, "cfg_lock");
	assert_int_equal(r->involved.n, 1);
	assert_string_equal(r->involved.v[0].name, "rx_lock");
	assert_false(r->involved.v[0].has_at);
	ks_report_free(r);
}

/* Hostile: a chain link with no closing, a site line that is no symbol. */
static void test_hostile_lines(void **state)
{
	static const char *const lines[] = {
		"-> #1 (never closed",
		"-> #",
		"x is trying to release lock (",
		"not a symbol",
		"(((((((((({{{{{",
	};
	struct ks_report *r = feed(KS_KIND_LOCKDEP_CIRCULAR, lines, KS_ARRAY_SIZE(lines));

	(void)state;
	assert_null(r->site);
	assert_null(r->acquiring);
	ks_report_free(r);
}

/* The scenario table is kept as printed; its "lock(x);" rows are not lock lines. */
static void test_scenario_rows(void **state)
{
	static const char *const lines[] = {
		" Possible unsafe locking scenario:",
		"",
		"       CPU0                    CPU1",
		"       ----                    ----",
		"  lock(lock_b);",
		"                               lock(lock_a);",
		"",
		" *** DEADLOCK ***",
		"ffffffffc0a12010 (lock_a){+.+.}-{3:3}, at: thread_b_fn+0x3c/0x70 [abba]",
	};
	struct ks_report *r = feed(KS_KIND_LOCKDEP_CIRCULAR, lines, KS_ARRAY_SIZE(lines));

	(void)state;
	assert_int_equal(r->scenario.n, 4);
	assert_string_equal(r->scenario.v[2], "  lock(lock_b);");
	assert_string_equal(r->scenario.v[3], "                               lock(lock_a);");
	/* After the table, lock lines count again. */
	assert_non_null(r->acquiring);
	assert_string_equal(r->acquiring->name, "lock_a");
	ks_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_circular_locks_and_chain),
		cmocka_unit_test(test_bad_unlock_site),
		cmocka_unit_test(test_release_line_names),
		cmocka_unit_test(test_dependency_line_is_not_a_lock),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_scenario_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
