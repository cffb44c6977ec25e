// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Lines to reports: where a report ends (</TASK>, the first line that is no
 * trace line, the end marker), reports of two callers printed at once, a
 * report nested in another, KERN_CONT pieces of a held-lock line, reports
 * told apart by timestamps when there are no caller ids, and the limits that
 * close a report early (line budget, open reports, time gap, end of input).
 * The inputs are message lines with the envelope removed, modelled on the rig
 * logs (logs/orc-nokaslr, orc-kaslr).
 */
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>

#include "ksplat/assemble.h"
#include "ksplat/detect.h"
#include "ksplat/envelope.h"
#include "ksplat/report.h"
#include "ksplat/util.h"

#define assert_str(a, b)                     \
	do {                                 \
		const char *a_ = (a);        \
		assert_non_null(a_);         \
		assert_string_equal(a_, (b)); \
	} while (0)

#define MS UINT64_C(1000000)
#define SEC UINT64_C(1000000000)

static const char input_name[] = "dmesg.log";

struct fx {
	struct ks_detect *det;
	struct ks_assemble *as;
	uint64_t lineno;
};

static void fx_limits(struct fx *f, uint32_t max_open, uint32_t max_lines, uint64_t gap_ns)
{
	struct ks_assemble_limits lim = {
		.max_open = max_open, .max_lines = max_lines, .arena_cap = 256 * 1024, .gap_ns = gap_ns,
	};

	ks_assemble_free(f->as);
	f->as = NULL;
	assert_int_equal(ks_assemble_new(&lim, f->det, &f->as), 0);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct ks_assemble_limits lim = {
		.max_open = 32, .max_lines = 1000, .arena_cap = 256 * 1024, .gap_ns = 10 * SEC,
	};

	if (!f || ks_detect_new(&f->det) < 0 || ks_assemble_new(&lim, f->det, &f->as) < 0) {
		if (f)
			ks_detect_free(f->det);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ks_assemble_free(f->as);
	ks_detect_free(f->det);
	free(f);
	return 0;
}

static void feed_line(struct fx *f, uint32_t source, const char *text, uint64_t ts,
		      uint8_t caller_type, uint32_t caller, uint16_t flags)
{
	struct ks_line l;

	memset(&l, 0, sizeof(l));
	l.text = text;
	l.len = strlen(text);
	l.ts_ns = ts;
	l.caller = caller;
	l.caller_type = caller_type;
	l.level = -1;
	l.env = KS_ENV_DMESG;
	l.flags = flags;
	l.lineno = ++f->lineno;
	assert_int_equal(ks_assemble_feed(f->as, &l, source, input_name), 0);
}

/* A line printed by task @pid ("[  T39]"). */
static void feed_task(struct fx *f, const char *text, uint64_t ts, uint32_t pid)
{
	feed_line(f, 0, text, ts, KS_CALLER_TASK, pid, 0);
}

/* Lines [from, to) of @lines by task @pid, 100 us apart from @ts. */
static void feed_task_range(struct fx *f, const char *const *lines, size_t from, size_t to,
			    uint64_t ts, uint32_t pid)
{
	for (size_t i = from; i < to; i++)
		feed_task(f, lines[i], ts + i * 100000, pid);
}

static void assert_frame(const struct ks_frame *fr, const char *func, const char *module,
			 uint64_t off, uint64_t size, uint16_t flags)
{
	if (func)
		assert_str(fr->func, func);
	else
		assert_null(fr->func);
	if (module)
		assert_str(fr->module, module);
	else
		assert_null(fr->module);
	assert_int_equal(fr->off, off);
	assert_int_equal(fr->size, size);
	assert_int_equal(fr->flags, flags);
}

static void assert_lines(const struct ks_report *r, const char *const *want, size_t n)
{
	assert_int_equal(r->lines.n, n);
	for (size_t i = 0; i < n; i++)
		assert_str(r->lines.v[i], want[i]);
}

/* orc-nokaslr/atomic_kmalloc: kmalloc() under a spinlock, x86 with <TASK> markers. */
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
	"Code: 08 89 e8 5b 5d c3 66 2e 0f 1f 84 00 00 00 00 00 90 48 89 f8 0f 05 <48> 3d 01 f0 ff ff 73 01 c3",
	"RSP: 002b:00007ffd2e32e138 EFLAGS: 00000246 ORIG_RAX: 0000000000000139",
	"RAX: ffffffffffffffda RBX: 000000002b1e0040 RCX: 000000000047fbe9",
	"R13: 000000002b1deb50 R14: 0000000000000000 R15: 0000000000000000",
	" </TASK>",
};
#define KMALLOC_N KS_ARRAY_SIZE(kmalloc_report)

