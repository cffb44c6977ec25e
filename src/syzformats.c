// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * syzkaller's Linux report formats, as data: for every oops header, the
 * formats tried in order, each with its title regexp, optional report
 * regexp, title format ("%[n]v" is the n-th argument: captures first, then
 * one guilty frame per stack segment), flags and stack specification. The
 * regexps are facts about syzkaller's titles (pkg/report/linux.go); they are
 * written out here so that ksplat names a bug exactly as syzbot does.
 * Macros {{ADDR}}, {{PC}}, {{FUNC}}, {{SRC}}, {{TASK}} are expanded at start.
 */
#include <stddef.h>

#include "syzformats.h"

#define CT SYZ_PART_CT
#define RIP SYZ_PART_RIP
#define PST SYZ_PART_PST
#define WRIP SYZ_PART_WARN_RIP

/* Most formats: the first non-skipped frame after "Call Trace:". */
#define STACK_CT(skip_) { .parts = { CT, PST }, .skip = skip_ }
#define STACK_RIP(skip_) { .parts = { RIP, CT, PST }, .skip = skip_ }
/* WARNING: the RIP function unless skipped, else the Call Trace. */
#define STACK_WARN(skip_) { .parts = { WRIP, PST }, .parts2 = { CT, PST }, .skip = skip_ }

static const struct syz_stack st_ct = STACK_CT(NULL);
static const struct syz_stack st_rip = STACK_RIP(NULL);
static const struct syz_stack st_rip_only = { .parts = { RIP } };
static const struct syz_stack st_warn = STACK_WARN(NULL);

static const struct syz_stack st_kasan = {
	.parts = { "BUG: KASAN: (?:[a-z\\-]+) in {{FUNC}}", CT, PST },
	.skip = "kernel_fault|tag_check|mem_abort|^el1_|^el1h_",
};
static const struct syz_stack st_kasan_free = {
	.parts = { "BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}", CT, PST },
	.skip = "slab_|kfree|vunmap|vfree",
};
static const struct syz_stack st_kmsan_usb = {
	.parts = { PST, "(Local variable .* created at:|Uninit was created at:)", PST },
	.skip = "alloc_skb|usb_submit_urb|usb_start_wait_urb|usb_bulk_msg|usb_interrupt_msg|usb_control_msg",
};
static const struct syz_stack st_kmsan = {
	.parts = { PST, "(Local variable .* created at:|Uninit was created at:)", PST },
	.skip = "alloc_skb|netlink_ack|netlink_rcv_skb|_encrypt$|^(?:crypto|cipher|drbg|rng)_",
};
static const struct syz_stack st_kfence = { .parts = { "BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}", PST } };
static const struct syz_stack st_spinlock = STACK_CT("spin_|_lock|_unlock");
static const struct syz_stack st_softlockup = { .parts = { RIP, CT, PST }, .ex = SYZ_EX_STALL };
static const struct syz_stack st_sched = STACK_CT("schedule");
static const struct syz_stack st_pc_func = { .parts = { "{{PC}} +{{FUNC}}", CT, PST } };
static const struct syz_stack st_bad_page = {
	.parts = { "page last allocated", PST },
	.skip = "(free|put|get|update|release)_page|free_unref|^_*folio|truncate_inode_pages|"
		"page_frag_free|alloc|vmap|page_owner",
};
static const struct syz_stack st_preempt = STACK_CT("dump_stack|preemption|preempt|debug_|processor_id|this_cpu");
static const struct syz_stack st_leak = {
	.parts = { "backtrace(?: \\(crc [[:xdigit:]]*\\))?:", PST },
	.skip = "kmemleak|mmap|kmem|slab|alloc|create_object|idr_get|list_lru_init|kasprintf|"
		"kvasprintf|pcpu_create|strdup|strndup|memdup",
};
static const struct syz_stack st_guard = { .parts = { RIP, CT, PST }, .ex = SYZ_EX_STALL };
static const struct syz_stack st_locking = STACK_CT("lock_sock|release_sock");

static const struct syz_stack st_w_odebug =
	STACK_WARN("debug_|rcu|hrtimer_|timer_|work_|percpu_|vunmap|vfree|__free_|debug_check|kobject_");
