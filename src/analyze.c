// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/analyze.h"
#include "ksplat/symclass.h"

/* Why the context was atomic, from the report's own evidence. */
enum cause {
	CAUSE_UNKNOWN,
	CAUSE_SPINLOCK,    /* a spinning lock is held */
	CAUSE_IRQS_OFF,    /* irqs_disabled(): 1 */
	CAUSE_PREEMPT_OFF, /* preempt_disable() with no lock */
	CAUSE_RCU,         /* RCU nest depth > 0 */
	CAUSE_SOFTIRQ,     /* preempt_count has softirq bits */
	CAUSE_HARDIRQ,     /* preempt_count has hardirq or NMI bits */
	/* Invalid wait context: what kind of nesting lockdep refused. */
	CAUSE_SLEEPING_IN_SPINNING, /* a sleeping lock (inner wait type 4) in a spinning context */
	CAUSE_SPIN_IN_RAW,          /* spinlock_t {3} inside raw_spinlock_t {2} or hard IRQ */
	CAUSE_WAIT_TYPE,            /* any other wait-type violation */
	_CAUSE_MAX,
};

static const char *const cause_token[_CAUSE_MAX] = {
	[CAUSE_UNKNOWN] = "atomic",	       [CAUSE_SPINLOCK] = "spinlock",
	[CAUSE_IRQS_OFF] = "irqs-off",	       [CAUSE_PREEMPT_OFF] = "preempt-off",
	[CAUSE_RCU] = "rcu-read-lock",	       [CAUSE_SOFTIRQ] = "softirq",
	[CAUSE_HARDIRQ] = "hardirq",
	[CAUSE_SLEEPING_IN_SPINNING] = "sleeping-lock-in-atomic",
	[CAUSE_SPIN_IN_RAW] = "spinlock-in-raw-spinlock",
	[CAUSE_WAIT_TYPE] = "wait-type",
};

/*
 * Fix hints, first match wins. {lock} is the held lock, {callee} the sleeping
 * call. kind -1 and class/cause -1 match anything.
 */
struct hint {
	int kind;
	int cls;
	int cause;
	const char *text;
};

#define ANY -1
#define SLEEPY(k) ((k) == KS_KIND_SLEEP_IN_ATOMIC || (k) == KS_KIND_SCHEDULE_WHILE_ATOMIC)