static void test_complete_report_ends_at_task_end(void **state)
{
	struct fx *f = *state;
	const uint64_t ts = 2790302 * UINT64_C(1000);
	struct ks_report *r;

	feed_task_range(f, kmalloc_report, 0, KMALLOC_N - 1, ts, 39);
	assert_null(ks_assemble_pop(f->as));
	feed_task(f, kmalloc_report[KMALLOC_N - 1], ts + (KMALLOC_N - 1) * 100000, 39);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_null(ks_assemble_pop(f->as));

	assert_int_equal(r->kind, KS_KIND_SLEEP_IN_ATOMIC);
	assert_int_equal(r->flags, 0);
	assert_int_equal(r->source, 0);
	assert_ptr_equal(r->input, input_name);
	assert_int_equal(r->caller, 39);
	assert_int_equal(r->caller_type, KS_CALLER_TASK);
	assert_int_equal(r->first_lineno, 1);
	assert_int_equal(r->last_lineno, KMALLOC_N);
	assert_int_equal(r->first_ns, ts);
	assert_int_equal(r->last_ns, ts + (KMALLOC_N - 1) * 100000);
	assert_str(r->header, kmalloc_report[0]);
	assert_str(r->header_file, "include/linux/sched/mm.h");
	assert_int_equal(r->header_line, 274);

	/* The context fields. */
	assert_int_equal(r->in_atomic, 1);
	assert_int_equal(r->irqs_disabled, 0);
	assert_int_equal(r->non_block, 0);
	assert_int_equal(r->pid, 39);
	assert_str(r->comm, "insmod");
	assert_int_equal(r->preempt_count, 1);
	assert_int_equal(r->preempt_expected, 0);
	assert_int_equal(r->rcu_depth, 0);
	assert_int_equal(r->cpu, 0);
	assert_str(r->kernel, "6.1.192");
	assert_null(r->hardware);
	assert_null(r->pc); /* the RIP: of user mode is no kernel PC */
	/* "[<0000000000000000>] 0x0": a placeholder, no site with a function. */
	assert_true(r->preempt_site == NULL || r->preempt_site->func == NULL);

	/* The held lock. */
	assert_str(r->held_by, "insmod/39");
	assert_int_equal(r->held.n, 1);
	assert_str(r->held.v[0].name, "my_lock");
	assert_str(r->held.v[0].usage, "+.+.");
	assert_int_equal(r->held.v[0].addr, UINT64_C(0xffffffffc00026b8));
	assert_int_equal(r->held.v[0].depth, 0);
	assert_int_equal(r->held.v[0].wait_outer, 3);
	assert_int_equal(r->held.v[0].wait_inner, 3);
	assert_true(r->held.v[0].has_at);
	assert_frame(&r->held.v[0].at, "faulty_function", "splatmod", 0xd, 0x4c, 0);
	assert_null(r->acquiring);

	/* The trace: reliable and "?" frames, a raw address, all on the task stack. */
	assert_int_equal(r->trace.n, 14);
	assert_frame(&r->trace.v[0], "dump_stack_lvl", NULL, 0x4c, 0x5f, 0);
	assert_frame(&r->trace.v[1], "__might_resched", NULL, 0x250, 0x273, 0);
	assert_frame(&r->trace.v[2], "faulty_function", "splatmod", 0x23, 0x4c, KS_FRAME_UNRELIABLE);
	assert_frame(&r->trace.v[3], "slab_pre_alloc_hook.constprop.0", NULL, 0x32, 0x4d, 0);
	assert_frame(&r->trace.v[5], "kmalloc_trace", NULL, 0x1f, 0x49, 0);
	assert_frame(&r->trace.v[6], "faulty_function", "splatmod", 0x23, 0x4c, 0);
	assert_frame(&r->trace.v[7], "splat_init", "splatmod", 0xd7, 0x1000, 0);
	assert_frame(&r->trace.v[8], NULL, NULL, 0, 0, KS_FRAME_UNRELIABLE);
	assert_int_equal(r->trace.v[8].addr, UINT64_C(0xffffffffc0005000));
	assert_frame(&r->trace.v[13], "entry_SYSCALL_64_after_hwframe", NULL, 0x4b, 0xb5, 0);
	for (uint32_t i = 0; i < r->trace.n; i++)
		assert_int_equal(r->trace.v[i].section, KS_SEC_TASK);

	/* Every line of the report is kept, in order. */
	assert_lines(r, kmalloc_report, KMALLOC_N);
	ks_report_free(r);

	/* What follows belongs to no report. */
	feed_task(f, "splatmod: done", ts + SEC, 39);
	ks_assemble_flush(f->as);
	assert_null(ks_assemble_pop(f->as));
}

/* arm64: "Call trace:", no section markers; the dump ends with its last frame. */
static const char *const arm64_report[] = {
	"BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580",
	"in_atomic(): 1, irqs_disabled(): 128, non_block: 0, pid: 77, name: modprobe",
	"preempt_count: 1, expected: 0",
	"RCU nest depth: 0, expected: 0",
	"1 lock held by modprobe/77:",
	" #0: ffff000012345678 (&priv->lock){....}-{2:2}, at: foo_probe+0x24/0x90 [foo]",
	"irq event stamp: 1234",
	"hardirqs last  enabled at (1233): [<ffff800008123456>] _raw_spin_unlock_irqrestore+0x6c/0x70",
	"hardirqs last disabled at (1234): [<ffff800008123abc>] _raw_spin_lock_irqsave+0x84/0x90",
	"softirqs last  enabled at (1000): [<ffff800008010abc>] __do_softirq+0x4a0/0x5b0",
	"softirqs last disabled at (990): [<ffff800008020def>] ____do_softirq+0x18/0x24",
	"CPU: 2 PID: 77 Comm: modprobe Tainted: G        W  O       6.1.0 #1",
	"Hardware name: linux,dummy-virt (DT)",
	"Call trace:",
	" dump_backtrace+0xe4/0x140",
	" show_stack+0x20/0x30",
	" dump_stack_lvl+0x64/0x80",
	" __might_resched+0x1a0/0x1d0",
	" __mutex_lock+0x4c/0x480",
	" mutex_lock_nested+0x2c/0x40",
	" foo_probe+0x3c/0x90 [foo]",
	" do_one_initcall+0x50/0x1d0",
	" el0t_64_sync+0x18c/0x190",
};
#define ARM64_N KS_ARRAY_SIZE(arm64_report)

static void test_report_without_task_end(void **state)
{
	struct fx *f = *state;
	struct ks_report *r;

	feed_task_range(f, arm64_report, 0, ARM64_N, 5 * SEC, 77);
	/* The last frame could be followed by more: still open. */
	assert_null(ks_assemble_pop(f->as));
	feed_task(f, "foo: probe of 1 failed with error -5", 6 * SEC, 77);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_null(ks_assemble_pop(f->as));

	assert_int_equal(r->flags, 0);
	assert_lines(r, arm64_report, ARM64_N); /* the line after the trace is not the report's */
	assert_int_equal(r->last_lineno, ARM64_N);
	assert_int_equal(r->irqs_disabled, 128);
	assert_int_equal(r->pid, 77);
	assert_int_equal(r->cpu, 2);
	assert_str(r->comm, "modprobe");
	assert_str(r->hardware, "linux,dummy-virt (DT)");
	assert_str(r->kernel, "6.1.0");
	assert_non_null(r->irqs_off_site);
	assert_frame(r->irqs_off_site, "_raw_spin_lock_irqsave", NULL, 0x84, 0x90, 0);
	assert_int_equal(r->irqs_off_site->addr, UINT64_C(0xffff800008123abc));
	assert_int_equal(r->held.n, 1);
	assert_str(r->held.v[0].name, "&priv->lock");
	assert_int_equal(r->held.v[0].wait_inner, 2);
	assert_int_equal(r->trace.n, 9);
	assert_frame(&r->trace.v[0], "dump_backtrace", NULL, 0xe4, 0x140, 0);
	assert_frame(&r->trace.v[6], "foo_probe", "foo", 0x3c, 0x90, 0);
	assert_frame(&r->trace.v[8], "el0t_64_sync", NULL, 0x18c, 0x190, 0);
	for (uint32_t i = 0; i < r->trace.n; i++)
		assert_int_equal(r->trace.v[i].section, KS_SEC_NONE);
	ks_report_free(r);

	ks_assemble_flush(f->as);
	assert_null(ks_assemble_pop(f->as));
}

