// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Building blocks shared by every report (FORMATS.md §3, §8): stack frames
 * in the renderings of every architecture and era, lockdep's lock lines, the
 * CPU: line and the register dump that may sit inside a trace.
 */
#include <errno.h>
#include <string.h>

#include "ksplat/parse.h"

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_sym_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '$';
}

static size_t skip_spaces(const char *p, size_t len, size_t i)
{
	return ks_skip_blanks(p, len, i);
}

/* "[<ffffffff81000000>]": returns position after it (and one space), or @i. */
static size_t parse_bracket_addr(const char *p, size_t len, size_t i, uint64_t *ret)
{
	size_t n;

	if (i + 2 >= len || p[i] != '[' || p[i + 1] != '<')
		return i;
	n = ks_parse_u64(p + i + 2, len - i - 2, 16, ret);
	if (n == 0 || n > 16 || i + 2 + n + 1 >= len || p[i + 2 + n] != '>' || p[i + 3 + n] != ']')
		return i;
	i += n + 4;
	return i < len && p[i] == ' ' ? i + 1 : i;
}

/* " [module]" or " [module buildid]" after a symbol. */
static size_t parse_module(const char *p, size_t len, size_t i, struct ks_frame_view *v)
{
	size_t s, e;

	if (i + 2 >= len || p[i] != ' ' || p[i + 1] != '[')
		return i;
	s = i + 2;
	e = s;
	while (e < len && (is_sym_char(p[e]) || p[e] == '-'))
		e++;
	if (e == s || e >= len)
		return i;
	v->module = ks_span_make(p + s, e - s);
	if (p[e] == ' ') {
		size_t b = e + 1, be = b;

		while (be < len && is_hex(p[be]))
			be++;
		if (be - b < 16 || be >= len || p[be] != ']')
			return i;
		v->buildid = ks_span_make(p + b, be - b);
		e = be;
	}
	return p[e] == ']' ? e + 1 : i;
}

/*
 * "name+0xoff/0xsize" or "name+0xoff" (cut lines), or a raw "0xffff..." when
 * the kernel had no symbol. Returns the position after it or @i.
 */
static size_t parse_sym_off(const char *p, size_t len, size_t i, struct ks_frame_view *v)
{
	size_t s = i, n;

	if (i + 2 < len && p[i] == '0' && p[i + 1] == 'x' && is_hex(p[i + 2])) {
		n = ks_parse_u64(p + i + 2, len - i - 2, 16, &v->addr);
		if (n == 0 || n > 16)
			return s;
		return i + 2 + n;
	}
	while (i < len && is_sym_char(p[i]))
		i++;
	if (i == s || i + 3 >= len || p[i] != '+' || p[i + 1] != '0' || p[i + 2] != 'x')
		return s;
	v->func = ks_span_make(p + s, i - s);
	n = ks_parse_u64(p + i + 3, len - i - 3, 16, &v->off);
	if (n == 0 || n > 16)
		return s;
	v->has_off = true;
	i += 3 + n;
	if (i + 3 < len && p[i] == '/' && p[i + 1] == '0' && p[i + 2] == 'x') {
		n = ks_parse_u64(p + i + 3, len - i - 3, 16, &v->size);
		if (n == 0 || n > 16)
			return s;
		i += 3 + n;
	}
	return i;
}

/* Trailing decorations that do not change the frame: arm64 " (C)", ppc " (unreliable)". */
static bool parse_frame_tail(const char *p, size_t len, size_t i, struct ks_frame_view *v)
{
	i = skip_spaces(p, len, i);
	if (i == len)
		return true;
	if (ks_has_prefix(p + i, len - i, "(unreliable)")) {
		v->flags |= KS_FRAME_UNRELIABLE;
		return skip_spaces(p, len, i + 12) == len;
	}
	if (p[i] == '(' && p[len - 1] == ')') {
		for (size_t k = i + 1; k + 1 < len; k++)
			if (p[k] == '\0' || !strchr("CTPULFK", p[k]))
				return false;
		return true;
	}
	return false;
}

/* "sym+off/size [mod] (tail)" from @i to the end of the line into @v. */
static bool parse_symbol_rest(const char *p, size_t len, size_t i, struct ks_frame_view *v)
{
	size_t e = parse_sym_off(p, len, i, v);

	if (e == i)
		return false;
	e = parse_module(p, len, e, v);
	return parse_frame_tail(p, len, e, v);
}

