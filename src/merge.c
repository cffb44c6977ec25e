// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading --format=json documents back (ksplat merge).
 *
 * A document is read as a stream: this module walks the top-level object and
 * its "reports" array itself, and json-c parses every value in them (each
 * report, each other member) one at a time, fed in chunks with
 * json_tokener_parse_ex(). So neither the text nor the parsed tree of a whole
 * document is ever in memory, only one report's tree (at most
 * KS_MERGE_MAX_VALUE of text) and the reports already built.
 *
 * All or nothing: the reports built are kept aside until the document has
 * been read to its end without fault, then added to the dedup. When they
 * would take more than PENDING_BUDGET, they are dropped as soon as they are
 * built (building them is the validation) and the document is read a second
 * time to add them; input that cannot be read twice (a pipe) is read into
 * memory first, within KS_MERGE_MAX_BYTES.
 *
 * The reports come back as analyze left them: the fields json_report()
 * writes, and what the renderers need beside them (culprit and callee
 * pointing into the trace, the lock analyze chose pointing into the report's
 * own locks) from the same evidence analyze used. The signature is the
 * document's, never recomputed.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "ksplat/merge.h"
#include "ksplat/parse.h"

/* Read size; also the most json-c is given at once. */
#define CHUNK (64u * 1024)
/* Reports built and kept aside per document before it is read twice instead. */
#define PENDING_BUDGET (128u << 20)
/* What one report held in memory costs beside its arena's contents (first chunk, arena). */
#define PENDING_OVERHEAD 4200u
/* Array lengths no document of ksplat's comes near: a clear message before the arena cap. */
#define MAX_ITEMS   100000u
#define MAX_INLINED 256u
/* No input named (yet): input indexes stay below KS_MERGE_MAX_INPUTS. */
#define NO_INPUT UINT32_MAX
/* The largest kernel time a u64 of nanoseconds holds, in seconds. */
#define MAX_TIME_S 18446744073.0

/* Input names, in order of first appearance, with an index to find one. */
struct names {
	char **v;
	uint32_t n, cap;
	uint32_t *slots; /* open addressing on the name's hash: 1 + index, 0 empty */
	size_t nslots;	 /* a power of two, at least twice n */
};

struct ks_merge {
	struct names inputs;	  /* over all documents: the renderer's input list */
	struct json_tokener *tok; /* reset for every value */
};

/* A report built and counted, its inputs still named by the document's own indexes. */
struct built {
	struct ks_report *r;
	size_t counts_at; /* its per-input counts: doc->counts[counts_at .. + ncounts] */
	uint32_t ncounts;
	uint32_t last_source;
	uint64_t last_lineno;
};

/* One document being read. */
struct doc {
	struct ks_merge *m;
	struct ks_dedup *dd;
	const char *path;
	char *err;
	size_t errlen;
	int fd;			 /* the open document, -1 before */
	char *mem;		 /* all of an input that cannot be read twice, or NULL */
	size_t mem_len, mem_pos; /* its size, and how much of it was handed out */
	char *buf;		 /* CHUNK bytes read from fd */
	const char *chunk;	 /* the bytes at hand: buf, or a window of mem */
	size_t len, pos;	 /* their number, and the reading position in them */
	uint64_t offset;	 /* of chunk[0] in the document */
	uint64_t line;		 /* at chunk[pos], from 1 */
	uint64_t line_start;	 /* offset of that line's first byte */
	bool eof;		 /* read to the end */
	int pass;		 /* 1: validate (and keep while small), 2: add */
	bool seen_tool, seen_inputs, seen_reports; /* top-level members met: each once */
	struct names local; /* the document's input names, by its own indexes */
	uint32_t *listed;   /* the indexes of its top-level "inputs", in order */
	uint32_t nlisted;
	uint32_t *to_global; /* document index -> index in m->inputs, from the commit on */
	uint32_t nmapped;    /* document indexes to_global has */
	struct ks_source_count *counts; /* per-input counts of the reports kept aside */
	size_t ncounts, counts_cap;
	struct built *pending; /* reports kept aside until the document is known good */
	size_t npending, pending_cap;
	size_t pending_bytes;
	bool spilled; /* too large to keep aside: read a second time */
};

/* Names */

static uint64_t name_hash(const char *s, size_t len)
{
	return ks_fnv1a(KS_FNV_SEED, s, len);
}

static uint32_t *names_slot(const struct names *s, const char *name, size_t len)
{
	size_t mask = s->nslots - 1;
	uint64_t h = name_hash(name, len);

	for (size_t i = (size_t)(h ^ h >> 29) & mask;; i = (i + 1) & mask) {
		const char *have = s->slots[i] ? s->v[s->slots[i] - 1] : NULL;

		if (!have || (strlen(have) == len && memcmp(have, name, len) == 0))
			return &s->slots[i];
	}
}