/* Without caller ids a stray line inside a trace does not end it; a run of them does. */
static void test_trace_tolerates_foreign_line_without_caller(void **state)
{
	struct fx *f = *state;
	struct ks_report *r;

	for (size_t i = 0; i < 18; i++)
		feed_line(f, 0, arm64_report[i], KS_TIME_NONE, KS_CALLER_NONE, 0, 0);
	feed_line(f, 0, "random: crng init done", KS_TIME_NONE, KS_CALLER_NONE, 0, 0);
	for (size_t i = 18; i < ARM64_N; i++)
		feed_line(f, 0, arm64_report[i], KS_TIME_NONE, KS_CALLER_NONE, 0, 0);
	assert_null(ks_assemble_pop(f->as));
	for (int i = 0; i < 10; i++)
		feed_line(f, 0, "foo: probing", KS_TIME_NONE, KS_CALLER_NONE, 0, 0);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_null(ks_assemble_pop(f->as));
	assert_int_equal(r->flags, 0);
	assert_int_equal(r->trace.n, 9);
	assert_frame(&r->trace.v[8], "el0t_64_sync", NULL, 0x18c, 0x190, 0);
	ks_report_free(r);
	ks_assemble_flush(f->as);
	assert_null(ks_assemble_pop(f->as));
}

/* orc-kaslr/concurrent: two CPUs in "scheduling while atomic" at once. */
static const char *const conc0[] = {
	"BUG: scheduling while atomic: splat_conc0/40/0x00000002",
	"1 lock held by splat_conc0/40:",
	" #0: ffffffffc0278098 (splat_conc_lock0){+.+.}-{3:3}, at: splat_conc_cpu0_sleep+0xc/0x22 [splatmod]",
	"Modules linked in: splatmod(O)",
	"Preemption disabled at:",
	"[<0000000000000000>] 0x0",
	"CPU: 0 PID: 40 Comm: splat_conc0 Tainted: G        W  O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __schedule_bug+0xb0/0xc1",
	" __schedule+0x98/0x528",
	" ? _raw_spin_unlock_irqrestore+0x34/0x47",
	" ? splat_conc_cpu1_sleep+0x22/0x22 [splatmod]",
	" schedule+0x71/0xa8",
	" schedule_timeout+0xb4/0xd6",
	" ? timer_shutdown_sync+0xa/0xa",
	" msleep+0x13/0x19",
	" splat_conc_cpu0_sleep+0x16/0x22 [splatmod]",
	" splat_conc_thread+0x24/0x33 [splatmod]",
	" kthread+0xdc/0xe4",
	" ? kthread_complete_and_exit+0x16/0x16",
	" ret_from_fork+0x1f/0x30",
	" </TASK>",
};

static const char *const conc1[] = {
	"BUG: scheduling while atomic: splat_conc1/41/0x00000002",
	"1 lock held by splat_conc1/41:",
	" #0: ffffffffc0278058 (splat_conc_lock1){+.+.}-{3:3}, at: splat_conc_cpu1_sleep+0xc/0x22 [splatmod]",
	"Modules linked in: splatmod(O)",
	"Preemption disabled at:",
	"[<0000000000000000>] 0x0",
	"CPU: 1 PID: 41 Comm: splat_conc1 Tainted: G        W  O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __schedule_bug+0xb0/0xc1",
	" __schedule+0x98/0x528",
	" ? _raw_spin_unlock_irqrestore+0x34/0x47",
	" ? splat_conc_cpu1_sleep+0x22/0x22 [splatmod]",
	" schedule+0x71/0xa8",
	" schedule_timeout+0xb4/0xd6",
	" ? timer_shutdown_sync+0xa/0xa",
	" msleep+0x13/0x19",
	" splat_conc_cpu1_sleep+0x16/0x22 [splatmod]",
	" splat_conc_thread+0x30/0x33 [splatmod]",
	" kthread+0xdc/0xe4",
	" ? kthread_complete_and_exit+0x16/0x16",
	" ret_from_fork+0x1f/0x30",
	" </TASK>",
};
#define CONC_N KS_ARRAY_SIZE(conc0)

static void assert_conc(const struct ks_report *r, int cpu)
{
	assert_int_equal(r->kind, KS_KIND_SCHEDULE_WHILE_ATOMIC);
	assert_str(r->comm, cpu ? "splat_conc1" : "splat_conc0");
	assert_int_equal(r->pid, cpu ? 41 : 40);
	assert_int_equal(r->cpu, cpu);
	assert_int_equal(r->in_atomic, 1);
	assert_int_equal(r->preempt_count, 2);
	assert_int_equal(r->held.n, 1);
	assert_str(r->held.v[0].name, cpu ? "splat_conc_lock1" : "splat_conc_lock0");
	assert_str(r->held.v[0].at.func, cpu ? "splat_conc_cpu1_sleep" : "splat_conc_cpu0_sleep");
	assert_int_equal(r->trace.n, 14);
	assert_frame(&r->trace.v[9], cpu ? "splat_conc_cpu1_sleep" : "splat_conc_cpu0_sleep",
		     "splatmod", 0x16, 0x22, 0);
	assert_frame(&r->trace.v[10], "splat_conc_thread", "splatmod", cpu ? 0x30 : 0x24, 0x33, 0);
	assert_lines(r, cpu ? conc1 : conc0, CONC_N);
}

