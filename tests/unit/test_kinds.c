// SPDX-License-Identifier: GPL-2.0-or-later
/* The kind table: every report family detected by its start line, in every wording. */
#include "unit.h"

#include "ksplat/detect.h"
#include "ksplat/kinds.h"
#include "ksplat/util.h"

static const struct {
	const char *line;
	enum ks_kind kind;
} starts[] = {
	{ "WARNING: possible circular locking dependency detected", KS_KIND_LOCKDEP_CIRCULAR },
	{ "[ INFO: possible circular locking dependency detected ]", KS_KIND_LOCKDEP_CIRCULAR },
	{ "WARNING: possible recursive locking detected", KS_KIND_LOCKDEP_RECURSIVE },
	{ "[ INFO: possible recursive locking detected ]", KS_KIND_LOCKDEP_RECURSIVE },
	{ "WARNING: inconsistent lock state", KS_KIND_LOCKDEP_INCONSISTENT },
	{ "[ INFO: inconsistent lock state ]", KS_KIND_LOCKDEP_INCONSISTENT },
	{ "WARNING: possible irq lock inversion dependency detected", KS_KIND_LOCKDEP_IRQ_INVERSION },
	{ "WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected", KS_KIND_LOCKDEP_IRQ_UNSAFE_ORDER },
	{ "WARNING: HARDIRQ-READ-safe -> HARDIRQ-unsafe lock order detected", KS_KIND_LOCKDEP_IRQ_UNSAFE_ORDER },
	{ "[ INFO: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected ]", KS_KIND_LOCKDEP_IRQ_UNSAFE_ORDER },
	{ "WARNING: bad unlock balance detected!", KS_KIND_LOCKDEP_BAD_UNLOCK },
	{ "[ BUG: bad unlock balance detected! ]", KS_KIND_LOCKDEP_BAD_UNLOCK },
	{ "WARNING: held lock freed!", KS_KIND_LOCKDEP_HELD_LOCK_FREED },
	{ "WARNING: lock held when returning to user space!", KS_KIND_LOCKDEP_LOCK_HELD_RETURN_USER },
	{ "WARNING: syz-executor.3/123 still has locks held!", KS_KIND_LOCKDEP_STILL_HAS_LOCKS },
	{ "WARNING: Nested lock was not taken", KS_KIND_LOCKDEP_NESTED_LOCK },
	{ "WARNING: suspicious RCU usage", KS_KIND_LOCKDEP_RCU_SUSPICIOUS },
	{ "[ INFO: suspicious RCU usage. ]", KS_KIND_LOCKDEP_RCU_SUSPICIOUS },
	{ "INFO: trying to register non-static key.", KS_KIND_LOCKDEP_NON_STATIC_KEY },
	{ "BUG: MAX_LOCKDEP_CHAINS too low!", KS_KIND_LOCKDEP_CAPACITY },
	{ "INFO: task kworker/0:1:23 blocked for more than 122 seconds.", KS_KIND_HUNG_TASK },
	{ "INFO: task syz:1 blocked in I/O wait for more than 143 seconds.", KS_KIND_HUNG_TASK },
	{ "watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [kworker/1:2:345]", KS_KIND_SOFT_LOCKUP },
	{ "NMI watchdog: BUG: soft lockup - CPU#3 stuck for 22s! [a:1]", KS_KIND_SOFT_LOCKUP },
	{ "BUG: soft lockup - CPU#0 stuck for 23s! [swapper/0:0]", KS_KIND_SOFT_LOCKUP },
	{ "NMI watchdog: Watchdog detected hard LOCKUP on cpu 2", KS_KIND_HARD_LOCKUP },
	{ "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:", KS_KIND_RCU_STALL },
	{ "INFO: rcu_sched self-detected stall on CPU", KS_KIND_RCU_STALL },
	{ "INFO: rcu_preempt detected expedited stalls on CPUs/tasks: {", KS_KIND_RCU_STALL },
	{ "BUG: KASAN: slab-use-after-free in foo_read+0x5c/0x90 [foo]", KS_KIND_KASAN },
	{ "BUG: KFENCE: out-of-bounds read in foo+0x1/0x2", KS_KIND_KFENCE },
	{ "BUG: KMSAN: uninit-value in foo+0x1/0x2", KS_KIND_KMSAN },
	{ "BUG: KCSAN: data-race in a / b", KS_KIND_KCSAN },
	{ "UBSAN: array-index-out-of-bounds in drivers/foo/bar.c:123:45", KS_KIND_UBSAN },
	{ "BUG: kernel NULL pointer dereference, address: 0000000000000008", KS_KIND_NULL_DEREF },
	{ "BUG: unable to handle kernel NULL pointer dereference at 0000000000000008", KS_KIND_NULL_DEREF },
	{ "Unable to handle kernel NULL pointer dereference at virtual address 00000000", KS_KIND_NULL_DEREF },
	{ "BUG: unable to handle page fault for address: ffffc90000a3f000", KS_KIND_PAGING_FAULT },
	{ "Unable to handle kernel paging request at virtual address e0850000", KS_KIND_PAGING_FAULT },
	{ "general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1]",
	  KS_KIND_GPF },
	{ "Oops: general protection fault, probably for non-canonical address 0x1: 0000 [#1]", KS_KIND_GPF },
	{ "kernel BUG at lib/list_debug.c:30!", KS_KIND_KERNEL_BUG },
	{ "invalid opcode: 0000 [#1] PREEMPT SMP NOPTI", KS_KIND_OOPS },
	{ "Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP", KS_KIND_OOPS },
	{ "Kernel panic - not syncing: Fatal exception", KS_KIND_PANIC },
	{ "BUG: workqueue leaked lock or atomic: kworker/0:1/0x00000000/23", KS_KIND_WORKQUEUE_LEAK },
	{ "BUG: spinlock recursion on CPU#0, a/1", KS_KIND_SPINLOCK_BUG },
	{ "------------[ cut here ]------------", KS_KIND_WARNING },
	{ "WARNING: CPU: 0 PID: 1 at kernel/x.c:5 f+0x1/0x2", KS_KIND_WARNING },
	{ "WARNING: kernel/sched/core.c:8511 at sched_init+0x20/0x410, CPU#0: swapper/0/0", KS_KIND_WARNING },
	{ "BUG: Bad page state in process foo  pfn:1234", KS_KIND_OTHER },
	{ "INFO: task syz:1 can't die for more than 143 seconds.", KS_KIND_HUNG_TASK },
	{ "SYZFAIL: negative running", KS_KIND_OTHER },
};

