/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_DETECT_H
#define KSPLAT_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "ksplat/kinds.h"

/*
 * Report start detection: every kind's start pattern compiled (and
 * JIT-compiled when available) once; it runs only on lines that hold one of
 * the kind's literal needles, which one pass over the line finds.
 */
struct ks_detect;

int ks_detect_new(struct ks_detect **ret);
void ks_detect_free(struct ks_detect *d);
/* True and *ret when @text starts a report; captures borrow from @text. */
bool ks_detect_line(struct ks_detect *d, const char *text, size_t len, struct ks_match *ret);
/*
 * Outside reports, most lines can go unread. In @text (whole lines), the
 * offset of the first line to read: when a line holds a needle of any kind
 * or is one a later stage reads ("Kernel Offset:"), *ret_found and a line or
 * so before it (a banner before a report, the first line of the multi-line
 * record it continues); else the last lines, kept as that context for a
 * needle in what comes next.
 */
size_t ks_detect_skip(const struct ks_detect *d, const char *text, size_t len, bool *ret_found);
/* What ks_detect_line() must agree with: every pattern tried, no prefilter (tests). */
bool ks_detect_line_unfiltered(struct ks_detect *d, const char *text, size_t len, struct ks_match *ret);

#endif
