/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_UTIL_H
#define KSPLAT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define KS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KS_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Kernel time in nanoseconds since boot; KS_TIME_NONE when the line had none. */
#define KS_TIME_NONE UINT64_MAX
/* Wall clock in microseconds since the epoch; KS_WALL_NONE when unknown. */
#define KS_WALL_NONE INT64_MIN

/* A borrowed view of bytes that are not NUL-terminated. */
struct ks_span {
	const char *p;
	size_t len;
};

static inline struct ks_span ks_span_make(const char *p, size_t len)
{
	struct ks_span s = { p, len };
	return s;
}

static inline bool ks_span_eq(struct ks_span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len == n && memcmp(s.p, lit, n) == 0;
}

static inline bool ks_has_prefix(const char *p, size_t len, const char *lit)
{
	size_t n = strlen(lit);
	return len >= n && memcmp(p, lit, n) == 0;
}

/* Parse an unsigned number in @base from p[0..len); returns digits consumed or 0. */
size_t ks_parse_u64(const char *p, size_t len, int base, uint64_t *ret);
/* Skip spaces and tabs; returns the new position. */
size_t ks_skip_blanks(const char *p, size_t len, size_t pos);
/* Strip GCC clone suffixes (".constprop.0", ".isra.0", ".cold", ...): length of the base name. */
size_t ks_func_base_len(const char *name, size_t len);
/*
 * Length of the valid UTF-8 sequence at s[0..left) (not overlong, no
 * surrogates, at most U+10FFFF) and its code point, or 0 when invalid.
 */
size_t ks_utf8_decode(const unsigned char *s, size_t left, uint32_t *ret_cp);
/*
 * A code point a terminal would obey or hide rather than show: C0 and C1
 * controls, DEL, and the invisible format characters that reorder or hide
 * text (bidirectional overrides and isolates, zero-width characters, line
 * separators), with which a name from a log could pass for another.
 */
bool ks_unicode_unsafe(uint32_t cp);
/*
 * Whether to JIT-compile regular expressions: yes, but under valgrind, whose
 * memcheck cannot see into JIT code (no unwind information, deliberate reads
 * past the subject) and would drown ksplat's own errors in false reports; the
 * interpreter then runs the same patterns with the same results.
 */
bool ks_regex_jit_wanted(void);
/* How many bytes of p[0..len) are @c: newlines in a block of skipped lines. */
size_t ks_count_byte(const char *p, size_t len, char c);
/*
 * A source path as people read it: the build prefix "/usr/src/<tree>/" and a
 * kernel tree directory ("linux-source-6.1/") after it removed. Points into @path.
 */
const char *ks_path_display(const char *path);
/* 64-bit FNV-1a, chainable: pass the previous value as @h (start with KS_FNV_SEED). */
#define KS_FNV_SEED UINT64_C(0xcbf29ce484222325)
uint64_t ks_fnv1a(uint64_t h, const void *p, size_t len);

#endif
