/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_SRCLINE_H
#define KSPLAT_SRCLINE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Source lines from the user's kernel tree (--srcdir). A path DWARF gives,
 * "/usr/src/linux-6.1/mm/slub.c" or "mm/slub.c", is looked for under the tree
 * by its trailing components; whatever it names, the file opened is inside
 * the tree (".." is refused, links are resolved and checked).
 */
struct ks_srcdir;

int ks_srcdir_new(const char *dir, struct ks_srcdir **ret);
void ks_srcdir_free(struct ks_srcdir *d);
/*
 * Line @line of @path in @buf (cut to @size - 1 bytes), as it reads on a
 * screen: without its indentation and newline, tabs as spaces.
 * 0 on success; -ENOENT when the tree has no such file or line.
 */
int ks_srcdir_line(struct ks_srcdir *d, const char *path, uint32_t line, char *buf, size_t size);

#endif
