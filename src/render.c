// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Output: one ops table per format. Renderers read analysed reports; they
 * never parse. Every string that came from a log is untrusted and goes out
 * escaped.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ksplat/jentry.h"
#include "ksplat/jsonw.h"
#include "ksplat/render.h"
#include "ksplat/symclass.h"

struct ks_render {
	struct ks_render_opts o;
	FILE *out;
	const struct render_ops *ops;
	uint64_t streamed; /* reports written one by one so far */
};

struct render_ops {
	bool streaming;
	void (*report)(struct ks_render *rd, const struct ks_report *r);
	void (*summary)(struct ks_render *rd, struct ks_dedup *dd);
};

static const char *const format_names[_KS_FORMAT_MAX] = {
	[KS_FORMAT_TEXT] = "text",
	[KS_FORMAT_JSON] = "json",
	[KS_FORMAT_JSONL] = "jsonl",
	[KS_FORMAT_JOURNAL_EXPORT] = "journal-export",
	[KS_FORMAT_SARIF] = "sarif",
	[KS_FORMAT_DOT] = "dot",
};

enum ks_format ks_format_by_name(const char *name)
{
	for (int i = 0; i < _KS_FORMAT_MAX; i++)
		if (strcmp(format_names[i], name) == 0)
			return (enum ks_format)i;
	return _KS_FORMAT_INVALID;
}

const char *ks_format_name(enum ks_format f)
{
	return (unsigned)f < _KS_FORMAT_MAX ? format_names[f] : "unknown";
}

/* Length of a valid UTF-8 sequence a terminal shows as it is, or 0. */
static size_t printable_utf8(const unsigned char *s, size_t left)
{
	uint32_t cp;
	size_t n = ks_utf8_decode(s, left, &cp);

	return n && !ks_unicode_unsafe(cp) ? n : 0;
}

void ks_put_escaped(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t n = printable_utf8(p + i, len - i);

		if (n == 0 || p[i] == '\\') {
			fprintf(out, "\\x%02x", p[i]);
			i++;
		} else {
			fwrite(p + i, 1, n, out);
			i += n;
		}
	}
}

static void put(struct ks_render *rd, const char *s)
{
	if (s)
		ks_put_escaped(rd->out, s, strlen(s));
}

/* Color roles; only on a terminal, never in JSON. */
enum role { ROLE_HEAD, ROLE_FUNC, ROLE_LOCK, ROLE_DIM, ROLE_BAD, ROLE_ERROR, ROLE_WARN, _ROLE_MAX };

static const char *const role_sgr[_ROLE_MAX] = {
	[ROLE_HEAD] = "\033[1m", [ROLE_FUNC] = "\033[1;36m", [ROLE_LOCK] = "\033[1;33m",
	[ROLE_DIM] = "\033[2m",	 [ROLE_BAD] = "\033[1;31m", [ROLE_ERROR] = "\033[1;31m",
	[ROLE_WARN] = "\033[1;33m",
};

static void color_on(struct ks_render *rd, enum role r)
{
	if (rd->o.color)
		fputs(role_sgr[r], rd->out);
}

static void color_off(struct ks_render *rd)
{
	if (rd->o.color)
		fputs("\033[0m", rd->out);
}

static void put_role(struct ks_render *rd, enum role r, const char *s)
{
	color_on(rd, r);
	put(rd, s);
	color_off(rd);
}

/* A path from DWARF as people read it: relative to --srcdir, or without the build prefix. */
static void put_path(struct ks_render *rd, const char *file)
{
	const char *dir = rd->o.srcdir;
	size_t n = dir ? strlen(dir) : 0;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n && strncmp(file, dir, n) == 0 && file[n] == '/' && file[n + 1])
		put(rd, file + n + 1);
	else
		put(rd, ks_path_display(file));
}

/* Source text: shown as it is, but for bytes a terminal would act on. */
static void put_code(struct ks_render *rd, const char *s)
{
	for (const char *bs; (bs = strchr(s, '\\')); s = bs + 1) {
		ks_put_escaped(rd->out, s, (size_t)(bs - s));
		fputc('\\', rd->out);
	}
	put(rd, s);
}

/* "    44 | p = kmalloc(1024, GFP_KERNEL);" under the line that names the site. */
static void text_source(struct ks_render *rd, const struct ks_frame *f)
{
	if (!f || !f->source)
		return;
	color_on(rd, ROLE_DIM);
	fprintf(rd->out, "   %13" PRIu32 " | ", f->line);
	color_off(rd);
	put_code(rd, f->source);
	fputc('\n', rd->out);
}

static void put_frame(struct ks_render *rd, const struct ks_frame *f)
{
	if (f->func) {
		put(rd, f->func);
		if (f->has_off)
			fprintf(rd->out, "+0x%" PRIx64, f->off);
		if (f->size)
			fprintf(rd->out, "/0x%" PRIx64, f->size);
	} else {
		fprintf(rd->out, "0x%" PRIx64, f->addr);
	}
	if (f->module) {
		fputs(" [", rd->out);
		put(rd, f->module);
		fputc(']', rd->out);
	}
	if (f->file) {
		fputs(" (", rd->out);
		put_path(rd, f->file);
		fprintf(rd->out, ":%" PRIu32 ")", f->line);
	}
}

static const char *input_name(const struct ks_render *rd, uint32_t source)
{
	return source < rd->o.ninputs ? rd->o.inputs[source] : "?";
}

static void put_time(FILE *out, uint64_t ns)
{
	fprintf(out, "%" PRIu64 ".%06" PRIu64, ns / 1000000000, ns % 1000000000 / 1000);
}

static const char *cause_phrase(const char *cause)
{
	static const struct {
		const char *token, *phrase;
	} phrases[] = {
		{ "spinlock", "while holding" },
		{ "irqs-off", "with interrupts disabled" },
		{ "preempt-off", "with preemption disabled" },
		{ "rcu-read-lock", "inside an RCU read-side critical section" },
		{ "softirq", "in softirq context" },
		{ "hardirq", "in hard interrupt context" },
		{ "atomic", "in atomic context" },
	};

	for (size_t i = 0; cause && i < KS_ARRAY_SIZE(phrases); i++)
		if (strcmp(cause, phrases[i].token) == 0)
			return phrases[i].phrase;
	return "in atomic context";
}

