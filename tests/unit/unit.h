/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Common includes for the cmocka unit tests (cmocka 1.1 needs these first). */
#ifndef KSPLAT_TESTS_UNIT_H
#define KSPLAT_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#endif
