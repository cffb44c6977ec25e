// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Lines of lockdep reports (FORMATS.md §5): the lock being acquired and the
 * one already held (print_lock() lines without "#N:"), the dependency chain
 * ("-> #1 (&a->lock){+.+.}-{3:3}:"), and the release site of a bad unlock
 * balance ("... is trying to release lock (x) at:" then "[<addr>] f+off/size").
 */
#include <string.h>

#include "ksplat/parse.h"
#include "ksplat/symclass.h"

enum { WANT_NOTHING, WANT_SITE, WANT_CHAIN_FRAMES, WANT_SCENARIO };

static void push_involved(struct ks_report *r, const struct ks_lock_view *v, const char *role)
{
	struct ks_lock *lk = ks_report_push(r, r->involved);

	if (lk && ks_lock_copy(r, v, lk) < 0)
		r->involved.n--;
	else if (lk)
		lk->role = role;
}

/* The lock named after " is trying to <verb> lock (", the first such phrase of the line. */
static const char *release_phrase(const char *p, size_t len)
{
	static const char lead[] = " is trying to ";
	static const char *const verbs[] = { "release lock (", "contend lock (" };
	const char *end = p + len;

	for (const char *ph = p; (ph = memmem(ph, (size_t)(end - ph), lead, sizeof(lead) - 1)); ph++) {
		const char *verb = ph + sizeof(lead) - 1;

		for (size_t k = 0; k < KS_ARRAY_SIZE(verbs); k++)
			if (ks_has_prefix(verb, (size_t)(end - verb), verbs[k]))
				return verb + strlen(verbs[k]);
	}
	return NULL;
}

/* "(name) at:" after "is trying to release lock " */
static bool parse_release(struct ks_report *r, const char *p, size_t len)
{
	const char *name = release_phrase(p, len), *end = p + len;
	struct ks_lock_view v = { .depth = -1, .wait_outer = -1, .wait_inner = -1 };

	if (!name)
		return false;
	/* The name may hold parentheses: it ends at the last ")". */
	while (end > name && end[-1] != ')')
		end--;
	if (end > name) {
		v.name = ks_span_make(name, (size_t)(end - 1 - name));
		v.usage = ks_span_make("", 0);
		push_involved(r, &v, "released");
	}
	r->want = WANT_SITE;
	return true;
}

bool ks_parse_lockdep_body(struct ks_report *r, const char *p, size_t len)
{
	struct ks_frame_view fv;
	struct ks_lock_view v;
	size_t i = ks_skip_blanks(p, len, 0);

	if (r->want == WANT_SITE) {
		r->want = WANT_NOTHING;
		/* A bare address too: symbolization may name it. */
		if (ks_parse_symbol(p, len, &fv) && (fv.func.len || fv.addr)) {
			r->site = ks_arena_alloc(r->arena, sizeof(*r->site));
			if (r->site && ks_frame_copy(r, &fv, r->site) < 0)
				r->site = NULL;
			return true;
		}
	}
	/*
	 * The stack under a chain link is where that dependency was recorded:
	 * its first frame past lockdep and the lock primitives took the lock.
	 */
	if (r->want == WANT_CHAIN_FRAMES) {
		struct ks_lock *link = &r->involved.v[r->involved.n - 1];

		if (ks_parse_frame(p, len, &fv)) {
			if (!link->has_at && fv.func.len && !(fv.flags & KS_FRAME_UNRELIABLE)) {
				struct ks_frame f;

				if (ks_frame_copy(r, &fv, &f) == 0 && ks_fclass_of(f.func) == KS_FC_NONE) {
					link->at = f;
					link->has_at = true;
				}
			}
			return true;
		}
		r->want = WANT_NOTHING;
	}
	/* The CPU0/CPU1 table, up to " *** DEADLOCK ***". */
	if (r->want == WANT_SCENARIO) {
		const char **row;

		if (memmem(p, len, "*** DEADLOCK ***", 16)) {
			r->want = WANT_NOTHING;
			return true;
		}
		if (len > 0 && (row = ks_report_push(r, r->scenario)) &&
		    !(*row = ks_report_strdup(r, p, len)))
			r->scenario.n--;
		return true;
	}
	if (memmem(p, len, "unsafe locking scenario:", 24)) {
		r->want = WANT_SCENARIO;
		return true;
	}
	if (parse_release(r, p, len))
		return true;
	/* A chain link: "-> #1 (&mm->mmap_lock){++++}-{3:3}:" */
	if (ks_has_prefix(p + i, len - i, "-> #")) {
		const char *paren = memchr(p + i, '(', len - i);

		if (paren && ks_parse_lock(paren, len - (size_t)(paren - p), &v)) {
			push_involved(r, &v, "chain");
			if (r->involved.n && r->involved.v[r->involved.n - 1].role)
				r->want = WANT_CHAIN_FRAMES;
		}
		return true;
	}
	if (i < len && p[i] == '#')
		return false; /* held-locks lists are the assembler's */
	if (!ks_parse_lock(p, len, &v) || v.depth >= 0)
		return false;
	/* "(a){..}-{..} -> (b){..}-{..}": a new dependency, not one lock. */
	if (memmem(v.name.p, v.name.len, " -> (", 5))
		return true;
	if (!r->acquiring) {
		r->acquiring = ks_arena_alloc(r->arena, sizeof(*r->acquiring));
		if (r->acquiring && ks_lock_copy(r, &v, r->acquiring) < 0)
			r->acquiring = NULL;
	} else {
		push_involved(r, &v, r->involved.n ? "other" : "holding");
	}
	return true;
}