static void put_func_base(struct ks_render *rd, enum role role, const struct ks_frame *f)
{
	color_on(rd, role);
	ks_put_escaped(rd->out, f->func, ks_func_base_len(f->func, strlen(f->func)));
	fputs("()", rd->out);
	color_off(rd);
	if (f->module) {
		fputs(" [", rd->out);
		put(rd, f->module);
		fputc(']', rd->out);
	}
	if (f->file) {
		fputs(" at ", rd->out);
		put_path(rd, f->file);
		fprintf(rd->out, ":%" PRIu32, f->line);
	}
}

/* Lockdep: the lock taken, the one held, and the cycle the chain recorded. */
static void text_lock_story(struct ks_render *rd, const struct ks_report *r)
{
	const struct ks_analysis *a = &r->a;
	bool inversion = r->kind == KS_KIND_LOCKDEP_IRQ_INVERSION;

	if (a->lock) {
		fputs(inversion ? " changes the IRQ usage of " : " takes ", rd->out);
		put_role(rd, ROLE_LOCK, a->lock->name);
	}
	if (a->holding) {
		/* Inversion: "but this lock took another, SOFTIRQ-unsafe lock in the past". */
		fputs(inversion ? ", which is ordered with " : " while holding ", rd->out);
		put_role(rd, ROLE_LOCK, a->holding->name);
	}
	/*
	 * A cycle: each chain link ("-> #N", oldest first) was taken while the
	 * link before it was held, the first one under the last.
	 */
	const struct ks_lock *links[16];
	uint32_t n = 0;

	for (uint32_t i = 0; i < r->involved.n && n < 16; i++)
		if (r->involved.v[i].role && strcmp(r->involved.v[i].role, "chain") == 0)
			links[n++] = &r->involved.v[i];
	if (r->kind != KS_KIND_LOCKDEP_CIRCULAR || n < 2)
		return;
	fputs("; cycle: ", rd->out);
	for (uint32_t i = 0; i < n; i++) {
		const struct ks_lock *l = links[i], *under = links[i ? i - 1 : n - 1];

		if (i)
			fputs(", ", rd->out);
		put(rd, l->name);
		if (l->has_at && l->at.func) {
			fputs(" taken in ", rd->out);
			ks_put_escaped(rd->out, l->at.func, ks_func_base_len(l->at.func, strlen(l->at.func)));
			fputs("()", rd->out);
		}
		fputs(" while holding ", rd->out);
		put(rd, under->name);
	}
}

/* The sentence a developer reads first: who did what, under which lock. */
static void text_story(struct ks_render *rd, const struct ks_report *r)
{
	const struct ks_analysis *a = &r->a;
	const char *callee = a->callee_api ? a->callee_api : a->callee ? a->callee->func : NULL;

	fputs("   ", rd->out);
	if (!a->culprit) {
		fputs("offending function not found in the trace", rd->out);
		if (r->flags & KS_REP_TRUNCATED)
			fputs(" (the report is truncated)", rd->out);
		fputc('\n', rd->out);
		return;
	}
	put_func_base(rd, ROLE_FUNC, a->culprit);
	switch (r->kind) {
	case KS_KIND_SLEEP_IN_ATOMIC:
	case KS_KIND_SCHEDULE_WHILE_ATOMIC:
		if (callee) {
			fputs(" called ", rd->out);
			put_role(rd, ROLE_FUNC, callee);
			fputs(", which may sleep,", rd->out);
		} else {
			fputs(r->kind == KS_KIND_SLEEP_IN_ATOMIC ? " called a function that may sleep"
								  : " scheduled",
			      rd->out);
		}
		fputc(' ', rd->out);
		fputs(cause_phrase(a->cause), rd->out);
		if (a->lock) {
			fputs(" spinlock ", rd->out);
			put_role(rd, ROLE_LOCK, a->lock->name);
		} else if (a->cause && strcmp(a->cause, "spinlock") == 0) {
			fputs(" a spinlock", rd->out);
		} else if (a->cause && strcmp(a->cause, "preempt-off") == 0 && !r->held_by) {
			/* No held-locks list: the kernel has no lockdep to tell a lock from preempt_disable(). */
			fputs(" (by a spinlock or preempt_disable())", rd->out);
		}
		break;
	case KS_KIND_INVALID_WAIT_CONTEXT:
		if (a->lock) {
			fputs(" takes ", rd->out);
			put_role(rd, ROLE_LOCK, a->lock->name);
			if (a->lock->wait_inner >= 0)
				fprintf(rd->out, " {%d:%d}", a->lock->wait_outer, a->lock->wait_inner);
		}
		if (a->holding) {
			fputs(" while holding ", rd->out);
			put_role(rd, ROLE_LOCK, a->holding->name);
			fprintf(rd->out, " {%d:%d}", a->holding->wait_outer, a->holding->wait_inner);
		} else if (r->context_inner >= 0) {
			fprintf(rd->out, " in context {%d:%d}", r->context_outer, r->context_inner);
		}
		break;
	case KS_KIND_SMP_PROCESSOR_ID:
		fputs(" used ", rd->out);
		put(rd, r->what);
		fputs("() with preemption enabled", rd->out);
		break;
	case KS_KIND_WARNING:
		fputs(" hit a WARN", rd->out);
		if (r->what) {
			fputs(" at ", rd->out);
			put(rd, r->what);
		}
		break;
	case KS_KIND_LOCKDEP_CIRCULAR:
	case KS_KIND_LOCKDEP_RECURSIVE:
	case KS_KIND_LOCKDEP_IRQ_INVERSION:
	case KS_KIND_LOCKDEP_IRQ_UNSAFE_ORDER:
	case KS_KIND_LOCKDEP_INCONSISTENT:
		text_lock_story(rd, r);
		break;
	case KS_KIND_LOCKDEP_BAD_UNLOCK:
		fputs(" released ", rd->out);
		put_role(rd, ROLE_LOCK, a->lock ? a->lock->name : "a lock");
		fputs(", which it did not hold", rd->out);
		break;
	case KS_KIND_HUNG_TASK:
		fputs(" is where ", rd->out);
		put(rd, r->comm ? r->comm : "a task");
		if (r->pid >= 0)
			fprintf(rd->out, ":%" PRId64, r->pid);
		fputs(" is blocked", rd->out);
		if (a->lock) {
			fputs(", waiting for ", rd->out);
			put_role(rd, ROLE_LOCK, a->lock->name);
		}
		if (a->holder) {
			fputs(" held by ", rd->out);
			put(rd, a->holder);
		}
		break;
	default:
		fputs(": ", rd->out);
		fputs(ks_kinds[r->kind].label, rd->out);
		break;
	}
	fputc('\n', rd->out);
}

