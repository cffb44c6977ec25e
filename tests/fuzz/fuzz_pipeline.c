// SPDX-License-Identifier: GPL-2.0-or-later
/* The whole text pipeline: a log file (plain or compressed) to every output format. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_setup setup = { .source = FUZZ_FILE };

	fuzz_pipeline(&setup, data, size);
	return 0;
}