static const struct syz_stack st_w_usercopy = STACK_WARN("usercopy|__check");
static const struct syz_stack st_w_kobject = STACK_WARN("kobject_");
static const struct syz_stack st_w_proc = STACK_WARN("proc_");
static const struct syz_stack st_w_refcount = STACK_WARN("refcount|kobject_");
static const struct syz_stack st_w_locking = STACK_WARN("lock_sock|release_sock");
static const struct syz_stack st_w_kmalloc = STACK_WARN("kmalloc|krealloc|slab|kmem");
static const struct syz_stack st_w_usb = STACK_WARN("usb_submit_urb|usb_start_wait_urb|usb_bulk_msg|"
						    "usb_interrupt_msg|usb_control_msg");
static const struct syz_stack st_circular = {
	.parts = { "at: (?:{{PC}} +)?{{FUNC}}", "at: (?:{{PC}} +)?{{FUNC}}", PST },
	.skip = "process_one_work|flush_workqueue|drain_workqueue|destroy_workqueue",
};
static const struct syz_stack st_safe_unsafe = { .parts = { "which became (?:.*) at:", PST } };
static const struct syz_stack st_rcu_usage = STACK_CT("rcu|kmem|slab");
static const struct syz_stack st_rcu_stall = {
	.parts = { "apic_timer_interrupt", RIP, PST },
	.parts2 = { "(?:apic_timer_interrupt|Exception stack|el1h_64_irq)", PST },
	.skip = "apic_timer_interrupt|rcu",
	.ex = SYZ_EX_STALL,
};
static const struct syz_stack st_nonstatic = STACK_CT("stack|lock|IRQ");
static const struct syz_stack st_hung = { .parts = { CT, PST }, .ex = SYZ_EX_HANG };
static const struct syz_stack st_cant_die = STACK_CT("schedule");
static const struct syz_stack st_stackprot = STACK_CT("stack_chk");
static const struct syz_stack st_stack_end = { .parts = { CT, PST }, .skip = "schedule|retint_kernel", .ex = SYZ_EX_STALL };
static const struct syz_stack st_stack_ovf = { .parts = { CT, PST }, .skip = "bad_stack", .ex = SYZ_EX_STALL };
static const struct syz_stack st_rust = STACK_CT("__rustc::rust_begin_unwind");
static const struct syz_stack st_usercopy = STACK_CT("usercopy|__check");
static const struct syz_stack st_kbug = STACK_RIP("^skb_");
static const struct syz_stack st_ubsan = STACK_CT("ubsan|overflow");

#define F(...) { __VA_ARGS__ }

