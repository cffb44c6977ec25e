/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_DWLINE_H
#define KSPLAT_DWLINE_H

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stdint.h>

#include "ksplat/report.h"

/*
 * Source lines of one module's DWARF, with the chain of functions inlined at
 * an address. Compile units are found through .debug_aranges, or through
 * their own ranges where it is missing (clang's default); each unit's
 * functions are indexed once, the first time an address falls in it, and
 * results are cached per address.
 */
struct ks_dwline;

struct ks_dwline_result {
	const char *file;               /* of the line in the frame's own function */
	uint32_t line;
	const struct ks_inlined *inlined; /* innermost first */
	uint16_t ninlined;
};

int ks_dwline_new(Dwfl_Module *mod, struct ks_dwline **ret);
void ks_dwline_free(struct ks_dwline *d);
/*
 * The line of @addr (libdwfl's address in the module). @func, the frame's
 * function as printed, ends the inline chain: GCC may wrap a function's body
 * in an inlined copy of itself. Strings are libdw's; the result lasts until
 * the next lookup.
 */
bool ks_dwline_lookup(struct ks_dwline *d, uint64_t addr, const char *func,
		      struct ks_dwline_result *ret);

#endif