static int names_reindex(struct names *s, size_t nslots)
{
	uint32_t *slots = calloc(nslots, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	free(s->slots);
	s->slots = slots;
	s->nslots = nslots;
	for (uint32_t i = 0; i < s->n; i++)
		*names_slot(s, s->v[i], strlen(s->v[i])) = i + 1;
	return 0;
}

/* The index of @name, added at the end when new. -ENOSPC past KS_MERGE_MAX_INPUTS. */
static int names_add(struct names *s, const char *name, size_t len, uint32_t *ret)
{
	uint32_t *slot;
	char *copy;
	int err;

	if (s->nslots && *(slot = names_slot(s, name, len))) {
		*ret = *slot - 1;
		return 0;
	}
	if (s->n == KS_MERGE_MAX_INPUTS)
		return -ENOSPC;
	if (s->n == s->cap) {
		uint32_t ncap = s->cap ? s->cap * 2 : 16;
		char **nv = realloc(s->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->v = nv;
		s->cap = ncap;
	}
	if ((size_t)(s->n + 1) * 2 > s->nslots &&
	    (err = names_reindex(s, s->nslots ? s->nslots * 2 : 64)) < 0)
		return err;
	if (!(copy = strndup(name, len)))
		return -ENOMEM;
	s->v[s->n] = copy;
	*names_slot(s, name, len) = s->n + 1;
	*ret = s->n++;
	return 0;
}

/* Forget the names from @n on (a document that failed). */
static void names_truncate(struct names *s, uint32_t n)
{
	if (n >= s->n)
		return;
	while (s->n > n)
		free(s->v[--s->n]);
	if (names_reindex(s, s->nslots) < 0) {
		/* No memory for a new index: clear the old one in place. */
		memset(s->slots, 0, s->nslots * sizeof(*s->slots));
		for (uint32_t i = 0; i < s->n; i++)
			*names_slot(s, s->v[i], strlen(s->v[i])) = i + 1;
	}
}

static void names_free(struct names *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	free(s->slots);
	*s = (struct names){ 0 };
}

int ks_merge_new(struct ks_merge **ret)
{
	struct ks_merge *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->tok = json_tokener_new_ex(KS_MERGE_MAX_DEPTH);
	if (!m->tok) {
		free(m);
		return -ENOMEM;
	}
	/* Strict: no comments, no single quotes; valid UTF-8 only; the value ends where it ends. */
	json_tokener_set_flags(m->tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
					       JSON_TOKENER_VALIDATE_UTF8);
	*ret = m;
	return 0;
}

void ks_merge_free(struct ks_merge *m)
{
	if (!m)
		return;
	names_free(&m->inputs);
	json_tokener_free(m->tok);
	free(m);
}

const char *const *ks_merge_inputs(const struct ks_merge *m, uint32_t *ret_n)
{
	*ret_n = m->inputs.n;
	return (const char *const *)m->inputs.v;
}

/* Messages */

static int fail(struct doc *d, const char *fmt, ...) KS_PRINTF(2, 3);

/* "PATH: what is wrong": always -EINVAL. */
static int fail(struct doc *d, const char *fmt, ...)
{
	int n = snprintf(d->err, d->errlen, "%s: ", d->path);
	va_list ap;

	if (n >= 0 && (size_t)n < d->errlen) {
		va_start(ap, fmt);
		vsnprintf(d->err + n, d->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int fail_errno(struct doc *d, int err)
{
	/* Also "PATH: Cannot allocate memory" for -ENOMEM. */
	snprintf(d->err, d->errlen, "%s: %s", d->path, strerror(-err));
	return err;
}

/* A syntax problem where the reading is: "what (line L, column C)". */
static int fail_at(struct doc *d, const char *what)
{
	uint64_t at = d->offset + d->pos;

	return fail(d, "%s (line %" PRIu64 ", column %" PRIu64 ")", what, d->line,
		    at - d->line_start + 1);
}

/* Reading */

/* The next bytes at hand; d->eof at the end. */
static int doc_fill(struct doc *d)
{
	ssize_t n;

	d->offset += d->len;
	d->pos = d->len = 0;
	if (d->mem) {
		size_t left = d->mem_len - d->mem_pos;

		d->chunk = d->mem + d->mem_pos;
		d->len = left < CHUNK ? left : CHUNK;
		d->mem_pos += d->len;
		d->eof = d->len == 0;
		return 0;
	}
	do
		n = read(d->fd, d->buf, CHUNK);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return fail_errno(d, -errno);
	d->chunk = d->buf;
	d->len = (size_t)n;
	d->eof = n == 0;
	if (d->offset + d->len > KS_MERGE_MAX_BYTES)
		return fail(d, "larger than %" PRIu64 " MiB: not read", KS_MERGE_MAX_BYTES >> 20);
	return 0;
}

/* Step over @n bytes at hand, counting lines for the messages. */
static void doc_advance(struct doc *d, size_t n)
{
	const char *p = d->chunk + d->pos, *end = p + n, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		d->line++;
		d->line_start = d->offset + (uint64_t)(nl + 1 - d->chunk);
		p = nl + 1;
	}
	d->pos += n;
}

/* The next byte that is not JSON white space, not consumed; -1 at the end. */
static int doc_peek(struct doc *d, int *ret)
{
	int err;

	for (;;) {
		while (d->pos < d->len) {
			char c = d->chunk[d->pos];

			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				*ret = (unsigned char)c;
				return 0;
			}
			doc_advance(d, 1);
		}
		if (d->eof) {
			*ret = -1;
			return 0;
		}
		if ((err = doc_fill(d)) < 0)
			return err;
	}
}

/* One JSON value from the reading position, parsed by json-c; @what names it in messages. */
static int doc_value(struct doc *d, const char *what, struct json_object **ret)
{
	struct json_tokener *tok = d->m->tok;
	size_t fed = 0;
	char msg[192];
	int err;

	json_tokener_reset(tok);
	for (;;) {
		struct json_object *o;
		enum json_tokener_error jerr;
		size_t n, used;

		if (d->pos == d->len) {
			if (!d->eof && (err = doc_fill(d)) < 0)
				return err;
			if (d->eof) {
				snprintf(msg, sizeof(msg),
					 "truncated JSON: the document ends inside %s", what);
				return fail_at(d, msg);
			}
		}
		if (fed == KS_MERGE_MAX_VALUE)
			return fail(d, "%s is larger than %u MiB", what, KS_MERGE_MAX_VALUE >> 20);
		n = d->len - d->pos;
		if (n > KS_MERGE_MAX_VALUE - fed)
			n = KS_MERGE_MAX_VALUE - fed;
		o = json_tokener_parse_ex(tok, d->chunk + d->pos, (int)n);
		jerr = json_tokener_get_error(tok);
		used = json_tokener_get_parse_end(tok);
		doc_advance(d, used);
		fed += used;
		if (jerr == json_tokener_success) {
			*ret = o;
			return 0;
		}
		if (jerr != json_tokener_continue) {
			snprintf(msg, sizeof(msg), "not valid JSON: %s",
				 json_tokener_error_desc(jerr));
			return fail_at(d, msg);
		}
	}
}

/* Building a report */

/* Where in the document a build is: "reports[3].trace[2]", spelled out only for a message. */
#define PATH_DEPTH 8

/* One report being built from its JSON object. */
struct build {
	struct doc *d;
	struct ks_report *r;
	struct {
		const char *key; /* a member, or NULL for element idx of an array */
		size_t idx;
	} path[PATH_DEPTH];
	size_t depth;
};

static const char *type_name(struct json_object *v)
{
	static const char *const names[] = {
		[json_type_null] = "null",
		[json_type_boolean] = "a boolean",
		[json_type_double] = "a non-integer number",
		[json_type_int] = "an integer",
		[json_type_object] = "an object",
		[json_type_array] = "an array",
		[json_type_string] = "a string",
	};
	unsigned t = (unsigned)json_object_get_type(v);

	return t < KS_ARRAY_SIZE(names) && names[t] ? names[t] : "a value";
}

static int bad(struct build *b, const char *key, const char *fmt, ...) KS_PRINTF(3, 4);

/* "PATH: what is wrong (reports[3].trace[2].key)": always -EINVAL. */
static int bad(struct build *b, const char *key, const char *fmt, ...)
{
	char what[256], where[160];
	size_t n = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	where[0] = '\0';
	for (size_t i = 0; i <= b->depth && n < sizeof(where); i++) {
		const char *k = i < b->depth ? b->path[i].key : key;
		int w;

		if (i == b->depth && !key)
			break;
		w = k ? snprintf(where + n, sizeof(where) - n, "%s%s", n ? "." : "", k)
		      : snprintf(where + n, sizeof(where) - n, "[%zu]", b->path[i].idx);
		n += w > 0 ? (size_t)w : 0;
	}
	return fail(b->d, "%s (%s)", what, where);
}

/* Step into member @key or, with @key NULL, element @idx; returns where to step back to. */
static size_t enter(struct build *b, const char *key, size_t idx)
{
	size_t saved = b->depth;

	/* The schema nests 5 deep: a deeper path is a bug here, not in the document. */
	assert(b->depth < PATH_DEPTH);
	b->path[b->depth].key = key;
	b->path[b->depth].idx = idx;
	b->depth++;
	return saved;
}

static void leave(struct build *b, size_t saved)
{
	b->depth = saved;
}

/* The arena said no: the report is too large (its cap) or memory ran out. */
static int no_room(struct build *b, size_t want)
{
	if (ks_arena_used(b->r->arena) + want + 16 > KS_MERGE_ARENA_CAP)
		return bad(b, NULL, "the report needs more than the %u KiB one report may use",
			   KS_MERGE_ARENA_CAP >> 10);
	snprintf(b->d->err, b->d->errlen, "%s: out of memory", b->d->path);
	return -ENOMEM;
}

static void *b_alloc(struct build *b, size_t n, size_t size)
{
	/* n and size are bounded by MAX_ITEMS and a struct: no overflow. */
	return n ? ks_arena_alloc(b->r->arena, n * size) : NULL;
}

/* @o's member @key; NULL when it is absent and when it is null (json-c's null is NULL). */
static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* A string value, borrowed from json-c. */
static int string_of(struct build *b, struct json_object *v, const char *key, const char **ret,
		     size_t *ret_len)
{
	const char *s;
	size_t len;

	if (!json_object_is_type(v, json_type_string))
		return bad(b, key, "expected a string, found %s", type_name(v));
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	/* "\u0000": ksplat cuts strings there and never writes one. */
	if (strlen(s) != len)
		return bad(b, key, "a string holds a NUL character");
	*ret = s;
	*ret_len = len;
	return 0;
}

/* An optional string member, copied into the report: NULL when absent or null. */
static int get_string(struct build *b, struct json_object *o, const char *key, const char **ret)
{
	struct json_object *v = member(o, key);
	const char *s;
	char *copy;
	size_t len;
	int err;

	if (!v) {
		*ret = NULL;
		return 0;
	}
	if ((err = string_of(b, v, key, &s, &len)) < 0)
		return err;
	if (!(copy = ks_report_strdup(b->r, s, len)))
		return no_room(b, len + 1);
	*ret = copy;
	return 0;
}

/* An integer in [min, max]; json-c clamps what does not fit 64 bits: the clamp value is refused. */
static int number_of(struct build *b, struct json_object *v, const char *key, uint64_t min,
		     uint64_t max, uint64_t *ret)
{
	uint64_t u;

	if (!json_object_is_type(v, json_type_int))
		return bad(b, key, "expected an integer >= %" PRIu64 ", found %s", min,
			   type_name(v));
	if (json_object_get_int64(v) < 0)
		return bad(b, key, "expected an integer >= %" PRIu64 ", found %" PRId64, min,
			   json_object_get_int64(v));
	u = json_object_get_uint64(v);
	if (u < min || u > max || u == UINT64_MAX)
		return bad(b, key, "%" PRIu64 " is out of range (%" PRIu64 "..%" PRIu64 ")", u, min,
			   max == UINT64_MAX ? max - 1 : max);
	*ret = u;
	return 0;
}

/* An optional integer member: *ret_present false when absent or null. */
static int get_number(struct build *b, struct json_object *o, const char *key, uint64_t max,
		      bool *ret_present, uint64_t *ret)
{
	struct json_object *v = member(o, key);
	int err;

	*ret_present = false;
	if (!v)
		return 0;
	if ((err = number_of(b, v, key, 0, max, ret)) < 0)
		return err;
	*ret_present = true;
	return 0;
}

/* An optional integer member where ksplat writes null for "unknown": -1 then. */
static int get_known(struct build *b, struct json_object *o, const char *key, int64_t max,
		     int64_t *ret)
{
	bool present;
	uint64_t v;
	int err = get_number(b, o, key, (uint64_t)max, &present, &v);

	if (err < 0)
		return err;
	*ret = present ? (int64_t)v : -1;
	return 0;
}

static int get_bool(struct build *b, struct json_object *o, const char *key, bool dflt, bool *ret)
{
	struct json_object *v = member(o, key);

	if (!v) {
		*ret = dflt;
		return 0;
	}
	if (!json_object_is_type(v, json_type_boolean))
		return bad(b, key, "expected true or false, found %s", type_name(v));
	*ret = json_object_get_boolean(v);
	return 0;
}

/* An optional array member of at most @max elements; absent or null: none. */
static int get_array(struct build *b, struct json_object *o, const char *key, size_t max,
		     struct json_object **ret, size_t *ret_n)
{
	struct json_object *v = member(o, key);
	size_t n;

	*ret = NULL;
	*ret_n = 0;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return bad(b, key, "expected an array, found %s", type_name(v));
	n = json_object_array_length(v);
	if (n > max)
		return bad(b, key, "%zu elements, more than the %zu allowed", n, max);
	*ret = v;
	*ret_n = n;
	return 0;
}

/* An optional object member; absent or null: NULL. */
static int get_object(struct build *b, struct json_object *o, const char *key,
		      struct json_object **ret)
{
	struct json_object *v = member(o, key);

	if (v && !json_object_is_type(v, json_type_object))
		return bad(b, key, "expected an object, found %s", type_name(v));
	*ret = v;
	return 0;
}

/* Element @i of @arr, which must be an object. */
static int element_object(struct build *b, struct json_object *arr, size_t i,
			  struct json_object **ret)
{
	struct json_object *v = json_object_array_get_idx(arr, i);

	if (!json_object_is_type(v, json_type_object))
		return bad(b, NULL, "expected an object, found %s", type_name(v));
	*ret = v;
	return 0;
}

/* "0x%016x" as json_address() writes it; null: 0. */
static int get_address(struct build *b, struct json_object *o, const char *key, uint64_t *ret)
{
	struct json_object *v = member(o, key);
	const char *s;
	size_t len;
	uint64_t addr;
	int err;

	*ret = 0;
	if (!v)
		return 0;
	if ((err = string_of(b, v, key, &s, &len)) < 0)
		return err;
	if (len < 3 || len > 18 || s[0] != '0' || s[1] != 'x' ||
	    ks_parse_u64(s + 2, len - 2, 16, &addr) != len - 2)
		return bad(b, key, "expected an address, \"0x\" and up to 16 hex digits");
	*ret = addr;
	return 0;
}

/* Frames */

/* Section names of trace frames, as render.c's section_name() writes them. */
static const char *const section_names[_KS_SEC_MAX] = {
	[KS_SEC_NONE] = NULL,	      [KS_SEC_TASK] = "task", [KS_SEC_IRQ] = "irq",
	[KS_SEC_SOFTIRQ] = "softirq", [KS_SEC_NMI] = "nmi",   [KS_SEC_OTHER] = "exception",
};

static int read_inlined(struct build *b, struct json_object *o, struct ks_frame *f)
{
	struct json_object *arr, *e = NULL;
	struct ks_inlined *v;
	size_t n;
	int err;

	if ((err = get_array(b, o, "inlined", MAX_INLINED, &arr, &n)) < 0 || n == 0)
		return err;
	if (!(v = b_alloc(b, n, sizeof(*v))))
		return no_room(b, n * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		size_t saved = enter(b, "inlined", 0);
		uint64_t line;
		bool has_line;

		enter(b, NULL, i);
		if ((err = element_object(b, arr, i, &e)) < 0 ||
		    (err = get_string(b, e, "function", &v[i].func)) < 0 ||
		    (err = get_string(b, e, "file", &v[i].file)) < 0 ||
		    (err = get_number(b, e, "line", UINT32_MAX, &has_line, &line)) < 0)
			return err;
		/* Symbolization always knows the file of inlined code; the text prints it. */
		if (!v[i].file)
			return bad(b, "file", "inlined code needs a file");
		v[i].line = has_line ? (uint32_t)line : 0;
		leave(b, saved);
	}
	f->inlined = v;
	f->ninlined = (uint16_t)n;
	return 0;
}

/* The members json_frame_members() writes. */
static int read_frame(struct build *b, struct json_object *o, struct ks_frame *f)
{
	bool has_size, has_line;
	uint64_t size, line;
	int err;

	if ((err = get_string(b, o, "function", &f->func)) < 0 ||
	    (err = get_string(b, o, "module", &f->module)) < 0 ||
	    (err = get_number(b, o, "offset", UINT64_MAX, &f->has_off, &f->off)) < 0 ||
	    (err = get_number(b, o, "size", UINT64_MAX, &has_size, &size)) < 0 ||
	    (err = get_address(b, o, "address", &f->addr)) < 0 ||
	    (err = get_string(b, o, "file", &f->file)) < 0 ||
	    (err = get_number(b, o, "line", UINT32_MAX, &has_line, &line)) < 0 ||
	    (err = read_inlined(b, o, f)) < 0 || (err = get_string(b, o, "source", &f->source)) < 0)
		return err;
	if (!f->has_off)
		f->off = 0;
	f->size = has_size ? size : 0;
	f->line = has_line ? (uint32_t)line : 0;
	return 0;
}

/* A frame member (culprit, acquired_at, ...): *ret NULL when absent or null. */
static int read_frame_member(struct build *b, struct json_object *o, const char *key,
			     struct ks_frame *f, bool *ret_present)
{
	struct json_object *v;
	size_t saved;
	int err;

	*ret_present = false;
	if ((err = get_object(b, o, key, &v)) < 0 || !v)
		return err;
	saved = enter(b, key, 0);
	err = read_frame(b, v, f);
	leave(b, saved);
	*ret_present = err == 0;
	return err;
}

/* A frame member that lives alone in the arena (preempt_disabled_at, ...). */
static int read_lone_frame(struct build *b, struct json_object *o, const char *key,
			   struct ks_frame **ret)
{
	struct ks_frame f = { 0 };
	bool present;
	int err = read_frame_member(b, o, key, &f, &present);

	*ret = NULL;
	if (err < 0 || !present)
		return err;
	if (!(*ret = b_alloc(b, 1, sizeof(f))))
		return no_room(b, sizeof(f));
	**ret = f;
	return 0;
}

static int read_trace_frame(struct build *b, struct json_object *o, struct ks_frame *f)
{
	const char *section;
	size_t len;
	struct json_object *v;
	bool reliable;
	int err;

	if ((err = read_frame(b, o, f)) < 0 ||
	    (err = get_string(b, o, "build_id", &f->buildid)) < 0 ||
	    (err = get_bool(b, o, "reliable", true, &reliable)) < 0)
		return err;
	if (!reliable)
		f->flags |= KS_FRAME_UNRELIABLE;
	if (!(v = member(o, "section")))
		return 0;
	if ((err = string_of(b, v, "section", &section, &len)) < 0)
		return err;
	for (unsigned s = 0; s < _KS_SEC_MAX; s++) {
		if (section_names[s] && strcmp(section_names[s], section) == 0) {
			f->section = (uint8_t)s;
			return 0;
		}
	}
	return bad(b, "section", "unknown section \"%.40s\"", section);
}

static int read_trace(struct build *b, struct json_object *o)
{
	struct ks_report *r = b->r;
	struct json_object *arr, *e = NULL;
	size_t n;
	int err;

	if ((err = get_array(b, o, "trace", MAX_ITEMS, &arr, &n)) < 0 || n == 0)
		return err;
	if (!(r->trace.v = b_alloc(b, n, sizeof(*r->trace.v))))
		return no_room(b, n * sizeof(*r->trace.v));
	r->trace.cap = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		size_t saved = enter(b, "trace", 0);

		enter(b, NULL, i);
		if ((err = element_object(b, arr, i, &e)) < 0 ||
		    (err = read_trace_frame(b, e, &r->trace.v[i])) < 0)
			return err;
		leave(b, saved);
		r->trace.n++;
	}
	return 0;
}

/* Locks */

/* Where json_report() took a lock from, told by the role it wrote. */
enum place {
	PLACE_INVOLVED,	   /* r->involved, with lockdep's role ("holding", "chain", ...) */
	PLACE_ACQUIRING,   /* r->acquiring */
	PLACE_HELD,	   /* r->held */
	PLACE_ATOMIC,	   /* r->held, and analyze's r->a.lock */
	PLACE_CONFLICTING, /* r->held, and analyze's r->a.holding */
};

static const struct {
	const char *role;
	enum place place;
} writer_roles[] = {
	{ "acquiring", PLACE_ACQUIRING }, { "held", PLACE_HELD },
	{ "atomic", PLACE_ATOMIC },	  { "conflicting", PLACE_CONFLICTING },
	{ "involved", PLACE_INVOLVED }, /* an involved lock without a role of its own */
};

static enum place place_of(const char *role)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(writer_roles); i++)
		if (strcmp(writer_roles[i].role, role) == 0)
			return writer_roles[i].place;
	return PLACE_INVOLVED;
}

