/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_FUZZ_H
#define KSPLAT_FUZZ_H

/*
 * What the libFuzzer targets share: the pipeline as main.c wires it, built
 * once per process (the pattern sets are compiled once, as in a run) and fed
 * one input per call, with the per-input state made afresh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ksplat/render.h"
#include "ksplat/symbolize.h"

enum fuzz_source { FUZZ_FILE, FUZZ_KMSG };

struct fuzz_setup {
	enum fuzz_source source;
	const struct ks_sym_config *sym; /* NULL: no symbol files */
};

/* Abort (a finding) on a failure of the harness itself, never of the input. */
void fuzz_die(const char *what, int err);
/* A memory file holding @data, its /proc/self/fd path in @path; returns the fd. */
int fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t pathlen);
/* /dev/null, opened once: renderers write there. */
FILE *fuzz_null(void);
/* @data through source, envelope, assembler, symbolizer, analysis and a renderer. */
void fuzz_pipeline(const struct fuzz_setup *s, const uint8_t *data, size_t size);

#endif