static const struct hint hints[] = {
	{ KS_KIND_SMP_PROCESSOR_ID, ANY, ANY,
	  "wrap the per-CPU access in get_cpu()/put_cpu() (or preempt_disable()), or use "
	  "raw_smp_processor_id()/this_cpu_*() where a stale CPU number is harmless" },
	{ KS_KIND_INVALID_WAIT_CONTEXT, ANY, CAUSE_SLEEPING_IN_SPINNING,
	  "{lock} is a sleeping lock: take it before {holding} (or outside interrupt context), "
	  "or protect the data with a spinlock instead" },
	{ KS_KIND_INVALID_WAIT_CONTEXT, ANY, CAUSE_SPIN_IN_RAW,
	  "{lock} is a spinlock_t, which sleeps on PREEMPT_RT: do not take it under {holding} "
	  "or in hard interrupt context, or make it a raw_spinlock_t if its sections are short" },
	{ KS_KIND_INVALID_WAIT_CONTEXT, ANY, ANY,
	  "{lock} may not be taken in this context: take it outside {holding}" },
	{ KS_KIND_LOCKDEP_CIRCULAR, ANY, ANY,
	  "take {holding} and {lock} in one order on every path, or release {holding} before "
	  "taking {lock}" },
	{ KS_KIND_LOCKDEP_RECURSIVE, ANY, ANY,
	  "{lock} is taken twice: if these are two objects, annotate the inner one "
	  "(mutex_lock_nested()/spin_lock_nested() or its own lock class); if one, it deadlocks" },
	{ KS_KIND_LOCKDEP_INCONSISTENT, ANY, ANY,
	  "{lock} is taken in interrupt context and with interrupts enabled: use the "
	  "_irqsave or _bh variant where process context takes it" },
	{ KS_KIND_LOCKDEP_IRQ_INVERSION, ANY, ANY,
	  "an interrupt can take {lock} while {holding} is held with interrupts on: take "
	  "{holding} with the _irqsave or _bh variant" },
	{ KS_KIND_LOCKDEP_BAD_UNLOCK, ANY, ANY,
	  "release only locks taken on this path: check the error paths that unlock {lock}" },
	{ KS_KIND_RCU_CONTEXT_SWITCH, ANY, ANY,
	  "{callee} sleeps inside rcu_read_lock(): take a reference and leave the read side "
	  "first, or use SRCU" },
	{ KS_KIND_HUNG_TASK, ANY, ANY,
	  "look at {holding}: it holds {lock} and does not let it go" },
	{ ANY, KS_FC_ALLOC, CAUSE_SPINLOCK,
	  "use GFP_ATOMIC (or GFP_NOWAIT), or allocate before taking {lock}" },
	{ ANY, KS_FC_ALLOC, CAUSE_IRQS_OFF,
	  "use GFP_ATOMIC, or allocate before disabling interrupts" },
	{ ANY, KS_FC_ALLOC, CAUSE_PREEMPT_OFF,
	  "use GFP_ATOMIC, or allocate before preemption is disabled (spin_lock() or "
	  "preempt_disable())" },
	{ ANY, KS_FC_ALLOC, CAUSE_RCU,
	  "use GFP_ATOMIC or GFP_NOWAIT inside rcu_read_lock(), or allocate before it" },
	{ ANY, KS_FC_ALLOC, ANY, "use GFP_ATOMIC, or allocate outside the atomic section" },
	{ ANY, KS_FC_MUTEX, CAUSE_SPINLOCK,
	  "{callee} may sleep: take it before {lock}, or make {lock} a mutex if the section "
	  "must sleep" },
	{ ANY, KS_FC_MUTEX, CAUSE_SOFTIRQ,
	  "{callee} may sleep and cannot be used in interrupt context: defer the work to a "
	  "workqueue" },
	{ ANY, KS_FC_MUTEX, CAUSE_HARDIRQ,
	  "{callee} may sleep and cannot be used in interrupt context: use a threaded IRQ "
	  "handler or a workqueue" },
	{ ANY, KS_FC_MUTEX, ANY, "{callee} may sleep: call it outside the atomic section" },
	{ ANY, KS_FC_SLEEP, CAUSE_SPINLOCK,
	  "do not sleep holding {lock}: release it around {callee}, or busy-wait with "
	  "udelay()/mdelay() if the wait is short" },
	{ ANY, KS_FC_SLEEP, CAUSE_PREEMPT_OFF,
	  "call {callee} after preemption is enabled again (spin_unlock() or "
	  "preempt_enable()), or busy-wait with udelay()/mdelay()" },
	{ ANY, KS_FC_SLEEP, CAUSE_IRQS_OFF,
	  "re-enable interrupts before {callee}, or busy-wait with udelay()/mdelay()" },
	{ ANY, KS_FC_SLEEP, CAUSE_RCU,
	  "do not sleep inside rcu_read_lock(): take a reference and leave the read side "
	  "first, or use SRCU" },
	{ ANY, KS_FC_SLEEP, ANY,
	  "do not sleep in atomic context: defer the sleeping work to a workqueue" },
	{ ANY, KS_FC_USERCOPY, CAUSE_SPINLOCK,
	  "{callee} may fault and sleep: copy through a kernel buffer outside {lock}" },
	{ ANY, KS_FC_USERCOPY, ANY,
	  "{callee} may fault and sleep: move it out of the atomic section" },
	{ ANY, ANY, CAUSE_SPINLOCK,
	  "the call may sleep: move it out of the section protected by {lock}" },
	{ KS_KIND_WARNING, ANY, ANY, "read the WARN_ON condition at the reported line" },
	{ ANY, ANY, ANY, "the call may sleep: move it out of the atomic section" },
};

static bool frame_usable(const struct ks_frame *f)
{
	return f->func && !(f->flags & KS_FRAME_UNRELIABLE);
}

/*
 * Walk the current stack past the classes @skip (a bit mask of enum ks_fclass):
 * the first other frame is the culprit, the last skipped sleeping primitive
 * the callee.
 */