bool ks_parse_symbol(const char *p, size_t len, struct ks_frame_view *ret)
{
	struct ks_frame_view v = { 0 };
	size_t i = skip_spaces(p, len, 0);

	i = parse_bracket_addr(p, len, i, &v.addr);
	if (!parse_symbol_rest(p, len, i, &v))
		return false;
	*ret = v;
	return true;
}

/*
 * arm (32-bit): "[<c0b3e9d4>] (dump_stack_lvl) from [<c01660c8>] (__might_resched+0x13c/0x1a4)"
 * and, since ~5.15, " dump_stack_lvl from __might_resched+0x13c/0x1a4". Each line names a
 * function (without offset) and its caller; the caller is the next line's function.
 */
static bool parse_arm_from(const char *p, size_t len, size_t i, struct ks_frame_view *v)
{
	size_t s, e;
	bool paren = i < len && p[i] == '(';

	s = paren ? i + 1 : i;
	e = s;
	while (e < len && is_sym_char(p[e]))
		e++;
	if (e == s)
		return false;
	if (paren) {
		if (e >= len || p[e] != ')')
			return false;
		e++;
	}
	if (!ks_has_prefix(p + e, len - e, " from "))
		return false;
	v->func = ks_span_make(p + s, (paren ? e - 1 : e) - s);
	v->has_off = false;
	return true;
}

bool ks_parse_frame(const char *p, size_t len, struct ks_frame_view *ret)
{
	struct ks_frame_view v = { 0 };
	size_t i = skip_spaces(p, len, 0);
	bool paren = false;

	/*
	 * Frames are indented, except "[<addr>] sym" (riscv, mips, arm32),
	 * powerpc's "[sp] [pc] sym" and s390's unreliable "([<addr>] sym)".
	 */
	if (i == 0 && !(len > 1 && p[0] == '[' && (p[1] == '<' || is_hex(p[1]))) &&
	    !(len > 2 && p[0] == '(' && p[1] == '[' && p[2] == '<'))
		return false;
	/* s390 marks unreliable frames with parentheses: " ([<...>] sym)". */
	if (i < len && p[i] == '(' && i + 1 < len && p[i + 1] == '[') {
		paren = true;
		v.flags |= KS_FRAME_UNRELIABLE;
		i++;
		if (p[len - 1] != ')')
			return false;
		len--;
	}
	if (i + 1 < len && p[i] == '?' && p[i + 1] == ' ') {
		v.flags |= KS_FRAME_UNRELIABLE;
		i += 2;
	}
	i = parse_bracket_addr(p, len, i, &v.addr);
	/* powerpc: "[c000000002a4fb70] [c0000000001a3b44] sym": stack pointer, then pc. */
	if (i < len && p[i] == '[' && !paren) {
		size_t b = i + 1, be = b;
		uint64_t a1;

		while (be < len && is_hex(p[be]))
			be++;
		if (be - b >= 8 && be + 2 < len && p[be] == ']' && p[be + 1] == ' ' && p[be + 2] == '[') {
			size_t c = be + 3, ce = c;

			while (ce < len && is_hex(p[ce]))
				ce++;
			if (ce >= len || p[ce] != ']' || ks_parse_u64(p + c, ce - c, 16, &a1) == 0)
				return false;
			v.addr = a1;
			i = skip_spaces(p, len, ce + 1);
		}
	}
	/* Old x86: "[<addr>] ? func". */
	if (i + 1 < len && p[i] == '?' && p[i + 1] == ' ') {
		v.flags |= KS_FRAME_UNRELIABLE;
		i += 2;
	}
	/* "[<ffffffff81234567>]" alone: an address the kernel could not name. */
	if (v.addr && skip_spaces(p, len, i) == len) {
		*ret = v;
		return true;
	}
	if (!parse_arm_from(p, len, i, &v) && !parse_symbol_rest(p, len, i, &v))
		return false;
	*ret = v;
	return true;
}

int ks_frame_copy(struct ks_report *r, const struct ks_frame_view *v, struct ks_frame *ret)
{
	struct ks_frame f = { 0 };

	if (v->func.len && !(f.func = ks_report_strdup(r, v->func.p, v->func.len)))
		return -ENOMEM;
	if (v->module.len && !(f.module = ks_report_strdup(r, v->module.p, v->module.len)))
		return -ENOMEM;
	if (v->buildid.len && !(f.buildid = ks_report_strdup(r, v->buildid.p, v->buildid.len)))
		return -ENOMEM;
	f.off = v->off;
	f.size = v->size;
	f.addr = v->addr;
	f.has_off = v->has_off;
	f.flags = v->flags;
	*ret = f;
	return 0;
}

