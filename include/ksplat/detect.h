/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_DETECT_H
#define KSPLAT_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "ksplat/kinds.h"

/*
 * Report start detection: every kind's start pattern compiled (and
 * JIT-compiled when available) once; a literal needle is checked with
 * memmem() before any pattern runs.
 */
struct ks_detect;

int ks_detect_new(struct ks_detect **ret);
void ks_detect_free(struct ks_detect *d);
/* True and *ret when @text starts a report; captures borrow from @text. */
bool ks_detect_line(struct ks_detect *d, const char *text, size_t len, struct ks_match *ret);

#endif
