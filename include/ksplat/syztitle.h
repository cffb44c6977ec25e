/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_SYZTITLE_H
#define KSPLAT_SYZTITLE_H

#include <stdbool.h>
#include <stddef.h>

#include "ksplat/report.h"

/*
 * Titles by syzkaller's rules (pkg/report/linux.go, report.go), so that a
 * report carries the name syzbot gives the same bug. The rules run over the
 * report's own lines: the format table picks the title and where its guilty
 * frame comes from; numbers and addresses are replaced; the result is
 * sanitised.
 */
struct ks_syz;

int ks_syz_new(struct ks_syz **ret);
void ks_syz_free(struct ks_syz *s);
/*
 * A format group's patterns are compiled when a report first needs them;
 * this compiles every one now: 0, or -errno (a pattern that does not compile).
 */
int ks_syz_compile_all(struct ks_syz *s);
/*
 * The title of @r, in @r's arena; *ret_corrupted when syzkaller would call
 * the report corrupted. NULL when syzkaller has no header for its first line.
 */
const char *ks_syz_title(struct ks_syz *s, struct ks_report *r, bool *ret_corrupted);
/* Apply syzkaller's replacements and sanitising to @title in place (at most @size bytes). */
void ks_syz_sanitize(struct ks_syz *s, char *title, size_t size);

#endif