bool ks_parse_section(const char *p, size_t len, enum ks_section *ret, bool *ret_open)
{
	static const struct {
		const char *name;
		enum ks_section sec;
	} sections[] = {
		{ "TASK", KS_SEC_TASK }, { "IRQ", KS_SEC_IRQ },     { "SOFTIRQ", KS_SEC_SOFTIRQ },
		{ "NMI", KS_SEC_NMI },   { "EOI", KS_SEC_TASK },    { "#DF", KS_SEC_OTHER },
		{ "#DB", KS_SEC_OTHER }, { "#MC", KS_SEC_OTHER },   { "#VC", KS_SEC_OTHER },
		{ "#VC2", KS_SEC_OTHER }, { "ENTRY_TRAMPOLINE", KS_SEC_OTHER },
	};
	size_t i = skip_spaces(p, len, 0), e;
	bool open = true;

	if (i == 0 || i >= len || p[i] != '<')
		return false;
	i++;
	if (i < len && p[i] == '/') {
		open = false;
		i++;
	}
	e = i;
	while (e < len && p[e] != '>')
		e++;
	if (e >= len)
		return false;
	/* 3.x printed the first frame on the marker's line: " <IRQ>  [<...>] foo". */
	for (size_t k = 0; k < KS_ARRAY_SIZE(sections); k++) {
		if (e - i == strlen(sections[k].name) && memcmp(p + i, sections[k].name, e - i) == 0) {
			*ret = sections[k].sec;
			/* <EOI> means "back on the task stack". */
			*ret_open = open;
			return true;
		}
	}
	return false;
}

static int parse_wait_types(const char *p, size_t len, size_t i, int *outer, int *inner,
			    size_t *ret_end)
{
	uint64_t o, in;
	size_t n, m;

	if (i + 2 >= len || p[i] != '-' || p[i + 1] != '{')
		return 0;
	n = ks_parse_u64(p + i + 2, len - i - 2, 10, &o);
	if (n == 0 || n > 2 || i + 2 + n >= len || p[i + 2 + n] != ':')
		return 0;
	m = ks_parse_u64(p + i + 3 + n, len - i - 3 - n, 10, &in);
	if (m == 0 || m > 2 || i + 3 + n + m >= len || p[i + 3 + n + m] != '}')
		return 0;
	*outer = (int)o;
	*inner = (int)in;
	*ret_end = i + 4 + n + m;
	return 1;
}

/* Find the last "){" in p[from..to): lock class names may contain ")", "{" and spaces. */
static const char *last_paren_brace(const char *p, size_t from, size_t to)
{
	for (size_t k = to; k >= from + 2; k--)
		if (p[k - 2] == ')' && p[k - 1] == '{')
			return p + k - 2;
	return NULL;
}

bool ks_parse_lock(const char *p, size_t len, struct ks_lock_view *ret)
{
	struct ks_lock_view v = { .depth = -1, .wait_outer = -1, .wait_inner = -1 };
	size_t i = skip_spaces(p, len, 0), n, close_at;
	const char *at, *pb;
	uint64_t depth;

	if (i < len && p[i] == '#') {
		n = ks_parse_u64(p + i + 1, len - i - 1, 10, &depth);
		if (n == 0 || n > 4 || i + 1 + n >= len || p[i + 1 + n] != ':')
			return false;
		v.depth = (int)depth;
		i = skip_spaces(p, len, i + 2 + n);
	}
	/* Instance address: absent before 4.15, hashed 00000000xxxxxxxx later, real since 5.3. */
	n = 0;
	while (i + n < len && is_hex(p[i + n]))
		n++;
	if (n >= 8 && n <= 16 && i + n < len && p[i + n] == ' ') {
		ks_parse_u64(p + i, n, 16, &v.addr);
		i += n + 1;
	}
	if (i >= len || p[i] != '(')
		return false;
	/* The name runs to the last "){" before ", at: " (or the end of the line). */
	at = NULL;
	for (size_t k = len; k >= i + 6; k--) {
		if (memcmp(p + k - 6, ", at: ", 6) == 0) {
			at = p + k - 6;
			break;
		}
	}
	close_at = at ? (size_t)(at - p) : len;
	pb = last_paren_brace(p, i + 1, close_at);
	if (!pb)
		return false;
	v.name = ks_span_make(p + i + 1, (size_t)(pb - p) - i - 1);
	i = (size_t)(pb - p) + 2;
	n = i;
	while (n < close_at && p[n] != '}')
		n++;
	if (n >= close_at)
		return false;
	v.usage = ks_span_make(p + i, n - i);
	i = n + 1;
	parse_wait_types(p, close_at, i, &v.wait_outer, &v.wait_inner, &i);
	if (at) {
		size_t s = (size_t)(at - p) + 6;

		v.has_at = ks_parse_symbol(p + s, len - s, &v.at);
	}
	*ret = v;
	return true;
}