static void text_field(struct ks_render *rd, const char *name)
{
	fputs("   ", rd->out);
	color_on(rd, ROLE_DIM);
	fprintf(rd->out, "%-9s", name);
	color_off(rd);
	fputc(' ', rd->out);
}

static void text_lock(struct ks_render *rd, const char *label, const struct ks_lock *l,
		      const char *at_word)
{
	text_field(rd, label);
	put_role(rd, ROLE_LOCK, l->name);
	if (l->usage && l->usage[0]) {
		fputs(" {", rd->out);
		put(rd, l->usage);
		fputc('}', rd->out);
		if (l->wait_inner >= 0)
			fprintf(rd->out, "-{%d:%d}", l->wait_outer, l->wait_inner);
	}
	if (l->has_at) {
		fputs(at_word, rd->out);
		put_frame(rd, &l->at);
	}
	fputc('\n', rd->out);
	if (l->has_at)
		text_source(rd, &l->at);
}

static void text_context(struct ks_render *rd, const struct ks_report *r)
{
	int any = 0;

	if (r->in_atomic < 0 && r->irqs_disabled < 0 && r->preempt_count < 0)
		return;
	text_field(rd, "context");
	if (r->in_atomic >= 0)
		fprintf(rd->out, "%sin_atomic %" PRId64, any++ ? ", " : "", r->in_atomic);
	if (r->irqs_disabled >= 0)
		fprintf(rd->out, "%sirqs_disabled %" PRId64, any++ ? ", " : "", r->irqs_disabled);
	if (r->preempt_count >= 0)
		fprintf(rd->out, "%spreempt_count %" PRIx64, any++ ? ", " : "", (uint64_t)r->preempt_count);
	if (r->rcu_depth > 0)
		fprintf(rd->out, "%sRCU depth %" PRId64, any++ ? ", " : "", r->rcu_depth);
	if (r->a.cause)
		fprintf(rd->out, " (%s)", r->a.cause);
	fputc('\n', rd->out);
}

static void text_trace(struct ks_render *rd, const struct ks_report *r)
{
	uint32_t shown = 0;

	for (uint32_t i = 0; i < r->trace.n && shown < 16; i++) {
		const struct ks_frame *f = &r->trace.v[i];

		if (f->flags & KS_FRAME_UNRELIABLE)
			continue;
		/* Like the kernel's decode_stacktrace.sh: inlined code first, innermost first. */
		for (uint16_t k = 0; k < f->ninlined; k++) {
			text_field(rd, shown++ ? "" : "trace");
			put(rd, f->inlined[k].func ? f->inlined[k].func : "?");
			fputs(" (", rd->out);
			put_path(rd, f->inlined[k].file);
			fprintf(rd->out, ":%" PRIu32 ") [inline]\n", f->inlined[k].line);
		}
		text_field(rd, shown ? "" : "trace");
		if (f == r->a.culprit)
			color_on(rd, ROLE_FUNC);
		put_frame(rd, f);
		if (f == r->a.culprit) {
			color_off(rd);
			fputs("  <- culprit", rd->out);
		} else if (f == r->a.callee) {
			fputs("  <- may sleep", rd->out);
		}
		fputc('\n', rd->out);
		shown++;
	}
}

/* --verbose: the report as the kernel printed it, without the log prefixes. */
static void text_lines(struct ks_render *rd, const struct ks_report *r)
{
	for (uint32_t i = 0; i < r->lines.n; i++) {
		text_field(rd, i ? "" : "report");
		put(rd, r->lines.v[i]);
		fputc('\n', rd->out);
	}
}

/* How many of @n ranked findings a summary shows. */
static size_t shown(const struct ks_render *rd, size_t n)
{
	return rd->o.top && rd->o.top < n ? rd->o.top : n;
}

static void text_details(struct ks_render *rd, size_t rank, const struct ks_dedup_entry *e)
{
	const struct ks_report *r = e->first;

	/* What can deadlock or crash in red, warnings in yellow: the severity at a glance. */
	color_on(rd, r->a.severity >= 70 ? ROLE_ERROR : ROLE_WARN);
	fprintf(rd->out, "#%zu ", rank);
	put(rd, r->a.headline);
	color_off(rd);
	if (r->flags & KS_REP_TRUNCATED)
		put_role(rd, ROLE_BAD, " [truncated]");
	else if (r->a.corrupted)
		put_role(rd, ROLE_BAD, " [no culprit in trace]");
	fputc('\n', rd->out);
	text_story(rd, r);
	text_source(rd, r->a.culprit);
	if (r->a.lock && r->kind != KS_KIND_INVALID_WAIT_CONTEXT)
		text_lock(rd, "lock", r->a.lock, ", taken at ");
	if (r->kind == KS_KIND_INVALID_WAIT_CONTEXT) {
		if (r->a.lock)
			text_lock(rd, "taking", r->a.lock, " at ");
		if (r->a.holding)
			text_lock(rd, "holding", r->a.holding, ", taken at ");
	}
	if (r->preempt_site && r->preempt_site->func && !r->a.lock &&
	    ks_fclass_of(r->preempt_site->func) != KS_FC_REPORT) {
		text_field(rd, "preempt");
		fputs("disabled at ", rd->out);
		put_frame(rd, r->preempt_site);
		fputc('\n', rd->out);
	}
	if (r->irqs_disabled == 1 && r->irqs_off_site) {
		text_field(rd, "irqs");
		fputs("disabled at ", rd->out);
		put_frame(rd, r->irqs_off_site);
		fputc('\n', rd->out);
	}
	text_context(rd, r);
	if (r->a.hint) {
		text_field(rd, "fix");
		put(rd, r->a.hint);
		fputc('\n', rd->out);
	}
	text_field(rd, "task");
	put(rd, r->comm ? r->comm : "?");
	if (r->pid >= 0)
		fprintf(rd->out, " pid %" PRId64, r->pid);
	if (r->cpu >= 0)
		fprintf(rd->out, " on CPU %" PRId64, r->cpu);
	if (r->kernel) {
		fputs(", kernel ", rd->out);
		put(rd, r->kernel);
	}
	if (r->host) {
		fputs(", host ", rd->out);
		put(rd, r->host);
	}
	if (r->tainted) {
		fputs(", ", rd->out);
		put(rd, r->tainted);
	}
	fputc('\n', rd->out);
	text_field(rd, "seen");
	fprintf(rd->out, "%" PRIu64 " time%s, first at ", e->count, e->count == 1 ? "" : "s");
	put(rd, input_name(rd, r->source));
	fprintf(rd->out, ":%" PRIu64, r->first_lineno);
	if (r->first_ns != KS_TIME_NONE) {
		fputs(" [", rd->out);
		put_time(rd->out, r->first_ns);
		fputc(']', rd->out);
	}
	fputc('\n', rd->out);
	text_field(rd, "syzkaller");
	put(rd, r->a.title);
	fputc('\n', rd->out);
	text_field(rd, "signature");
	fprintf(rd->out, "ks-%016" PRIx64 "\n", r->a.signature);
	text_trace(rd, r);
	if (rd->o.verbose)
		text_lines(rd, r);
	fputc('\n', rd->out);
}

