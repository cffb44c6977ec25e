// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Output of untrusted text: ks_put_escaped() for terminals (controls, C1,
 * invalid UTF-8 and backslash as \xNN, valid UTF-8 kept), and JSON that
 * stays valid and escaped for a report whose task name and lock name hold
 * quotes, backslashes, newlines, escape sequences and invalid UTF-8.
 */
#include "unit.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "ksplat/analyze.h"
#include "ksplat/assemble.h"
#include "ksplat/detect.h"
#include "ksplat/envelope.h"
#include "ksplat/jsonw.h"
#include "ksplat/render.h"
#include "ksplat/report.h"
#include "ksplat/syztitle.h"
#include "ksplat/util.h"

#define SEC UINT64_C(1000000000)

/* What ks_put_escaped() writes for s[0..len), NUL-terminated (free it). */
static char *escaped(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	assert_non_null(f);
	ks_put_escaped(f, s, len);
	assert_int_equal(fclose(f), 0);
	assert_non_null(buf);
	return buf;
}

static void assert_escaped(const char *s, size_t len, const char *want)
{
	char *got = escaped(s, len);

	assert_string_equal(got, want);
	free(got);
}

#define ESC(lit, want) assert_escaped((lit), sizeof(lit) - 1, (want))

static void test_escape_controls(void **state)
{
	(void)state;
	ESC("\x1b[31mred", "\\x1b[31mred");
	ESC("\a", "\\x07");
	ESC("\b", "\\x08");
	ESC("a\tb\nc\rd", "a\\x09b\\x0ac\\x0dd");
	ESC("\x7f", "\\x7f");
	ESC("a\0b", "a\\x00b");
	ESC("\x1b]0;title\a", "\\x1b]0;title\\x07");
}

static void test_escape_c1_and_invalid_utf8(void **state)
{
	(void)state;
	/* CSI as a lone byte (invalid UTF-8) and as the encoded C1 control U+009B. */
	ESC("\x9b", "\\x9b");
	ESC("a\x9b" "2Jb", "a\\x9b2Jb");
	ESC("\xc2\x9b", "\\xc2\\x9b");
	ESC("\xc2\x80", "\\xc2\\x80");
	ESC("\xff\xfe", "\\xff\\xfe");
	/* Overlong, surrogate, beyond U+10FFFF, truncated at the end. */
	ESC("\xc0\xaf", "\\xc0\\xaf");
	ESC("\xed\xa0\x80", "\\xed\\xa0\\x80");
	ESC("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	ESC("x\xe2\x82", "x\\xe2\\x82");
	/* A bad continuation: the lead byte goes, the ASCII after it stays. */
	ESC("\xc3(", "\\xc3(");
}

/* Characters that reorder or hide text on a terminal are shown, not obeyed. */
static void test_escape_deceptive_format(void **state)
{
	(void)state;
	ESC("ab\xe2\x80\xae" "cd", "ab\\xe2\\x80\\xae" "cd"); /* U+202E right-to-left override */
	ESC("a\xe2\x81\xa6" "z", "a\\xe2\\x81\\xa6" "z");     /* U+2066 left-to-right isolate */
	ESC("a\xe2\x80\x8b" "z", "a\\xe2\\x80\\x8b" "z");     /* U+200B zero width space */
	ESC("a\xe2\x80\xa8" "z", "a\\xe2\\x80\\xa8" "z");     /* U+2028 line separator */
	ESC("\xef\xbb\xbf" "x", "\\xef\\xbb\\xbf" "x");       /* U+FEFF */
	/* Their neighbours are ordinary text. */
	ESC("\xe2\x80\x94", "\xe2\x80\x94"); /* U+2014 em dash */
	ESC("\xe2\x80\xb0", "\xe2\x80\xb0"); /* U+2030 per mille */
}

static void test_escape_backslash(void **state)
{
	(void)state;
	ESC("\\", "\\x5c");
	ESC("a\\x1b", "a\\x5cx1b");
}

static void test_escape_keeps_text(void **state)
{
	(void)state;
	ESC("Hello, world! ~{}[]()<>'\"", "Hello, world! ~{}[]()<>'\"");
	ESC("caf\xc3\xa9", "caf\xc3\xa9");                  /* é */
	ESC("\xe2\x82\xac 5", "\xe2\x82\xac 5");            /* € */
	ESC("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");        /* U+1F600 */
	ESC("\xc2\xa0", "\xc2\xa0");                        /* no-break space, past the C1 range */
	ESC("", "");
	/* Only @len bytes count. */
	assert_escaped("abc\x1b", 3, "abc");
}

/*
 * A minimal JSON checker (RFC 8259): one value, strings with valid escapes,
 * no raw control bytes and only valid UTF-8.
 */
struct jp {
	const unsigned char *p, *end;
	int depth;
};

static void j_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool j_lit(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return false;
	j->p += n;
	return true;
}

static bool j_digits(struct jp *j)
{
	const unsigned char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s;
}

static bool j_number(struct jp *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!j_digits(j))
		return false;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!j_digits(j))
			return false;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!j_digits(j))
			return false;
	}
	return true;
}