bool ks_lock_is_incomplete(const char *p, size_t len)
{
	size_t i = skip_spaces(p, len, 0);
	struct ks_lock_view v;

	if (i >= len || p[i] != '#')
		return false;
	/* " #0: <RELEASED>": the lock went away while the list was printed. */
	if (memmem(p, len, "<RELEASED>", 10))
		return false;
	if (!ks_parse_lock(p, len, &v))
		return true;
	/* print_lock() always ends with ", at: SITE": complete once the site is there. */
	return !v.has_at;
}

int ks_lock_copy(struct ks_report *r, const struct ks_lock_view *v, struct ks_lock *ret)
{
	struct ks_lock l = { 0 };

	if (!(l.name = ks_report_strdup(r, v->name.p, v->name.len)) ||
	    !(l.usage = ks_report_strdup(r, v->usage.p, v->usage.len)))
		return -ENOMEM;
	l.addr = v->addr;
	l.depth = (int16_t)v->depth;
	l.wait_outer = (int8_t)v->wait_outer;
	l.wait_inner = (int8_t)v->wait_inner;
	l.has_at = v->has_at;
	if (v->has_at && ks_frame_copy(r, &v->at, &l.at) < 0)
		return -ENOMEM;
	*ret = l;
	return 0;
}

int ks_parse_held_header(const char *p, size_t len, struct ks_span *ret_owner)
{
	uint64_t count = 0;
	size_t i, n, e;

	if (ks_has_prefix(p, len, "no locks held by ")) {
		i = 17;
	} else {
		n = ks_parse_u64(p, len, 10, &count);
		if (n == 0 || n > 6)
			return -1;
		if (ks_has_prefix(p + n, len - n, " lock held by "))
			i = n + 14;
		else if (ks_has_prefix(p + n, len - n, " locks held by "))
			i = n + 15;
		else
			return -1;
	}
	e = len;
	while (e > i && (p[e - 1] == ':' || p[e - 1] == '.' || p[e - 1] == ' '))
		e--;
	if (e <= i)
		return -1;
	*ret_owner = ks_span_make(p + i, e - i);
	return (int)count;
}

/* "Tainted: G        W  O      " or "Not tainted": returns the end of the field. */
static size_t parse_taint(const char *p, size_t len, size_t i, struct ks_span *ret)
{
	if (ks_has_prefix(p + i, len - i, "Not tainted")) {
		*ret = ks_span_make(p + i, 11);
		return i + 11;
	}
	if (!ks_has_prefix(p + i, len - i, "Tainted: "))
		return i;
	size_t s = i + 9, e = s;

	while (e < len && ((p[e] >= 'A' && p[e] <= 'Z') || p[e] == ' '))
		e++;
	/* The release follows the flags after spaces; give back what belongs to it. */
	while (e > s && p[e - 1] != ' ')
		e--;
	size_t t = e;
	while (t > s && p[t - 1] == ' ')
		t--;
	*ret = ks_span_make(p + i, t - i);
	return e;
}