/* The role member of lock @o. */
static int role_of(struct build *b, struct json_object *o, const char **ret)
{
	struct json_object *v = member(o, "role");
	size_t len;

	if (!v)
		return bad(b, "role", "a lock needs a role");
	return string_of(b, v, "role", ret, &len);
}

/* The members json_lock() writes, but the role. */
static int read_lock(struct build *b, struct json_object *o, struct ks_lock *l)
{
	struct json_object *v;
	int64_t outer, inner, depth;
	const char *name;
	size_t len;
	int err;

	if (!(v = member(o, "name")))
		return bad(b, "name", "a lock needs a name");
	if ((err = string_of(b, v, "name", &name, &len)) < 0)
		return err;
	if (!(l->name = ks_report_strdup(b->r, name, len)))
		return no_room(b, len + 1);
	if ((err = get_address(b, o, "address", &l->addr)) < 0 ||
	    (err = get_string(b, o, "usage", &l->usage)) < 0 ||
	    (err = get_known(b, o, "wait_outer", INT8_MAX, &outer)) < 0 ||
	    (err = get_known(b, o, "wait_inner", INT8_MAX, &inner)) < 0 ||
	    (err = get_known(b, o, "depth", INT16_MAX, &depth)) < 0 ||
	    (err = get_string(b, o, "held_by", &l->owner)) < 0 ||
	    (err = read_frame_member(b, o, "acquired_at", &l->at, &l->has_at)) < 0)
		return err;
	l->wait_outer = (int8_t)outer;
	l->wait_inner = (int8_t)inner;
	l->depth = (int16_t)depth;
	return 0;
}

