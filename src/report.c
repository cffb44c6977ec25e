// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/report.h"

int ks_report_new(enum ks_kind kind, size_t arena_cap, struct ks_report **ret)
{
	struct ks_arena *a;
	struct ks_report *r;
	int err = ks_arena_new(arena_cap, &a);

	if (err < 0)
		return err;
	r = ks_arena_alloc(a, sizeof(*r));
	if (!r) {
		ks_arena_free(a);
		return -ENOMEM;
	}
	r->kind = kind;
	r->arena = a;
	r->pid = r->cpu = -1;
	r->level = -1;
	r->in_atomic = r->irqs_disabled = r->non_block = -1;
	r->preempt_count = r->preempt_expected = r->rcu_depth = -1;
	r->context_outer = r->context_inner = -1;
	*ret = r;
	return 0;
}

void ks_report_free(struct ks_report *r)
{
	/* The report itself lives in its arena. */
	if (r)
		ks_arena_free(r->arena);
}

char *ks_report_strdup(struct ks_report *r, const char *p, size_t len)
{
	return ks_arena_strndup(r->arena, p, len);
}

int ks_report_grow(struct ks_report *r, void **v, uint32_t *n, uint32_t *cap, size_t elem)
{
	void *nv;
	uint32_t ncap;

	if (*n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	/* The old block stays in the arena until the report dies: bounded by the cap. */
	nv = ks_arena_alloc(r->arena, (size_t)ncap * elem);
	if (!nv)
		return -ENOMEM;
	if (*n)
		memcpy(nv, *v, (size_t)*n * elem);
	*v = nv;
	*cap = ncap;
	return 0;
}

const char *ks_report_strdup_or_null(struct ks_report *r, const char *s)
{
	return s ? ks_report_strdup(r, s, strlen(s)) : NULL;
}