static bool j_string(struct jp *j)
{
	if (j->p >= j->end || *j->p != '"')
		return false;
	j->p++;
	while (j->p < j->end) {
		unsigned char c = *j->p;
		uint32_t cp;
		size_t n;

		if (c == '"') {
			j->p++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (++j->p >= j->end)
				return false;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (j->p + i >= j->end || !strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
						return false;
				j->p += 5;
			} else if (strchr("\"\\/bfnrt", *j->p) && *j->p) {
				j->p++;
			} else {
				return false;
			}
			continue;
		}
		n = ks_utf8_decode(j->p, (size_t)(j->end - j->p), &cp);
		if (n == 0)
			return false;
		j->p += n;
	}
	return false;
}

static bool j_value(struct jp *j);

static bool j_container(struct jp *j, char open, char close, bool keyed)
{
	if (j->p >= j->end || *j->p != open || ++j->depth > 64)
		return false;
	j->p++;
	j_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		j_ws(j);
		if (keyed) {
			if (!j_string(j))
				return false;
			j_ws(j);
			if (j->p >= j->end || *j->p != ':')
				return false;
			j->p++;
		}
		if (!j_value(j))
			return false;
		j_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			j->depth--;
			return true;
		}
		return false;
	}
}

static bool j_value(struct jp *j)
{
	j_ws(j);
	if (j->p >= j->end)
		return false;
	switch (*j->p) {
	case '{':
		return j_container(j, '{', '}', true);
	case '[':
		return j_container(j, '[', ']', false);
	case '"':
		return j_string(j);
	case 't':
		return j_lit(j, "true");
	case 'f':
		return j_lit(j, "false");
	case 'n':
		return j_lit(j, "null");
	default:
		return j_number(j);
	}
}

static bool json_valid(const char *s, size_t len)
{
	struct jp j = { (const unsigned char *)s, (const unsigned char *)s + len, 0 };

	if (!j_value(&j))
		return false;
	j_ws(&j);
	return j.p == j.end;
}

static void test_json_checker(void **state)
{
	static const char *const good[] = {
		"{}", "[]", "{\"a\":[1,-2.5e3,true,false,null,\"\\u001b\\\"\\\\\\n\"]}", " 0 ",
		"\"caf\xc3\xa9\"",
	};
	static const char *const bad[] = {
		"{", "{\"a\"}", "[1,]", "\"\x1b\"", "\"\\x1b\"", "\"\xff\"", "{\"a\":1}x", "01", "\"a\nb\"", "",
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(good); i++)
		assert_true(json_valid(good[i], strlen(good[i])));
	for (size_t i = 0; i < KS_ARRAY_SIZE(bad); i++)
		assert_false(json_valid(bad[i], strlen(bad[i])));
}