/* How many locks go to each place; at most one is acquiring, atomic or conflicting. */
static int count_places(struct build *b, struct json_object *arr, size_t n, uint32_t *ret_held,
			uint32_t *ret_involved)
{
	unsigned seen[PLACE_CONFLICTING + 1] = { 0 };
	int err;

	for (size_t i = 0; i < n; i++) {
		size_t saved = enter(b, "locks", 0);
		struct json_object *e = NULL;
		const char *role;
		enum place p;

		enter(b, NULL, i);
		if ((err = element_object(b, arr, i, &e)) < 0 || (err = role_of(b, e, &role)) < 0)
			return err;
		p = place_of(role);
		if (p != PLACE_INVOLVED && p != PLACE_HELD && seen[p])
			return bad(b, "role", "a second lock with role \"%s\"", role);
		seen[p]++;
		leave(b, saved);
	}
	*ret_held = seen[PLACE_HELD] + seen[PLACE_ATOMIC] + seen[PLACE_CONFLICTING];
	*ret_involved = seen[PLACE_INVOLVED];
	return 0;
}

static int read_locks(struct build *b, struct json_object *o)
{
	struct ks_report *r = b->r;
	struct json_object *arr, *e = NULL;
	uint32_t nheld = 0, ninvolved = 0;
	size_t n;
	int err;

	if ((err = get_array(b, o, "locks", MAX_ITEMS, &arr, &n)) < 0 || n == 0 ||
	    (err = count_places(b, arr, n, &nheld, &ninvolved)) < 0)
		return err;
	/* Sized once: analyze's pointers into them must stay valid. */
	if ((nheld && !(r->held.v = b_alloc(b, nheld, sizeof(struct ks_lock)))) ||
	    (ninvolved && !(r->involved.v = b_alloc(b, ninvolved, sizeof(struct ks_lock)))))
		return no_room(b, (nheld > ninvolved ? nheld : ninvolved) * sizeof(struct ks_lock));
	r->held.cap = nheld;
	r->involved.cap = ninvolved;
	for (size_t i = 0; i < n; i++) {
		size_t saved = enter(b, "locks", 0);
		struct ks_lock *l;
		const char *role;
		enum place p;

		enter(b, NULL, i);
		if ((err = element_object(b, arr, i, &e)) < 0 || (err = role_of(b, e, &role)) < 0)
			return err;
		p = place_of(role);
		if (p == PLACE_ACQUIRING) {
			if (!(l = r->acquiring = b_alloc(b, 1, sizeof(*l))))
				return no_room(b, sizeof(*l));
		} else if (p == PLACE_INVOLVED) {
			l = &r->involved.v[r->involved.n++];
			/* "involved" is what json_report() writes for a lock without a role. */
			if (strcmp(role, "involved") != 0 &&
			    !(l->role = ks_report_strdup(r, role, strlen(role))))
				return no_room(b, strlen(role) + 1);
		} else {
			l = &r->held.v[r->held.n++];
			if (p == PLACE_ATOMIC)
				r->a.lock = l;
			else if (p == PLACE_CONFLICTING)
				r->a.holding = l;
		}
		if ((err = read_lock(b, e, l)) < 0)
			return err;
		leave(b, saved);
	}
	return 0;
}

/* Strings arrays: lines and scenario. */
static int read_strings(struct build *b, struct json_object *o, const char *key,
			const char ***ret_v, uint32_t *ret_n)
{
	struct json_object *arr;
	const char **v;
	size_t n;
	int err;

	if ((err = get_array(b, o, key, MAX_ITEMS * 10, &arr, &n)) < 0 || n == 0)
		return err;
	if (!(v = b_alloc(b, n, sizeof(*v))))
		return no_room(b, n * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		size_t saved = enter(b, key, 0), len;
		const char *s;
		char *copy;

		enter(b, NULL, i);
		if ((err = string_of(b, json_object_array_get_idx(arr, i), NULL, &s, &len)) < 0)
			return err;
		if (!(copy = ks_report_strdup(b->r, s, len)))
			return no_room(b, len + 1);
		v[i] = copy;
		leave(b, saved);
	}
	*ret_v = v;
	*ret_n = (uint32_t)n;
	return 0;
}

/* The context object of json_report(). */
static int read_context(struct build *b, struct json_object *o)
{
	struct ks_report *r = b->r;
	struct json_object *c;
	int64_t level;
	size_t saved;
	int err;

	if ((err = get_object(b, o, "context", &c)) < 0 || !c)
		return err;
	saved = enter(b, "context", 0);
	if ((err = get_known(b, c, "in_atomic", INT64_MAX, &r->in_atomic)) < 0 ||
	    (err = get_known(b, c, "irqs_disabled", INT64_MAX, &r->irqs_disabled)) < 0 ||
	    (err = get_known(b, c, "non_block", INT64_MAX, &r->non_block)) < 0 ||
	    (err = get_known(b, c, "preempt_count", INT64_MAX, &r->preempt_count)) < 0 ||
	    (err = get_known(b, c, "preempt_expected", INT64_MAX, &r->preempt_expected)) < 0 ||
	    (err = get_known(b, c, "rcu_nest_depth", INT64_MAX, &r->rcu_depth)) < 0 ||
	    (err = get_known(b, c, "pid", INT64_MAX, &r->pid)) < 0 ||
	    (err = get_string(b, c, "comm", &r->comm)) < 0 ||
	    (err = get_known(b, c, "cpu", INT64_MAX, &r->cpu)) < 0 ||
	    (err = get_string(b, c, "kernel_version", &r->kernel)) < 0 ||
	    (err = get_string(b, c, "tainted", &r->tainted)) < 0 ||
	    (err = get_string(b, c, "hardware", &r->hardware)) < 0 ||
	    (err = get_string(b, c, "host", &r->host)) < 0 ||
	    (err = get_string(b, c, "boot_id", &r->boot_id)) < 0 ||
	    (err = get_string(b, c, "machine_id", &r->machine_id)) < 0 ||
	    (err = get_known(b, c, "level", 7, &level)) < 0)
		return err;
	r->level = (int8_t)level;
	leave(b, saved);
	return 0;
}

static const struct {
	const char *name;
	uint32_t flag;
} report_flags[] = {
	{ "cut", KS_REP_CUT },
	{ "truncated", KS_REP_TRUNCATED },
	{ "interleaved", KS_REP_INTERLEAVED },
	{ "nested", KS_REP_NESTED },
	{ "locks-from-nested-report", KS_REP_LOCKS_FROM_NESTED },
	{ "line-cut", KS_REP_LINE_CUT },
};

static int read_flags(struct build *b, struct json_object *o)
{
	struct json_object *arr;
	size_t n;
	int err;

	if ((err = get_array(b, o, "flags", 64, &arr, &n)) < 0)
		return err;
	for (size_t i = 0; i < n; i++) {
		size_t saved = enter(b, "flags", 0), len, k;
		const char *s;

		enter(b, NULL, i);
		if ((err = string_of(b, json_object_array_get_idx(arr, i), NULL, &s, &len)) < 0)
			return err;
		for (k = 0; k < KS_ARRAY_SIZE(report_flags) && strcmp(report_flags[k].name, s) != 0;
		     k++)
			;
		if (k == KS_ARRAY_SIZE(report_flags))
			return bad(b, NULL, "unknown flag \"%.40s\"", s);
		b->r->flags |= report_flags[k].flag;
		leave(b, saved);
	}
	return 0;
}

/* What analyze would have pointed at, told from the kind (mirrors ks_analyze_report()). */
enum {
	CULPRIT_AT_ACQUIRING = 1 << 0, /* where the lock being taken was taken */
	CULPRIT_AT_HELD = 1 << 1,      /* where the innermost held lock was taken */
	CULPRIT_NOT_PC = 1 << 2,       /* from the trace, never the RIP:/pc : line */
	HOLDING_INVOLVED = 1 << 3,     /* a.holding is lockdep's "already holding" lock */
};

