// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Analysis: the culprit past the reporting machinery and the sleeping
 * primitives, the callee and the API a driver called, the lock that made the
 * context atomic, the cause, the fix hint, both titles, the signature, and
 * the ranking of duplicates. Reports are assembled from message lines
 * modelled on the rig logs (logs/orc-nokaslr) and FORMATS.md §4.
 */
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>

#include "ksplat/analyze.h"
#include "ksplat/assemble.h"
#include "ksplat/detect.h"
#include "ksplat/envelope.h"
#include "ksplat/report.h"
#include "ksplat/syztitle.h"
#include "ksplat/util.h"

#define assert_str(a, b)                     \
	do {                                 \
		const char *a_ = (a);        \
		assert_non_null(a_);         \
		assert_string_equal(a_, (b)); \
	} while (0)

#define SEC UINT64_C(1000000000)

struct fx {
	struct ks_detect *det;
	struct ks_assemble *as;
	struct ks_syz *syz;
	uint64_t lineno;
	uint64_t ts;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct ks_assemble_limits lim = {
		.max_open = 32, .max_lines = 1000, .arena_cap = 256 * 1024, .gap_ns = 10 * SEC,
	};

	if (!f)
		return -1;
	if (ks_detect_new(&f->det) < 0 || ks_assemble_new(&lim, f->det, &f->as) < 0 ||
	    ks_syz_new(&f->syz) < 0) {
		ks_assemble_free(f->as);
		ks_detect_free(f->det);
		free(f);
		return -1;
	}
	f->ts = SEC;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ks_assemble_free(f->as);
	ks_detect_free(f->det);
	ks_syz_free(f->syz);
	free(f);
	return 0;
}

/* Assemble @lines (task 39) into exactly one report. */
static struct ks_report *assemble_lines(struct fx *f, const char *const *lines, size_t n)
{
	struct ks_report *r;

	for (size_t i = 0; i < n; i++) {
		struct ks_line l;

		memset(&l, 0, sizeof(l));
		l.text = lines[i];
		l.len = strlen(lines[i]);
		l.ts_ns = f->ts;
		l.caller = 39;
		l.caller_type = KS_CALLER_TASK;
		l.level = -1;
		l.lineno = ++f->lineno;
		f->ts += 50000;
		assert_int_equal(ks_assemble_feed(f->as, &l, 0, "dmesg.log"), 0);
	}
	ks_assemble_flush(f->as);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_null(ks_assemble_pop(f->as));
	return r;
}

/* Assemble @lines (task 39) into exactly one report and analyse it. */
static struct ks_report *analyze_lines(struct fx *f, const char *const *lines, size_t n)
{
	struct ks_report *r = assemble_lines(f, lines, n);

	assert_int_equal(ks_analyze_report(f->syz, r), 0);
	return r;
}

#define ANALYZE(f, lines) analyze_lines((f), (lines), KS_ARRAY_SIZE(lines))

/* The index of @f in @r's trace. */
static uint32_t frame_index(const struct ks_report *r, const struct ks_frame *fr)
{
	assert_non_null(fr);
	assert_true(fr >= r->trace.v && fr < r->trace.v + r->trace.n);
	return (uint32_t)(fr - r->trace.v);
}

/* orc-nokaslr/atomic_kmalloc */
static const char *const kmalloc_report[] = {
	"BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
	"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
	"preempt_count: 1, expected: 0",
	"RCU nest depth: 0, expected: 0",
	"1 lock held by insmod/39:",
	" #0: ffffffffc00026b8 (my_lock){+.+.}-{3:3}, at: faulty_function+0xd/0x4c [splatmod]",
	"Preemption disabled at:",
	"[<0000000000000000>] 0x0",
	"CPU: 0 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __might_resched+0x250/0x273",
	" ? faulty_function+0x23/0x4c [splatmod]",
	" slab_pre_alloc_hook.constprop.0+0x32/0x4d",
	" __kmem_cache_alloc_node+0x24/0xe4",
	" kmalloc_trace+0x1f/0x49",
	" faulty_function+0x23/0x4c [splatmod]",
	" splat_init+0xd7/0x1000 [splatmod]",
	" ? 0xffffffffc0005000",
	" do_one_initcall+0xa2/0x1bd",
	" do_init_module+0x46/0x1ad",
	" __do_sys_finit_module+0x8d/0x9b",
	" do_syscall_64+0x39/0x46",
	" entry_SYSCALL_64_after_hwframe+0x4b/0xb5",
	"RIP: 0033:0x47fbe9",
	"RSP: 002b:00007ffd2e32e138 EFLAGS: 00000246 ORIG_RAX: 0000000000000139",
	" </TASK>",
};

static void test_kmalloc_under_spinlock(void **state)
{
	struct ks_report *r = ANALYZE(*state, kmalloc_report);

	assert_int_equal(frame_index(r, r->a.culprit), 6);
	assert_str(r->a.culprit->func, "faulty_function");
	assert_str(r->a.culprit->module, "splatmod");
	assert_int_equal(r->a.culprit->flags, 0);
	assert_int_equal(frame_index(r, r->a.callee), 5);
	assert_str(r->a.callee->func, "kmalloc_trace");
	assert_str(r->a.callee_api, "kmalloc");
	assert_ptr_equal(r->a.lock, &r->held.v[0]);
	assert_str(r->a.lock->name, "my_lock");
	assert_null(r->a.holding);
	assert_str(r->a.cause, "spinlock");
	assert_str(r->a.hint, "use GFP_ATOMIC (or GFP_NOWAIT), or allocate before taking my_lock");
	assert_non_null(strstr(r->a.hint, "GFP_ATOMIC"));
	assert_non_null(strstr(r->a.hint, "my_lock"));
	assert_str(r->a.title, "BUG: sleeping function called from invalid context in faulty_function");
	assert_str(r->a.headline, "BUG: sleeping function called from invalid context in faulty_function");
	assert_false(r->a.corrupted);
	assert_int_equal(r->a.severity, 90);
	assert_int_not_equal(r->a.signature, 0);
	ks_report_free(r);
}