/* Lines that look like reports but are not (syzkaller's suppressions, lockdep's asides). */
static const char *const not_starts[] = {
	"INFO: lockdep is turned off.",
	"INFO: NMI handler (perf_event_nmi_handler) took too long to run: 1.234 msecs",
	"ODEBUG: free active (active state 0) object type: timer_list",
	"WARNING: /etc/ssh/moduli does not exist, using fixed modulus",
	"EXT4-fs (sda1): WARNING: mounting unchecked fs",
	"[syzbot] BUG: sleeping function called from invalid context in foo",
	"Voluntary context switch within RCU read-side critical section!",
	"",
};

static void test_every_kind_starts(void **state)
{
	struct ks_detect *d;
	struct ks_match m;

	(void)state;
	assert_int_equal(ks_detect_new(&d), 0);
	for (size_t i = 0; i < KS_ARRAY_SIZE(starts); i++) {
		bool found = ks_detect_line(d, starts[i].line, strlen(starts[i].line), &m);

		if (!found || m.kind != starts[i].kind)
			fail_msg("%s: got %s, want %s", starts[i].line, found ? ks_kind_name(m.kind) : "none",
				 ks_kind_name(starts[i].kind));
	}
	ks_detect_free(d);
}

static void test_non_starts(void **state)
{
	struct ks_detect *d;
	struct ks_match m;

	(void)state;
	assert_int_equal(ks_detect_new(&d), 0);
	for (size_t i = 0; i < KS_ARRAY_SIZE(not_starts); i++)
		if (ks_detect_line(d, not_starts[i], strlen(not_starts[i]), &m))
			fail_msg("%s: detected as %s", not_starts[i], ks_kind_name(m.kind));
	ks_detect_free(d);
}

/* Names are stable tokens; every kind has a label, a severity and a way to end. */
static void test_table_is_complete(void **state)
{
	(void)state;
	for (unsigned i = 0; i < _KS_KIND_MAX; i++) {
		assert_int_equal(ks_kinds[i].id, i);
		assert_non_null(ks_kinds[i].name);
		assert_non_null(ks_kinds[i].label);
		assert_non_null(ks_kinds[i].start);
		assert_true(ks_kinds[i].severity <= 100);
		assert_int_equal(ks_kind_by_name(ks_kinds[i].name), i);
	}
	assert_int_equal(ks_kind_by_name("no-such-kind"), _KS_KIND_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_starts),
		cmocka_unit_test(test_non_starts),
		cmocka_unit_test(test_table_is_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