static void pick_culprit(struct ks_report *r, unsigned skip)
{
	const unsigned sleepy = 1u << KS_FC_SLEEP | 1u << KS_FC_ALLOC | 1u << KS_FC_MUTEX |
				1u << KS_FC_USERCOPY;

	for (uint32_t i = 0; i < r->trace.n; i++) {
		const struct ks_frame *f = &r->trace.v[i];
		enum ks_fclass c;

		if (!frame_usable(f))
			continue;
		c = ks_fclass_of(f->func);
		if (!(skip & (1u << c))) {
			r->a.culprit = f;
			return;
		}
		if (sleepy & (1u << c)) {
			r->a.callee = f;
			r->a.callee_api = ks_fclass_api(f->func);
		}
	}
}

/* The PC when it is an ordinary function, else the first such frame from @start. */
static void pick_culprit_from(struct ks_report *r, uint32_t start, const struct ks_frame *pc)
{
	const unsigned skip = 1u << KS_FC_REPORT | 1u << KS_FC_SPIN | 1u << KS_FC_BUSY | 1u << KS_FC_HELPER;

	if (pc && pc->func && !(skip & (1u << ks_fclass_of(pc->func)))) {
		r->a.culprit = pc;
		return;
	}
	for (uint32_t i = start; i < r->trace.n; i++) {
		const struct ks_frame *f = &r->trace.v[i];

		if (frame_usable(f) && !(skip & (1u << ks_fclass_of(f->func)))) {
			r->a.culprit = f;
			return;
		}
	}
}

/* A hung task waits for the lock that the held-locks dump shows its own task holding last. */
static const struct ks_lock *hung_lock(const struct ks_report *r)
{
	const struct ks_lock *mine = NULL;
	char task[64];

	if (!r->comm || r->pid < 0)
		return NULL;
	snprintf(task, sizeof(task), "%s/%lld", r->comm, (long long)r->pid);
	for (uint32_t i = 0; i < r->held.n; i++)
		if (r->held.v[i].owner && strcmp(r->held.v[i].owner, task) == 0)
			mine = &r->held.v[i];
	return mine;
}

/* Another task that holds a lock of the same class as @l, from the held-locks dump. */
static const char *lock_holder(const struct ks_report *r, const struct ks_lock *l)
{
	if (!l)
		return NULL;
	for (uint32_t i = 0; i < r->held.n; i++) {
		const struct ks_lock *h = &r->held.v[i];

		if (h != l && h->owner && l->owner && strcmp(h->owner, l->owner) != 0 &&
		    strcmp(h->name, l->name) == 0)
			return h->owner;
	}
	return NULL;
}

/* The first lock lockdep named in @role, or NULL. */
static const struct ks_lock *involved_as(const struct ks_report *r, const char *role)
{
	for (uint32_t i = 0; i < r->involved.n; i++)
		if (r->involved.v[i].role && strcmp(r->involved.v[i].role, role) == 0)
			return &r->involved.v[i];
	return NULL;
}

/* True when one of the report's lines contains @phrase. */
static bool says(const struct ks_report *r, const char *phrase)
{
	for (uint32_t i = 0; i < r->lines.n; i++)
		if (strstr(r->lines.v[i], phrase))
			return true;
	return false;
}

static size_t base_len(const char *func)
{
	return ks_func_base_len(func, strlen(func));
}

static bool same_function(const char *a, const char *b)
{
	size_t la, lb;

	if (!a || !b)
		return false;
	la = base_len(a);
	lb = base_len(b);
	return la == lb && memcmp(a, b, la) == 0;
}

/*
 * The held lock that made the context atomic: a spinning one (wait types
 * {2:2}/{3:3}; {0:0} maps and {4:4} sleeping locks never), preferring one the
 * culprit took itself, then a raw spinlock ({2:2}) over spinlock_t, then the
 * innermost.
 */