static void test_two_callers_interleaved(void **state)
{
	struct fx *f = *state;
	struct ks_report *r0 = NULL, *r1;

	for (size_t i = 0; i < CONC_N; i++) {
		feed_task(f, conc0[i], 2300030 * UINT64_C(1000) + i * 10000, 40);
		if (i == CONC_N - 1) {
			r0 = ks_assemble_pop(f->as);
			assert_non_null(r0);
			assert_null(ks_assemble_pop(f->as));
		}
		feed_task(f, conc1[i], 2299305 * UINT64_C(1000) + i * 10000, 41);
	}
	r1 = ks_assemble_pop(f->as);
	assert_non_null(r1);
	assert_null(ks_assemble_pop(f->as));

	assert_conc(r0, 0);
	assert_conc(r1, 1);
	assert_int_equal(r0->caller, 40);
	assert_int_equal(r1->caller, 41);
	assert_int_equal(r0->first_lineno, 1);
	assert_int_equal(r1->first_lineno, 2);
	assert_int_equal(r0->last_lineno, 2 * CONC_N - 1);
	assert_int_equal(r1->last_lineno, 2 * CONC_N);
	/* Neither is nested in the other: they have different callers. */
	assert_int_equal(r0->flags & (KS_REP_NESTED | KS_REP_TRUNCATED | KS_REP_CUT), 0);
	assert_int_equal(r1->flags & (KS_REP_NESTED | KS_REP_TRUNCATED | KS_REP_CUT), 0);
	ks_report_free(r0);
	ks_report_free(r1);
}

/* The same lines from two inputs are two reports: the key includes the input. */
static void test_inputs_are_separate(void **state)
{
	struct fx *f = *state;
	struct ks_report *r[2];

	for (size_t i = 0; i < CONC_N; i++)
		for (uint32_t src = 0; src < 2; src++)
			feed_line(f, src, conc0[i], SEC + i * 1000, KS_CALLER_TASK, 40, 0);
	r[0] = ks_assemble_pop(f->as);
	r[1] = ks_assemble_pop(f->as);
	assert_non_null(r[0]);
	assert_non_null(r[1]);
	assert_null(ks_assemble_pop(f->as));
	for (uint32_t src = 0; src < 2; src++) {
		assert_int_equal(r[src]->source, src);
		assert_int_equal(r[src]->flags & (KS_REP_NESTED | KS_REP_TRUNCATED), 0);
		assert_conc(r[src], 0);
		ks_report_free(r[src]);
	}
}

/*
 * orc-nokaslr/invalid_wait_mutex: lockdep's Invalid wait context about the
 * console lock is printed right after the first line of a sleeping-function
 * report, whose held-lock list then says "INFO: lockdep is turned off.".
 */
static const char *const nested_report[] = {
	"BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580",
	"",
	"=============================",
	"[ BUG: Invalid wait context ]", /* 3: the inner report starts */
	"6.1.192 #2 Tainted: G           O      ",
	"-----------------------------",
	"insmod/39 is trying to lock:",
	"ffffffff825b65f8 (&port_lock_key){-...}-{3:3}, at: serial8250_console_write+0x71/0x341",
	"other info that might help us debug this:",
	"context-{5:5}",
	"3 locks held by insmod/39:",
	" #0: ffffffffc0002358 (splat_raw_lock){+.+.}-{2:2}, at: splat_raw_then_mutex+0xc/0x38 [splatmod]",
	" #1: ffffffff81913a40 (console_lock){+.+.}-{0:0}, at: vprintk_emit+0xac/0x1f8",
	" #2: ffffffff81833820 (console_owner){....}-{0:0}, at: console_emit_next_record.constprop.0+0x1a9/0x2b2",
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
	" console_unlock+0x89/0x15d",
	" vprintk_emit+0x1c8/0x1f8",
	" _printk+0x55/0x57",
	" __might_resched+0x163/0x273",
	" __mutex_lock+0x50/0x3c2",
	" splat_raw_then_mutex+0x1a/0x38 [splatmod]",
	" splat_init+0x266/0x1000 [splatmod]",
	" </TASK>", /* 32: the inner report ends */
	"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod",
	"preempt_count: 1, expected: 0",
	"RCU nest depth: 0, expected: 0",
	"INFO: lockdep is turned off.", /* 36 */
	"Preemption disabled at:",
	"[<0000000000000000>] 0x0",
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
	" do_one_initcall+0xa2/0x1bd",
	" </TASK>",
};
#define NESTED_N KS_ARRAY_SIZE(nested_report)
#define NESTED_INNER_FIRST 3
#define NESTED_INNER_LAST 32
#define NESTED_LOCKDEP_OFF 36
#define NESTED_OWN_LOCK \
	" #0: ffffffffc0002358 (splat_raw_lock){+.+.}-{2:2}, at: splat_raw_then_mutex+0xc/0x38 [splatmod]"

/* Feed nested_report, line @swap replaced by @with (NULL: dropped), @extra inserted after it. */
static void feed_nested(struct fx *f, size_t swap, const char *with, const char *extra,
			struct ks_report **inner, struct ks_report **outer)
{
	for (size_t i = 0; i < NESTED_N; i++) {
		const char *line = i == swap ? with : nested_report[i];
		uint64_t ts = 2201447 * UINT64_C(1000) + i * 50000;

		if (line)
			feed_task(f, line, ts, 39);
		if (i == swap && extra)
			feed_task(f, extra, ts + 1, 39);
		if (i == NESTED_INNER_LAST) {
			/* The inner report is complete at its own </TASK>. */
			*inner = ks_assemble_pop(f->as);
			assert_non_null(*inner);
			assert_null(ks_assemble_pop(f->as));
		}
	}
	*outer = ks_assemble_pop(f->as);
	assert_non_null(*outer);
	assert_null(ks_assemble_pop(f->as));
}

static void assert_inner(const struct ks_report *in)
{
	assert_int_equal(in->kind, KS_KIND_INVALID_WAIT_CONTEXT);
	assert_int_equal(in->flags, KS_REP_NESTED);
	assert_lines(in, nested_report + NESTED_INNER_FIRST, NESTED_INNER_LAST - NESTED_INNER_FIRST + 1);
	assert_str(in->held_by, "insmod/39");
	assert_non_null(in->acquiring);
	assert_str(in->acquiring->name, "&port_lock_key");
	assert_int_equal(in->acquiring->depth, -1);
	assert_int_equal(in->acquiring->wait_outer, 3);
	assert_int_equal(in->acquiring->wait_inner, 3);
	assert_frame(&in->acquiring->at, "serial8250_console_write", NULL, 0x71, 0x341, 0);
	assert_int_equal(in->context_outer, 5);
	assert_int_equal(in->context_inner, 5);
	assert_int_equal(in->held.n, 3);
	assert_str(in->held.v[0].name, "splat_raw_lock");
	assert_str(in->held.v[1].name, "console_lock");
	assert_str(in->held.v[2].name, "console_owner");
	assert_int_equal(in->pid, 39);
	assert_int_equal(in->trace.n, 14);
	assert_frame(&in->trace.v[0], "dump_stack_lvl", NULL, 0x4c, 0x5f, 0);
	assert_frame(&in->trace.v[5], "serial8250_console_write", NULL, 0x71, 0x341, 0);
	assert_frame(&in->trace.v[13], "splat_init", "splatmod", 0x266, 0x1000, 0);
}