static const struct syz_format fmt_bug[] = {
	F(.title = "BUG: KASAN:",
	  .report = "BUG: KASAN: ([a-z\\-]+) in {{FUNC}}(?:.*\\n)+?.*(Read|Write) (?:of size|at addr) (?:[0-9a-f]+)",
	  .fmt = "KASAN: %[1]v %[3]v in %[4]v", .stack = &st_kasan),
	F(.title = "BUG: KASAN:",
	  .report = "BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}",
	  .fmt = "KASAN: invalid-free in %[2]v", .stack = &st_kasan_free),
	F(.title = "BUG: KASAN: ([a-z\\-]+) on address(?:.*\\n)+?.*(Read|Write) of size ([0-9]+)",
	  .fmt = "KASAN: %[1]v %[2]v"),
	F(.title = "BUG: KASAN: (.*)", .fmt = "KASAN: %[1]v", .corrupted = true),
	F(.title = "BUG: KMSAN: kernel-usb-infoleak",
	  .report = "BUG: KMSAN: kernel-usb-infoleak in {{FUNC}}",
	  .fmt = "KMSAN: kernel-usb-infoleak in %[2]v", .no_stack_trace = true, .stack = &st_kmsan_usb),
	F(.title = "BUG: KMSAN:", .report = "BUG: KMSAN: ([a-z\\-]+) in {{FUNC}}",
	  .fmt = "KMSAN: %[1]v in %[3]v", .no_stack_trace = true, .stack = &st_kmsan),
	F(.title = "BUG: KCSAN: data-race", .report = "BUG: KCSAN: (.*)", .fmt = "KCSAN: %[1]v",
	  .no_stack_trace = true),
	F(.title = "BUG: KCSAN:", .report = "BUG: KCSAN: (.*)", .fmt = "KCSAN: %[1]v", .no_stack_trace = true),
	F(.title = "BUG: KFENCE: (use-after-free|out-of-bounds) (read|write) in {{FUNC}}",
	  .fmt = "KFENCE: %[1]v %[2]v in %[4]v", .stack = &st_kfence),
	F(.title = "BUG: KFENCE: invalid free in {{FUNC}}", .fmt = "KFENCE: invalid free in %[2]v",
	  .no_stack_trace = true, .stack = &st_kfence),
	F(.title = "BUG: KFENCE: invalid (read|write) in {{FUNC}}", .fmt = "KFENCE: invalid %[1]v in %[3]v",
	  .stack = &st_kfence),
	F(.title = "BUG: KFENCE: memory corruption in {{FUNC}}", .fmt = "KFENCE: memory corruption in %[2]v",
	  .no_stack_trace = true, .stack = &st_kfence),
	F(.title = "BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|"
		   "Unable to handle kernel data access)",
	  .fmt = "BUG: unable to handle kernel paging request in %[1]v", .stack = &st_rip),
	F(.title = "BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|"
		   "Kernel NULL pointer dereference)",
	  .fmt = "BUG: unable to handle kernel NULL pointer dereference in %[1]v", .stack = &st_rip),
	F(.title = "BUG: (?:unable to handle kernel|Unable to handle kernel)",
	  .fmt = "BUG: unable to handle kernel", .corrupted = true),
	F(.title = "BUG: (spinlock|rwlock) (lockup suspected|already unlocked|recursion|cpu recursion|bad magic|"
		   "wrong owner|wrong CPU|trylock failure on UP)",
	  .fmt = "BUG: %[1]v %[2]v in %[3]v", .stack = &st_spinlock),
	F(.title = "BUG: soft lockup", .fmt = "BUG: soft lockup in %[1]v", .stack = &st_softlockup),
	F(.title = "BUG: .*still has locks held!", .report = "BUG: .*still has locks held!(?:.*\\n)+?.*{{PC}} +{{FUNC}}",
	  .fmt = "BUG: still has locks held in %[1]v"),
	F(.title = "BUG: scheduling while atomic", .fmt = "BUG: scheduling while atomic in %[1]v",
	  .stack = &st_sched),
	F(.title = "BUG: lock held when returning to user space",
	  .report = "BUG: lock held when returning to user space(?:.*\\n)+?.*leaving the kernel with locks "
		    "still held(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}",
	  .fmt = "BUG: lock held when returning to user space in %[1]v", .no_stack_trace = true),
	F(.title = "BUG: bad unlock balance detected!", .fmt = "BUG: bad unlock balance in %[1]v",
	  .stack = &st_pc_func),
	F(.title = "BUG: held lock freed!", .report = "BUG: held lock freed!(?:.*\\n)+?.*{{PC}} +{{FUNC}}",
	  .fmt = "BUG: held lock freed in %[1]v"),
	F(.title = "BUG: Bad rss-counter state", .fmt = "BUG: Bad rss-counter state", .no_stack_trace = true),
	F(.title = "BUG: non-zero nr_ptes on freeing mm", .fmt = "BUG: non-zero nr_ptes on freeing mm",
	  .no_stack_trace = true),
	F(.title = "BUG: non-zero nr_pmds on freeing mm", .fmt = "BUG: non-zero nr_pmds on freeing mm",
	  .no_stack_trace = true),
	F(.title = "BUG: Dentry .* still in use",
	  .report = "BUG: Dentry .* still in use \\([0-9]+\\) \\[(unmount) of ([^\\]]+)\\]",
	  .fmt = "BUG: Dentry still in use in %[1]v"),
	F(.title = "BUG: Bad page (state|cache)", .fmt = "BUG: Bad page %[1]v in %[2]v", .stack = &st_bad_page),
	F(.title = "BUG: Bad page map", .fmt = "BUG: Bad page map"),
	F(.title = "BUG: workqueue lockup", .fmt = "BUG: workqueue lockup", .no_stack_trace = true),
	F(.title = "BUG: sleeping function called from invalid context at (.*)",
	  .fmt = "BUG: sleeping function called from invalid context in %[2]v", .stack = &st_ct),
	F(.title = "BUG: using ([a-z_]+)\\(\\) in preemptible", .fmt = "BUG: using %[1]v() in preemptible code in %[2]v",
	  .stack = &st_preempt),
	F(.title = "BUG: workqueue leaked lock or atomic",
	  .report = "BUG: workqueue leaked lock or atomic(?:.*\\n)+?.*last function: ([a-zA-Z0-9_]+)\\n",
	  .fmt = "BUG: workqueue leaked lock or atomic in %[1]v", .no_stack_trace = true),
	F(.title = "BUG: memory leak", .fmt = "memory leak in %[1]v", .stack = &st_leak),
	F(.title = "BUG: .*stack guard page was hit at", .fmt = "BUG: stack guard page was hit in %[1]v",
	  .stack = &st_guard),
	F(.title = "BUG: Invalid wait context", .fmt = "WARNING: locking bug in %[1]v", .stack = &st_locking),
	F(.title = "BUG:[[:space:]]*(?:\\n|$)", .fmt = "BUG: corrupted", .corrupted = true),
};

