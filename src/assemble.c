// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/assemble.h"
#include "ksplat/parse.h"

enum phase {
	PH_BODY,  /* header lines, held locks, CPU: line, before "Call Trace:" */
	PH_TRACE, /* inside the stack dump */
	PH_AFTER, /* trace over, waiting for the end marker */
};

/* A held-lock line split into KERN_CONT pieces ("#0: " / addr / " (" / name / "){..}, at: .."). */
#define PENDING_LOCK_MAX 512
#define PENDING_LOCK_PIECES 8
/* Foreign lines tolerated inside a trace printed without caller ids. */
#define FOREIGN_LINES_MAX 4

struct slot {
	struct ks_report *r;
	uint32_t source;
	uint32_t caller;
	uint8_t caller_type;
	uint8_t phase;
	uint8_t section;
	bool want_preempt_site;  /* "Preemption disabled at:" printed, site on the next line */
	bool ended_task;         /* x86 "</TASK>" seen */
	uint8_t foreign;         /* consecutive lines inside the trace that are not trace lines */
	bool prelude;            /* opened by "cut here": the next start line names the report */
	bool accept_other;       /* after "Sending NMI from CPU": other CPUs' backtraces belong here */
	const char *owner;       /* "comm/pid" of the held-locks list being read */
	uint64_t order;          /* opening order: the innermost report has the largest */
	uint64_t last_ns;
	struct ks_report *outer; /* the report this one is nested in */
	char pending[PENDING_LOCK_MAX];
	size_t pending_len;
	uint32_t pending_pieces;
	/* Held locks seen in reports nested in this one, for a report printed with lockdep off. */
	struct ks_locks nested_held;
	int64_t nested_pid;      /* the task those locks belong to */
};

struct ks_assemble {
	struct ks_assemble_limits lim;
	struct ks_detect *detect;
	struct slot *slots; /* lim.max_open entries; r == NULL when free */
	uint32_t nopen;     /* slots in use */
	uint64_t next_order;
	struct ks_report **done; /* closed reports, FIFO */
	size_t ndone, done_head, done_cap;
};

int ks_assemble_new(const struct ks_assemble_limits *lim, struct ks_detect *detect,
		    struct ks_assemble **ret)
{
	struct ks_assemble *as = calloc(1, sizeof(*as));

	if (!as)
		return -ENOMEM;
	as->lim = *lim;
	if (as->lim.max_open == 0)
		as->lim.max_open = 1;
	as->detect = detect;
	as->slots = calloc(as->lim.max_open, sizeof(*as->slots));
	if (!as->slots) {
		free(as);
		return -ENOMEM;
	}
	*ret = as;
	return 0;
}

void ks_assemble_free(struct ks_assemble *as)
{
	if (!as)
		return;
	for (uint32_t i = 0; i < as->lim.max_open; i++)
		ks_report_free(as->slots[i].r);
	for (size_t i = as->done_head; i < as->ndone; i++)
		ks_report_free(as->done[i]);
	free(as->done);
	free(as->slots);
	free(as);
}

static int queue_done(struct ks_assemble *as, struct ks_report *r)
{
	if (as->done_head > 0 && as->done_head == as->ndone)
		as->done_head = as->ndone = 0;
	if (as->ndone == as->done_cap) {
		size_t ncap = as->done_cap ? as->done_cap * 2 : 16;
		struct ks_report **nd = realloc(as->done, ncap * sizeof(*nd));

		if (!nd) {
			ks_report_free(r);
			return -ENOMEM;
		}
		as->done = nd;
		as->done_cap = ncap;
	}
	as->done[as->ndone++] = r;
	return 0;
}

struct ks_report *ks_assemble_pop(struct ks_assemble *as)
{
	if (as->done_head == as->ndone)
		return NULL;
	return as->done[as->done_head++];
}

