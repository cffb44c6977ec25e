// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <string.h>

#include "ksplat/jsonw.h"
#include "ksplat/util.h"

void ks_jsonw_init(struct ks_jsonw *w, FILE *out)
{
	w->out = out;
	w->depth = 0;
	w->first[0] = true;
}

/* The escape of byte @c, which cannot stand as it is in a JSON string. */
static void put_escape(FILE *out, unsigned char c)
{
	if (c == '"' || c == '\\')
		fprintf(out, "\\%c", c);
	else if (c == '\n')
		fputs("\\n", out);
	else if (c == '\t')
		fputs("\\t", out);
	else
		fprintf(out, "\\u%04x", c); /* controls, DEL, and bytes that are not UTF-8 */
}

/* Runs of bytes that need no escape go out in one write: JSON output is mostly such runs. */
static void put_string(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0;

	fputc('"', out);
	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		uint32_t cp;
		size_t n;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80 && (n = ks_utf8_decode(p + i, len - i, &cp)) > 0) {
			/* C1 controls and bidi overrides are valid, but not shown raw to whoever pages it. */
			if (ks_unicode_unsafe(cp)) {
				fwrite(p + run, 1, i - run, out);
				fprintf(out, "\\u%04" PRIx32, cp);
				run = i += n;
				continue;
			}
			i += n;
			continue;
		}
		fwrite(p + run, 1, i - run, out);
		put_escape(out, c);
		run = ++i;
	}
	fwrite(p + run, 1, len - run, out);
	fputc('"', out);
}

void ks_jsonw_key(struct ks_jsonw *w, const char *key)
{
	if (!w->first[w->depth])
		fputc(',', w->out);
	w->first[w->depth] = false;
	if (key) {
		put_string(w->out, key, strlen(key));
		fputc(':', w->out);
	}
}

void ks_jsonw_open(struct ks_jsonw *w, const char *key, char bracket)
{
	ks_jsonw_key(w, key);
	fputc(bracket, w->out);
	if (w->depth + 1 < KS_JSONW_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

void ks_jsonw_close(struct ks_jsonw *w, char bracket)
{
	fputc(bracket, w->out);
	if (w->depth > 0)
		w->depth--;
}

void ks_jsonw_strn(struct ks_jsonw *w, const char *key, const char *s, size_t len)
{
	ks_jsonw_key(w, key);
	put_string(w->out, s, len);
}

void ks_jsonw_str(struct ks_jsonw *w, const char *key, const char *s)
{
	if (!s) {
		ks_jsonw_null(w, key);
		return;
	}
	ks_jsonw_strn(w, key, s, strlen(s));
}

void ks_jsonw_u64(struct ks_jsonw *w, const char *key, uint64_t v)
{
	ks_jsonw_key(w, key);
	fprintf(w->out, "%" PRIu64, v);
}

void ks_jsonw_i64(struct ks_jsonw *w, const char *key, int64_t v)
{
	ks_jsonw_key(w, key);
	if (v < 0)
		fputs("null", w->out);
	else
		fprintf(w->out, "%" PRId64, v);
}

void ks_jsonw_bool(struct ks_jsonw *w, const char *key, bool v)
{
	ks_jsonw_key(w, key);
	fputs(v ? "true" : "false", w->out);
}

void ks_jsonw_null(struct ks_jsonw *w, const char *key)
{
	ks_jsonw_key(w, key);
	fputs("null", w->out);
}

void ks_jsonw_raw(struct ks_jsonw *w, const char *key, const char *raw)
{
	ks_jsonw_key(w, key);
	fputs(raw, w->out);
}

void ks_jsonw_u64_or_null(struct ks_jsonw *w, const char *key, bool present, uint64_t v)
{
	if (present)
		ks_jsonw_u64(w, key, v);
	else
		ks_jsonw_null(w, key);
}