/* The table's columns: rank, count, kind, function, lock. */
#define TABLE_FUNC_COLS 32
#define TABLE_LOCK_COL (4 + 1 + 5 + 2 + 28 + 1 + TABLE_FUNC_COLS + 1)

/* @s[0..len), escaped, in at most @cols columns on a terminal: longer is cut, ending in '~'. */
static void put_cut(struct ks_render *rd, const char *s, size_t len, size_t cols)
{
	if (!rd->o.width || len <= cols) {
		ks_put_escaped(rd->out, s, len);
		return;
	}
	ks_put_escaped(rd->out, s, cols > 1 ? cols - 1 : 0);
	fputc('~', rd->out);
}

static size_t lock_cols(const struct ks_render *rd)
{
	return rd->o.width > TABLE_LOCK_COL + 8 ? rd->o.width - TABLE_LOCK_COL : 8;
}

static void text_summary(struct ks_render *rd, struct ks_dedup *dd)
{
	const struct ks_dedup_entry *const *ranked;
	size_t n = ks_dedup_ranked(dd, &ranked);

	if (n == 0) {
		fputs("ksplat: no kernel reports found\n", rd->out);
		return;
	}
	fprintf(rd->out, "ksplat: %" PRIu64 " report%s, %zu distinct\n\n", ks_dedup_total(dd),
		ks_dedup_total(dd) == 1 ? "" : "s", n);
	color_on(rd, ROLE_DIM);
	fprintf(rd->out, "%4s %5s  %-28s %-32s %s\n", "RANK", "COUNT", "KIND", "FUNCTION", "LOCK");
	color_off(rd);
	for (size_t i = 0; i < shown(rd, n); i++) {
		const struct ks_report *r = ranked[i]->first;
		const char *func = r->a.culprit ? r->a.culprit->func : "?";
		const char *lock = r->a.lock ? r->a.lock->name : "-";
		size_t flen = ks_func_base_len(func, strlen(func));

		fprintf(rd->out, "%4zu %5" PRIu64 "  %-28s ", i + 1, ranked[i]->count,
			ks_kind_name(r->kind));
		put_cut(rd, func, flen, TABLE_FUNC_COLS);
		fprintf(rd->out, "%*s ", flen < TABLE_FUNC_COLS ? (int)(TABLE_FUNC_COLS - flen) : 0, "");
		put_cut(rd, lock, strlen(lock), lock_cols(rd));
		if (rd->o.known && rd->o.known(rd->o.known_ctx, r))
			put_role(rd, ROLE_DIM, "  (in baseline)");
		fputc('\n', rd->out);
	}
	if (shown(rd, n) < n)
		fprintf(rd->out, "%4s %zu more (--top=%zu)\n", "", n - shown(rd, n), rd->o.top);
	if (!rd->o.quiet) {
		fputc('\n', rd->out);
		for (size_t i = 0; i < shown(rd, n); i++)
			text_details(rd, i + 1, ranked[i]);
	}
	if (ks_dedup_dropped(dd))
		fprintf(rd->out, "ksplat: %" PRIu64 " more reports not kept: signature limit reached\n",
			ks_dedup_dropped(dd));
}

/* JSON */

static void json_address(struct ks_jsonw *w, const char *key, uint64_t addr)
{
	char buf[24];

	/* Addresses are strings: 64-bit values do not survive JSON numbers in many readers. */
	if (!addr) {
		ks_jsonw_null(w, key);
		return;
	}
	snprintf(buf, sizeof(buf), "0x%016" PRIx64, addr);
	ks_jsonw_str(w, key, buf);
}

/* The members every frame has; trace frames add their own after these. */
static void json_frame_members(struct ks_jsonw *w, const struct ks_frame *f)
{
	ks_jsonw_str(w, "function", f->func);
	ks_jsonw_str(w, "module", f->module);
	ks_jsonw_u64_or_null(w, "offset", f->has_off, f->off);
	ks_jsonw_u64_or_null(w, "size", f->size != 0, f->size);
	json_address(w, "address", f->addr);
	ks_jsonw_str(w, "file", f->file);
	ks_jsonw_u64_or_null(w, "line", f->file != NULL, f->line);
	ks_jsonw_open(w, "inlined", '[');
	for (uint16_t i = 0; i < f->ninlined; i++) {
		ks_jsonw_open(w, NULL, '{');
		ks_jsonw_str(w, "function", f->inlined[i].func);
		ks_jsonw_str(w, "file", f->inlined[i].file);
		ks_jsonw_u64(w, "line", f->inlined[i].line);
		ks_jsonw_close(w, '}');
	}
	ks_jsonw_close(w, ']');
	ks_jsonw_str(w, "source", f->source);
}

static void json_frame(struct ks_jsonw *w, const char *key, const struct ks_frame *f)
{
	if (!f) {
		ks_jsonw_null(w, key);
		return;
	}
	ks_jsonw_open(w, key, '{');
	json_frame_members(w, f);
	ks_jsonw_close(w, '}');
}

