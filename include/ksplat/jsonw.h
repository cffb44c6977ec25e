/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_JSONW_H
#define KSPLAT_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * A streaming JSON writer: open and close objects and arrays, write members.
 * It keeps the comma state per nesting level; strings are escaped, and bytes
 * that are not valid UTF-8 are written as \u00XX so the output stays valid.
 */
#define KS_JSONW_DEPTH 16

struct ks_jsonw {
	FILE *out;
	int depth;
	bool first[KS_JSONW_DEPTH];
};

void ks_jsonw_init(struct ks_jsonw *w, FILE *out);
void ks_jsonw_key(struct ks_jsonw *w, const char *key);
void ks_jsonw_open(struct ks_jsonw *w, const char *key, char bracket);
void ks_jsonw_close(struct ks_jsonw *w, char bracket);
void ks_jsonw_str(struct ks_jsonw *w, const char *key, const char *s);
void ks_jsonw_strn(struct ks_jsonw *w, const char *key, const char *s, size_t len);
void ks_jsonw_u64(struct ks_jsonw *w, const char *key, uint64_t v);
void ks_jsonw_i64(struct ks_jsonw *w, const char *key, int64_t v); /* negative: null */
/* @v when @present, else null. */
void ks_jsonw_u64_or_null(struct ks_jsonw *w, const char *key, bool present, uint64_t v);
void ks_jsonw_bool(struct ks_jsonw *w, const char *key, bool v);
void ks_jsonw_null(struct ks_jsonw *w, const char *key);
void ks_jsonw_raw(struct ks_jsonw *w, const char *key, const char *raw);

#endif