/* orc-nokaslr/atomic_mutex, with the frames of the FP build (mutex_lock_nested, __might_sleep). */
static const char *const mutex_report[] = {
	"BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580",
	"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
	"preempt_count: 1, expected: 0",
	"RCU nest depth: 0, expected: 0",
	"1 lock held by insmod/39:",
	" #0: ffffffffc0002678 (splat_outer_lock){+.+.}-{3:3}, at: splat_mutex_under_spinlock+0xc/0x32 [splatmod]",
	"Preemption disabled at:",
	"[<ffffffff8985d9ea>] preempt_count_add+0x50/0x53",
	"CPU: 0 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x51/0x66",
	" ? preempt_count_add+0x50/0x53",
	" dump_stack+0x10/0x12",
	" __might_resched+0x24f/0x267",
	" ? splat_mutex_under_spinlock+0x1a/0x32 [splatmod]",
	" __might_sleep+0x5c/0x61",
	" __mutex_lock+0x50/0x3c2",
	" ? lock_acquire+0x123/0x244",
	" mutex_lock_nested+0x1b/0x1d",
	" splat_mutex_under_spinlock+0x1a/0x32 [splatmod]",
	" splat_init+0xf4/0x1000 [splatmod]",
	" do_one_initcall+0xa2/0x1bd",
	" </TASK>",
};

static void test_mutex_under_spinlock(void **state)
{
	struct ks_report *r = ANALYZE(*state, mutex_report);

	assert_int_equal(frame_index(r, r->a.culprit), 9);
	assert_str(r->a.culprit->func, "splat_mutex_under_spinlock");
	assert_int_equal(frame_index(r, r->a.callee), 8);
	assert_str(r->a.callee->func, "mutex_lock_nested");
	assert_str(r->a.callee_api, "mutex_lock");
	assert_str(r->a.lock->name, "splat_outer_lock");
	assert_str(r->a.cause, "spinlock");
	assert_str(r->a.hint, "mutex_lock may sleep: take it before splat_outer_lock, or make "
			      "splat_outer_lock a mutex if the section must sleep");
	assert_str(r->a.title,
		   "BUG: sleeping function called from invalid context in splat_mutex_under_spinlock");
	assert_str(r->a.headline,
		   "BUG: sleeping function called from invalid context in splat_mutex_under_spinlock");
	assert_false(r->a.corrupted);
	ks_report_free(r);
}

/* orc-nokaslr/atomic_msleep: msleep() has no might_sleep(); the scheduler reports. */
static const char *const msleep_report[] = {
	"BUG: scheduling while atomic: insmod/39/0x00000002",
	"1 lock held by insmod/39:",
	" #0: ffffffffc0002598 (splat_sleep_lock){+.+.}-{3:3}, at: splat_hold_and_sleep+0xc/0x22 [splatmod]",
	"Modules linked in: splatmod(O+)",
	"Preemption disabled at:",
	"[<0000000000000000>] 0x0",
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
	" ? 0xffffffffc0005000",
	" do_one_initcall+0xa2/0x1bd",
	" </TASK>",
};

static void test_msleep_scheduling_while_atomic(void **state)
{
	struct ks_report *r = ANALYZE(*state, msleep_report);

	assert_int_equal(r->kind, KS_KIND_SCHEDULE_WHILE_ATOMIC);
	assert_int_equal(r->preempt_count, 2);
	/* The culprit is msleep()'s caller ... */
	assert_int_equal(frame_index(r, r->a.culprit), 8);
	assert_str(r->a.culprit->func, "splat_hold_and_sleep");
	assert_int_equal(frame_index(r, r->a.callee), 7);
	assert_str(r->a.callee->func, "msleep");
	assert_str(r->a.callee_api, "msleep");
	assert_str(r->a.lock->name, "splat_sleep_lock");
	assert_str(r->a.cause, "spinlock");
	assert_str(r->a.hint, "do not sleep holding splat_sleep_lock: release it around msleep, or "
			      "busy-wait with udelay()/mdelay() if the wait is short");
	assert_str(r->a.headline, "BUG: scheduling while atomic in splat_hold_and_sleep");
	/* ... while syzkaller's extra skip "schedule" does not skip msleep. */
	assert_str(r->a.title, "BUG: scheduling while atomic in msleep");
	assert_false(r->a.corrupted);
	assert_int_equal(r->a.severity, 90);
	ks_report_free(r);
}

/* orc-nokaslr/irqsoff_kmalloc: local_irq_disable(), no lock. */
static const char *const irqsoff_report[] = {
	"BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
	"in_atomic(): 0, irqs_disabled(): 1, non_block: 0, pid: 39, name: insmod",
	"preempt_count: 0, expected: 0",
	"RCU nest depth: 0, expected: 0",
	"no locks held by insmod/39.",
	"irq event stamp: 322",
	"hardirqs last  enabled at (321): [<ffffffff81200c86>] asm_sysvec_apic_timer_interrupt+0x16/0x20",
	"hardirqs last disabled at (322): [<ffffffffc00002cb>] splat_irqoff_alloc+0xf/0x37 [splatmod]",
	"softirqs last  enabled at (320): [<ffffffff8103c4a4>] handle_softirqs+0x2e7/0x323",
	"softirqs last disabled at (309): [<ffffffff8103c967>] irq_exit_rcu+0x5/0x19",
	"CPU: 1 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __might_resched+0x250/0x273",
	" ? splat_irqoff_alloc+0x25/0x37 [splatmod]",
	" slab_pre_alloc_hook.constprop.0+0x32/0x4d",
	" __kmem_cache_alloc_node+0x24/0xe4",
	" kmalloc_trace+0x1f/0x49",
	" splat_irqoff_alloc+0x25/0x37 [splatmod]",
	" splat_init+0x14b/0x1000 [splatmod]",
	" </TASK>",
};

static void test_irqs_off_no_lock(void **state)
{
	struct ks_report *r = ANALYZE(*state, irqsoff_report);

	assert_int_equal(r->held.n, 0);
	assert_str(r->held_by, "insmod/39");
	assert_int_equal(r->irqs_disabled, 1);
	assert_non_null(r->irqs_off_site);
	assert_str(r->irqs_off_site->func, "splat_irqoff_alloc");
	assert_str(r->a.culprit->func, "splat_irqoff_alloc");
	assert_int_equal(r->a.culprit->flags, 0);
	assert_str(r->a.callee_api, "kmalloc");
	assert_null(r->a.lock);
	assert_str(r->a.cause, "irqs-off");
	assert_str(r->a.hint, "use GFP_ATOMIC, or allocate before disabling interrupts");
	assert_str(r->a.title, "BUG: sleeping function called from invalid context in splat_irqoff_alloc");
	ks_report_free(r);
}