static const struct ks_lock *pick_atomic_lock(const struct ks_report *r)
{
	const struct ks_lock *best = NULL;
	int best_score = 0;

	for (uint32_t i = 0; i < r->held.n; i++) {
		const struct ks_lock *l = &r->held.v[i];
		int score;

		if (l->wait_inner == 2)
			score = 4;
		else if (l->wait_inner == 3)
			score = 3;
		else if (l->wait_inner < 0)
			score = 2; /* kernels before 5.7 print no wait type */
		else
			continue;
		if (l->wait_outer == 1)
			continue; /* rcu_read_lock and friends: not a lock that spins */
		if (r->a.culprit && l->has_at && same_function(l->at.func, r->a.culprit->func))
			score += 10;
		if (score >= best_score) {
			best = l;
			best_score = score;
		}
	}
	return best;
}

static enum cause pick_cause(const struct ks_report *r)
{
	int64_t pc = r->preempt_count;

	if (pc >= 0 && (pc & 0xff00000 || pc & 0xf0000))
		return CAUSE_HARDIRQ;
	if (pc >= 0 && pc & 0xff00)
		return CAUSE_SOFTIRQ;
	if (r->a.lock)
		return CAUSE_SPINLOCK;
	if (r->irqs_disabled == 1)
		return CAUSE_IRQS_OFF;
	if (r->rcu_depth > 0 && r->in_atomic != 1)
		return CAUSE_RCU;
	if (r->preempt_site && r->preempt_site->func) {
		enum ks_fclass c = ks_fclass_of(r->preempt_site->func);

		/* Without lockdep a spinlock shows only as the place preemption went off. */
		if (c == KS_FC_SPIN)
			return CAUSE_SPINLOCK;
		if (c != KS_FC_REPORT)
			return CAUSE_PREEMPT_OFF;
	}
	if (r->rcu_depth > 0)
		return CAUSE_RCU;
	return CAUSE_UNKNOWN;
}

/* The held lock that a lock being acquired conflicts with: a smaller inner wait type. */
static const struct ks_lock *pick_conflicting_lock(const struct ks_report *r)
{
	const struct ks_lock *acq = r->acquiring;

	if (!acq)
		return NULL;
	for (uint32_t i = r->held.n; i-- > 0;) {
		const struct ks_lock *l = &r->held.v[i];

		if (l->wait_inner > 0 && acq->wait_inner > l->wait_inner)
			return l;
	}
	return NULL;
}

/* The nesting rule an Invalid wait context broke, from the wait types printed. */
static enum cause wait_cause(const struct ks_report *r, const struct ks_lock *holding)
{
	int inner = r->acquiring ? r->acquiring->wait_inner : -1;
	int limit = holding ? holding->wait_inner : r->context_inner;
	const char *name = r->acquiring ? r->acquiring->name : "";

	/*
	 * Wait type 3 is spinlock_t with CONFIG_PROVE_RAW_LOCK_NESTING and a
	 * sleeping lock without it; the class name tells them apart.
	 */
	if (inner >= 4 || (inner == 3 && (strstr(name, "mutex") || strstr(name, "sem"))))
		return CAUSE_SLEEPING_IN_SPINNING;
	if (inner == 3 && limit >= 0 && limit <= 2)
		return CAUSE_SPIN_IN_RAW;
	return CAUSE_WAIT_TYPE;
}

/* Fill "{lock}", "{holding}", "{callee}" into a hint. */
static const char *fill_hint(struct ks_report *r, const char *tmpl, const char *lock,
			     const char *holding, const char *callee)
{
	char buf[512];
	size_t o = 0;

	for (const char *p = tmpl; *p && o < sizeof(buf) - 1;) {
		const char *val = NULL;
		size_t skip = 0;

		if (strncmp(p, "{lock}", 6) == 0)
			val = lock, skip = 6;
		else if (strncmp(p, "{holding}", 9) == 0)
			val = holding, skip = 9;
		else if (strncmp(p, "{callee}", 8) == 0)
			val = callee, skip = 8;
		if (skip) {
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s", val ? val : "the lock");
			if (o >= sizeof(buf))
				o = sizeof(buf) - 1;
			p += skip;
		} else {
			buf[o++] = *p++;
		}
	}
	buf[o] = '\0';
	return ks_report_strdup(r, buf, o);
}

static const char *callee_name(const struct ks_report *r)
{
	if (r->a.callee_api)
		return r->a.callee_api;
	if (r->a.callee)
		return r->a.callee->func;
	if (r->kind == KS_KIND_SMP_PROCESSOR_ID)
		return r->what;
	return NULL;
}

