// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kind table: one entry per kernel report ksplat understands. Adding a
 * kind is one entry here, one header/body parser below (or in its own
 * parse_<kind>.c when it grows) and its tests.
 */
#include <string.h>

#include "ksplat/kinds.h"
#include "ksplat/parse.h"
#include "ksplat/report.h"

static char *cap_dup(struct ks_report *r, const struct ks_match *m, unsigned i)
{
	if (i >= m->ncap || !m->cap[i].p)
		return NULL;
	return ks_report_strdup(r, m->cap[i].p, m->cap[i].len);
}

static int64_t cap_num(const struct ks_match *m, unsigned i, int base)
{
	uint64_t v;

	if (i >= m->ncap || !m->cap[i].p ||
	    ks_parse_u64(m->cap[i].p, m->cap[i].len, base, &v) != m->cap[i].len || v > INT64_MAX)
		return -1;
	return (int64_t)v;
}

/* "BUG: sleeping function called from invalid context at FILE:LINE" */
static int header_sleep(struct ks_report *r, const struct ks_match *m)
{
	r->header_file = cap_dup(r, m, 1);
	r->header_line = (uint32_t)(cap_num(m, 2, 10) < 0 ? 0 : cap_num(m, 2, 10));
	return 0;
}

/*
 * "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: insmod"
 * (2.6: "in_atomic():1, irqs_disabled():0"; before 5.4 without non_block),
 * "preempt_count: 1, expected: 0" (hex without 0x), "RCU nest depth: 0, expected: 0".
 */
static bool field_num(const char *p, size_t len, const char *key, int base, int64_t *ret)
{
	const char *k = memmem(p, len, key, strlen(key));
	uint64_t v;
	size_t i;

	if (!k)
		return false;
	i = (size_t)(k - p) + strlen(key);
	i = ks_skip_blanks(p, len, i);
	if (ks_parse_u64(p + i, len - i, base, &v) == 0 || v > INT64_MAX)
		return false;
	*ret = (int64_t)v;
	return true;
}

static bool body_atomic_fields(struct ks_report *r, const char *p, size_t len)
{
	if (ks_has_prefix(p, len, "in_atomic():")) {
		const char *name = memmem(p, len, "name: ", 6);

		field_num(p, len, "in_atomic():", 10, &r->in_atomic);
		field_num(p, len, "irqs_disabled():", 10, &r->irqs_disabled);
		field_num(p, len, "non_block:", 10, &r->non_block);
		field_num(p, len, "pid:", 10, &r->pid);
		if (name && !r->comm)
			r->comm = ks_report_strdup(r, name + 6, len - (size_t)(name + 6 - p));
		return true;
	}
	if (ks_has_prefix(p, len, "preempt_count:")) {
		field_num(p, len, "preempt_count:", 16, &r->preempt_count);
		field_num(p, len, "expected:", 16, &r->preempt_expected);
		return true;
	}
	if (ks_has_prefix(p, len, "RCU nest depth:")) {
		field_num(p, len, "RCU nest depth:", 10, &r->rcu_depth);
		return true;
	}
	return false;
}

/* "BUG: scheduling while atomic: COMM/PID/0xPREEMPT" */
static int header_sched(struct ks_report *r, const struct ks_match *m)
{
	r->comm = cap_dup(r, m, 1);
	r->pid = cap_num(m, 2, 10);
	r->preempt_count = cap_num(m, 3, 16);
	r->in_atomic = 1;
	return 0;
}

/* "BUG: using smp_processor_id() in preemptible [00000000] code: COMM/PID" */
static int header_smp(struct ks_report *r, const struct ks_match *m)
{
	r->what = cap_dup(r, m, 1);
	r->preempt_count = cap_num(m, 2, 16);
	r->comm = cap_dup(r, m, 3);
	r->pid = cap_num(m, 4, 10);
	return 0;
}

/* "caller is debug_smp_processor_id+0x17/0x19" */
static bool body_smp(struct ks_report *r, const char *p, size_t len)
{
	struct ks_frame_view v;

	if (!ks_has_prefix(p, len, "caller is "))
		return false;
	if (ks_parse_symbol(p + 10, len - 10, &v) && v.func.len) {
		r->caller_frame = ks_arena_alloc(r->arena, sizeof(*r->caller_frame));
		if (r->caller_frame)
			ks_frame_copy(r, &v, r->caller_frame);
	}
	return true;
}

