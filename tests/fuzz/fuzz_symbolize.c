// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Symbolization requests: frames, module names, build ids and kernel offsets
 * from the log against real symbol files (the unit tests' fixture, whose
 * directory is $KSPLAT_FIXTURE), with a source tree for source lines.
 */
#include <stdlib.h>

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char vmlinux[4096], modules[4096], system_map[4096], kallsyms[4096];
static struct ks_sym_config sym;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("KSPLAT_FIXTURE");

	(void)argc;
	(void)argv;
	if (!dir)
		fuzz_die("KSPLAT_FIXTURE is not set (run through make fuzz)", 22);
	snprintf(vmlinux, sizeof(vmlinux), "%s/symfix", dir);
	snprintf(modules, sizeof(modules), "%s/mod", dir);
	snprintf(system_map, sizeof(system_map), "%s/System.map", dir);
	snprintf(kallsyms, sizeof(kallsyms), "%s/kallsyms", dir);
	sym = (struct ks_sym_config){
		.vmlinux = vmlinux, .modules_dir = modules, .system_map = system_map,
		.kallsyms = kallsyms, .srcdir = "tests/fixtures/sym",
	};
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fuzz_setup setup = { .source = FUZZ_FILE, .sym = &sym };

	fuzz_pipeline(&setup, data, size);
	return 0;
}
