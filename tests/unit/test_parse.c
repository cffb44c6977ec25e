// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The shared grammar (FORMATS.md §3, §8): stack frames of every architecture
 * and era, stack section markers, lockdep lock lines, held-lock headers, the
 * CPU: line, PC and register lines; and the util.h helpers they rest on.
 */
#include "unit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

#include "ksplat/parse.h"

static void expect_span(struct ks_span s, const char *want, const char *what, const char *line)
{
	size_t n = want ? strlen(want) : 0;

	if (s.len != n || (n && memcmp(s.p, want, n) != 0))
		fail_msg("%s of \"%s\": got \"%.*s\", want \"%s\"", what, line, (int)s.len,
			 s.p ? s.p : "", want ? want : "");
}

static void expect_u64(uint64_t got, uint64_t want, const char *what, const char *line)
{
	if (got != want)
		fail_msg("%s of \"%s\": got %#" PRIx64 ", want %#" PRIx64, what, line, got, want);
}

/* ---- frames ---- */

struct frame_case {
	const char *line;
	size_t len; /* 0: strlen(line) */
	const char *func, *module, *buildid;
	uint64_t off, size, addr;
	bool has_off;
	uint16_t flags;
};

static void check_frame(const struct frame_case *c, const struct ks_frame_view *v)
{
	expect_span(v->func, c->func, "func", c->line);
	expect_span(v->module, c->module, "module", c->line);
	expect_span(v->buildid, c->buildid, "buildid", c->line);
	expect_u64(v->off, c->off, "off", c->line);
	expect_u64(v->size, c->size, "size", c->line);
	expect_u64(v->addr, c->addr, "addr", c->line);
	if (v->has_off != c->has_off)
		fail_msg("has_off of \"%s\": got %d", c->line, v->has_off);
	if (v->flags != c->flags)
		fail_msg("flags of \"%s\": got %#x, want %#x", c->line, v->flags, c->flags);
}

static const struct frame_case frames[] = {
	/* x86-64 v4.11+ */
	{ .line = " func+0x1f/0x40", .func = "func", .off = 0x1f, .size = 0x40, .has_off = true },
	{ .line = " ? func+0x1f/0x40", .func = "func", .off = 0x1f, .size = 0x40, .has_off = true,
	  .flags = KS_FRAME_UNRELIABLE },
	{ .line = " foo+0x2a/0x60 [my_mod]", .func = "foo", .module = "my_mod", .off = 0x2a, .size = 0x60,
	  .has_off = true },
	{ .line = " ? stats_read+0x80/0x80 [stats]", .func = "stats_read", .module = "stats", .off = 0x80,
	  .size = 0x80, .has_off = true, .flags = KS_FRAME_UNRELIABLE },
	{ .line = " foo+0x27/0x52 [splatmod 5d917eb299ad6cc9516c20ceaf96540cebef9bbb]", .func = "foo",
	  .module = "splatmod", .buildid = "5d917eb299ad6cc9516c20ceaf96540cebef9bbb", .off = 0x27,
	  .size = 0x52, .has_off = true },
	{ .line = " nf_nat_setup+0x1/0x2 [nf-nat]", .func = "nf_nat_setup", .module = "nf-nat", .off = 1,
	  .size = 2, .has_off = true },
	{ .line = "\tfunc+0x1/0x2", .func = "func", .off = 1, .size = 2, .has_off = true },
	/* x86 <= v4.10: address first */
	{ .line = " [<ffffffff8132a2c9>] dump_stack+0x85/0xc2", .func = "dump_stack", .off = 0x85,
	  .size = 0xc2, .addr = 0xffffffff8132a2c9, .has_off = true },
	{ .line = " [<ffffffff810b1a2f>] ? foo+0x1f/0x40", .func = "foo", .off = 0x1f, .size = 0x40,
	  .addr = 0xffffffff810b1a2f, .has_off = true, .flags = KS_FRAME_UNRELIABLE },
	/* No symbol: the raw address */
	{ .line = " ? 0xffffffffc0005000", .addr = 0xffffffffc0005000, .flags = KS_FRAME_UNRELIABLE },
	{ .line = " 0xffffffffc0005000", .addr = 0xffffffffc0005000 },
	/* Compiler clones keep their suffix in the frame. */
	{ .line = " slab_pre_alloc_hook.constprop.0+0x5a/0x2e0", .func = "slab_pre_alloc_hook.constprop.0",
	  .off = 0x5a, .size = 0x2e0, .has_off = true },
	{ .line = " foo.isra.0.cold+0x1/0x2", .func = "foo.isra.0.cold", .off = 1, .size = 2,
	  .has_off = true },
	{ .line = " bar.llvm.1234567+0x10/0x20 [m]", .func = "bar.llvm.1234567", .module = "m",
	  .off = 0x10, .size = 0x20, .has_off = true },
	/* Cut line: offset without size. */
	{ .line = " foo+0x1f", .func = "foo", .off = 0x1f, .has_off = true },
	/* Hostile but valid: the widest offset. */
	{ .line = " foo+0xffffffffffffffff/0x0", .func = "foo", .off = UINT64_MAX, .size = 0,
	  .has_off = true },
	{ .line = " foo+0x45/0x45", .func = "foo", .off = 0x45, .size = 0x45, .has_off = true },
	/* arm64 v6.13+ decorations */
	{ .line = " show_stack+0x20/0x38 (C)", .func = "show_stack", .off = 0x20, .size = 0x38,
	  .has_off = true },
	{ .line = " __switch_to+0xe8/0x150 (T)", .func = "__switch_to", .off = 0xe8, .size = 0x150,
	  .has_off = true },
	{ .line = " foo+0x10/0x20 [m] (PF)", .func = "foo", .module = "m", .off = 0x10, .size = 0x20,
	  .has_off = true },
	/* arm64 before v5.10 */
	{ .line = " [<ffff000008087e4c>] dump_backtrace+0x0/0x1b8", .func = "dump_backtrace", .off = 0,
	  .size = 0x1b8, .addr = 0xffff000008087e4c, .has_off = true },
	/* arm (32-bit): the callee without offset */
	{ .line = "[<c0b3e9d4>] (dump_stack_lvl) from [<c01660c8>] (__might_resched+0x13c/0x1a4)",
	  .func = "dump_stack_lvl", .addr = 0xc0b3e9d4 },
	{ .line = " dump_stack_lvl from __might_resched+0x13c/0x1a4", .func = "dump_stack_lvl" },
	/* powerpc, indented (as after a prefix that kept its space) */
	{ .line = " [c000000002a4fb70] [c0000000001a3b44] foo+0x44/0x80 (unreliable)", .func = "foo",
	  .off = 0x44, .size = 0x80, .addr = 0xc0000000001a3b44, .has_off = true,
	  .flags = KS_FRAME_UNRELIABLE },
	/* s390 */
	{ .line = " ([<00000000001296c2>] bar+0x52/0x60)", .func = "bar", .off = 0x52, .size = 0x60,
	  .addr = 0x1296c2, .has_off = true, .flags = KS_FRAME_UNRELIABLE },
	{ .line = " [<000000000012a4b6>] foo+0x2e/0x48 ", .func = "foo", .off = 0x2e, .size = 0x48,
	  .addr = 0x12a4b6, .has_off = true },
	/* riscv/mips: "[<addr>] sym" is not indented */
	{ .line = "[<ffffffff80006a8c>] dump_backtrace+0x1c/0x24", .func = "dump_backtrace", .off = 0x1c,
	  .size = 0x24, .addr = 0xffffffff80006a8c, .has_off = true },
};

