/* SPDX-License-Identifier: GPL-2.0-or-later */
/* syzkaller's Linux report formats as data; private to syztitle.c. */
#ifndef KSPLAT_SYZFORMATS_H
#define KSPLAT_SYZFORMATS_H

#include <stdbool.h>
#include <stddef.h>

/* Parts that are not plain regexps; they start with a byte no regexp here starts with. */
#define SYZ_PART_CT "\001call-trace"      /* "Call Trace:" / "Call trace:" / "Backtrace:" */
#define SYZ_PART_RIP "\001rip"            /* the faulting PC line: RIP:, pc :, PC is at, NIP: */
#define SYZ_PART_PST "\001stack"          /* frames up to the next stack start */
#define SYZ_PART_WARN_RIP "\001warn-rip"  /* RIP, or powerpc's "--- interrupt: N at FUNC" */

enum syz_extractor {
	SYZ_EX_FIRST, /* the first frame that is not skipped */
	SYZ_EX_STALL, /* the frame just above the first dispatch anchor */
	SYZ_EX_HANG,  /* hung task: rtnl_lock / synchronize_rcu buckets, else the first non-waiting frame */
};

struct syz_stack {
	const char *parts[4];  /* NULL-terminated */
	const char *parts2[3]; /* tried when parts find no frame; NULL-terminated */
	const char *skip;      /* extra skip patterns, '|'-joined, or NULL */
	enum syz_extractor ex;
};

struct syz_format {
	const char *title;  /* searched anywhere in the report text; the earliest match wins */
	const char *report; /* when set, must match too; its captures replace the title's */
	const char *fmt;    /* "%[n]v": captures, then one frame per stack segment */
	bool no_stack_trace;
	bool corrupted;
	const struct syz_stack *stack;
};

struct syz_group {
	const char *header; /* a line containing it starts a report of this group */
	const struct syz_format *formats;
	size_t nformats;
	const char *const *suppress; /* NULL-terminated, or NULL */
};

extern const struct syz_group syz_groups[];
extern const size_t syz_ngroups;
extern const char *const syz_stall_anchors[];

#endif
