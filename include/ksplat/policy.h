/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef KSPLAT_POLICY_H
#define KSPLAT_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "ksplat/report.h"

/*
 * What CI makes of the findings: suppressions drop reports altogether; a
 * baseline names the signatures already known, which are still reported but
 * do not fail the run; --fail-on narrows what fails it to some kinds or
 * classes of kinds. With none of them, every report fails it (exit 1).
 */
struct ks_policy;

int ks_policy_new(struct ks_policy **ret);
void ks_policy_free(struct ks_policy *p);
/*
 * A suppressions file: per line "ks-SIGNATURE", or "function GLOB",
 * "lock GLOB", "kind GLOB" (fnmatch patterns); '#' starts a comment.
 * -EINVAL with "FILE:LINE: why" in @err for a line that is none of them.
 */
int ks_policy_load_suppressions(struct ks_policy *p, const char *path, char *err, size_t errlen);
/* A baseline (--write-baseline's output): the first word of each line is a signature. */
int ks_policy_load_baseline(struct ks_policy *p, const char *path, char *err, size_t errlen);
/* "KIND,KIND,CLASS": kinds by name, classes deadlock, atomic, crash, lockdep, warning. */
int ks_policy_set_fail_on(struct ks_policy *p, const char *list, char *err, size_t errlen);

bool ks_policy_suppressed(const struct ks_policy *p, const struct ks_report *r);
bool ks_policy_known(const struct ks_policy *p, const struct ks_report *r);
/* Counts for the exit status: not in the baseline, and of a kind --fail-on names (if given). */
bool ks_policy_fails(const struct ks_policy *p, const struct ks_report *r);

/*
 * --write-baseline: remember @r's signature (with its kind, function and lock
 * for the reader), at most @max distinct ones; write them, sorted, to @path.
 */
int ks_policy_note(struct ks_policy *p, const struct ks_report *r, size_t max);
int ks_policy_write_baseline(const struct ks_policy *p, const char *path, char *err, size_t errlen);

/* The classes and their kinds, for the help and the man page. */
const char *ks_policy_class_kinds(const char *class_name);

#endif
