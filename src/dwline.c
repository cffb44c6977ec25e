// SPDX-License-Identifier: GPL-2.0-or-later
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/dwline.h"
#include "ksplat/util.h"

/* Results kept per looked-up address; a slot is overwritten on collision. */
#define CACHE_SLOTS 1024
/* Inline chain kept per frame: deeper ones are cut (rare beyond 6). */
#define MAX_INLINED 16
/* Nesting of inlined calls and blocks followed down from a function. */
#define MAX_SCOPES 64

/* Code of one compile unit, [lo, hi) in DWARF addresses. */
struct cu_range {
	Dwarf_Addr lo, hi;
	Dwarf_Off die; /* offset of the CU's DIE */
};

/* A function's code in a compile unit: [lo, hi) in DWARF addresses. */
struct func_range {
	Dwarf_Addr lo, hi;
	Dwarf_Off die;
};

/* The functions of one compile unit, by address; built on first use. */
struct cu_funcs {
	Dwarf_Off cu;
	struct func_range *v;
	size_t n;
};


struct cache_slot {
	const struct ks_dwline *d;
	uint64_t addr;
	bool used, found;
	const char *file; /* owned by libdw */
	uint32_t line;
	uint16_t ninl;
	struct ks_inlined *inl; /* malloc'd, strings owned by libdw */
};

struct ks_dwline {
	Dwfl_Module *mod;
	struct cu_range *cus;   /* without .debug_aranges: the compile units' ranges */
	size_t ncus;
	bool cus_indexed;
	struct cu_funcs *funcs; /* the functions of the compile units looked into, by CU */
	size_t nfuncs, capfuncs;
	struct cache_slot cache[CACHE_SLOTS];
};

int ks_dwline_new(Dwfl_Module *mod, struct ks_dwline **ret)
{
	struct ks_dwline *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->mod = mod;
	*ret = d;
	return 0;
}

void ks_dwline_free(struct ks_dwline *d)
{
	if (!d)
		return;
	free(d->cus);
	for (size_t i = 0; i < d->nfuncs; i++)
		free(d->funcs[i].v);
	free(d->funcs);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		free(d->cache[i].inl);
	free(d);
}


static const char *src_file(Dwarf_Die *cu, Dwarf_Die *die, unsigned attr_name)
{
	Dwarf_Attribute attr;
	Dwarf_Word idx;
	Dwarf_Files *files;
	size_t nfiles;

	if (dwarf_formudata(dwarf_attr(die, attr_name, &attr), &idx) != 0 ||
	    dwarf_getsrcfiles(cu, &files, &nfiles) != 0 || idx >= nfiles)
		return NULL;
	return dwarf_filesrc(files, idx, NULL, NULL);
}

static int cmp_cu_range(const void *a, const void *b)
{
	const struct cu_range *x = a, *y = b;

	return (x->lo > y->lo) - (x->lo < y->lo);
}

static int add_cu_range(struct ks_dwline *d, size_t *cap, Dwarf_Addr lo, Dwarf_Addr hi, Dwarf_Off die)
{
	if (d->ncus == *cap) {
		size_t n = *cap ? *cap * 2 : 256;
		struct cu_range *v = realloc(d->cus, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		d->cus = v;
		*cap = n;
	}
	d->cus[d->ncus++] = (struct cu_range){ .lo = lo, .hi = hi, .die = die };
	return 0;
}

/* Every compile unit's address ranges, once: what .debug_aranges would have said. */
static void index_cus(struct ks_dwline *d, Dwarf *dw)
{
	Dwarf_CU *unit = NULL;
	Dwarf_Die cu;
	size_t cap = 0;
	uint8_t unit_type;
	Dwarf_Half version;

	d->cus_indexed = true;
	while (dwarf_get_units(dw, unit, &unit, &version, &unit_type, &cu, NULL) == 0) {
		Dwarf_Addr base, lo, hi;
		ptrdiff_t off = 0;

		while ((off = dwarf_ranges(&cu, off, &base, &lo, &hi)) > 0)
			if (lo < hi && add_cu_range(d, &cap, lo, hi, dwarf_dieoffset(&cu)) < 0)
				return;
	}
	if (d->ncus)
		qsort(d->cus, d->ncus, sizeof(*d->cus), cmp_cu_range);
}

/*
 * The compile unit of @addr. libdw finds it through .debug_aranges, which
 * clang does not write unless asked (-gdwarf-aranges): then through the
 * units' own ranges.
 */
static Dwarf_Die *cu_of(struct ks_dwline *d, Dwarf_Addr addr, Dwarf_Die *mem, Dwarf_Addr *bias)
{
	Dwarf_Die *cu = dwfl_module_addrdie(d->mod, addr, bias);
	Dwarf *dw;
	size_t lo = 0, hi;

	if (cu || !(dw = dwfl_module_getdwarf(d->mod, bias)))
		return cu;
	if (!d->cus_indexed)
		index_cus(d, dw);
	addr -= *bias;
	for (hi = d->ncus; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->cus[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Ranges of different units may interleave: look back a little. */
	for (size_t i = lo; i-- > 0 && lo - i <= 16;)
		if (addr < d->cus[i].hi)
			return dwarf_offdie(dw, d->cus[i].die, mem);
	return NULL;
}

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;

	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attr));
}

