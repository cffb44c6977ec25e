/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_REPORT_H
#define KSPLAT_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "ksplat/arena.h"
#include "ksplat/kinds.h"
#include "ksplat/util.h"

enum {
	KS_FRAME_UNRELIABLE = 1 << 0, /* "? func": stack garbage as often as not */
	KS_FRAME_PC = 1 << 1,         /* an exact PC (RIP:, pc :), not a return address */
};

enum ks_section {
	KS_SEC_NONE,
	KS_SEC_TASK,
	KS_SEC_IRQ,
	KS_SEC_SOFTIRQ,
	KS_SEC_NMI,
	KS_SEC_OTHER, /* #DF, #DB, #MC, #VC, ENTRY_TRAMPOLINE */
	_KS_SEC_MAX,
};

/* A function inlined into a frame's function: where in it the code was. */
struct ks_inlined {
	const char *func;
	const char *file;
	uint32_t line;
};

struct ks_frame {
	const char *func;    /* as printed, "slab_pre_alloc_hook.constprop.0"; NULL for a raw address */
	const char *module;  /* "splatmod", NULL for vmlinux */
	const char *buildid; /* module build id when printed, else NULL */
	uint64_t off;        /* "+0xoff" */
	uint64_t size;       /* "/0xsize", 0 when not printed */
	uint64_t addr;       /* "[<addr>]" or a raw "0x..." frame, 0 when not printed */
	uint16_t flags;      /* KS_FRAME_* */
	uint8_t section;     /* enum ks_section */
	bool has_off;
	const char *file;    /* filled by symbolization; NULL until then */
	uint32_t line;
	uint16_t ninlined;
	const struct ks_inlined *inlined; /* code inlined at that line, innermost first */
	const char *source;  /* the text of file:line from --srcdir, or NULL */
};

/* A lock as lockdep prints it: "[#N: ][addr ](name){usage}-{outer:inner}, at: site". */
struct ks_lock {
	const char *name;    /* lock class as printed, "&dev->mutex#2/1" */
	const char *usage;   /* "+.+." */
	uint64_t addr;       /* lockdep_map instance, 0 when not printed */
	int8_t wait_outer;   /* wait types, -1 when not printed (before 5.7) */
	int8_t wait_inner;
	int16_t depth;       /* "#N" index in a held-locks list, -1 otherwise */
	const char *owner;   /* "comm/pid" of the held-locks list it is in, or NULL */
	const char *role;    /* lockdep's words for it: "holding", "chain", "released"; or NULL */
	bool has_at;
	struct ks_frame at;  /* where it was taken (a return address) */
};

enum {
	KS_REP_CUT = 1 << 0,         /* line budget or arena cap reached */
	KS_REP_TRUNCATED = 1 << 1,   /* ended before its trace: input ended or lines missing */
	KS_REP_INTERLEAVED = 1 << 2, /* shared its lines with another open report */
	KS_REP_NESTED = 1 << 3,      /* printed in the middle of another report */
	KS_REP_LOCKS_FROM_NESTED = 1 << 4, /* held locks taken from a report nested in this one */
	KS_REP_LINE_CUT = 1 << 5,    /* one of its lines was longer than the line limit */
};

/* Small growable array of T in an arena. */
#define KS_ARRAY(T) struct { T *v; uint32_t n, cap; }

struct ks_locks {
	struct ks_lock *v;
	uint32_t n, cap;
};

struct ks_report {
	enum ks_kind kind;
	struct ks_arena *arena; /* owns everything below */
	uint32_t flags;         /* KS_REP_* */
	uint32_t source;        /* index of the input */
	const char *input;      /* name of the input (not owned: outlives the report) */
	uint32_t caller;
	uint8_t caller_type;
	uint64_t first_lineno, last_lineno;
	uint64_t first_ns, last_ns;     /* kernel time or KS_TIME_NONE */
	const char *first_wall;         /* wall clock of the first line as printed, or NULL */