bool ks_parse_cpu_line(const char *p, size_t len, struct ks_cpu_view *ret)
{
	struct ks_cpu_view v = { .cpu = -1, .pid = -1 };
	uint64_t x;
	size_t i = 5, n;
	const char *comm_end;

	if (!ks_has_prefix(p, len, "CPU: "))
		return false;
	n = ks_parse_u64(p + i, len - i, 10, &x);
	if (n == 0)
		return false;
	v.cpu = (int64_t)x;
	i += n;
	if (ks_has_prefix(p + i, len - i, " UID: ")) {
		i += 6;
		i += ks_parse_u64(p + i, len - i, 10, &x);
	}
	if (!ks_has_prefix(p + i, len - i, " PID: "))
		return false;
	i += 6;
	n = ks_parse_u64(p + i, len - i, 10, &x);
	if (n == 0 || !ks_has_prefix(p + i + n, len - i - n, " Comm: "))
		return false;
	v.pid = (int64_t)x;
	i += n + 7;
	/* comm is at most 15 bytes but may hold spaces: it ends before the taint field. */
	comm_end = NULL;
	for (size_t k = i; k + 1 < len && k <= i + 21; k++) {
		if (p[k] == ' ' && (ks_has_prefix(p + k + 1, len - k - 1, "Tainted: ") ||
				    ks_has_prefix(p + k + 1, len - k - 1, "Not tainted") ||
				    ks_has_prefix(p + k + 1, len - k - 1, "Kdump: "))) {
			comm_end = p + k;
			break;
		}
	}
	if (!comm_end) {
		v.comm = ks_span_make(p + i, len - i);
		*ret = v;
		return true;
	}
	v.comm = ks_span_make(p + i, (size_t)(comm_end - p) - i);
	i = (size_t)(comm_end - p) + 1;
	if (ks_has_prefix(p + i, len - i, "Kdump: loaded "))
		i += 14;
	n = parse_taint(p, len, i, &v.tainted);
	i = skip_spaces(p, len, n);
	n = i;
	while (n < len && p[n] != ' ')
		n++;
	v.kernel = ks_span_make(p + i, n - i);
	/* CONFIG_STACKTRACE_BUILD_ID ends the line with the vmlinux build id. */
	for (n = len; n > i && is_hex(p[n - 1]); n--)
		;
	if (len - n >= 40 && n > 0 && p[n - 1] == ' ')
		v.buildid = ks_span_make(p + n, len - n);
	*ret = v;
	return true;
}

bool ks_is_register_line(const char *p, size_t len)
{
	static const char *const prefixes[] = {
		"RIP: ", "Code: ", "RSP: ", "RAX: ", "RDX: ", "RBP: ", "R10: ", "R13: ", "FS: ",
		"CS: ", "CR2: ", "DR0: ", "DR3: ", "DR6: ", "PKRU: ", "EIP: ", "EAX: ", "ESI: ",
		"DS: ", "CR0: ", "pc : ", "lr : ", "sp : ", "pstate: ", "x29: ", "x26: ", "x23: ",
		"x20: ", "x17: ", "x14: ", "x11: ", "x8 : ", "x5 : ", "x2 : ", "epc : ", " ra : ",
		"status: ", "NIP ", "LR ", "Krnl PSW", "Krnl GPRS", "Krnl Code",
	};
	size_t i = skip_spaces(p, len, 0);

	for (size_t k = 0; k < KS_ARRAY_SIZE(prefixes); k++)
		if (ks_has_prefix(p + i, len - i, prefixes[k]))
			return true;
	/* Register rows of other layouts: "R08: ...", "x28: ...", arm " r7:c1a2b3c4 r6:...". */
	if (len - i > 5 && (p[i] == 'R' || p[i] == 'x' || p[i] == 'r') && p[i + 1] >= '0' &&
	    p[i + 1] <= '9')
		return p[i + 2] == ':' || (p[i + 2] >= '0' && p[i + 2] <= '9' && p[i + 3] == ':');
	return false;
}

bool ks_parse_pc_line(const char *p, size_t len, struct ks_frame_view *ret)
{
	size_t i;

	if (ks_has_prefix(p, len, "RIP: ")) {
		/* "RIP: 0010:sym+off/size", user mode is "RIP: 0033:0x7f...". */
		if (len < 10 || p[9] != ':' || memcmp(p + 5, "0010", 4) != 0)
			return false;
		i = 10;
	} else if (ks_has_prefix(p, len, "pc : ")) {
		i = 5;
	} else if (ks_has_prefix(p, len, "PC is at ")) {
		i = 9;
	} else if (ks_has_prefix(p, len, "epc : ")) {
		i = 6;
	} else {
		return false;
	}
	if (!ks_parse_symbol(p + i, len - i, ret) || (ret->func.len == 0 && ret->addr == 0))
		return false;
	ret->flags |= KS_FRAME_PC;
	return true;
}