static void assert_outer_common(const struct ks_report *out)
{
	assert_int_equal(out->kind, KS_KIND_SLEEP_IN_ATOMIC);
	assert_int_equal(out->flags & (KS_REP_NESTED | KS_REP_TRUNCATED | KS_REP_CUT), 0);
	assert_str(out->header, nested_report[0]);
	assert_int_equal(out->in_atomic, 1);
	assert_int_equal(out->pid, 39);
	assert_str(out->comm, "insmod");
	/* Its own trace, not the inner one's. */
	assert_int_equal(out->trace.n, 8);
	assert_frame(&out->trace.v[0], "dump_stack_lvl", NULL, 0x4c, 0x5f, 0);
	assert_frame(&out->trace.v[1], "__might_resched", NULL, 0x250, 0x273, 0);
	assert_frame(&out->trace.v[5], "splat_raw_then_mutex", "splatmod", 0x1a, 0x38, 0);
	assert_frame(&out->trace.v[7], "do_one_initcall", NULL, 0xa2, 0x1bd, 0);
}

/* The outer report's own lines, in order, are among its lines (the nested one's may be too). */
static void assert_outer_lines(const struct ks_report *out, size_t swap, const char *with, const char *extra)
{
	uint32_t k = 0;

	for (size_t i = 0; i < NESTED_N; i++) {
		const char *want[2] = { i == swap ? with : nested_report[i], i == swap ? extra : NULL };

		if (i >= NESTED_INNER_FIRST && i <= NESTED_INNER_LAST)
			continue;
		for (int w = 0; w < 2; w++) {
			if (!want[w])
				continue;
			while (k < out->lines.n && strcmp(out->lines.v[k], want[w]) != 0)
				k++;
			assert_true(k < out->lines.n);
			k++;
		}
	}
	assert_str(out->lines.v[out->lines.n - 1], " </TASK>");
}

static void test_nested_borrows_locks_with_lockdep_off(void **state)
{
	struct fx *f = *state;
	struct ks_report *in, *out;

	feed_nested(f, SIZE_MAX, NULL, NULL, &in, &out);
	assert_inner(in);
	/* Free the inner report first: the outer must own its copies of the locks. */
	ks_report_free(in);

	assert_outer_common(out);
	assert_int_equal(out->flags & KS_REP_LOCKS_FROM_NESTED, KS_REP_LOCKS_FROM_NESTED);
	assert_int_equal(out->held.n, 3);
	assert_str(out->held.v[0].name, "splat_raw_lock");
	assert_str(out->held.v[0].usage, "+.+.");
	assert_int_equal(out->held.v[0].wait_outer, 2);
	assert_int_equal(out->held.v[0].wait_inner, 2);
	assert_int_equal(out->held.v[0].addr, UINT64_C(0xffffffffc0002358));
	assert_frame(&out->held.v[0].at, "splat_raw_then_mutex", "splatmod", 0xc, 0x38, 0);
	assert_str(out->held.v[1].name, "console_lock");
	assert_str(out->held.v[2].name, "console_owner");
	assert_frame(&out->held.v[2].at, "console_emit_next_record.constprop.0", NULL, 0x1a9, 0x2b2, 0);
	assert_outer_lines(out, SIZE_MAX, NULL, NULL);
	ks_report_free(out);
}

static void test_nested_outer_keeps_own_locks(void **state)
{
	struct fx *f = *state;
	struct ks_report *in, *out;

	feed_nested(f, NESTED_LOCKDEP_OFF, "1 lock held by insmod/39:", NESTED_OWN_LOCK, &in, &out);
	assert_inner(in);
	ks_report_free(in);
	assert_outer_common(out);
	assert_int_equal(out->flags & KS_REP_LOCKS_FROM_NESTED, 0);
	assert_int_equal(out->held.n, 1);
	assert_str(out->held.v[0].name, "splat_raw_lock");
	assert_outer_lines(out, NESTED_LOCKDEP_OFF, "1 lock held by insmod/39:", NESTED_OWN_LOCK);
	ks_report_free(out);
}

/* Locks of a nested report of another task are not the outer report's. */
static void test_nested_other_task_lends_nothing(void **state)
{
	struct fx *f = *state;
	struct ks_report *in, *out;

	feed_nested(f, 15, "CPU: 0 PID: 77 Comm: kworker/0:1 Tainted: G           O       6.1.192 #2 ", NULL,
		    &in, &out);
	assert_int_equal(in->pid, 77);
	assert_int_equal(in->held.n, 3);
	ks_report_free(in);
	assert_int_equal(out->pid, 39);
	assert_int_equal(out->held.n, 0);
	assert_int_equal(out->flags & KS_REP_LOCKS_FROM_NESTED, 0);
	ks_report_free(out);
}

/*
 * orc-kaslr/concurrent: CPU 0's held-lock line arrives in KERN_CONT pieces
 * while CPU 1 prints its own report; with caller ids each piece finds its report.
 */
static const char *const split0[] = {
	"BUG: scheduling while atomic: splat_conc0/40/0x00000002",
	"1 lock held by splat_conc0/40:",
	" #0: ",
	"ffffffffc0278098",
	" (",
	"splat_conc_lock0",
	"){+.+.}-{3:3}, at: f+0xc/0x22 [m]",
	"Modules linked in:",
	" splatmod(O)",
	"",
	"Preemption disabled at:",
	"[<0000000000000000>] 0x0",
	"CPU: 0 PID: 40 Comm: splat_conc0 Tainted: G        W  O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" msleep+0x13/0x19",
	" splat_conc_cpu0_sleep+0x16/0x22 [splatmod]",
	" </TASK>",
};