/* orc-nokaslr/preempt_sleep: preempt_disable() and msleep(), no lock. */
static const char *const preempt_report[] = {
	"BUG: scheduling while atomic: insmod/39/0x00000002",
	"no locks held by insmod/39.",
	"Modules linked in: splatmod(O+)",
	"Preemption disabled at:",
	"[<ffffffffc00002fd>] splat_preempt_off_sleep+0xa/0x2f [splatmod]",
	"CPU: 0 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
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
	" splat_preempt_off_sleep+0x14/0x2f [splatmod]",
	" splat_init+0x168/0x1000 [splatmod]",
	" </TASK>",
};

static void test_preempt_off_no_lock(void **state)
{
	struct ks_report *r = ANALYZE(*state, preempt_report);

	assert_non_null(r->preempt_site);
	assert_str(r->preempt_site->func, "splat_preempt_off_sleep");
	assert_str(r->preempt_site->module, "splatmod");
	assert_int_equal(r->preempt_site->addr, UINT64_C(0xffffffffc00002fd));
	assert_int_equal(r->preempt_site->off, 0xa);
	assert_str(r->a.culprit->func, "splat_preempt_off_sleep");
	assert_int_equal(r->a.culprit->off, 0x14);
	assert_str(r->a.callee_api, "msleep");
	assert_null(r->a.lock);
	assert_str(r->a.cause, "preempt-off");
	assert_str(r->a.hint, "call msleep after preemption is enabled again (spin_unlock() or "
			      "preempt_enable()), or busy-wait with udelay()/mdelay()");
	assert_str(r->a.headline, "BUG: scheduling while atomic in splat_preempt_off_sleep");
	assert_str(r->a.title, "BUG: scheduling while atomic in msleep");
	ks_report_free(r);
}

/* Before 4.9 the site followed "Preemption disabled at:" on the same line. */
static const char *const preempt_old_report[] = {
	"BUG: sleeping function called from invalid context at mm/slab.c:2848",
	"in_atomic(): 1, irqs_disabled(): 0, pid: 1234, name: insmod",
	"Preemption disabled at:[<ffffffffa0002015>] old_driver_fn+0x15/0x60 [olddrv]",
	"CPU: 1 PID: 1234 Comm: insmod Tainted: G           O    4.4.0 #1",
	"Call Trace:",
	" [<ffffffff813f2a5c>] dump_stack+0x63/0x87",
	" [<ffffffff810a6f8f>] ___might_sleep+0xdf/0x120",
	" [<ffffffff810a7022>] __might_sleep+0x52/0xb0",
	" [<ffffffff811f1c2e>] kmem_cache_alloc_trace+0x1ee/0x250",
	" [<ffffffffa0002042>] old_driver_fn+0x42/0x60 [olddrv]",
	" [<ffffffff81002123>] do_one_initcall+0xb3/0x200",
	"---[ end trace 0123456789abcdef ]---",
};

static void test_preempt_off_old_format(void **state)
{
	struct ks_report *r = ANALYZE(*state, preempt_old_report);

	assert_non_null(r->preempt_site);
	assert_str(r->preempt_site->func, "old_driver_fn");
	assert_int_equal(r->preempt_site->addr, UINT64_C(0xffffffffa0002015));
	assert_int_equal(r->pid, 1234);
	assert_int_equal(r->non_block, -1);
	assert_int_equal(r->preempt_count, -1);
	assert_int_equal(r->trace.n, 6);
	assert_int_equal(r->trace.v[4].addr, UINT64_C(0xffffffffa0002042));
	assert_str(r->a.culprit->func, "old_driver_fn");
	assert_int_equal(r->a.culprit->off, 0x42);
	assert_str(r->a.callee->func, "kmem_cache_alloc_trace");
	assert_str(r->a.callee_api, "kmalloc");
	assert_null(r->a.lock);
	assert_str(r->a.cause, "preempt-off");
	assert_str(r->a.hint, "use GFP_ATOMIC, or allocate before preemption is disabled (spin_lock() or "
			      "preempt_disable())");
	assert_str(r->a.headline, "BUG: sleeping function called from invalid context in old_driver_fn");
	ks_report_free(r);
}

/* Sleeping inside rcu_read_lock() on a PREEMPT_RCU kernel (FORMATS.md §4.7). */
static const char *const rcu_report[] = {
	"BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
	"in_atomic(): 0, irqs_disabled(): 0, non_block: 0, pid: 1502, name: cat",
	"preempt_count: 0, expected: 0",
	"RCU nest depth: 1, expected: 0",
	"1 lock held by cat/1502:",
	" #0: ffffffff82b5a8e0 (rcu_read_lock){....}-{1:2}, at: foo_show+0x5/0x120",
	"CPU: 2 PID: 1502 Comm: cat Not tainted 6.1.0 #1",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __might_resched+0x250/0x273",
	" __kmalloc+0x24/0xe4",
	" foo_show+0x3a/0x120",
	" seq_read_iter+0x11c/0x4a0",
	" </TASK>",
};

static void test_rcu_read_lock(void **state)
{
	struct ks_report *r = ANALYZE(*state, rcu_report);

	assert_int_equal(r->rcu_depth, 1);
	assert_int_equal(r->held.n, 1);
	/* rcu_read_lock is no lock that spins. */
	assert_null(r->a.lock);
	assert_str(r->a.culprit->func, "foo_show");
	assert_str(r->a.callee_api, "kmalloc");
	assert_str(r->a.cause, "rcu-read-lock");
	assert_str(r->a.hint, "use GFP_ATOMIC or GFP_NOWAIT inside rcu_read_lock(), or allocate before it");
	assert_str(r->a.title, "BUG: sleeping function called from invalid context in foo_show");
	ks_report_free(r);
}

/* Without lockdep a spinlock shows only as the place preemption went off. */
static const char *const spin_site_report[] = {
	"BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
	"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
	"preempt_count: 1, expected: 0",
	"RCU nest depth: 0, expected: 0",
	"Preemption disabled at:",
	"[<ffffffff81a0c2e4>] _raw_spin_lock+0x14/0x30",
	"CPU: 0 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __might_resched+0x250/0x273",
	" kmalloc_trace+0x1f/0x49",
	" faulty_function+0x23/0x4c [splatmod]",
	" </TASK>",
};