static const struct syz_format fmt_warning[] = {
	F(.title = "WARNING: .*lib/debugobjects\\.c.* (?:debug_print|debug_check|at)",
	  .fmt = "WARNING: ODEBUG bug in %[1]v", .stack = &st_w_odebug),
	F(.title = "WARNING: .*mm/usercopy\\.c.* (?:usercopy_warn|at)", .fmt = "WARNING: bad usercopy in %[1]v",
	  .stack = &st_w_usercopy),
	F(.title = "WARNING: .*lib/kobject\\.c.* (?:kobject_|at)", .fmt = "WARNING: kobject bug in %[1]v",
	  .stack = &st_w_kobject),
	F(.title = "WARNING: .*fs/proc/generic\\.c.* (?:proc_register|at)",
	  .fmt = "WARNING: proc registration bug in %[1]v", .stack = &st_w_proc),
	F(.title = "WARNING: .*lib/refcount\\.c.* (?:refcount_|at)", .fmt = "WARNING: refcount bug in %[1]v",
	  .stack = &st_w_refcount),
	F(.title = "WARNING: .*kernel/locking/lockdep\\.c.*lock_", .fmt = "WARNING: locking bug in %[1]v",
	  .stack = &st_w_locking),
	F(.title = "WARNING: .*still has locks held!",
	  .report = "WARNING: .*still has locks held!(?:.*\\n)+?.*at: {{FUNC}}",
	  .fmt = "WARNING: still has locks held in %[1]v"),
	F(.title = "WARNING: Nested lock was not taken", .fmt = "WARNING: nested lock was not taken in %[1]v",
	  .stack = &st_warn),
	F(.title = "WARNING: lock held when returning to user space",
	  .report = "WARNING: lock held when returning to user space(?:.*\\n)+?.*leaving the kernel with locks "
		    "still held(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}",
	  .fmt = "WARNING: lock held when returning to user space in %[1]v", .no_stack_trace = true),
	F(.title = "WARNING: .*mm/.*\\.c.* k?.?malloc", .fmt = "WARNING: kmalloc bug in %[1]v",
	  .stack = &st_w_kmalloc),
	F(.title = "WARNING: .*mm/vmalloc.c.*__vmalloc_node", .fmt = "WARNING: zero-size vmalloc in %[1]v",
	  .stack = &st_warn),
	F(.title = "WARNING: .* usb_submit_urb", .fmt = "WARNING in %[1]v/usb_submit_urb", .stack = &st_w_usb),
	F(.title = "WARNING: {{SRC}} at 0x\\d+, CPU#\\d+", .fmt = "WARNING in %[2]v", .stack = &st_warn),
	F(.title = "WARNING: .* at {{SRC}} {{FUNC}}", .fmt = "WARNING in %[3]v", .stack = &st_warn),
	F(.title = "WARNING: {{SRC}} at {{FUNC}}", .fmt = "WARNING in %[3]v", .stack = &st_warn),
	F(.title = "WARNING: \\[.*\\] {{SRC}} at {{FUNC}}.*", .fmt = "WARNING in %[3]v", .stack = &st_warn),
	F(.title = "WARNING: possible circular locking dependency detected",
	  .report = "WARNING: possible circular locking dependency detected(?:.*\\n)+?.*is trying to acquire lock",
	  .fmt = "possible deadlock in %[1]v", .stack = &st_circular),
	F(.title = "WARNING: possible irq lock inversion dependency detected",
	  .report = "WARNING: possible irq lock inversion dependency detected(?:.*\\n)+?.*just changed the "
		    "state of lock(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}",
	  .fmt = "possible deadlock in %[1]v"),
	F(.title = "WARNING: .*-safe -> .*-unsafe lock order detected", .fmt = "possible deadlock in %[1]v",
	  .stack = &st_safe_unsafe),
	F(.title = "WARNING: possible recursive locking detected",
	  .report = "WARNING: possible recursive locking detected(?:.*\\n)+?.*is trying to acquire "
		    "lock(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}",
	  .fmt = "possible deadlock in %[1]v"),
	F(.title = "WARNING: inconsistent lock state",
	  .report = "WARNING: inconsistent lock state(?:.*\\n)+?.*takes(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}",
	  .fmt = "inconsistent lock state in %[2]v", .stack = &st_ct),
	F(.title = "WARNING: suspicious RCU usage", .report = "WARNING: suspicious RCU usage(?:.*\\n)+?.*?{{SRC}}",
	  .fmt = "WARNING: suspicious RCU usage in %[2]v", .stack = &st_rcu_usage),
	F(.title = "WARNING: kernel stack regs at [0-9a-f]+ in [^ ]* has bad '([^']+)' value",
	  .fmt = "WARNING: kernel stack regs has bad '%[1]v' value", .no_stack_trace = true),
	F(.title = "WARNING: kernel stack frame pointer at [0-9a-f]+ in [^ ]* has bad value",
	  .fmt = "WARNING: kernel stack frame pointer has bad value", .no_stack_trace = true),
	F(.title = "WARNING: bad unlock balance detected!", .fmt = "WARNING: bad unlock balance in %[1]v",
	  .stack = &st_pc_func),
	F(.title = "WARNING: held lock freed!", .report = "WARNING: held lock freed!(?:.*\\n)+?.*at:(?: {{PC}})? +{{FUNC}}",
	  .fmt = "WARNING: held lock freed in %[1]v"),
	F(.title = "WARNING: kernel stack regs .* has bad 'bp' value", .fmt = "WARNING: kernel stack regs has bad value",
	  .no_stack_trace = true),
	F(.title = "WARNING: kernel stack frame pointer .* has bad value",
	  .fmt = "WARNING: kernel stack regs has bad value", .no_stack_trace = true),
	F(.title = "WARNING:[[:space:]]*(?:\\n|$)", .fmt = "WARNING: corrupted", .corrupted = true),
};