static struct slot *slot_of(struct ks_assemble *as, const struct ks_report *r)
{
	for (uint32_t i = 0; i < as->lim.max_open; i++)
		if (as->slots[i].r == r)
			return &as->slots[i];
	return NULL;
}

/* Copy @from's held locks into the slot of @outer, for when its own list is missing. */
static void lend_held_locks(struct ks_assemble *as, const struct ks_report *from,
			    struct ks_report *outer)
{
	struct slot *os = slot_of(as, outer);

	/* The outer report may not have printed its pid yet: close_slot() checks it again. */
	if (!os || os->nested_held.n || from->held.n == 0 ||
	    (outer->pid >= 0 && outer->pid != from->pid))
		return;
	os->nested_pid = from->pid;
	for (uint32_t i = 0; i < from->held.n; i++) {
		const struct ks_lock *src = &from->held.v[i];
		struct ks_lock *dst = ks_report_push(outer, os->nested_held);

		if (!dst)
			return;
		/* The nested report may be freed first (streaming): nothing may point into it. */
		*dst = *src;
		dst->name = ks_report_strdup_or_null(outer, src->name);
		dst->usage = ks_report_strdup_or_null(outer, src->usage);
		dst->owner = ks_report_strdup_or_null(outer, src->owner);
		dst->role = ks_report_strdup_or_null(outer, src->role);
		dst->at.func = ks_report_strdup_or_null(outer, src->at.func);
		dst->at.module = ks_report_strdup_or_null(outer, src->at.module);
		dst->at.buildid = ks_report_strdup_or_null(outer, src->at.buildid);
		dst->at.file = NULL; /* symbolization comes later */
		dst->at.inlined = NULL;
		dst->at.ninlined = 0;
		dst->at.source = NULL;
		if (!dst->name || (src->usage && !dst->usage) || (src->owner && !dst->owner)) {
			os->nested_held.n--;
			return;
		}
	}
}

static void flush_pending_lock(struct slot *s);

static void release_slot(struct ks_assemble *as, struct slot *s)
{
	memset(s, 0, sizeof(*s));
	as->nopen--;
}

static int close_slot(struct ks_assemble *as, struct slot *s)
{
	struct ks_report *r = s->r;

	/* "cut here" and nothing after it that names a report: nothing to report. */
	if (s->prelude) {
		for (uint32_t i = 0; i < as->lim.max_open; i++)
			if (as->slots[i].outer == r)
				as->slots[i].outer = NULL;
		release_slot(as, s);
		ks_report_free(r);
		return 0;
	}

	/* A report that ends with its stack dump but printed none was cut short. */
	if (s->phase == PH_BODY && ks_kinds[r->kind].end == KS_END_TRACE)
		r->flags |= KS_REP_TRUNCATED;
	flush_pending_lock(s);
	if (r->held.n == 0 && s->nested_held.n && r->pid == s->nested_pid) {
		r->held = s->nested_held;
		r->flags |= KS_REP_LOCKS_FROM_NESTED;
	}
	if (s->outer)
		lend_held_locks(as, r, s->outer);
	/* Reports nested in this one lose their outer report. */
	for (uint32_t i = 0; i < as->lim.max_open; i++)
		if (as->slots[i].outer == r)
			as->slots[i].outer = NULL;
	release_slot(as, s);
	return queue_done(as, r);
}

void ks_assemble_flush(struct ks_assemble *as)
{
	/* Innermost first, so that nested reports lend their locks before the outer closes. */
	for (;;) {
		struct slot *inner = NULL;

		for (uint32_t i = 0; i < as->lim.max_open; i++)
			if (as->slots[i].r && (!inner || as->slots[i].order > inner->order))
				inner = &as->slots[i];
		if (!inner)
			return;
		close_slot(as, inner);
	}
}

bool ks_assemble_idle(const struct ks_assemble *as)
{
	return as->done_head == as->ndone && as->nopen == 0;
}

static bool same_key(const struct slot *s, const struct ks_line *l, uint32_t source)
{
	return s->source == source && s->caller_type == l->caller_type && s->caller == l->caller;
}