/* A kmalloc-under-spinlock report whose task and lock names are hostile. */
static const char *const hostile_report[] = {
	"BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274",
	"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 39, name: a\"b\\c\nd\x1b[0m\xff\xfe",
	"preempt_count: 1, expected: 0",
	"RCU nest depth: 0, expected: 0",
	"1 lock held by insmod/39:",
	" #0: ffffffffc00026b8 (my\"lock\\x){+.+.}-{3:3}, at: faulty_function+0xd/0x4c [splatmod]",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x4c/0x5f",
	" __might_resched+0x250/0x273",
	" kmalloc_trace+0x1f/0x49",
	" faulty_function+0x23/0x4c [splatmod]",
	" splat_init+0xd7/0x1000 [splatmod]",
	" do_one_initcall+0xa2/0x1bd",
	" </TASK>",
};

static const char *const inputs[] = { "in\x1b\".log" };

struct fx {
	struct ks_report *r; /* analysed, owned until handed to a dedup */
};

static int setup(void **state)
{
	struct ks_assemble_limits lim = {
		.max_open = 32, .max_lines = 1000, .arena_cap = 256 * 1024, .gap_ns = 10 * SEC,
	};
	struct ks_detect *det = NULL;
	struct ks_assemble *as = NULL;
	struct ks_syz *syz = NULL;
	struct fx *f = calloc(1, sizeof(*f));
	int err = -1;

	if (!f || ks_detect_new(&det) < 0 || ks_assemble_new(&lim, det, &as) < 0 || ks_syz_new(&syz) < 0)
		goto out;
	for (size_t i = 0; i < KS_ARRAY_SIZE(hostile_report); i++) {
		struct ks_line l;

		memset(&l, 0, sizeof(l));
		l.text = hostile_report[i];
		l.len = strlen(hostile_report[i]);
		l.ts_ns = SEC + i * 1000;
		l.caller = 39;
		l.caller_type = KS_CALLER_TASK;
		l.level = -1;
		l.lineno = i + 1;
		if (ks_assemble_feed(as, &l, 0, inputs[0]) < 0)
			goto out;
	}
	ks_assemble_flush(as);
	f->r = ks_assemble_pop(as);
	if (!f->r || ks_assemble_pop(as) || ks_analyze_report(syz, f->r) < 0)
		goto out;
	*state = f;
	err = 0;
out:
	ks_syz_free(syz);
	ks_assemble_free(as);
	ks_detect_free(det);
	if (err < 0) {
		if (f)
			ks_report_free(f->r);
		free(f);
	}
	return err;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	ks_report_free(f->r);
	free(f);
	return 0;
}

/* Render with @format: one report (streaming) or the summary of a dedup holding it. */
static char *render_wide(struct fx *f, enum ks_format format, bool color, const char *srcdir,
			 unsigned width, size_t *ret_len)
{
	struct ks_render_opts o = {
		.format = format, .color = color, .version = "0.1.0", .inputs = inputs, .ninputs = 1,
		.srcdir = srcdir, .width = width,
	};
	struct ks_render *rd;
	struct ks_dedup *dd;
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);

	assert_non_null(out);
	assert_int_equal(ks_render_new(&o, out, &rd), 0);
	if (ks_render_is_streaming(rd)) {
		ks_render_report(rd, f->r);
	} else {
		assert_int_equal(ks_dedup_new(16, &dd), 0);
		assert_int_equal(ks_dedup_add(dd, f->r), 0);
		f->r = NULL; /* the dedup owns it now */
		ks_render_summary(rd, dd);
		ks_dedup_free(dd);
	}
	ks_render_free(rd);
	assert_int_equal(fclose(out), 0);
	assert_non_null(buf);
	*ret_len = n;
	return buf;
}

static char *render_in(struct fx *f, enum ks_format format, bool color, const char *srcdir,
		       size_t *ret_len)
{
	return render_wide(f, format, color, srcdir, 0, ret_len);
}

static char *render(struct fx *f, enum ks_format format, bool color, size_t *ret_len)
{
	return render_in(f, format, color, NULL, ret_len);
}

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle)) {
		print_error("missing %s\n", needle);
		fail();
	}
}

