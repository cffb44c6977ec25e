// SPDX-License-Identifier: GPL-2.0-or-later
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/syztitle.h"

/*
 * syzkaller's common skip list for Linux frames: unanchored, matched against
 * the function name cut at its first '.' or '+'.
 */
static const char *const common_skip[] = {
	"__sanitizer", "__asan", "kasan", "hwasan", "__msan", "kmsan", "kcsan_setup_watchpoint",
	"check_memory_region", "check_heap_object", "check_object", "read_word_at_a_time",
	"(read|write)_once_.*nocheck", "print_address_description", "panic", "invalid_op",
	"report_bug", "fixup_bug", "print_report", "print_usage_bug", "do_error", "_trap$|do_trap",
	"show_stack", "dump_stack", "walk_stack", "dump_backtrace", "warn_slowpath", "warn_alloc",
	"warn_bogus", "__warn", "alloc_page", "k?v?(?:m|z|c)alloc", "krealloc", "kmem_cache",
	"allocate_slab", "__alloc_frozen_pages_noprof", "folio_(?:alloc|unlock)",
	"filemap_alloc_folio", "__filemap_get_folio", "find_or_create_page", "do_read_cache_folio",
	"read_cache_page", "pagecache_get_page", "grab_cache_page_write_begin", "slab_",
	"debug_object", "timer_is_static_object", "work_is_static_object", "__might_fault",
	"print_unlock", "imbalance_bug", "lockdep", "bh_enable", "bh_disable", "perf_trace",
	"lock_acquire", "lock_release", "lock_class", "mark_lock", "(reacquire|mark)_held_locks",
	"raw_spin_rq", "spin_lock", "spin_trylock", "spin_unlock", "read_lock", "read_trylock",
	"write_lock", "write_trylock", "read_unlock", "write_unlock", "^down$", "down_read",
	"down_write", "down_read_trylock", "down_write_trylock", "down_trylock", "up_read",
	"up_write", "^mutex_", "^__mutex_", "^rt_mutex_", "owner_on_cpu", "osq_lock", "osq_unlock",
	"atomic(64)?_(dec|inc|read|set|or|xor|and|add|sub|fetch|xchg|cmpxchg|try)",
	"(set|clear|change|test)_bit", "__wake_up", "^refcount_", "^kref_", "ref_tracker",
	"seqprop_assert", "memcpy", "memcmp", "memset", "memchr", "memmove", "memdup", "strcmp",
	"strncmp", "strcpy", "strlcpy", "strncpy", "strscpy", "strlen", "strstr", "strnstr",
	"strnlen", "strchr", "strdup", "strndup", "copy_to_user", "copy_from_user", "copy_to_iter",
	"copy_from_iter", "copy_page_to_iter", "copy_page_from_iter", "copy_folio_to_iter",
	"^copyin$", "^copyout$", "put_user", "get_user", "might_fault", "might_sleep", "list_add",
	"list_del", "list_replace", "list_move", "list_splice", "^rb_", "^__rb_",
	"_indirect_thunk_", "string", "pointer", "snprintf", "scnprintf", "kasprintf", "kvasprintf",
	"printk", "va_format", "dev_info", "dev_notice", "dev_warn", "dev_err", "dev_alert",
	"dev_crit", "dev_emerg", "program_check_exception", "program_check_common", "del_timer",
	"flush_work", "__cancel_work_timer", "cancel_work_sync", "try_to_grab_pending",
	"flush_workqueue", "drain_workqueue", "destroy_workqueue", "queue_work", "finish_wait",
	"kthread_stop", "kobject_", "add_uevent_var", "get_device_parent", "device_add",
	"device_del", "device_unregister", "device_destroy", "device_release",
	"devres_release_all", "hwrng_unregister", "i2c_del_adapter", "__unregister_client",
	"device_for_each_child", "rollback_registered", "unregister_netdev", "sysfs_remove",
	"device_remove_file", "tty_unregister_device", "dummy_urb_enqueue", "usb_kill_urb",
	"usb_kill_anchored_urbs", "usb_control_msg", "usb_hcd_submit_urb", "usb_submit_urb",
	"^complete$", "wait_for_completion", "^kv?free$", "kfree_skb", "readb$", "readw$",
	"readl$", "readq$", "writeb$", "writew$", "writel$", "writeq$", "logic_in", "logic_out",
	"^crc\\d+", "crc_itu_t", "__might_resched", "assertfail", "^iput$", "^iput_final$",
	"^ihold$", "hex_dump_to_buffer", "print_hex_dump", "^klist_", "(trace|lockdep)_(hard|soft)irq",
	"^(un)?lock_page", "stack_trace_consume_entry", "arch_stack_walk", "stack_trace_save",
	"insert_work", "__queue_delayed_work", "queue_delayed_work_on", "ida_free",
	"do_(kernel|translation)_fault", "do_mem_abort", "el1_abort", "el1h_64_sync(?:_handler)?",
	"print_tainted", "xas_(?:start|load|find)", "find_lock_entries",
	"truncate_inode_pages_range", "__phys_addr", "__fortify_report", "cleanup_srcu_struct",
	"rhashtable_lookup", "extract_(user|iter)_to_sg", "drop_nlink", "^get_taint$",
	"^put_device$", "lock_timer_base", "__timer_delete_sync", "sk_stop_timer_sync",
	"__mod_timer", "fast_dput", "dput", "mark_buffer_dirty",
};