static void test_frames(void **state)
{
	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(frames); i++) {
		const struct frame_case *c = &frames[i];
		struct ks_frame_view v;

		memset(&v, 0x5a, sizeof(v));
		if (!ks_parse_frame(c->line, c->len ? c->len : strlen(c->line), &v))
			fail_msg("ks_parse_frame(\"%s\") failed", c->line);
		check_frame(c, &v);
	}
}

static const struct frame_case not_frames[] = {
	{ .line = "Call Trace:" },
	{ .line = "Call trace:" },
	{ .line = "RIP: 0010:foo+0x1/0x2" },
	{ .line = "Code: 48 89" },
	{ .line = " func+0xZZ" },
	{ .line = " func+0xfffffffffffffffff/0x1" },  /* 17 hex digits: offset */
	{ .line = " func+0x1/0xfffffffffffffffff" },  /* 17 hex digits: size */
	{ .line = " func+0x00000000000000001/0x1" },  /* 17 digits even when they fit */
	{ .line = " 0x1ffffffffffffffff" },           /* raw address too wide */
	{ .line = " [<1ffffffffffffffff>] foo+0x1/0x2" },
	{ .line = "func+0x1/0x2" },                   /* frames are indented */
	{ .line = "" },
	{ .line = " " },
	{ .line = " ?" },
	{ .line = " ? " },
	{ .line = " [<" },
	{ .line = " [<ffffffff8132a2c9>" },
	{ .line = " (" },
	{ .line = " ([<00000000001296c2>] bar+0x52/0x60" }, /* s390 without ')' */
	{ .line = " foo" },
	{ .line = " foo+" },
	{ .line = " foo+0x" },
	{ .line = " foo+0x1/0x2 [mod" },
	{ .line = " foo+0x1/0x2 [mod 0123]" },        /* build id too short */
	{ .line = " foo+0x1/0x2 garbage" },
	{ .line = " foo+0x1/0x2 (Z)" },
	{ .line = " <IRQ>" },
	{ .line = " </TASK>" },
	{ .line = " dump_stack_lvl from" },
	{ .line = "Modules linked in: my_mod(O)" },
	{ .line = " foo\0+0x1/0x2", .len = 13 },
};

static void test_not_frames(void **state)
{
	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(not_frames); i++) {
		const struct frame_case *c = &not_frames[i];
		struct ks_frame_view v;

		if (ks_parse_frame(c->line, c->len ? c->len : strlen(c->line), &v))
			fail_msg("ks_parse_frame(\"%s\") accepted a non-frame", c->line);
	}
}

/*
 * BUG (src/parse_common.c, ks_parse_frame): the "frames are indented" check
 * only lets "[<" through at column 0, but two architectures print unindented
 * frames: powerpc show_stack() "%s[" REG "] [" REG "] %pS" and s390's
 * unreliable frame "%s([<%016lx>] %pSR)\n". Both are rejected.
 */
static const struct frame_case unindented_frames[] = {
	{ .line = "[c000000002a4fb70] [c0000000001a3b44] foo+0x44/0x80 (unreliable)", .func = "foo",
	  .off = 0x44, .size = 0x80, .addr = 0xc0000000001a3b44, .has_off = true,
	  .flags = KS_FRAME_UNRELIABLE },
	{ .line = "[c000000002a4fc10] [c0000000001a3c00] bar+0x30/0x60", .func = "bar", .off = 0x30,
	  .size = 0x60, .addr = 0xc0000000001a3c00, .has_off = true },
	{ .line = "([<00000000001296c2>] bar+0x52/0x60)", .func = "bar", .off = 0x52, .size = 0x60,
	  .addr = 0x1296c2, .has_off = true, .flags = KS_FRAME_UNRELIABLE },
};

static void test_unindented_arch_frames(void **state)
{
	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(unindented_frames); i++) {
		const struct frame_case *c = &unindented_frames[i];
		struct ks_frame_view v;

		if (!ks_parse_frame(c->line, strlen(c->line), &v))
			fail_msg("ks_parse_frame(\"%s\") failed", c->line);
		check_frame(c, &v);
	}
}