static const struct syz_format fmt_info[] = {
	F(.title = "INFO: possible circular locking dependency detected",
	  .report = "INFO: possible circular locking dependency detected \\](?:.*\\n)+?.*is trying to acquire "
		    "lock(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}",
	  .fmt = "possible deadlock in %[1]v"),
	F(.title = "INFO: possible irq lock inversion dependency detected",
	  .report = "INFO: possible irq lock inversion dependency detected \\](?:.*\\n)+?.*just changed the "
		    "state of lock(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}",
	  .fmt = "possible deadlock in %[1]v"),
	F(.title = "INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected",
	  .report = "INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected \\](?:.*\\n)+?.*is trying to "
		    "acquire(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}",
	  .fmt = "possible deadlock in %[1]v"),
	F(.title = "INFO: possible recursive locking detected",
	  .report = "INFO: possible recursive locking detected \\](?:.*\\n)+?.*is trying to acquire "
		    "lock(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}",
	  .fmt = "possible deadlock in %[1]v"),
	F(.title = "INFO: inconsistent lock state",
	  .report = "INFO: inconsistent lock state \\](?:.*\\n)+?.*takes(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}",
	  .fmt = "inconsistent lock state in %[1]v"),
	F(.title = "INFO: rcu_(?:preempt|sched|bh|tasks) (?:self-)?detected(?: expedited)? stall",
	  .fmt = "INFO: rcu detected stall in %[1]v", .stack = &st_rcu_stall),
	F(.title = "INFO: trying to register non-static key", .fmt = "INFO: trying to register non-static key in %[1]v",
	  .stack = &st_nonstatic),
	F(.title = "INFO: suspicious RCU usage", .report = "INFO: suspicious RCU usage(?:.*\\n)+?.*?{{SRC}}",
	  .fmt = "INFO: suspicious RCU usage in %[2]v", .stack = &st_rcu_usage),
	F(.title = "INFO: task {{TASK}} blocked (?:in I/O wait )?for more than [0-9]+ seconds",
	  .fmt = "INFO: task hung in %[1]v", .stack = &st_hung),
	F(.title = "INFO: task {{TASK}} can't die for more than .* seconds", .fmt = "INFO: task can't die in %[1]v",
	  .stack = &st_cant_die),
	F(.title = "INFO: (Freed|Allocated) in (.*)", .fmt = "INFO: %[1]v in %[2]v", .corrupted = true),
	F(.title = "INFO:[[:space:]]*(?:\\n|$)", .fmt = "INFO: corrupted", .corrupted = true),
};

