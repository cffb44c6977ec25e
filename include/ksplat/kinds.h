/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_KINDS_H
#define KSPLAT_KINDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ks_report;
struct ks_line;

enum ks_kind {
	KS_KIND_SLEEP_IN_ATOMIC,
	KS_KIND_SCHEDULE_WHILE_ATOMIC,
	KS_KIND_INVALID_WAIT_CONTEXT,
	KS_KIND_SMP_PROCESSOR_ID,
	KS_KIND_LOCKDEP_CIRCULAR,
	KS_KIND_LOCKDEP_RECURSIVE,
	KS_KIND_LOCKDEP_INCONSISTENT,
	KS_KIND_LOCKDEP_IRQ_INVERSION,
	KS_KIND_LOCKDEP_IRQ_UNSAFE_ORDER,
	KS_KIND_LOCKDEP_BAD_UNLOCK,
	KS_KIND_LOCKDEP_HELD_LOCK_FREED,
	KS_KIND_LOCKDEP_LOCK_HELD_RETURN_USER,
	KS_KIND_LOCKDEP_STILL_HAS_LOCKS,
	KS_KIND_LOCKDEP_NESTED_LOCK,
	KS_KIND_LOCKDEP_RCU_SUSPICIOUS,
	KS_KIND_LOCKDEP_NON_STATIC_KEY,
	KS_KIND_LOCKDEP_CAPACITY,
	KS_KIND_HUNG_TASK,
	KS_KIND_SOFT_LOCKUP,
	KS_KIND_HARD_LOCKUP,
	KS_KIND_RCU_STALL,
	KS_KIND_KASAN,
	KS_KIND_KFENCE,
	KS_KIND_KMSAN,
	KS_KIND_KCSAN,
	KS_KIND_UBSAN,
	KS_KIND_NULL_DEREF,
	KS_KIND_PAGING_FAULT,
	KS_KIND_GPF,
	KS_KIND_KERNEL_BUG,
	KS_KIND_OOPS,
	KS_KIND_PANIC,
	KS_KIND_WORKQUEUE_LEAK,
	KS_KIND_SPINLOCK_BUG,
	KS_KIND_RCU_CONTEXT_SWITCH,
	KS_KIND_WARNING,
	KS_KIND_OTHER,
	_KS_KIND_MAX,
	_KS_KIND_INVALID = -1,
};

/* How a report of the kind ends. */
enum ks_end {
	KS_END_TRACE,  /* with its stack dump: "</TASK>" or the first line that is no trace line */
	KS_END_MARKER, /* with "---[ end trace ... ]---" */
	KS_END_GREEDY, /* with the next report, a long silence or the line budget: the tail
			  (NMI backtraces, lock lists, register dumps) belongs to it */
};

enum {
	KS_KIND_PRELUDE = 1 << 0, /* "cut here": the next start of the same caller takes over */
	KS_KIND_INSIDE = 1 << 1,  /* printed inside other reports (Oops:, Kernel panic): while one
				     is open, its line continues it instead of starting a report */
};

/* Captures of a start pattern, borrowed from the line. */
#define KS_MAX_CAPS 6
struct ks_match {
	enum ks_kind kind;
	uint32_t ncap;
	struct {
		const char *p;
		size_t len;
	} cap[KS_MAX_CAPS]; /* cap[i].p == NULL when group i did not take part */
};

/* A NULL-terminated list of literals, as a kind's needles. */
#define KS_NEEDLES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/*
 * One kind of report. The start pattern is anchored at the message start and
 * runs only on lines that contain one of the needles: every line the pattern
 * matches must contain one (tests check it against the pattern itself), and
 * the rarer they are in ordinary log text the faster the scan. @parse_header
 * fills the report from the start line's captures; @parse_body takes lines
 * that only this kind has and returns true when it consumed the line.
 */
struct ks_kind_info {
	enum ks_kind id;
	const char *name;   /* stable token: "sleep-in-atomic" */
	const char *label;  /* for people: "sleeping function called from invalid context" */
	const char *headline; /* start of ksplat's headline, "possible deadlock" ("<headline> in <culprit>") */
	const char *const *needles; /* literals, one in every start line; NULL: no start line */
	const char *start;  /* PCRE2 pattern */
	const char *suppress; /* a matching start line is not a report (PCRE2), or NULL */
	enum ks_end end;
	uint16_t severity;  /* 0..100; ranks kinds, documented in ksplat(1) */
	uint16_t flags;     /* KS_KIND_* */
	int (*parse_header)(struct ks_report *r, const struct ks_match *m);
	bool (*parse_body)(struct ks_report *r, const char *text, size_t len);
};

extern const struct ks_kind_info ks_kinds[_KS_KIND_MAX];

const char *ks_kind_name(enum ks_kind kind);
enum ks_kind ks_kind_by_name(const char *name);

#endif