/*
 * BUG (src/parse_common.c, parse_frame_tail): the flag check uses
 * strchr("CTPULFK", c), which matches c == '\0' (the terminator), so a NUL
 * byte inside the parentheses passes as a flag.
 */
static void test_frame_tail_nul(void **state)
{
	static const char line[] = " show_stack+0x20/0x38 (\0)";
	struct ks_frame_view v;

	(void)state;
	assert_false(ks_parse_frame(line, sizeof(line) - 1, &v));
}

/* The view only borrows the line: its spans point into it. */
static void test_frame_spans_borrow(void **state)
{
	const char *line = " foo+0x27/0x52 [splatmod 5d917eb299ad6cc9516c20ceaf96540cebef9bbb]";
	struct ks_frame_view v;

	(void)state;
	assert_true(ks_parse_frame(line, strlen(line), &v));
	assert_ptr_equal(v.func.p, line + 1);
	assert_ptr_equal(v.module.p, line + 16);
	assert_ptr_equal(v.buildid.p, line + 25);
	/* A shorter len than the string: the module is cut off, which is not a frame. */
	assert_false(ks_parse_frame(line, 20, &v));
	/* ...but at the end of the symbol it is one. */
	assert_true(ks_parse_frame(line, 14, &v));
	expect_span(v.func, "foo", "func", "cut");
	assert_int_equal(v.size, 0x52);
	assert_true(v.module.len == 0);
}

static void test_parse_symbol(void **state)
{
	struct ks_frame_view v;
	const char *s;

	(void)state;
	s = "__do_page_fault+0x1a2/0x4f0";
	assert_true(ks_parse_symbol(s, strlen(s), &v));
	expect_span(v.func, "__do_page_fault", "func", s);
	assert_int_equal(v.off, 0x1a2);
	assert_int_equal(v.size, 0x4f0);
	s = "[<ffffffff8110e5a9>] foo+0x29/0x80";
	assert_true(ks_parse_symbol(s, strlen(s), &v));
	expect_span(v.func, "foo", "func", s);
	assert_int_equal(v.addr, 0xffffffff8110e5a9);
	s = " faulty_function+0xd/0x4c [splatmod]";
	assert_true(ks_parse_symbol(s, strlen(s), &v));
	expect_span(v.module, "splatmod", "module", s);
	s = "";
	assert_false(ks_parse_symbol(s, 0, &v));
	s = "not a symbol";
	assert_false(ks_parse_symbol(s, strlen(s), &v));
}

static void test_frame_copy(void **state)
{
	const char *line = " ? foo+0x27/0x52 [splatmod 5d917eb299ad6cc9516c20ceaf96540cebef9bbb]";
	struct ks_frame_view v;
	struct ks_report *r;
	struct ks_frame f;

	(void)state;
	assert_true(ks_parse_frame(line, strlen(line), &v));
	assert_int_equal(ks_report_new(KS_KIND_WARNING, 64 * 1024, &r), 0);
	assert_int_equal(ks_frame_copy(r, &v, &f), 0);
	assert_string_equal(f.func, "foo");
	assert_string_equal(f.module, "splatmod");
	assert_string_equal(f.buildid, "5d917eb299ad6cc9516c20ceaf96540cebef9bbb");
	assert_int_equal(f.off, 0x27);
	assert_int_equal(f.size, 0x52);
	assert_true(f.has_off);
	assert_int_equal(f.flags, KS_FRAME_UNRELIABLE);
	assert_null(f.file);

	line = " 0xffffffffc0005000";
	assert_true(ks_parse_frame(line, strlen(line), &v));
	assert_int_equal(ks_frame_copy(r, &v, &f), 0);
	assert_null(f.func);
	assert_null(f.module);
	assert_null(f.buildid);
	assert_int_equal(f.addr, 0xffffffffc0005000);
	ks_report_free(r);

	/* No room in the arena for the strings: -ENOMEM, not a half frame. */
	assert_int_equal(ks_report_new(KS_KIND_WARNING, sizeof(struct ks_report) + 16, &r), 0);
	line = " a_rather_long_function_name_that_will_not_fit+0x1/0x2";
	assert_true(ks_parse_frame(line, strlen(line), &v));
	assert_int_equal(ks_frame_copy(r, &v, &f), -ENOMEM);
	ks_report_free(r);
}

/* ---- stack sections ---- */

static void test_sections(void **state)
{
	static const struct {
		const char *line;
		enum ks_section sec;
		bool open;
	} cases[] = {
		{ " <TASK>", KS_SEC_TASK, true },
		{ " </TASK>", KS_SEC_TASK, false },
		{ " <IRQ>", KS_SEC_IRQ, true },
		{ " </IRQ>", KS_SEC_IRQ, false },
		{ " <NMI>", KS_SEC_NMI, true },
		{ " </NMI>", KS_SEC_NMI, false },
		{ " <SOFTIRQ>", KS_SEC_SOFTIRQ, true },
		{ " </SOFTIRQ>", KS_SEC_SOFTIRQ, false },
		{ " <EOI>", KS_SEC_TASK, true },
		{ " <#DF>", KS_SEC_OTHER, true },
		{ " </#VC2>", KS_SEC_OTHER, false },
		{ " <ENTRY_TRAMPOLINE>", KS_SEC_OTHER, true },
		/* 3.x: marker and first frame on one line */
		{ " <IRQ>  [<ffffffff81090e6a>] warn_slowpath_common+0x8a/0xc0", KS_SEC_IRQ, true },
	};
	static const char *const rejects[] = {
		"<TASK>", " <TASK", " <FOO>", " <>", " </>", " <task>", " TASK>", "", " ", " <",
		" </", " <TASKS>", " <#D>",
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(cases); i++) {
		enum ks_section sec = KS_SEC_NONE;
		bool open = !cases[i].open;

		if (!ks_parse_section(cases[i].line, strlen(cases[i].line), &sec, &open))
			fail_msg("ks_parse_section(\"%s\") failed", cases[i].line);
		assert_int_equal(sec, cases[i].sec);
		assert_int_equal(open, cases[i].open);
	}
	for (size_t i = 0; i < KS_ARRAY_SIZE(rejects); i++) {
		enum ks_section sec;
		bool open;

		if (ks_parse_section(rejects[i], strlen(rejects[i]), &sec, &open))
			fail_msg("ks_parse_section(\"%s\") accepted", rejects[i]);
	}
}

