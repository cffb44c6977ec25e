// SPDX-License-Identifier: GPL-2.0-or-later
/* /dev/kmsg records: "prio,seq,usec,flags;text", dictionary lines, sequence gaps. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fuzz_setup setup = { .source = FUZZ_KMSG };

	fuzz_pipeline(&setup, data, size);
	return 0;
}
