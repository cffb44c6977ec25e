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

#define MAX_NEEDLES 64
#define ANCHOR_LEN 4   /* bytes of a needle the index holds: every needle is as long */
#define ANCHOR_BITS 16 /* their hashes: a 8 KiB bitmap, in the L1 cache */
/* Lines of one record walked back over to find its first line. */
#define SKIP_RECORD_LINES 8

/*
 * Lines outside reports that a later stage reads all the same: the scan
 * must not skip them. "Kernel Offset:" gives the symbolizer the KASLR offset.
 */
static const char *const context_needles[] = { "Kernel Offset:", NULL };

/* One literal of the prefilter: the kinds whose start lines contain it. */
struct needle {
	const char *s;
	uint16_t len;
	uint16_t anchor;  /* offset of its rarest ANCHOR_LEN bytes, which the index holds */
	uint8_t next;     /* 1 + the next needle with the same anchor hash, or 0 */
	uint64_t kinds;   /* a bit per kind, or CONTEXT_BIT */
};

/* The "kind" of a context needle: above every real kind, never a pattern to run. */
#define CONTEXT_BIT (UINT64_C(1) << 63)
_Static_assert(_KS_KIND_MAX < 63, "a bit for context needles");

struct ks_detect {
	/*
	 * The literal prefilter. Each needle is indexed by ANCHOR_LEN bytes of
	 * it (its anchor), chosen to be rare in log text. A bitmap of the pairs
	 * that begin anchors is tested at every position; where it is set, a
	 * bitmap of anchor hashes; only where both are are needles compared. A
	 * line's candidate kinds are those whose needles it holds; a block of
	 * lines is skipped up to the first that holds one.
	 */
	uint64_t pair_bits[(1 << 16) / 64];
	uint64_t anchor_bits[(1 << ANCHOR_BITS) / 64];
	uint8_t anchor_head[1 << ANCHOR_BITS];
	struct needle needles[MAX_NEEDLES];
	unsigned nneedles;
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

/*
 * How common a byte is in log text: blanks, the punctuation of timestamps
 * and "key: value", lower-case letters by their frequency in English, then
 * digits, then upper-case letters.
 */
static unsigned commonness(unsigned char c)
{
	/* Lower-case letters, most frequent first (English text). */
	static const char letters[] = "etaoinsrhldcumfpgwybvkxjqz";
	const char *l = c >= 'a' && c <= 'z' ? strchr(letters, c) : NULL;

	if (l)
		return 40 - (unsigned)(l - letters);
	if (c == ' ')
		return 45;
	if (c == ':' || c == '.' || c == '[' || c == ']')
		return 38;
	if (c >= '0' && c <= '9')
		return 20;
	if (c >= 'A' && c <= 'Z')
		return 5;
	return 10;
}

/*
 * Where @s's anchor starts: its rarest byte pair (the first of equals) that
 * ANCHOR_LEN bytes of the needle follow, since the scan tests that pair at
 * every position and the anchor only where it is found.
 */
static uint16_t rare_anchor(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned best = ~0u;
	uint16_t at = 0;

	for (size_t i = 0; i + ANCHOR_LEN <= len; i++) {
		unsigned c = commonness(p[i]) + commonness(p[i + 1]);
		if (c < best) {
			best = c;
			at = (uint16_t)i;
		}
	}
	return at;
}

static unsigned pair_at(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* The index of the ANCHOR_LEN bytes at @p: a multiplicative hash. */
static unsigned anchor_at(const unsigned char *p)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;

	return (v * UINT32_C(2654435761)) >> (32 - ANCHOR_BITS);
}

/* Add @s for @kinds (merged with an equal needle); -E2BIG when the table is full. */
static int add_needle(struct ks_detect *d, const char *s, uint64_t kinds)
{
	size_t len = strlen(s);
	const unsigned char *a;
	struct needle *n;
	unsigned h;

	for (unsigned i = 0; i < d->nneedles; i++)
		if (strcmp(d->needles[i].s, s) == 0) {
			d->needles[i].kinds |= kinds;
			return 0;
		}
	if (d->nneedles == MAX_NEEDLES || len < ANCHOR_LEN || len > UINT16_MAX)
		return -E2BIG;
	n = &d->needles[d->nneedles];
	n->s = s;
	n->len = (uint16_t)len;
	n->anchor = rare_anchor(s, len);
	n->kinds = kinds;
	a = (const unsigned char *)s + n->anchor;
	h = anchor_at(a);
	n->next = d->anchor_head[h];
	d->anchor_head[h] = (uint8_t)++d->nneedles;
	d->anchor_bits[h / 64] |= UINT64_C(1) << (h % 64);
	h = pair_at(a);
	d->pair_bits[h / 64] |= UINT64_C(1) << (h % 64);
	return 0;
}

static int index_needles(struct ks_detect *d)
{
	int err;

	for (unsigned k = 0; k < _KS_KIND_MAX; k++)
		for (const char *const *s = ks_kinds[k].needles; s && *s; s++)
			if ((err = add_needle(d, *s, UINT64_C(1) << k)) < 0)
				return err;
	for (const char *const *s = context_needles; *s; s++)
		if ((err = add_needle(d, *s, CONTEXT_BIT)) < 0)
			return err;
	return 0;
}

/* Whether an anchor begins with the pair at @p: 1 or 0, for ORing without branches. */
static inline uint64_t pair_indexed(const struct ks_detect *d, const unsigned char *p)
{
	unsigned h = pair_at(p);

	return d->pair_bits[h / 64] >> (h % 64) & 1;
}

static inline bool anchor_indexed(const struct ks_detect *d, const unsigned char *p)
{
	unsigned h = anchor_at(p);

	return d->anchor_bits[h / 64] >> (h % 64) & 1;
}

/*
 * The first position at or after @i where an anchor may start in p[0..len),
 * or @len: the hot loop of a scan. Four positions are tested at once
 * (independent loads, one branch) and looked at one by one only when the
 * pair at one of them begins an anchor. Aligned to a cache line: where its
 * loop fell otherwise depended on unrelated changes, and cost up to 13% of
 * a sparse scan.
 */
__attribute__((aligned(64))) static size_t next_anchor(const struct ks_detect *d, const unsigned char *p,
							size_t len, size_t i)
{
	for (; i + 3 + ANCHOR_LEN <= len; i += 4) {
		if (!(pair_indexed(d, p + i) | pair_indexed(d, p + i + 1) | pair_indexed(d, p + i + 2) |
		      pair_indexed(d, p + i + 3)))
			continue;
		for (size_t k = i; k < i + 4; k++)
			if (pair_indexed(d, p + k) && anchor_indexed(d, p + k))
				return k;
	}
	for (; i + ANCHOR_LEN <= len; i++)
		if (pair_indexed(d, p + i) && anchor_indexed(d, p + i))
			return i;
	return len;
}

/*
 * The needles whose anchor is at p[i], found whole in p[0..len): their kinds
 * ORed, CONTEXT_BIT for a context needle; 0 when none is there. Needles hold
 * no newline, so a match never runs into the next line.
 */
static uint64_t needles_at(const struct ks_detect *d, const unsigned char *p, size_t len, size_t i)
{
	uint64_t kinds = 0;

	for (uint8_t k = d->anchor_head[anchor_at(p + i)]; k; k = d->needles[k - 1].next) {
		const struct needle *n = &d->needles[k - 1];

		if (n->anchor <= i && i - n->anchor + n->len <= len &&
		    memcmp(p + i - n->anchor, n->s, n->len) == 0)
			kinds |= n->kinds;
	}
	return kinds;
}

/* The kinds whose needles @text holds. */
static uint64_t candidates(const struct ks_detect *d, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	uint64_t hit = 0;

	for (size_t i = 0; (i = next_anchor(d, p, len, i)) < len; i++)
		hit |= needles_at(d, p, len, i);
	return hit & ~CONTEXT_BIT;
}

/* Where the line holding p[i] starts. */
static size_t line_start(const unsigned char *p, size_t i)
{
	const unsigned char *nl = i ? memrchr(p, '\n', i) : NULL;

	return nl ? (size_t)(nl - p) + 1 : 0;
}

/* Indented as the lines after the first of a record are (eight blanks at least). */
static bool is_indented(const unsigned char *p, size_t len)
{
	static const char blanks[8] = "        ";

	return len >= sizeof(blanks) && memcmp(p, blanks, sizeof(blanks)) == 0;
}

/*
 * Where to start reading for the line at p[line]: a line early, for a banner
 * before a report; and when it looks like the continuation of a multi-line
 * record (util-linux dmesg and journalctl indent those), from the record's
 * first line, which gives it time and caller. The walk is bounded, so a run
 * of indented lines costs no more than a few lines read one by one.
 */
static size_t context_start(const unsigned char *p, size_t len, size_t line)
{
	for (unsigned n = 0; line && n < SKIP_RECORD_LINES && is_indented(p + line, len - line); n++)
		line = line_start(p, line - 1);
	return line ? line_start(p, line - 1) : 0;
}

size_t ks_detect_skip(const struct ks_detect *d, const char *text, size_t len, bool *ret_found)
{
	const unsigned char *p = (const unsigned char *)text;

	*ret_found = false;
	for (size_t i = 0; (i = next_anchor(d, p, len, i)) < len; i++)
		if (needles_at(d, p, len, i)) {
			*ret_found = true;
			return context_start(p, len, line_start(p, i));
		}
	/* The last lines may be the context of a needle in the next block: kept. */
	return len ? context_start(p, len, line_start(p, len - 1)) : 0;
}

int ks_detect_new(struct ks_detect **ret)
{
	struct ks_detect *d = calloc(1, sizeof(*d));
	uint32_t jit = 0;
	int r;

	if (!d)
		return -ENOMEM;
	if ((r = index_needles(d)) < 0) {
		ks_detect_free(d);
		return r;
	}
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

/* The first of the kinds in @hit whose pattern starts at @text, lowest kind first. */
static bool match_kinds(struct ks_detect *d, uint64_t hit, const char *text, size_t len,
			struct ks_match *ret)
{
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

bool ks_detect_line(struct ks_detect *d, const char *text, size_t len, struct ks_match *ret)
{
	return match_kinds(d, candidates(d, text, len), text, len, ret);
}

bool ks_detect_line_unfiltered(struct ks_detect *d, const char *text, size_t len, struct ks_match *ret)
{
	_Static_assert(_KS_KIND_MAX < 64, "a mask of all kinds");
	return match_kinds(d, (UINT64_C(1) << _KS_KIND_MAX) - 1, text, len, ret);
}
