/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_SYMBOLIZE_H
#define KSPLAT_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "ksplat/report.h"

/*
 * Frames to functions and file:line, offline. Symbol files are opened when a
 * report first needs them, each with its own libdwfl session; their symbol
 * tables are indexed once.
 *
 * - A frame printed as "func+off" is found by name, so KASLR and module load
 *   addresses do not matter. A return address is looked up at addr - 1 (the
 *   call), an exact PC at itself.
 * - A frame with only an address is named through --kallsyms (runtime
 *   addresses), or through the link-time symbols once the kernel offset is
 *   known ("Kernel Offset:" lines, or frames that print an address and a
 *   name) and, for modules, their load addresses learnt the same way.
 * - A file of another build never gives a line: the build ids the log prints
 *   must match, and so must the function sizes it prints.
 */
struct ks_sym;

struct ks_sym_config {
	const char *vmlinux;     /* ELF with DWARF, or NULL */
	const char *modules_dir; /* searched recursively for NAME.ko[.debug|.xz|.gz|.zst], or NULL */
	const char *system_map;  /* link-time names, function level only */
	const char *kallsyms;    /* a saved /proc/kallsyms: runtime names */
	const char *srcdir;      /* the kernel tree, for source lines */
	bool debuginfod;         /* fetch files by build id (DEBUGINFOD_URLS) */
	/*
	 * The running kernel's release: its files (/usr/lib/debug/boot/vmlinux-R,
	 * /boot/System.map-R, /lib/modules/R...) serve logs of that release. NULL: never.
	 */
	const char *host_release;
	const char *host_root;   /* where those paths start; NULL for / */
	/* Something the user should know (another build, a missing module); may be NULL. */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
};

/* Files named in @cfg are checked now; -errno with ks_sym_error() when one is unusable. */
int ks_sym_new(const struct ks_sym_config *cfg, struct ks_sym **ret);
void ks_sym_free(struct ks_sym *s);
const char *ks_sym_error(const struct ks_sym *s);
/*
 * A log line outside any report: "Kernel Offset: 0x... from 0x..." sets the
 * kernel offset for the reports of input @source that follow.
 */
void ks_sym_note_line(struct ks_sym *s, uint32_t source, const char *line, size_t len);
/* Name raw frames and fill file:line and inline chains of @r (strings in its arena). */
void ks_sym_resolve_report(struct ks_sym *s, struct ks_report *r);
/* After analysis: the source text of the culprit and lock sites (--srcdir). */
void ks_sym_add_source(struct ks_sym *s, struct ks_report *r);

#endif