static void json_lock(struct ks_jsonw *w, const struct ks_lock *l, const char *role)
{
	ks_jsonw_open(w, NULL, '{');
	ks_jsonw_str(w, "name", l->name);
	ks_jsonw_str(w, "role", role);
	json_address(w, "address", l->addr);
	ks_jsonw_str(w, "usage", l->usage);
	ks_jsonw_i64(w, "wait_outer", l->wait_outer);
	ks_jsonw_i64(w, "wait_inner", l->wait_inner);
	ks_jsonw_i64(w, "depth", l->depth);
	ks_jsonw_str(w, "held_by", l->owner);
	json_frame(w, "acquired_at", l->has_at ? &l->at : NULL);
	ks_jsonw_close(w, '}');
}

/* Lockdep's dependency chain, oldest link first, closed by the lock being taken. */
static void json_chain(struct ks_jsonw *w, const struct ks_report *r)
{
	ks_jsonw_open(w, "chain", '[');
	for (uint32_t i = 0; i < r->involved.n; i++) {
		const struct ks_lock *l = &r->involved.v[i];

		if (!l->role || strcmp(l->role, "chain") != 0)
			continue;
		ks_jsonw_open(w, NULL, '{');
		ks_jsonw_str(w, "lock", l->name);
		ks_jsonw_str(w, "usage", l->usage);
		json_frame(w, "taken_at", l->has_at ? &l->at : NULL);
		ks_jsonw_close(w, '}');
	}
	ks_jsonw_close(w, ']');
}

/* The held-locks lists by task ("Showing all locks held in the system"). */
static void json_tasks(struct ks_jsonw *w, const struct ks_report *r)
{
	ks_jsonw_open(w, "tasks", '[');
	for (uint32_t i = 0; i < r->held.n; i++) {
		const char *owner = r->held.v[i].owner;
		bool seen = false;

		for (uint32_t k = 0; k < i && owner; k++)
			seen |= r->held.v[k].owner && strcmp(r->held.v[k].owner, owner) == 0;
		if (!owner || seen)
			continue;
		const char *slash = strrchr(owner, '/');

		ks_jsonw_open(w, NULL, '{');
		ks_jsonw_str(w, "task", owner);
		/* "comm/pid": comm may hold '/' itself (kworker/0:1), the pid follows the last one. */
		if (slash) {
			ks_jsonw_strn(w, "comm", owner, (size_t)(slash - owner));
			ks_jsonw_i64(w, "pid", strtoll(slash + 1, NULL, 10));
		} else {
			ks_jsonw_str(w, "comm", owner);
			ks_jsonw_null(w, "pid");
		}
		ks_jsonw_open(w, "held_locks", '[');
		for (uint32_t k = i; k < r->held.n; k++)
			if (r->held.v[k].owner && strcmp(r->held.v[k].owner, owner) == 0)
				ks_jsonw_str(w, NULL, r->held.v[k].name);
		ks_jsonw_close(w, ']');
		ks_jsonw_close(w, '}');
	}
	ks_jsonw_close(w, ']');
}

static const char *section_name(uint8_t s)
{
	static const char *const names[_KS_SEC_MAX] = {
		[KS_SEC_NONE] = NULL,	    [KS_SEC_TASK] = "task", [KS_SEC_IRQ] = "irq",
		[KS_SEC_SOFTIRQ] = "softirq", [KS_SEC_NMI] = "nmi",   [KS_SEC_OTHER] = "exception",
	};

	return s < _KS_SEC_MAX ? names[s] : NULL;
}