static const struct syz_format fmt_unable[] = {
	F(.title = "Unable to handle kernel (paging request|NULL pointer dereference|access to user memory)",
	  .fmt = "BUG: unable to handle kernel %[1]v in %[2]v", .stack = &st_rip),
};
static const struct syz_format fmt_gpf[] = {
	F(.title = "general protection fault.*:", .fmt = "general protection fault in %[1]v", .stack = &st_rip),
};
static const struct syz_format fmt_stackseg[] = {
	F(.title = "stack segment: ", .fmt = "stack segment fault in %[1]v", .stack = &st_rip),
};
static const struct syz_format fmt_panic[] = {
	F(.title = "Kernel panic - not syncing: stack-protector:",
	  .report = "Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: {{FUNC}}",
	  .fmt = "kernel panic: stack is corrupted in %[1]v", .no_stack_trace = true),
	F(.title = "Kernel panic - not syncing: stack-protector:",
	  .report = "Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: [a-f0-9]+",
	  .fmt = "kernel panic: stack is corrupted in %[1]v", .stack = &st_stackprot),
	F(.title = "Kernel panic - not syncing: corrupted stack end",
	  .report = "Kernel panic - not syncing: corrupted stack end detected inside scheduler",
	  .fmt = "kernel panic: corrupted stack end in %[1]v", .stack = &st_stack_end),
	F(.title = "Kernel panic - not syncing: kernel stack overflow", .fmt = "kernel stack overflow in %[1]v",
	  .stack = &st_stack_ovf),
	F(.title = "Kernel panic - not syncing: Attempted to kill init!", .fmt = "kernel panic: Attempted to kill init!"),
	F(.title = "Kernel panic - not syncing: Couldn't open N_TTY ldisc for [^ ]+ --- error -[0-9]+",
	  .fmt = "kernel panic: Couldn't open N_TTY ldisc"),
	F(.title = "Kernel panic - not syncing: Fatal exception", .fmt = "kernel panic: Fatal exception",
	  .corrupted = true),
	F(.title = "Kernel panic - not syncing: panic_on_warn set", .fmt = "kernel panic: panic_on_warn set",
	  .corrupted = true),
	F(.title = "Kernel panic - not syncing: hung_task: blocked tasks",
	  .fmt = "kernel panic: hung_task: blocked tasks", .corrupted = true),
	F(.title = "Kernel panic - not syncing: (.*)", .fmt = "kernel panic: %[1]v"),
};
static const struct syz_format fmt_double_fault[] = {
	F(.title = "PANIC: double fault", .fmt = "PANIC: double fault in %[1]v", .stack = &st_rip_only),
};
static const struct syz_format fmt_rust[] = {
	F(.title = "rust_kernel: panicked", .report = "rust_kernel: panicked at [^\\n]*?\\n(.+?)\\n",
	  .fmt = "%[1]v in %[2]v", .stack = &st_rust),
};
static const struct syz_format fmt_kbug[] = {
	F(.title = "kernel BUG at mm/usercopy.c", .fmt = "BUG: bad usercopy in %[1]v", .stack = &st_usercopy),
	F(.title = "kernel BUG at lib/list_debug.c", .fmt = "BUG: corrupted list in %[1]v", .stack = &st_ct),
	F(.title = "kernel BUG at (.*)", .fmt = "kernel BUG in %[2]v", .stack = &st_kbug),
};
static const struct syz_format fmt_kbug2[] = {
	F(.title = "Kernel BUG (.*)", .fmt = "kernel BUG %[1]v"),
};
static const struct syz_format fmt_kmalloc[] = {
	F(.title = "BUG kmalloc-.*: Object already free", .fmt = "BUG: Object already free"),
};
static const struct syz_format fmt_divide[] = {
	F(.title = "divide error: ", .fmt = "divide error in %[1]v", .stack = &st_rip_only),
};
static const struct syz_format fmt_divide2[] = {
	F(.title = "divide_error: ", .fmt = "divide error in %[1]v", .stack = &st_rip_only),
};
static const struct syz_format fmt_opcode[] = {
	F(.title = "invalid opcode: ", .fmt = "invalid opcode in %[1]v", .stack = &st_rip_only),
};
static const struct syz_format fmt_int3[] = {
	F(.title = "int3: ", .fmt = "int3 in %[1]v", .stack = &st_rip),
};
static const struct syz_format fmt_ubsan[] = {
	F(.title = "UBSAN:", .report = "UBSAN: Undefined behaviour in", .fmt = "UBSAN: undefined-behaviour in %[1]v",
	  .stack = &st_ubsan),
	F(.title = "UBSAN: array-index-out-of-bounds in", .fmt = "UBSAN: array-index-out-of-bounds in %[1]v",
	  .stack = &st_ubsan),
	F(.title = "UBSAN:", .report = "UBSAN: (.*?) in", .fmt = "UBSAN: %[1]v in %[2]v", .stack = &st_ubsan),
};
static const struct syz_format fmt_reboot[] = {
	F(.title = "^Booting the kernel", .fmt = "unexpected kernel reboot", .no_stack_trace = true),
};
static const struct syz_format fmt_netdev[] = {
	F(.title = "unregister_netdevice: waiting for (?:.*) to become free",
	  .fmt = "unregister_netdevice: waiting for DEV to become free", .no_stack_trace = true),
};
static const struct syz_format fmt_vfs_close[] = {
	F(.title = "VFS: Close: file count is 0", .fmt = "VFS: Close: file count is zero (use-after-free)",
	  .no_stack_trace = true),
};
static const struct syz_format fmt_vfs_busy[] = {
	F(.title = "VFS: Busy inodes after unmount", .fmt = "VFS: Busy inodes after unmount (use-after-free)",
	  .no_stack_trace = true),
};
static const struct syz_format fmt_internal[] = {
	F(.title = "Internal error:", .fmt = "Internal error in %[1]v", .stack = &st_rip),
};
static const struct syz_format fmt_unhandled[] = {
	F(.title = "Unhandled fault:", .fmt = "Unhandled fault in %[1]v", .stack = &st_rip),
};
static const struct syz_format fmt_alignment[] = {
	F(.title = "Alignment trap:", .fmt = "Alignment trap in %[1]v", .stack = &st_rip),
};