static const char *const split1[] = {
	"BUG: scheduling while atomic: splat_conc1/41/0x00000002",
	"1 lock held by splat_conc1/41:",
	" #0: ffffffffc0278058",
	" (splat_conc_lock1){+.+.}-{3:3}, at: splat_conc_cpu1_sleep+0xc/0x22 [splatmod]",
	"Modules linked in: splatmod(O)",
	"Preemption disabled at:",
	"[<0000000000000000>] 0x0",
	"CPU: 1 PID: 41 Comm: splat_conc1 Tainted: G        W  O       6.1.192 #2 ",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" msleep+0x13/0x19",
	" splat_conc_cpu1_sleep+0x16/0x22 [splatmod]",
	" </TASK>",
};

static void test_split_held_lock_line(void **state)
{
	struct fx *f = *state;
	struct ks_report *r0 = NULL, *r1 = NULL, *r;
	size_t n0 = KS_ARRAY_SIZE(split0), n1 = KS_ARRAY_SIZE(split1);

	for (size_t i = 0; i < n0 || i < n1; i++) {
		if (i < n0)
			feed_task(f, split0[i], 2300030 * UINT64_C(1000) + i * 10000, 40);
		if (i < n1)
			feed_task(f, split1[i], 2299305 * UINT64_C(1000) + i * 10000, 41);
	}
	while ((r = ks_assemble_pop(f->as))) {
		if (r->caller == 40)
			r0 = r;
		else
			r1 = r;
	}
	assert_non_null(r0);
	assert_non_null(r1);

	assert_int_equal(r0->held.n, 1);
	assert_str(r0->held.v[0].name, "splat_conc_lock0");
	assert_str(r0->held.v[0].usage, "+.+.");
	assert_int_equal(r0->held.v[0].addr, UINT64_C(0xffffffffc0278098));
	assert_int_equal(r0->held.v[0].depth, 0);
	assert_int_equal(r0->held.v[0].wait_outer, 3);
	assert_int_equal(r0->held.v[0].wait_inner, 3);
	assert_true(r0->held.v[0].has_at);
	assert_frame(&r0->held.v[0].at, "f", "m", 0xc, 0x22, 0);
	/* The pieces are the report's lines, as printed. */
	assert_lines(r0, split0, KS_ARRAY_SIZE(split0));
	assert_int_equal(r0->trace.n, 3);
	assert_int_equal(r0->flags & (KS_REP_TRUNCATED | KS_REP_CUT), 0);

	assert_int_equal(r1->held.n, 1);
	assert_str(r1->held.v[0].name, "splat_conc_lock1");
	assert_int_equal(r1->held.v[0].addr, UINT64_C(0xffffffffc0278058));
	assert_frame(&r1->held.v[0].at, "splat_conc_cpu1_sleep", "splatmod", 0xc, 0x22, 0);
	assert_lines(r1, split1, KS_ARRAY_SIZE(split1));
	assert_int_equal(r1->trace.n, 3);
	ks_report_free(r0);
	ks_report_free(r1);
}

/* A lock line whose site never comes is kept without it. */
static void test_split_held_lock_without_site(void **state)
{
	struct fx *f = *state;
	struct ks_report *r;

	feed_task(f, split0[0], SEC, 40);
	feed_task(f, split0[1], SEC + 1, 40);
	feed_task(f, " #0: ffffffffc0278098 (splat_conc_lock0){+.+.}-{3:3}", SEC + 2, 40);
	feed_task(f, "Modules linked in: splatmod(O)", SEC + 3, 40);
	feed_task(f, "CPU: 0 PID: 40 Comm: splat_conc0 Tainted: G        W  O       6.1.192 #2 ", SEC + 4, 40);
	ks_assemble_flush(f->as);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_int_equal(r->held.n, 1);
	assert_str(r->held.v[0].name, "splat_conc_lock0");
	assert_int_equal(r->held.v[0].wait_inner, 3);
	assert_false(r->held.v[0].has_at);
	assert_int_equal(r->cpu, 0);
	assert_int_equal(r->pid, 40);
	assert_int_equal(r->lines.n, 5);
	ks_report_free(r);
}

/*
 * fp-nokaslr/concurrent: no caller ids. Both reports are open at once and
 * their lines alternate; each CPU's timestamps rise, CPU 1's lag behind.
 */
static void test_no_caller_ids_split_by_timestamps(void **state)
{
	struct fx *f = *state;
	struct ks_report *r0 = NULL, *r1 = NULL, *r;

	feed_line(f, 0, conc0[0], 2300030 * UINT64_C(1000), KS_CALLER_NONE, 0, 0);
	feed_line(f, 0, conc1[0], 2299305 * UINT64_C(1000), KS_CALLER_NONE, 0, 0);
	for (size_t i = 1; i < CONC_N; i++) {
		feed_line(f, 0, conc0[i], 2300551 * UINT64_C(1000) + i * 10000, KS_CALLER_NONE, 0, 0);
		feed_line(f, 0, conc1[i], 2299540 * UINT64_C(1000) + i * 10000, KS_CALLER_NONE, 0, 0);
	}
	while ((r = ks_assemble_pop(f->as))) {
		assert_true(r->pid == 40 || r->pid == 41);
		if (r->pid == 40)
			r0 = r;
		else
			r1 = r;
	}
	assert_non_null(r0);
	assert_non_null(r1);
	ks_assemble_flush(f->as);
	assert_null(ks_assemble_pop(f->as));

	assert_conc(r0, 0);
	assert_conc(r1, 1);
	assert_int_equal(r0->caller_type, KS_CALLER_NONE);
	assert_int_equal(r0->flags & KS_REP_INTERLEAVED, KS_REP_INTERLEAVED);
	assert_int_equal(r1->flags & KS_REP_INTERLEAVED, KS_REP_INTERLEAVED);
	assert_int_equal(r0->flags & (KS_REP_TRUNCATED | KS_REP_CUT), 0);
	assert_int_equal(r1->flags & (KS_REP_TRUNCATED | KS_REP_CUT), 0);
	ks_report_free(r0);
	ks_report_free(r1);
}