static void json_report(struct ks_render *rd, struct ks_jsonw *w, const struct ks_report *r,
			const struct ks_dedup_entry *e, size_t rank)
{
	const struct ks_analysis *a = &r->a;
	char sig[24];

	ks_jsonw_open(w, NULL, '{');
	ks_jsonw_str(w, "kind", ks_kind_name(r->kind));
	ks_jsonw_str(w, "title", a->title);
	ks_jsonw_str(w, "headline", a->headline);
	ks_jsonw_bool(w, "corrupted", a->corrupted);
	json_frame(w, "culprit", a->culprit);
	ks_jsonw_str(w, "callee", a->callee ? a->callee->func : (r->kind == KS_KIND_SMP_PROCESSOR_ID ? r->what : NULL));
	ks_jsonw_str(w, "callee_api", a->callee_api);
	ks_jsonw_str(w, "cause", a->cause);
	ks_jsonw_open(w, "locks", '[');
	if (r->acquiring)
		json_lock(w, r->acquiring, "acquiring");
	for (uint32_t i = 0; i < r->involved.n; i++)
		json_lock(w, &r->involved.v[i], r->involved.v[i].role ? r->involved.v[i].role : "involved");
	for (uint32_t i = 0; i < r->held.n; i++)
		json_lock(w, &r->held.v[i], &r->held.v[i] == a->lock ? "atomic" :
					     &r->held.v[i] == a->holding ? "conflicting" : "held");
	ks_jsonw_close(w, ']');
	ks_jsonw_str(w, "lock", a->lock ? a->lock->name : NULL);
	json_chain(w, r);
	json_tasks(w, r);
	ks_jsonw_open(w, "scenario", '[');
	for (uint32_t i = 0; i < r->scenario.n; i++)
		ks_jsonw_str(w, NULL, r->scenario.v[i]);
	ks_jsonw_close(w, ']');
	ks_jsonw_open(w, "context", '{');
	ks_jsonw_i64(w, "in_atomic", r->in_atomic);
	ks_jsonw_i64(w, "irqs_disabled", r->irqs_disabled);
	ks_jsonw_i64(w, "non_block", r->non_block);
	ks_jsonw_i64(w, "preempt_count", r->preempt_count);
	ks_jsonw_i64(w, "preempt_expected", r->preempt_expected);
	ks_jsonw_i64(w, "rcu_nest_depth", r->rcu_depth);
	ks_jsonw_i64(w, "pid", r->pid);
	ks_jsonw_str(w, "comm", r->comm);
	ks_jsonw_i64(w, "cpu", r->cpu);
	ks_jsonw_str(w, "kernel_version", r->kernel);
	ks_jsonw_str(w, "tainted", r->tainted);
	ks_jsonw_str(w, "hardware", r->hardware);
	ks_jsonw_str(w, "host", r->host);
	ks_jsonw_str(w, "boot_id", r->boot_id);
	ks_jsonw_str(w, "machine_id", r->machine_id);
	ks_jsonw_i64(w, "level", r->level);
	ks_jsonw_close(w, '}');
	json_frame(w, "preempt_disabled_at", r->preempt_site);
	json_frame(w, "irqs_disabled_at", r->irqs_off_site);
	ks_jsonw_open(w, "trace", '[');
	for (uint32_t i = 0; i < r->trace.n; i++) {
		const struct ks_frame *f = &r->trace.v[i];

		ks_jsonw_open(w, NULL, '{');
		json_frame_members(w, f);
		ks_jsonw_str(w, "build_id", f->buildid);
		ks_jsonw_bool(w, "reliable", !(f->flags & KS_FRAME_UNRELIABLE));
		ks_jsonw_str(w, "section", section_name(f->section));
		ks_jsonw_close(w, '}');
	}
	ks_jsonw_close(w, ']');
	snprintf(sig, sizeof(sig), "ks-%016" PRIx64, a->signature);
	ks_jsonw_str(w, "signature", sig);
	if (rd->o.known)
		ks_jsonw_bool(w, "known", rd->o.known(rd->o.known_ctx, r));
	ks_jsonw_u64(w, "severity", a->severity);
	if (e) {
		ks_jsonw_u64(w, "rank", rank);
		ks_jsonw_u64(w, "count", e->count);
		ks_jsonw_open(w, "inputs", '[');
		for (uint32_t i = 0; i < e->nsources; i++) {
			ks_jsonw_open(w, NULL, '{');
			ks_jsonw_str(w, "input", input_name(rd, e->per_source[i].source));
			ks_jsonw_u64(w, "count", e->per_source[i].count);
			ks_jsonw_close(w, '}');
		}
		ks_jsonw_close(w, ']');
	}
	ks_jsonw_open(w, "first_seen", '{');
	ks_jsonw_str(w, "input", input_name(rd, r->source));
	ks_jsonw_u64(w, "line", r->first_lineno);
	if (r->first_ns != KS_TIME_NONE) {
		char t[32];

		snprintf(t, sizeof(t), "%" PRIu64 ".%06" PRIu64, r->first_ns / 1000000000,
			 r->first_ns % 1000000000 / 1000);
		ks_jsonw_raw(w, "time", t);
	} else {
		ks_jsonw_null(w, "time");
	}
	ks_jsonw_str(w, "wall", r->first_wall);
	ks_jsonw_close(w, '}');
	if (e) {
		ks_jsonw_open(w, "last_seen", '{');
		ks_jsonw_str(w, "input", input_name(rd, e->last_source));
		ks_jsonw_u64(w, "line", e->last_lineno);
		ks_jsonw_close(w, '}');
	}
	ks_jsonw_str(w, "fix_hint", a->hint);
	ks_jsonw_open(w, "flags", '[');
	if (r->flags & KS_REP_CUT)
		ks_jsonw_str(w, NULL, "cut");
	if (r->flags & KS_REP_TRUNCATED)
		ks_jsonw_str(w, NULL, "truncated");
	if (r->flags & KS_REP_INTERLEAVED)
		ks_jsonw_str(w, NULL, "interleaved");
	if (r->flags & KS_REP_NESTED)
		ks_jsonw_str(w, NULL, "nested");
	if (r->flags & KS_REP_LOCKS_FROM_NESTED)
		ks_jsonw_str(w, NULL, "locks-from-nested-report");
	if (r->flags & KS_REP_LINE_CUT)
		ks_jsonw_str(w, NULL, "line-cut");
	ks_jsonw_close(w, ']');
	ks_jsonw_open(w, "lines", '[');
	for (uint32_t i = 0; i < r->lines.n; i++)
		ks_jsonw_str(w, NULL, r->lines.v[i]);
	ks_jsonw_close(w, ']');
	ks_jsonw_close(w, '}');
}

static void jsonl_report(struct ks_render *rd, const struct ks_report *r)
{
	struct ks_jsonw w;

	ks_jsonw_init(&w, rd->out);
	json_report(rd, &w, r, NULL, 0);
	fputc('\n', rd->out);
	fflush(rd->out);
}

/* Journal Export Format: the entry --emit-journal would send, stamped now. */
static void journal_export_report(struct ks_render *rd, const struct ks_report *r)
{
	struct ks_jentry e;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	if (ks_jentry_from_report(&e, r) < 0)
		return;
	ks_jexport_write(rd->out, e.f, e.n, (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_nsec / 1000,
			 r->first_ns != KS_TIME_NONE ? r->first_ns / 1000 : 0, r->boot_id);
	ks_jentry_done(&e);
	fflush(rd->out);
}

static void json_summary(struct ks_render *rd, struct ks_dedup *dd)
{
	const struct ks_dedup_entry *const *ranked;
	size_t n = ks_dedup_ranked(dd, &ranked);
	struct ks_jsonw w;

	ks_jsonw_init(&w, rd->out);
	ks_jsonw_open(&w, NULL, '{');
	ks_jsonw_str(&w, "tool", "ksplat");
	ks_jsonw_str(&w, "version", rd->o.version);
	ks_jsonw_open(&w, "inputs", '[');
	for (uint32_t i = 0; i < rd->o.ninputs; i++)
		ks_jsonw_str(&w, NULL, rd->o.inputs[i]);
	ks_jsonw_close(&w, ']');
	ks_jsonw_u64(&w, "total", ks_dedup_total(dd));
	ks_jsonw_u64(&w, "distinct", n);
	ks_jsonw_u64(&w, "not_kept", ks_dedup_dropped(dd));
	ks_jsonw_open(&w, "reports", '[');
	for (size_t i = 0; i < shown(rd, n); i++)
		json_report(rd, &w, ranked[i]->first, ranked[i], i + 1);
	ks_jsonw_close(&w, ']');
	ks_jsonw_close(&w, '}');
	fputc('\n', rd->out);
}

/* SARIF 2.1.0 */

/*
 * A path as a URI reference: an absolute one as file://, characters a URI
 * cannot hold percent-encoded.
 */
static void sarif_uri(struct ks_jsonw *w, const char *key, const char *path)
{
	char buf[4096];
	size_t n = 0;

	if (path[0] == '/')
		n = (size_t)snprintf(buf, sizeof(buf), "file://");
	for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < sizeof(buf); p++) {
		if (isalnum(*p) || strchr("/._-~+", *p))
			buf[n++] = (char)*p;
		else
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%%%02X", *p);
	}
	buf[n] = '\0';
	ks_jsonw_str(w, key, buf);
}