/* ---- locks ---- */

struct lock_case {
	const char *line;
	const char *name, *usage;
	uint64_t addr;
	int depth, outer, inner;
	bool has_at;
	const char *at_func, *at_module;
	uint64_t at_off, at_size, at_addr;
};

static const struct lock_case locks[] = {
	/* v6.1 */
	{ .line = " #0: ffffffffc00026b8 (my_lock){+.+.}-{3:3}, at: faulty_function+0xd/0x4c [splatmod]",
	  .name = "my_lock", .usage = "+.+.", .addr = 0xffffffffc00026b8, .depth = 0, .outer = 3,
	  .inner = 3, .has_at = true, .at_func = "faulty_function", .at_module = "splatmod", .at_off = 0xd,
	  .at_size = 0x4c },
	{ .line = " #1: ffffc900004b7e68 ((work_completion)(&(&dwork->work)->timer)){+.+.}-{0:0}, at: "
		  "process_one_work+0x1f3/0x530",
	  .name = "(work_completion)(&(&dwork->work)->timer)", .usage = "+.+.", .addr = 0xffffc900004b7e68,
	  .depth = 1, .outer = 0, .inner = 0, .has_at = true, .at_func = "process_one_work",
	  .at_off = 0x1f3, .at_size = 0x530 },
	{ .line = " #0: ffff888100063948 ((wq_completion)events_unbound){+.+.}-{0:0}, at: "
		  "process_one_work+0x1f3/0x530",
	  .name = "(wq_completion)events_unbound", .usage = "+.+.", .addr = 0xffff888100063948,
	  .depth = 0, .outer = 0, .inner = 0, .has_at = true, .at_func = "process_one_work",
	  .at_off = 0x1f3, .at_size = 0x530 },
	{ .line = " #2: ffff888100c2e0e0 (&type->s_umount_key#31/1){+.+.}-{4:4}, at: "
		  "deactivate_super+0x51/0x60",
	  .name = "&type->s_umount_key#31/1", .usage = "+.+.", .addr = 0xffff888100c2e0e0, .depth = 2,
	  .outer = 4, .inner = 4, .has_at = true, .at_func = "deactivate_super", .at_off = 0x51,
	  .at_size = 0x60 },
	{ .line = " #3: ffff88810a8c0d38 (a name with spaces (and parens)){....}-{2:2}, at: f+0x1/0x2",
	  .name = "a name with spaces (and parens)", .usage = "....", .addr = 0xffff88810a8c0d38,
	  .depth = 3, .outer = 2, .inner = 2, .has_at = true, .at_func = "f", .at_off = 1, .at_size = 2 },
	{ .line = " #0: ffffffff82b8f0a0 (rcu_read_lock){....}-{1:2}, at: rcu_lock_acquire+0x0/0x30",
	  .name = "rcu_read_lock", .usage = "....", .addr = 0xffffffff82b8f0a0, .depth = 0, .outer = 1,
	  .inner = 2, .has_at = true, .at_func = "rcu_lock_acquire", .at_off = 0, .at_size = 0x30 },
	/* <= v4.14: no instance, "[<addr>] sym" site, 6 usage chars */
	{ .line = " #0:  (&mm->mmap_sem){++++++}, at: [<ffffffff8117e8b2>] __do_page_fault+0x1a2/0x4f0",
	  .name = "&mm->mmap_sem", .usage = "++++++", .depth = 0, .outer = -1, .inner = -1,
	  .has_at = true, .at_func = "__do_page_fault", .at_off = 0x1a2, .at_size = 0x4f0,
	  .at_addr = 0xffffffff8117e8b2 },
	/* v4.15 - v5.2: hashed instance */
	{ .line = " #0: 00000000b1b9c4e5 (&mm->mmap_sem){++++}, at: __do_page_fault+0x1a2/0x4f0",
	  .name = "&mm->mmap_sem", .usage = "++++", .addr = 0xb1b9c4e5, .depth = 0, .outer = -1,
	  .inner = -1, .has_at = true, .at_func = "__do_page_fault", .at_off = 0x1a2, .at_size = 0x4f0 },
	/* v5.3 - v5.6: real instance, no wait types */
	{ .line = " #1: ffff88806b3c1a60 (&mm->mmap_sem#2){++++}, at: __do_page_fault+0x1a2/0x4f0",
	  .name = "&mm->mmap_sem#2", .usage = "++++", .addr = 0xffff88806b3c1a60, .depth = 1,
	  .outer = -1, .inner = -1, .has_at = true, .at_func = "__do_page_fault", .at_off = 0x1a2,
	  .at_size = 0x4f0 },
	/* 32-bit instance */
	{ .line = " #0: c1a2b3c4 (x){+.+.}-{2:2}, at: f+0x1/0x2", .name = "x", .usage = "+.+.",
	  .addr = 0xc1a2b3c4, .depth = 0, .outer = 2, .inner = 2, .has_at = true, .at_func = "f",
	  .at_off = 1, .at_size = 2 },
	/* Invalid wait context: no "#N:" */
	{ .line = "ffffffff825b65f8 (&port_lock_key){-...}-{3:3}, at: serial8250_console_write+0x71/0x341",
	  .name = "&port_lock_key", .usage = "-...", .addr = 0xffffffff825b65f8, .depth = -1, .outer = 3,
	  .inner = 3, .has_at = true, .at_func = "serial8250_console_write", .at_off = 0x71,
	  .at_size = 0x341 },
	/* Not yet complete: no site. */
	{ .line = " #0: ffffffffc00026b8 (my_lock){+.+.}-{3:3}", .name = "my_lock", .usage = "+.+.",
	  .addr = 0xffffffffc00026b8, .depth = 0, .outer = 3, .inner = 3 },
	{ .line = " #0: ffffffffc00026b8 (my_lock){+.+.}-{3:3}, at: ", .name = "my_lock", .usage = "+.+.",
	  .addr = 0xffffffffc00026b8, .depth = 0, .outer = 3, .inner = 3 },
	/* Hostile wait types are ignored, the lock is kept. */
	{ .line = " #0: ffffffffc00026b8 (l){+.+.}-{999:1}, at: f+0x1/0x2", .name = "l", .usage = "+.+.",
	  .addr = 0xffffffffc00026b8, .depth = 0, .outer = -1, .inner = -1, .has_at = true,
	  .at_func = "f", .at_off = 1, .at_size = 2 },
	{ .line = " #9999: (l){}", .name = "l", .usage = "", .depth = 9999, .outer = -1, .inner = -1 },
};