#define LOCKDEP_PAIR (CULPRIT_AT_ACQUIRING | CULPRIT_NOT_PC | HOLDING_INVOLVED)

static const uint8_t kind_rules[_KS_KIND_MAX] = {
	[KS_KIND_SLEEP_IN_ATOMIC] = CULPRIT_NOT_PC,
	[KS_KIND_SCHEDULE_WHILE_ATOMIC] = CULPRIT_NOT_PC,
	[KS_KIND_RCU_CONTEXT_SWITCH] = CULPRIT_NOT_PC,
	[KS_KIND_SMP_PROCESSOR_ID] = CULPRIT_NOT_PC,
	[KS_KIND_HUNG_TASK] = CULPRIT_NOT_PC,
	[KS_KIND_LOCKDEP_BAD_UNLOCK] = CULPRIT_NOT_PC,
	[KS_KIND_INVALID_WAIT_CONTEXT] = CULPRIT_AT_ACQUIRING | CULPRIT_NOT_PC,
	[KS_KIND_LOCKDEP_CIRCULAR] = LOCKDEP_PAIR,
	[KS_KIND_LOCKDEP_RECURSIVE] = LOCKDEP_PAIR,
	[KS_KIND_LOCKDEP_INCONSISTENT] = LOCKDEP_PAIR,
	[KS_KIND_LOCKDEP_IRQ_INVERSION] = LOCKDEP_PAIR,
	[KS_KIND_LOCKDEP_IRQ_UNSAFE_ORDER] = LOCKDEP_PAIR,
	[KS_KIND_LOCKDEP_HELD_LOCK_FREED] = LOCKDEP_PAIR,
	[KS_KIND_LOCKDEP_NESTED_LOCK] = LOCKDEP_PAIR,
	[KS_KIND_LOCKDEP_STILL_HAS_LOCKS] = CULPRIT_AT_HELD | CULPRIT_NOT_PC,
	[KS_KIND_LOCKDEP_LOCK_HELD_RETURN_USER] = CULPRIT_AT_HELD | CULPRIT_NOT_PC,
	/* The others: the PC when it names an ordinary function, else the trace. */
};

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Equal in everything json_frame_members() writes. */
static bool same_frame(const struct ks_frame *a, const struct ks_frame *b)
{
	return same_str(a->func, b->func) && same_str(a->module, b->module) &&
	       a->has_off == b->has_off && a->off == b->off && a->size == b->size &&
	       a->addr == b->addr && same_str(a->file, b->file) &&
	       (!a->file || a->line == b->line) && a->ninlined == b->ninlined &&
	       same_str(a->source, b->source);
}

static bool same_span(struct ks_span s, const char *str)
{
	return str ? s.len == strlen(str) && memcmp(s.p, str, s.len) == 0 : s.len == 0;
}

/* True when a RIP:/pc : line of the report names @f: analyze took the PC, not a trace frame. */
static bool pc_line_names(const struct ks_report *r, const struct ks_frame *f)
{
	struct ks_frame_view v;

	for (uint32_t i = 0; i < r->lines.n; i++)
		if (ks_parse_pc_line(r->lines.v[i], strlen(r->lines.v[i]), &v) &&
		    same_span(v.func, f->func) && same_span(v.module, f->module) &&
		    v.has_off == f->has_off && v.off == f->off && v.size == f->size)
			return true;
	return false;
}

/* The frame of the report that analyze took as the culprit @f, or NULL when it stands alone. */
static const struct ks_frame *find_culprit(const struct ks_report *r, const struct ks_frame *f)
{
	unsigned rules = kind_rules[r->kind];

	if ((rules & CULPRIT_AT_ACQUIRING) && r->acquiring && r->acquiring->has_at &&
	    same_frame(&r->acquiring->at, f))
		return &r->acquiring->at;
	for (uint32_t i = r->held.n; (rules & CULPRIT_AT_HELD) && i-- > 0;) {
		if (r->held.v[i].has_at && r->held.v[i].at.func) {
			if (same_frame(&r->held.v[i].at, f))
				return &r->held.v[i].at;
			break;
		}
	}
	if (!(rules & CULPRIT_NOT_PC) && pc_line_names(r, f))
		return NULL;
	for (uint32_t i = 0; i < r->trace.n; i++)
		if (!(r->trace.v[i].flags & KS_FRAME_UNRELIABLE) && same_frame(&r->trace.v[i], f))
			return &r->trace.v[i];
	return NULL;
}

static int read_culprit(struct build *b, struct json_object *o)
{
	struct ks_frame f = { 0 }, *alone;
	bool present;
	int err = read_frame_member(b, o, "culprit", &f, &present);

	if (err < 0 || !present)
		return err;
	/* Analyze names no culprit without a function, and the renderers rely on that. */
	if (!f.func)
		return bad(b, "culprit.function", "a culprit needs a function name");
	if ((b->r->a.culprit = find_culprit(b->r, &f)))
		return 0;
	if (!(alone = b_alloc(b, 1, sizeof(*alone))))
		return no_room(b, sizeof(*alone));
	*alone = f;
	b->r->a.culprit = alone;
	return 0;
}

/*
 * "callee" is the function name of analyze's callee frame: the last sleeping
 * primitive before the culprit. For smp_processor_id() reports it is r->what.
 */
static int read_callee(struct build *b, struct json_object *o)
{
	struct ks_report *r = b->r;
	struct json_object *v = member(o, "callee");
	uint32_t limit = r->trace.n;
	struct ks_frame *alone;
	const char *name;
	size_t len;
	int err;

	if (!v)
		return 0;
	if ((err = string_of(b, v, "callee", &name, &len)) < 0)
		return err;
	if (r->kind == KS_KIND_SMP_PROCESSOR_ID) {
		if (!(r->what = ks_report_strdup(r, name, len)))
			return no_room(b, len + 1);
		return 0;
	}
	if (r->a.culprit && r->trace.n && r->a.culprit >= r->trace.v &&
	    r->a.culprit < r->trace.v + r->trace.n)
		limit = (uint32_t)(r->a.culprit - r->trace.v);
	for (uint32_t i = limit; i-- > 0;) {
		const struct ks_frame *f = &r->trace.v[i];

		if (!(f->flags & KS_FRAME_UNRELIABLE) && same_str(f->func, name)) {
			r->a.callee = f;
			return 0;
		}
	}
	if (!(alone = b_alloc(b, 1, sizeof(*alone))) ||
	    !(alone->func = ks_report_strdup(r, name, len)))
		return no_room(b, sizeof(*alone) + len + 1);
	r->a.callee = alone;
	return 0;
}

/* The lock analyze named: the atomic one, the one being acquired, or the one released. */
static int read_lock_name(struct build *b, struct json_object *o)
{
	struct ks_report *r = b->r;
	struct json_object *v = member(o, "lock");
	const char *name;
	size_t len;
	int err;

	if (!v)
		return 0;
	if ((err = string_of(b, v, "lock", &name, &len)) < 0)
		return err;
	if (r->a.lock) {
		if (strcmp(r->a.lock->name, name) != 0)
			return bad(b, "lock", "\"%.60s\" is not the lock whose role is atomic",
				   name);
		return 0;
	}
	if (r->acquiring && strcmp(r->acquiring->name, name) == 0) {
		r->a.lock = r->acquiring;
		return 0;
	}
	for (uint32_t i = 0; i < r->involved.n; i++) {
		const struct ks_lock *l = &r->involved.v[i];

		if (same_str(l->role, "released") && strcmp(l->name, name) == 0) {
			r->a.lock = l;
			return 0;
		}
	}
	return bad(b, "lock",
		   "\"%.60s\" is none of the locks with role atomic, acquiring or released", name);
}

/* Derived by analyze from the locks: lockdep's "already holding" lock, a hung task's holder. */
static void derive_from_locks(struct ks_report *r)
{
	const struct ks_lock *l = r->a.lock;

	if (!r->a.holding && (kind_rules[r->kind] & HOLDING_INVOLVED)) {
		for (uint32_t i = 0; i < r->involved.n && !r->a.holding; i++)
			if (same_str(r->involved.v[i].role, "holding"))
				r->a.holding = &r->involved.v[i];
	}
	if (r->kind != KS_KIND_HUNG_TASK || !l || !l->owner)
		return;
	/* Another task holding a lock of the same class, as analyze's lock_holder(). */
	for (uint32_t i = 0; i < r->held.n && !r->a.holder; i++) {
		const struct ks_lock *h = &r->held.v[i];

		if (h != l && h->owner && strcmp(h->owner, l->owner) != 0 &&
		    strcmp(h->name, l->name) == 0)
			r->a.holder = h->owner;
	}
}