static const char *sarif_level(uint16_t severity)
{
	return severity >= 70 ? "error" : "warning";
}

/* Where a finding is: the culprit's file:line when symbolized, else the log line. */
static void sarif_location(struct ks_render *rd, struct ks_jsonw *w, const struct ks_report *r)
{
	const struct ks_frame *c = r->a.culprit;

	ks_jsonw_open(w, "locations", '[');
	ks_jsonw_open(w, NULL, '{');
	ks_jsonw_open(w, "physicalLocation", '{');
	ks_jsonw_open(w, "artifactLocation", '{');
	sarif_uri(w, "uri", c && c->file ? c->file : input_name(rd, r->source));
	ks_jsonw_close(w, '}');
	ks_jsonw_open(w, "region", '{');
	ks_jsonw_u64(w, "startLine", c && c->file ? c->line : r->first_lineno);
	ks_jsonw_close(w, '}');
	ks_jsonw_close(w, '}');
	if (c && c->func) {
		ks_jsonw_open(w, "logicalLocations", '[');
		ks_jsonw_open(w, NULL, '{');
		ks_jsonw_strn(w, "name", c->func, ks_func_base_len(c->func, strlen(c->func)));
		ks_jsonw_str(w, "kind", "function");
		ks_jsonw_close(w, '}');
		ks_jsonw_close(w, ']');
	}
	ks_jsonw_close(w, '}');
	ks_jsonw_close(w, ']');
}

static void sarif_result(struct ks_render *rd, struct ks_jsonw *w, const struct ks_dedup_entry *e,
			 size_t rule)
{
	const struct ks_report *r = e->first;
	char sig[24];

	ks_jsonw_open(w, NULL, '{');
	ks_jsonw_str(w, "ruleId", ks_kind_name(r->kind));
	ks_jsonw_u64(w, "ruleIndex", rule);
	ks_jsonw_str(w, "level", sarif_level(r->a.severity));
	ks_jsonw_open(w, "message", '{');
	ks_jsonw_str(w, "text", r->a.headline ? r->a.headline : ks_kinds[r->kind].label);
	ks_jsonw_close(w, '}');
	sarif_location(rd, w, r);
	snprintf(sig, sizeof(sig), "ks-%016" PRIx64, r->a.signature);
	ks_jsonw_open(w, "partialFingerprints", '{');
	ks_jsonw_str(w, "ksplatSignature/v1", sig);
	ks_jsonw_close(w, '}');
	ks_jsonw_open(w, "properties", '{');
	ks_jsonw_u64(w, "count", e->count);
	if (r->a.lock)
		ks_jsonw_str(w, "lock", r->a.lock->name);
	if (r->a.hint)
		ks_jsonw_str(w, "fix", r->a.hint);
	if (r->a.title)
		ks_jsonw_str(w, "syzkallerTitle", r->a.title);
	ks_jsonw_close(w, '}');
	ks_jsonw_close(w, '}');
}

/* One rule per kind found, in order of first appearance in the ranking. */
static void sarif_summary(struct ks_render *rd, struct ks_dedup *dd)
{
	const struct ks_dedup_entry *const *ranked;
	size_t n = shown(rd, ks_dedup_ranked(dd, &ranked)), nrules = 0;
	int rule_of[_KS_KIND_MAX];
	enum ks_kind rules[_KS_KIND_MAX];
	struct ks_jsonw w;

	for (size_t k = 0; k < _KS_KIND_MAX; k++)
		rule_of[k] = -1;
	for (size_t i = 0; i < n; i++)
		if (rule_of[ranked[i]->first->kind] < 0) {
			rule_of[ranked[i]->first->kind] = (int)nrules;
			rules[nrules++] = ranked[i]->first->kind;
		}
	ks_jsonw_init(&w, rd->out);
	ks_jsonw_open(&w, NULL, '{');
	ks_jsonw_str(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	ks_jsonw_str(&w, "version", "2.1.0");
	ks_jsonw_open(&w, "runs", '[');
	ks_jsonw_open(&w, NULL, '{');
	ks_jsonw_open(&w, "tool", '{');
	ks_jsonw_open(&w, "driver", '{');
	ks_jsonw_str(&w, "name", "ksplat");
	ks_jsonw_str(&w, "version", rd->o.version);
	ks_jsonw_open(&w, "rules", '[');
	for (size_t i = 0; i < nrules; i++) {
		ks_jsonw_open(&w, NULL, '{');
		ks_jsonw_str(&w, "id", ks_kind_name(rules[i]));
		ks_jsonw_open(&w, "shortDescription", '{');
		ks_jsonw_str(&w, "text", ks_kinds[rules[i]].label);
		ks_jsonw_close(&w, '}');
		ks_jsonw_open(&w, "defaultConfiguration", '{');
		ks_jsonw_str(&w, "level", sarif_level(ks_kinds[rules[i]].severity));
		ks_jsonw_close(&w, '}');
		ks_jsonw_close(&w, '}');
	}
	ks_jsonw_close(&w, ']');
	ks_jsonw_close(&w, '}');
	ks_jsonw_close(&w, '}');
	ks_jsonw_open(&w, "results", '[');
	for (size_t i = 0; i < n; i++)
		sarif_result(rd, &w, ranked[i], (size_t)rule_of[ranked[i]->first->kind]);
	ks_jsonw_close(&w, ']');
	ks_jsonw_close(&w, '}');
	ks_jsonw_close(&w, ']');
	ks_jsonw_close(&w, '}');
	fputc('\n', rd->out);
}

/* Graphviz */

#define DOT_MAX_EDGES 4096
#define DOT_NAME_MAX 128

/* B taken while holding A, in @func. */
struct dot_edge {
	char from[DOT_NAME_MAX], to[DOT_NAME_MAX], func[DOT_NAME_MAX];
	bool cycle;
};

struct dot_graph {
	struct dot_edge *v;
	size_t n;
};

/* A lock class as a node: "&dev->mutex#2/1" is "&dev->mutex", whichever instance or subclass. */
static void lock_class(char *buf, const char *name)
{
	size_t n = strcspn(name, "#/");

	snprintf(buf, DOT_NAME_MAX, "%.*s", (int)(n < DOT_NAME_MAX - 1 ? n : DOT_NAME_MAX - 1), name);
}

static void dot_add(struct dot_graph *g, const char *from, const char *to, const char *func)
{
	struct dot_edge e = { .cycle = false };

	if (!from || !to || g->n == DOT_MAX_EDGES)
		return;
	lock_class(e.from, from);
	lock_class(e.to, to);
	snprintf(e.func, sizeof(e.func), "%.*s", func ? (int)ks_func_base_len(func, strlen(func)) : 0,
		 func ? func : "");
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->v[i].from, e.from) && !strcmp(g->v[i].to, e.to) && !strcmp(g->v[i].func, e.func))
			return;
	g->v[g->n++] = e;
}