static void test_locks(void **state)
{
	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(locks); i++) {
		const struct lock_case *c = &locks[i];
		struct ks_lock_view v;

		memset(&v, 0x5a, sizeof(v));
		if (!ks_parse_lock(c->line, strlen(c->line), &v))
			fail_msg("ks_parse_lock(\"%s\") failed", c->line);
		expect_span(v.name, c->name, "name", c->line);
		expect_span(v.usage, c->usage, "usage", c->line);
		expect_u64(v.addr, c->addr, "addr", c->line);
		if (v.depth != c->depth || v.wait_outer != c->outer || v.wait_inner != c->inner)
			fail_msg("depth/wait of \"%s\": got %d %d:%d, want %d %d:%d", c->line, v.depth,
				 v.wait_outer, v.wait_inner, c->depth, c->outer, c->inner);
		if (v.has_at != c->has_at)
			fail_msg("has_at of \"%s\": got %d", c->line, v.has_at);
		if (!c->has_at)
			continue;
		expect_span(v.at.func, c->at_func, "at.func", c->line);
		expect_span(v.at.module, c->at_module, "at.module", c->line);
		expect_u64(v.at.off, c->at_off, "at.off", c->line);
		expect_u64(v.at.size, c->at_size, "at.size", c->line);
		expect_u64(v.at.addr, c->at_addr, "at.addr", c->line);
		assert_true(v.at.has_off);
	}
}

static void test_not_locks(void **state)
{
	static const char *const rejects[] = {
		" #0: <RELEASED>",
		" #0: ",
		" #0: ffffffffc0278098",
		" #0",
		" #0:",
		" #x: (a){b}",
		" #: (a){b}",
		" #99999: (a){b}",
		" #0: (noclose",
		" #0: (a)",
		" #0: (a){+.+.",
		"",
		"Call Trace:",
		"irq event stamp: 123",
		" #18446744073709551616: (a){b}",
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(rejects); i++) {
		struct ks_lock_view v;

		if (ks_parse_lock(rejects[i], strlen(rejects[i]), &v))
			fail_msg("ks_parse_lock(\"%s\") accepted", rejects[i]);
	}
}

static void test_lock_incomplete(void **state)
{
	static const struct {
		const char *line;
		bool incomplete;
	} cases[] = {
		{ " #0: ", true },
		{ " #0: ffffffffc0278098", true },
		{ " #0: ffffffffc0278098 (my_lock){+.+.}-{3:3}", true },
		{ " #0: ffffffffc0278098 (my_lock){+.+.}-{3:3}, at: ", true },
		{ " #0: ffffffffc0278098 (my_lock){+.+.}-{3:3}, at: faulty_function+0xd/0x4c [splatmod]", false },
		{ " #0:  (&mm->mmap_sem){++++++}, at: [<ffffffff8117e8b2>] __do_page_fault+0x1a2/0x4f0", false },
		/* Not held-lock entries at all. */
		{ "ffffffff825b65f8 (&port_lock_key){-...}-{3:3}", false },
		{ "Call Trace:", false },
		{ "", false },
		{ " ", false },
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(cases); i++)
		if (ks_lock_is_incomplete(cases[i].line, strlen(cases[i].line)) != cases[i].incomplete)
			fail_msg("ks_lock_is_incomplete(\"%s\") != %d", cases[i].line, cases[i].incomplete);
}

static void test_lock_copy(void **state)
{
	const char *line = " #0:  (&mm->mmap_sem){++++++}, at: [<ffffffff8117e8b2>] __do_page_fault+0x1a2/0x4f0";
	struct ks_lock_view v;
	struct ks_report *r;
	struct ks_lock l;

	(void)state;
	assert_true(ks_parse_lock(line, strlen(line), &v));
	assert_int_equal(ks_report_new(KS_KIND_SLEEP_IN_ATOMIC, 64 * 1024, &r), 0);
	assert_int_equal(ks_lock_copy(r, &v, &l), 0);
	assert_string_equal(l.name, "&mm->mmap_sem");
	assert_string_equal(l.usage, "++++++");
	assert_int_equal(l.addr, 0);
	assert_int_equal(l.depth, 0);
	assert_int_equal(l.wait_outer, -1);
	assert_int_equal(l.wait_inner, -1);
	assert_true(l.has_at);
	assert_string_equal(l.at.func, "__do_page_fault");
	assert_null(l.at.module);
	assert_int_equal(l.at.addr, 0xffffffff8117e8b2);
	assert_int_equal(l.at.off, 0x1a2);
	ks_report_free(r);
}