static void test_report_fields(void **state)
{
	struct fx *f = *state;

	/* The hostile names reached the report as printed. */
	assert_string_equal(f->r->comm, "a\"b\\c\nd\x1b[0m\xff\xfe");
	assert_int_equal(f->r->held.n, 1);
	assert_string_equal(f->r->held.v[0].name, "my\"lock\\x");
	assert_non_null(f->r->a.culprit);
	assert_string_equal(f->r->a.culprit->func, "faulty_function");
	assert_ptr_equal(f->r->a.lock, &f->r->held.v[0]);
}

static void test_json_escapes(void **state)
{
	size_t len;
	char *out = render(*state, KS_FORMAT_JSON, false, &len);

	assert_true(json_valid(out, len));
	assert_int_equal(strlen(out), len); /* no NUL inside */
	assert_int_equal(out[len - 1], '\n');
	assert_null(memchr(out, '\x1b', len));
	assert_null(strchr(out, '\xff'));
	assert_null(memchr(out, '\n', len - 1));
	assert_contains(out, "\"comm\":\"a\\\"b\\\\c\\nd\\u001b[0m\\u00ff\\u00fe\"");
	assert_contains(out, "\"name\":\"my\\\"lock\\\\x\"");
	assert_contains(out, "\"lock\":\"my\\\"lock\\\\x\"");
	assert_contains(out, "\"inputs\":[\"in\\u001b\\\".log\"]");
	assert_contains(out, "\"input\":\"in\\u001b\\\".log\"");
	/* The report's own line, escaped the same way. */
	assert_contains(out, "name: a\\\"b\\\\c\\nd\\u001b[0m\\u00ff\\u00fe\"");
	assert_contains(out, "\"kind\":\"sleep-in-atomic\"");
	assert_contains(out, "\"function\":\"faulty_function\"");
	assert_contains(out, "\"callee_api\":\"kmalloc\"");
	assert_contains(out, "\"cause\":\"spinlock\"");
	assert_contains(out, "\"pid\":39");
	assert_contains(out, "\"total\":1");
	assert_contains(out, "\"distinct\":1");
	assert_contains(out, "\"rank\":1");
	assert_contains(out, "\"count\":1");
	assert_contains(out, "\"time\":1.000000");
	free(out);
}

/* What ks_jsonw_strn() writes for s[0..len), NUL-terminated (free it). */
static char *json_string(const char *s, size_t len)
{
	struct ks_jsonw w;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	assert_non_null(f);
	ks_jsonw_init(&w, f);
	ks_jsonw_strn(&w, NULL, s, len);
	assert_int_equal(fclose(f), 0);
	return buf;
}

#define JSON_STR(lit, want)                                              \
	do {                                                             \
		char *got_ = json_string((lit), sizeof(lit) - 1);        \
		assert_string_equal(got_, (want));                       \
		free(got_);                                              \
	} while (0)

/* Valid UTF-8 that a pager would obey is escaped in JSON too; other text stays as it is. */
static void test_json_unsafe_unicode(void **state)
{
	(void)state;
	JSON_STR("a\xc2\x9b" "2Jb", "\"a\\u009b2Jb\"");             /* C1 CSI */
	JSON_STR("x\xe2\x80\xae" "y", "\"x\\u202ey\"");             /* right-to-left override */
	JSON_STR("\xe2\x80\xa8", "\"\\u2028\"");                    /* line separator */
	JSON_STR("ins\xc3\xbcmod \xe2\x80\x94", "\"ins\xc3\xbcmod \xe2\x80\x94\"");
	JSON_STR("\xff" "a\x1b", "\"\\u00ff" "a\\u001b\"");
}