static void test_spinlock_from_preempt_site(void **state)
{
	struct ks_report *r = ANALYZE(*state, spin_site_report);

	assert_str(r->a.culprit->func, "faulty_function");
	assert_null(r->a.lock);
	assert_str(r->a.cause, "spinlock");
	assert_str(r->a.hint, "use GFP_ATOMIC (or GFP_NOWAIT), or allocate before taking the lock");
	ks_report_free(r);
}

/* A timer callback: preempt_count 0x101 has the softirq bit; the timer's {0:0} map is no lock. */
static const char *const softirq_report[] = {
	"BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580",
	"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 0, name: swapper/0",
	"preempt_count: 101, expected: 0",
	"RCU nest depth: 0, expected: 0",
	"1 lock held by swapper/0/0:",
	" #0: ffffc90000003e60 ((&splat_timer)){+.-.}-{0:0}, at: call_timer_fn+0x5/0x1a0",
	"CPU: 0 PID: 0 Comm: swapper/0 Tainted: G           O       6.1.192 #2 ",
	"Call Trace:",
	" <IRQ>",
	" dump_stack_lvl+0x4c/0x5f",
	" __might_resched+0x250/0x273",
	" __mutex_lock+0x50/0x3c2",
	" mutex_lock_nested+0x1b/0x1d",
	" splat_timer_fn+0x12/0x30 [splatmod]",
	" call_timer_fn+0x9e/0x1a0",
	" __run_timers+0x1f4/0x260",
	" run_timer_softirq+0x1d/0x40",
	" __do_softirq+0xd5/0x2c5",
	" irq_exit_rcu+0x5/0x19",
	" sysvec_apic_timer_interrupt+0x6e/0x90",
	" </IRQ>",
	" <TASK>",
	" asm_sysvec_apic_timer_interrupt+0x16/0x20",
	" default_idle+0x10/0x20",
	" </TASK>",
};

static void test_softirq(void **state)
{
	struct ks_report *r = ANALYZE(*state, softirq_report);

	assert_int_equal(r->preempt_count, 0x101);
	assert_int_equal(r->trace.n, 13);
	assert_str(r->a.culprit->func, "splat_timer_fn");
	assert_int_equal(r->a.culprit->section, KS_SEC_IRQ);
	assert_int_equal(r->trace.v[12].section, KS_SEC_TASK);
	assert_str(r->a.callee_api, "mutex_lock");
	assert_null(r->a.lock);
	assert_str(r->a.cause, "softirq");
	assert_str(r->a.hint, "mutex_lock may sleep and cannot be used in interrupt context: defer "
			      "the work to a workqueue");
	assert_str(r->a.title, "BUG: sleeping function called from invalid context in splat_timer_fn");
	ks_report_free(r);
}

/* The same report from a hard interrupt handler: preempt_count 0x10001. */
static void test_hardirq(void **state)
{
	const char *lines[KS_ARRAY_SIZE(softirq_report)];
	struct ks_report *r;

	memcpy(lines, softirq_report, sizeof(lines));
	lines[2] = "preempt_count: 10001, expected: 0";
	r = analyze_lines(*state, lines, KS_ARRAY_SIZE(lines));
	assert_int_equal(r->preempt_count, 0x10001);
	assert_str(r->a.cause, "hardirq");
	assert_str(r->a.hint, "mutex_lock may sleep and cannot be used in interrupt context: use a "
			      "threaded IRQ handler or a workqueue");
	ks_report_free(r);
}

/* console_lock() may sleep: __might_resched is followed by console_lock, then the culprit. */
static const char *const console_report[] = {
	"BUG: sleeping function called from invalid context at kernel/printk/printk.c:2640",
	"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
	"preempt_count: 1, expected: 0",
	"RCU nest depth: 0, expected: 0",
	"1 lock held by insmod/39:",
	" #0: ffffffffc0002358 (splat_raw_lock){+.+.}-{2:2}, at: splat_console_user+0xc/0x30 [splatmod]",
	"CPU: 0 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __might_resched+0x250/0x273",
	" console_lock+0x1a/0x80",
	" splat_console_user+0x16/0x30 [splatmod]",
	" splat_init+0x2a0/0x1000 [splatmod]",
	" </TASK>",
};

static void test_console_lock(void **state)
{
	struct ks_report *r = ANALYZE(*state, console_report);

	assert_int_equal(frame_index(r, r->a.callee), 2);
	assert_str(r->a.callee->func, "console_lock");
	assert_str(r->a.callee_api, "console_lock");
	assert_int_equal(frame_index(r, r->a.culprit), 3);
	assert_str(r->a.culprit->func, "splat_console_user");
	assert_str(r->a.lock->name, "splat_raw_lock");
	assert_str(r->a.cause, "spinlock");
	assert_str(r->a.hint, "console_lock may sleep: take it before splat_raw_lock, or make "
			      "splat_raw_lock a mutex if the section must sleep");
	assert_str(r->a.headline, "BUG: sleeping function called from invalid context in splat_console_user");
	assert_str(r->a.title, "BUG: sleeping function called from invalid context in console_lock");
	ks_report_free(r);
}

/* The culprit's own spinning lock wins over another's, rcu_read_lock and {0:0} maps. */
static const char *const locks_report[] = {
	"BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
	"in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: 39, name: insmod",
	"preempt_count: 1, expected: 0",
	"RCU nest depth: 1, expected: 0",
	"4 locks held by insmod/39:",
	" #0: ffff888003a1c0a8 (&dev->lock){-.-.}-{2:2}, at: splat_dev_ioctl+0x20/0x90 [splatmod]",
	" #1: ffffffffc00026b8 (my_lock){+.+.}-{3:3}, at: faulty_function.constprop.0+0xd/0x4c [splatmod]",
	" #2: ffffffff82b5a8e0 (rcu_read_lock){....}-{1:2}, at: faulty_function+0x5/0x4c [splatmod]",
	" #3: ffffffff81913a40 (console_lock){+.+.}-{0:0}, at: faulty_function+0x9/0x4c [splatmod]",
	"CPU: 0 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __might_resched+0x250/0x273",
	" kmalloc_trace+0x1f/0x49",
	" faulty_function+0x23/0x4c [splatmod]",
	" splat_dev_ioctl+0x31/0x90 [splatmod]",
	" </TASK>",
};