/* "lock_acquire" of "lock_acquire.constprop.0": the frame's function as DWARF names it. */
static bool same_function(const char *dwarf_name, const char *frame_func)
{
	size_t n = ks_func_base_len(frame_func, strlen(frame_func));

	return dwarf_name && strlen(dwarf_name) == n && memcmp(dwarf_name, frame_func, n) == 0;
}

static int cmp_func_range(const void *a, const void *b)
{
	const struct func_range *x = a, *y = b;

	return (x->lo > y->lo) - (x->lo < y->lo);
}

/* The subprograms among @cu's children and their address ranges, sorted. */
static int index_funcs(Dwarf_Die *cu, struct cu_funcs *cf)
{
	Dwarf_Die child;
	size_t cap = 0;

	cf->cu = dwarf_dieoffset(cu);
	if (dwarf_child(cu, &child) != 0)
		return 0;
	do {
		Dwarf_Addr base, lo, hi;
		ptrdiff_t off = 0;

		if (dwarf_tag(&child) != DW_TAG_subprogram)
			continue;
		while ((off = dwarf_ranges(&child, off, &base, &lo, &hi)) > 0) {
			if (lo >= hi)
				continue;
			if (cf->n == cap) {
				size_t n = cap ? cap * 2 : 64;
				struct func_range *v = realloc(cf->v, n * sizeof(*v));

				if (!v)
					return -ENOMEM;
				cf->v = v;
				cap = n;
			}
			cf->v[cf->n++] = (struct func_range){ .lo = lo, .hi = hi, .die = dwarf_dieoffset(&child) };
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	if (cf->n)
		qsort(cf->v, cf->n, sizeof(*cf->v), cmp_func_range);
	return 0;
}

/* @cu's function index, built once per compile unit looked into. */
static const struct cu_funcs *cu_funcs_of(struct ks_dwline *d, Dwarf_Die *cu)
{
	Dwarf_Off off = dwarf_dieoffset(cu);
	size_t lo = 0, hi = d->nfuncs;
	struct cu_funcs cf = { 0 };

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->funcs[mid].cu == off)
			return &d->funcs[mid];
		if (d->funcs[mid].cu < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (d->nfuncs == d->capfuncs) {
		size_t n = d->capfuncs ? d->capfuncs * 2 : 16;
		struct cu_funcs *v = realloc(d->funcs, n * sizeof(*v));

		if (!v)
			return NULL;
		d->funcs = v;
		d->capfuncs = n;
	}
	if (index_funcs(cu, &cf) < 0) {
		free(cf.v);
		return NULL;
	}
	memmove(&d->funcs[lo + 1], &d->funcs[lo], (d->nfuncs - lo) * sizeof(*d->funcs));
	d->funcs[lo] = cf;
	d->nfuncs++;
	return &d->funcs[lo];
}

/*
 * The scopes around @addr, outermost (the subprogram) first: the function
 * from the compile unit's index, then down through the inlined calls and
 * lexical blocks that hold the address. Concrete DIEs only: unlike
 * dwarf_getscopes(), which continues from an inlined call into the abstract
 * definition of the function inlined, and walks the whole unit each time.
 */
static int scopes_at(struct ks_dwline *d, Dwarf_Die *cu, Dwarf_Addr addr, Dwarf_Die *scopes)
{
	const struct cu_funcs *cf = cu_funcs_of(d, cu);
	Dwarf *dw = dwarf_cu_getdwarf(cu->cu);
	size_t lo = 0, hi;
	int n = 0;

	if (!cf || !dw)
		return 0;
	for (hi = cf->n; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (cf->v[mid].lo <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || addr >= cf->v[lo - 1].hi || !dwarf_offdie(dw, cf->v[lo - 1].die, &scopes[0]))
		return 0;
	for (n = 1; n < MAX_SCOPES;) {
		Dwarf_Die child;
		bool deeper = false;

		if (dwarf_child(&scopes[n - 1], &child) != 0)
			break;
		do {
			int tag = dwarf_tag(&child);

			if ((tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block) &&
			    dwarf_haspc(&child, addr) == 1) {
				scopes[n++] = child;
				deeper = true;
				break;
			}
		} while (dwarf_siblingof(&child, &child) == 0);
		if (!deeper)
			break;
	}
	return n;
}

/*
 * The line table gives the innermost line. Each inlined_subroutine around
 * the address, innermost first, was called from DW_AT_call_file:line of the
 * next one out; the outermost call is the line of the frame's own function.
 * GCC sometimes wraps a function's body in an inlined copy of itself (its
 * call line is the declaration): the walk stops at the frame's own function.
 */
static void walk_inlines(struct ks_dwline *d, Dwarf_Die *cu, Dwarf_Addr addr, const char *func,
			 struct cache_slot *c)
{
	Dwarf_Die scopes[MAX_SCOPES];
	struct ks_inlined chain[MAX_INLINED];
	uint16_t n = 0;
	int nscopes = scopes_at(d, cu, addr, scopes);

	for (int i = nscopes - 1; i > 0; i--) {
		Dwarf_Attribute attr;
		Dwarf_Word call_line;
		const char *call_file, *name = die_name(&scopes[i]);

		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
			continue; /* a lexical block */
		if (same_function(name, func))
			break;
		if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &call_line) != 0 ||
		    !(call_file = src_file(cu, &scopes[i], DW_AT_call_file)))
			continue;
		if (n < MAX_INLINED)
			chain[n++] = (struct ks_inlined){ .func = name, .file = c->file, .line = c->line };
		c->file = call_file;
		c->line = (uint32_t)call_line;
	}
	if (n && (c->inl = malloc(n * sizeof(*c->inl)))) {
		memcpy(c->inl, chain, n * sizeof(*chain));
		c->ninl = n;
	}
}

bool ks_dwline_lookup(struct ks_dwline *d, uint64_t addr, const char *func,
		      struct ks_dwline_result *ret)
{
	uint64_t h = ks_fnv1a(KS_FNV_SEED, &addr, sizeof(addr));
	struct cache_slot *c = &d->cache[h % CACHE_SLOTS];
	Dwarf_Die mem, *cu;
	Dwarf_Addr bias;
	Dwarf_Line *line;
	const char *file;
	int lineno;

	if (!c->used || c->addr != addr) {
		free(c->inl);
		*c = (struct cache_slot){ .addr = addr, .used = true };
		if ((cu = cu_of(d, addr, &mem, &bias)) && (line = dwarf_getsrc_die(cu, addr - bias)) &&
		    (file = dwarf_linesrc(line, NULL, NULL)) && dwarf_lineno(line, &lineno) == 0 &&
		    lineno > 0) {
			c->found = true;
			c->file = file;
			c->line = (uint32_t)lineno;
			walk_inlines(d, cu, addr - bias, func, c);
		}
	}
	if (!c->found)
		return false;
	*ret = (struct ks_dwline_result){
		.file = c->file, .line = c->line, .inlined = c->inl, .ninlined = c->ninl,
	};
	return true;
}
