// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Report assembly and analysis: decoded lines of reports interleaved by CPU
 * and task, nested, cut short, over their line and byte budgets. The first
 * byte picks the limits, so small inputs reach every one of them.
 */
#include <string.h>

#include "fuzz.h"
#include "ksplat/analyze.h"
#include "ksplat/assemble.h"
#include "ksplat/detect.h"
#include "ksplat/envelope.h"
#include "ksplat/syztitle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ks_detect *detect;
static struct ks_syz *syz;

static void drain(struct ks_assemble *as)
{
	struct ks_report *r;

	while ((r = ks_assemble_pop(as))) {
		ks_analyze_report(syz, r);
		ks_report_free(r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_assemble_limits lim;
	struct ks_envelope *env;
	struct ks_assemble *as;
	struct ks_line line;
	const char *p, *end = (const char *)data + size;
	uint64_t lineno = 0;
	int r;

	if (size < 1)
		return 0;
	lim = (struct ks_assemble_limits){
		.max_open = 1u + (data[0] & 7), .max_lines = 8u << (data[0] >> 6),
		.arena_cap = 2048u << ((data[0] >> 3) & 7), .gap_ns = UINT64_C(10000000000),
	};
	if (!detect && ((r = ks_detect_new(&detect)) < 0 || (r = ks_syz_new(&syz)) < 0))
		fuzz_die("pattern sets", r);
	if ((r = ks_envelope_new(1024, &env)) < 0 || (r = ks_assemble_new(&lim, detect, &as)) < 0)
		fuzz_die("assembler", r);
	for (p = (const char *)data + 1; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		ks_envelope_feed(env, p, len > 1024 ? 1024 : len, ++lineno, len > 1024);
		while (ks_envelope_next(env, &line))
			ks_assemble_feed(as, &line, 0, "fuzz");
		drain(as);
		p += len + 1;
	}
	ks_assemble_flush(as);
	drain(as);
	ks_assemble_free(as);
	ks_envelope_free(env);
	return 0;
}
