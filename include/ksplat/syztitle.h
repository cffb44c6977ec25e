/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_SYZTITLE_H
#define KSPLAT_SYZTITLE_H

#include <stdbool.h>
#include <stddef.h>

#include "ksplat/report.h"

/*
 * Titles by syzkaller's rules (pkg/report/linux.go, report.go), so that a
 * report carries the name syzbot gives the same bug: the guilty frame is the
 * first whose name matches no skip pattern, syscall prefixes are trimmed,
 * numbers and addresses are replaced, and the result is sanitised.
 */
struct ks_syz;

int ks_syz_new(struct ks_syz **ret);
void ks_syz_free(struct ks_syz *s);
/*
 * The title of @r, in @r's arena; *ret_corrupted when syzkaller would find no
 * frame ("... in corrupted"). NULL when the kind has no syzkaller format.
 */
const char *ks_syz_title(struct ks_syz *s, struct ks_report *r, bool *ret_corrupted);
/* The frame syzkaller would blame, or NULL. */
const struct ks_frame *ks_syz_guilty_frame(struct ks_syz *s, const struct ks_report *r);
/* Apply syzkaller's replacements and sanitising to @title in place (at most @size bytes). */
void ks_syz_sanitize(struct ks_syz *s, char *title, size_t size);

#endif