/* ---- held-lock header ---- */

static void test_held_header(void **state)
{
	static const struct {
		const char *line;
		int count;
		const char *owner;
	} cases[] = {
		{ "1 lock held by insmod/39:", 1, "insmod/39" },
		{ "3 locks held by kworker/u8:3/117:", 3, "kworker/u8:3/117" },
		{ "no locks held by swapper/0/0.", 0, "swapper/0/0" },
		{ "2 locks held by Web Content/4242:", 2, "Web Content/4242" },
		{ "999999 locks held by x/1:", 999999, "x/1" },
	};
	static const char *const rejects[] = {
		"1 lock held by :",
		"no locks held by .",
		"lock held by x/1:",
		"1 lock held by",
		"1234567 locks held by x/1:",
		"18446744073709551616 locks held by x/1:",
		"2 locks held x/1:",
		"",
		"held by x/1:",
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(cases); i++) {
		struct ks_span owner = { NULL, 0 };

		assert_int_equal(ks_parse_held_header(cases[i].line, strlen(cases[i].line), &owner),
				 cases[i].count);
		expect_span(owner, cases[i].owner, "owner", cases[i].line);
	}
	for (size_t i = 0; i < KS_ARRAY_SIZE(rejects); i++) {
		struct ks_span owner = { NULL, 0 };

		if (ks_parse_held_header(rejects[i], strlen(rejects[i]), &owner) != -1)
			fail_msg("ks_parse_held_header(\"%s\") accepted", rejects[i]);
		assert_null(owner.p);
	}
}

/* ---- CPU: line ---- */

static void test_cpu_line(void **state)
{
	static const struct {
		const char *line;
		int64_t cpu, pid;
		const char *comm, *tainted, *kernel;
	} cases[] = {
		{ "CPU: 0 PID: 39 Comm: insmod Tainted: G           O       6.1.192 #2 ", 0, 39, "insmod",
		  "Tainted: G           O", "6.1.192" },
		{ "CPU: 1 PID: 1234 Comm: insmod Not tainted 6.1.0-lockdep #1", 1, 1234, "insmod",
		  "Not tainted", "6.1.0-lockdep" },
		{ "CPU: 0 PID: 1 Comm: swapper/0 Not tainted 5.15.0-rc1+ #12 "
		  "4e2a1c9d0b7f5a3e8c6d4b2a0f1e3d5c7b9a8f60",
		  0, 1, "swapper/0", "Not tainted", "5.15.0-rc1+" },
		{ "CPU: 3 UID: 0 PID: 677 Comm: kworker/3:2 Tainted: G        W          6.12.0 #1", 3, 677,
		  "kworker/3:2", "Tainted: G        W", "6.12.0" },
		{ "CPU: 2 UID: 1000 PID: 4242 Comm: a.out Not tainted 6.16.0-rc3 #7 PREEMPT(voluntary)", 2,
		  4242, "a.out", "Not tainted", "6.16.0-rc3" },
		{ "CPU: 2 PID: 4242 Comm: Web Content Not tainted 6.1.0 #1", 2, 4242, "Web Content",
		  "Not tainted", "6.1.0" },
		{ "CPU: 1 PID: 1234 Comm: insmod Tainted: G           O       6.1.0-18-amd64 #1 Debian 6.1.76-1",
		  1, 1234, "insmod", "Tainted: G           O", "6.1.0-18-amd64" },
		{ "CPU: 1 PID: 1 Comm: init Kdump: loaded Tainted: G        W  O      6.1.0 #1", 1, 1, "init",
		  "Tainted: G        W  O", "6.1.0" },
		{ "CPU: 0 PID: 5066 Comm: syz-executor.0 Not tainted syzkaller #0", 0, 5066, "syz-executor.0",
		  "Not tainted", "syzkaller" },
		{ "CPU: 127 PID: 4194304 Comm: a Tainted: G    B   6.1.0 #1", 127, 4194304, "a",
		  "Tainted: G    B", "6.1.0" },
	};
	static const char *const rejects[] = {
		"CPU: x PID: 1 Comm: a",
		"CPU: 0 Comm: a",
		"CPU: 0 PID: x Comm: a",
		"CPU: 0 PID: 1 comm: a",
		"CPU: 0 UID: x PID: 1 Comm: a",
		"cpu: 0 PID: 1 Comm: a",
		"CPU: ",
		"CPU:",
		"",
		"CPU: 0",
		"CPU: 18446744073709551616 PID: 1 Comm: a",
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(cases); i++) {
		struct ks_cpu_view v;

		if (!ks_parse_cpu_line(cases[i].line, strlen(cases[i].line), &v))
			fail_msg("ks_parse_cpu_line(\"%s\") failed", cases[i].line);
		assert_int_equal(v.cpu, cases[i].cpu);
		assert_int_equal(v.pid, cases[i].pid);
		expect_span(v.comm, cases[i].comm, "comm", cases[i].line);
		expect_span(v.tainted, cases[i].tainted, "tainted", cases[i].line);
		expect_span(v.kernel, cases[i].kernel, "kernel", cases[i].line);
	}
	for (size_t i = 0; i < KS_ARRAY_SIZE(rejects); i++) {
		struct ks_cpu_view v;

		if (ks_parse_cpu_line(rejects[i], strlen(rejects[i]), &v))
			fail_msg("ks_parse_cpu_line(\"%s\") accepted", rejects[i]);
	}
}

/* ---- PC and register lines ---- */

