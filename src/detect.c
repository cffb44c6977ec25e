// SPDX-License-Identifier: GPL-2.0-or-later
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/detect.h"
#include "ksplat/util.h"

/* A bit per kind in a uint64_t. */
_Static_assert(_KS_KIND_MAX <= 64, "kind masks are 64 bits");

struct ks_detect {
	/*
	 * The literal prefilter: kinds by the first two bytes of their needle
	 * (1 + kind, chained through pair_next), kinds whose one-byte needle is
	 * a byte, and kinds without a needle. One pass over a line finds every
	 * kind whose needle it holds; only their patterns run.
	 */
	uint8_t pair_head[1 << 16];
	uint8_t pair_next[_KS_KIND_MAX];
	uint64_t by_byte[256];
	uint64_t always;
	uint8_t needle_len[_KS_KIND_MAX];
	pcre2_code *code[_KS_KIND_MAX];
	pcre2_code *suppress[_KS_KIND_MAX];
	pcre2_match_data *md; /* sized for the largest pattern, reused for every line */
	pcre2_match_data *md_suppress; /* for suppressions, so the start's captures survive */
	pcre2_match_context *mctx;
};

void ks_detect_free(struct ks_detect *d)
{
	if (!d)
		return;
	for (unsigned i = 0; i < _KS_KIND_MAX; i++) {
		pcre2_code_free(d->code[i]);
		pcre2_code_free(d->suppress[i]);
	}
	pcre2_match_data_free(d->md);
	pcre2_match_data_free(d->md_suppress);
	pcre2_match_context_free(d->mctx);
	free(d);
}

static void index_needles(struct ks_detect *d)
{
	for (unsigned i = 0; i < _KS_KIND_MAX; i++) {
		const unsigned char *n = (const unsigned char *)ks_kinds[i].needle;
		size_t len = n ? strlen((const char *)n) : 0;

		d->needle_len[i] = (uint8_t)len;
		if (len == 0) {
			d->always |= UINT64_C(1) << i;
		} else if (len == 1) {
			d->by_byte[n[0]] |= UINT64_C(1) << i;
		} else {
			unsigned pair = (unsigned)n[0] << 8 | n[1];

			d->pair_next[i] = d->pair_head[pair];
			d->pair_head[pair] = (uint8_t)(i + 1);
		}
	}
}

/* The kinds whose needle @text holds, and those without one. */
static uint64_t candidates(const struct ks_detect *d, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	uint64_t hit = d->always;

	for (size_t i = 0; i < len; i++) {
		hit |= d->by_byte[p[i]];
		if (i + 1 == len)
			break;
		for (uint8_t k = d->pair_head[(unsigned)p[i] << 8 | p[i + 1]]; k; k = d->pair_next[k - 1]) {
			unsigned kind = k - 1u;

			if (!(hit >> kind & 1) && d->needle_len[kind] <= len - i &&
			    memcmp(p + i, ks_kinds[kind].needle, d->needle_len[kind]) == 0)
				hit |= UINT64_C(1) << kind;
		}
	}
	return hit;
}

int ks_detect_new(struct ks_detect **ret)
{
	struct ks_detect *d = calloc(1, sizeof(*d));
	uint32_t jit = 0;

	if (!d)
		return -ENOMEM;
	index_needles(d);
	pcre2_config(PCRE2_CONFIG_JIT, &jit);
	jit = jit && ks_regex_jit_wanted();
	for (unsigned i = 0; i < _KS_KIND_MAX; i++) {
		int errcode;
		PCRE2_SIZE erroff;

		d->code[i] = pcre2_compile((PCRE2_SPTR)ks_kinds[i].start, PCRE2_ZERO_TERMINATED, 0,
					   &errcode, &erroff, NULL);
		/* A built-in pattern that does not compile is a bug, not an input problem. */
		if (!d->code[i]) {
			ks_detect_free(d);
			return -EINVAL;
		}
		/* A JIT failure is not fatal: matching falls back to the interpreter. */
		if (jit)
			(void)pcre2_jit_compile(d->code[i], PCRE2_JIT_COMPLETE);
		if (!ks_kinds[i].suppress)
			continue;
		d->suppress[i] = pcre2_compile((PCRE2_SPTR)ks_kinds[i].suppress, PCRE2_ZERO_TERMINATED, 0,
					       &errcode, &erroff, NULL);
		if (!d->suppress[i]) {
			ks_detect_free(d);
			return -EINVAL;
		}
		if (jit)
			(void)pcre2_jit_compile(d->suppress[i], PCRE2_JIT_COMPLETE);
	}
	d->md = pcre2_match_data_create(16, NULL);
	d->md_suppress = pcre2_match_data_create(1, NULL);
	d->mctx = pcre2_match_context_create(NULL);
	if (!d->md || !d->md_suppress || !d->mctx) {
		ks_detect_free(d);
		return -ENOMEM;
	}
	/* Hostile lines must not make a match run for long. */
	pcre2_set_match_limit(d->mctx, 100000);
	pcre2_set_depth_limit(d->mctx, 1000);
	*ret = d;
	return 0;
}

bool ks_detect_line(struct ks_detect *d, const char *text, size_t len, struct ks_match *ret)
{
	uint64_t hit = candidates(d, text, len);

	for (unsigned i = 0; hit; i++) {
		int rc;

		if (!(hit >> i & 1))
			continue;
		hit &= ~(UINT64_C(1) << i);
		rc = pcre2_match(d->code[i], (PCRE2_SPTR)text, len, 0, 0, d->md, d->mctx);
		if (rc <= 0)
			continue;
		if (d->suppress[i] &&
		    pcre2_match(d->suppress[i], (PCRE2_SPTR)text, len, 0, 0, d->md_suppress, d->mctx) >= 0)
			continue;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(d->md);

		memset(ret, 0, sizeof(*ret));
		ret->kind = (enum ks_kind)i;
		ret->ncap = (uint32_t)rc < KS_MAX_CAPS ? (uint32_t)rc : KS_MAX_CAPS;
		for (uint32_t c = 0; c < ret->ncap; c++) {
			if (ov[2 * c] == PCRE2_UNSET)
				continue;
			ret->cap[c].p = text + ov[2 * c];
			ret->cap[c].len = ov[2 * c + 1] - ov[2 * c];
		}
		return true;
	}
	return false;
}
