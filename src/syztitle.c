// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Titles by syzkaller's rules, so that a report carries the name syzbot
 * gives the same bug. The format table is in syzformats.c; this file runs
 * it over a report's own lines the way syzkaller does over a console log:
 * the earliest title match among the group's formats wins, the guilty frame
 * comes from walking the format's stack parts, and the title is then
 * normalised (addresses, numbers, line numbers) and sanitised.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/envelope.h"
#include "ksplat/syztitle.h"
#include "ksplat/util.h"
#include "syzformats.h"

/* syzkaller's common skip list: matched unanchored against a frame's name. */
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

/* Lines that start a stack: they end the stack being read. */
static const char *const stack_starts[] = {
	"Call (?:T|t)race", "Allocated:", "Allocated by task [0-9]+:", "Freed:",
	"Freed by task [0-9]+:", "[^k] backtrace(?: \\(crc [[:xdigit:]]*\\))?:", "Backtrace:",
	"Uninit was stored to memory at",
	"status: [0-9a-f]{16} badaddr: [0-9a-f]{16} cause: [0-9a-f]{16}",
};
/*
 * Literals that every line matching one of them holds: a line without any
 * (nearly every line of a stack) needs no regexp run.
 */
static const char *const stack_start_literals[] = {
	"Call ", "Allocated", "Freed", "backtrace", "Backtrace:", "Uninit was stored", "badaddr: ",
};
#define N_STACK_STARTS (sizeof(stack_starts) / sizeof(stack_starts[0]))
#define RISCV_STACK_START (N_STACK_STARTS - 1)

#define RIP_RE "(?:IP|NIP|pc |PC is at):? (?:(?:[0-9]+:)?(?:{{PC}} +){0,2}{{FUNC}}|(?:[0-9]+:)?0x[0-9a-f]+|" \
	       "(?:[0-9]+:)?{{PC}} +\\[< *\\(null\\)>\\] +\\(null\\)|[0-9]+: +\\(null\\))"

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
#define N_REPL (sizeof(replacements) / sizeof(replacements[0]))

/* Syscall entry prefixes, each tried alone; the shortest result is the title's. */
static const char *const frame_prefixes[] = {
	"SYSC_", "SyS_", "sys_", "__x64_", "__ia32_", "__arm64_", "____sys_", "___sys_", "__sys_",
	"__se_", "__se_sys_", "__do_sys_", "compat_SYSC_", "compat_SyS_", "ksys_",
};

/* Hung-task buckets: a frame containing the key is answered with the value (NULL: itself). */
static const struct {
	const char *key, *answer;
} hang_anchors[] = {
	{ "rtnl_lock", NULL },
	{ "synchronize_rcu", "synchronize_rcu" },
	{ "synchronize_srcu", "synchronize_rcu" },
	{ "synchronize_net", "synchronize_rcu" },
	{ "synchronize_sched", "synchronize_rcu" },
};
static const char *const hang_waiting[] = {
	"sched", "_lock", "_slowlock", "down", "rwsem", "completion", "kthread", "wait",
	"synchronize", "context_switch", "__switch_to", "cancel_delayed_work", "rcu_barrier",
};

#define SYZ_TITLE_MAX 120
#define MAX_PARTS 4
#define MAX_FRAMES 256
#define MAX_ARGS 12
#define NAME_MAX_LEN 128
/* Lines after which a panic or circular-locking line and everything after it no longer count. */
#define REPORT_MIN_LINES 22

struct cpart {
	const char *kind;   /* the part as written: a sentinel or regexp text */
	pcre2_code *re;     /* NULL for PST */
	bool pst;
};

struct cstack {
	struct cpart parts[MAX_PARTS], parts2[MAX_PARTS];
	size_t nparts, nparts2;
	pcre2_code *skip; /* borrowed from ks_syz.skips */
	enum syz_extractor ex;
};

struct cformat {
	pcre2_code *title, *report;
	struct cstack *stack; /* NULL without a stack */
};

struct cgroup {
	int ready;            /* 1 compiled, 0 not yet, -errno when it could not be */
	pcre2_code *suppress; /* joined, or NULL */
	struct cformat *formats;
};

/* A skip regexp (the common list plus one format's extras), shared by every stack with those extras. */
struct skip_re {
	const char *extra; /* the extras as written in syzformats.c, or NULL */
	pcre2_code *re;
};

#define MAX_SKIP_RES 64

/*
 * A skip regexp's answer for one frame name. The same few hundred functions
 * fill every stack, and the common list's hundred and fifty alternatives
 * cost a microsecond a name: answers are remembered, direct-mapped.
 */
