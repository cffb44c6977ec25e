// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Envelope decoding (FORMATS.md §1-2): every rendering of a kernel line, one
 * table row per rendering, then the stateful cases (multi-line records,
 * continuations, kmsg dictionaries) and hostile input.
 */
#include "unit.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

#include "ksplat/envelope.h"

#define NOTS KS_TIME_NONE
#define MAX_OUT 8

/* What one raw line must decode to (a single ks_line). */
struct env_case {
	const char *raw;
	size_t raw_len;   /* 0: strlen(raw) */
	const char *text;
	size_t text_len;  /* 0: strlen(text) */
	uint8_t env;
	uint64_t ts_ns;
	const char *wall; /* NULL: no wall clock */
	int8_t level;
	uint16_t flags;
	uint8_t caller_type;
	uint32_t caller;
	uint64_t seq;
};

static int setup(void **state)
{
	struct ks_envelope *env;

	if (ks_envelope_new(16384, &env) < 0)
		return -1;
	*state = env;
	return 0;
}

static int teardown(void **state)
{
	ks_envelope_free(*state);
	return 0;
}

/* Feed one raw line and drain it into @out; returns the number of lines. */
static size_t feed(struct ks_envelope *env, const char *raw, size_t len, uint64_t lineno, bool cut,
		   struct ks_line *out)
{
	struct ks_line l;
	size_t n = 0;

	ks_envelope_feed(env, raw, len, lineno, cut);
	while (ks_envelope_next(env, &l)) {
		assert_true(n < MAX_OUT);
		out[n++] = l;
	}
	/* Drained stays drained. */
	assert_false(ks_envelope_next(env, &l));
	return n;
}

static size_t feed_str(struct ks_envelope *env, const char *raw, uint64_t lineno, struct ks_line *out)
{
	return feed(env, raw, strlen(raw), lineno, false, out);
}

static void expect_text(const struct ks_line *l, const char *want, size_t want_len, const char *raw)
{
	if (l->len != want_len || (want_len && memcmp(l->text, want, want_len) != 0))
		fail_msg("text of \"%s\": got \"%.*s\" (%zu bytes), want \"%s\" (%zu bytes)", raw,
			 (int)l->len, l->text, l->len, want, want_len);
}

static void expect_str(const struct ks_line *l, const char *want, const char *raw)
{
	expect_text(l, want, strlen(want), raw);
}

/* @n spaces then @text, in @buf. */
static const char *indented(char *buf, size_t size, size_t n, const char *text)
{
	assert_true(n + strlen(text) < size);
	memset(buf, ' ', n);
	memcpy(buf + n, text, strlen(text) + 1);
	return buf;
}

static void expect_wall(const struct ks_line *l, const char *want, const char *raw)
{
	size_t n = want ? strlen(want) : 0;

	if (l->wall.len != n || (n && memcmp(l->wall.p, want, n) != 0))
		fail_msg("wall of \"%s\": got \"%.*s\", want \"%s\"", raw, (int)l->wall.len,
			 l->wall.p ? l->wall.p : "", want ? want : "");
}

static void check_case(const struct env_case *c, const struct ks_line *l)
{
	const char *raw = c->raw;

	expect_text(l, c->text, c->text_len ? c->text_len : strlen(c->text), raw);
	if (l->env != c->env)
		fail_msg("env of \"%s\": got %s, want %s", raw, ks_env_kind_name(l->env),
			 ks_env_kind_name(c->env));
	if (l->ts_ns != c->ts_ns)
		fail_msg("ts_ns of \"%s\": got %" PRIu64 ", want %" PRIu64, raw, l->ts_ns, c->ts_ns);
	expect_wall(l, c->wall, raw);
	if (l->level != c->level)
		fail_msg("level of \"%s\": got %d, want %d", raw, l->level, c->level);
	if (l->flags != c->flags)
		fail_msg("flags of \"%s\": got %#x, want %#x", raw, l->flags, c->flags);
	if (l->caller_type != c->caller_type || l->caller != c->caller)
		fail_msg("caller of \"%s\": got %u/%u, want %u/%u", raw, l->caller_type, l->caller,
			 c->caller_type, c->caller);
	if (l->seq != c->seq)
		fail_msg("seq of \"%s\": got %" PRIu64 ", want %" PRIu64, raw, l->seq, c->seq);
}

static void run_cases(struct ks_envelope *env, const struct env_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct env_case *c = &cases[i];
		size_t len = c->raw_len ? c->raw_len : strlen(c->raw);
		struct ks_line out[MAX_OUT];
		size_t got;

		ks_envelope_reset(env);
		got = feed(env, c->raw, len, 100 + i, false, out);
		if (got != 1)
			fail_msg("\"%s\": %zu lines, want 1", c->raw, got);
		check_case(c, &out[0]);
		assert_int_equal(out[0].lineno, 100 + i);
	}
}