static void test_pc_line(void **state)
{
	static const struct {
		const char *line;
		const char *func, *module;
		uint64_t off, size;
	} cases[] = {
		{ "RIP: 0010:preempt_count_sub+0x45/0x89", "preempt_count_sub", NULL, 0x45, 0x89 },
		{ "RIP: 0010:default_idle+0xb/0x10", "default_idle", NULL, 0xb, 0x10 },
		{ "RIP: 0010:faulty_function+0x1c/0x40 [my_mod]", "faulty_function", "my_mod", 0x1c, 0x40 },
		{ "pc : foo+0x1c/0x40 [mod]", "foo", "mod", 0x1c, 0x40 },
		{ "PC is at func+0x14/0x30", "func", NULL, 0x14, 0x30 },
		{ "epc : foo+0x1c/0x40 [mod]", "foo", "mod", 0x1c, 0x40 },
	};
	static const char *const rejects[] = {
		"RIP: 0033:0x47fbe9",
		"RIP: 0033:foo+0x1/0x2",
		"RIP: 0010:",
		"RIP: 0010",
		"RIP: ",
		"RIP: 0010:not a symbol",
		"lr : caller+0x30/0x80",
		" func+0x1/0x2",
		"pc : ",
		"",
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(cases); i++) {
		struct ks_frame_view v;

		if (!ks_parse_pc_line(cases[i].line, strlen(cases[i].line), &v))
			fail_msg("ks_parse_pc_line(\"%s\") failed", cases[i].line);
		expect_span(v.func, cases[i].func, "func", cases[i].line);
		expect_span(v.module, cases[i].module, "module", cases[i].line);
		assert_int_equal(v.off, cases[i].off);
		assert_int_equal(v.size, cases[i].size);
		assert_int_equal(v.flags, KS_FRAME_PC);
	}
	for (size_t i = 0; i < KS_ARRAY_SIZE(rejects); i++) {
		struct ks_frame_view v;

		if (ks_parse_pc_line(rejects[i], strlen(rejects[i]), &v))
			fail_msg("ks_parse_pc_line(\"%s\") accepted", rejects[i]);
	}
}

static void test_register_lines(void **state)
{
	static const char *const regs[] = {
		"RSP: 0018:ffffc900000cbe98 EFLAGS: 00000202",
		"RAX: 0000000000000000 RBX: ffff888100a1c000 RCX: 0000000000000000",
		"R13: 0000000000000000 R14: ffff888100a1c000 R15: 0000000000000000",
		"R08: 0000000000000001 R09: 0000000000000000 R10: 0000000000000000",
		"RIP: 0010:default_idle+0xb/0x10",
		"Code: 48 89 e5 41 54 53 <0f> 0b",
		"FS:  0000000000000000(0000) GS:ffff88813bc00000(0000) knlGS:0000000000000000",
		"CR2: 00007f0e2c1a5000 CR3: 000000010a3b6000 CR4: 00000000000006f0",
		" r7:81d67c90 r6:82222b24",
		" r10:c1a2b3c4 r9:00000000",
		"pc : foo+0x1c/0x40 [mod]",
		"lr : caller+0x30/0x80",
		"sp : ffff80000a3bbc40",
		"x29: ffff80000a3bbc40 x28: ffff0000c1a2b3c4 x27: 0000000000000000",
		"x8 : 0000000000000000 x7 : 0000000000000000",
		"pstate: 60400005 (nZCv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)",
		"NIP [c0000000001a3b44] foo+0x44/0x80",
		"Krnl PSW : 0704c00180000000 000000000012a4b6 (foo+0x2e/0x48)",
	};
	static const char *const not_regs[] = {
		" dump_stack+0x1/0x2",
		" r8169_poll+0x1/0x2 [r8169]",
		" x86_64_start_kernel+0x1/0x2",
		" ? R8_helper+0x1/0x2",
		"random: crng init done",
		"Call Trace:",
		"",
		"R",
		" r7:",
		"x2",
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(regs); i++)
		if (!ks_is_register_line(regs[i], strlen(regs[i])))
			fail_msg("ks_is_register_line(\"%s\") is false", regs[i]);
	for (size_t i = 0; i < KS_ARRAY_SIZE(not_regs); i++)
		if (ks_is_register_line(not_regs[i], strlen(not_regs[i])))
			fail_msg("ks_is_register_line(\"%s\") is true", not_regs[i]);
}

/* ---- util.h ---- */

static void test_func_base_len(void **state)
{
	static const struct {
		const char *name;
		size_t base;
	} cases[] = {
		{ "slab_pre_alloc_hook.constprop.0", 19 },
		{ "__might_resched.cold", 15 },
		{ "foo.isra.0.cold", 3 },
		{ "foo.part.0", 3 },
		{ "bar.llvm.1234567890", 3 },
		{ "baz.lto_priv.0", 3 },
		{ "qux.localalias", 3 },
		{ "f.clone.1", 1 },
		{ "dump_stack_lvl", 14 },
		{ "foo.str", 7 },  /* not a clone suffix */
		{ "foo.0", 5 },
		{ ".cold", 5 },    /* a name is never empty */
		{ "", 0 },
		{ "a.", 2 },
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(cases); i++)
		if (ks_func_base_len(cases[i].name, strlen(cases[i].name)) != cases[i].base)
			fail_msg("ks_func_base_len(\"%s\") = %zu, want %zu", cases[i].name,
				 ks_func_base_len(cases[i].name, strlen(cases[i].name)), cases[i].base);
	/* Only @len bytes are looked at. */
	assert_int_equal(ks_func_base_len("foo.constprop.0", 4), 4);
	assert_int_equal(ks_func_base_len("foo.constprop.0", 13), 3);
}