static int add_line(struct ks_assemble *as, struct slot *s, const struct ks_line *l)
{
	struct ks_report *r = s->r;
	const char **dst;

	if (r->lines.n >= as->lim.max_lines) {
		/* The tail of a report that takes everything after its trace is not lost content. */
		if (!(ks_kinds[r->kind].end == KS_END_GREEDY && s->phase != PH_BODY))
			r->flags |= KS_REP_CUT;
		return -ENOSPC;
	}
	dst = ks_report_push(r, r->lines);
	if (!dst || !(*dst = ks_report_strdup(r, l->text, l->len))) {
		/* The arena is full: the slot just pushed holds nothing. */
		if (dst)
			r->lines.n--;
		r->flags |= KS_REP_CUT;
		return -ENOSPC;
	}
	r->last_lineno = l->lineno;
	if (l->flags & KS_LINE_CUT)
		r->flags |= KS_REP_LINE_CUT;
	if (l->ts_ns != KS_TIME_NONE) {
		r->last_ns = l->ts_ns;
		s->last_ns = l->ts_ns;
	}
	return 0;
}

static int push_lock(struct slot *s, const struct ks_lock_view *v)
{
	struct ks_report *r = s->r;
	struct ks_lock *lk = ks_report_push(r, r->held);

	if (!lk)
		return -ENOMEM;
	if (ks_lock_copy(r, v, lk) < 0) {
		r->held.n--;
		return -ENOMEM;
	}
	lk->owner = s->owner;
	return 0;
}

/*
 * A piece of a split lock line: an address, " (", a class name, "){usage}-{o:i}",
 * ", at: site". A "key: value" or "heading:" line is the report's next line.
 */
static bool is_lock_piece(const char *p, size_t len)
{
	const char *at = memmem(p, len, ", at:", 5);

	if (at)
		len = (size_t)(at - p); /* the site may hold anything */
	else if (len == 0 || p[len - 1] == ':')
		return false;
	return memmem(p, len, ": ", 2) == NULL;
}

/* Give up on a split lock line: keep what parses, without its site. */
static void flush_pending_lock(struct slot *s)
{
	struct ks_lock_view v;

	if (s->pending_len && ks_parse_lock(s->pending, s->pending_len, &v))
		push_lock(s, &v);
	s->pending_len = 0;
}

/* Collect KERN_CONT pieces of a held-lock line; true when @p was taken as a piece. */
static bool feed_pending_lock(struct slot *s, const char *p, size_t len)
{
	struct ks_lock_view v;

	if (s->pending_pieces > 0 && !is_lock_piece(p, len)) {
		flush_pending_lock(s);
		return false;
	}
	if (s->pending_len + len > sizeof(s->pending) ||
	    ++s->pending_pieces > PENDING_LOCK_PIECES) {
		flush_pending_lock(s);
		return false;
	}
	memcpy(s->pending + s->pending_len, p, len);
	s->pending_len += len;
	if (ks_lock_is_incomplete(s->pending, s->pending_len))
		return true;
	if (ks_parse_lock(s->pending, s->pending_len, &v))
		push_lock(s, &v);
	s->pending_len = 0;
	return true;
}

static struct ks_frame *new_frame(struct ks_report *r, const struct ks_frame_view *v)
{
	struct ks_frame *f = ks_arena_alloc(r->arena, sizeof(*f));

	if (f && ks_frame_copy(r, v, f) < 0)
		return NULL;
	return f;
}

/* The first kernel PC of the report, and the first of its NMI backtrace section. */
static void note_pc(struct ks_report *r, const struct ks_frame_view *fv)
{
	if (r->has_nmi && !r->nmi_pc)
		r->nmi_pc = new_frame(r, fv);
	else if (!r->pc)
		r->pc = new_frame(r, fv);
}