#define SKIP_MEMO 1024
struct skip_memo {
	const pcre2_code *re;
	uint8_t len;
	bool skip;
	char name[62]; /* longer names are not remembered */
};

struct ks_syz {
	struct cgroup *groups;
	struct skip_re skips[MAX_SKIP_RES]; /* the common list is long: compiled once per distinct extras */
	size_t nskips;
	pcre2_code *frame1, *frame2, *corrupted_line, *stall_anchor;
	pcre2_code *corrupted_title;
	pcre2_code *stack_start[N_STACK_STARTS];
	pcre2_code *any_stack_start; /* all of them joined: one match per line where any will do */
	bool stack_literal_first[256]; /* the first bytes of stack_start_literals */
	pcre2_code *repl[N_REPL];
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	char args[MAX_ARGS * 2][NAME_MAX_LEN * 2]; /* title arguments, reused per report */
	struct skip_memo skip_memo[SKIP_MEMO];     /* recent answers of the skip regexps */
	int rc;                                    /* pcre2_match() result of the last match */
	uint32_t ngroups;                          /* capture groups of the last title/report match */
};

/* A frame name found in a stack: captured text, cut to NAME_MAX_LEN. */
struct fname {
	char s[NAME_MAX_LEN];
};

/* Expand syzkaller's regexp macros; returns a malloc'd string. */
static char *expand(const char *re)
{
	static const struct {
		const char *macro, *with;
	} macros[] = {
		{ "{{ADDR}}", "0x[0-9a-f]+" },
		{ "{{PC}}", "\\[\\<?(?:0x)?[0-9a-f]+\\>?\\]" },
		{ "{{FUNC}}", "([a-zA-Z0-9_]+)(?:\\.|\\+)" },
		{ "{{SRC}}", "([a-zA-Z0-9\\-_/.]+\\.[a-z]+:[0-9]+)" },
		/* A task name without captures: the frame is the format's first argument. */
		{ "{{TASK}}", ".*" },
	};
	size_t cap = strlen(re) * 4 + 64, o = 0;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	for (const char *p = re; *p;) {
		size_t k;

		for (k = 0; k < sizeof(macros) / sizeof(macros[0]); k++)
			if (strncmp(p, macros[k].macro, strlen(macros[k].macro)) == 0)
				break;
		if (k < sizeof(macros) / sizeof(macros[0])) {
			size_t n = strlen(macros[k].with);

			if (o + n + 1 > cap)
				break;
			memcpy(out + o, macros[k].with, n);
			o += n;
			p += strlen(macros[k].macro);
		} else {
			if (o + 2 > cap)
				break;
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return out;
}

static pcre2_code *compile(const char *re)
{
	char *x = expand(re);
	int err;
	PCRE2_SIZE off;
	pcre2_code *c;

	if (!x)
		return NULL;
	/* Go's "$" without (?m) matches only at the very end. */
	c = pcre2_compile((PCRE2_SPTR)x, PCRE2_ZERO_TERMINATED, PCRE2_DOLLAR_ENDONLY, &err, &off, NULL);
	free(x);
	if (c && ks_regex_jit_wanted())
		(void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

/* One alternation "(?:a)|(?:b)|..." of a NULL-terminated list plus an extra '|'-list. */
static pcre2_code *compile_joined(const char *const *list, size_t n, const char *extra)
{
	size_t len = extra ? strlen(extra) + 8 : 8, o = 0;
	pcre2_code *c;
	char *all;

	for (size_t i = 0; i < n && list[i]; i++)
		len += strlen(list[i]) + 6;
	all = malloc(len);
	if (!all)
		return NULL;
	all[0] = '\0';
	for (size_t i = 0; i < n && list[i]; i++)
		o += (size_t)sprintf(all + o, "%s(?:%s)", o ? "|" : "", list[i]);
	if (extra)
		o += (size_t)sprintf(all + o, "%s(?:%s)", o ? "|" : "", extra);
	c = o ? compile(all) : NULL;
	free(all);
	return c;
}

static int compile_parts(const char *const *src, struct cpart *dst, size_t *ret_n)
{
	size_t n = 0;

	for (; n < MAX_PARTS && src[n]; n++) {
		const char *p = src[n];

		dst[n].kind = p;
		dst[n].pst = strcmp(p, SYZ_PART_PST) == 0;
		if (dst[n].pst)
			continue;
		if (strcmp(p, SYZ_PART_CT) == 0)
			dst[n].re = compile("(?:Call (?:T|t)race:)|(?:Backtrace:)");
		else if (strcmp(p, SYZ_PART_RIP) == 0)
			dst[n].re = compile(RIP_RE);
		else if (strcmp(p, SYZ_PART_WARN_RIP) == 0)
			dst[n].re = compile("(?:" RIP_RE "|--- interrupt: [0-9]+ at {{FUNC}})");
		else
			dst[n].re = compile(p);
		if (!dst[n].re)
			return -EINVAL;
	}
	*ret_n = n;
	return 0;
}

static void free_parts(struct cpart *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pcre2_code_free(p[i].re);
}

void ks_syz_free(struct ks_syz *s)
{
	if (!s)
		return;
	for (size_t g = 0; s->groups && g < syz_ngroups; g++) {
		struct cgroup *cg = &s->groups[g];

		pcre2_code_free(cg->suppress);
		for (size_t f = 0; cg->formats && f < syz_groups[g].nformats; f++) {
			struct cformat *cf = &cg->formats[f];

			pcre2_code_free(cf->title);
			pcre2_code_free(cf->report);
			if (cf->stack) {
				free_parts(cf->stack->parts, cf->stack->nparts);
				free_parts(cf->stack->parts2, cf->stack->nparts2);
				free(cf->stack);
			}
		}
		free(cg->formats);
	}
	free(s->groups);
	for (size_t i = 0; i < s->nskips; i++)
		pcre2_code_free(s->skips[i].re);
	pcre2_code_free(s->frame1);
	pcre2_code_free(s->frame2);
	pcre2_code_free(s->corrupted_line);
	pcre2_code_free(s->stall_anchor);
	pcre2_code_free(s->corrupted_title);
	for (size_t i = 0; i < N_STACK_STARTS; i++)
		pcre2_code_free(s->stack_start[i]);
	pcre2_code_free(s->any_stack_start);
	for (size_t i = 0; i < N_REPL; i++)
		pcre2_code_free(s->repl[i]);
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	free(s);
}

/* The skip regexp for @extra, compiled the first time a stack asks for it. */
static pcre2_code *skip_re(struct ks_syz *s, const char *extra)
{
	for (size_t i = 0; i < s->nskips; i++)
		if (s->skips[i].extra == extra ||
		    (extra && s->skips[i].extra && strcmp(s->skips[i].extra, extra) == 0))
			return s->skips[i].re;
	if (s->nskips == MAX_SKIP_RES)
		return NULL;
	s->skips[s->nskips].extra = extra;
	s->skips[s->nskips].re = compile_joined(common_skip, sizeof(common_skip) / sizeof(common_skip[0]), extra);
	return s->skips[s->nskips].re ? s->skips[s->nskips++].re : NULL;
}

static int compile_format(struct ks_syz *s, const struct syz_format *f, struct cformat *cf)
{
	const struct syz_stack *st = f->stack;

	cf->title = compile(f->title);
	if (!cf->title || (f->report && !(cf->report = compile(f->report))))
		return -EINVAL;
	if (!st)
		return 0;
	cf->stack = calloc(1, sizeof(*cf->stack));
	if (!cf->stack)
		return -ENOMEM;
	cf->stack->ex = st->ex;
	if (compile_parts(st->parts, cf->stack->parts, &cf->stack->nparts) < 0 ||
	    compile_parts(st->parts2, cf->stack->parts2, &cf->stack->nparts2) < 0)
		return -EINVAL;
	cf->stack->skip = skip_re(s, st->skip);
	return cf->stack->skip ? 0 : -EINVAL;
}

/*
 * A group's patterns, compiled the first time a report carries its header:
 * compiling and JIT-compiling all of them took most of a short run.
 */
static int group_ready(struct ks_syz *s, size_t g)
{
	const struct syz_group *sg = &syz_groups[g];
	struct cgroup *cg = &s->groups[g];
	int err;

	if (cg->ready)
		return cg->ready;
	cg->ready = -ENOMEM;
	if (!(cg->formats = calloc(sg->nformats, sizeof(*cg->formats))))
		return cg->ready;
	if (sg->suppress) {
		size_t n = 0;

		while (sg->suppress[n])
			n++;
		if (!(cg->suppress = compile_joined(sg->suppress, n, NULL)))
			return cg->ready = -EINVAL;
	}
	for (size_t f = 0; f < sg->nformats; f++)
		if ((err = compile_format(s, &sg->formats[f], &cg->formats[f])) < 0)
			return cg->ready = err;
	return cg->ready = 1;
}

int ks_syz_compile_all(struct ks_syz *s)
{
	int err;

	for (size_t g = 0; g < syz_ngroups; g++)
		if ((err = group_ready(s, g)) < 0)
			return err;
	return 0;
}

int ks_syz_new(struct ks_syz **ret)
{
	struct ks_syz *s = calloc(1, sizeof(*s));
	size_t nanchors = 0;

	if (!s)
		return -ENOMEM;
	s->groups = calloc(syz_ngroups, sizeof(*s->groups));
	if (!s->groups)
		goto fail;
	while (syz_stall_anchors[nanchors])
		nanchors++;
	s->frame1 = compile("^ *(?:{{PC}} ){0,2}{{FUNC}}");
	s->frame2 = compile("^ *{{PC}} \\(([a-zA-Z0-9_.]+)\\) from {{PC}} \\({{FUNC}}");
	s->corrupted_line = compile("^( \\[\\<?(?:0x)?[0-9a-f]+\\>?\\])? should_fail(slab)?(\\.[a-z0-9.]+)?\\+0x");
	s->stall_anchor = compile_joined(syz_stall_anchors, nanchors, NULL);
	s->corrupted_title = compile("\\[ *[0-9]+\\.[0-9]+\\]");
	for (size_t i = 0; i < N_STACK_STARTS; i++)
		s->stack_start[i] = compile(stack_starts[i]);
	s->any_stack_start = compile_joined(stack_starts, N_STACK_STARTS, NULL);
	for (size_t i = 0; i < KS_ARRAY_SIZE(stack_start_literals); i++)
		s->stack_literal_first[(unsigned char)stack_start_literals[i][0]] = true;
	for (size_t i = 0; i < N_REPL; i++)
		s->repl[i] = compile(replacements[i].re);
	s->md = pcre2_match_data_create(32, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	if (!s->frame1 || !s->frame2 || !s->corrupted_line || !s->stall_anchor ||
	    !s->corrupted_title || !s->any_stack_start || !s->md || !s->mctx)
		goto fail;
	for (size_t i = 0; i < N_STACK_STARTS; i++)
		if (!s->stack_start[i])
			goto fail;
	for (size_t i = 0; i < N_REPL; i++)
		if (!s->repl[i])
			goto fail;
	/* Bound the work a hostile report can cause in the lazy multi-line patterns. */
	pcre2_set_match_limit(s->mctx, 2000000);
	pcre2_set_depth_limit(s->mctx, 5000);
	*ret = s;
	return 0;
fail:
	ks_syz_free(s);
	return -EINVAL;
}

/* Match @re in p[0..len) from @start; true with the ovector in s->md. */
static bool match(struct ks_syz *s, const pcre2_code *re, const char *p, size_t len, size_t start)
{
	s->rc = pcre2_match(re, (PCRE2_SPTR)p, len, start, 0, s->md, s->mctx);
	return s->rc >= 0;
}

static bool matches(struct ks_syz *s, const pcre2_code *re, const char *p, size_t len)
{
	return re && match(s, re, p, len, 0);
}

/* The frames of one stack segment, raw as captured. */
struct segment {
	struct fname raw[MAX_FRAMES];
	size_t n;
};

/*
 * C++ (Itanium) names as syzkaller shows them, without parameters:
 * "_Z8fakeNameiii" is "fakeName", "_ZN2ns4funcEv" is "ns::func".
 */
static void demangle(char *name)
{
	char out[NAME_MAX_LEN];
	const char *p = name + 2;
	size_t o = 0;
	bool nested;

	if (strncmp(name, "_Z", 2) != 0)
		return;
	nested = *p == 'N';
	if (nested)
		p++;
	do {
		char *end;
		unsigned long n = strtoul(p, &end, 10);

		if (end == p || n == 0 || n > strlen(end) || o + n + 3 > sizeof(out))
			return;
		if (o) {
			out[o++] = ':';
			out[o++] = ':';
		}
		memcpy(out + o, end, n);
		o += n;
		p = end + n;
	} while (nested && *p >= '1' && *p <= '9');
	out[o] = '\0';
	memcpy(name, out, o + 1);
}

/* Whether @skip drops the frame @name (it matches anywhere in it). */
static bool skipped(struct ks_syz *s, const pcre2_code *skip, const char *name)
{
	size_t len = strlen(name);
	struct skip_memo *m;
	bool ret;

	if (len >= sizeof(m->name))
		return matches(s, skip, name, len);
	m = &s->skip_memo[(ks_fnv1a(KS_FNV_SEED, name, len) ^ (uintptr_t)skip) % SKIP_MEMO];
	if (m->re == skip && m->len == len && memcmp(m->name, name, len) == 0)
		return m->skip;
	ret = matches(s, skip, name, len);
	m->re = skip;
	m->len = (uint8_t)len;
	m->skip = ret;
	memcpy(m->name, name, len);
	return ret;
}

/* Append the captures of the last match (if not skipped) to the segment. */
static void append_captures(struct ks_syz *s, const char *line, pcre2_code *skip, struct segment *seg)
{
	uint32_t n = s->rc > 0 ? (uint32_t)s->rc : 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
	struct fname caps[8];
	size_t ncaps = 0;

	/* Copy first: the skip match below reuses the match data. */
	for (uint32_t i = 1; i < n && ncaps < 8; i++) {
		size_t len;

		if (ov[2 * i] == PCRE2_UNSET)
			continue;
		len = ov[2 * i + 1] - ov[2 * i];
		if (len >= NAME_MAX_LEN)
			len = NAME_MAX_LEN - 1;
		memcpy(caps[ncaps].s, line + ov[2 * i], len);
		caps[ncaps].s[len] = '\0';
		ncaps++;
	}
	for (size_t i = 0; i < ncaps; i++) {
		demangle(caps[i].s);
		if (skip && skipped(s, skip, caps[i].s))
			continue;
		if (seg->n < MAX_FRAMES)
			seg->raw[seg->n++] = caps[i];
	}
}

/* The shortest result of trimming one syscall prefix. */
static void strip_prefixes(const char *raw, char *out, size_t size)
{
	size_t n = strlen(raw), best = n;
	const char *start = raw;

	for (size_t i = 0; i < sizeof(frame_prefixes) / sizeof(frame_prefixes[0]); i++) {
		size_t pl = strlen(frame_prefixes[i]);

		if (strncmp(raw, frame_prefixes[i], pl) == 0 && n - pl < best) {
			best = n - pl;
			start = raw + pl;
		}
	}
	snprintf(out, size, "%.*s", (int)best, start);
}

/* The frame a segment blames, stripped; false when the extractor finds none. */
static bool extract(struct ks_syz *s, enum syz_extractor ex, const struct segment *seg,
		    struct fname *ret)
{
	struct fname st;

	if (seg->n == 0)
		return false;
	switch (ex) {
	case SYZ_EX_FIRST:
		strip_prefixes(seg->raw[0].s, ret->s, sizeof(ret->s));
		return true;
	case SYZ_EX_STALL: {
		struct fname prev;

		strip_prefixes(seg->raw[0].s, prev.s, sizeof(prev.s));
		for (size_t i = 0; i < seg->n; i++) {
			strip_prefixes(seg->raw[i].s, st.s, sizeof(st.s));
			if (matches(s, s->stall_anchor, st.s, strlen(st.s))) {
				if (strstr(st.s, "smp_call_function"))
					snprintf(prev.s, sizeof(prev.s), "smp_call_function");
				*ret = prev;
				return true;
			}
			prev = st;
		}
		return false;
	}
	case SYZ_EX_HANG:
		for (size_t i = 0; i < seg->n; i++) {
			strip_prefixes(seg->raw[i].s, st.s, sizeof(st.s));
			for (size_t k = 0; k < sizeof(hang_anchors) / sizeof(hang_anchors[0]); k++) {
				if (strstr(st.s, hang_anchors[k].key)) {
					if (hang_anchors[k].answer)
						snprintf(st.s, sizeof(st.s), "%s", hang_anchors[k].answer);
					*ret = st;
					return true;
				}
			}
		}
		for (size_t i = 0; i < seg->n; i++) {
			bool waiting = false;

			strip_prefixes(seg->raw[i].s, st.s, sizeof(st.s));
			for (size_t k = 0; k < sizeof(hang_waiting) / sizeof(hang_waiting[0]); k++)
				waiting |= strstr(st.s, hang_waiting[k]) != NULL;
			if (!waiting) {
				*ret = st;
				return true;
			}
		}
		return false;
	}
	return false;
}

/* Line cursor over the report text. */
struct cursor {
	const char *p, *end;
};

static bool next_line(struct cursor *c, const char **ret, size_t *ret_len)
{
	const char *nl;

	if (c->p > c->end)
		return false;
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	*ret = c->p;
	*ret_len = nl ? (size_t)(nl - c->p) : (size_t)(c->end - c->p);
	c->p = nl ? nl + 1 : c->end + 1;
	return true;
}

/* Whether the line holds one of stack_start_literals: one pass, a table lookup a byte. */
static bool has_stack_literal(const struct ks_syz *s, const char *l, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!s->stack_literal_first[(unsigned char)l[i]])
			continue;
		for (size_t k = 0; k < KS_ARRAY_SIZE(stack_start_literals); k++) {
			const char *lit = stack_start_literals[k];
			size_t n = strlen(lit);

			if (lit[0] == l[i] && len - i >= n && memcmp(l + i, lit, n) == 0)
				return true;
		}
	}
	return false;
}

static bool is_stack_start(struct ks_syz *s, const char *l, size_t len)
{
	return has_stack_literal(s, l, len) && matches(s, s->any_stack_start, l, len);
}

/* syzkaller's "(\\[\\<[0-9a-f]+\\>\\])? \\? ": its group is optional, so " ? " is all it needs. */
static bool is_questionable(const char *l, size_t len)
{
	for (const char *p = l + 1, *end = l + len; p + 1 < end && (p = memchr(p, '?', (size_t)(end - p - 1)));
	     p++)
		if (p[-1] == ' ' && p[1] == ' ')
			return true;
	return false;
}

/* A frame of a stack line: frame1, else the arm "(f) from (g)" form. */
static void take_frame(struct ks_syz *s, const char *l, size_t len, pcre2_code *skip, struct segment *seg)
{
	if (matches(s, s->frame1, l, len) || matches(s, s->frame2, l, len))
		append_captures(s, l, skip, seg);
}

/*
 * Walk @parts over the text: a regexp part consumes lines up to its first
 * match (and its capture is a frame); a stack part takes frames up to the
 * next stack start. Each stack segment yields one frame.
 */
static bool walk_parts(struct ks_syz *s, const struct cstack *cs, const struct cpart *parts,
		       size_t nparts, const char *text, size_t len, struct fname *res, size_t *nres)
{
	struct cursor c = { text, text + len };
	struct segment *seg = malloc(sizeof(*seg)); /* 32 KiB: only seg->n is read before written */
	size_t nstacks = 0, pi = 0;
	const char *l;
	size_t ll;
	bool ok = true;

	if (!seg)
		return false;
	seg->n = 0;
	*nres = 0;
	for (;; pi++) {
		if (pi == nparts || (parts[pi].pst && nstacks > 0)) {
			if (*nres < MAX_ARGS) {
				if (!extract(s, cs->ex, seg, &res[*nres])) {
					snprintf(res[*nres].s, sizeof(res[*nres].s), "corrupted");
					ok = false;
				}
				(*nres)++;
			}
			seg->n = 0;
			if (pi == nparts)
				break;
		}
		if (parts[pi].pst) {
			nstacks++;
			while (next_line(&c, &l, &ll)) {
				if (matches(s, s->corrupted_line, l, ll)) {
					ok = false;
					break;
				}
				if (is_stack_start(s, l, ll))
					break;
				if (pi + 1 < nparts && !parts[pi + 1].pst && matches(s, parts[pi + 1].re, l, ll)) {
					append_captures(s, l, cs->skip, seg);
					pi++;
					break;
				}
				take_frame(s, l, ll, cs->skip, seg);
			}
			continue;
		}
		while (next_line(&c, &l, &ll)) {
			if (matches(s, s->corrupted_line, l, ll)) {
				ok = false;
				break;
			}
			if (matches(s, parts[pi].re, l, ll)) {
				append_captures(s, l, cs->skip, seg);
				break;
			}
		}
	}
	free(seg);
	return ok;
}

static bool extract_stack(struct ks_syz *s, const struct cstack *cs, const char *text, size_t len,
			  struct fname *res, size_t *nres)
{
	bool ok = walk_parts(s, cs, cs->parts, cs->nparts, text, len, res, nres);

	if (!ok && cs->nparts2)
		ok = walk_parts(s, cs, cs->parts2, cs->nparts2, text, len, res, nres);
	return ok;
}

/* Format "%[n]v"/"%[n]s" with @args. */
static void format_title(const char *fmt, char args[][NAME_MAX_LEN * 2], size_t nargs, char *out,
			 size_t size)
{
	size_t o = 0;

	for (const char *p = fmt; *p && o + 1 < size;) {
		unsigned n;
		int used;

		if (p[0] == '%' && p[1] == '[' && sscanf(p, "%%[%u]%n", &n, &used) == 1 &&
		    (p[used] == 'v' || p[used] == 's')) {
			const char *a = n >= 1 && n <= nargs ? args[n - 1] : "";

			o += (size_t)snprintf(out + o, size - o, "%s", a);
			if (o >= size)
				o = size - 1;
			p += used + 1;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

/* Capture groups of the last match as strings. */
static size_t captures(struct ks_syz *s, const char *text, char args[][NAME_MAX_LEN * 2])
{
	/* Every group of a matching pattern counts, even one that took no part. */
	uint32_t n = s->ngroups + 1;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
	size_t na = 0;

	for (uint32_t i = 1; i < n && na < MAX_ARGS; i++, na++) {
		size_t len = ov[2 * i] == PCRE2_UNSET ? 0 : ov[2 * i + 1] - ov[2 * i];

		if (len >= NAME_MAX_LEN * 2)
			len = NAME_MAX_LEN * 2 - 1;
		if (len)
			memcpy(args[na], text + ov[2 * i], len);
		args[na][len] = '\0';
	}
	return na;
}

static int rc_captures(struct ks_syz *s, pcre2_code *re, const char *p, size_t len)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)p, len, 0, 0, s->md, s->mctx);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);

	if (rc < 0)
		return rc;
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &s->ngroups);
	if (s->ngroups > 31)
		s->ngroups = 31;
	/* Groups past the highest one that took part are unset. */
	for (uint32_t i = (uint32_t)rc; i <= s->ngroups; i++)
		ov[2 * i] = ov[2 * i + 1] = PCRE2_UNSET;
	return rc;
}

/* isCorrupted: stacks announced but empty, or no stack at all where one is expected. */
static bool stack_is_corrupted(struct ks_syz *s, const char *text, size_t len)
{
	bool has_stack = false;

	for (size_t k = 0; k < N_STACK_STARTS; k++) {
		struct cursor c;
		const char *l;
		size_t ll, nlines = 0, start;
		bool corrupted = true;

		if (!match(s, s->stack_start[k], text, len, 0))
			continue;
		start = pcre2_get_ovector_pointer(s->md)[0];
		/* Lines from the marker's position, the marker's own line first. */
		for (const char *q = text + start; q <= text + len; q++) {
			nlines++;
			q = memchr(q, '\n', (size_t)(text + len - q));
			if (!q)
				break;
		}
		if (nlines < 4)
			return true;
		c.p = text + start;
		c.end = text + len;
		next_line(&c, &l, &ll);
		for (int i = 0; i < 15 && next_line(&c, &l, &ll); i++) {
			if (is_stack_start(s, l, ll))
				break;
			if (memmem(l, ll, "(stack is not available)", 24) || matches(s, s->frame1, l, ll) ||
			    matches(s, s->frame2, l, ll)) {
				has_stack = true;
				corrupted = false;
				break;
			}
		}
		if (k != RISCV_STACK_START && corrupted)
			return true;
	}
	return !has_stack;
}

/* Replace every match of @re in @buf, repeatedly until nothing changes. */
static void replace_all(pcre2_code *re, const char *with, char *buf, size_t size)
{
	char out[1024];

	for (int round = 0; round < 32; round++) {
		PCRE2_SIZE olen = sizeof(out);
		int rc = pcre2_substitute(re, (PCRE2_SPTR)buf, PCRE2_ZERO_TERMINATED, 0,
					  PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_EXTENDED, NULL, NULL,
					  (PCRE2_SPTR)with, PCRE2_ZERO_TERMINATED, (PCRE2_UCHAR *)out, &olen);

		if (rc <= 0 || olen >= size || strcmp(out, buf) == 0)
			return;
		memcpy(buf, out, olen + 1);
	}
}

void ks_syz_sanitize(struct ks_syz *s, char *title, size_t size)
{
	size_t o = 0;
	char prev = ' ';

	for (size_t i = 0; i < N_REPL; i++)
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

/* The report text syzkaller would read: same-context lines, questionable ones dropped. */
static char *report_text(const struct ks_report *r, size_t *ret_len)
{
	size_t len = 0, o = 0, kept = 0;
	char *text;

	for (uint32_t i = r->header_index; i < r->lines.n; i++)
		len += strlen(r->lines.v[i]) + 1;
	text = malloc(len + 1);
	if (!text)
		return NULL;
	for (uint32_t i = r->header_index; i < r->lines.n; i++) {
		const char *l = r->lines.v[i];
		size_t ll = strlen(l);

		if (i > r->header_index && is_questionable(l, ll) && !strstr(l, "<EOI>"))
			continue;
		if (strstr(l, "Disabling lock debugging due to kernel taint"))
			continue;
		/* On a console without caller ids, these start another report's text. */
		if (i > r->header_index && r->caller_type == KS_CALLER_NONE &&
		    (strstr(l, "vmalloc: allocation failure:") || strstr(l, "FAULT_INJECTION: forcing a failure") ||
		     strstr(l, "FAULT_FLAG_ALLOW_RETRY missing")))
			break;
		if (kept > REPORT_MIN_LINES && (strstr(l, "Kernel panic - not syncing") ||
						strstr(l, "WARNING: possible circular locking dependency detected")))
			break;
		memcpy(text + o, l, ll);
		o += ll;
		text[o++] = '\n';
		kept++;
	}
	if (o > 0)
		o--; /* no newline after the last line, as in a cut report */
	text[o] = '\0';
	*ret_len = o;
	return text;
}

/* The group whose header the report's first line carries, or -1. */
static int find_group(struct ks_syz *s, const char *line)
{
	size_t len = strlen(line);

	for (size_t g = 0; g < syz_ngroups; g++) {
		if (!strstr(line, syz_groups[g].header))
			continue;
		/* A built-in pattern that does not compile: no title (tests compile them all). */
		if (group_ready(s, g) < 0)
			return -1;
		if (s->groups[g].suppress && matches(s, s->groups[g].suppress, line, len))
			continue;
		return (int)g;
	}
	return -1;
}

/* extractDescription: the earliest title match wins; a tie goes to the first success. */
static bool describe(struct ks_syz *s, int g, const char *text, size_t len, char *title,
		     size_t size, bool *ret_corrupted, bool *ret_no_stack_trace, bool *ret_have_format)
{
	char(*args)[NAME_MAX_LEN * 2] = s->args;
	struct fname res[MAX_ARGS];
	size_t start = len + 1;
	bool matched = false, corrupted = false, have = false;
	const struct syz_format *win = NULL;

	title[0] = '\0';
	for (size_t f = 0; f < syz_groups[g].nformats; f++) {
		const struct syz_format *sf = &syz_groups[g].formats[f];
		const struct cformat *cf = &s->groups[g].formats[f];
		size_t pos, nargs, nres = 0, from;
		bool ok = true;

		if (rc_captures(s, cf->title, text, len) < 0)
			continue;
		pos = pcre2_get_ovector_pointer(s->md)[0];
		if (pos > start || (pos == start && have))
			continue;
		if (pos < start) {
			have = false;
			win = NULL;
			title[0] = '\0';
			start = pos;
		}
		matched = true;
		from = pos;
		if (cf->report) {
			if (rc_captures(s, cf->report, text, len) < 0)
				continue;
			from = pcre2_get_ovector_pointer(s->md)[0];
		}
		nargs = captures(s, text, args);
		if (cf->stack)
			ok = extract_stack(s, cf->stack, text + from, len - from, res, &nres);
		for (size_t i = 0; i < nres && nargs < MAX_ARGS * 2; i++)
			snprintf(args[nargs++], NAME_MAX_LEN * 2, "%.*s", NAME_MAX_LEN - 1, res[i].s);
		format_title(sf->fmt, args, nargs, title, size);
		corrupted = !ok;
		have = true;
		win = sf;
	}
	if (!have) {
		const char *h = strstr(text, syz_groups[g].header);
		const char *e = h ? memchr(h, '\n', (size_t)(text + len - h)) : NULL;

		corrupted = matched;
		if (h)
			snprintf(title, size, "%.*s", (int)((e ? e : text + len) - h), h);
	}
	if (!corrupted && win && win->corrupted)
		corrupted = true;
	*ret_corrupted = corrupted;
	*ret_no_stack_trace = win && win->no_stack_trace;
	*ret_have_format = win != NULL;
	return title[0] != '\0';
}

const char *ks_syz_title(struct ks_syz *s, struct ks_report *r, bool *ret_corrupted)
{
	char title[512];
	bool corrupted = false, no_stack = false, have_format = false;
	size_t len;
	char *text;
	int g;

	*ret_corrupted = false;
	if (r->header_index >= r->lines.n || (g = find_group(s, r->lines.v[r->header_index])) < 0)
		return NULL;
	text = report_text(r, &len);
	if (!text)
		return NULL;
	if (!describe(s, g, text, len, title, sizeof(title), &corrupted, &no_stack, &have_format)) {
		free(text);
		return NULL;
	}
	if (!corrupted) {
		if (matches(s, s->corrupted_title, title, strlen(title)))
			corrupted = true;
		else if (have_format && !no_stack)
			corrupted = stack_is_corrupted(s, text, len);
	}
	free(text);
	ks_syz_sanitize(s, title, sizeof(title));
	*ret_corrupted = corrupted;
	return ks_report_strdup(r, title, strlen(title));
}