/* "WARNING: CPU: 0 PID: 1 at FILE:LINE ...": FILE:LINE, what header_warning() keeps. */
static bool warning_site(const char *p, struct ks_span *ret)
{
	size_t len = strlen(p), i = 14, n;
	uint64_t num;

	if (!ks_has_prefix(p, len, "WARNING: CPU: ") ||
	    !(n = ks_parse_u64(p + i, len - i, 10, &num)))
		return false;
	i += n;
	if (!ks_has_prefix(p + i, len - i, " PID: ") ||
	    !(n = ks_parse_u64(p + i + 6, len - i - 6, 10, &num)))
		return false;
	i += 6 + n;
	if (!ks_has_prefix(p + i, len - i, " at "))
		return false;
	i += 4;
	n = strcspn(p + i, " \t");
	if (n == 0)
		return false;
	*ret = ks_span_make(p + i, n);
	return true;
}

/*
 * What the kind parsers took from the report's lines and the text renders,
 * that the JSON has no member for: the held-locks list's owner, the WARN
 * site, the wait context of an Invalid wait context.
 */
static int derive_from_lines(struct build *b)
{
	struct ks_report *r = b->r;
	bool warning = r->kind == KS_KIND_WARNING || r->kind == KS_KIND_RCU_CONTEXT_SWITCH;

	for (uint32_t i = 0; i < r->lines.n; i++) {
		const char *p = r->lines.v[i];
		size_t len = strlen(p);
		struct ks_span s;
		uint64_t o, in;
		size_t n;

		if (!r->held_by && ks_parse_held_header(p, len, &s) >= 0 &&
		    !(r->held_by = ks_report_strdup(r, s.p, s.len)))
			return no_room(b, s.len + 1);
		if (warning && !r->what && warning_site(p, &s) &&
		    !(r->what = ks_report_strdup(r, s.p, s.len)))
			return no_room(b, s.len + 1);
		if (r->kind == KS_KIND_INVALID_WAIT_CONTEXT && r->context_inner < 0 &&
		    ks_has_prefix(p, len, "context-{") &&
		    (n = ks_parse_u64(p + 9, len - 9, 10, &o)) && p[9 + n] == ':' &&
		    ks_parse_u64(p + 10 + n, len - 10 - n, 10, &in) && o < 10 && in < 10) {
			r->context_outer = (int8_t)o;
			r->context_inner = (int8_t)in;
		}
	}
	return 0;
}

static int read_kind(struct build *b, struct json_object *o, enum ks_kind *ret)
{
	struct json_object *v = member(o, "kind");
	const char *name;
	size_t len;
	int err;

	if (!v)
		return bad(b, "kind", "a report needs a kind");
	if ((err = string_of(b, v, "kind", &name, &len)) < 0)
		return err;
	if ((*ret = ks_kind_by_name(name)) == _KS_KIND_INVALID)
		return bad(b, "kind", "unknown kind \"%.60s\"", name);
	return 0;
}

/* "ks-" and 16 hex digits, as json_report() writes the signature. */
static int read_signature(struct build *b, struct json_object *o)
{
	struct json_object *v = member(o, "signature");
	const char *s;
	size_t len;
	int err;

	if (!v)
		return bad(b, "signature", "a report needs a signature");
	if ((err = string_of(b, v, "signature", &s, &len)) < 0)
		return err;
	if (len != 19 || memcmp(s, "ks-", 3) != 0 ||
	    ks_parse_u64(s + 3, 16, 16, &b->r->a.signature) != 16)
		return bad(b, "signature", "\"%.40s\" is not \"ks-\" and 16 hex digits", s);
	return 0;
}

static int read_analysis(struct build *b, struct json_object *o)
{
	struct ks_analysis *a = &b->r->a;
	bool has_severity;
	uint64_t severity;
	int err;

	if ((err = get_string(b, o, "title", &a->title)) < 0 ||
	    (err = get_string(b, o, "headline", &a->headline)) < 0 ||
	    (err = get_bool(b, o, "corrupted", false, &a->corrupted)) < 0 ||
	    (err = get_string(b, o, "callee_api", &a->callee_api)) < 0 ||
	    (err = get_string(b, o, "cause", &a->cause)) < 0 ||
	    (err = get_string(b, o, "fix_hint", &a->hint)) < 0 ||
	    (err = get_number(b, o, "severity", 100, &has_severity, &severity)) < 0)
		return err;
	a->severity = has_severity ? (uint16_t)severity : ks_kinds[b->r->kind].severity;
	return 0;
}

/* Counting: inputs named by the document's own indexes */

static int input_index(struct build *b, const char *key, const char *name, size_t len,
		       uint32_t *ret)
{
	int err;

	if (len == 0 || len > KS_MERGE_MAX_NAME)
		return bad(b, key, "an input name of %zu bytes (1..%u)", len, KS_MERGE_MAX_NAME);
	err = names_add(&b->d->local, name, len, ret);
	if (err == -ENOSPC)
		return bad(b, key, "more than %u inputs", KS_MERGE_MAX_INPUTS);
	if (err < 0)
		return fail_errno(b->d, err);
	return 0;
}

/* An optional "input" member: its index, or @dflt. */
static int get_input(struct build *b, struct json_object *o, const char *key, uint32_t dflt,
		     uint32_t *ret)
{
	struct json_object *v = member(o, key);
	const char *name;
	size_t len;
	int err;

	*ret = dflt;
	if (!v)
		return 0;
	if ((err = string_of(b, v, key, &name, &len)) < 0)
		return err;
	return input_index(b, key, name, len, ret);
}

static int push_count(struct build *b, uint32_t source, uint64_t count)
{
	struct doc *d = b->d;

	if (d->ncounts == d->counts_cap) {
		size_t ncap = d->counts_cap ? d->counts_cap * 2 : 256;
		struct ks_source_count *nc = realloc(d->counts, ncap * sizeof(*nc));

		if (!nc)
			return fail_errno(b->d, -ENOMEM);
		d->counts = nc;
		d->counts_cap = ncap;
	}
	d->counts[d->ncounts++] = (struct ks_source_count){ .source = source, .count = count };
	return 0;
}

/* "inputs": [{"input": NAME, "count": N}, ...]; returns their sum in *ret_total. */
static int read_inputs(struct build *b, struct json_object *arr, size_t n, uint64_t *ret_total)
{
	uint64_t total = 0;
	int err;

	for (size_t i = 0; i < n; i++) {
		size_t saved = enter(b, "inputs", 0);
		struct json_object *e = NULL, *v;
		const char *name;
		uint32_t source;
		uint64_t count;
		size_t len;

		enter(b, NULL, i);
		if ((err = element_object(b, arr, i, &e)) < 0)
			return err;
		if (!(v = member(e, "input")))
			return bad(b, "input", "an input needs a name");
		if ((err = string_of(b, v, "input", &name, &len)) < 0 ||
		    (err = input_index(b, "input", name, len, &source)) < 0)
			return err;
		if (!(v = member(e, "count")))
			return bad(b, "count", "an input needs a count");
		if ((err = number_of(b, v, "count", 1, UINT64_MAX, &count)) < 0)
			return err;
		if (count > UINT64_MAX - total)
			return bad(b, "count", "the counts add up past 2^64");
		total += count;
		if ((err = push_count(b, source, count)) < 0)
			return err;
		leave(b, saved);
	}
	*ret_total = total;
	return 0;
}

/* first_seen, count / inputs, last_seen: where the report was seen and how often. */
static int read_seen(struct build *b, struct json_object *o, struct built *out)
{
	struct ks_report *r = b->r;
	struct json_object *first, *last, *arr, *v;
	uint64_t count = 0, total = 0;
	bool has_count = false, present;
	size_t n, saved;
	int err;

	if ((err = get_array(b, o, "inputs", KS_MERGE_MAX_INPUTS, &arr, &n)) < 0)
		return err;
	if ((v = member(o, "count"))) {
		if ((err = number_of(b, v, "count", 1, UINT64_MAX, &count)) < 0)
			return err;
		has_count = true;
	}
	if (!has_count && n == 0)
		return bad(b, "count", "a report needs a count or inputs");
	out->counts_at = b->d->ncounts;
	if ((err = read_inputs(b, arr, n, &total)) < 0)
		return err;
	if (n && has_count && total != count)
		return bad(b, "count",
			   "%" PRIu64 " is not the sum of the counts in inputs (%" PRIu64 ")",
			   count, total);
	if ((err = get_object(b, o, "first_seen", &first)) < 0 ||
	    (err = get_object(b, o, "last_seen", &last)) < 0)
		return err;
	r->source = NO_INPUT;
	if (first) {
		saved = enter(b, "first_seen", 0);
		if ((err = get_input(b, first, "input", NO_INPUT, &r->source)) < 0 ||
		    (err = get_number(b, first, "line", UINT64_MAX, &present, &r->first_lineno)) <
			    0 ||
		    (err = get_string(b, first, "wall", &r->first_wall)) < 0)
			return err;
		r->first_ns = KS_TIME_NONE;
		if ((v = member(first, "time"))) {
			double t = json_object_get_double(v);

			if (!json_object_is_type(v, json_type_double) &&
			    !json_object_is_type(v, json_type_int))
				return bad(b, "time", "expected seconds, found %s", type_name(v));
			if (!(t >= 0 && t < MAX_TIME_S))
				return bad(b, "time", "%g seconds is out of range", t);
			/* Written with microseconds: round to them, the double is not exact. */
			r->first_ns = (uint64_t)(t * 1e6 + 0.5) * 1000;
		}
		leave(b, saved);
	} else {
		r->first_ns = KS_TIME_NONE;
	}
	/* No first_seen.input: the first of inputs, or the document itself when it names none. */
	if (r->source == NO_INPUT && n)
		r->source = b->d->counts[out->counts_at].source;
	else if (r->source == NO_INPUT &&
		 (err = input_index(b, NULL, b->d->path, strlen(b->d->path), &r->source)) < 0)
		return err;
	if (!n && (err = push_count(b, r->source, count)) < 0)
		return err;
	out->ncounts = (uint32_t)(b->d->ncounts - out->counts_at);
	r->last_lineno = r->first_lineno;
	out->last_source = n ? b->d->counts[b->d->ncounts - 1].source : r->source;
	out->last_lineno = r->first_lineno;
	if (last) {
		saved = enter(b, "last_seen", 0);
		if ((err = get_input(b, last, "input", out->last_source, &out->last_source)) < 0 ||
		    (err = get_number(b, last, "line", UINT64_MAX, &present, &out->last_lineno)) <
			    0)
			return err;
		if (!present)
			out->last_lineno = r->first_lineno;
		leave(b, saved);
	}
	return 0;
}