static const struct syz_format fmt_go_fatal[] = {
	F(.title = "fatal error:", .fmt = "go runtime error", .no_stack_trace = true),
};
static const struct syz_format fmt_syzfail[] = {
	F(.title = "SYZFAIL:(.*)", .fmt = "SYZFAIL:%[1]v", .no_stack_trace = true),
};
static const struct syz_format fmt_syzfatal[] = {
	F(.title = "SYZFATAL:(.*)()", .fmt = "SYZFATAL:%[1]v", .no_stack_trace = true),
};
static const struct syz_format fmt_go_panic[] = {
	F(.title = "panic: Sentry detected .* stuck task", .fmt = "panic: Sentry detected stuck tasks",
	  .no_stack_trace = true),
	F(.title = "panic:(.*)", .fmt = "panic:%[1]v", .no_stack_trace = true),
};

static const char *const sup_go_fatal[] = { "ALSA", "fatal error: cannot create timer", NULL };
static const char *const sup_go_panic[] = { "_panic:", "xlog_status:", "ddb\\.onpanic:", "evtlog_status:", NULL };
static const char *const sup_bug[] = { "ODEBUG:", "Boot_DEBUG:", "xlog_status:", "DEBUG:",
				       "BUG: no syscalls can create resource", NULL };
static const char *const sup_warning[] = {
	"WARNING: /etc/ssh/moduli does not exist, using fixed modulus",
	"WARNING: workqueue cpumask: online intersect > possible intersect",
	"WARNING: [Tt]he mand mount option",
	"WARNING: Unsupported flag value\\(s\\) of 0x%x in DT_FLAGS_1",
	"WARNING: Unprivileged eBPF is enabled with eIBRS",
	"WARNING: fbcon: Driver '(.*)' missed to adjust virtual screen size "
	"(\\((?:\\d+)x(?:\\d+) vs\\. (?:\\d+)x(?:\\d+)\\))",
	"WARNING: See https.* for mitigation options.",
	"WARNING: kernel not compiled with CPU_SRSO",
	"EXT4-[Ff][Ss](?: \\(.*\\))?:",
	"(?i)warning: .* uses (deprecated v2 capabilities|wireless extensions)",
	"XFS \\(\\w+\\): WARNING",
	NULL,
};
static const char *const sup_info[] = {
	"INFO: lockdep is turned off", "INFO: Stall ended before state dump start", "INFO: NMI handler",
	"INFO: recovery required on readonly filesystem", "(handler|interrupt).*took too long",
	"INFO: sys_.* is not present in /proc/kallsyms", "INFO: no syscalls can create resource",
	"rmt_storage:INFO:", "_INFO:", NULL,
};
static const char *const sup_gpf[] = { "general protection fault .* error:\\d+ in ", NULL };
static const char *const sup_reboot[] = { "Parsing ELF|Decompressing Linux|Unknown parameter '", NULL };