static void pick_hint(struct ks_report *r, enum cause cause, const struct ks_lock *holding)
{
	int cls = r->a.callee ? (int)ks_fclass_of(r->a.callee->func) : KS_FC_NONE;
	const char *callee = callee_name(r);

	for (size_t i = 0; i < KS_ARRAY_SIZE(hints); i++) {
		const struct hint *h = &hints[i];

		if ((h->kind != ANY && h->kind != (int)r->kind) ||
		    (h->cls != ANY && h->cls != cls) || (h->cause != ANY && h->cause != (int)cause))
			continue;
		if (h->kind == ANY && !SLEEPY(r->kind) && r->kind != KS_KIND_WARNING)
			continue;
		if (r->kind == KS_KIND_HUNG_TASK && !(r->a.lock && r->a.holder))
			return; /* nothing to point at without the lock dump */
		r->a.hint = fill_hint(r, h->text, r->a.lock ? r->a.lock->name : NULL,
				      r->a.holder ? r->a.holder : holding ? holding->name : "the locks held",
				      callee ? callee : "it");
		return;
	}
}

/* ksplat's headline: the kind's phrase with the real culprit. */
static const char *make_headline(struct ks_report *r)
{
	char buf[512];
	const char *what = ks_kinds[r->kind].headline;
	const char *func = r->a.culprit ? r->a.culprit->func : NULL;
	int flen = func ? (int)base_len(func) : 9;

	if (!func)
		func = "corrupted";
	bool sanitizer = r->kind == KS_KIND_KASAN || r->kind == KS_KIND_KFENCE ||
			 r->kind == KS_KIND_KMSAN || r->kind == KS_KIND_UBSAN;
	const char *in = sanitizer ? strstr(r->header, " in ") : NULL;

	if (in) {
		/* "BUG: KASAN: slab-use-after-free in f+0x1/0x2": keep the bug type. */
		const char *h = ks_has_prefix(r->header, strlen(r->header), "BUG: ") ? r->header + 5 : r->header;

		snprintf(buf, sizeof(buf), "%.*s in %.*s", (int)(in - h), h, flen, func);
	} else if (r->kind == KS_KIND_SMP_PROCESSOR_ID) {
		snprintf(buf, sizeof(buf), "BUG: using %s() in preemptible code in %.*s",
			 r->what ? r->what : "", flen, func);
	} else if (!what) {
		/* A report of no known kind is named by its first line. */
		snprintf(buf, sizeof(buf), "%s", r->header);
	} else {
		snprintf(buf, sizeof(buf), "%s in %.*s", what, flen, func);
	}
	return ks_report_strdup(r, buf, strlen(buf));
}

/* Lock class names without "#N" (name version) and "/N" (subclass) suffixes. */
static size_t lock_class_len(const char *name)
{
	size_t n = strlen(name);

	for (int round = 0; round < 2; round++) {
		size_t e = n;

		while (e > 0 && name[e - 1] >= '0' && name[e - 1] <= '9')
			e--;
		if (e < n && e > 0 && (name[e - 1] == '#' || name[e - 1] == '/'))
			n = e - 1;
	}
	return n;
}

static uint64_t hash_str(uint64_t h, const char *s, size_t n)
{
	h = ks_fnv1a(h, s, n);
	return ks_fnv1a(h, "\0", 1);
}

/*
 * Kind, culprit, the next three distinct callers and the lock classes: no
 * offsets, addresses, PIDs, CPUs or times, so the same bug has the same
 * signature on every boot and build.
 */
static uint64_t make_signature(const struct ks_report *r)
{
	uint64_t h = KS_FNV_SEED;
	const char *kind = ks_kind_name(r->kind);
	uint32_t after = 0;
	bool past = false;

	h = hash_str(h, kind, strlen(kind));
	if (r->a.culprit)
		h = hash_str(h, r->a.culprit->func, base_len(r->a.culprit->func));
	for (uint32_t i = 0; i < r->trace.n && after < 3; i++) {
		const struct ks_frame *f = &r->trace.v[i];

		if (f == r->a.culprit) {
			past = true;
			continue;
		}
		if (!past || !frame_usable(f))
			continue;
		h = hash_str(h, f->func, base_len(f->func));
		after++;
	}
	if (r->a.lock)
		h = hash_str(h, r->a.lock->name, lock_class_len(r->a.lock->name));
	if (r->kind == KS_KIND_SMP_PROCESSOR_ID && r->what)
		h = hash_str(h, r->what, strlen(r->what));
	return h;
}