/* Members that are views of others (chain, tasks: of locks): only their type is checked. */
static int check_views(struct build *b, struct json_object *o)
{
	static const char *const views[] = { "chain", "tasks" };
	struct json_object *arr;
	size_t n;
	int err;

	for (size_t i = 0; i < KS_ARRAY_SIZE(views); i++)
		if ((err = get_array(b, o, views[i], MAX_ITEMS, &arr, &n)) < 0)
			return err;
	return 0;
}

/* Report @o (element @idx of "reports") built into out->r, counted in d->counts. */
static int build_report(struct doc *d, struct json_object *o, size_t idx, struct built *out)
{
	struct build b = { .d = d };
	enum ks_kind kind;
	int err;

	enter(&b, "reports", 0);
	enter(&b, NULL, idx);
	if (!json_object_is_type(o, json_type_object))
		return bad(&b, NULL, "expected a report object, found %s", type_name(o));
	if ((err = read_kind(&b, o, &kind)) < 0)
		return err;
	if ((err = ks_report_new(kind, KS_MERGE_ARENA_CAP, &b.r)) < 0)
		return fail_errno(d, err);
	/* Order matters: lines, trace and locks first, then what points into them. */
	if ((err = read_signature(&b, o)) < 0 || (err = read_analysis(&b, o)) < 0 ||
	    (err = read_strings(&b, o, "lines", &b.r->lines.v, &b.r->lines.n)) < 0 ||
	    (err = read_strings(&b, o, "scenario", &b.r->scenario.v, &b.r->scenario.n)) < 0 ||
	    (err = read_trace(&b, o)) < 0 || (err = read_locks(&b, o)) < 0 ||
	    (err = check_views(&b, o)) < 0 || (err = read_lock_name(&b, o)) < 0 ||
	    (err = read_culprit(&b, o)) < 0 || (err = read_callee(&b, o)) < 0 ||
	    (err = read_context(&b, o)) < 0 ||
	    (err = read_lone_frame(&b, o, "preempt_disabled_at", &b.r->preempt_site)) < 0 ||
	    (err = read_lone_frame(&b, o, "irqs_disabled_at", &b.r->irqs_off_site)) < 0 ||
	    (err = read_flags(&b, o)) < 0 || (err = derive_from_lines(&b)) < 0 ||
	    (err = read_seen(&b, o, out)) < 0) {
		ks_report_free(b.r);
		return err;
	}
	b.r->lines.cap = b.r->lines.n;
	b.r->scenario.cap = b.r->scenario.n;
	derive_from_locks(b.r);
	out->r = b.r;
	return 0;
}

/* Committing */

static void pending_free(struct doc *d)
{
	for (size_t i = 0; i < d->npending; i++)
		ks_report_free(d->pending[i].r);
	d->npending = 0;
	d->pending_bytes = 0;
}

/* Hand @x to the dedup, its inputs named by the merge's list. */
static int add_built(struct doc *d, struct built *x)
{
	struct ks_source_count *c = d->counts + x->counts_at;
	int err;

	/* The second reading names an input the first did not: the file changed in between. */
	for (uint32_t i = 0; i < x->ncounts; i++) {
		if (c[i].source >= d->nmapped) {
			ks_report_free(x->r);
			x->r = NULL;
			return fail(d, "an input appeared between two readings");
		}
	}
	if (x->r->source >= d->nmapped || x->last_source >= d->nmapped) {
		ks_report_free(x->r);
		x->r = NULL;
		return fail(d, "an input appeared between two readings");
	}
	for (uint32_t i = 0; i < x->ncounts; i++)
		c[i].source = d->to_global[c[i].source];
	x->r->source = d->to_global[x->r->source];
	x->r->input = d->m->inputs.v[x->r->source];
	err = ks_dedup_add_counted(d->dd, x->r, c, x->ncounts, d->to_global[x->last_source],
				   x->last_lineno);
	x->r = NULL;
	if (err < 0)
		return fail_errno(d, err);
	return 0;
}

static int keep_or_add(struct doc *d, struct built *x)
{
	if (d->pass == 2) {
		int err = add_built(d, x);

		d->ncounts = 0;
		return err;
	}
	if (d->spilled) {
		ks_report_free(x->r);
		d->ncounts = 0;
		return 0;
	}
	if (d->npending == d->pending_cap) {
		size_t ncap = d->pending_cap ? d->pending_cap * 2 : 64;
		struct built *np = realloc(d->pending, ncap * sizeof(*np));

		if (!np) {
			ks_report_free(x->r);
			return fail_errno(d, -ENOMEM);
		}
		d->pending = np;
		d->pending_cap = ncap;
	}
	d->pending[d->npending++] = *x;
	d->pending_bytes +=
		ks_arena_used(x->r->arena) + PENDING_OVERHEAD + x->ncounts * sizeof(*d->counts);
	if (d->pending_bytes > PENDING_BUDGET) {
		/* Too many to keep aside: validate the rest, then read the document again. */
		pending_free(d);
		d->spilled = true;
		d->ncounts = 0;
	}
	return 0;
}

/* The document's names in the merge's list: its "inputs" first, in their order, then the others. */
static int name_inputs(struct doc *d)
{
	struct names *global = &d->m->inputs;
	int err;

	if (d->local.n && !(d->to_global = calloc(d->local.n, sizeof(*d->to_global))))
		return fail_errno(d, -ENOMEM);
	for (uint32_t k = 0; k < d->nlisted + d->local.n; k++) {
		uint32_t i = k < d->nlisted ? d->listed[k] : k - d->nlisted;
		const char *name = d->local.v[i];

		if ((err = names_add(global, name, strlen(name), &d->to_global[i])) == -ENOSPC)
			return fail(d, "more than %u inputs", KS_MERGE_MAX_INPUTS);
		if (err < 0)
			return fail_errno(d, err);
	}
	d->nmapped = d->local.n;
	return 0;
}

/* Top level */

static int take_tool(struct doc *d)
{
	struct json_object *v;
	int err = doc_value(d, "tool", &v);

	if (err < 0)
		return err;
	if (!json_object_is_type(v, json_type_string))
		err = fail(d, "not a ksplat document: tool is %s, not \"ksplat\" (tool)",
			   type_name(v));
	else if (strcmp(json_object_get_string(v), "ksplat") != 0)
		err = fail(d, "not a ksplat document: tool is \"%.40s\", not \"ksplat\" (tool)",
			   json_object_get_string(v));
	json_object_put(v);
	return err;
}

/* The top-level "inputs": every input the document's run read, with reports or not. */
static int take_inputs(struct doc *d)
{
	struct json_object *v;
	struct build b = { .d = d };
	size_t n;
	int err = doc_value(d, "inputs", &v);

	if (err < 0)
		return err;
	enter(&b, "inputs", 0);
	if (!json_object_is_type(v, json_type_array)) {
		err = bad(&b, NULL, "expected an array, found %s", type_name(v));
		goto out;
	}
	n = json_object_array_length(v);
	if (n > KS_MERGE_MAX_INPUTS) {
		err = bad(&b, NULL, "more than %u inputs", KS_MERGE_MAX_INPUTS);
		goto out;
	}
	if (d->pass == 1 && !(d->listed = calloc(n ? n : 1, sizeof(*d->listed)))) {
		err = fail_errno(d, -ENOMEM);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *name;
		uint32_t idx;
		size_t len;

		leave(&b, 0);
		enter(&b, "inputs", 0);
		enter(&b, NULL, i);
		if ((err = string_of(&b, json_object_array_get_idx(v, i), NULL, &name, &len)) < 0 ||
		    (err = input_index(&b, NULL, name, len, &idx)) < 0)
			goto out;
		if (d->pass == 1)
			d->listed[d->nlisted++] = idx;
	}
out:
	json_object_put(v);
	return err;
}

