// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ksplat/arena.h"

/* Chunks grow geometrically from a small first one: most reports are a few KiB. */
#define ARENA_FIRST_CHUNK 4096
#define ARENA_ALIGN 16

struct chunk {
	struct chunk *next;
	size_t size;
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct ks_arena {
	struct chunk *head;
	size_t cap;
	size_t total;
};

int ks_arena_new(size_t cap, struct ks_arena **ret)
{
	struct ks_arena *a = calloc(1, sizeof(*a));

	if (!a)
		return -ENOMEM;
	a->cap = cap;
	*ret = a;
	return 0;
}

void ks_arena_free(struct ks_arena *a)
{
	if (!a)
		return;
	for (struct chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void *ks_arena_alloc(struct ks_arena *a, size_t size)
{
	struct chunk *c = a->head;
	size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);

	if (need < size || need > a->cap - a->total)
		return NULL;
	if (!c || c->size - c->used < need) {
		size_t csize = c ? c->size * 2 : ARENA_FIRST_CHUNK;

		while (csize < need)
			csize *= 2;
		c = malloc(sizeof(*c) + csize);
		if (!c)
			return NULL;
		c->size = csize;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += need;
	a->total += need;
	memset(p, 0, size);
	return p;
}

char *ks_arena_strndup(struct ks_arena *a, const char *p, size_t len)
{
	char *s = len < SIZE_MAX ? ks_arena_alloc(a, len + 1) : NULL;

	if (!s)
		return NULL;
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

size_t ks_arena_used(const struct ks_arena *a)
{
	return a->total;
}
