/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_SYMCLASS_H
#define KSPLAT_SYMCLASS_H

#include <stddef.h>

/*
 * What ksplat knows about kernel functions that appear above the real
 * culprit in a trace: the reporting machinery, and the generic primitives
 * that may sleep. One table, each entry justified by a test.
 */
enum ks_fclass {
	KS_FC_NONE,     /* an ordinary function: a culprit candidate */
	KS_FC_REPORT,   /* dump_stack, __might_resched, lockdep, __warn: the report itself */
	KS_FC_SLEEP,    /* schedule, msleep, wait_for_completion, synchronize_rcu */
	KS_FC_ALLOC,    /* kmalloc and the page/slab allocators */
	KS_FC_MUTEX,    /* mutex, rwsem, semaphore, console_lock: sleeping locks */
	KS_FC_USERCOPY, /* copy_*_user, might_fault: may fault and sleep */
	KS_FC_SPIN,     /* spinlock/rwlock entry points: not where a bug is */
	KS_FC_BUSY,     /* busy-wait helpers (udelay): a stalled CPU spins in them for its caller */
	KS_FC_HELPER,   /* library helpers a bug passes through (memcpy, refcount_*): the caller is it */
	_KS_FC_MAX,
};

/* Class of a function name as printed (compiler suffixes ignored). */
enum ks_fclass ks_fclass_of(const char *func);
/* The API a driver called, for generic entry points ("kmalloc" for "kmalloc_trace"), else NULL. */
const char *ks_fclass_api(const char *func);

#endif
