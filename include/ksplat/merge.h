/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_MERGE_H
#define KSPLAT_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "ksplat/analyze.h"

/*
 * ksplat merge: read documents written by --format=json (or by ksplat merge)
 * back into analysed reports, so that many hosts or boots rank as one set and
 * every output format works on it. The documents are untrusted: each is
 * parsed by json-c and validated whole before any of its reports is added.
 *
 * Limits, each reported by name when a document exceeds it:
 */
#define KS_MERGE_MAX_BYTES (UINT64_C(1) << 30) /* one document */
#define KS_MERGE_MAX_VALUE (16u << 20)          /* one report, or one other top-level member, as text */
#define KS_MERGE_MAX_DEPTH 16                   /* nesting within such a value; ksplat writes 6 */
#define KS_MERGE_ARENA_CAP (1u << 20)           /* one report built (ksplat's own reports stay
						   under 256 KiB) */
#define KS_MERGE_MAX_NAME 4096                  /* one input name */
#define KS_MERGE_MAX_INPUTS (1u << 24)          /* input names over all documents */

struct ks_merge;

int ks_merge_new(struct ks_merge **ret);
/* The reports added from @m name their inputs with its strings: free it after the dedup. */
void ks_merge_free(struct ks_merge *m);
/*
 * Read one document written by ksplat --format=json (or by ksplat merge): every report in it
 * becomes a struct ks_report (ks_report_new, all strings in its arena) handed to @dd with
 * ks_dedup_add_counted(): its per-input counts from the report's "inputs" array (or, if absent,
 * "count" for its first_seen input), last seen from "last_seen". Inputs are named in one list
 * across all documents (a name seen again is the same input): r->source and the ks_source_count
 * sources are indexes into it. The whole document is validated before anything is added: on a bad
 * one, -EINVAL (or -ENOMEM, -errno for I/O) with "PATH: what is wrong (where)" in @err, and @dd is
 * unchanged (but for -ENOMEM while the reports are being added, or a file that changed between
 * the two readings of a large document).
 */
int ks_merge_add_file(struct ks_merge *m, const char *path, struct ks_dedup *dd, char *err,
		      size_t errlen);
/* The inputs of all documents read, in order of first appearance: names for the renderer. */
const char *const *ks_merge_inputs(const struct ks_merge *m, uint32_t *ret_n);

#endif