static void test_parse_u64(void **state)
{
	static const struct {
		const char *s;
		int base;
		size_t n;
		uint64_t v;
	} cases[] = {
		{ "0", 10, 1, 0 },
		{ "123abc", 10, 3, 123 },
		{ "123abc", 16, 6, 0x123abc },
		{ "DEADbeef", 16, 8, 0xdeadbeef },
		{ "18446744073709551615", 10, 20, UINT64_MAX },
		{ "ffffffffffffffff", 16, 16, UINT64_MAX },
		{ "0000000000000000000000001", 10, 25, 1 },
		{ "0x10", 16, 1, 0 },
		{ "12 34", 10, 2, 12 },
		{ "FFFFFFFFFFFFFFFF ", 16, 16, UINT64_MAX },
		{ "777x", 8, 3, 0777 }, /* another base: the bound is computed */
		{ "1777777777777777777777", 8, 22, UINT64_MAX },
	};
	static const struct {
		const char *s;
		int base;
	} none[] = {
		{ "", 10 },
		{ "x", 10 },
		{ "-1", 10 },
		{ " 1", 10 },
		{ "abc", 10 },
		{ "g", 16 },
		/* Overflow: no number at all, not a wrapped one. */
		{ "18446744073709551616", 10 },
		{ "18446744073709551620", 10 },
		{ "99999999999999999999", 10 },
		{ "2000000000000000000000", 8 },
		{ "10000000000000000", 16 },
		{ "fffffffffffffffff", 16 },
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(cases); i++) {
		uint64_t v = 42;

		assert_int_equal(ks_parse_u64(cases[i].s, strlen(cases[i].s), cases[i].base, &v), cases[i].n);
		assert_int_equal(v, cases[i].v);
	}
	for (size_t i = 0; i < KS_ARRAY_SIZE(none); i++) {
		uint64_t v = 42;

		if (ks_parse_u64(none[i].s, strlen(none[i].s), none[i].base, &v) != 0)
			fail_msg("ks_parse_u64(\"%s\") parsed", none[i].s);
		assert_int_equal(v, 42); /* untouched */
	}
	/* @len bounds the digits. */
	{
		uint64_t v = 0;

		assert_int_equal(ks_parse_u64("12345", 2, 10, &v), 2);
		assert_int_equal(v, 12);
	}
}

static void test_fnv1a(void **state)
{
	uint64_t h;

	(void)state;
	assert_int_equal(ks_fnv1a(KS_FNV_SEED, "", 0), KS_FNV_SEED);
	assert_int_equal(ks_fnv1a(KS_FNV_SEED, "a", 1), UINT64_C(0xaf63dc4c8601ec8c));
	assert_int_equal(ks_fnv1a(KS_FNV_SEED, "foobar", 6), UINT64_C(0x85944171f73967e8));
	/* Chainable. */
	h = ks_fnv1a(KS_FNV_SEED, "foo", 3);
	assert_int_equal(ks_fnv1a(h, "bar", 3), UINT64_C(0x85944171f73967e8));
	/* Bytes above 0x7f are not sign-extended. */
	assert_int_not_equal(ks_fnv1a(KS_FNV_SEED, "\xff", 1), ks_fnv1a(KS_FNV_SEED, "\x7f", 1));
	assert_int_equal(ks_fnv1a(KS_FNV_SEED, "\xff", 1),
			 (KS_FNV_SEED ^ 0xff) * UINT64_C(0x100000001b3));
}

static void test_skip_blanks(void **state)
{
	(void)state;
	assert_int_equal(ks_skip_blanks(" \t x", 4, 0), 3);
	assert_int_equal(ks_skip_blanks("x  ", 3, 1), 3);
	assert_int_equal(ks_skip_blanks("x", 1, 5), 5); /* past the end: unchanged */
	assert_int_equal(ks_skip_blanks("\n", 1, 0), 0);
}

static void test_utf8_decode(void **state)
{
	static const struct {
		const char *s;
		size_t len, n;
		uint32_t cp;
	} cases[] = {
		{ "A", 1, 1, 0x41 },
		{ "\xc3\xa9", 2, 2, 0xe9 },
		{ "\xe2\x82\xac", 3, 3, 0x20ac },
		{ "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
		{ "\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff },
		{ "\xc0\x80", 2, 0, 0 },         /* overlong NUL */
		{ "\xe0\x80\xaf", 3, 0, 0 },     /* overlong '/' */
		{ "\xed\xa0\x80", 3, 0, 0 },     /* surrogate */
		{ "\xf4\x90\x80\x80", 4, 0, 0 }, /* above U+10FFFF */
		{ "\xe2\x82", 2, 0, 0 },         /* truncated */
		{ "\x80", 1, 0, 0 },             /* stray continuation */
		{ "\xff", 1, 0, 0 },
		{ "\xc3\x41", 2, 0, 0 },
		{ "", 0, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(cases); i++) {
		uint32_t cp = 0xdead;

		assert_int_equal(ks_utf8_decode((const unsigned char *)cases[i].s, cases[i].len, &cp),
				 cases[i].n);
		if (cases[i].n)
			assert_int_equal(cp, cases[i].cp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames),
		cmocka_unit_test(test_not_frames),
		cmocka_unit_test(test_unindented_arch_frames),
		cmocka_unit_test(test_frame_tail_nul),
		cmocka_unit_test(test_frame_spans_borrow),
		cmocka_unit_test(test_parse_symbol),
		cmocka_unit_test(test_frame_copy),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_locks),
		cmocka_unit_test(test_not_locks),
		cmocka_unit_test(test_lock_incomplete),
		cmocka_unit_test(test_lock_copy),
		cmocka_unit_test(test_held_header),
		cmocka_unit_test(test_cpu_line),
		cmocka_unit_test(test_pc_line),
		cmocka_unit_test(test_register_lines),
		cmocka_unit_test(test_func_base_len),
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_fnv1a),
		cmocka_unit_test(test_skip_blanks),
		cmocka_unit_test(test_utf8_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