/* One syzkaller format per kind: title format and extra skip patterns. */
struct syz_format {
	const char *prefix; /* the title is "<prefix> in <frame>" */
	const char *extra; /* '|'-joined extra skip patterns, or NULL */
	bool pc_first;     /* WARNING: the RIP/pc function wins when not skipped */
};

static const struct syz_format formats[_KS_KIND_MAX] = {
	[KS_KIND_SLEEP_IN_ATOMIC] = { "BUG: sleeping function called from invalid context", NULL, false },
	[KS_KIND_SCHEDULE_WHILE_ATOMIC] = { "BUG: scheduling while atomic", "schedule", false },
	[KS_KIND_INVALID_WAIT_CONTEXT] = { "WARNING: locking bug", "lock_sock|release_sock", false },
	/* "BUG: using <what>() in preemptible code": the prefix is built from the header. */
	[KS_KIND_SMP_PROCESSOR_ID] = { "BUG: using", "dump_stack|preemption|preempt|debug_|processor_id|this_cpu", false },
	[KS_KIND_WARNING] = { "WARNING", NULL, true },
};

/* Applied in order, each until the string stops changing. */
static const struct {
	const char *re, *with;
} replacements[] = {
	{ "syz-executor\\.?[0-9]+((/|:)[0-9]+)?", "syz-executor" },
	{ "syzkaller[0-9]+((/|:)[0-9]+)?", "syzkaller" },
	{ "([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}", "${1}ADDR" },
	{ "([0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3})", "IP" },
	{ "(\\.\\w+)(:[0-9]+)+", "${1}:LINE" },
	{ "([a-zA-Z][a-zA-Z0-9_.]+)\\+0x[0-9a-z]+/0x[0-9a-z]+", "${1}" },
	{ "CPU#[0-9]+", "CPU" },
	{ "(\\W)(\\d+)(\\W|$)", "${1}NUM${3}" },
	{ "(\\d+){7,}", "NUM" },
};

/* Syscall entry prefixes, each tried alone; the shortest result is the title's. */
static const char *const frame_prefixes[] = {
	"SYSC_", "SyS_", "sys_", "__x64_", "__ia32_", "__arm64_", "____sys_", "___sys_", "__sys_",
	"__se_", "__se_sys_", "__do_sys_", "compat_SYSC_", "compat_SyS_", "ksys_",
};

#define SYZ_TITLE_MAX 120

struct ks_syz {
	pcre2_code *skip[_KS_KIND_MAX];
	pcre2_code *repl[KS_ARRAY_SIZE(replacements)];
	pcre2_match_data *md;
};

void ks_syz_free(struct ks_syz *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < _KS_KIND_MAX; i++)
		pcre2_code_free(s->skip[i]);
	for (unsigned i = 0; i < KS_ARRAY_SIZE(replacements); i++)
		pcre2_code_free(s->repl[i]);
	pcre2_match_data_free(s->md);
	free(s);
}

static pcre2_code *compile(const char *re)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);

	if (c)
		(void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

int ks_syz_new(struct ks_syz **ret)
{
	struct ks_syz *s = calloc(1, sizeof(*s));
	size_t len = 0;
	char *all;

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < KS_ARRAY_SIZE(common_skip); i++)
		len += strlen(common_skip[i]) + 5;
	all = malloc(len + 256);
	if (!all) {
		free(s);
		return -ENOMEM;
	}
	for (unsigned k = 0; k < _KS_KIND_MAX; k++) {
		size_t o = 0;

		/* Each alternative keeps its own anchors, as a joined Go regexp does. */
		for (size_t i = 0; i < KS_ARRAY_SIZE(common_skip); i++)
			o += (size_t)sprintf(all + o, "%s(?:%s)", i ? "|" : "", common_skip[i]);
		if (formats[k].extra)
			o += (size_t)snprintf(all + o, 256, "|(?:%s)", formats[k].extra);
		s->skip[k] = compile(all);
		if (!s->skip[k])
			goto fail;
	}
	for (unsigned i = 0; i < KS_ARRAY_SIZE(replacements); i++)
		if (!(s->repl[i] = compile(replacements[i].re)))
			goto fail;
	s->md = pcre2_match_data_create(4, NULL);
	if (!s->md)
		goto fail;
	free(all);
	*ret = s;
	return 0;
fail:
	free(all);
	ks_syz_free(s);
	return -EINVAL;
}

