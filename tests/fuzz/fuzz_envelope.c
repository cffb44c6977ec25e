// SPDX-License-Identifier: GPL-2.0-or-later
/* Envelope decoding: every rendering of a line, KERN_CONT pieces, journal dictionaries. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ksplat/envelope.h"

#define MAX_LINE 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_envelope *env;
	struct ks_line line;
	const char *p = (const char *)data, *end = p + size;
	uint64_t lineno = 0;
	int r = ks_envelope_new(MAX_LINE, &env);

	if (r < 0)
		fuzz_die("ks_envelope_new", r);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		bool cut = len > MAX_LINE;

		/* As the source hands lines over: bounded, the rest dropped and said so. */
		ks_envelope_feed(env, p, cut ? MAX_LINE : len, ++lineno, cut);
		while (ks_envelope_next(env, &line)) {
			volatile char sink = 0;

			if (line.len > MAX_LINE || line.env >= _KS_ENV_MAX || !ks_env_kind_name(line.env))
				abort();
			for (size_t i = 0; i < line.len; i++)
				sink ^= line.text[i];
			(void)sink;
		}
		p += len + 1;
	}
	ks_envelope_free(env);
	return 0;
}
