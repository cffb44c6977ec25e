/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_ASSEMBLE_H
#define KSPLAT_ASSEMBLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksplat/detect.h"
#include "ksplat/envelope.h"
#include "ksplat/report.h"

/*
 * Lines to reports. One state machine per open report, keyed by (input,
 * caller id). A report ends at its end marker, at the end of its stack dump,
 * when a new report of the same key starts after its trace, at the line
 * budget, after a kernel-time gap, or at flush. A report that starts while
 * another of the same key is still before its trace is nested: both are
 * assembled whole. Without caller ids, lines of reports open at once are told
 * apart by their timestamps, which are monotonic per CPU.
 */
struct ks_assemble_limits {
	uint32_t max_open;   /* reports open at once (default 32) */
	uint32_t max_lines;  /* lines per report (default 1000) */
	size_t arena_cap;    /* bytes per report (default 256 KiB) */
	uint64_t gap_ns;     /* kernel-time gap that closes a report (default 10 s) */
};

struct ks_assemble;

int ks_assemble_new(const struct ks_assemble_limits *lim, struct ks_detect *detect,
		    struct ks_assemble **ret);
void ks_assemble_free(struct ks_assemble *as);
/* Feed one line of input @source (named @input). -ENOMEM only; bad text is never an error. */
int ks_assemble_feed(struct ks_assemble *as, const struct ks_line *l, uint32_t source,
		     const char *input);
/* Close every open report (end of input). */
void ks_assemble_flush(struct ks_assemble *as);
/* No report open or waiting: the next lines matter only if one starts there. */
bool ks_assemble_idle(const struct ks_assemble *as);
/* Take the next closed report, oldest first; the caller owns it. NULL when none. */
struct ks_report *ks_assemble_pop(struct ks_assemble *as);

#endif
