/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_PARSE_H
#define KSPLAT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksplat/report.h"
#include "ksplat/util.h"

/*
 * Grammar of the building blocks every report shares: stack frames, locks,
 * the CPU: line. Parsers read one line (envelope removed) and fill a view
 * whose strings are borrowed from the line; ks_parse_*_copy() makes them
 * the report's own.
 */

struct ks_frame_view {
	struct ks_span func, module, buildid;
	uint64_t off, size, addr;
	bool has_off;
	uint16_t flags; /* KS_FRAME_UNRELIABLE */
};

/* A call trace line: " func+0x1f/0x40 [mod]", " ? func", " [<addr>] func", raw " 0xffff...". */
bool ks_parse_frame(const char *p, size_t len, struct ks_frame_view *ret);
/* "func+0xoff/0xsize [mod]" with an optional "[<addr>] " before it (the %pS of at: sites). */
bool ks_parse_symbol(const char *p, size_t len, struct ks_frame_view *ret);
int ks_frame_copy(struct ks_report *r, const struct ks_frame_view *v, struct ks_frame *ret);

/* Stack section markers " <IRQ>", " </TASK>": section and whether it opens. */
bool ks_parse_section(const char *p, size_t len, enum ks_section *ret, bool *ret_open);

struct ks_lock_view {
	struct ks_span name, usage;
	uint64_t addr;
	int depth; /* -1 without "#N:" */
	int wait_outer, wait_inner;
	bool has_at;
	struct ks_frame_view at;
};

/* " #0: ffff... (name){+.+.}-{2:2}, at: site" and the same without "#N: ". */
bool ks_parse_lock(const char *p, size_t len, struct ks_lock_view *ret);
/* True for the start of a held-lock entry whose pieces are still missing (KERN_CONT split). */
bool ks_lock_is_incomplete(const char *p, size_t len);
int ks_lock_copy(struct ks_report *r, const struct ks_lock_view *v, struct ks_lock *ret);

/* "N lock(s) held by comm/pid:" / "no locks held by comm/pid.": count or -1. */
int ks_parse_held_header(const char *p, size_t len, struct ks_span *ret_owner);

/* "CPU: 1 [UID: 0 ]PID: 39 Comm: insmod Tainted: G   O   6.1.192 #2 ..." */
struct ks_cpu_view {
	int64_t cpu, pid;
	struct ks_span comm, tainted, kernel, buildid;
};
bool ks_parse_cpu_line(const char *p, size_t len, struct ks_cpu_view *ret);

/* True for lines that belong inside a stack dump but are not frames: RIP:, Code:, registers. */
bool ks_is_register_line(const char *p, size_t len);
/* "RIP: 0010:func+0x1/0x2" (kernel) or "pc : func+..." (arm64): fills the view, false for user RIPs. */
bool ks_parse_pc_line(const char *p, size_t len, struct ks_frame_view *ret);

/* Lines only lockdep reports have: lock lines, chain links, release sites. */
bool ks_parse_lockdep_body(struct ks_report *r, const char *p, size_t len);

#endif
