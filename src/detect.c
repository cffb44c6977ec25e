// SPDX-License-Identifier: GPL-2.0-or-later
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/detect.h"

struct ks_detect {
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

int ks_detect_new(struct ks_detect **ret)
{
	struct ks_detect *d = calloc(1, sizeof(*d));
	uint32_t jit = 0;

	if (!d)
		return -ENOMEM;
	pcre2_config(PCRE2_CONFIG_JIT, &jit);
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
	for (unsigned i = 0; i < _KS_KIND_MAX; i++) {
		const char *needle = ks_kinds[i].needle;
		int rc;

		if (needle && !memmem(text, len, needle, strlen(needle)))
			continue;
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
