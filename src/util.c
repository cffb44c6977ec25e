// SPDX-License-Identifier: GPL-2.0-or-later
#include "ksplat/util.h"

#include <string.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

size_t ks_parse_u64(const char *p, size_t len, int base, uint64_t *ret)
{
	/* The overflow bound, without a division per digit (constants for the usual bases). */
	const uint64_t b = (uint64_t)base;
	const uint64_t limit = base == 16 ? UINT64_MAX / 16 : base == 10 ? UINT64_MAX / 10 : UINT64_MAX / b;
	const unsigned last = (unsigned)(UINT64_MAX - limit * b); /* the largest digit after @limit */
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned d;
		char c = p[i];

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (v > limit || (v == limit && d > last))
			return 0; /* overflow: not a number we can trust */
		v = v * b + d;
	}
	if (i > 0)
		*ret = v;
	return i;
}

size_t ks_skip_blanks(const char *p, size_t len, size_t pos)
{
	while (pos < len && (p[pos] == ' ' || p[pos] == '\t'))
		pos++;
	return pos;
}

/*
 * Compiler clones keep the name of the function they were made from:
 * "slab_pre_alloc_hook.constprop.0", "__might_resched.cold", "foo.isra.0.cold",
 * "bar.llvm.1234". Everything from the first '.' that starts a known suffix goes.
 */
size_t ks_func_base_len(const char *name, size_t len)
{
	static const char *const suffixes[] = {
		".constprop", ".isra", ".part", ".cold", ".llvm", ".lto_priv", ".localalias", ".clone",
	};

	for (size_t i = 1; i < len; i++) {
		if (name[i] != '.')
			continue;
		for (size_t s = 0; s < KS_ARRAY_SIZE(suffixes); s++)
			if (ks_has_prefix(name + i, len - i, suffixes[s]))
				return i;
	}
	return len;
}

uint64_t ks_fnv1a(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

size_t ks_count_byte(const char *p, size_t len, char c)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), high = ones << 7;
	const uint64_t pattern = ones * (unsigned char)c;
	size_t n = 0, i = 0;

	/* Eight bytes at a time: a zero byte of w ^ pattern is a match (exact, no carries). */
	for (; i + 8 <= len; i += 8) {
		uint64_t w, x;

		memcpy(&w, p + i, 8);
		x = w ^ pattern;
		x = ~(((x & ~high) + ~high) | x) & high;
		n += (size_t)((x >> 7) * ones >> 56); /* the sum of the eight 0/1 bytes */
	}
	for (; i < len; i++)
		n += p[i] == c;
	return n;
}

bool ks_regex_jit_wanted(void)
{
#ifdef RUNNING_ON_VALGRIND
	return !RUNNING_ON_VALGRIND;
#else
	return true;
#endif
}

bool ks_unicode_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

size_t ks_utf8_decode(const unsigned char *s, size_t left, uint32_t *ret_cp)
{
	uint32_t cp;
	size_t n;

	if (left == 0)
		return 0;
	if (s[0] < 0x80) {
		*ret_cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*ret_cp = cp;
	return n;
}

const char *ks_path_display(const char *path)
{
	const char *p = path, *slash;

	if (strncmp(p, "/usr/src/", 9) != 0 || !(slash = strchr(p + 9, '/')))
		return path;
	p = slash + 1;
	if (strncmp(p, "linux", 5) == 0 && (slash = strchr(p, '/')) && slash[1])
		p = slash + 1;
	return p;
}