/* orc-nokaslr/invalid_wait_mutex: the list the outer report borrows from the nested one. */
static const char *const maps_report[] = {
	"BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580",
	"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
	"preempt_count: 1, expected: 0",
	"3 locks held by insmod/39:",
	" #0: ffffffffc0002358 (splat_raw_lock){+.+.}-{2:2}, at: splat_raw_then_mutex+0xc/0x38 [splatmod]",
	" #1: ffffffff81913a40 (console_lock){+.+.}-{0:0}, at: vprintk_emit+0xac/0x1f8",
	" #2: ffffffff81833820 (console_owner){....}-{0:0}, at: console_emit_next_record.constprop.0+0x1a9/0x2b2",
	"CPU: 0 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __might_resched+0x250/0x273",
	" ? splat_raw_then_mutex+0x1a/0x38 [splatmod]",
	" __mutex_lock+0x50/0x3c2",
	" ? lock_acquire+0x123/0x244",
	" splat_raw_then_mutex+0x1a/0x38 [splatmod]",
	" splat_init+0x266/0x1000 [splatmod]",
	" </TASK>",
};

/* Only maps taken by the culprit: the other function's spinning lock is the one. */
static const char *const other_lock_report[] = {
	"BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
	"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
	"preempt_count: 1, expected: 0",
	"3 locks held by insmod/39:",
	" #0: ffff888003a1c0a8 (&dev->lock){-.-.}-{3:3}, at: splat_dev_ioctl+0x20/0x90 [splatmod]",
	" #1: ffffffff81913a40 (console_lock){+.+.}-{0:0}, at: faulty_function+0x9/0x4c [splatmod]",
	" #2: ffffffff81833820 (console_owner){....}-{0:0}, at: faulty_function+0x11/0x4c [splatmod]",
	"Call Trace:",
	" <TASK>",
	" __might_resched+0x250/0x273",
	" kmalloc_trace+0x1f/0x49",
	" faulty_function+0x23/0x4c [splatmod]",
	" splat_dev_ioctl+0x31/0x90 [splatmod]",
	" </TASK>",
};

static void test_lock_choice(void **state)
{
	struct ks_report *r = ANALYZE(*state, locks_report);

	assert_str(r->a.culprit->func, "faulty_function");
	assert_ptr_equal(r->a.lock, &r->held.v[1]);
	assert_str(r->a.lock->name, "my_lock");
	/* A lock is evidence enough, before irqs_disabled and the RCU depth. */
	assert_str(r->a.cause, "spinlock");
	ks_report_free(r);

	r = ANALYZE(*state, maps_report);
	assert_str(r->a.culprit->func, "splat_raw_then_mutex");
	assert_ptr_equal(r->a.lock, &r->held.v[0]);
	assert_str(r->a.lock->name, "splat_raw_lock");
	assert_str(r->a.cause, "spinlock");
	assert_str(r->a.callee_api, "mutex_lock");
	ks_report_free(r);

	r = ANALYZE(*state, other_lock_report);
	assert_str(r->a.culprit->func, "faulty_function");
	assert_ptr_equal(r->a.lock, &r->held.v[0]);
	assert_str(r->a.lock->name, "&dev->lock");
	ks_report_free(r);
}

/* "?" frames are never the culprit; with nothing else the report has none. */
static const char *const unreliable_report[] = {
	"BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
	"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
	"preempt_count: 1, expected: 0",
	"1 lock held by insmod/39:",
	" #0: ffffffffc00026b8 (my_lock){+.+.}-{3:3}, at: faulty_function+0xd/0x4c [splatmod]",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __might_resched+0x250/0x273",
	" kmalloc_trace+0x1f/0x49",
	" ? splat_decoy+0x22/0x22 [splatmod]",
	" ? faulty_function+0x23/0x4c [splatmod]",
	" faulty_function+0x23/0x4c [splatmod]",
	" </TASK>",
};

static const char *const only_unreliable_report[] = {
	"BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
	"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
	"preempt_count: 1, expected: 0",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __might_resched+0x250/0x273",
	" kmalloc_trace+0x1f/0x49",
	" ? splat_decoy+0x22/0x22 [splatmod]",
	" ? faulty_function+0x23/0x4c [splatmod]",
	" ? 0xffffffffc0005000",
	" </TASK>",
};

static void test_unreliable_frames_never_culprit(void **state)
{
	struct ks_report *r = ANALYZE(*state, unreliable_report);

	assert_int_equal(frame_index(r, r->a.culprit), 5);
	assert_str(r->a.culprit->func, "faulty_function");
	assert_int_equal(r->a.culprit->flags, 0);
	assert_str(r->a.title, "BUG: sleeping function called from invalid context in faulty_function");
	ks_report_free(r);

	r = ANALYZE(*state, only_unreliable_report);
	assert_int_equal(r->flags & KS_REP_TRUNCATED, 0);
	assert_null(r->a.culprit);
	assert_str(r->a.callee_api, "kmalloc");
	assert_true(r->a.corrupted);
	assert_str(r->a.title, "BUG: sleeping function called from invalid context in corrupted");
	assert_str(r->a.headline, "BUG: sleeping function called from invalid context in corrupted");
	ks_report_free(r);
}

static void test_truncated_report_is_corrupted(void **state)
{
	static const char *const header_only[] = {
		"BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
	};
	struct ks_report *r = ANALYZE(*state, header_only);

	assert_int_equal(r->flags, KS_REP_TRUNCATED);
	assert_null(r->a.culprit);
	assert_null(r->a.callee);
	assert_null(r->a.callee_api);
	assert_null(r->a.lock);
	assert_true(r->a.corrupted);
	assert_str(r->a.title, "BUG: sleeping function called from invalid context in corrupted");
	assert_str(r->a.headline, "BUG: sleeping function called from invalid context in corrupted");
	assert_str(r->a.cause, "atomic");
	assert_str(r->a.hint, "the call may sleep: move it out of the atomic section");
	assert_int_equal(r->a.severity, 90);
	ks_report_free(r);
}

/* orc-nokaslr/atomic_mutex, second report: lockdep on the mutex taken under the spinlock. */
static const char *const invalid_wait_report[] = {
	"[ BUG: Invalid wait context ]",
	"6.1.192 #2 Tainted: G        W  O      ",
	"-----------------------------",
	"insmod/39 is trying to lock:",
	"ffffffffc0002628 (splat_inner_mutex){....}-{4:4}, at: splat_mutex_under_spinlock+0x1a/0x32 [splatmod]",
	"other info that might help us debug this:",
	"context-{5:5}",
	"1 lock held by insmod/39:",
	" #0: ffffffffc0002678 (splat_outer_lock){+.+.}-{3:3}, at: splat_mutex_under_spinlock+0xc/0x32 [splatmod]",
	"stack backtrace:",
	"CPU: 0 PID: 39 Comm: insmod Tainted: G        W  O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __lock_acquire+0x449/0x110a",
	" ? splat_mutex_under_spinlock+0x1a/0x32 [splatmod]",
	" lock_acquire+0x113/0x244",
	" ? __might_resched+0x250/0x273",
	" __mutex_lock+0xb2/0x3c2",
	" ? lock_acquire+0x123/0x244",
	" splat_mutex_under_spinlock+0x1a/0x32 [splatmod]",
	" splat_init+0xf4/0x1000 [splatmod]",
	" </TASK>",
};