/* A lockdep report's order: what it takes under what it holds, and its recorded chain. */
static void dot_report(struct dot_graph *g, const struct ks_report *r)
{
	const struct ks_lock *links[16];
	uint32_t n = 0;

	if (strncmp(ks_kind_name(r->kind), "lockdep-", 8) != 0)
		return;
	if (r->a.lock && r->a.holding)
		dot_add(g, r->a.holding->name, r->a.lock->name, r->a.culprit ? r->a.culprit->func : NULL);
	for (uint32_t i = 0; i < r->involved.n && n < 16; i++)
		if (r->involved.v[i].role && strcmp(r->involved.v[i].role, "chain") == 0)
			links[n++] = &r->involved.v[i];
	for (uint32_t i = 0; n >= 2 && i < n; i++)
		dot_add(g, links[i ? i - 1 : n - 1]->name, links[i]->name,
			links[i]->has_at ? links[i]->at.func : NULL);
}

/* Whether @to is reachable from @from along the graph's edges (depth-first). */
static bool dot_reaches(const struct dot_graph *g, const char *from, const char *to, bool *seen)
{
	if (!strcmp(from, to))
		return true;
	for (size_t i = 0; i < g->n; i++) {
		if (seen[i] || strcmp(g->v[i].from, from) != 0)
			continue;
		seen[i] = true;
		if (dot_reaches(g, g->v[i].to, to, seen))
			return true;
	}
	return false;
}

/* DOT string: quotes and backslashes escaped, bytes a terminal or dot would act on as '?'. */
static void dot_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f ? '?' : *s, out);
	}
	fputc('"', out);
}

static void dot_summary(struct ks_render *rd, struct ks_dedup *dd)
{
	const struct ks_dedup_entry *const *ranked;
	size_t n = shown(rd, ks_dedup_ranked(dd, &ranked));
	struct dot_graph g = { .v = calloc(DOT_MAX_EDGES, sizeof(*g.v)) };
	bool *seen = calloc(DOT_MAX_EDGES, sizeof(*seen));

	if (!g.v || !seen)
		goto out;
	for (size_t i = 0; i < n; i++)
		dot_report(&g, ranked[i]->first);
	/* An edge is on a cycle when its head leads back to its tail: a possible deadlock. */
	for (size_t i = 0; i < g.n; i++) {
		memset(seen, 0, g.n * sizeof(*seen));
		g.v[i].cycle = dot_reaches(&g, g.v[i].to, g.v[i].from, seen);
	}
	fputs("digraph ksplat_lock_order {\n\tnode [shape=box];\n", rd->out);
	for (size_t i = 0; i < g.n; i++) {
		fputc('\t', rd->out);
		dot_str(rd->out, g.v[i].from);
		fputs(" -> ", rd->out);
		dot_str(rd->out, g.v[i].to);
		fputs(" [label=", rd->out);
		dot_str(rd->out, g.v[i].func);
		fputs(g.v[i].cycle ? ", color=red, penwidth=2];\n" : "];\n", rd->out);
	}
	fputs("}\n", rd->out);
out:
	free(g.v);
	free(seen);
}

/* Following: each report as it completes, numbered in order of arrival. */
static void text_report(struct ks_render *rd, const struct ks_report *r)
{
	struct ks_dedup_entry e = {
		.first = (struct ks_report *)r, .count = 1, .last_lineno = r->last_lineno,
		.last_source = r->source,
	};

	text_details(rd, (size_t)++rd->streamed, &e);
}

static const struct render_ops ops[_KS_FORMAT_MAX] = {
	[KS_FORMAT_TEXT] = { .streaming = false, .summary = text_summary, .report = text_report },
	[KS_FORMAT_JSON] = { .streaming = false, .summary = json_summary },
	[KS_FORMAT_JSONL] = { .streaming = true, .report = jsonl_report },
	[KS_FORMAT_JOURNAL_EXPORT] = { .streaming = true, .report = journal_export_report },
	[KS_FORMAT_SARIF] = { .streaming = false, .summary = sarif_summary },
	[KS_FORMAT_DOT] = { .streaming = false, .summary = dot_summary },
};

int ks_render_new(const struct ks_render_opts *o, FILE *out, struct ks_render **ret)
{
	struct ks_render *rd;

	if ((unsigned)o->format >= _KS_FORMAT_MAX)
		return -EINVAL;
	rd = calloc(1, sizeof(*rd));
	if (!rd)
		return -ENOMEM;
	rd->o = *o;
	if (o->format != KS_FORMAT_TEXT)
		rd->o.color = false;
	rd->out = out;
	rd->ops = &ops[o->format];
	*ret = rd;
	return 0;
}

void ks_render_free(struct ks_render *rd)
{
	free(rd);
}

bool ks_render_is_streaming(const struct ks_render *rd)
{
	return rd->ops->streaming || (rd->o.follow && rd->ops->report);
}

void ks_render_report(struct ks_render *rd, const struct ks_report *r)
{
	if (rd->ops->report)
		rd->ops->report(rd, r);
}

void ks_render_summary(struct ks_render *rd, struct ks_dedup *dd)
{
	if (rd->ops->summary)
		rd->ops->summary(rd, dd);
}