/* "hardirqs last disabled at (N): [<addr>] sym": where interrupts went off. */
static void parse_irq_stamp(struct ks_report *r, const char *p, size_t len)
{
	struct ks_frame_view v;
	const char *colon;

	if (!ks_has_prefix(p, len, "hardirqs last disabled at ("))
		return;
	colon = memmem(p, len, "): ", 3);
	if (colon && ks_parse_symbol(colon + 3, len - (size_t)(colon + 3 - p), &v) &&
	    (v.func.len || v.addr))
		r->irqs_off_site = new_frame(r, &v);
}

/* Lines before the stack dump. Every line is the report's: unknown ones are kept, not parsed. */
static void consume_body(struct slot *s, const char *p, size_t len)
{
	struct ks_report *r = s->r;
	const struct ks_kind_info *k = &ks_kinds[r->kind];
	struct ks_frame_view fv;
	struct ks_lock_view lv;
	struct ks_cpu_view cv;
	struct ks_span owner;

	if (s->want_preempt_site) {
		s->want_preempt_site = false;
		if (ks_parse_symbol(p, len, &fv)) {
			/* "[<0000000000000000>] 0x0": the kernel had no site to show. */
			if (fv.func.len || fv.addr)
				r->preempt_site = new_frame(r, &fv);
			return;
		}
	}
	if (k->parse_body && k->parse_body(r, p, len))
		return;
	if (ks_parse_held_header(p, len, &owner) >= 0) {
		s->owner = ks_report_strdup(r, owner.p, owner.len);
		if (!r->held_by)
			r->held_by = s->owner;
		return;
	}
	if (ks_lock_is_incomplete(p, len)) {
		s->pending_len = 0;
		s->pending_pieces = 0;
		feed_pending_lock(s, p, len);
		return;
	}
	if (ks_parse_lock(p, len, &lv) && lv.depth >= 0) {
		push_lock(s, &lv);
		return;
	}
	if (ks_has_prefix(p, len, "Preemption disabled at:")) {
		/* Before 4.9 the site followed on the same line. */
		if (ks_parse_symbol(p + 23, len - 23, &fv))
			r->preempt_site = new_frame(r, &fv);
		else
			s->want_preempt_site = true;
		return;
	}
	if (ks_has_prefix(p, len, "hardirqs last disabled at (")) {
		parse_irq_stamp(r, p, len);
		return;
	}
	if (ks_parse_cpu_line(p, len, &cv)) {
		r->cpu = cv.cpu;
		r->pid = cv.pid;
		if (cv.comm.len)
			r->comm = ks_report_strdup(r, cv.comm.p, cv.comm.len);
		if (cv.tainted.len)
			r->tainted = ks_report_strdup(r, cv.tainted.p, cv.tainted.len);
		if (cv.kernel.len)
			r->kernel = ks_report_strdup(r, cv.kernel.p, cv.kernel.len);
		if (cv.buildid.len)
			r->kernel_buildid = ks_report_strdup(r, cv.buildid.p, cv.buildid.len);
		return;
	}
	if (ks_has_prefix(p, len, "Hardware name: ")) {
		r->hardware = ks_report_strdup(r, p + 15, len - 15);
		return;
	}
	if (ks_has_prefix(p, len, "Call Trace:") || ks_has_prefix(p, len, "Call trace:") ||
	    ks_has_prefix(p, len, " Call Trace:") || ks_has_prefix(p, len, "Backtrace:")) {
		s->phase = PH_TRACE;
		return;
	}
	/* A kernel RIP before the trace: WARNING and oops register dumps. */
	if (ks_parse_pc_line(p, len, &fv))
		note_pc(r, &fv);
}

/*
 * With caller ids a report printed inside another is also part of the
 * outer one's text, as syzkaller reads it (its title may come from there);
 * without them the inner report ends the outer one's text.
 */