#define GROUP(h, f, s) { .header = h, .formats = f, .nformats = sizeof(f) / sizeof(f[0]), .suppress = s }

const struct syz_group syz_groups[] = {
	GROUP("BUG:", fmt_bug, sup_bug),
	GROUP("WARNING:", fmt_warning, sup_warning),
	GROUP("INFO:", fmt_info, sup_info),
	GROUP("Unable to handle kernel", fmt_unable, NULL),
	GROUP("general protection fault", fmt_gpf, sup_gpf),
	GROUP("stack segment: ", fmt_stackseg, NULL),
	GROUP("Kernel panic", fmt_panic, NULL),
	GROUP("PANIC: double fault", fmt_double_fault, NULL),
	GROUP("rust_kernel: panicked", fmt_rust, NULL),
	GROUP("kernel BUG", fmt_kbug, NULL),
	GROUP("Kernel BUG", fmt_kbug2, NULL),
	GROUP("BUG kmalloc-", fmt_kmalloc, NULL),
	GROUP("divide error:", fmt_divide, NULL),
	GROUP("divide_error:", fmt_divide2, NULL),
	GROUP("invalid opcode:", fmt_opcode, NULL),
	GROUP("int3:", fmt_int3, NULL),
	GROUP("UBSAN:", fmt_ubsan, NULL),
	GROUP("Booting the kernel.", fmt_reboot, sup_reboot),
	GROUP("unregister_netdevice: waiting for", fmt_netdev, NULL),
	GROUP("VFS: Close: file count is 0", fmt_vfs_close, NULL),
	GROUP("VFS: Busy inodes after unmount", fmt_vfs_busy, NULL),
	GROUP("Internal error:", fmt_internal, NULL),
	GROUP("Unhandled fault:", fmt_unhandled, NULL),
	GROUP("Alignment trap:", fmt_alignment, NULL),
	GROUP("fatal error:", fmt_go_fatal, sup_go_fatal),
	/* syzkaller's own failures, common to every OS. */
	GROUP("SYZFAIL:", fmt_syzfail, NULL),
	GROUP("SYZFATAL:", fmt_syzfatal, NULL),
	GROUP("panic:", fmt_go_panic, sup_go_panic),
};

const size_t syz_ngroups = sizeof(syz_groups) / sizeof(syz_groups[0]);

/* Anchors of the stall extractor: the frame just above the first anchor is blamed. */
const char *const syz_stall_anchors[] = {
	"process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch", "tracesys_phase2",
	"el0_svc_handler", "invoke_syscall", "ret_fast_syscall", "netif_receive_skb", "do_softirq",
	"call_timer_fn", "_run_timers", "run_timer_softirq", "hrtimer_run", "run_ksoftirqd",
	"smpboot_thread_fn", "^kthread$", "start_secondary", "cpu_startup_entry", "ret_from_fork",
	"vfs_write", "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read", "do_iter_write",
	"call_read_iter", "call_write_iter", "new_sync_read", "new_sync_write", "vfs_ioctl",
	"ksys_ioctl", "compat_ioctl", "compat_sys_ioctl", "blkdev_driver_ioctl", "blkdev_ioctl",
	"^call_read_iter", "^call_write_iter", "do_iter_readv_writev", "^call_mmap", "mmap_region",
	"do_mmap", "do_dentry_open", "vfs_open", "^sock_sendmsg", "^sock_recvmsg", "^sock_release",
	"^__sock_release", "^setsockopt$", "kernel_setsockopt", "sock_common_setsockopt", "^listen$",
	"kernel_listen", "sk_common_release", "^sock_mmap", "^accept$", "kernel_accept",
	"^sock_do_ioctl", "^sock_ioctl", "^compat_sock_ioctl", "^nfnetlink_rcv_msg",
	"^rtnetlink_rcv_msg", "^netlink_dump", "^(sys_)?(socketpair|connect|ioctl)", "__do_fault",
	"do_page_fault", "^page_fault$", "__fput", "task_work_run", "exit_to_usermode",
	"smp_call_function", "tasklet_action", "tasklet_hi_action", NULL,
};