/* Every single-line rendering of FORMATS.md §1. */
static const struct env_case renderings[] = {
	/* printk.time=0, pasted reports */
	{ .raw = "BUG: sleeping function called from invalid context at mm/slab.h:723",
	  .text = "BUG: sleeping function called from invalid context at mm/slab.h:723",
	  .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	/* console / dmesg */
	{ .raw = "[   12.345678] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = 12345678000, .level = -1 },
	{ .raw = "[100000.000001] msg", .text = "msg", .env = KS_ENV_DMESG,
	  .ts_ns = UINT64_C(100000000001000), .level = -1 },
	{ .raw = "[ 1.5] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = 1500000000, .level = -1 },
	{ .raw = "[ 1.123456789] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = 1123456789, .level = -1 },
	/* CONFIG_PRINTK_CALLER */
	{ .raw = "[   12.345678][  T123] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = 12345678000,
	  .level = -1, .caller_type = KS_CALLER_TASK, .caller = 123 },
	{ .raw = "[   12.345690][    C1] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = 12345690000,
	  .level = -1, .caller_type = KS_CALLER_CPU, .caller = 1 },
	{ .raw = "[   12.345690][T1234567] msg", .text = "msg", .env = KS_ENV_DMESG,
	  .ts_ns = 12345690000, .level = -1, .caller_type = KS_CALLER_TASK, .caller = 1234567 },
	/* util-linux 2.39: space between time and caller */
	{ .raw = "[ 1.0] [  T123] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = 1000000000,
	  .level = -1, .caller_type = KS_CALLER_TASK, .caller = 123 },
	{ .raw = "[    1.234567] [    C3] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = 1234567000,
	  .level = -1, .caller_type = KS_CALLER_CPU, .caller = 3 },
	/* dmesg -r: <facility << 3 | level> */
	{ .raw = "<4>[ 1.0] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = 1000000000, .level = 4 },
	{ .raw = "<6>[    0.000000] BIOS-provided physical RAM map:", .text = "BIOS-provided physical RAM map:",
	  .env = KS_ENV_DMESG, .ts_ns = 0, .level = 6 },
	{ .raw = "<30>[ 1.0] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = 1000000000, .level = 6,
	  .flags = KS_LINE_USER },
	{ .raw = "<6>", .text = "", .env = KS_ENV_DMESG, .ts_ns = NOTS, .level = 6 },
	/* dmesg -T */
	{ .raw = "[Wed Nov 25 04:04:55 2026] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = NOTS,
	  .wall = "Wed Nov 25 04:04:55 2026", .level = -1 },
	{ .raw = "[Thu Nov  5 04:04:55 2026] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = NOTS,
	  .wall = "Thu Nov  5 04:04:55 2026", .level = -1 },
	/* dmesg --time-format iso */
	{ .raw = "2026-11-25T04:04:55,000000+00:00 msg", .text = "msg", .env = KS_ENV_DMESG_ISO,
	  .ts_ns = NOTS, .wall = "2026-11-25T04:04:55,000000+00:00", .level = -1 },
	{ .raw = "2026-11-25T04:04:55,000000+00:00 BIOS-provided physical RAM map:",
	  .text = "BIOS-provided physical RAM map:", .env = KS_ENV_DMESG_ISO, .ts_ns = NOTS,
	  .wall = "2026-11-25T04:04:55,000000+00:00", .level = -1 },
	/* dmesg -x */
	{ .raw = "kern  :info  : [    0.000000] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = 0,
	  .level = 6 },
	{ .raw = "kern  :err   : [    2.500000] msg", .text = "msg", .env = KS_ENV_DMESG,
	  .ts_ns = 2500000000, .level = 3 },
	{ .raw = "user  :notice: [    1.000000] msg", .text = "msg", .env = KS_ENV_DMESG,
	  .ts_ns = 1000000000, .level = 5, .flags = KS_LINE_USER },
	/* dmesg -d, --time-format delta, reltime */
	{ .raw = "[    0.000000 <    0.000000>] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = 0,
	  .level = -1 },
	{ .raw = "[   12.500000 <    0.250000>] msg", .text = "msg", .env = KS_ENV_DMESG,
	  .ts_ns = 12500000000, .level = -1 },
	{ .raw = "[<    0.000000>] msg", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = NOTS, .level = -1 },
	{ .raw = "[Nov25 04:04] first line", .text = "first line", .env = KS_ENV_DMESG, .ts_ns = NOTS,
	  .level = -1 },
	{ .raw = "[  +0.000026] next line", .text = "next line", .env = KS_ENV_DMESG, .ts_ns = NOTS,
	  .level = -1 },
	/* /dev/kmsg */
	{ .raw = "6,2,1000,-;msg", .text = "msg", .env = KS_ENV_KMSG, .ts_ns = 1000000, .level = 6,
	  .seq = 2 },
	{ .raw = "6,2,0,-;BIOS-provided physical RAM map:", .text = "BIOS-provided physical RAM map:",
	  .env = KS_ENV_KMSG, .ts_ns = 0, .level = 6, .seq = 2 },
	{ .raw = "6,3,1000,-,caller=T39;msg", .text = "msg", .env = KS_ENV_KMSG, .ts_ns = 1000000,
	  .level = 6, .seq = 3, .caller_type = KS_CALLER_TASK, .caller = 39 },
	{ .raw = "4,9,5,-,ncfrag=0/10,caller=C1;msg", .text = "msg", .env = KS_ENV_KMSG, .ts_ns = 5000,
	  .level = 4, .seq = 9, .caller_type = KS_CALLER_CPU, .caller = 1 },
	{ .raw = "4,5,1000,c;frag", .text = "frag", .env = KS_ENV_KMSG, .ts_ns = 1000000, .level = 4,
	  .seq = 5, .flags = KS_LINE_CONT },
	{ .raw = "4,6,1000,+;frag", .text = "frag", .env = KS_ENV_KMSG, .ts_ns = 1000000, .level = 4,
	  .seq = 6, .flags = KS_LINE_CONT },
	{ .raw = "6,2,1000;v3.5 has no flags", .text = "v3.5 has no flags", .env = KS_ENV_KMSG,
	  .ts_ns = 1000000, .level = 6, .seq = 2 },
	{ .raw = "14,7,1,-;injected by userspace", .text = "injected by userspace", .env = KS_ENV_KMSG,
	  .ts_ns = 1000, .level = 6, .seq = 7, .flags = KS_LINE_USER },
	{ .raw = "6,89,230753,-;rcu: \\x09RCU restricting CPUs", .text = "rcu: \tRCU restricting CPUs",
	  .env = KS_ENV_KMSG, .ts_ns = 230753000, .level = 6, .seq = 89 },
	{ .raw = "6,90,1,-;a\\x5cb", .text = "a\\b", .env = KS_ENV_KMSG, .ts_ns = 1000, .level = 6,
	  .seq = 90 },
	{ .raw = "6,91,1,-;caf\\xc3\\xa9", .text = "caf\xc3\xa9", .env = KS_ENV_KMSG, .ts_ns = 1000,
	  .level = 6, .seq = 91 },
	/* An escaped NUL stays a byte of the text. */
	{ .raw = "6,92,1,-;a\\x00b", .text = "a\0b", .text_len = 3, .env = KS_ENV_KMSG, .ts_ns = 1000,
	  .level = 6, .seq = 92 },
	/* Cut or invalid escapes are kept literally. */
	{ .raw = "6,93,1,-;x\\x4", .text = "x\\x4", .env = KS_ENV_KMSG, .ts_ns = 1000, .level = 6,
	  .seq = 93 },
	{ .raw = "6,94,1,-;\\xZZ", .text = "\\xZZ", .env = KS_ENV_KMSG, .ts_ns = 1000, .level = 6,
	  .seq = 94 },
	/* syslog files */
	{ .raw = "Nov 25 04:05:12 host kernel: [   12.345678] BUG: x", .text = "BUG: x",
	  .env = KS_ENV_SYSLOG, .ts_ns = 12345678000, .wall = "Nov 25 04:05:12", .level = -1 },
	{ .raw = "Nov 25 04:05:12 host kernel: [   12.345678][  T123] BUG: x", .text = "BUG: x",
	  .env = KS_ENV_SYSLOG, .ts_ns = 12345678000, .wall = "Nov 25 04:05:12", .level = -1,
	  .caller_type = KS_CALLER_TASK, .caller = 123 },
	{ .raw = "Nov 25 04:05:12 host kernel: <4>[   12.345678] BUG: x", .text = "BUG: x",
	  .env = KS_ENV_SYSLOG, .ts_ns = 12345678000, .wall = "Nov 25 04:05:12", .level = 4 },
	{ .raw = "Nov  5 04:05:12 host kernel: msg", .text = "msg", .env = KS_ENV_SYSLOG, .ts_ns = NOTS,
	  .wall = "Nov  5 04:05:12", .level = -1 },
	{ .raw = "Nov 25 04:05:12 host kernel[0]: msg", .text = "msg", .env = KS_ENV_SYSLOG,
	  .ts_ns = NOTS, .wall = "Nov 25 04:05:12", .level = -1 },
	/* Host-less: the message keeps its own leading space. */
	{ .raw = "May 12 20:02:16 kernel:  x", .text = " x", .env = KS_ENV_SYSLOG, .ts_ns = NOTS,
	  .wall = "May 12 20:02:16", .level = -1 },
	{ .raw = "Nov 25 04:05:12 host systemd[1]: x", .text = "x", .env = KS_ENV_SYSLOG, .ts_ns = NOTS,
	  .wall = "Nov 25 04:05:12", .level = -1, .flags = KS_LINE_USER },
	{ .raw = "<3>Nov 25 04:05:12 host kernel: msg", .text = "msg", .env = KS_ENV_SYSLOG,
	  .ts_ns = NOTS, .wall = "Nov 25 04:05:12", .level = 3 },
	{ .raw = "2026-11-25T04:05:12.345678+00:00 host kernel: msg", .text = "msg", .env = KS_ENV_SYSLOG,
	  .ts_ns = NOTS, .wall = "2026-11-25T04:05:12.345678+00:00", .level = -1 },
	{ .raw = "2026-11-25T04:05:12.345678+00:00 host kernel: [   12.345678] BUG: x", .text = "BUG: x",
	  .env = KS_ENV_SYSLOG, .ts_ns = 12345678000, .wall = "2026-11-25T04:05:12.345678+00:00",
	  .level = -1 },
	{ .raw = "<3>1 2026-11-25T04:05:12.345678+00:00 host kernel - - - msg", .text = "msg",
	  .env = KS_ENV_SYSLOG, .ts_ns = NOTS, .wall = "2026-11-25T04:05:12.345678+00:00", .level = 3 },
	{ .raw = "<30>1 2026-11-25T04:05:12Z host systemd 1 - - msg", .text = "msg", .env = KS_ENV_SYSLOG,
	  .ts_ns = NOTS, .wall = "2026-11-25T04:05:12Z", .level = 6, .flags = KS_LINE_USER },
	{ .raw = "Nov 25 04:05:12 host kernel: a#011b", .text = "a\tb", .env = KS_ENV_SYSLOG,
	  .ts_ns = NOTS, .wall = "Nov 25 04:05:12", .level = -1 },
	/* journalctl */
	{ .raw = "Nov 25 04:05:12.345678 host kernel: msg", .text = "msg", .env = KS_ENV_SYSLOG,
	  .ts_ns = NOTS, .wall = "Nov 25 04:05:12.345678", .level = -1 },
	{ .raw = "2026-11-25T04:05:12+0000 host kernel: msg", .text = "msg", .env = KS_ENV_SYSLOG,
	  .ts_ns = NOTS, .wall = "2026-11-25T04:05:12+0000", .level = -1 },
	{ .raw = "[   12.345678] host kernel: msg", .text = "msg", .env = KS_ENV_SYSLOG, .ts_ns = 12345678000,
	  .level = -1 },
	{ .raw = "1795579512.345678 host kernel: msg", .text = "msg", .env = KS_ENV_SYSLOG, .ts_ns = NOTS,
	  .wall = "1795579512.345678", .level = -1 },
	/* Kernel text that reads like "host tag:" stays kernel text. */
	{ .raw = "[ 1.0] WARNING: possible circular locking dependency detected",
	  .text = "WARNING: possible circular locking dependency detected", .env = KS_ENV_DMESG,
	  .ts_ns = 1000000000, .level = -1 },
	{ .raw = "[ 1.0] usb 1-1: new high-speed USB device number 2 using xhci_hcd",
	  .text = "usb 1-1: new high-speed USB device number 2 using xhci_hcd", .env = KS_ENV_DMESG,
	  .ts_ns = 1000000000, .level = -1 },
	{ .raw = "[ 1.0] systemd[1]: x", .text = "systemd[1]: x", .env = KS_ENV_DMESG,
	  .ts_ns = 1000000000, .level = -1 },
	{ .raw = "[ 1.0] ata1.00: ATA-8: QEMU HARDDISK", .text = "ata1.00: ATA-8: QEMU HARDDISK",
	  .env = KS_ENV_DMESG, .ts_ns = 1000000000, .level = -1 },
	/* Serial console: "\r\n" line ends. */
	{ .raw = "[    1.000000] msg\r", .text = "msg", .env = KS_ENV_DMESG, .ts_ns = 1000000000, .level = -1 },
	{ .raw = "msg\r\r", .text = "msg", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	/* Userspace output ahead of the kernel line on a console. */
	{ .raw = "syzkaller login: [   59.806466][ T6792] BUG: x", .text = "BUG: x", .env = KS_ENV_DMESG,
	  .ts_ns = 59806466000, .level = -1, .caller_type = KS_CALLER_TASK, .caller = 6792 },
	{ .raw = "[  OK  ] Started Journal Service.", .text = "[  OK  ] Started Journal Service.",
	  .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	/* Exactly one space after the prefix is the envelope's; the rest is text. */
	{ .raw = "[    1.000000]  #0: ffffffffc00026b8 (my_lock){+.+.}-{3:3}, at: f+0x1/0x2",
	  .text = " #0: ffffffffc00026b8 (my_lock){+.+.}-{3:3}, at: f+0x1/0x2", .env = KS_ENV_DMESG,
	  .ts_ns = 1000000000, .level = -1 },
	{ .raw = "[    1.000000]  dump_stack_lvl+0x5b/0x77", .text = " dump_stack_lvl+0x5b/0x77",
	  .env = KS_ENV_DMESG, .ts_ns = 1000000000, .level = -1 },
	{ .raw = "[    1.000000] [<ffffffff80006a8c>] dump_backtrace+0x1c/0x24",
	  .text = "[<ffffffff80006a8c>] dump_backtrace+0x1c/0x24", .env = KS_ENV_DMESG,
	  .ts_ns = 1000000000, .level = -1 },
	/* Empty records: a bare prefix. */
	{ .raw = "[ 1.0]", .text = "", .env = KS_ENV_DMESG, .ts_ns = 1000000000, .level = -1 },
	{ .raw = "[    1.234567] ", .text = "", .env = KS_ENV_DMESG, .ts_ns = 1234567000, .level = -1 },
	{ .raw = "[   12.345678][  T123]", .text = "", .env = KS_ENV_DMESG, .ts_ns = 12345678000,
	  .level = -1, .caller_type = KS_CALLER_TASK, .caller = 123 },
};

static void test_renderings(void **state)
{
	run_cases(*state, renderings, KS_ARRAY_SIZE(renderings));
}

/* Malformed prefixes are never half-decoded: the line stays whole. */
static const struct env_case hostile[] = {
	{ .raw = "", .text = "", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = "[", .text = "[", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = "]", .text = "]", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = "<", .text = "<", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = "[ 1.", .text = "[ 1.", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = "[ 1.0", .text = "[ 1.0", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = "[ 99999999999999999999.1] x", .text = "[ 99999999999999999999.1] x", .env = KS_ENV_BARE,
	  .ts_ns = NOTS, .level = -1 },
	{ .raw = "[12345678901.0] x", .text = "[12345678901.0] x", .env = KS_ENV_BARE, .ts_ns = NOTS,
	  .level = -1 },
	{ .raw = "[ 1.1234567890] x", .text = "[ 1.1234567890] x", .env = KS_ENV_BARE, .ts_ns = NOTS,
	  .level = -1 },
	/* The widest accepted stamp does not overflow. */
	{ .raw = "[9999999999.999999999] x", .text = "x", .env = KS_ENV_DMESG,
	  .ts_ns = UINT64_C(9999999999999999999), .level = -1 },
	{ .raw = "<999>x", .text = "<999>x", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = "<192>x", .text = "<192>x", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = "<18446744073709551616>x", .text = "<18446744073709551616>x", .env = KS_ENV_BARE,
	  .ts_ns = NOTS, .level = -1 },
	{ .raw = "<>x", .text = "<>x", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	/* Bad caller ids are text. */
	{ .raw = "[ 1.0][T4294967296] x", .text = "[T4294967296] x", .env = KS_ENV_DMESG,
	  .ts_ns = 1000000000, .level = -1 },
	{ .raw = "[ 1.0][  T] x", .text = "[  T] x", .env = KS_ENV_DMESG, .ts_ns = 1000000000,
	  .level = -1 },
	{ .raw = "[ 1.0][  X1] x", .text = "[  X1] x", .env = KS_ENV_DMESG, .ts_ns = 1000000000,
	  .level = -1 },
	{ .raw = "[ 1.0][  T12", .text = "[  T12", .env = KS_ENV_DMESG, .ts_ns = 1000000000, .level = -1 },
	/* NUL bytes are ordinary bytes. */
	{ .raw = "[    1.000000] a\0b", .raw_len = 18, .text = "a\0b", .text_len = 3, .env = KS_ENV_DMESG,
	  .ts_ns = 1000000000, .level = -1 },
	{ .raw = "[  \0 1.0] x", .raw_len = 11, .text = "[  \0 1.0] x", .text_len = 11, .env = KS_ENV_BARE,
	  .ts_ns = NOTS, .level = -1 },
	{ .raw = "\0\0\0", .raw_len = 3, .text = "\0\0\0", .text_len = 3, .env = KS_ENV_BARE,
	  .ts_ns = NOTS, .level = -1 },
	/* kmsg headers with numbers that do not fit. */
	{ .raw = "6,99999999999999999999,1000,-;msg", .text = "6,99999999999999999999,1000,-;msg",
	  .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = "6,1,99999999999999999999,-;msg", .text = "6,1,99999999999999999999,-;msg",
	  .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = "99999,1,1,-;msg", .text = "99999,1,1,-;msg", .env = KS_ENV_BARE, .ts_ns = NOTS,
	  .level = -1 },
	{ .raw = "6,1,18446744073709551615,-;msg", .text = "msg", .env = KS_ENV_KMSG, .ts_ns = NOTS,
	  .level = 6, .seq = 1 },
	{ .raw = "6,18446744073709551615,1,-;msg", .text = "msg", .env = KS_ENV_KMSG, .ts_ns = 1000,
	  .level = 6, .seq = UINT64_MAX },
	{ .raw = "6,1,1,-,caller=T99999999999;msg", .text = "msg", .env = KS_ENV_KMSG, .ts_ns = 1000,
	  .level = 6, .seq = 1 },
	{ .raw = "6,1,1x,-;msg", .text = "6,1,1x,-;msg", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = ",,;", .text = ",,;", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = ";", .text = ";", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	/* Truncated syslog dates. */
	{ .raw = "Nov 25 04:05", .text = "Nov 25 04:05", .env = KS_ENV_BARE, .ts_ns = NOTS, .level = -1 },
	{ .raw = "Nov 25 04:05:12 host", .text = "Nov 25 04:05:12 host", .env = KS_ENV_BARE,
	  .ts_ns = NOTS, .level = -1 },
	{ .raw = "2026-11-25T04:05:12", .text = "2026-11-25T04:05:12", .env = KS_ENV_BARE, .ts_ns = NOTS,
	  .level = -1 },
	{ .raw = "<3>1 2026-11-25T", .text = "1 2026-11-25T", .env = KS_ENV_DMESG, .ts_ns = NOTS,
	  .level = 3 },
};

static void test_hostile(void **state)
{
	run_cases(*state, hostile, KS_ARRAY_SIZE(hostile));
}

static void test_long_bracket_line(void **state)
{
	struct ks_envelope *env = *state;
	struct ks_line out[MAX_OUT];
	static char raw[9000];

	memset(raw, '[', sizeof(raw));
	assert_int_equal(feed(env, raw, 9000, 1, false, out), 1);
	assert_int_equal(out[0].env, KS_ENV_BARE);
	assert_ptr_equal(out[0].text, raw);
	assert_int_equal(out[0].len, 9000);
	assert_int_equal(out[0].ts_ns, NOTS);
	/* The same with spaces: every "[" after a space is a noise candidate. */
	for (size_t i = 0; i < 9000; i += 2)
		raw[i] = ' ';
	assert_int_equal(feed(env, raw, 9000, 2, false, out), 1);
	assert_int_equal(out[0].env, KS_ENV_BARE);
	assert_int_equal(out[0].len, 9000);
}

/* A raw line of exactly max_line bytes, all escapes, fits the scratch buffer. */
static void test_kmsg_at_line_limit(void **state)
{
	struct ks_envelope *env;
	struct ks_line l;
	char raw[64];
	size_t n;

	(void)state;
	assert_int_equal(ks_envelope_new(sizeof(raw), &env), 0);
	memcpy(raw, "6,1,1,-;", 8);
	n = 8;
	while (n + 4 <= sizeof(raw)) {
		memcpy(raw + n, "\\x41", 4);
		n += 4;
	}
	assert_int_equal(n, sizeof(raw));
	ks_envelope_feed(env, raw, n, 1, true);
	assert_true(ks_envelope_next(env, &l));
	assert_int_equal(l.env, KS_ENV_KMSG);
	assert_int_equal(l.len, (sizeof(raw) - 8) / 4);
	for (size_t i = 0; i < l.len; i++)
		assert_int_equal(l.text[i], 'A');
	assert_int_equal(l.flags, KS_LINE_CUT);
	assert_false(ks_envelope_next(env, &l));
	ks_envelope_free(env);
}

static void test_cut_flag(void **state)
{
	struct ks_envelope *env = *state;
	struct ks_line out[MAX_OUT];

	assert_int_equal(feed(env, "[ 1.0] x", 8, 3, true, out), 1);
	assert_int_equal(out[0].flags, KS_LINE_CUT);
	assert_int_equal(out[0].lineno, 3);
	assert_int_equal(feed(env, "4,5,1,c;x", 9, 4, true, out), 1);
	assert_int_equal(out[0].flags, KS_LINE_CUT | KS_LINE_CONT);
}

/* "a\nb" in one kmsg record: two lines, same metadata. */
static void test_kmsg_multiline(void **state)
{
	struct ks_envelope *env = *state;
	struct ks_line out[MAX_OUT];

	assert_int_equal(feed_str(env, "4,77,1000000,-,caller=T5;a\\x0ab\\x0a\\x0ac", 7, out), 4);
	expect_str(&out[0], "a", "kmsg");
	expect_str(&out[1], "b", "kmsg");
	expect_str(&out[2], "", "kmsg");
	expect_str(&out[3], "c", "kmsg");
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(out[i].env, KS_ENV_KMSG);
		assert_int_equal(out[i].ts_ns, 1000000000);
		assert_int_equal(out[i].seq, 77);
		assert_int_equal(out[i].level, 4);
		assert_int_equal(out[i].caller_type, KS_CALLER_TASK);
		assert_int_equal(out[i].caller, 5);
		assert_int_equal(out[i].lineno, 7);
		assert_int_equal(out[i].flags, 0);
	}

	/* A fragment flag belongs to the first line only. */
	assert_int_equal(feed_str(env, "4,78,1000000,c;a\\x0ab", 8, out), 2);
	expect_str(&out[0], "a", "kmsg c");
	expect_str(&out[1], "b", "kmsg c");
	assert_int_equal(out[0].flags, KS_LINE_CONT);
	assert_int_equal(out[1].flags, 0);
	assert_int_equal(out[1].seq, 78);

	/* A trailing escaped newline leaves an empty last line. */
	assert_int_equal(feed_str(env, "4,79,1,-;a\\x0a", 9, out), 2);
	expect_str(&out[0], "a", "kmsg trailing");
	expect_str(&out[1], "", "kmsg trailing");
}

static void test_kmsg_dictionary(void **state)
{
	struct ks_envelope *env = *state;
	struct ks_line out[MAX_OUT];

	assert_int_equal(feed_str(env, "6,188,294839,-;acpi PNP0A08:00: _OSC: OS supports", 1, out), 1);
	expect_str(&out[0], "acpi PNP0A08:00: _OSC: OS supports", "kmsg");
	assert_int_equal(feed_str(env, " SUBSYSTEM=pci", 2, out), 0);
	assert_int_equal(feed_str(env, " DEVICE=+pci:0000:00:02.0", 3, out), 0);
	assert_int_equal(feed_str(env, " _KERNEL_X1=y", 4, out), 0);
	/* The next record decodes normally. */
	assert_int_equal(feed_str(env, "6,189,294840,-;next", 5, out), 1);
	expect_str(&out[0], "next", "kmsg");
	assert_int_equal(out[0].seq, 189);
	/* A space-indented line that is not KEY=value is text. */
	assert_int_equal(feed_str(env, " lower=case", 6, out), 1);
	expect_str(&out[0], " lower=case", "not dict");
	assert_int_equal(out[0].env, KS_ENV_BARE);

	/* Without a kmsg record before it, " KEY=value" is an ordinary line. */
	ks_envelope_reset(env);
	assert_int_equal(feed_str(env, " SUBSYSTEM=pci", 7, out), 1);
	expect_str(&out[0], " SUBSYSTEM=pci", "dict without record");
	assert_int_equal(out[0].env, KS_ENV_BARE);

	/* Nor after a dmesg line. */
	assert_int_equal(feed_str(env, "6,1,1,-;x", 8, out), 1);
	assert_int_equal(feed_str(env, "[ 1.0] y", 9, out), 1);
	assert_int_equal(feed_str(env, " SUBSYSTEM=pci", 10, out), 1);
	expect_str(&out[0], " SUBSYSTEM=pci", "dict after dmesg");
}

/* rsyslog escapes: "#012" is a line break, "#011" a TAB. */
static void test_rsyslog_escapes(void **state)
{
	struct ks_envelope *env = *state;
	struct ks_line out[MAX_OUT];

	assert_int_equal(feed_str(env, "Nov 25 04:05:12 host kernel: a#012b#011c", 4, out), 2);
	expect_str(&out[0], "a", "#012");
	expect_text(&out[1], "b\tc", 3, "#012");
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(out[i].env, KS_ENV_SYSLOG);
		expect_wall(&out[i], "Nov 25 04:05:12", "#012");
		assert_int_equal(out[i].lineno, 4);
		assert_int_equal(out[i].flags, 0);
	}
	/* Not an escape: "#0" without three octal digits, lock class "#31". */
	assert_int_equal(feed_str(env, "Nov 25 04:05:12 host kernel: key#31 #08 #0", 5, out), 1);
	expect_str(&out[0], "key#31 #08 #0", "no escape");
}

/* util-linux dmesg / journalctl: later lines of a record, indented, no prefix. */
static void test_continuation(void **state)
{
	struct ks_envelope *env = *state;
	struct ks_line out[MAX_OUT];
	char buf[128];

	/* "[    1.000000][  T7] " is 21 columns. */
	assert_int_equal(feed_str(env, "[    1.000000][  T7] a", 1, out), 1);
	assert_int_equal(feed_str(env, indented(buf, sizeof(buf), 21, "b"), 2, out), 1);
	expect_str(&out[0], "b", "cont");
	assert_int_equal(out[0].env, KS_ENV_CONT);
	assert_int_equal(out[0].ts_ns, 1000000000);
	assert_int_equal(out[0].caller_type, KS_CALLER_TASK);
	assert_int_equal(out[0].caller, 7);
	assert_int_equal(out[0].flags, 0);
	/* Several in a row; indent beyond the prefix width is text. */
	assert_int_equal(feed_str(env, indented(buf, sizeof(buf), 23, "c"), 3, out), 1);
	expect_str(&out[0], "  c", "cont deeper");
	assert_int_equal(out[0].env, KS_ENV_CONT);
	assert_int_equal(out[0].ts_ns, 1000000000);

	/* util-linux 2.39 with caller ids: "[    2.000000] [  T123] " is 24 columns. */
	assert_int_equal(feed_str(env, "[    2.000000] [  T123] a", 4, out), 1);
	assert_int_equal(feed_str(env, indented(buf, sizeof(buf), 24, "b"), 5, out), 1);
	expect_str(&out[0], "b", "cont 2.39");
	assert_int_equal(out[0].env, KS_ENV_CONT);
	assert_int_equal(out[0].ts_ns, 2000000000);
	assert_int_equal(out[0].caller, 123);

	/* Less indent than the prefix: not a continuation. */
	assert_int_equal(feed_str(env, "[    3.000000] a", 6, out), 1);
	assert_int_equal(feed_str(env, indented(buf, sizeof(buf), 10, "b"), 7, out), 1);
	expect_str(&out[0], "          b", "short indent");
	assert_int_equal(out[0].env, KS_ENV_BARE);
	assert_int_equal(out[0].ts_ns, NOTS);

	/* journalctl: indented to where the message started (29 columns). */
	assert_int_equal(feed_str(env, "Nov 25 04:05:12 host kernel: a", 8, out), 1);
	assert_int_equal(feed_str(env, indented(buf, sizeof(buf), 29, "b"), 9, out), 1);
	expect_str(&out[0], "b", "cont journal");
	assert_int_equal(out[0].env, KS_ENV_CONT);
	expect_wall(&out[0], "Nov 25 04:05:12", "cont journal");

	/* Continuations never cross inputs. */
	assert_int_equal(feed_str(env, "[    1.000000] a", 10, out), 1);
	ks_envelope_reset(env);
	assert_int_equal(feed_str(env, indented(buf, sizeof(buf), 15, "b"), 11, out), 1);
	assert_int_equal(out[0].env, KS_ENV_BARE);
	expect_str(&out[0], buf, "reset");

	/* Nor follow a kmsg record. */
	assert_int_equal(feed_str(env, "6,1,1,-;a", 12, out), 1);
	assert_int_equal(feed_str(env, indented(buf, sizeof(buf), 15, "b"), 13, out), 1);
	assert_int_equal(out[0].env, KS_ENV_BARE);
	expect_str(&out[0], buf, "after kmsg");

	/* A prefix narrower than 8 columns does not make continuations. */
	assert_int_equal(feed_str(env, "<4>a", 14, out), 1);
	assert_int_equal(feed_str(env, indented(buf, sizeof(buf), 8, "b"), 15, out), 1);
	assert_int_equal(out[0].env, KS_ENV_BARE);
	expect_str(&out[0], buf, "narrow prefix");
}

/*
 * BUG (src/envelope.c, decode_continuation): a continuation line takes the
 * whole previous line's metadata, including its lineno and KS_LINE_CUT, so it
 * reports the previous raw line's position instead of its own.
 */
static void test_continuation_own_lineno(void **state)
{
	struct ks_envelope *env = *state;
	struct ks_line out[MAX_OUT];

	char buf[32];

	assert_int_equal(feed(env, "[    1.000000] a", 16, 10, true, out), 1);
	assert_int_equal(out[0].flags, KS_LINE_CUT);
	indented(buf, sizeof(buf), 15, "b");
	assert_int_equal(feed(env, buf, 16, 11, false, out), 1);
	assert_int_equal(out[0].env, KS_ENV_CONT);
	assert_int_equal(out[0].lineno, 11);
	assert_int_equal(out[0].flags, 0);
}

/*
 * BUG (src/envelope.c, ks_envelope_feed): "dmesg -x -t" renders
 * "kern  :info  : msg"; parse_decoded_faclev() consumes the prefix, but no
 * time follows, so the line is still KS_ENV_BARE, parse_prefix_after_noise()
 * runs and its 0 ("nothing found") resets the position to the start: the text
 * keeps the "kern  :info  : " prefix.
 */
static void test_decoded_faclev_without_time(void **state)
{
	struct ks_envelope *env = *state;
	struct ks_line out[MAX_OUT];

	assert_int_equal(feed_str(env, "kern  :info  : msg", 1, out), 1);
	assert_int_equal(out[0].level, 6);
	expect_str(&out[0], "msg", "kern  :info  : msg");
	assert_int_equal(out[0].flags, 0);
}

/*
 * BUG (src/envelope.c, parse_syslog): a "dmesg --time-format iso" line whose
 * message reads "word word: ..." (most device messages: "usb 1-1:",
 * "sd 0:0:0:0:", "hub 1-0:1.0:") is taken as an RFC 3339 syslog line with
 * host "usb" and tag "1-1:", flagged KS_LINE_USER and stripped of its first
 * two words. The ',' before the fraction marks dmesg, never syslog.
 */
static void test_dmesg_iso_device_message(void **state)
{
	struct ks_envelope *env = *state;
	struct ks_line out[MAX_OUT];
	const char *raw = "2026-11-25T04:04:55,000000+00:00 usb 1-1: new high-speed USB device";

	assert_int_equal(feed_str(env, raw, 1, out), 1);
	assert_int_equal(out[0].env, KS_ENV_DMESG_ISO);
	expect_str(&out[0], "usb 1-1: new high-speed USB device", raw);
	expect_wall(&out[0], "2026-11-25T04:04:55,000000+00:00", raw);
	assert_int_equal(out[0].flags, 0);
}

/*
 * BUG (src/envelope.c, parse_dmesg_other_time): any "[<" opening is taken for
 * the dmesg delta stamp "[<    0.000000>]", so a bare riscv/mips frame
 * "[<ffffffff80006a8c>] sym" or an arm32 "[<c0b3e9d4>] (f) from ..." line
 * (printk.time=0) loses its address bracket and becomes an unindented text
 * that ks_parse_frame() rejects.
 */
static void test_bare_address_frame(void **state)
{
	static const char *const frames[] = {
		"[<ffffffff80006a8c>] dump_backtrace+0x1c/0x24",
		"[<c0b3e9d4>] (dump_stack_lvl) from [<c01660c8>] (__might_resched+0x13c/0x1a4)",
	};
	struct ks_envelope *env = *state;
	struct ks_line out[MAX_OUT];

	for (size_t i = 0; i < KS_ARRAY_SIZE(frames); i++) {
		ks_envelope_reset(env);
		assert_int_equal(feed_str(env, frames[i], 1, out), 1);
		expect_text(&out[0], frames[i], strlen(frames[i]), frames[i]);
		assert_int_equal(out[0].env, KS_ENV_BARE);
	}
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(ks_env_kind_name(KS_ENV_BARE), "bare");
	assert_string_equal(ks_env_kind_name(KS_ENV_DMESG), "dmesg");
	assert_string_equal(ks_env_kind_name(KS_ENV_DMESG_ISO), "dmesg-iso");
	assert_string_equal(ks_env_kind_name(KS_ENV_KMSG), "kmsg");
	assert_string_equal(ks_env_kind_name(KS_ENV_SYSLOG), "syslog");
	assert_string_equal(ks_env_kind_name(KS_ENV_CONT), "continuation");
	assert_string_equal(ks_env_kind_name(_KS_ENV_MAX), "unknown");
	assert_string_equal(ks_env_kind_name((enum ks_env_kind)-1), "unknown");
	ks_envelope_free(NULL);
}

static void test_next_before_feed(void **state)
{
	struct ks_envelope *env = *state;
	struct ks_line l;

	assert_false(ks_envelope_next(env, &l));
	ks_envelope_feed(env, "x", 1, 1, false);
	ks_envelope_reset(env);
	/* Reset drops the undelivered rest of the last feed. */
	assert_false(ks_envelope_next(env, &l));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_renderings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_bracket_line, setup, teardown),
		cmocka_unit_test(test_kmsg_at_line_limit),
		cmocka_unit_test_setup_teardown(test_cut_flag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kmsg_multiline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kmsg_dictionary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rsyslog_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_continuation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_continuation_own_lineno, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decoded_faclev_without_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dmesg_iso_device_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bare_address_frame, setup, teardown),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test_setup_teardown(test_next_before_feed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