int ks_analyze_findings(struct ks_report *r)
{
	const unsigned report_only = 1u << KS_FC_REPORT;
	const unsigned sleepers = report_only | 1u << KS_FC_SLEEP | 1u << KS_FC_ALLOC |
				  1u << KS_FC_MUTEX | 1u << KS_FC_USERCOPY | 1u << KS_FC_SPIN;
	const struct ks_lock *holding = NULL;
	enum cause cause = CAUSE_UNKNOWN;

	/* A WARN in rcu_note_context_switch() is a task that slept under rcu_read_lock(). */
	if (r->kind == KS_KIND_WARNING && says(r, "Voluntary context switch within RCU read-side"))
		r->kind = KS_KIND_RCU_CONTEXT_SWITCH;
	switch (r->kind) {
	case KS_KIND_RCU_CONTEXT_SWITCH:
		pick_culprit(r, sleepers);
		break;
	case KS_KIND_SLEEP_IN_ATOMIC:
	case KS_KIND_SCHEDULE_WHILE_ATOMIC:
		pick_culprit(r, sleepers);
		r->a.lock = pick_atomic_lock(r);
		cause = pick_cause(r);
		break;
	case KS_KIND_INVALID_WAIT_CONTEXT:
		if (r->acquiring && r->acquiring->has_at && r->acquiring->at.func) {
			r->a.culprit = &r->acquiring->at;
			r->a.lock = r->acquiring;
		} else {
			pick_culprit(r, report_only | 1u << KS_FC_SPIN);
		}
		holding = pick_conflicting_lock(r);
		cause = wait_cause(r, holding);
		break;
	case KS_KIND_SMP_PROCESSOR_ID:
		pick_culprit(r, report_only);
		if (!r->a.culprit && r->caller_frame &&
		    ks_fclass_of(r->caller_frame->func) == KS_FC_NONE)
			r->a.culprit = r->caller_frame;
		break;
	case KS_KIND_LOCKDEP_BAD_UNLOCK:
		/* A release site the kernel could not name (and nothing named) is no culprit. */
		if (r->site && r->site->func)
			r->a.culprit = r->site;
		else
			pick_culprit(r, report_only | 1u << KS_FC_MUTEX | 1u << KS_FC_SPIN);
		r->a.lock = involved_as(r, "released");
		break;
	case KS_KIND_LOCKDEP_CIRCULAR:
	case KS_KIND_LOCKDEP_RECURSIVE:
	case KS_KIND_LOCKDEP_INCONSISTENT:
	case KS_KIND_LOCKDEP_IRQ_INVERSION:
	case KS_KIND_LOCKDEP_IRQ_UNSAFE_ORDER:
	case KS_KIND_LOCKDEP_HELD_LOCK_FREED:
	case KS_KIND_LOCKDEP_NESTED_LOCK:
		/* Where the lock lockdep complains about was being taken. */
		if (r->acquiring && r->acquiring->has_at && r->acquiring->at.func &&
		    ks_fclass_of(r->acquiring->at.func) == KS_FC_NONE) {
			r->a.culprit = &r->acquiring->at;
		} else {
			pick_culprit(r, report_only | 1u << KS_FC_MUTEX | 1u << KS_FC_SPIN);
		}
		r->a.lock = r->acquiring;
		/* "but task is already holding lock:" is the first lock after the acquired one. */
		holding = involved_as(r, "holding");
		break;
	case KS_KIND_LOCKDEP_STILL_HAS_LOCKS:
	case KS_KIND_LOCKDEP_LOCK_HELD_RETURN_USER:
		for (uint32_t i = r->held.n; i-- > 0;) {
			if (r->held.v[i].has_at && r->held.v[i].at.func) {
				r->a.culprit = &r->held.v[i].at;
				r->a.lock = &r->held.v[i];
				break;
			}
		}
		if (!r->a.culprit)
			pick_culprit(r, report_only);
		break;
	case KS_KIND_HUNG_TASK:
		/* The blocked task's stack: the first frame that is not the wait itself. */
		pick_culprit(r, report_only | 1u << KS_FC_SLEEP | 1u << KS_FC_MUTEX | 1u << KS_FC_SPIN);
		r->a.lock = hung_lock(r);
		r->a.holder = lock_holder(r, r->a.lock);
		break;
	case KS_KIND_RCU_STALL:
	case KS_KIND_HARD_LOCKUP:
		/* The stalled CPU is the one whose NMI backtrace follows. */
		if (r->has_nmi) {
			pick_culprit_from(r, r->nmi_trace_start, r->nmi_pc);
			if (r->a.culprit)
				break;
		}
		pick_culprit_from(r, 0, r->pc);
		break;
	default:
		pick_culprit_from(r, 0, r->pc);
		break;
	}
	/* Every culprit names a function: the headline, the renderers and the signature rely on it. */
	if (r->a.culprit && !r->a.culprit->func)
		r->a.culprit = NULL;
	r->a.holding = holding;
	r->a.cause = SLEEPY(r->kind) || r->kind == KS_KIND_INVALID_WAIT_CONTEXT ? cause_token[cause]
										 : NULL;
	r->a.headline = make_headline(r);
	pick_hint(r, cause, holding);
	r->a.signature = make_signature(r);
	r->a.severity = ks_kinds[r->kind].severity;
	return r->a.headline ? 0 : -ENOMEM;
}