static void copy_to_outer(struct ks_assemble *as, struct slot *s, const struct ks_line *l)
{
	for (int depth = 0; s->outer && s->caller_type != KS_CALLER_NONE && depth < 8; depth++) {
		struct slot *o = slot_of(as, s->outer);
		const char **dst;

		if (!o || o->r->lines.n >= as->lim.max_lines)
			return;
		dst = ks_report_push(o->r, o->r->lines);
		if (!dst || !(*dst = ks_report_strdup(o->r, l->text, l->len))) {
			if (dst)
				o->r->lines.n--;
			return;
		}
		s = o;
	}
}

/*
 * "------------[ cut here ]------------" opens a report whose kind the next
 * start line of the same caller names (WARNING, kernel BUG); the WARN
 * message between them stays with it.
 */
static void take_over(struct slot *s, const struct ks_line *l, const struct ks_match *m)
{
	struct ks_report *r = s->r;
	char *header = ks_report_strdup(r, l->text, l->len);

	s->prelude = false;
	if (!header)
		return;
	r->kind = m->kind;
	r->header = header;
	r->header_index = r->lines.n;
	ks_kinds[m->kind].parse_header(r, m);
}

enum take {
	TAKE_OK,     /* the line is the report's */
	TAKE_CLOSE,  /* the line is the report's and ends it */
	TAKE_REFUSE, /* the line is not the report's: it ended before it */
};

static bool is_end_marker(const char *p, size_t len)
{
	return ks_has_prefix(p, len, "---[ end trace");
}

static enum take consume_trace(struct slot *s, const char *p, size_t len)
{
	struct ks_report *r = s->r;
	enum ks_end end = ks_kinds[r->kind].end;
	bool marker_end = end != KS_END_TRACE;
	struct ks_frame_view fv;
	enum ks_section sec;
	bool open;

	if (ks_parse_section(p, len, &sec, &open)) {
		s->foreign = 0;
		s->section = open ? (uint8_t)sec : KS_SEC_NONE;
		/* x86 v5.16+: the task stack is printed last; its end ends the dump. */
		if (!open && sec == KS_SEC_TASK) {
			s->ended_task = true;
			if (!marker_end)
				return TAKE_CLOSE;
			s->phase = PH_AFTER;
		}
		return TAKE_OK;
	}
	if (ks_parse_frame(p, len, &fv)) {
		struct ks_frame *f = ks_report_push(r, r->trace);

		s->foreign = 0;
		if (f && ks_frame_copy(r, &fv, f) == 0)
			f->section = s->section;
		else if (f)
			r->trace.n--;
		return TAKE_OK;
	}
	if (ks_parse_pc_line(p, len, &fv)) {
		note_pc(r, &fv);
		return TAKE_OK;
	}
	if (ks_is_register_line(p, len))
		return TAKE_OK;
	if (marker_end) {
		if (end == KS_END_MARKER && is_end_marker(p, len))
			return TAKE_CLOSE;
		s->phase = PH_AFTER;
		return TAKE_OK;
	}
	/*
	 * Without caller ids another CPU's or userspace's lines can land inside
	 * a trace: tolerate a few before deciding the trace is over. A dump that
	 * printed "</TASK>" has no such excuse.
	 */
	if (r->caller_type == KS_CALLER_NONE && !s->ended_task && len > 0 &&
	    ++s->foreign <= FOREIGN_LINES_MAX)
		return TAKE_OK;
	return TAKE_REFUSE;
}

static enum take consume(struct slot *s, const struct ks_line *l)
{
	const char *p = l->text;
	size_t len = l->len;
	bool greedy = ks_kinds[s->r->kind].end == KS_END_GREEDY;

	/* Stall and lockup reports go on with other CPUs' backtraces. */
	if (greedy && (ks_has_prefix(p, len, "Sending NMI from CPU") ||
		       ks_has_prefix(p, len, "NMI backtrace for cpu"))) {
		s->accept_other = true;
		if (ks_has_prefix(p, len, "NMI backtrace for cpu") && !s->r->has_nmi) {
			s->r->has_nmi = true;
			s->r->nmi_trace_start = s->r->trace.n;
		}
		return TAKE_OK;
	}

