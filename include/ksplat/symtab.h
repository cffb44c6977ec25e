/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_SYMTAB_H
#define KSPLAT_SYMTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A table of code symbols: the functions of an ELF file, a System.map, or a
 * saved /proc/kallsyms. Sorted by address once; looked up by address (raw
 * frames) and by name (printed "func+off" frames, several symbols may share a
 * static function's name).
 */
struct ks_symtab;

struct ks_symbol {
	uint64_t addr;
	uint64_t size;      /* st_size, 0 when the source has none (System.map, kallsyms) */
	uint64_t span;      /* distance to the next symbol: what kallsyms prints as the size */
	uint32_t section;   /* ELF section index, 0 for maps */
	bool weak;
	bool last;          /* the last of its section or module: its span says little */
	const char *name;
	const char *module; /* kallsyms "[mod]", NULL for the kernel */
};

int ks_symtab_new(struct ks_symtab **ret);
void ks_symtab_free(struct ks_symtab *t);
/* Add a symbol; @name and @module are copied. Call ks_symtab_finish() after the last. */
int ks_symtab_add(struct ks_symtab *t, uint64_t addr, uint64_t size, uint32_t section, bool weak,
		  const char *name, const char *module);
int ks_symtab_finish(struct ks_symtab *t);
/*
 * Read "ADDR TYPE NAME[\t[MODULE]]" lines (System.map, /proc/kallsyms): text
 * symbols only. -EINVAL with a message in @err for a file that is not one, or
 * whose addresses are all zero (kallsyms read without the right to see them).
 */
int ks_symtab_load_map(const char *path, struct ks_symtab **ret, char *err, size_t errlen);

size_t ks_symtab_count(const struct ks_symtab *t);
/*
 * The symbol @addr lies in, or NULL: within its size when known, else before
 * the next symbol; the last of a module covers 4 KiB at most, the last of all
 * 64 KiB. Of aliases at one address, the one kallsyms prints: strong before
 * weak, functions before linker-script markers (__sched_text_start), fewer
 * leading underscores first.
 */
const struct ks_symbol *ks_symtab_by_addr(const struct ks_symtab *t, uint64_t addr);
/* The symbols named @name, @ret_n of them, adjacent; NULL if none. */
const struct ks_symbol *const *ks_symtab_by_name(const struct ks_symtab *t, const char *name,
						 size_t *ret_n);
/* Lowest and highest address of the table (0, 0 when empty). */
void ks_symtab_range(const struct ks_symtab *t, uint64_t *lo, uint64_t *hi);

#endif
