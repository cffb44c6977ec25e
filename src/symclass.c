// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "ksplat/symclass.h"
#include "ksplat/util.h"

/*
 * A pattern ending in '*' matches by prefix, any other the whole base name
 * (compiler suffixes such as ".constprop.0" and ".cold" removed first).
 * @api names the call a developer wrote when the frame is an internal step of it.
 */
struct fentry {
	const char *pattern;
	enum ks_fclass cls;
	const char *api;
};

static const struct fentry fentries[] = {
	/* Reporting and debugging machinery: printed above every culprit. */
	{ "dump_stack*", KS_FC_REPORT, NULL },
	{ "__dump_stack", KS_FC_REPORT, NULL },
	{ "show_stack", KS_FC_REPORT, NULL },
	{ "show_trace_log_lvl", KS_FC_REPORT, NULL },
	{ "dump_backtrace*", KS_FC_REPORT, NULL },
	{ "__might_resched", KS_FC_REPORT, NULL },
	{ "__might_sleep", KS_FC_REPORT, NULL },
	{ "___might_sleep", KS_FC_REPORT, NULL },
	{ "might_sleep", KS_FC_REPORT, NULL },
	{ "__schedule_bug", KS_FC_REPORT, NULL },
	{ "__cant_sleep", KS_FC_REPORT, NULL },
	{ "check_preemption_disabled", KS_FC_REPORT, NULL },
	{ "debug_smp_processor_id", KS_FC_REPORT, NULL },
	{ "__this_cpu_preempt_check", KS_FC_REPORT, NULL },
	{ "__warn", KS_FC_REPORT, NULL },
	{ "warn_slowpath*", KS_FC_REPORT, NULL },
	{ "__warn_printk", KS_FC_REPORT, NULL },
	{ "report_bug", KS_FC_REPORT, NULL },
	{ "handle_bug", KS_FC_REPORT, NULL },
	{ "exc_invalid_op", KS_FC_REPORT, NULL },
	{ "asm_exc_invalid_op", KS_FC_REPORT, NULL },
	{ "panic", KS_FC_REPORT, NULL },
	{ "vpanic", KS_FC_REPORT, NULL },
	{ "preempt_count_add", KS_FC_REPORT, NULL },
	{ "rcu_note_context_switch", KS_FC_REPORT, NULL },
	{ "preempt_count_sub", KS_FC_REPORT, NULL },
	{ "lock_acquire*", KS_FC_REPORT, NULL },
	{ "__lock_acquire*", KS_FC_REPORT, NULL },
	{ "lock_release", KS_FC_REPORT, NULL },
	{ "__lock_release", KS_FC_REPORT, NULL },
	{ "lock_acquired", KS_FC_REPORT, NULL },
	{ "lock_contended", KS_FC_REPORT, NULL },
	{ "lockdep_*", KS_FC_REPORT, NULL },
	{ "check_noncircular", KS_FC_REPORT, NULL },
	{ "check_prev_add", KS_FC_REPORT, NULL },
	{ "check_prevs_add", KS_FC_REPORT, NULL },
	{ "validate_chain", KS_FC_REPORT, NULL },
	{ "check_wait_context", KS_FC_REPORT, NULL },
	{ "print_lock_invalid_wait_context", KS_FC_REPORT, NULL },
	{ "mark_lock*", KS_FC_REPORT, NULL },
	{ "mark_usage", KS_FC_REPORT, NULL },
	{ "find_held_lock", KS_FC_REPORT, NULL },
	{ "trace_hardirqs_*", KS_FC_REPORT, NULL },
	{ "stack_trace_save*", KS_FC_REPORT, NULL },
	{ "kasan_*", KS_FC_REPORT, NULL },
	{ "__kasan_*", KS_FC_REPORT, NULL },
	{ "__sanitizer_*", KS_FC_REPORT, NULL },

	/* The scheduler and the ways to reach it. */
	{ "schedule", KS_FC_SLEEP, "schedule" },
	{ "__schedule", KS_FC_SLEEP, "schedule" },
	{ "schedule_timeout*", KS_FC_SLEEP, "schedule_timeout" },
	{ "schedule_hrtimeout*", KS_FC_SLEEP, "schedule_hrtimeout" },
	{ "schedule_preempt_disabled", KS_FC_SLEEP, "schedule" },
	{ "preempt_schedule*", KS_FC_SLEEP, "schedule" },
	{ "io_schedule*", KS_FC_SLEEP, "io_schedule" },
	{ "msleep", KS_FC_SLEEP, "msleep" },
	{ "msleep_interruptible", KS_FC_SLEEP, "msleep_interruptible" },
	{ "ssleep", KS_FC_SLEEP, "ssleep" },
	{ "usleep_range*", KS_FC_SLEEP, "usleep_range" },
	{ "fsleep", KS_FC_SLEEP, "fsleep" },
	{ "__cond_resched*", KS_FC_SLEEP, "cond_resched" },
	{ "_cond_resched", KS_FC_SLEEP, "cond_resched" },
	{ "cond_resched", KS_FC_SLEEP, "cond_resched" },
	{ "do_wait_for_common", KS_FC_SLEEP, "wait_for_completion" },
	{ "__wait_for_common", KS_FC_SLEEP, "wait_for_completion" },
	{ "wait_for_common*", KS_FC_SLEEP, "wait_for_completion" },
	{ "wait_for_completion*", KS_FC_SLEEP, "wait_for_completion" },
	{ "synchronize_rcu*", KS_FC_SLEEP, "synchronize_rcu" },
	{ "synchronize_srcu*", KS_FC_SLEEP, "synchronize_srcu" },
	{ "__flush_work", KS_FC_SLEEP, "flush_work" },
	{ "flush_work", KS_FC_SLEEP, "flush_work" },
	{ "__flush_workqueue", KS_FC_SLEEP, "flush_workqueue" },
	{ "flush_workqueue", KS_FC_SLEEP, "flush_workqueue" },
	{ "cancel_work_sync", KS_FC_SLEEP, "cancel_work_sync" },
	{ "__cancel_work_timer", KS_FC_SLEEP, "cancel_work_sync" },
	{ "cancel_delayed_work_sync", KS_FC_SLEEP, "cancel_delayed_work_sync" },
	{ "exit_to_user_mode_loop", KS_FC_SLEEP, "schedule" },
	{ "__switch_to*", KS_FC_SLEEP, NULL },
	{ "context_switch", KS_FC_SLEEP, NULL },

	/* Sanitizer reporting. */
	{ "print_report", KS_FC_REPORT, NULL },
	{ "print_address_description*", KS_FC_REPORT, NULL },
	{ "describe_object*", KS_FC_REPORT, NULL },
	{ "__asan_*", KS_FC_REPORT, NULL },
	{ "check_region_inline", KS_FC_REPORT, NULL },
	{ "kfence_*", KS_FC_REPORT, NULL },
	{ "kmsan_*", KS_FC_REPORT, NULL },
	{ "__msan_*", KS_FC_REPORT, NULL },
	{ "ubsan_*", KS_FC_REPORT, NULL },
	{ "__ubsan_*", KS_FC_REPORT, NULL },

	/* Library helpers: the bad pointer or count came from the caller. */
	{ "memcpy*", KS_FC_HELPER, NULL },
	{ "__memcpy*", KS_FC_HELPER, NULL },
	{ "memmove", KS_FC_HELPER, NULL },
	{ "memset*", KS_FC_HELPER, NULL },
	{ "__memset", KS_FC_HELPER, NULL },
	{ "memcmp", KS_FC_HELPER, NULL },
	{ "strlen", KS_FC_HELPER, NULL },
	{ "strnlen", KS_FC_HELPER, NULL },
	{ "strcmp", KS_FC_HELPER, NULL },
	{ "strncpy", KS_FC_HELPER, NULL },
	{ "strscpy*", KS_FC_HELPER, NULL },
	{ "refcount_warn_saturate", KS_FC_HELPER, NULL },
	{ "refcount_*", KS_FC_HELPER, NULL },
	{ "__refcount_*", KS_FC_HELPER, NULL },
	{ "kref_put", KS_FC_HELPER, NULL },
	{ "list_del*", KS_FC_HELPER, NULL },
	{ "__list_del_entry*", KS_FC_HELPER, NULL },
	{ "__list_add*", KS_FC_HELPER, NULL },
	{ "kfree", KS_FC_HELPER, NULL },
	{ "kmem_cache_free", KS_FC_HELPER, NULL },

	/* Busy waiting: the caller is the one spinning. */
	{ "delay_tsc", KS_FC_BUSY, NULL },
	{ "delay_loop", KS_FC_BUSY, NULL },
	{ "delay_halt*", KS_FC_BUSY, NULL },
	{ "__delay", KS_FC_BUSY, NULL },
	{ "__udelay", KS_FC_BUSY, NULL },
	{ "__const_udelay", KS_FC_BUSY, NULL },
	{ "__ndelay", KS_FC_BUSY, NULL },
	{ "native_safe_halt", KS_FC_BUSY, NULL },
	{ "cpu_relax", KS_FC_BUSY, NULL },

	/* Allocators: every step of a GFP_KERNEL allocation may sleep. */
	{ "kmalloc*", KS_FC_ALLOC, "kmalloc" },
	{ "__kmalloc*", KS_FC_ALLOC, "kmalloc" },
	{ "kzalloc*", KS_FC_ALLOC, "kzalloc" },
	{ "kcalloc*", KS_FC_ALLOC, "kcalloc" },
	{ "krealloc*", KS_FC_ALLOC, "krealloc" },
	{ "kvmalloc*", KS_FC_ALLOC, "kvmalloc" },
	{ "__kvmalloc*", KS_FC_ALLOC, "kvmalloc" },
	{ "kvzalloc*", KS_FC_ALLOC, "kvzalloc" },
	{ "kmemdup*", KS_FC_ALLOC, "kmemdup" },
	{ "kstrdup*", KS_FC_ALLOC, "kstrdup" },
	/* kmalloc() of a constant size became these before 6.1's kmalloc_trace. */
	{ "kmem_cache_alloc_trace", KS_FC_ALLOC, "kmalloc" },
	{ "kmem_cache_alloc_node_trace", KS_FC_ALLOC, "kmalloc" },
	{ "kmalloc_order*", KS_FC_ALLOC, "kmalloc" },
	{ "kmem_cache_alloc*", KS_FC_ALLOC, "kmem_cache_alloc" },
	{ "__kmem_cache_alloc*", KS_FC_ALLOC, "kmem_cache_alloc" },
	{ "slab_alloc*", KS_FC_ALLOC, "kmem_cache_alloc" },
	{ "slab_pre_alloc_hook", KS_FC_ALLOC, "kmem_cache_alloc" },
	{ "__slab_alloc*", KS_FC_ALLOC, "kmem_cache_alloc" },
	{ "___slab_alloc", KS_FC_ALLOC, "kmem_cache_alloc" },
	{ "allocate_slab", KS_FC_ALLOC, "kmem_cache_alloc" },
	{ "new_slab", KS_FC_ALLOC, "kmem_cache_alloc" },
	{ "might_alloc", KS_FC_ALLOC, NULL },
	{ "fs_reclaim_acquire", KS_FC_ALLOC, NULL },
	{ "alloc_pages*", KS_FC_ALLOC, "alloc_pages" },
	{ "__alloc_pages*", KS_FC_ALLOC, "alloc_pages" },
	{ "alloc_page*", KS_FC_ALLOC, "alloc_pages" },
	{ "__get_free_pages", KS_FC_ALLOC, "__get_free_pages" },
	{ "get_zeroed_page", KS_FC_ALLOC, "get_zeroed_page" },
	{ "vmalloc*", KS_FC_ALLOC, "vmalloc" },
	{ "__vmalloc*", KS_FC_ALLOC, "vmalloc" },
	{ "vzalloc*", KS_FC_ALLOC, "vzalloc" },
	{ "__get_vm_area*", KS_FC_ALLOC, "vmalloc" },
	{ "alloc_vmap_area", KS_FC_ALLOC, "vmalloc" },
	{ "pcpu_alloc", KS_FC_ALLOC, "alloc_percpu" },
	{ "__alloc_percpu*", KS_FC_ALLOC, "alloc_percpu" },
	{ "mempool_alloc", KS_FC_ALLOC, "mempool_alloc" },
	{ "__alloc_skb", KS_FC_ALLOC, "alloc_skb" },

	/* Sleeping locks. */
	{ "mutex_lock*", KS_FC_MUTEX, "mutex_lock" },
	{ "__mutex_lock*", KS_FC_MUTEX, "mutex_lock" },
	{ "mutex_unlock*", KS_FC_MUTEX, "mutex_unlock" },
	{ "__mutex_unlock*", KS_FC_MUTEX, "mutex_unlock" },
	{ "mutex_lock_nested", KS_FC_MUTEX, "mutex_lock" },
	{ "ww_mutex_lock*", KS_FC_MUTEX, "ww_mutex_lock" },
	{ "__ww_mutex_lock*", KS_FC_MUTEX, "ww_mutex_lock" },
	{ "rt_mutex_lock*", KS_FC_MUTEX, "rt_mutex_lock" },
	{ "__rt_mutex_*", KS_FC_MUTEX, "rt_mutex_lock" },
	{ "rt_spin_lock", KS_FC_MUTEX, "spin_lock" },
	{ "down", KS_FC_MUTEX, "down" },
	{ "__down*", KS_FC_MUTEX, "down" },
	{ "down_interruptible", KS_FC_MUTEX, "down_interruptible" },
	{ "down_killable", KS_FC_MUTEX, "down_killable" },
	{ "down_timeout", KS_FC_MUTEX, "down_timeout" },
	{ "down_read*", KS_FC_MUTEX, "down_read" },
	{ "down_write*", KS_FC_MUTEX, "down_write" },
	{ "rwsem_down_*", KS_FC_MUTEX, NULL },
	{ "percpu_down_read*", KS_FC_MUTEX, "percpu_down_read" },
	{ "percpu_down_write", KS_FC_MUTEX, "percpu_down_write" },
	{ "__percpu_down_read", KS_FC_MUTEX, "percpu_down_read" },
	{ "console_lock", KS_FC_MUTEX, "console_lock" },
	{ "lock_sock_nested", KS_FC_MUTEX, "lock_sock" },
	{ "lock_sock", KS_FC_MUTEX, "lock_sock" },

	/* User memory access: may fault, and a fault may sleep. */
	{ "__might_fault", KS_FC_USERCOPY, NULL },
	{ "might_fault", KS_FC_USERCOPY, NULL },
	{ "_copy_to_user", KS_FC_USERCOPY, "copy_to_user" },
	{ "_copy_from_user", KS_FC_USERCOPY, "copy_from_user" },
	{ "copy_to_user", KS_FC_USERCOPY, "copy_to_user" },
	{ "copy_from_user", KS_FC_USERCOPY, "copy_from_user" },
	{ "__copy_to_user*", KS_FC_USERCOPY, "copy_to_user" },
	{ "__copy_from_user*", KS_FC_USERCOPY, "copy_from_user" },
	{ "copy_user_*", KS_FC_USERCOPY, NULL },
	{ "strncpy_from_user", KS_FC_USERCOPY, "strncpy_from_user" },
	{ "clear_user", KS_FC_USERCOPY, "clear_user" },
	{ "fault_in_*", KS_FC_USERCOPY, NULL },

	/* Spinning-lock entry points: the caller is where the lock was taken. */
	{ "_raw_spin_*", KS_FC_SPIN, NULL },
	{ "_raw_read_*", KS_FC_SPIN, NULL },
	{ "_raw_write_*", KS_FC_SPIN, NULL },
	{ "do_raw_spin_*", KS_FC_SPIN, NULL },
	{ "do_raw_read_*", KS_FC_SPIN, NULL },
	{ "do_raw_write_*", KS_FC_SPIN, NULL },
	{ "__raw_spin_*", KS_FC_SPIN, NULL },
	{ "queued_spin_*", KS_FC_SPIN, NULL },
	{ "native_queued_spin_*", KS_FC_SPIN, NULL },
	{ "spin_lock*", KS_FC_SPIN, NULL },
	{ "spin_unlock*", KS_FC_SPIN, NULL },
};

static const struct fentry *lookup(const char *func)
{
	size_t len, base;

	if (!func)
		return NULL;
	len = strlen(func);
	base = ks_func_base_len(func, len);
	for (size_t i = 0; i < KS_ARRAY_SIZE(fentries); i++) {
		const char *pat = fentries[i].pattern;
		size_t plen = strlen(pat);

		if (pat[plen - 1] == '*') {
			if (base >= plen - 1 && memcmp(func, pat, plen - 1) == 0)
				return &fentries[i];
		} else if (base == plen && memcmp(func, pat, plen) == 0) {
			return &fentries[i];
		}
	}
	return NULL;
}

enum ks_fclass ks_fclass_of(const char *func)
{
	const struct fentry *e = lookup(func);

	return e ? e->cls : KS_FC_NONE;
}

const char *ks_fclass_api(const char *func)
{
	const struct fentry *e = lookup(func);

	return e ? e->api : NULL;
}
