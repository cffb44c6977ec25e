/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_JENTRY_H
#define KSPLAT_JENTRY_H

#include "ksplat/jexport.h"
#include "ksplat/report.h"

/*
 * A report as the fields of a journal entry: MESSAGE (the headline),
 * MESSAGE_ID (KS_JOURNAL_MESSAGE_ID), PRIORITY, SYSLOG_IDENTIFIER=ksplat and
 * KSPLAT_KIND, _TITLE, _FUNCTION, _MODULE, _FILE, _LINE, _CALLEE, _LOCK,
 * _LOCK_TAKEN_AT, _CAUSE, _HINT, _SIGNATURE, _KERNEL, _TASK, _HOST, _INPUT
 * and _REPORT (the report's lines), those the report has. Shared by
 * --format=journal-export and --emit-journal.
 */
#define KS_JENTRY_MAX_FIELDS 24

struct ks_jentry {
	struct ks_jfield f[KS_JENTRY_MAX_FIELDS];
	size_t n;
	char line[16], signature[24], taken_at[512], task[128], priority[4];
	char *report; /* the report's lines joined by newlines, malloc'd */
};

/* Fields borrow from @r and @e: both must outlive their use. -ENOMEM. */
int ks_jentry_from_report(struct ks_jentry *e, const struct ks_report *r);
void ks_jentry_done(struct ks_jentry *e);

#endif
