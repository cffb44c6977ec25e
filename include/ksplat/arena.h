/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_ARENA_H
#define KSPLAT_ARENA_H

#include <stddef.h>

/*
 * A bump allocator owned by one report. Invariants: every pointer it hands out
 * stays valid until ks_arena_free(); nothing is freed one by one; the total it
 * hands out never exceeds the cap given to ks_arena_new(), so a hostile report
 * cannot grow memory without bound (allocation then fails with NULL).
 */
struct ks_arena;

int ks_arena_new(size_t cap, struct ks_arena **ret);
void ks_arena_free(struct ks_arena *a);
/* Zeroed memory aligned for any scalar, or NULL when the cap is reached. */
void *ks_arena_alloc(struct ks_arena *a, size_t size);
/* A NUL-terminated copy of p[0..len), or NULL when the cap is reached. */
char *ks_arena_strndup(struct ks_arena *a, const char *p, size_t len);
/* Bytes handed out so far. */
size_t ks_arena_used(const struct ks_arena *a);

#endif