/* syzkaller's frame name: the characters before the first '.' or '+'. */
static size_t syz_name_len(const char *func)
{
	size_t n = 0;

	while (func[n] && func[n] != '.' && func[n] != '+')
		n++;
	return n;
}

static bool skipped(struct ks_syz *s, enum ks_kind kind, const char *func)
{
	size_t n = syz_name_len(func);

	return pcre2_match(s->skip[kind], (PCRE2_SPTR)func, n, 0, 0, s->md, NULL) >= 0;
}

const struct ks_frame *ks_syz_guilty_frame(struct ks_syz *s, const struct ks_report *r)
{
	if (formats[r->kind].pc_first && r->pc && r->pc->func && !skipped(s, r->kind, r->pc->func))
		return r->pc;
	for (uint32_t i = 0; i < r->trace.n; i++) {
		const struct ks_frame *f = &r->trace.v[i];

		if (!f->func || (f->flags & KS_FRAME_UNRELIABLE) || syz_name_len(f->func) == 0)
			continue;
		if (!skipped(s, r->kind, f->func))
			return f;
	}
	return NULL;
}

/* Replace every match of @re in @buf, repeatedly until nothing changes. */
static void replace_all(pcre2_code *re, const char *with, char *buf, size_t size)
{
	char out[512];

	for (int round = 0; round < 16; round++) {
		PCRE2_SIZE olen = sizeof(out);
		int rc = pcre2_substitute(re, (PCRE2_SPTR)buf, PCRE2_ZERO_TERMINATED, 0,
					  PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_EXTENDED, NULL,
					  NULL, (PCRE2_SPTR)with, PCRE2_ZERO_TERMINATED,
					  (PCRE2_UCHAR *)out, &olen);

		if (rc <= 0 || olen >= size || strcmp(out, buf) == 0)
			return;
		memcpy(buf, out, olen + 1);
	}
}

void ks_syz_sanitize(struct ks_syz *s, char *title, size_t size)
{
	size_t o = 0;
	char prev = ' ';

	for (unsigned i = 0; i < KS_ARRAY_SIZE(replacements); i++)
		replace_all(s->repl[i], replacements[i].with, title, size);
	for (size_t i = 0; title[i] && i < SYZ_TITLE_MAX; i++) {
		char c = title[i] == '\t' ? ' ' : title[i];

		if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			continue;
		if (c == ' ' && prev == ' ')
			continue;
		title[o++] = c;
		prev = c;
	}
	while (o > 0 && title[o - 1] == ' ')
		o--;
	title[o] = '\0';
}

/* The frame name for the title: the shortest single-prefix trim. */
static void title_frame(const char *func, char *out, size_t size)
{
	size_t n = syz_name_len(func), best = n;
	const char *start = func;

	for (size_t i = 0; i < KS_ARRAY_SIZE(frame_prefixes); i++) {
		size_t pl = strlen(frame_prefixes[i]);

		if (n > pl && strncmp(func, frame_prefixes[i], pl) == 0 && n - pl < best) {
			best = n - pl;
			start = func + pl;
		}
	}
	snprintf(out, size, "%.*s", (int)best, start);
}

const char *ks_syz_title(struct ks_syz *s, struct ks_report *r, bool *ret_corrupted)
{
	const struct syz_format *f = &formats[r->kind];
	const struct ks_frame *g;
	char frame[128], title[512];

	if (!f->prefix)
		return NULL;
	g = ks_syz_guilty_frame(s, r);
	*ret_corrupted = g == NULL;
	if (g)
		title_frame(g->func, frame, sizeof(frame));
	else
		snprintf(frame, sizeof(frame), "corrupted");
	if (r->kind == KS_KIND_SMP_PROCESSOR_ID)
		snprintf(title, sizeof(title), "%s %s() in preemptible code in %s", f->prefix,
			 r->what ? r->what : "", frame);
	else
		snprintf(title, sizeof(title), "%s in %s", f->prefix, frame);
	ks_syz_sanitize(s, title, sizeof(title));
	return ks_report_strdup(r, title, strlen(title));
}
