/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_ANALYZE_H
#define KSPLAT_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksplat/report.h"
#include "ksplat/syztitle.h"

/*
 * Analysis names what a report is about: the offending function (the first
 * frame that is not reporting machinery or a generic primitive), the
 * sleeping callee, the lock that made the context atomic and where it was
 * taken, the atomic cause, a fix hint, both titles and a signature that is
 * stable across boots, builds and KASLR.
 */
int ks_analyze_report(struct ks_syz *syz, struct ks_report *r);
/*
 * The same in two steps: all but syzkaller's title, then the title (and
 * whether syzkaller would call the report corrupted), which costs the most
 * and is not needed for a report that only counts as a duplicate.
 */
int ks_analyze_findings(struct ks_report *r);
int ks_analyze_title(struct ks_syz *syz, struct ks_report *r);

/* How many of a finding's reports an input held. */
struct ks_source_count {
	uint32_t source; /* index of the input */
	uint64_t count;
};

/* Duplicates folded under their signature, for the ranked report at the end. */
struct ks_dedup_entry {
	uint64_t key;            /* what the group-by compares */
	struct ks_report *first; /* the first report with this signature (owned) */
	uint64_t count;
	uint64_t last_lineno;
	uint32_t last_source;
	struct ks_source_count *per_source; /* by input, in the order first seen */
	uint32_t nsources;
};

struct ks_dedup;

/* What makes two reports one finding (--group-by). */
enum ks_group {
	KS_GROUP_SIGNATURE, /* the same bug: kind, culprit, the frames after it, the lock */
	KS_GROUP_FUNCTION,  /* the same culprit function, whatever the kind */
	KS_GROUP_LOCK,      /* the same lock class (reports without a lock: by signature) */
};

int ks_dedup_new(size_t max_signatures, struct ks_dedup **ret);
void ks_dedup_free(struct ks_dedup *d);
/* Takes ownership of @r: kept as the first of its signature or freed. */
int ks_dedup_add(struct ks_dedup *d, struct ks_report *r);
/* Whether a report of @r's group is kept already: @r would only be counted. */
bool ks_dedup_has(const struct ks_dedup *d, const struct ks_report *r);
/*
 * A finding already counted elsewhere (ksplat merge): @r with @n per-input
 * counts, last seen at @last_source:@last_lineno. Takes ownership of @r.
 */
int ks_dedup_add_counted(struct ks_dedup *d, struct ks_report *r, const struct ks_source_count *counts,
			 size_t n, uint32_t last_source, uint64_t last_lineno);
void ks_dedup_set_group(struct ks_dedup *d, enum ks_group group);
/* Entries ranked: severity, then count, then first seen. Valid until the next add. */
size_t ks_dedup_ranked(struct ks_dedup *d, const struct ks_dedup_entry *const **ret);
/* Reports beyond the signature cap: counted, not kept. */
uint64_t ks_dedup_dropped(const struct ks_dedup *d);
uint64_t ks_dedup_total(const struct ks_dedup *d);

#endif
