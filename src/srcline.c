// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ksplat/srcline.h"
#include "ksplat/util.h"

/* Paths recently asked for and where they were found: reports repeat their files. */
#define SRC_CACHE 16

struct src_cache {
	char *path;  /* as DWARF gave it */
	char *found; /* inside the tree, NULL when not there */
};

struct ks_srcdir {
	char *root; /* realpath of the tree */
	size_t root_len;
	struct src_cache cache[SRC_CACHE];
	unsigned next; /* round-robin victim */
};

int ks_srcdir_new(const char *dir, struct ks_srcdir **ret)
{
	struct ks_srcdir *d = calloc(1, sizeof(*d));
	struct stat st;

	if (!d)
		return -ENOMEM;
	d->root = realpath(dir, NULL);
	if (!d->root || stat(d->root, &st) < 0 || !S_ISDIR(st.st_mode)) {
		int r = d->root ? -ENOTDIR : -errno;

		ks_srcdir_free(d);
		return r;
	}
	d->root_len = strlen(d->root);
	*ret = d;
	return 0;
}

void ks_srcdir_free(struct ks_srcdir *d)
{
	if (!d)
		return;
	for (unsigned i = 0; i < SRC_CACHE; i++) {
		free(d->cache[i].path);
		free(d->cache[i].found);
	}
	free(d->root);
	free(d);
}

/* "..", and so anything that could climb out of the tree, is refused outright. */
static bool has_dotdot(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return true;
	return false;
}

/* realpath of root/rel if it is a regular file inside the tree, else NULL. */
static char *inside(const struct ks_srcdir *d, const char *rel)
{
	char candidate[PATH_MAX], *real;
	struct stat st;

	if (snprintf(candidate, sizeof(candidate), "%s/%s", d->root, rel) >= (int)sizeof(candidate))
		return NULL;
	real = realpath(candidate, NULL);
	if (!real)
		return NULL;
	if (strncmp(real, d->root, d->root_len) != 0 || real[d->root_len] != '/' ||
	    stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
		free(real);
		return NULL;
	}
	return real;
}

/*
 * The longest trailing part of @path that exists under the tree:
 * "/usr/src/ksplat-rig/splatmod/splatmod.c" -> "splatmod/splatmod.c". A bare
 * file name alone is too weak a match unless that is all DWARF gave.
 */
static char *locate(const struct ks_srcdir *d, const char *path)
{
	const char *start = path, *p;

	if (has_dotdot(path))
		return NULL;
	while (*start == '/')
		start++;
	for (p = start; *p;) {
		const char *slash = strchr(p, '/');
		char *found;

		if (!slash && p != start)
			return NULL;
		if ((found = inside(d, p)))
			return found;
		if (!slash)
			return NULL;
		p = slash + 1;
	}
	return NULL;
}

static const char *cached_locate(struct ks_srcdir *d, const char *path)
{
	struct src_cache *c;

	for (unsigned i = 0; i < SRC_CACHE; i++)
		if (d->cache[i].path && strcmp(d->cache[i].path, path) == 0)
			return d->cache[i].found;
	c = &d->cache[d->next++ % SRC_CACHE];
	free(c->path);
	free(c->found);
	c->path = strdup(path);
	c->found = c->path ? locate(d, path) : NULL;
	return c->found;
}

int ks_srcdir_line(struct ks_srcdir *d, const char *path, uint32_t line, char *buf, size_t size)
{
	const char *found = cached_locate(d, path);
	FILE *f;
	char chunk[4096];
	uint32_t at = 1;
	bool whole = true; /* the chunk read ends a line */
	int r = -ENOENT;

	if (!found || line == 0 || size == 0 || !(f = fopen(found, "re")))
		return -ENOENT;
	while (fgets(chunk, sizeof(chunk), f)) {
		size_t n = strlen(chunk);
		bool ends = n && chunk[n - 1] == '\n';

		if (at == line && whole) {
			const char *text = chunk + strspn(chunk, " \t");

			if (ends)
				chunk[--n] = '\0';
			snprintf(buf, size, "%s", text);
			for (char *t = buf; (t = strchr(t, '\t')); t++)
				*t = ' ';
			r = 0;
			break;
		}
		whole = ends;
		if (ends)
			at++;
	}
	fclose(f);
	return r;
}