int ks_analyze_title(struct ks_syz *syz, struct ks_report *r)
{
	bool corrupted = false;

	r->a.title = ks_syz_title(syz, r, &corrupted);
	if (!r->a.title) {
		r->a.title = r->a.headline; /* a report syzkaller has no name for */
		corrupted = r->flags & KS_REP_TRUNCATED;
	}
	r->a.corrupted = corrupted;
	return r->a.title ? 0 : -ENOMEM;
}

int ks_analyze_report(struct ks_syz *syz, struct ks_report *r)
{
	int err = ks_analyze_findings(r);

	return err < 0 ? err : ks_analyze_title(syz, r);
}

struct ks_dedup {
	enum ks_group group;
	uint32_t *slots;     /* open addressing on the key: 1 + entry index, 0 empty */
	size_t nslots;       /* a power of two, at least twice the entries */
	struct ks_dedup_entry *entries;
	const struct ks_dedup_entry **ranked;
	size_t n, cap, max;
	uint64_t dropped, total;
};

int ks_dedup_new(size_t max_signatures, struct ks_dedup **ret)
{
	struct ks_dedup *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->max = max_signatures;
	*ret = d;
	return 0;
}

void ks_dedup_free(struct ks_dedup *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		ks_report_free(d->entries[i].first);
		free(d->entries[i].per_source);
	}
	free(d->slots);
	free(d->entries);
	free(d->ranked);
	free(d);
}

void ks_dedup_set_group(struct ks_dedup *d, enum ks_group group)
{
	d->group = group;
}

/* The group-by key of @r; the kind counts only for signatures. */
static uint64_t group_key(const struct ks_dedup *d, const struct ks_report *r)
{
	const char *func = r->a.culprit ? r->a.culprit->func : NULL;
	const char *lock = r->a.lock ? r->a.lock->name : NULL;

	if (d->group == KS_GROUP_FUNCTION && func)
		return hash_str(KS_FNV_SEED, func, base_len(func));
	if (d->group == KS_GROUP_LOCK && lock)
		return hash_str(KS_FNV_SEED, lock, lock_class_len(lock));
	return r->a.signature ^ (uint64_t)r->kind << 56;
}

/* The slot of @key: the entry's, or the empty one where it would go. */
static uint32_t *slot_of(const struct ks_dedup *d, uint64_t key)
{
	size_t mask = d->nslots - 1;

	for (size_t i = (size_t)(key ^ key >> 29) & mask;; i = (i + 1) & mask)
		if (!d->slots[i] || d->entries[d->slots[i] - 1].key == key)
			return &d->slots[i];
}