static void test_line_budget_cuts(void **state)
{
	struct fx *f = *state;
	struct ks_report *r;

	/* Cut inside the trace. */
	fx_limits(f, 32, 12, 10 * SEC);
	feed_task_range(f, kmalloc_report, 0, 12, SEC, 39);
	assert_null(ks_assemble_pop(f->as));
	feed_task_range(f, kmalloc_report, 12, KMALLOC_N, SEC, 39);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_null(ks_assemble_pop(f->as));
	assert_int_equal(r->flags, KS_REP_CUT);
	assert_lines(r, kmalloc_report, 12);
	assert_int_equal(r->pid, 39);
	assert_int_equal(r->held.n, 1);
	ks_report_free(r);
	ks_assemble_flush(f->as);
	assert_null(ks_assemble_pop(f->as));

	/* Cut before the trace: also truncated. */
	fx_limits(f, 32, 3, 10 * SEC);
	feed_task_range(f, kmalloc_report, 0, KMALLOC_N, SEC, 39);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_null(ks_assemble_pop(f->as));
	assert_int_equal(r->flags, KS_REP_CUT | KS_REP_TRUNCATED);
	assert_lines(r, kmalloc_report, 3);
	ks_report_free(r);
	ks_assemble_flush(f->as);
	assert_null(ks_assemble_pop(f->as));
}

static void test_flush_truncates_before_trace(void **state)
{
	struct fx *f = *state;
	struct ks_report *r;

	feed_task_range(f, kmalloc_report, 0, 4, SEC, 39);
	assert_null(ks_assemble_pop(f->as));
	ks_assemble_flush(f->as);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_null(ks_assemble_pop(f->as));
	assert_int_equal(r->flags, KS_REP_TRUNCATED);
	assert_lines(r, kmalloc_report, 4);
	assert_int_equal(r->pid, 39);
	assert_int_equal(r->preempt_count, 1);
	assert_int_equal(r->trace.n, 0);
	ks_report_free(r);

	/* Header only. */
	feed_task(f, kmalloc_report[0], 2 * SEC, 39);
	ks_assemble_flush(f->as);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_int_equal(r->flags, KS_REP_TRUNCATED);
	assert_int_equal(r->lines.n, 1);
	assert_int_equal(r->pid, -1);
	assert_int_equal(r->in_atomic, -1);
	ks_report_free(r);
}

static void test_max_open_closes_oldest(void **state)
{
	struct fx *f = *state;
	struct ks_report *r;

	fx_limits(f, 1, 1000, 10 * SEC);
	feed_task_range(f, conc0, 0, 4, SEC, 40);
	assert_null(ks_assemble_pop(f->as));
	feed_task(f, conc1[0], SEC + 5000000, 41);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_null(ks_assemble_pop(f->as));
	assert_int_equal(r->caller, 40);
	assert_str(r->comm, "splat_conc0");
	assert_int_equal(r->flags & KS_REP_CUT, KS_REP_CUT);
	assert_lines(r, conc0, 4);
	ks_report_free(r);

	/* The second report is assembled whole; the first one's late lines are dropped. */
	for (size_t i = 1; i < CONC_N; i++) {
		feed_task(f, conc1[i], 2 * SEC + i * 1000, 41);
		if (i + 4 < CONC_N)
			feed_task(f, conc0[i + 4], 2 * SEC + i * 1000 + 1, 40);
	}
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_null(ks_assemble_pop(f->as));
	assert_int_equal(r->flags, 0);
	assert_conc(r, 1);
	ks_report_free(r);
	ks_assemble_flush(f->as);
	assert_null(ks_assemble_pop(f->as));
}

static void test_time_gap_closes(void **state)
{
	struct fx *f = *state;
	struct ks_report *r;

	fx_limits(f, 32, 1000, SEC);
	for (size_t i = 0; i < 5; i++)
		feed_task(f, kmalloc_report[i], SEC + i * 100 * MS, 39);
	/* Another task's clock does not close this report. */
	feed_task(f, "random: crng init done", 7 * SEC, 41);
	assert_null(ks_assemble_pop(f->as));
	/* 0.9 s after the last line: within the gap. */
	feed_task(f, kmalloc_report[5], SEC + 1300 * MS, 39);
	assert_null(ks_assemble_pop(f->as));
	/* 1.7 s later: the report was over before this line. */
	feed_task(f, kmalloc_report[6], SEC + 3000 * MS, 39);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_null(ks_assemble_pop(f->as));
	assert_int_equal(r->flags, KS_REP_TRUNCATED);
	assert_lines(r, kmalloc_report, 6);
	assert_int_equal(r->held.n, 1);
	assert_int_equal(r->last_ns, SEC + 1300 * MS);
	ks_report_free(r);
	ks_assemble_flush(f->as);
	assert_null(ks_assemble_pop(f->as));
}

static void test_user_lines_ignored(void **state)
{
	struct fx *f = *state;
	struct ks_report *r;

	for (size_t i = 0; i < KMALLOC_N; i++) {
		feed_task(f, kmalloc_report[i], SEC + i * 1000, 39);
		if (i == 3)
			feed_line(f, 0, "BUG: sleeping function called from invalid context at fake.c:1",
				  SEC + i * 1000 + 1, KS_CALLER_TASK, 39, KS_LINE_USER);
		if (i == 15)
			feed_line(f, 0, "systemd-udevd[123]: Using default interface naming scheme",
				  SEC + i * 1000 + 1, KS_CALLER_TASK, 39, KS_LINE_USER);
	}
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_null(ks_assemble_pop(f->as));
	assert_int_equal(r->flags, 0);
	assert_lines(r, kmalloc_report, KMALLOC_N);
	assert_int_equal(r->trace.n, 14);
	ks_report_free(r);

	/* A user line alone starts nothing. */
	feed_line(f, 0, kmalloc_report[0], 2 * SEC, KS_CALLER_TASK, 39, KS_LINE_USER);
	ks_assemble_flush(f->as);
	assert_null(ks_assemble_pop(f->as));
}

