// SPDX-License-Identifier: GPL-2.0-or-later
/* Symbol tables: System.map and kallsyms files, lookups by address and name. */
#include "unit.h"

#include <errno.h>
#include <unistd.h>

#include "ksplat/symtab.h"

/* Writes @text to a temporary file; its path in @path (mkstemp template). */
static void write_file(char *path, const char *text)
{
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int load(const char *text, struct ks_symtab **t, char *err, size_t errlen)
{
	char path[] = "/tmp/ksplat-symtab-XXXXXX";
	int r;

	write_file(path, text);
	r = ks_symtab_load_map(path, t, err, errlen);
	unlink(path);
	return r;
}

static const char system_map[] =
	"0000000000000000 A fixed_percpu_data\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81000100 t helper\n"
	"ffffffff81000180 T do_work\n"
	"ffffffff81000200 D some_data\n"
	"ffffffff81000300 W weak_fn\n"
	"ffffffff81000400 t helper\n"
	"ffffffff81000480 T _etext\n";

static void test_system_map(void **state)
{
	struct ks_symtab *t = NULL;
	const struct ks_symbol *s;
	const struct ks_symbol *const *v;
	char err[128];
	size_t n;

	(void)state;
	assert_int_equal(load(system_map, &t, err, sizeof(err)), 0);
	/* Code only: A and D lines are not functions. */
	assert_int_equal(ks_symtab_count(t), 7);
	s = ks_symtab_by_addr(t, 0xffffffff810001a4);
	assert_non_null(s);
	assert_string_equal(s->name, "do_work");
	/* The distance to the next code symbol is what kallsyms prints as the size. */
	assert_int_equal(s->span, 0x180);
	assert_null(s->module);
	/* Aliases at one address: either name, never a wrong one. */
	s = ks_symtab_by_addr(t, 0xffffffff81000010);
	assert_non_null(s);
	assert_true(strcmp(s->name, "_text") == 0 || strcmp(s->name, "startup_64") == 0);
	/* Below the first symbol: nothing. */
	assert_null(ks_symtab_by_addr(t, 0xffffffff80ffffff));
	/* Two static functions share a name: both are returned, by address. */
	v = ks_symtab_by_name(t, "helper", &n);
	assert_int_equal(n, 2);
	assert_int_equal(v[0]->addr, 0xffffffff81000100);
	assert_int_equal(v[1]->addr, 0xffffffff81000400);
	assert_null(ks_symtab_by_name(t, "nope", &n));
	assert_int_equal(n, 0);
	ks_symtab_free(t);
}

static void test_last_symbol_bounded(void **state)
{
	struct ks_symtab *t = NULL;
	char err[128];

	(void)state;
	assert_int_equal(load(system_map, &t, err, sizeof(err)), 0);
	/* Nothing follows _etext: it covers 64 KiB, not the rest of the address space. */
	assert_non_null(ks_symtab_by_addr(t, 0xffffffff81000480 + 0xffff));
	assert_null(ks_symtab_by_addr(t, 0xffffffff81000480 + 0x10000));
	assert_null(ks_symtab_by_addr(t, UINT64_MAX));
	ks_symtab_free(t);
}

static void test_kallsyms_modules(void **state)
{
	struct ks_symtab *t = NULL;
	const struct ks_symbol *s;
	char err[128];

	(void)state;
	assert_int_equal(load("ffffffff89800000 T _text\n"
			      "ffffffffc00671ca t faulty_function\t[splatmod]\n"
			      "ffffffffc006721c t splat_process_takes_lock\t[splatmod]\n"
			      "ffffffffc0070000 t other_fn\t[other_mod]\n",
			      &t, err, sizeof(err)),
			 0);
	s = ks_symtab_by_addr(t, 0xffffffffc00671f1);
	assert_non_null(s);
	assert_string_equal(s->name, "faulty_function");
	assert_string_equal(s->module, "splatmod");
	assert_int_equal(s->span, 0x52);
	s = ks_symtab_by_addr(t, 0xffffffffc0070001);
	assert_string_equal(s->module, "other_mod");
	/* Past a module's last listed function (its freed .init.text): not that function. */
	assert_non_null(ks_symtab_by_addr(t, 0xffffffffc006721c + 0xfff));
	assert_null(ks_symtab_by_addr(t, 0xffffffffc006721c + 0x1000));
	ks_symtab_free(t);
}

static void test_aliases_as_kallsyms_orders_them(void **state)
{
	struct ks_symtab *t = NULL;
	char err[128];

	(void)state;
	/* The linker-script marker and the weak alias lose to the function, whatever the order. */
	assert_int_equal(load("ffffffff81a00000 T __sched_text_start\n"
			      "ffffffff81a00000 W weak_alias\n"
			      "ffffffff81a00000 t __schedule\n"
			      "ffffffff81a00800 T schedule\n",
			      &t, err, sizeof(err)),
			 0);
	assert_string_equal(ks_symtab_by_addr(t, 0xffffffff81a00010)->name, "__schedule");
	ks_symtab_free(t);
	/* Fewer leading underscores first. */
	assert_int_equal(load("ffffffff81000000 T __x64_sys_foo\n"
			      "ffffffff81000000 T x64_sys_foo\n"
			      "ffffffff81000100 T next\n",
			      &t, err, sizeof(err)),
			 0);
	assert_string_equal(ks_symtab_by_addr(t, 0xffffffff81000004)->name, "x64_sys_foo");
	ks_symtab_free(t);
}

static void test_bad_maps(void **state)
{
	struct ks_symtab *t = NULL;
	char err[128];

	(void)state;
	/* kallsyms read without CAP_SYSLOG: every address zero, nothing to learn. */
	assert_int_equal(load("0000000000000000 T _text\n0000000000000000 t foo\t[m]\n", &t, err,
			      sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "zero"));
	assert_int_equal(load("this is not a map\n", &t, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "line 1"));
	assert_int_equal(load("ffffffff81000000 D data_only\n", &t, err, sizeof(err)), -EINVAL);
	assert_int_equal(load("", &t, err, sizeof(err)), -EINVAL);
	assert_int_equal(ks_symtab_load_map("/nonexistent/System.map", &t, err, sizeof(err)), -ENOENT);
}

static void test_overlong_line(void **state)
{
	struct ks_symtab *t = NULL;
	char err[128], *text = malloc(5000);

	(void)state;
	assert_non_null(text);
	memset(text, 'a', 4999);
	memcpy(text, "ffffffff81000000 T ", 19);
	text[4999] = '\0';
	assert_int_equal(load(text, &t, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "too long"));
	free(text);
}

static void test_elf_sizes_and_sections(void **state)
{
	struct ks_symtab *t = NULL;
	const struct ks_symbol *s;

	(void)state;
	assert_int_equal(ks_symtab_new(&t), 0);
	/* Two sections: the last symbol of each runs to its section's end at run time. */
	assert_int_equal(ks_symtab_add(t, 0x1000, 0x40, 1, false, "a", NULL), 0);
	assert_int_equal(ks_symtab_add(t, 0x1050, 0x20, 1, false, "b", NULL), 0);
	assert_int_equal(ks_symtab_add(t, 0x2000, 0x30, 2, false, "init_fn", NULL), 0);
	assert_int_equal(ks_symtab_finish(t), 0);
	s = ks_symtab_by_addr(t, 0x1041);
	/* Within the span to "b" but past a's size + 1: padding, not a. */
	assert_null(s);
	s = ks_symtab_by_addr(t, 0x1040);
	assert_non_null(s); /* a call as a's last instruction returns here */
	assert_string_equal(s->name, "a");
	assert_false(s->last);
	s = ks_symtab_by_addr(t, 0x1050);
	assert_true(s->last);
	assert_true(ks_symtab_by_addr(t, 0x2000)->last);
	ks_symtab_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_system_map),
		cmocka_unit_test(test_last_symbol_bounded),
		cmocka_unit_test(test_kallsyms_modules),
		cmocka_unit_test(test_aliases_as_kallsyms_orders_them),
		cmocka_unit_test(test_bad_maps),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_elf_sizes_and_sections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
