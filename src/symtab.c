// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/arena.h"
#include "ksplat/symtab.h"
#include "ksplat/util.h"

/* Names and module names of one table; a distro kernel has ~150k text symbols. */
#define SYMTAB_ARENA_CAP (256u << 20)
/* The longest symbol the kernel prints (KSYM_NAME_LEN) and a map line around it. */
#define MAP_LINE_MAX 1024
/* A symbol nothing follows covers this much at most: no function is larger. */
#define LAST_SYMBOL_SPAN (64u << 10)
/* The last symbol of a module in kallsyms: what follows is the next module's, or nothing. */
#define LAST_IN_MODULE_SPAN (4u << 10)

struct ks_symtab {
	struct ks_symbol *v; /* by address once finished */
	size_t n, cap;
	const struct ks_symbol **by_name;
	struct ks_arena *names;
	const char *last_module; /* consecutive kallsyms lines share it */
};

int ks_symtab_new(struct ks_symtab **ret)
{
	struct ks_symtab *t = calloc(1, sizeof(*t));

	if (!t || ks_arena_new(SYMTAB_ARENA_CAP, &t->names) < 0) {
		free(t);
		return -ENOMEM;
	}
	*ret = t;
	return 0;
}

void ks_symtab_free(struct ks_symtab *t)
{
	if (!t)
		return;
	free(t->v);
	free(t->by_name);
	ks_arena_free(t->names);
	free(t);
}

static const char *intern_module(struct ks_symtab *t, const char *module)
{
	if (!module)
		return NULL;
	if (!t->last_module || strcmp(t->last_module, module) != 0)
		t->last_module = ks_arena_strndup(t->names, module, strlen(module));
	return t->last_module;
}

int ks_symtab_add(struct ks_symtab *t, uint64_t addr, uint64_t size, uint32_t section, bool weak,
		  const char *name, const char *module)
{
	struct ks_symbol *s;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct ks_symbol *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	s = &t->v[t->n];
	s->addr = addr;
	s->size = size;
	s->span = 0;
	s->section = section;
	s->weak = weak;
	s->last = false;
	s->name = ks_arena_strndup(t->names, name, strlen(name));
	s->module = intern_module(t, module);
	if (!s->name || (module && !s->module))
		return -ENOMEM;
	t->n++;
	return 0;
}

/* "__start_x", "__stop_x", "__end_x", "__x_start", "__x_end": what linker scripts define. */
static bool is_linker_marker(const char *name)
{
	size_t n = strlen(name);

	if (n < 8 || name[0] != '_' || name[1] != '_')
		return false;
	return !strncmp(name + 2, "start_", 6) || !strncmp(name + 2, "stop_", 5) ||
	       !strncmp(name + 2, "end_", 4) || !strcmp(name + n - 6, "_start") ||
	       !strcmp(name + n - 4, "_end");
}

static size_t leading_underscores(const char *name)
{
	return strspn(name, "_");
}

/* Aliases are ordered as the kernel's scripts/kallsyms.c orders them, sized ones first. */
static int cmp_addr(const void *a, const void *b)
{
	const struct ks_symbol *x = a, *y = b;
	int c;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if ((c = (x->size == 0) - (y->size == 0)) || (c = x->weak - y->weak) ||
	    (c = is_linker_marker(x->name) - is_linker_marker(y->name)))
		return c;
	return (leading_underscores(x->name) > leading_underscores(y->name)) -
	       (leading_underscores(x->name) < leading_underscores(y->name));
}

static int cmp_name(const void *a, const void *b)
{
	const struct ks_symbol *x = *(const struct ks_symbol *const *)a;
	const struct ks_symbol *y = *(const struct ks_symbol *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->addr > y->addr) - (x->addr < y->addr);
}

int ks_symtab_finish(struct ks_symtab *t)
{
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), cmp_addr);
	/* kallsyms' idea of a size: up to the next symbol at a higher address. */
	for (size_t i = 0, j = 0; i < t->n; i++) {
		if (j <= i)
			j = i + 1;
		while (j < t->n && t->v[j].addr == t->v[i].addr)
			j++;
		t->v[i].span = j < t->n ? t->v[j].addr - t->v[i].addr : 0;
		t->v[i].last = j == t->n || t->v[j].section != t->v[i].section ||
			       t->v[j].module != t->v[i].module; /* interned: one pointer per module */
	}
	free(t->by_name);
	t->by_name = malloc((t->n ? t->n : 1) * sizeof(*t->by_name));
	if (!t->by_name)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++)
		t->by_name[i] = &t->v[i];
	if (t->n)
		qsort(t->by_name, t->n, sizeof(*t->by_name), cmp_name);
	return 0;
}

size_t ks_symtab_count(const struct ks_symtab *t)
{
	return t->n;
}