static void test_invalid_wait_context(void **state)
{
	struct ks_report *r = ANALYZE(*state, invalid_wait_report);

	assert_int_equal(r->kind, KS_KIND_INVALID_WAIT_CONTEXT);
	assert_ptr_equal(r->a.culprit, &r->acquiring->at);
	assert_str(r->a.culprit->func, "splat_mutex_under_spinlock");
	assert_ptr_equal(r->a.lock, r->acquiring);
	assert_str(r->a.lock->name, "splat_inner_mutex");
	assert_ptr_equal(r->a.holding, &r->held.v[0]);
	assert_str(r->a.holding->name, "splat_outer_lock");
	assert_str(r->a.cause, "sleeping-lock-in-atomic");
	assert_str(r->a.hint, "splat_inner_mutex is a sleeping lock: take it before splat_outer_lock "
			      "(or outside interrupt context), or protect the data with a spinlock instead");
	assert_str(r->a.headline, "BUG: Invalid wait context in splat_mutex_under_spinlock");
	assert_str(r->a.title, "WARNING: locking bug in splat_mutex_under_spinlock");
	assert_int_equal(r->a.severity, 85);
	ks_report_free(r);
}

/* orc-nokaslr/smp_processor_id */
static const char *const smp_report[] = {
	"BUG: using smp_processor_id() in preemptible [00000000] code: insmod/39",
	"caller is splat_smp_id_preemptible+0x5/0x13 [splatmod]",
	"CPU: 0 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" check_preemption_disabled+0xc7/0xd8",
	" splat_smp_id_preemptible+0x5/0x13 [splatmod]",
	" splat_init+0x38d/0x1000 [splatmod]",
	" </TASK>",
};

/* orc-nokaslr/invalid_wait: a spinlock_t taken under a raw_spinlock_t. */
static const char *const spin_in_raw_report[] = {
	"[ BUG: Invalid wait context ]",
	"6.1.192 #2 Tainted: G           O      ",
	"-----------------------------",
	"insmod/39 is trying to lock:",
	"ffffffffc0002318 (splat_inner_spin){....}-{3:3}, at: splat_raw_then_spin+0x18/0x36 [splatmod]",
	"other info that might help us debug this:",
	"context-{5:5}",
	"1 lock held by insmod/39:",
	" #0: ffffffffc0002358 (splat_raw_lock){+.+.}-{2:2}, at: splat_raw_then_spin+0xc/0x36 [splatmod]",
	"stack backtrace:",
	"CPU: 0 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __lock_acquire+0x449/0x110a",
	" ? prb_read_valid+0xf/0x11",
	" lock_acquire+0x113/0x244",
	" ? _printk+0x55/0x57",
	" _raw_spin_lock+0x2a/0x34",
	" ? splat_raw_then_spin+0x18/0x36 [splatmod]",
	" splat_raw_then_spin+0x18/0x36 [splatmod]",
	" splat_init+0x1f0/0x1000 [splatmod]",
	" </TASK>",
};

static void test_invalid_wait_spin_in_raw(void **state)
{
	struct ks_report *r = ANALYZE(*state, spin_in_raw_report);

	assert_ptr_equal(r->a.culprit, &r->acquiring->at);
	assert_str(r->a.culprit->func, "splat_raw_then_spin");
	assert_int_equal(r->a.culprit->off, 0x18);
	assert_str(r->a.lock->name, "splat_inner_spin");
	assert_str(r->a.holding->name, "splat_raw_lock");
	assert_str(r->a.cause, "spinlock-in-raw-spinlock");
	assert_str(r->a.hint, "splat_inner_spin is a spinlock_t, which sleeps on PREEMPT_RT: do not take it "
			      "under splat_raw_lock or in hard interrupt context, or make it a raw_spinlock_t if "
			      "its sections are short");
	assert_str(r->a.headline, "BUG: Invalid wait context in splat_raw_then_spin");
	assert_str(r->a.title, "WARNING: locking bug in splat_raw_then_spin");
	assert_false(r->a.corrupted);
	ks_report_free(r);
}

static void test_smp_processor_id(void **state)
{
	struct ks_report *r = ANALYZE(*state, smp_report);

	assert_str(r->what, "smp_processor_id");
	assert_str(r->a.culprit->func, "splat_smp_id_preemptible");
	assert_null(r->a.cause);
	assert_null(r->a.lock);
	assert_str(r->a.headline, "BUG: using smp_processor_id() in preemptible code in splat_smp_id_preemptible");
	/* syzkaller's extra skip "preempt" is a substring: it skips splat_smp_id_preemptible too. */
	assert_str(r->a.title, "BUG: using smp_processor_id() in preemptible code in splat_init");
	assert_non_null(strstr(r->a.hint, "get_cpu()/put_cpu()"));
	assert_int_equal(r->a.severity, 60);
	ks_report_free(r);
}

/* One kmalloc report; everything that changes between boots and builds is a parameter. */
struct variant {
	unsigned file_line, pid, cpu, off;
	uint64_t lock_addr, init_base;
	const char *lock, *culprit;
};