	if (s->pending_len && feed_pending_lock(s, p, len))
		return TAKE_OK;
	switch (s->phase) {
	case PH_BODY:
		if (is_end_marker(p, len) && ks_kinds[s->r->kind].end == KS_END_MARKER)
			return TAKE_CLOSE;
		consume_body(s, p, len);
		return TAKE_OK;
	case PH_TRACE:
		return consume_trace(s, p, len);
	default:
		/* After its first trace a greedy report still reads traces, locks and PCs. */
		if (greedy) {
			consume_body(s, p, len);
			return TAKE_OK;
		}
		return is_end_marker(p, len) && ks_kinds[s->r->kind].end == KS_END_MARKER ? TAKE_CLOSE
											 : TAKE_OK;
	}
}

/*
 * Among the open reports of one key, the line belongs to the one whose last
 * timestamp is the latest not after the line's: each CPU's clock is monotonic,
 * so two interleaved dumps form two rising sequences. Otherwise the innermost.
 */
static struct slot *route(struct ks_assemble *as, const struct ks_line *l, uint32_t source)
{
	struct slot *inner = NULL, *fit = NULL;
	uint32_t n = 0;

	for (uint32_t i = 0; i < as->lim.max_open; i++) {
		struct slot *s = &as->slots[i];

		if (!s->r || !same_key(s, l, source))
			continue;
		n++;
		if (!inner || s->order > inner->order)
			inner = s;
		if (l->ts_ns != KS_TIME_NONE && s->last_ns <= l->ts_ns &&
		    (!fit || s->last_ns > fit->last_ns || (s->last_ns == fit->last_ns && s->order > fit->order)))
			fit = s;
	}
	if (n == 0 && l->caller_type != KS_CALLER_NONE) {
		for (uint32_t i = 0; i < as->lim.max_open; i++) {
			struct slot *s = &as->slots[i];

			if (s->r && s->accept_other && s->source == source &&
			    (!inner || s->order > inner->order))
				inner = s;
		}
		return inner;
	}
	if (n > 1 && fit && fit != inner) {
		fit->r->flags |= KS_REP_INTERLEAVED;
		inner->r->flags |= KS_REP_INTERLEAVED;
		return fit;
	}
	return inner;
}

static struct slot *free_slot(struct ks_assemble *as)
{
	struct slot *oldest = NULL;

	for (uint32_t i = 0; i < as->lim.max_open; i++) {
		if (!as->slots[i].r)
			return &as->slots[i];
		if (!oldest || as->slots[i].order < oldest->order)
			oldest = &as->slots[i];
	}
	/* Too many reports open at once: the oldest is given up as cut. */
	oldest->r->flags |= KS_REP_CUT;
	close_slot(as, oldest);
	return oldest;
}