static int header_none(struct ks_report *r, const struct ks_match *m)
{
	(void)r;
	(void)m;
	return 0;
}

/*
 * Invalid wait context (lockdep, v5.7+):
 *   "%s/%d is trying to lock:" then the lock on its own line, "context-{o:i}".
 * The lock line arrives before held locks; parse it when the report has none yet.
 */
static bool body_invalid_wait(struct ks_report *r, const char *p, size_t len)
{
	struct ks_lock_view v;
	uint64_t o, in;
	size_t n, m;

	if (len > 20 && memmem(p, len, " is trying to lock:", 19)) {
		const char *e = memmem(p, len, " is trying to lock:", 19);

		if (!r->held_by)
			r->held_by = ks_report_strdup(r, p, (size_t)(e - p));
		return true;
	}
	if (!r->acquiring && r->held.n == 0 && ks_parse_lock(p, len, &v) && v.depth < 0) {
		r->acquiring = ks_arena_alloc(r->arena, sizeof(*r->acquiring));
		if (r->acquiring && ks_lock_copy(r, &v, r->acquiring) < 0)
			r->acquiring = NULL;
		return true;
	}
	if (ks_has_prefix(p, len, "context-{")) {
		n = ks_parse_u64(p + 9, len - 9, 10, &o);
		if (n && 9 + n < len && p[9 + n] == ':') {
			m = ks_parse_u64(p + 10 + n, len - 10 - n, 10, &in);
			if (m && o < 10 && in < 10) {
				r->context_outer = (int8_t)o;
				r->context_inner = (int8_t)in;
			}
		}
		return true;
	}
	return false;
}

/* "WARNING: CPU: 0 PID: 1 at FILE:LINE func+off/size [mod]" and the 6.19 form. */
static int header_warning(struct ks_report *r, const struct ks_match *m)
{
	int64_t cpu = cap_num(m, 1, 10), pid = cap_num(m, 2, 10);

	if (cpu >= 0)
		r->cpu = cpu;
	if (pid >= 0)
		r->pid = pid;
	r->what = cap_dup(r, m, 3);
	return 0;
}

/* ksplat's headline phrase per kind: "<phrase> in <culprit>". */
#define KS_KIND_LOCKDEP_CIRCULAR_HEADLINE "possible deadlock"
#define KS_KIND_LOCKDEP_RECURSIVE_HEADLINE "possible deadlock"
#define KS_KIND_LOCKDEP_INCONSISTENT_HEADLINE "inconsistent lock state"
#define KS_KIND_LOCKDEP_IRQ_INVERSION_HEADLINE "possible deadlock"
#define KS_KIND_LOCKDEP_IRQ_UNSAFE_ORDER_HEADLINE "possible deadlock"
#define KS_KIND_LOCKDEP_BAD_UNLOCK_HEADLINE "WARNING: bad unlock balance"
#define KS_KIND_LOCKDEP_HELD_LOCK_FREED_HEADLINE "WARNING: held lock freed"
#define KS_KIND_LOCKDEP_LOCK_HELD_RETURN_USER_HEADLINE "WARNING: lock held when returning to user space"
#define KS_KIND_LOCKDEP_STILL_HAS_LOCKS_HEADLINE "WARNING: still has locks held"
#define KS_KIND_LOCKDEP_NESTED_LOCK_HEADLINE "WARNING: nested lock was not taken"
#define KS_KIND_LOCKDEP_RCU_SUSPICIOUS_HEADLINE "WARNING: suspicious RCU usage"
#define KS_KIND_LOCKDEP_NON_STATIC_KEY_HEADLINE "INFO: trying to register non-static key"
#define KS_KIND_LOCKDEP_CAPACITY_HEADLINE "BUG: lockdep capacity exceeded"
#define KS_KIND_HUNG_TASK_HEADLINE "INFO: task hung"
#define KS_KIND_SOFT_LOCKUP_HEADLINE "BUG: soft lockup"
#define KS_KIND_HARD_LOCKUP_HEADLINE "hard LOCKUP"
#define KS_KIND_RCU_STALL_HEADLINE "INFO: rcu detected stall"
#define KS_KIND_KASAN_HEADLINE "KASAN"
#define KS_KIND_KFENCE_HEADLINE "KFENCE"
#define KS_KIND_KMSAN_HEADLINE "KMSAN"
#define KS_KIND_KCSAN_HEADLINE "KCSAN"
#define KS_KIND_UBSAN_HEADLINE "UBSAN"
#define KS_KIND_NULL_DEREF_HEADLINE "BUG: unable to handle kernel NULL pointer dereference"
#define KS_KIND_PAGING_FAULT_HEADLINE "BUG: unable to handle kernel paging request"
#define KS_KIND_GPF_HEADLINE "general protection fault"
#define KS_KIND_KERNEL_BUG_HEADLINE "kernel BUG"
#define KS_KIND_WORKQUEUE_LEAK_HEADLINE "BUG: workqueue leaked lock or atomic"
#define KS_KIND_SPINLOCK_BUG_HEADLINE "BUG: spinlock bug"