static struct ks_report *analyze_variant(struct fx *f, const struct variant *v)
{
	char buf[19][200];
	const char *lines[19];
	size_t n = 0;

#define LINE(...) snprintf(buf[n], sizeof(buf[n]), __VA_ARGS__), lines[n] = buf[n], n++
	LINE("BUG: sleeping function called from invalid context at include/linux/sched/mm.h:%u", v->file_line);
	LINE("in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: %u, name: insmod", v->pid);
	LINE("preempt_count: 1, expected: 0");
	LINE("1 lock held by insmod/%u:", v->pid);
	LINE(" #0: %016llx (%s){+.+.}-{3:3}, at: %s+0x%x/0x4c [splatmod]",
	     (unsigned long long)v->lock_addr, v->lock, v->culprit, v->off);
	LINE("CPU: %u PID: %u Comm: insmod Tainted: G           O       6.1.192 #2 ", v->cpu, v->pid);
	LINE("Call Trace:");
	LINE(" <TASK>");
	LINE(" dump_stack_lvl+0x%x/0x5f", 0x4c + v->off);
	LINE(" __might_resched+0x%x/0x273", 0x250 + v->off);
	LINE(" ? %s+0x%x/0x4c [splatmod]", v->culprit, 0x23 + v->off);
	LINE(" kmalloc_trace+0x%x/0x49", 0x1f + v->off);
	LINE(" %s+0x%x/0x4c [splatmod]", v->culprit, 0x23 + v->off);
	LINE(" splat_init+0x%x/0x1000 [splatmod]", 0xd7 + v->off);
	LINE(" ? 0x%llx", (unsigned long long)v->init_base);
	LINE(" do_one_initcall+0x%x/0x1bd", 0xa2 + v->off);
	LINE(" do_init_module+0x%x/0x1ad", 0x46 + v->off);
	LINE(" __do_sys_finit_module+0x%x/0x9b", 0x8d + v->off);
	LINE(" </TASK>");
#undef LINE
	assert_int_equal(n, KS_ARRAY_SIZE(lines));
	return analyze_lines(f, lines, n);
}

static void test_signature(void **state)
{
	struct fx *f = *state;
	static const struct variant base = {
		274, 39, 0, 0, UINT64_C(0xffffffffc00026b8), UINT64_C(0xffffffffc0005000),
		"my_lock#2", "faulty_function",
	};
	struct variant v = base;
	struct ks_report *a, *b;
	uint64_t sig;

	a = analyze_variant(f, &base);
	sig = a->a.signature;
	assert_str(a->a.lock->name, "my_lock#2");

	/* Another boot: offsets, addresses, pid, CPU, times and the lock's "#N" differ. */
	f->ts += 1000 * SEC;
	v.file_line = 280;
	v.pid = 1234;
	v.cpu = 3;
	v.off = 4;
	v.lock_addr = UINT64_C(0xffffffffc03e16b8);
	v.init_base = UINT64_C(0xffffffffc03e4000);
	v.lock = "my_lock#5";
	b = analyze_variant(f, &v);
	assert_int_equal(b->pid, 1234);
	assert_int_not_equal(b->first_ns, a->first_ns);
	assert_int_equal(b->a.signature, sig);
	assert_str(b->a.title, a->a.title);
	ks_report_free(b);

	/* A compiler clone of the same function is the same function. */
	v = base;
	v.culprit = "faulty_function.constprop.0";
	v.lock = "my_lock";
	b = analyze_variant(f, &v);
	assert_str(b->a.culprit->func, "faulty_function.constprop.0");
	assert_int_equal(b->a.signature, sig);
	ks_report_free(b);

	/* Another culprit is another bug. */
	v = base;
	v.culprit = "other_function";
	b = analyze_variant(f, &v);
	assert_str(b->a.culprit->func, "other_function");
	assert_int_not_equal(b->a.signature, sig);
	ks_report_free(b);

	/* So is another lock class. */
	v = base;
	v.lock = "other_lock";
	b = analyze_variant(f, &v);
	assert_str(b->a.lock->name, "other_lock");
	assert_int_not_equal(b->a.signature, sig);
	ks_report_free(b);

	ks_report_free(a);
}

/* A report as the deduplicator sees it: kind, signature, severity and where it was seen. */
static struct ks_report *seen(enum ks_kind kind, uint64_t sig, uint32_t source, uint64_t lineno)
{
	struct ks_report *r;

	assert_int_equal(ks_report_new(kind, 4096, &r), 0);
	r->a.signature = sig;
	r->a.severity = ks_kinds[kind].severity;
	r->source = source;
	r->first_lineno = lineno;
	r->last_lineno = lineno + 10;
	return r;
}

static void test_dedup_ranking(void **state)
{
	const struct ks_dedup_entry *const *ranked;
	struct ks_dedup *d;
	struct ks_report *w1;
	size_t n;

	(void)state;
	assert_int_equal(ks_dedup_new(100, &d), 0);
	assert_int_equal(ks_dedup_ranked(d, &ranked), 0);
	w1 = seen(KS_KIND_WARNING, 0x10, 0, 1);
	assert_int_equal(ks_dedup_add(d, w1), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_SLEEP_IN_ATOMIC, 0x20, 0, 5)), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_WARNING, 0x10, 0, 9)), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_SCHEDULE_WHILE_ATOMIC, 0x30, 0, 12)), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_SCHEDULE_WHILE_ATOMIC, 0x30, 1, 2)), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_SLEEP_IN_ATOMIC, 0x21, 0, 3)), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_SLEEP_IN_ATOMIC, 0x22, 1, 1)), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_WARNING, 0x10, 1, 40)), 0);
	/* The same signature of another kind is another entry. */
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_INVALID_WAIT_CONTEXT, 0x20, 0, 30)), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_SMP_PROCESSOR_ID, 0x40, 0, 50)), 0);
	assert_int_equal(ks_dedup_total(d), 10);
	assert_int_equal(ks_dedup_dropped(d), 0);

	n = ks_dedup_ranked(d, &ranked);
	assert_int_equal(n, 7);
	/* Severity first: scheduling while atomic and sleeping function (90), then by count. */
	assert_int_equal(ranked[0]->first->kind, KS_KIND_SCHEDULE_WHILE_ATOMIC);
	assert_int_equal(ranked[0]->count, 2);
	assert_int_equal(ranked[0]->first->first_lineno, 12);
	assert_int_equal(ranked[0]->last_lineno, 12);
	assert_int_equal(ranked[0]->last_source, 1);
	/* Equal severity and count: first seen first, by input then line. */
	assert_int_equal(ranked[1]->first->a.signature, 0x21);
	assert_int_equal(ranked[2]->first->a.signature, 0x20);
	assert_int_equal(ranked[2]->first->kind, KS_KIND_SLEEP_IN_ATOMIC);
	assert_int_equal(ranked[3]->first->a.signature, 0x22);
	assert_int_equal(ranked[3]->first->source, 1);
	for (size_t i = 1; i < 4; i++)
		assert_int_equal(ranked[i]->count, 1);
	assert_int_equal(ranked[4]->first->kind, KS_KIND_INVALID_WAIT_CONTEXT);
	assert_int_equal(ranked[5]->first->kind, KS_KIND_SMP_PROCESSOR_ID);
	/* The most frequent is last: it is the least severe. */
	assert_int_equal(ranked[6]->first->kind, KS_KIND_WARNING);
	assert_ptr_equal(ranked[6]->first, w1);
	assert_int_equal(ranked[6]->count, 3);
	assert_int_equal(ranked[6]->last_lineno, 50);
	assert_int_equal(ranked[6]->last_source, 1);

	/* Asking again gives the same order. */
	assert_int_equal(ks_dedup_ranked(d, &ranked), 7);
	assert_int_equal(ranked[0]->first->kind, KS_KIND_SCHEDULE_WHILE_ATOMIC);
	assert_ptr_equal(ranked[6]->first, w1);
	ks_dedup_free(d);
}