static void test_jsonl_one_line(void **state)
{
	size_t len;
	char *out = render(*state, KS_FORMAT_JSONL, false, &len);

	assert_true(len > 2);
	assert_int_equal(out[len - 1], '\n');
	assert_null(memchr(out, '\n', len - 1));
	assert_true(json_valid(out, len - 1));
	assert_null(memchr(out, '\x1b', len));
	assert_contains(out, "\"comm\":\"a\\\"b\\\\c\\nd\\u001b[0m\\u00ff\\u00fe\"");
	/* A streamed report has no rank. */
	assert_null(strstr(out, "\"rank\":"));
	free(out);
}

static void test_text_escapes(void **state)
{
	size_t len;
	char *out = render(*state, KS_FORMAT_TEXT, false, &len);

	/* No byte of the hostile names reaches the terminal raw. */
	assert_null(memchr(out, '\x1b', len));
	assert_null(memchr(out, '\xff', len));
	assert_null(memchr(out, '\xfe', len));
	assert_contains(out, "a\"b\\x5cc\\x0ad\\x1b[0m\\xff\\xfe");
	assert_contains(out, "my\"lock\\x5cx");
	assert_contains(out, "in\\x1b\".log");
	assert_contains(out, "faulty_function");
	free(out);
}

static void test_text_color_keeps_escapes(void **state)
{
	size_t len;
	char *out = render(*state, KS_FORMAT_TEXT, true, &len);

	/* The colors are ksplat's own; the task name's escape stays escaped. */
	assert_non_null(memchr(out, '\x1b', len));
	assert_contains(out, "a\"b\\x5cc\\x0ad\\x1b[0m\\xff\\xfe");
	assert_null(memchr(out, '\xff', len));
	free(out);
}

static void test_json_never_colored(void **state)
{
	size_t len;
	char *out = render(*state, KS_FORMAT_JSON, true, &len);

	assert_null(memchr(out, '\x1b', len));
	assert_true(json_valid(out, len));
	free(out);
}

static void test_empty_summaries(void **state)
{
	struct ks_render_opts o = { .format = KS_FORMAT_JSON, .version = "0.1.0", .inputs = inputs, .ninputs = 1 };
	struct ks_render *rd;
	struct ks_dedup *dd;
	char *buf = NULL;
	size_t n = 0;
	FILE *out;

	(void)state;
	assert_int_equal(ks_dedup_new(16, &dd), 0);
	out = open_memstream(&buf, &n);
	assert_non_null(out);
	assert_int_equal(ks_render_new(&o, out, &rd), 0);
	assert_false(ks_render_is_streaming(rd));
	ks_render_summary(rd, dd);
	ks_render_free(rd);
	fclose(out);
	assert_true(json_valid(buf, n));
	assert_contains(buf, "\"total\":0");
	assert_contains(buf, "\"reports\":[]");
	free(buf);

	o.format = KS_FORMAT_TEXT;
	buf = NULL;
	out = open_memstream(&buf, &n);
	assert_non_null(out);
	assert_int_equal(ks_render_new(&o, out, &rd), 0);
	ks_render_summary(rd, dd);
	ks_render_free(rd);
	fclose(out);
	assert_string_equal(buf, "ksplat: no kernel reports found\n");
	free(buf);
	ks_dedup_free(dd);
}

static void test_format_names(void **state)
{
	struct ks_render_opts o = { .format = _KS_FORMAT_INVALID };
	struct ks_render *rd = NULL;

	(void)state;
	assert_int_equal(ks_format_by_name("text"), KS_FORMAT_TEXT);
	assert_int_equal(ks_format_by_name("json"), KS_FORMAT_JSON);
	assert_int_equal(ks_format_by_name("jsonl"), KS_FORMAT_JSONL);
	assert_int_equal(ks_format_by_name("xml"), _KS_FORMAT_INVALID);
	assert_int_equal(ks_format_by_name(""), _KS_FORMAT_INVALID);
	assert_int_equal(ks_format_by_name("json "), _KS_FORMAT_INVALID);
	for (int i = 0; i < _KS_FORMAT_MAX; i++)
		assert_int_equal(ks_format_by_name(ks_format_name((enum ks_format)i)), i);
	assert_string_equal(ks_format_name(_KS_FORMAT_INVALID), "unknown");
	assert_string_equal(ks_format_name(_KS_FORMAT_MAX), "unknown");
	assert_int_equal(ks_render_new(&o, stdout, &rd), -EINVAL);
	assert_null(rd);
	o.format = _KS_FORMAT_MAX;
	assert_int_equal(ks_render_new(&o, stdout, &rd), -EINVAL);
	o.format = KS_FORMAT_JSONL;
	assert_int_equal(ks_render_new(&o, stdout, &rd), 0);
	assert_true(ks_render_is_streaming(rd));
	ks_render_free(rd);
}