/* "INFO: task COMM:PID blocked for more than N seconds.": comm may hold ':'. */
static int header_hung(struct ks_report *r, const struct ks_match *m)
{
	const char *p = m->cap[0].p, *end = p + m->cap[0].len, *b, *colon = NULL;
	uint64_t pid;

	if (!ks_has_prefix(p, m->cap[0].len, "INFO: task "))
		return 0;
	p += 11;
	b = memmem(p, (size_t)(end - p), " blocked", 8);
	if (!b)
		b = memmem(p, (size_t)(end - p), " can't die", 10);
	for (const char *q = p; b && q < b; q++)
		if (*q == ':')
			colon = q;
	if (!colon || ks_parse_u64(colon + 1, (size_t)(b - colon - 1), 10, &pid) != (size_t)(b - colon - 1))
		return 0;
	r->comm = ks_report_strdup(r, p, (size_t)(colon - p));
	r->pid = (int64_t)pid;
	return 0;
}

const struct ks_kind_info ks_kinds[_KS_KIND_MAX] = {
	[KS_KIND_SLEEP_IN_ATOMIC] = {
		.id = KS_KIND_SLEEP_IN_ATOMIC,
		.headline = "BUG: sleeping function called from invalid context",
		.name = "sleep-in-atomic",
		.label = "sleeping function called from invalid context",
		.needles = KS_NEEDLES("BUG:", "Debug: sleeping"),
		.start = "^(?:BUG|Debug): sleeping function called from invalid context(?: at (\\S+?):(\\d+))?",
		.end = KS_END_TRACE,
		.severity = 90,
		.parse_header = header_sleep,
		.parse_body = body_atomic_fields,
	},
	[KS_KIND_SCHEDULE_WHILE_ATOMIC] = {
		.id = KS_KIND_SCHEDULE_WHILE_ATOMIC,
		.headline = "BUG: scheduling while atomic",
		.name = "schedule-while-atomic",
		.label = "scheduling while atomic",
		.needles = KS_NEEDLES("BUG:"),
		.start = "^BUG: scheduling while atomic: (.*)/(-?\\d+)/0x([0-9a-f]+)",
		.end = KS_END_TRACE,
		.severity = 90,
		.parse_header = header_sched,
		.parse_body = body_atomic_fields,
	},
	[KS_KIND_INVALID_WAIT_CONTEXT] = {
		.id = KS_KIND_INVALID_WAIT_CONTEXT,
		.headline = "BUG: Invalid wait context",
		.name = "invalid-wait-context",
		.label = "invalid wait context",
		.needles = KS_NEEDLES("BUG:"),
		.start = "^(?:\\[ )?BUG: Invalid wait context(?: \\])?\\s*$",
		.end = KS_END_TRACE,
		.severity = 85,
		.parse_header = header_none,
		.parse_body = body_invalid_wait,
	},
	[KS_KIND_SMP_PROCESSOR_ID] = {
		.id = KS_KIND_SMP_PROCESSOR_ID,
		.name = "smp-processor-id-preemptible",
		.label = "per-CPU access in preemptible code",
		.needles = KS_NEEDLES("BUG:"),
		.start = "^BUG: using ([A-Za-z0-9_]+)\\(\\) in preemptible \\[([0-9a-f]+)\\] code: (.*)/(\\d+)",
		.end = KS_END_TRACE,
		.severity = 60,
		.parse_header = header_smp,
		.parse_body = body_smp,
	},
#define KIND(id_, name_, label_, needles_, start_, sev_, end_) \
	[id_] = { .id = id_, .name = name_, .label = label_, .headline = id_##_HEADLINE, .needles = needles_, \
		  .start = start_, .end = end_, .severity = sev_, .parse_header = header_none, \
		  .parse_body = ks_parse_lockdep_body }
	/* Lockdep titles since ~4.13 read "WARNING: ...", before "[ INFO: ... ]" / "[ BUG: ... ]". */
	KIND(KS_KIND_LOCKDEP_CIRCULAR, "lockdep-circular", "possible circular locking dependency",
		KS_NEEDLES("WARN", "INFO"), "^(?:\\[ )?(?:WARNING|INFO): possible circular locking dependency detected",
		95, KS_END_TRACE),
	KIND(KS_KIND_LOCKDEP_RECURSIVE, "lockdep-recursive", "possible recursive locking",
		KS_NEEDLES("WARN", "INFO"), "^(?:\\[ )?(?:WARNING|INFO): possible recursive locking detected", 95,
		KS_END_TRACE),
	KIND(KS_KIND_LOCKDEP_INCONSISTENT, "lockdep-inconsistent", "inconsistent lock state",
		KS_NEEDLES("WARN", "INFO"), "^(?:\\[ )?(?:WARNING|INFO): inconsistent lock state", 90, KS_END_TRACE),
	KIND(KS_KIND_LOCKDEP_IRQ_INVERSION, "lockdep-irq-inversion", "possible irq lock inversion",
		KS_NEEDLES("WARN", "INFO"), "^(?:\\[ )?(?:WARNING|INFO): possible irq lock inversion dependency detected",
		95, KS_END_TRACE),
	KIND(KS_KIND_LOCKDEP_IRQ_UNSAFE_ORDER, "lockdep-irq-unsafe-order", "irq-safe -> irq-unsafe lock order",
		KS_NEEDLES("WARN", "INFO"), "^(?:\\[ )?(?:WARNING|INFO): \\S+-safe -> \\S+-unsafe lock order detected", 95,
		KS_END_TRACE),
	KIND(KS_KIND_LOCKDEP_BAD_UNLOCK, "lockdep-bad-unlock", "bad unlock balance", KS_NEEDLES("WARN", "BUG:"),
		"^(?:\\[ )?(?:WARNING|BUG): bad unlock balance detected", 75, KS_END_TRACE),
	KIND(KS_KIND_LOCKDEP_HELD_LOCK_FREED, "lockdep-held-lock-freed", "held lock freed", KS_NEEDLES("WARN", "BUG:"),
		"^(?:\\[ )?(?:WARNING|BUG): held lock freed", 75, KS_END_TRACE),
	KIND(KS_KIND_LOCKDEP_LOCK_HELD_RETURN_USER, "lockdep-lock-held-return-user",
		"lock held when returning to user space", KS_NEEDLES("WARN", "BUG:"),
		"^(?:\\[ )?(?:WARNING|BUG): lock held when returning to user space", 75, KS_END_GREEDY),
	KIND(KS_KIND_LOCKDEP_STILL_HAS_LOCKS, "lockdep-still-has-locks", "task exited with locks held",
		KS_NEEDLES("WARN", "BUG:"), "^(?:\\[ )?(?:WARNING|BUG): .*still has locks held", 70, KS_END_TRACE),
	KIND(KS_KIND_LOCKDEP_NESTED_LOCK, "lockdep-nested-lock", "nested lock was not taken",
		KS_NEEDLES("WARN", "BUG:"), "^(?:\\[ )?(?:WARNING|BUG): Nested lock was not taken", 70, KS_END_GREEDY),
	KIND(KS_KIND_LOCKDEP_RCU_SUSPICIOUS, "lockdep-rcu-suspicious", "suspicious RCU usage",
		KS_NEEDLES("WARN", "INFO"), "^(?:\\[ )?(?:WARNING|INFO): suspicious RCU usage", 60, KS_END_TRACE),
	KIND(KS_KIND_LOCKDEP_NON_STATIC_KEY, "lockdep-non-static-key", "lock with a non-static key",
		KS_NEEDLES("INFO"), "^INFO: trying to register non-static key", 50, KS_END_TRACE),
	KIND(KS_KIND_LOCKDEP_CAPACITY, "lockdep-capacity", "lockdep ran out of capacity", KS_NEEDLES("BUG:"),
		"^BUG: MAX_[A-Z_]+ too low!", 30, KS_END_GREEDY),
	[KS_KIND_HUNG_TASK] = {
		.id = KS_KIND_HUNG_TASK,
		.name = "hung-task",
		.label = "task blocked too long",
		.headline = KS_KIND_HUNG_TASK_HEADLINE,
		.needles = KS_NEEDLES("INFO"),
		.start = "^INFO: task .* (?:blocked (?:in I/O wait )?for more than \\d+ seconds|"
			 "can't die for more than)",
		.end = KS_END_GREEDY,
		.severity = 85,
		.parse_header = header_hung,
		.parse_body = ks_parse_lockdep_body,
	},
	KIND(KS_KIND_SOFT_LOCKUP, "soft-lockup", "soft lockup", KS_NEEDLES("BUG:"),
		"^(?:[\\w ]+: )?BUG: soft lockup", 80, KS_END_GREEDY),
	KIND(KS_KIND_HARD_LOCKUP, "hard-lockup", "hard lockup", KS_NEEDLES("LOCKUP"),
		"^(?:[\\w ]+: )?Watchdog detected hard LOCKUP on cpu", 85, KS_END_GREEDY),
	KIND(KS_KIND_RCU_STALL, "rcu-stall", "RCU stall", KS_NEEDLES("INFO"),
		"^(?:rcu: )?INFO: rcu_\\w+ (?:self-)?detected(?: expedited)? stall", 80, KS_END_GREEDY),
	KIND(KS_KIND_KASAN, "kasan", "KASAN memory error", KS_NEEDLES("BUG:"), "^BUG: KASAN: ", 80, KS_END_GREEDY),
	KIND(KS_KIND_KFENCE, "kfence", "KFENCE memory error", KS_NEEDLES("BUG:"), "^BUG: KFENCE: ", 80, KS_END_GREEDY),
	KIND(KS_KIND_KMSAN, "kmsan", "KMSAN uninitialised value", KS_NEEDLES("BUG:"), "^BUG: KMSAN: ", 70,
		KS_END_GREEDY),
	KIND(KS_KIND_KCSAN, "kcsan", "KCSAN data race", KS_NEEDLES("BUG:"), "^BUG: KCSAN: ", 60, KS_END_GREEDY),
	KIND(KS_KIND_UBSAN, "ubsan", "undefined behaviour", KS_NEEDLES("UBSAN"), "^UBSAN: ", 50, KS_END_GREEDY),
	KIND(KS_KIND_NULL_DEREF, "null-deref", "NULL pointer dereference", KS_NEEDLES("BUG:", "Unable to handle kernel"),
		"^(?:BUG: (?:unable to handle kernel|kernel|Kernel) NULL pointer dereference|"
		"Unable to handle kernel NULL pointer dereference)", 80, KS_END_GREEDY),
	KIND(KS_KIND_PAGING_FAULT, "paging-fault", "bad kernel memory access", KS_NEEDLES("BUG:", "Unable to handle kernel"),
		"^(?:BUG: (?:unable to handle kernel paging request|unable to handle page fault|"
		"Unable to handle kernel data access|unable to handle kernel)|Unable to handle kernel )", 80,
		KS_END_GREEDY),
	KIND(KS_KIND_GPF, "gpf", "general protection fault", KS_NEEDLES("general protection fault"),
		"^(?:Oops: )?general protection fault", 80, KS_END_GREEDY),
	KIND(KS_KIND_KERNEL_BUG, "kernel-bug", "kernel BUG", KS_NEEDLES("BUG "), "^(?:kernel BUG at |Kernel BUG )", 75,
		KS_END_GREEDY),
	KIND(KS_KIND_WORKQUEUE_LEAK, "workqueue-leak", "workqueue leaked a lock or atomic context",
		KS_NEEDLES("BUG:"), "^BUG: workqueue leaked", 60, KS_END_GREEDY),
	KIND(KS_KIND_SPINLOCK_BUG, "spinlock-bug", "spinlock debugging error", KS_NEEDLES("BUG:"),
		"^BUG: (?:spinlock|rwlock) ", 70, KS_END_GREEDY),
	[KS_KIND_OOPS] = {
		.id = KS_KIND_OOPS,
		.headline = "kernel oops",
		.name = "oops",
		.label = "kernel oops",
		.needles = KS_NEEDLES("Oops", "Internal error: ", "Unhandled fault: ", "Alignment trap: ",
				      "invalid opcode: ", "divide error: ", "divide_error: ", "stack segment: ",
				      "PANIC: double fault", "int3: "),
		.start = "^(?:Oops(?: - BUG)?: |Internal error: |Unhandled fault: |Alignment trap: |invalid opcode: |"
			 "divide error: |divide_error: |stack segment: |PANIC: double fault|int3: )",
		.end = KS_END_GREEDY,
		.severity = 75,
		.flags = KS_KIND_INSIDE,
		.parse_header = header_none,
	},
	[KS_KIND_PANIC] = {
		.id = KS_KIND_PANIC,
		.headline = "kernel panic",
		.name = "panic",
		.label = "kernel panic",
		.needles = KS_NEEDLES("Kernel panic"),
		.start = "^Kernel panic - not syncing",
		.end = KS_END_GREEDY,
		.severity = 70,
		.flags = KS_KIND_INSIDE,
		.parse_header = header_none,
	},
	/* A WARNING whose message says so; analysis gives a warning this kind. */
	[KS_KIND_RCU_CONTEXT_SWITCH] = {
		.id = KS_KIND_RCU_CONTEXT_SWITCH,
		.name = "rcu-context-switch",
		.label = "sleeping inside an RCU read-side critical section",
		.headline = "WARNING: Voluntary context switch within RCU read-side critical section",
		.needles = NULL, /* never a start line: analysis names it */
		.start = "(*FAIL)",
		.end = KS_END_MARKER,
		.severity = 85,
		.parse_header = header_warning,
	},
	[KS_KIND_WARNING] = {
		.id = KS_KIND_WARNING,
		.headline = "WARNING",
		.name = "warning",
		.label = "kernel warning",
		.needles = KS_NEEDLES("WARN", "cut here"),
		.start = "^(?:WARNING: (?:CPU: (\\d+) PID: (\\d+) at (\\S+)|at (\\S+)|(\\S+:\\d+) at |\\[)|"
			 "-+\\[ cut here \\]-+$)",
		.end = KS_END_MARKER,
		.severity = 40,
		.flags = KS_KIND_PRELUDE,
		.parse_header = header_warning,
		.parse_body = NULL,
	},
	/* Every other header syzkaller knows: the report is kept, with a generic kind. */
	[KS_KIND_OTHER] = {
		.id = KS_KIND_OTHER,
		.name = "other",
		.label = "kernel report",
		.needles = KS_NEEDLES("BUG:", "BUG ", "WARN", "INFO", "Unable to handle kernel", "rust_kernel: panicked",
				      "Booting the kernel.", "unregister_netdevice: waiting for", "VFS: ",
				      "SYZFAIL:", "SYZFATAL:", "fatal error:"),
		.start = "^(?:[\\w.-]+: )?(?:BUG:|WARNING:|INFO:|Unable to handle kernel|rust_kernel: panicked|"
			 "BUG kmalloc-|Booting the kernel\\.|unregister_netdevice: waiting for|"
			 "VFS: Close: file count is 0|VFS: Busy inodes after unmount|SYZFAIL:|SYZFATAL:|"
			 "fatal error:)",
		.suppress = "ODEBUG:|Boot_DEBUG:|xlog_status:|DEBUG:|BUG: no syscalls can create resource|"
			    "INFO: lockdep is turned off|INFO: Stall ended before state dump start|INFO: NMI handler|"
			    "INFO: recovery required on readonly filesystem|(handler|interrupt).*took too long|"
			    "INFO: sys_.* is not present in /proc/kallsyms|INFO: no syscalls can create resource|"
			    "rmt_storage:INFO:|_INFO:|WARNING: /etc/ssh/moduli|WARNING: workqueue cpumask|"
			    "WARNING: [Tt]he mand mount option|WARNING: Unsupported flag value|"
			    "WARNING: Unprivileged eBPF|WARNING: fbcon: Driver|WARNING: See https.* for mitigation|"
			    "WARNING: kernel not compiled with CPU_SRSO|EXT4-[Ff][Ss]|(?i:warning: .* uses "
			    "(deprecated v2 capabilities|wireless extensions))|XFS \\(\\w+\\): WARNING|"
			    "Parsing ELF|Decompressing Linux|Unknown parameter '",
		.end = KS_END_GREEDY,
		.severity = 20,
		.parse_header = header_none,
	},
};

const char *ks_kind_name(enum ks_kind kind)
{
	return (unsigned)kind < _KS_KIND_MAX ? ks_kinds[kind].name : "unknown";
}

enum ks_kind ks_kind_by_name(const char *name)
{
	for (unsigned i = 0; i < _KS_KIND_MAX; i++)
		if (strcmp(ks_kinds[i].name, name) == 0)
			return (enum ks_kind)i;
	return _KS_KIND_INVALID;
}