/* Room for one more entry, in the array and in the index. */
static int reserve(struct ks_dedup *d)
{
	if (d->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 16;
		struct ks_dedup_entry *ne = realloc(d->entries, ncap * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		d->entries = ne;
		d->cap = ncap;
	}
	if ((d->n + 1) * 2 > d->nslots) {
		size_t nslots = d->nslots ? d->nslots * 2 : 64;
		uint32_t *old = d->slots;

		if (!(d->slots = calloc(nslots, sizeof(*d->slots)))) {
			d->slots = old;
			return -ENOMEM;
		}
		free(old);
		d->nslots = nslots;
		for (size_t i = 0; i < d->n; i++)
			*slot_of(d, d->entries[i].key) = (uint32_t)i + 1;
	}
	return 0;
}

static int count_source(struct ks_dedup_entry *e, uint32_t source, uint64_t count)
{
	struct ks_source_count *v;

	for (uint32_t i = 0; i < e->nsources; i++) {
		if (e->per_source[i].source == source) {
			e->per_source[i].count += count;
			return 0;
		}
	}
	v = realloc(e->per_source, (e->nsources + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	e->per_source = v;
	v[e->nsources++] = (struct ks_source_count){ .source = source, .count = count };
	return 0;
}

int ks_dedup_add_counted(struct ks_dedup *d, struct ks_report *r, const struct ks_source_count *counts,
			 size_t n, uint32_t last_source, uint64_t last_lineno)
{
	uint64_t key = group_key(d, r), total = 0;
	struct ks_dedup_entry *e;
	uint32_t *slot;
	int err = 0;

	for (size_t i = 0; i < n; i++)
		total += counts[i].count;
	d->total += total;
	if (d->nslots && *(slot = slot_of(d, key))) {
		e = &d->entries[*slot - 1];
		ks_report_free(r);
	} else if (d->n == d->max) {
		d->dropped += total;
		ks_report_free(r);
		return 0;
	} else if ((err = reserve(d)) < 0) {
		ks_report_free(r);
		return err;
	} else {
		e = &d->entries[d->n];
		*e = (struct ks_dedup_entry){ .key = key, .first = r };
		*slot_of(d, key) = (uint32_t)++d->n;
	}
	e->count += total;
	e->last_lineno = last_lineno;
	e->last_source = last_source;
	for (size_t i = 0; i < n && err == 0; i++)
		err = count_source(e, counts[i].source, counts[i].count);
	return err;
}

bool ks_dedup_has(const struct ks_dedup *d, const struct ks_report *r)
{
	return d->nslots && *slot_of(d, group_key(d, r));
}

int ks_dedup_add(struct ks_dedup *d, struct ks_report *r)
{
	struct ks_source_count one = { .source = r->source, .count = 1 };

	return ks_dedup_add_counted(d, r, &one, 1, r->source, r->last_lineno);
}

static int rank_cmp(const void *pa, const void *pb)
{
	const struct ks_dedup_entry *a = *(const struct ks_dedup_entry *const *)pa;
	const struct ks_dedup_entry *b = *(const struct ks_dedup_entry *const *)pb;

	if (a->first->a.severity != b->first->a.severity)
		return a->first->a.severity > b->first->a.severity ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->first->source != b->first->source)
		return a->first->source < b->first->source ? -1 : 1;
	if (a->first->first_lineno != b->first->first_lineno)
		return a->first->first_lineno < b->first->first_lineno ? -1 : 1;
	return 0;
}

size_t ks_dedup_ranked(struct ks_dedup *d, const struct ks_dedup_entry *const **ret)
{
	const struct ks_dedup_entry **nr = realloc(d->ranked, (d->n ? d->n : 1) * sizeof(*nr));

	if (!nr) {
		*ret = NULL;
		return 0;
	}
	d->ranked = nr;
	for (size_t i = 0; i < d->n; i++)
		nr[i] = &d->entries[i];
	qsort(nr, d->n, sizeof(*nr), rank_cmp);
	*ret = nr;
	return d->n;
}

uint64_t ks_dedup_dropped(const struct ks_dedup *d)
{
	return d->dropped;
}

uint64_t ks_dedup_total(const struct ks_dedup *d)
{
	return d->total;
}