static int take_reports(struct doc *d)
{
	char what[48];
	int c, err;

	if ((err = doc_peek(d, &c)) < 0)
		return err;
	if (c != '[') {
		struct json_object *v;

		if ((err = doc_value(d, "reports", &v)) < 0)
			return err;
		err = fail(d, "expected an array, found %s (reports)", type_name(v));
		json_object_put(v);
		return err;
	}
	doc_advance(d, 1);
	if ((err = doc_peek(d, &c)) < 0)
		return err;
	if (c == ']') {
		doc_advance(d, 1);
		return 0;
	}
	for (size_t i = 0;; i++) {
		struct json_object *v;
		struct built x = { 0 };

		snprintf(what, sizeof(what), "reports[%zu]", i);
		if ((err = doc_value(d, what, &v)) < 0)
			return err;
		err = build_report(d, v, i, &x);
		/* Its tree goes at once: only one report's is ever held. */
		json_object_put(v);
		if (err < 0 || (err = keep_or_add(d, &x)) < 0)
			return err;
		if ((err = doc_peek(d, &c)) < 0)
			return err;
		if (c == ']' || c == ',')
			doc_advance(d, 1);
		if (c == ']')
			return 0;
		if (c == -1)
			return fail_at(d, "truncated JSON: the document ends inside reports");
		if (c != ',')
			return fail_at(d, "not valid JSON: expected ',' or ']' after a report");
	}
}

static const struct {
	const char *key;
	size_t seen; /* offset of its bool in struct doc */
	int (*take)(struct doc *d);
} top_members[] = {
	{ "tool", offsetof(struct doc, seen_tool), take_tool },
	{ "inputs", offsetof(struct doc, seen_inputs), take_inputs },
	{ "reports", offsetof(struct doc, seen_reports), take_reports },
};

/* One "key": value of the top-level object. */
static int take_member(struct doc *d)
{
	struct json_object *key, *v;
	char name[16] = "";
	int c, err;

	if ((err = doc_peek(d, &c)) < 0)
		return err;
	if (c == -1)
		return fail_at(d, "truncated JSON: the document ends inside its object");
	if (c != '"')
		return fail_at(d, "not valid JSON: expected a member name");
	if ((err = doc_value(d, "a member name", &key)) < 0)
		return err;
	if ((size_t)json_object_get_string_len(key) < sizeof(name))
		snprintf(name, sizeof(name), "%s", json_object_get_string(key));
	json_object_put(key);
	if ((err = doc_peek(d, &c)) < 0)
		return err;
	if (c != ':')
		return fail_at(d, c == -1 ? "truncated JSON: the document ends inside its object"
					  : "not valid JSON: expected ':' after a member name");
	doc_advance(d, 1);
	for (size_t i = 0; i < KS_ARRAY_SIZE(top_members); i++) {
		bool *seen = (bool *)((char *)d + top_members[i].seen);

		if (strcmp(top_members[i].key, name) != 0)
			continue;
		if (*seen)
			return fail(d, "member %s given twice", name);
		*seen = true;
		return top_members[i].take(d);
	}
	/* Anything else (version, total, ...) is parsed, and left. */
	if ((err = doc_value(d, "a member", &v)) < 0)
		return err;
	json_object_put(v);
	return 0;
}

/* A document that does not start with '{': say what it is, or json-c's complaint. */
static int not_an_object(struct doc *d)
{
	struct json_object *v;
	int err = doc_value(d, "the document", &v);

	if (err < 0)
		return err;
	err = fail(d, "not a ksplat document: the JSON is %s, not an object", type_name(v));
	json_object_put(v);
	return err;
}

/* One reading of the whole document. */
static int read_document(struct doc *d)
{
	int c, err;

	if ((err = doc_peek(d, &c)) < 0)
		return err;
	if (c == -1)
		return fail(d, "empty file, not a JSON document");
	if (c != '{')
		return not_an_object(d);
	doc_advance(d, 1);
	if ((err = doc_peek(d, &c)) < 0)
		return err;
	if (c == '}') {
		doc_advance(d, 1);
	} else {
		for (;;) {
			if ((err = take_member(d)) < 0 || (err = doc_peek(d, &c)) < 0)
				return err;
			if (c == '}' || c == ',')
				doc_advance(d, 1);
			if (c == '}')
				break;
			if (c == -1)
				return fail_at(
					d, "truncated JSON: the document ends inside its object");
			if (c != ',')
				return fail_at(
					d, "not valid JSON: expected ',' or '}' after a member");
		}
	}
	if ((err = doc_peek(d, &c)) < 0)
		return err;
	if (c != -1)
		return fail_at(d, "not valid JSON: more data after the document");
	if (!d->seen_tool)
		return fail(d, "not a ksplat document: no tool member");
	if (!d->seen_reports)
		return fail(d, "not a ksplat document: no reports member");
	return 0;
}

/* Back to the start for the second reading. */
static int doc_rewind(struct doc *d)
{
	if (d->mem)
		d->mem_pos = 0;
	else if (lseek(d->fd, 0, SEEK_SET) < 0)
		return fail_errno(d, -errno);
	d->chunk = d->buf;
	d->len = d->pos = 0;
	d->offset = 0;
	d->line = 1;
	d->line_start = 0;
	d->eof = false;
	d->seen_tool = d->seen_inputs = d->seen_reports = false;
	return 0;
}

/* An input that cannot be read twice (a pipe, a terminal): all of it into memory. */
static int doc_slurp(struct doc *d)
{
	size_t cap = 0;
	ssize_t n;

	for (;;) {
		if (d->mem_len == cap) {
			size_t ncap = cap ? cap * 2 : CHUNK;
			char *nm;

			if (cap > KS_MERGE_MAX_BYTES)
				return fail(d, "larger than %" PRIu64 " MiB: not read",
					    KS_MERGE_MAX_BYTES >> 20);
			if (!(nm = realloc(d->mem, ncap)))
				return fail_errno(d, -ENOMEM);
			d->mem = nm;
			cap = ncap;
		}
		do
			n = read(d->fd, d->mem + d->mem_len, cap - d->mem_len);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return fail_errno(d, -errno);
		if (n == 0)
			break;
		d->mem_len += (size_t)n;
	}
	if (d->mem_len > KS_MERGE_MAX_BYTES)
		return fail(d, "larger than %" PRIu64 " MiB: not read", KS_MERGE_MAX_BYTES >> 20);
	return 0;
}

static int doc_open(struct doc *d)
{
	struct stat st;

	d->fd = open(d->path, O_RDONLY | O_CLOEXEC);
	if (d->fd < 0)
		return fail_errno(d, -errno);
	if (fstat(d->fd, &st) < 0)
		return fail_errno(d, -errno);
	if (S_ISDIR(st.st_mode))
		return fail_errno(d, -EISDIR);
	if (!S_ISREG(st.st_mode))
		return doc_slurp(d);
	if ((uint64_t)st.st_size > KS_MERGE_MAX_BYTES)
		return fail(d, "larger than %" PRIu64 " MiB: not read", KS_MERGE_MAX_BYTES >> 20);
	if (!(d->buf = malloc(CHUNK)))
		return fail_errno(d, -ENOMEM);
	return 0;
}

static void doc_done(struct doc *d)
{
	pending_free(d);
	free(d->pending);
	free(d->counts);
	free(d->to_global);
	free(d->listed);
	names_free(&d->local);
	free(d->buf);
	free(d->mem);
	if (d->fd >= 0)
		close(d->fd);
}

/* The document is good: its reports to the dedup, kept aside or read again. */
static int commit(struct doc *d)
{
	uint32_t had = d->m->inputs.n;
	int err = name_inputs(d);

	if (err < 0) {
		names_truncate(&d->m->inputs, had);
		return err;
	}
	if (!d->spilled) {
		for (size_t i = 0; i < d->npending && err == 0; i++)
			err = add_built(d, &d->pending[i]);
		/* add_built() gave each report away, to the dedup or freed. */
		for (size_t i = 0; i < d->npending; i++)
			ks_report_free(d->pending[i].r);
		d->npending = 0;
		return err;
	}
	d->pass = 2;
	d->ncounts = 0;
	if ((err = doc_rewind(d)) < 0)
		return err;
	if ((err = read_document(d)) == -EINVAL) {
		char why[256];
		size_t skip = strlen(d->path) + 2;

		snprintf(why, sizeof(why), "%s", strlen(d->err) > skip ? d->err + skip : d->err);
		return fail(d, "changed while being read: %s", why);
	}
	return 0;
}

int ks_merge_add_file(struct ks_merge *m, const char *path, struct ks_dedup *dd, char *err,
		      size_t errlen)
{
	char scratch[1];
	struct doc d = {
		.m = m,
		.dd = dd,
		.path = path,
		.err = errlen ? err : scratch,
		.errlen = errlen ? errlen : sizeof(scratch),
		.fd = -1,
		.line = 1,
		.pass = 1,
	};
	int r;

	d.err[0] = '\0';
	r = doc_open(&d);
	if (r == 0)
		r = read_document(&d);
	if (r == 0)
		r = commit(&d);
	doc_done(&d);
	return r;
}