/* orc-kaslr/concurrent: a WARNING ends at its end marker, not at </TASK>. */
static const char *const warning_report[] = {
	"WARNING: CPU: 0 PID: 40 at splatmod/splatmod.c:334 splat_conc_cpu0_warn+0x0/0x3 [splatmod]",
	"Modules linked in: splatmod(O)",
	"CPU: 0 PID: 40 Comm: splat_conc0 Tainted: G           O       6.1.192 #2 ",
	"RIP: 0010:splat_conc_cpu0_warn+0x0/0x3 [splatmod]",
	"Code: 48 c7 c7 00 84 27 c0 e9 ed 93 78 f6 <0f> 0b c3",
	"RSP: 0018:ffff970c80ca3f10 EFLAGS: 00000246",
	"RAX: 0000000000000001 RBX: ffff970c80353200 RCX: ffff970c80ca3ea4",
	"Call Trace:",
	" <TASK>",
	" splat_conc_thread+0x1f/0x33 [splatmod]",
	" kthread+0xdc/0xe4",
	" ? kthread_complete_and_exit+0x16/0x16",
	" ret_from_fork+0x1f/0x30",
	" </TASK>",
	"irq event stamp: 229",
	"hardirqs last disabled at (244): [<ffffffffb687ca45>] console_emit_next_record.constprop.0+0x16b/0x2b2",
	"---[ end trace 0000000000000000 ]---",
};

static void test_warning_ends_at_marker(void **state)
{
	struct fx *f = *state;
	size_t n = KS_ARRAY_SIZE(warning_report);
	struct ks_report *r;

	feed_task_range(f, warning_report, 0, n - 1, SEC, 40);
	assert_null(ks_assemble_pop(f->as));
	feed_task(f, warning_report[n - 1], 2 * SEC, 40);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_int_equal(r->kind, KS_KIND_WARNING);
	assert_int_equal(r->flags, 0);
	assert_str(r->what, "splatmod/splatmod.c:334");
	assert_int_equal(r->cpu, 0);
	assert_int_equal(r->pid, 40);
	assert_non_null(r->pc);
	assert_frame(r->pc, "splat_conc_cpu0_warn", "splatmod", 0, 0x3, KS_FRAME_PC);
	assert_int_equal(r->trace.n, 4);
	assert_frame(&r->trace.v[0], "splat_conc_thread", "splatmod", 0x1f, 0x33, 0);
	assert_lines(r, warning_report, n);
	ks_report_free(r);
}

/* orc-kaslr/concurrent: "cut here" and the WARN message come before the WARNING line. */
static const char *const cut_here_report[] = {
	"------------[ cut here ]------------",
	"DEBUG_LOCKS_WARN_ON(val > preempt_count())",
	"WARNING: CPU: 0 PID: 40 at kernel/sched/core.c:5750 preempt_count_sub+0x45/0x89",
	"Modules linked in: splatmod(O)",
	"CPU: 0 PID: 40 Comm: splat_conc0 Tainted: G        W  O       6.1.192 #2 ",
	"RIP: 0010:preempt_count_sub+0x45/0x89",
	"RSP: 0018:ffff970c80ca3ef8 EFLAGS: 00000292",
	"Call Trace:",
	" <TASK>",
	" _raw_spin_unlock+0x1e/0x31",
	" splat_conc_cpu0_sleep+0x1c/0x22 [splatmod]",
	" splat_conc_thread+0x24/0x33 [splatmod]",
	" kthread+0xdc/0xe4",
	" ret_from_fork+0x1f/0x30",
	" </TASK>",
	"---[ end trace 0000000000000000 ]---",
};

static void test_cut_here_prelude(void **state)
{
	struct fx *f = *state;
	size_t n = KS_ARRAY_SIZE(cut_here_report);
	struct ks_report *r;

	feed_task_range(f, cut_here_report, 0, n, SEC, 40);
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	assert_null(ks_assemble_pop(f->as));
	assert_int_equal(r->kind, KS_KIND_WARNING);
	assert_int_equal(r->flags, 0);
	assert_str(r->header, cut_here_report[2]);
	assert_int_equal(r->header_index, 2);
	assert_lines(r, cut_here_report, n);
	assert_str(r->what, "kernel/sched/core.c:5750");
	assert_int_equal(r->pid, 40);
	assert_non_null(r->pc);
	assert_frame(r->pc, "preempt_count_sub", NULL, 0x45, 0x89, KS_FRAME_PC);
	assert_int_equal(r->trace.n, 5);
	assert_frame(&r->trace.v[1], "splat_conc_cpu0_sleep", "splatmod", 0x1c, 0x22, 0);
	ks_report_free(r);

	/* "cut here" that nothing follows is no report. */
	feed_task(f, cut_here_report[0], 3 * SEC, 40);
	feed_task(f, "splatmod: done", 3 * SEC + 1, 40);
	ks_assemble_flush(f->as);
	assert_null(ks_assemble_pop(f->as));
}

/* Idle (lines may be skipped) only with no report open, none waiting, no prelude pending. */
static void test_idle(void **state)
{
	struct fx *f = *state;
	size_t n = KS_ARRAY_SIZE(cut_here_report);
	struct ks_report *r;

	assert_true(ks_assemble_idle(f->as));
	feed_task(f, "usb 1-1: new high-speed USB device number 2", SEC, 40);
	assert_true(ks_assemble_idle(f->as));
	feed_task_range(f, cut_here_report, 0, 1, SEC, 40);
	assert_false(ks_assemble_idle(f->as));
	feed_task_range(f, cut_here_report, 1, n - 1, SEC, 40);
	assert_false(ks_assemble_idle(f->as));
	feed_task_range(f, cut_here_report, n - 1, n, SEC, 40);
	assert_false(ks_assemble_idle(f->as)); /* closed, not yet taken */
	r = ks_assemble_pop(f->as);
	assert_non_null(r);
	ks_report_free(r);
	assert_true(ks_assemble_idle(f->as));
	/* A prelude with nothing after it is dropped: idle again. */
	feed_task_range(f, cut_here_report, 0, 1, 2 * SEC, 40);
	ks_assemble_flush(f->as);
	assert_null(ks_assemble_pop(f->as));
	assert_true(ks_assemble_idle(f->as));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_complete_report_ends_at_task_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_without_task_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_tolerates_foreign_line_without_caller, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_callers_interleaved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inputs_are_separate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_borrows_locks_with_lockdep_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_outer_keeps_own_locks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_other_task_lends_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_held_lock_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_held_lock_without_site, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_caller_ids_split_by_timestamps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_budget_cuts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_truncates_before_trace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_open_closes_oldest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_gap_closes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_lines_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_warning_ends_at_marker, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cut_here_prelude, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
