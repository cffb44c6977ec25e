// SPDX-License-Identifier: GPL-2.0-or-later
/* Source lines from --srcdir: found by trailing path, never outside the tree. */
#include "unit.h"

#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ksplat/srcline.h"

struct tree {
	char root[64];    /* the tree given as --srcdir */
	char outside[80]; /* a file next to it, not in it */
};

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	char path[PATH_MAX];

	snprintf(t->root, sizeof(t->root), "/tmp/ksplat-src-XXXXXX");
	if (!mkdtemp(t->root))
		return -1;
	snprintf(path, sizeof(path), "%s/mm", t->root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/mm/slub.c", t->root);
	put_file(path, "line one\n\tp = kmalloc(1024, GFP_KERNEL);\n  \tspin_lock(&l);\tx();\nlast");
	snprintf(t->outside, sizeof(t->outside), "%s-secret", t->root);
	put_file(t->outside, "secret\n");
	/* A link inside the tree that points out of it. */
	snprintf(path, sizeof(path), "%s/mm/leak.c", t->root);
	if (symlink(t->outside, path) < 0)
		return -1;
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/mm/leak.c", t->root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/mm/slub.c", t->root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/mm", t->root);
	rmdir(path);
	rmdir(t->root);
	unlink(t->outside);
	free(t);
	return 0;
}

static void test_found_by_trailing_path(void **state)
{
	struct tree *t = *state;
	struct ks_srcdir *d = NULL;
	char buf[128];

	assert_int_equal(ks_srcdir_new(t->root, &d), 0);
	/* The build machine's prefix is dropped until the rest exists in the tree. */
	assert_int_equal(ks_srcdir_line(d, "/usr/src/linux-6.1/mm/slub.c", 2, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "p = kmalloc(1024, GFP_KERNEL);");
	/* Indentation dropped, inner tabs shown as spaces. */
	assert_int_equal(ks_srcdir_line(d, "mm/slub.c", 3, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "spin_lock(&l); x();");
	/* A last line without a newline. */
	assert_int_equal(ks_srcdir_line(d, "mm/slub.c", 4, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "last");
	/* Past the end, line 0. */
	assert_int_equal(ks_srcdir_line(d, "mm/slub.c", 5, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(ks_srcdir_line(d, "mm/slub.c", 0, buf, sizeof(buf)), -ENOENT);
	/* Cut to the buffer. */
	assert_int_equal(ks_srcdir_line(d, "mm/slub.c", 2, buf, 6), 0);
	assert_string_equal(buf, "p = k");
	/* A bare file name of a longer path is too weak a match. */
	assert_int_equal(ks_srcdir_line(d, "/elsewhere/slub.c", 1, buf, sizeof(buf)), -ENOENT);
	ks_srcdir_free(d);
}

static void test_never_outside(void **state)
{
	struct tree *t = *state;
	struct ks_srcdir *d = NULL;
	char buf[128], path[PATH_MAX];
	const char *base = strrchr(t->outside, '/') + 1;

	assert_int_equal(ks_srcdir_new(t->root, &d), 0);
	/* "..", however it is spelt. */
	snprintf(path, sizeof(path), "../%s", base);
	assert_int_equal(ks_srcdir_line(d, path, 1, buf, sizeof(buf)), -ENOENT);
	snprintf(path, sizeof(path), "mm/../../%s", base);
	assert_int_equal(ks_srcdir_line(d, path, 1, buf, sizeof(buf)), -ENOENT);
	/* An absolute path to the file itself is only looked for inside the tree. */
	assert_int_equal(ks_srcdir_line(d, t->outside, 1, buf, sizeof(buf)), -ENOENT);
	/* A link in the tree that leads out of it. */
	assert_int_equal(ks_srcdir_line(d, "mm/leak.c", 1, buf, sizeof(buf)), -ENOENT);
	/* A directory is not a source file. */
	assert_int_equal(ks_srcdir_line(d, "mm", 1, buf, sizeof(buf)), -ENOENT);
	ks_srcdir_free(d);
}

static void test_bad_tree(void **state)
{
	struct tree *t = *state;
	struct ks_srcdir *d = NULL;

	assert_int_equal(ks_srcdir_new("/nonexistent/tree", &d), -ENOENT);
	assert_int_equal(ks_srcdir_new(t->outside, &d), -ENOTDIR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found_by_trailing_path),
		cmocka_unit_test(test_never_outside),
		cmocka_unit_test(test_bad_tree),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