/* The title is a step of its own: the findings are whole without it. */
static void test_title_is_a_step(void **state)
{
	struct fx *f = *state;
	struct ks_report *r = assemble_lines(f, kmalloc_report, KS_ARRAY_SIZE(kmalloc_report));

	assert_int_equal(ks_analyze_findings(r), 0);
	assert_null(r->a.title);
	assert_str(r->a.culprit->func, "faulty_function");
	assert_str(r->a.headline, "BUG: sleeping function called from invalid context in faulty_function");
	assert_int_not_equal(r->a.signature, 0);
	assert_int_equal(ks_analyze_title(f->syz, r), 0);
	assert_str(r->a.title, "BUG: sleeping function called from invalid context in faulty_function");
	assert_false(r->a.corrupted);
	ks_report_free(r);
}

/* Whether a report would only be counted: its group is kept already. */
static void test_dedup_has(void **state)
{
	struct ks_dedup *d;
	struct ks_report *a = seen(KS_KIND_WARNING, 0x10, 0, 1), *b = seen(KS_KIND_WARNING, 0x10, 0, 9);
	struct ks_report *other = seen(KS_KIND_SLEEP_IN_ATOMIC, 0x10, 0, 20);

	(void)state;
	assert_int_equal(ks_dedup_new(100, &d), 0);
	assert_false(ks_dedup_has(d, a));
	assert_int_equal(ks_dedup_add(d, a), 0);
	assert_true(ks_dedup_has(d, b));
	/* The same signature of another kind is another group. */
	assert_false(ks_dedup_has(d, other));
	ks_report_free(b);
	ks_report_free(other);
	ks_dedup_free(d);
}

static void test_dedup_count_breaks_severity_ties(void **state)
{
	const struct ks_dedup_entry *const *ranked;
	struct ks_dedup *d;

	(void)state;
	assert_int_equal(ks_dedup_new(10, &d), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_WARNING, 1, 0, 1)), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_WARNING, 2, 0, 2)), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_WARNING, 2, 0, 3)), 0);
	assert_int_equal(ks_dedup_ranked(d, &ranked), 2);
	assert_int_equal(ranked[0]->first->a.signature, 2);
	assert_int_equal(ranked[0]->count, 2);
	assert_int_equal(ranked[1]->first->a.signature, 1);
	ks_dedup_free(d);
}

static void test_dedup_signature_cap(void **state)
{
	const struct ks_dedup_entry *const *ranked;
	struct ks_dedup *d;

	(void)state;
	assert_int_equal(ks_dedup_new(2, &d), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_WARNING, 1, 0, 1)), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_WARNING, 2, 0, 2)), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_SLEEP_IN_ATOMIC, 3, 0, 3)), 0);
	assert_int_equal(ks_dedup_dropped(d), 1);
	/* Duplicates of kept signatures still count; the dropped one stays dropped. */
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_WARNING, 1, 0, 4)), 0);
	assert_int_equal(ks_dedup_add(d, seen(KS_KIND_SLEEP_IN_ATOMIC, 3, 0, 5)), 0);
	assert_int_equal(ks_dedup_dropped(d), 2);
	assert_int_equal(ks_dedup_total(d), 5);
	assert_int_equal(ks_dedup_ranked(d, &ranked), 2);
	assert_int_equal(ranked[0]->first->a.signature, 1);
	assert_int_equal(ranked[0]->count, 2);
	assert_int_equal(ranked[1]->first->a.signature, 2);
	assert_int_equal(ranked[1]->count, 1);
	ks_dedup_free(d);
}

/* rig bad_unlock with its release site printed as a bare address (no kallsyms). */
static const char *const bad_unlock_bare_site[] = {
	"WARNING: bad unlock balance detected!",
	"6.1.192 #2 Tainted: G           O      ",
	"-------------------------------------",
	"insmod/39 is trying to release lock (splat_never_locked) at:",
	"[<ffffffffc0000400>] 0xffffffffc0000400",
	"but there are no more locks to release!",
	"",
	"other info that might help us debug this:",
	"no locks held by insmod/39.",
	"",
	"stack backtrace:",
	"CPU: 1 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" lock_release+0x10e/0x1f0",
	" __mutex_unlock_slowpath+0x25/0x1dd",
	" 0xffffffffc0000400",
	" splat_init+0x283/0x1000 [splatmod]",
	" do_one_initcall+0xa2/0x1bd",
	" </TASK>",
};

static void test_bad_unlock_bare_site(void **state)
{
	struct ks_report *r = ANALYZE(*state, bad_unlock_bare_site);

	/* The site names no function: no culprit from it, nor the unlock machinery after it. */
	assert_non_null(r->site);
	assert_null(r->site->func);
	assert_non_null(r->a.culprit);
	assert_str(r->a.culprit->func, "splat_init");
	assert_str(r->a.lock->name, "splat_never_locked");
	ks_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kmalloc_under_spinlock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mutex_under_spinlock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msleep_scheduling_while_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_irqs_off_no_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preempt_off_no_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preempt_off_old_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rcu_read_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spinlock_from_preempt_site, setup, teardown),
		cmocka_unit_test_setup_teardown(test_softirq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hardirq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_choice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreliable_frames_never_culprit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_report_is_corrupted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_wait_context, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_wait_spin_in_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_smp_processor_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signature, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_unlock_bare_site, setup, teardown),
		cmocka_unit_test(test_dedup_ranking),
		cmocka_unit_test(test_dedup_has),
		cmocka_unit_test_setup_teardown(test_title_is_a_step, setup, teardown),
		cmocka_unit_test(test_dedup_count_breaks_severity_ties),
		cmocka_unit_test(test_dedup_signature_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
