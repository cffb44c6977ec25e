// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Titles by syzkaller's rules: the replacements and sanitising of
 * pkg/report (addresses, numbers, file lines, CPU numbers, offsets, blanks,
 * the 120-byte cut), the guilty frame past the skip patterns of each kind,
 * the shortest syscall-prefix trim and the name cut at its first '.'.
 */
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>

#include "ksplat/report.h"
#include "ksplat/syztitle.h"
#include "ksplat/util.h"

#define assert_str(a, b)                     \
	do {                                 \
		const char *a_ = (a);        \
		assert_non_null(a_);         \
		assert_string_equal(a_, (b)); \
	} while (0)

static int setup(void **state)
{
	struct ks_syz *s;

	if (ks_syz_new(&s) < 0)
		return -1;
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	ks_syz_free(*state);
	return 0;
}

static void assert_sanitized(struct ks_syz *s, const char *in, const char *want)
{
	char buf[512] = { 0 }; /* zeroed: PCRE2's JIT may read past the terminating NUL */

	assert_true(strlen(in) < sizeof(buf));
	strcpy(buf, in);
	ks_syz_sanitize(s, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_sanitize_offsets(void **state)
{
	assert_sanitized(*state, "WARNING in foo+0x1f/0x40", "WARNING in foo");
	assert_sanitized(*state, "WARNING in ip6_fragment+0x1052/0x2d80 [ipv6]", "WARNING in ip6_fragment [ipv6]");
	/* The one-letter name is left alone, as in syzkaller. */
	assert_sanitized(*state, "WARNING in f+0x1/0x2", "WARNING in f+0x1/0x2");
	assert_sanitized(*state, "WARNING in foo", "WARNING in foo");
}

static void test_sanitize_addresses(void **state)
{
	assert_sanitized(*state, "BUG: unable to handle page fault for address: ffff888012345678",
			 "BUG: unable to handle page fault for address: ADDR");
	assert_sanitized(*state, "KASAN: use-after-free Read in foo at addr 0xffff88801234abcd",
			 "KASAN: use-after-free Read in foo at addr ADDR");
	/* Six hex digits after a non-alphanumeric character are an address. */
	assert_sanitized(*state, "x deadbeef_fn", "x ADDR_fn");
	/* Fewer, or glued to a word, are not. */
	assert_sanitized(*state, "x abcde y", "x abcde y");
	assert_sanitized(*state, "xdeadbeef y", "xdeadbeef y");
}

static void test_sanitize_numbers(void **state)
{
	assert_sanitized(*state, "INFO: task hung on CPU#3", "INFO: task hung on CPU");
	assert_sanitized(*state, "watchdog: BUG: soft lockup - CPU#12 stuck", "watchdog: BUG: soft lockup - CPU stuck");
	assert_sanitized(*state, "task blocked for more than 12 seconds", "task blocked for more than NUM seconds");
	/* Overlapping matches are replaced until nothing changes. */
	assert_sanitized(*state, "x 1 2 3 y", "x NUM NUM NUM y");
	assert_sanitized(*state, "a (12) b", "a (NUM) b");
	assert_sanitized(*state, "at end 12", "at end NUM");
	/* Digits in a name stay unless there are seven or more. */
	assert_sanitized(*state, "cfg80211_foo", "cfg80211_foo");
	assert_sanitized(*state, "abc1234567", "abcNUM");
	assert_sanitized(*state, "ip 10.0.0.1 here", "ip IP here");
	assert_sanitized(*state, "syz-executor.3/1234 blah", "syz-executor blah");
	assert_sanitized(*state, "syzkaller123456:77 x", "syzkaller x");
}

static void test_sanitize_file_lines(void **state)
{
	assert_sanitized(*state, "fs/x.c:123", "fs/x.c:LINE");
	assert_sanitized(*state, "kernel BUG at fs/x.c:123!", "kernel BUG at fs/x.c:LINE!");
	assert_sanitized(*state, "WARNING in kernel/sched/core.c:5750:12", "WARNING in kernel/sched/core.c:LINE");
}

static void test_sanitize_blanks_and_controls(void **state)
{
	assert_sanitized(*state, "a\tb  c   d", "a b c d");
	assert_sanitized(*state, "  lead and trail  \t", "lead and trail");
	/* Control bytes and bytes >= 0x7f go; the rest of an escape sequence stays. */
	assert_sanitized(*state, "red\x1b[31mtext\x7f\r\n", "red[31mtext");
	assert_sanitized(*state, "caf\xc3\xa9 x", "caf x");
	assert_sanitized(*state, "", "");
}

static void test_sanitize_length(void **state)
{
	char buf[512] = { 0 }, want[121];

	/* "z" is no hex digit: nothing is replaced, only the length is cut. */
	memset(buf, 'z', 300);
	memcpy(buf, "WARNING in ", 11);
	buf[300] = '\0';
	memcpy(want, buf, 120);
	want[120] = '\0';
	ks_syz_sanitize(*state, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 120);
	assert_string_equal(buf, want);

	/* A blank at the cut is trimmed. */
	memset(buf, 'z', 300);
	buf[119] = ' ';
	buf[300] = '\0';
	ks_syz_sanitize(*state, buf, sizeof(buf));
	assert_int_equal(strlen(buf), 119);

	/* The cut counts input bytes, before blanks are squeezed. */
	memset(buf, ' ', 300);
	buf[0] = 'a';
	buf[200] = 'b';
	buf[300] = '\0';
	ks_syz_sanitize(*state, buf, sizeof(buf));
	assert_string_equal(buf, "a");
}

/* A report of @kind made of @lines, as the assembler keeps them. */
static struct ks_report *report_of(enum ks_kind kind, const char *const *lines, size_t n)
{
	struct ks_report *r;

	assert_int_equal(ks_report_new(kind, 64 * 1024, &r), 0);
	for (size_t i = 0; i < n; i++) {
		const char **dst = ks_report_push(r, r->lines);

		assert_non_null(dst);
		*dst = ks_report_strdup(r, lines[i], strlen(lines[i]));
		assert_non_null(*dst);
	}
	r->header = n ? r->lines.v[0] : NULL;
	return r;
}

static void assert_title(struct ks_syz *s, enum ks_kind kind, const char *const *lines, size_t n,
			 const char *want, bool want_corrupted)
{
	struct ks_report *r = report_of(kind, lines, n);
	bool corrupted = !want_corrupted;

	assert_str(ks_syz_title(s, r, &corrupted), want);
	assert_int_equal(corrupted, want_corrupted);
	ks_report_free(r);
}

#define ASSERT_TITLE(s, kind, lines, want, corrupted) \
	assert_title((s), (kind), (lines), KS_ARRAY_SIZE(lines), (want), (corrupted))

/* The title of a sleeping-function report whose first non-skipped frame is @func. */
static void assert_sleep_title(struct ks_syz *s, const char *func, const char *want_frame)
{
	char frame[200], want[256];
	const char *lines[] = {
		"BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580",
		"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
		"CPU: 0 PID: 39 Comm: insmod Not tainted 6.1.0 #1",
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x4c/0x5f",
		" __might_resched+0x250/0x273",
		" ? faulty_function+0x23/0x4c [splatmod]",
		frame,
		" do_syscall_64+0x39/0x46",
		" entry_SYSCALL_64_after_hwframe+0x4b/0xb5",
		" </TASK>",
	};

	snprintf(frame, sizeof(frame), " %s+0x10/0x40", func);
	snprintf(want, sizeof(want), "BUG: sleeping function called from invalid context in %s", want_frame);
	assert_title(s, KS_KIND_SLEEP_IN_ATOMIC, lines, KS_ARRAY_SIZE(lines), want, false);
}

static void test_syscall_prefix_trim(void **state)
{
	assert_sleep_title(*state, "__x64_sys_rmdir", "sys_rmdir");
	assert_sleep_title(*state, "SyS_pause", "pause");
	assert_sleep_title(*state, "__do_sys_foo", "foo");
	/* The shortest of the single-prefix trims: "__se_sys_" beats "__se_". */
	assert_sleep_title(*state, "__se_sys_ioctl", "ioctl");
	assert_sleep_title(*state, "ksys_write", "write");
	assert_sleep_title(*state, "__arm64_sys_openat", "sys_openat");
	/* Only one prefix goes. */
	assert_sleep_title(*state, "__x64_sys___sys_x", "sys___sys_x");
	assert_sleep_title(*state, "faulty_function", "faulty_function");
}

static void test_name_cut_at_dot(void **state)
{
	assert_sleep_title(*state, "splat_spin_irqs_off.constprop.0", "splat_spin_irqs_off");
	assert_sleep_title(*state, "foo.isra.0.cold", "foo");
	assert_sleep_title(*state, "bar.llvm.1234567", "bar");
	/* The cut comes before the prefix trim. */
	assert_sleep_title(*state, "__do_sys_baz.cold", "baz");
}

static void test_corrupted(void **state)
{
	static const char *const only_skipped[] = {
		"BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
		"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
		"CPU: 0 PID: 39 Comm: insmod Not tainted 6.1.0 #1",
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x4c/0x5f",
		" __might_resched+0x250/0x273",
		" kmalloc_trace+0x1f/0x49",
		" ? faulty_function+0x23/0x4c [splatmod]",
		" ? splat_init+0xd7/0x1000 [splatmod]",
		" </TASK>",
	};
	static const char *const header_only[] = {
		"BUG: scheduling while atomic: insmod/39/0x00000002",
	};

	ASSERT_TITLE(*state, KS_KIND_SLEEP_IN_ATOMIC, only_skipped,
		     "BUG: sleeping function called from invalid context in corrupted", true);
	ASSERT_TITLE(*state, KS_KIND_SCHEDULE_WHILE_ATOMIC, header_only,
		     "BUG: scheduling while atomic in corrupted", true);
}

static void test_generic_skips(void **state)
{
	/* Allocators, sleeping-lock internals, lockdep and printk are never the guilty frame. */
	static const char *const lines[] = {
		"BUG: sleeping function called from invalid context at kernel/locking/rwsem.c:1525",
		"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x4c/0x5f",
		" __might_resched+0x250/0x273",
		" __might_sleep+0x5c/0x61",
		" slab_pre_alloc_hook.constprop.0+0x32/0x4d",
		" __kmalloc+0x24/0xe4",
		" kzalloc_node+0x1f/0x49",
		" __mutex_lock+0x50/0x3c2",
		" mutex_lock_nested+0x1b/0x1d",
		" lock_acquire+0x113/0x244",
		" _raw_spin_lock+0x39/0x48",
		" down_write+0x20/0x80",
		" _printk+0x55/0x57",
		" copy_from_user+0x10/0x20",
		" my_driver_write+0x2a/0x90 [mydrv]",
		" vfs_write+0xc0/0x2a0",
		" </TASK>",
	};

	ASSERT_TITLE(*state, KS_KIND_SLEEP_IN_ATOMIC, lines,
		     "BUG: sleeping function called from invalid context in my_driver_write", false);
}

/* orc-nokaslr/atomic_msleep: "schedule" is skipped as a substring, msleep is not. */
static void test_schedule_while_atomic(void **state)
{
	static const char *const msleep_lines[] = {
		"BUG: scheduling while atomic: insmod/39/0x00000002",
		"1 lock held by insmod/39:",
		" #0: ffffffffc0002598 (splat_sleep_lock){+.+.}-{3:3}, at: splat_hold_and_sleep+0xc/0x22 [splatmod]",
		"Modules linked in: splatmod(O+)",
		"CPU: 1 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x4c/0x5f",
		" __schedule_bug+0xb0/0xc1",
		" __schedule+0x98/0x528",
		" ? _raw_spin_unlock_irqrestore+0x34/0x47",
		" schedule+0x71/0xa8",
		" schedule_timeout+0xb4/0xd6",
		" ? timer_shutdown_sync+0xa/0xa",
		" msleep+0x13/0x19",
		" splat_hold_and_sleep+0x16/0x22 [splatmod]",
		" splat_init+0x111/0x1000 [splatmod]",
		" </TASK>",
	};
	static const char *const resched_sched[] = {
		"BUG: scheduling while atomic: insmod/39/0x00000002",
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x4c/0x5f",
		" my_reschedule_fn+0x10/0x40",
		" my_caller+0x10/0x40",
		" </TASK>",
	};
	static const char *const resched_sleep[] = {
		"BUG: sleeping function called from invalid context at kernel/x.c:1",
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x4c/0x5f",
		" my_reschedule_fn+0x10/0x40",
		" my_caller+0x10/0x40",
		" </TASK>",
	};

	ASSERT_TITLE(*state, KS_KIND_SCHEDULE_WHILE_ATOMIC, msleep_lines, "BUG: scheduling while atomic in msleep",
		     false);
	ASSERT_TITLE(*state, KS_KIND_SCHEDULE_WHILE_ATOMIC, resched_sched,
		     "BUG: scheduling while atomic in my_caller", false);
	/* The extra skip belongs to its format only. */
	ASSERT_TITLE(*state, KS_KIND_SLEEP_IN_ATOMIC, resched_sleep,
		     "BUG: sleeping function called from invalid context in my_reschedule_fn", false);
}

static void test_smp_processor_id(void **state)
{
	static const char *const lines[] = {
		"BUG: using __this_cpu_read() in preemptible [00000000] code: a/1",
		"caller is __this_cpu_preempt_check+0x13/0x20",
		"CPU: 0 PID: 1 Comm: a Not tainted 6.1.0 #1",
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x4c/0x5f",
		" check_preemption_disabled+0xc7/0xd8",
		" __this_cpu_preempt_check+0x13/0x20",
		" splat_percpu_user+0x5/0x13 [splatmod]",
		" splat_init+0x38d/0x1000 [splatmod]",
		" </TASK>",
	};

	ASSERT_TITLE(*state, KS_KIND_SMP_PROCESSOR_ID, lines,
		     "BUG: using __this_cpu_read() in preemptible code in splat_percpu_user", false);
}

/* orc-nokaslr/invalid_wait_mutex, the nested report. */
static void test_invalid_wait_context(void **state)
{
	static const char *const lines[] = {
		"[ BUG: Invalid wait context ]",
		"6.1.192 #2 Tainted: G           O      ",
		"-----------------------------",
		"insmod/39 is trying to lock:",
		"ffffffff825b65f8 (&port_lock_key){-...}-{3:3}, at: serial8250_console_write+0x71/0x341",
		"other info that might help us debug this:",
		"context-{5:5}",
		"stack backtrace:",
		"CPU: 0 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x4c/0x5f",
		" __lock_acquire+0x449/0x110a",
		" ? stack_trace_save+0x33/0x3c",
		" lock_acquire+0x113/0x244",
		" _raw_spin_lock_irqsave+0x39/0x48",
		" serial8250_console_write+0x71/0x341",
		" console_emit_next_record.constprop.0+0x204/0x2b2",
		" </TASK>",
	};

	ASSERT_TITLE(*state, KS_KIND_INVALID_WAIT_CONTEXT, lines,
		     "WARNING: locking bug in serial8250_console_write", false);
}

/* WARNING: the function of the RIP: line wins unless it is skipped. */
static void test_warning_pc_first(void **state)
{
	static const char *const lines[] = {
		"WARNING: CPU: 0 PID: 40 at splatmod/splatmod.c:334 splat_conc_cpu0_warn+0x0/0x3 [splatmod]",
		"Modules linked in: splatmod(O)",
		"CPU: 0 PID: 40 Comm: splat_conc0 Tainted: G           O       6.1.192 #2 ",
		"RIP: 0010:splat_conc_cpu0_warn+0x0/0x3 [splatmod]",
		"RSP: 0018:ffff970c80ca3f10 EFLAGS: 00000246",
		"Call Trace:",
		" <TASK>",
		" ? splat_conc_thread+0x1f/0x33 [splatmod]",
		" splat_conc_thread+0x1f/0x33 [splatmod]",
		" kthread+0xdc/0xe4",
		" ret_from_fork+0x1f/0x30",
		" </TASK>",
		"---[ end trace 0000000000000000 ]---",
	};
	static const char *const skipped_rip[] = {
		"WARNING: CPU: 0 PID: 40 at lib/string.c:100 strscpy+0x0/0x3",
		"CPU: 0 PID: 40 Comm: splat_conc0 Tainted: G           O       6.1.192 #2 ",
		"RIP: 0010:strscpy+0x0/0x3",
		"RSP: 0018:ffff970c80ca3f10 EFLAGS: 00000246",
		"Call Trace:",
		" <TASK>",
		" splat_conc_thread+0x1f/0x33 [splatmod]",
		" kthread+0xdc/0xe4",
		" ret_from_fork+0x1f/0x30",
		" </TASK>",
		"---[ end trace 0000000000000000 ]---",
	};

	ASSERT_TITLE(*state, KS_KIND_WARNING, lines, "WARNING in splat_conc_cpu0_warn", false);
	ASSERT_TITLE(*state, KS_KIND_WARNING, skipped_rip, "WARNING in splat_conc_thread", false);
}

/* Groups are compiled when first needed: every built-in pattern must compile all the same. */
static void test_every_pattern_compiles(void **state)
{
	assert_int_equal(ks_syz_compile_all(*state), 0);
	/* And twice is nothing more. */
	assert_int_equal(ks_syz_compile_all(*state), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_pattern_compiles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sanitize_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sanitize_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sanitize_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sanitize_file_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sanitize_blanks_and_controls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sanitize_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syscall_prefix_trim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_cut_at_dot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_generic_skips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schedule_while_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smp_processor_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_wait_context, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warning_pc_first, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
