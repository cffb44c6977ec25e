// SPDX-License-Identifier: GPL-2.0-or-later
/* Small helpers: display paths, compiler suffixes, UTF-8. */
#include "unit.h"

#include "ksplat/util.h"

static void test_path_display(void **state)
{
	(void)state;
	assert_string_equal(ks_path_display("/usr/src/ksplat-rig/splatmod/splatmod.c"), "splatmod/splatmod.c");
	assert_string_equal(ks_path_display("/usr/src/ksplat-rig/linux-source-6.1/include/linux/slab.h"),
			    "include/linux/slab.h");
	assert_string_equal(ks_path_display("/usr/src/linux-6.1/mm/slub.c"), "mm/slub.c");
	/* Anything else, or a prefix with nothing after it, stays as DWARF gave it. */
	assert_string_equal(ks_path_display("/home/me/linux/mm/slub.c"), "/home/me/linux/mm/slub.c");
	assert_string_equal(ks_path_display("mm/slub.c"), "mm/slub.c");
	assert_string_equal(ks_path_display("/usr/src/"), "/usr/src/");
	assert_string_equal(ks_path_display("/usr/src/tree"), "/usr/src/tree");
	assert_string_equal(ks_path_display("/usr/src/tree/linux-x/"), "linux-x/");
}

static void test_func_base_len(void **state)
{
	(void)state;
	assert_int_equal(ks_func_base_len("slab_pre_alloc_hook.constprop.0", 31), 19);
	assert_int_equal(ks_func_base_len("__might_resched.cold", 20), 15);
	assert_int_equal(ks_func_base_len("foo.isra.0.cold", 15), 3);
	assert_int_equal(ks_func_base_len(".cold", 5), 5); /* a name is never empty */
	assert_int_equal(ks_func_base_len("a.b", 3), 3);
}

static void test_utf8_decode(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(ks_utf8_decode((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(ks_utf8_decode((const unsigned char *)"\xc0\xaf", 2, &cp), 0);     /* overlong */
	assert_int_equal(ks_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0); /* surrogate */
	assert_int_equal(ks_utf8_decode((const unsigned char *)"\xe2\x82", 2, &cp), 0);     /* cut */
	assert_int_equal(ks_utf8_decode((const unsigned char *)"\xff", 1, &cp), 0);
	assert_int_equal(ks_utf8_decode((const unsigned char *)"", 0, &cp), 0);
}

/* The word-at-a-time count agrees with a byte loop at every length and alignment. */
static void test_count_byte(void **state)
{
	char buf[80];
	uint32_t seed = 1;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245 + 12345;
		/* Mostly '\n', 0x8a (same low bits), 0x0b and 0xff: near misses for the bit trick. */
		buf[i] = "\n\x8a\x0b\xff\n"[(seed >> 16) % 5];
	}
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; off + len <= sizeof(buf); len++) {
			size_t want = 0;

			for (size_t i = off; i < off + len; i++)
				want += buf[i] == '\n';
			assert_int_equal(ks_count_byte(buf + off, len, '\n'), want);
		}
	assert_int_equal(ks_count_byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff", 9, '\xff'), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_display),
		cmocka_unit_test(test_func_base_len),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_count_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