/* What symbolization adds: file:line, inline chains, the source line; hostile bytes escaped. */
static void symbolize_by_hand(struct ks_report *r)
{
	static const struct ks_inlined inl[] = {
		{ .func = "kmalloc", .file = "/build/linux/include/linux/slab.h", .line = 600 },
	};

	for (uint32_t i = 0; i < r->trace.n; i++) {
		struct ks_frame *fr = &r->trace.v[i];

		if (strcmp(fr->func, "faulty_function") == 0) {
			fr->file = "/build/linux/drivers/splat/splatmod.c";
			fr->line = 44;
			fr->inlined = inl;
			fr->ninlined = 1;
			fr->source = "buf = kmalloc(1024, GFP_KERNEL); /* \x1b[2J \\n */";
		}
	}
}

static void test_text_symbolized(void **state)
{
	struct fx *f = *state;
	size_t n;
	char *out;

	symbolize_by_hand(f->r);
	out = render_in(f, KS_FORMAT_TEXT, false, "/build/linux/", &n);
	/* Paths under --srcdir relative to it; inlined code first, as decode_stacktrace.sh does. */
	assert_contains(out, "faulty_function() [splatmod] at drivers/splat/splatmod.c:44 called");
	assert_contains(out, "kmalloc (include/linux/slab.h:600) [inline]\n"
			     "             faulty_function+0x23/0x4c [splatmod] (drivers/splat/splatmod.c:44)");
	/* The source line under the culprit: its escape shown, its backslash kept. */
	assert_contains(out, "           44 | buf = kmalloc(1024, GFP_KERNEL); /* \\x1b[2J \\n */\n");
	assert_null(strchr(out, '\x1b'));
	free(out);
}

static void test_json_symbolized(void **state)
{
	struct fx *f = *state;
	size_t n;
	char *out;

	symbolize_by_hand(f->r);
	out = render(f, KS_FORMAT_JSONL, false, &n);
	assert_true(json_valid(out, n));
	/* JSON keeps the path DWARF gave. */
	assert_contains(out, "\"file\":\"/build/linux/drivers/splat/splatmod.c\",\"line\":44,"
			     "\"inlined\":[{\"function\":\"kmalloc\",\"file\":\"/build/linux/include/linux/slab.h\","
			     "\"line\":600}],\"source\":\"buf = kmalloc(1024, GFP_KERNEL); /* \\u001b[2J \\\\n */\"");
	free(out);
}

static void test_table_fits_the_terminal(void **state)
{
	struct fx *f = *state;
	size_t n;
	char *out = render_wide(f, KS_FORMAT_TEXT, false, NULL, 80, &n);

	/* 80 columns leave the lock 8: its 9 bytes are cut, the cut marked. */
	assert_contains(out, "faulty_function                  my\"lock~\n");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_controls),
		cmocka_unit_test(test_escape_c1_and_invalid_utf8),
		cmocka_unit_test(test_escape_deceptive_format),
		cmocka_unit_test(test_json_unsafe_unicode),
		cmocka_unit_test(test_escape_backslash),
		cmocka_unit_test(test_escape_keeps_text),
		cmocka_unit_test(test_json_checker),
		cmocka_unit_test_setup_teardown(test_report_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jsonl_one_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_color_keeps_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_never_colored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_symbolized, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_symbolized, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_fits_the_terminal, setup, teardown),
		cmocka_unit_test(test_empty_summaries),
		cmocka_unit_test(test_format_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