void ks_symtab_range(const struct ks_symtab *t, uint64_t *lo, uint64_t *hi)
{
	*lo = t->n ? t->v[0].addr : 0;
	*hi = t->n ? t->v[t->n - 1].addr + (t->v[t->n - 1].size ? t->v[t->n - 1].size : 1) : 0;
}

const struct ks_symbol *ks_symtab_by_addr(const struct ks_symtab *t, uint64_t addr)
{
	size_t lo = 0, hi = t->n;
	const struct ks_symbol *s;
	uint64_t span;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	s = &t->v[lo - 1];
	/* The first of the aliases at that address. */
	while (s > t->v && s[-1].addr == s->addr)
		s--;
	span = s->span ? s->span : LAST_SYMBOL_SPAN;
	if (s->last && s->span && !s->size && span > LAST_IN_MODULE_SPAN)
		span = LAST_IN_MODULE_SPAN;
	if (s->size && s->size < span)
		span = s->size + 1; /* a call at the very end returns one past it */
	return addr - s->addr < span ? s : NULL;
}

const struct ks_symbol *const *ks_symtab_by_name(const struct ks_symtab *t, const char *name,
						 size_t *ret_n)
{
	size_t lo = 0, hi = t->n, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->by_name[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < t->n && strcmp(t->by_name[end]->name, name) == 0; end++)
		;
	*ret_n = end - lo;
	return end > lo ? &t->by_name[lo] : NULL;
}

/* System.map and kallsyms letters of code: T/t text, W/w weak. */
static int is_text_type(char c)
{
	return c == 'T' || c == 't' || c == 'W' || c == 'w';
}

/* "ffffffff81000000 T _text" or "ffffffffc0067000 t fn\t[mod]": 1 taken, 0 skipped, <0 bad. */
static int parse_map_line(struct ks_symtab *t, char *line, size_t len, uint64_t *ret_addr)
{
	uint64_t addr;
	size_t n = ks_parse_u64(line, len, 16, &addr), i;
	char *name, *module = NULL;

	if (n == 0 || n > 16 || n + 3 > len || line[n] != ' ' || line[n + 2] != ' ')
		return -EINVAL;
	if (!is_text_type(line[n + 1]))
		return 0;
	name = line + n + 3;
	for (i = n + 3; i < len && line[i] != '\t' && line[i] != ' '; i++)
		;
	if (i < len) {
		line[i] = '\0';
		module = line + i + 1;
		while (*module == ' ' || *module == '\t')
			module++;
		if (*module == '[' && module[strlen(module) - 1] == ']') {
			module++;
			module[strlen(module) - 1] = '\0';
		} else {
			module = NULL;
		}
	}
	if (!*name)
		return -EINVAL;
	*ret_addr = addr;
	return ks_symtab_add(t, addr, 0, 0, line[n + 1] == 'W' || line[n + 1] == 'w', name, module && *module ? module : NULL) < 0 ? -ENOMEM : 1;
}

static int load_map_lines(FILE *f, struct ks_symtab *t, char *err, size_t errlen)
{
	char line[MAP_LINE_MAX];
	unsigned long lineno = 0;
	uint64_t nonzero = 0;

	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		uint64_t addr = 0;
		int r;

		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f)) {
			snprintf(err, errlen, "line %lu is too long for a symbol map", lineno);
			return -EINVAL;
		}
		r = parse_map_line(t, line, len, &addr);
		if (r == -EINVAL) {
			snprintf(err, errlen, "line %lu is not \"ADDRESS TYPE NAME\"", lineno);
			return r;
		}
		if (r < 0)
			return r;
		nonzero |= addr;
	}
	if (ferror(f))
		return -errno;
	if (t->n == 0) {
		snprintf(err, errlen, "no code symbols in it");
		return -EINVAL;
	}
	if (!nonzero) {
		snprintf(err, errlen, "every address is zero: read /proc/kallsyms as root "
				      "(kernel.kptr_restrict)");
		return -EINVAL;
	}
	return 0;
}

int ks_symtab_load_map(const char *path, struct ks_symtab **ret, char *err, size_t errlen)
{
	struct ks_symtab *t = NULL;
	FILE *f = fopen(path, "re");
	int r;

	err[0] = '\0';
	if (!f) {
		r = -errno;
		snprintf(err, errlen, "%s", strerror(-r));
		return r;
	}
	r = ks_symtab_new(&t);
	if (r == 0)
		r = load_map_lines(f, t, err, errlen);
	if (r == 0)
		r = ks_symtab_finish(t);
	fclose(f);
	if (r < 0) {
		if (!err[0])
			snprintf(err, errlen, "%s", strerror(-r));
		ks_symtab_free(t);
		return r;
	}
	*ret = t;
	return 0;
}