static int start_report(struct ks_assemble *as, const struct ks_line *l, uint32_t source,
			const char *input, const struct ks_match *m)
{
	struct slot *s, *outer = NULL;
	struct ks_report *r;
	int err;

	/* Reports of this key whose trace has begun are complete; one still in its body nests us. */
	for (uint32_t i = 0; i < as->lim.max_open; i++) {
		struct slot *o = &as->slots[i];

		if (!o->r || !same_key(o, l, source))
			continue;
		/*
		 * A greedy report of the same kind does not print inside itself: it
		 * is the next one (hung task after hung task). Two WARNINGs of two
		 * CPUs may well interleave.
		 */
		if (o->phase != PH_BODY ||
		    (o->r->kind == m->kind && ks_kinds[m->kind].end == KS_END_GREEDY)) {
			err = close_slot(as, o);
			if (err < 0)
				return err;
		} else if (!outer || o->order > outer->order) {
			outer = o;
		}
	}
	err = ks_report_new(m->kind, as->lim.arena_cap, &r);
	if (err < 0)
		return err;
	s = free_slot(as);
	if (outer && !outer->r)
		outer = NULL; /* it was the oldest and had to go */
	memset(s, 0, sizeof(*s));
	s->r = r;
	as->nopen++;
	s->source = source;
	s->caller = l->caller;
	s->caller_type = l->caller_type;
	s->order = ++as->next_order;
	s->last_ns = l->ts_ns == KS_TIME_NONE ? 0 : l->ts_ns;
	if (outer) {
		s->outer = outer->r;
		r->flags |= KS_REP_NESTED;
	}
	r->source = source;
	r->input = input;
	r->caller = l->caller;
	r->caller_type = l->caller_type;
	r->first_lineno = l->lineno;
	r->first_ns = l->ts_ns;
	if (l->host)
		r->host = ks_report_strdup(r, l->host, strlen(l->host));
	if (l->boot_id)
		r->boot_id = ks_report_strdup(r, l->boot_id, strlen(l->boot_id));
	if (l->machine_id)
		r->machine_id = ks_report_strdup(r, l->machine_id, strlen(l->machine_id));
	r->level = l->level;
	r->last_ns = l->ts_ns;
	if (l->wall.len)
		r->first_wall = ks_report_strdup(r, l->wall.p, l->wall.len);
	r->header = ks_report_strdup(r, l->text, l->len);
	s->prelude = (ks_kinds[m->kind].flags & KS_KIND_PRELUDE) && ks_has_prefix(l->text, l->len, "---");
	if (!r->header) {
		release_slot(as, s);
		ks_report_free(r);
		return -ENOMEM;
	}
	ks_kinds[m->kind].parse_header(r, m);
	add_line(as, s, l);
	copy_to_outer(as, s, l);
	return 0;
}

/* Close reports of this key that a long silence has ended. */
static int close_stale(struct ks_assemble *as, const struct ks_line *l, uint32_t source)
{
	if (l->ts_ns == KS_TIME_NONE || as->lim.gap_ns == 0)
		return 0;
	for (uint32_t i = 0; i < as->lim.max_open; i++) {
		struct slot *s = &as->slots[i];

		if (s->r && same_key(s, l, source) && s->last_ns && l->ts_ns > s->last_ns &&
		    l->ts_ns - s->last_ns > as->lim.gap_ns) {
			int err = close_slot(as, s);

			if (err < 0)
				return err;
		}
	}
	return 0;
}

int ks_assemble_feed(struct ks_assemble *as, const struct ks_line *l, uint32_t source,
		     const char *input)
{
	struct ks_match m;
	int err;

	if (l->flags & KS_LINE_USER)
		return 0;
	err = close_stale(as, l, source);
	if (err < 0)
		return err;
	if (ks_detect_line(as->detect, l->text, l->len, &m)) {
		struct slot *open = route(as, l, source);
		uint16_t kflags = ks_kinds[m.kind].flags;

		bool is_prelude = (kflags & KS_KIND_PRELUDE) && ks_has_prefix(l->text, l->len, "---");

		if (open && open->prelude && !is_prelude) {
			take_over(open, l, &m);
			return add_line(as, open, l) < 0 ? close_slot(as, open) : 0;
		}
		/* "Oops:", "Kernel panic": part of the report already open, not a new one. */
		if (!(open && (kflags & KS_KIND_INSIDE)))
			return start_report(as, l, source, input, &m);
	}
	for (;;) {
		struct slot *s = route(as, l, source);
		enum take t;

		if (!s)
			return 0; /* a line of no report */
		t = consume(s, l);
		if (t == TAKE_REFUSE) {
			err = close_slot(as, s);
			if (err < 0)
				return err;
			continue;
		}
		if (add_line(as, s, l) < 0)
			t = TAKE_CLOSE;
		copy_to_outer(as, s, l);
		if (t == TAKE_CLOSE)
			return close_slot(as, s);
		return 0;
	}
}
