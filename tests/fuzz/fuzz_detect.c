// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The literal prefilter is a promise: every line a start pattern matches
 * holds one of its kind's needles. Per line, detection with the prefilter
 * must agree with every pattern tried; over a block, no line the scan skips
 * may start a report from any of its first bytes on (an envelope of any
 * length may precede the message) or be a context line.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ksplat/detect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ks_detect *detect;

static void agree(const char *p, size_t len)
{
	struct ks_match fast, slow;
	bool f = ks_detect_line(detect, p, len, &fast), s = ks_detect_line_unfiltered(detect, p, len, &slow);

	if (f != s || (f && fast.kind != slow.kind))
		abort();
}

/* A line the scan skipped: from no offset on does it start a report. */
static void skippable(const char *p, size_t len)
{
	struct ks_match m;

	if (memmem(p, len, "Kernel Offset:", 14))
		abort();
	for (size_t j = 0; j < len && j < 64; j++)
		if (ks_detect_line_unfiltered(detect, p + j, len - j, &m))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size;
	size_t block, skip;
	bool found;
	int r;

	if (!detect && (r = ks_detect_new(&detect)) < 0)
		fuzz_die("ks_detect_new", r);
	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		agree(p, len);
		p += len + 1;
	}
	/* The scan is given whole lines. */
	{
		const char *last = size ? memrchr(text, '\n', size) : NULL;

		block = last ? (size_t)(last - text) + 1 : 0;
	}
	skip = ks_detect_skip(detect, text, block, &found);
	if (skip > block || (skip && text[skip - 1] != '\n'))
		abort();
	for (const char *p = text; p < text + skip;) {
		const char *nl = memchr(p, '\n', (size_t)(text + skip - p));

		skippable(p, (size_t)(nl - p));
		p = nl + 1;
	}
	return 0;
}