	const char *header;             /* the line that started the report */
	uint32_t header_index;          /* its index in lines[]: a "cut here" prelude may come first */
	const char *header_file;        /* "include/linux/sched/mm.h" of "... at FILE:LINE" */
	uint32_t header_line;
	const char *what;               /* kind detail: "smp_processor_id" of "BUG: using smp_processor_id()" */

	/* Context of the task that hit the bug. */
	const char *comm;
	int64_t pid, cpu;               /* -1 when unknown */
	int64_t in_atomic, irqs_disabled, non_block, preempt_count, preempt_expected, rcu_depth;
	const char *tainted;            /* "Tainted: G           O" or "Not tainted", as printed */
	const char *kernel;             /* release as printed on the CPU: line */
	const char *kernel_buildid;     /* vmlinux build id ending that line, or NULL */
	const char *hardware;
	const char *host;               /* the journal's _HOSTNAME, or NULL */
	const char *boot_id;            /* the journal's _BOOT_ID, or NULL */
	const char *machine_id;         /* the journal's _MACHINE_ID, or NULL */
	int8_t level;                   /* log level of its first line (0-7), -1 when not printed */

	KS_ARRAY(struct ks_frame) trace; /* the current stack, outermost last */
	struct ks_frame *pc;             /* kernel RIP:/pc : line, NULL if none */
	struct ks_frame *preempt_site;   /* "Preemption disabled at:" */
	struct ks_frame *irqs_off_site;  /* "hardirqs last disabled at" */
	struct ks_frame *caller_frame;   /* "caller is FUNC" of smp_processor_id reports */

	struct ks_locks held;            /* "N locks held by comm/pid:" */
	const char *held_by;             /* "comm/pid" of that list */
	struct ks_lock *acquiring;       /* lockdep: the lock being taken ("is trying to acquire lock:") */
	struct ks_locks involved;        /* other locks lockdep names: held, chain links, released */
	struct ks_frame *site;           /* bad unlock balance: where the unheld lock was released */
	uint8_t want;                    /* kind parsers: what the next line should be */
	KS_ARRAY(const char *) scenario; /* lockdep's "Possible unsafe locking scenario" table */
	bool has_nmi;                    /* an "NMI backtrace for cpu N" section was printed */
	uint32_t nmi_trace_start;        /* trace[] index where it began */
	struct ks_frame *nmi_pc;         /* its RIP/pc */
	int8_t context_outer, context_inner; /* Invalid wait context "context-{o:i}", -1 if none */

	KS_ARRAY(const char *) lines;    /* the report's message lines, in order */

	/* Filled by analyze. */
	struct ks_analysis {
		const struct ks_frame *culprit;
		const struct ks_frame *callee;
		const char *callee_api;      /* "kmalloc" for kmalloc_trace; NULL if none */
		const struct ks_lock *lock;
		const struct ks_lock *holding; /* Invalid wait context: the held lock it conflicts with;
						  lockdep: the lock already held */
		const char *holder;            /* hung task: "comm/pid" that holds the awaited lock */
		const char *cause;           /* "spinlock", "irqs-off", ... see analyze.c */
		const char *title;           /* syzkaller's rules */
		const char *headline;        /* ksplat's own, names the real culprit */
		const char *hint;
		bool corrupted;
		uint64_t signature;
		uint16_t severity;
	} a;
};

/* A new empty report of @kind with its arena (cap @arena_cap bytes). */
int ks_report_new(enum ks_kind kind, size_t arena_cap, struct ks_report **ret);
void ks_report_free(struct ks_report *r);
char *ks_report_strdup(struct ks_report *r, const char *p, size_t len);
/* A copy of the C string @s in @r's arena; NULL for NULL (and at the cap). */
const char *ks_report_strdup_or_null(struct ks_report *r, const char *s);
/* Append to a KS_ARRAY living in the report's arena; -ENOMEM at the cap. */
int ks_report_grow(struct ks_report *r, void **v, uint32_t *n, uint32_t *cap, size_t elem);
#define ks_report_push(r, arr) \
	(ks_report_grow((r), (void **)&(arr).v, &(arr).n, &(arr).cap, sizeof(*(arr).v)) < 0 ? \
		 NULL : &(arr).v[(arr).n++])

#endif
