/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_SYMBOLIZE_H
#define KSPLAT_SYMBOLIZE_H

#include "ksplat/report.h"

/*
 * Frames to file:line with elfutils' libdwfl, offline: vmlinux and the
 * modules' .ko files, each symbol table indexed once. A frame printed as
 * "func+off" is found by name, so KASLR and module load addresses do not
 * matter; a return address is looked up at addr - 1 (the call), an exact PC
 * at itself.
 */
struct ks_sym;

/* @vmlinux may be NULL; @modules_dir (searched recursively for *.ko) may be NULL. */
int ks_sym_open(const char *vmlinux, const char *modules_dir, struct ks_sym **ret);
void ks_sym_free(struct ks_sym *s);
/* The last libdwfl error of ks_sym_open(), for the message. */
const char *ks_sym_error(const struct ks_sym *s);
/* Fill file/line of every frame of @r that can be resolved (strings in @r's arena). */
void ks_sym_resolve_report(struct ks_sym *s, struct ks_report *r);

#endif
