// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <dlfcn.h>
#include <dwarf.h>
#include <elfutils/debuginfod.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ksplat/dwline.h"
#include "ksplat/srcline.h"
#include "ksplat/symbolize.h"
#include "ksplat/symtab.h"

/* Directory depth searched for modules: /lib/modules/RELEASE/kernel/drivers/x/y/z.ko. */
#define MODULE_DIR_DEPTH 8
/* Module directories: --modules and the host's two. */
#define MAX_MODULE_DIRS 3
/* Load addresses learnt per module section (.text, .init.text, ...) for one boot. */
#define MAX_DELTAS 64
/* The source text shown for a culprit or lock site. */
#define SOURCE_LINE_MAX 256

enum image_state { IMG_UNOPENED, IMG_OPEN, IMG_NONE };

/* The kernel or one module, and the file that describes it. */
struct image {
	char *name; /* "kernel" or the module name with '-' and ',' as '_' */
	enum image_state state;
	char *path;             /* the file in use */
	Dwfl *dwfl;             /* one session per file: no layout constraints between them */
	Dwfl_Module *mod;       /* NULL for a System.map */
	struct ks_symtab *syms; /* code symbols at link addresses */
	char buildid[129];      /* hex; "" when the file has none */
	bool warned_build;      /* "another build" said once */
	uint64_t unusable;      /* serial of the report it must not serve */
	bool vouched;           /* a matching build id or exact sizes have confirmed it */
	bool distrusted;        /* found to be of another build: never name raw addresses with it */
	uint32_t calls_ok, calls_bad; /* this report's bare return addresses after a call, not */
	uint32_t sizes_ok, sizes_bad; /* this report's printed sizes that fit, that do not */
	struct ks_dwline *lines; /* its DWARF's lines, once a frame needs them */
};

/* A module file found under a modules directory. */
struct modfile {
	char *name; /* normalised module name */
	char *path;
};

/* runtime = link + delta for link addresses in [lo, hi) of @img. */
struct delta {
	struct image *img;
	uint64_t lo, hi, delta;
};

/* What one input (one boot, as far as ksplat can tell) has taught about addresses. */
struct learned {
	uint32_t source;
	bool valid;
	bool has_koff;
	uint64_t koff; /* kernel offset: runtime - link */
	struct delta d[MAX_DELTAS];
	size_t nd;
};

/*
 * The debuginfod client, loaded only for --debuginfod as libdwfl itself does:
 * linked in, it would bring libcurl and some thirty libraries into every run.
 */
struct debuginfod {
	void *dl;
	debuginfod_client *client;
	void (*end)(debuginfod_client *);
	int (*find_debuginfo)(debuginfod_client *, const unsigned char *, int, char **);
};

#define DEBUGINFOD_SONAME "libdebuginfod.so.1"

struct ks_sym {
	struct ks_sym_config cfg;
	struct image kernel;
	struct image **mods;
	size_t nmods, capmods;
	char *mod_dirs[MAX_MODULE_DIRS]; /* owned: the configuration's strings may not outlive set-up */
	size_t nmod_dirs;
	struct modfile *files; /* by name, after the first module lookup */
	size_t nfiles, capfiles;
	bool scanned;
	struct ks_symtab *kallsyms;
	bool has_kallsyms_koff;
	uint64_t kallsyms_koff;
	struct learned learned;
	uint64_t serial; /* of the report being resolved */
	struct debuginfod debuginfod;
	struct ks_srcdir *srcdir;
	char host_vmlinux[256], host_map[256];
	bool host_done;
	char err[512];
};

/* A client, or NULL with the reason in @err. */
static int debuginfod_load(struct debuginfod *d, char *err, size_t errlen)
{
	debuginfod_client *(*begin)(void);

	if (!(d->dl = dlopen(DEBUGINFOD_SONAME, RTLD_NOW | RTLD_LOCAL))) {
		snprintf(err, errlen, "%s", dlerror());
		return -ENOENT;
	}
	/* POSIX: a function pointer converts from dlsym()'s void *. */
	*(void **)&begin = dlsym(d->dl, "debuginfod_begin");
	*(void **)&d->end = dlsym(d->dl, "debuginfod_end");
	*(void **)&d->find_debuginfo = dlsym(d->dl, "debuginfod_find_debuginfo");
	if (!begin || !d->end || !d->find_debuginfo) {
		snprintf(err, errlen, "%s lacks the client functions", DEBUGINFOD_SONAME);
		return -ENOSYS;
	}
	if (!(d->client = begin())) {
		snprintf(err, errlen, "cannot start the client");
		return -ENOMEM;
	}
	return 0;
}

static void debuginfod_unload(struct debuginfod *d)
{
	if (d->client)
		d->end(d->client);
	if (d->dl)
		dlclose(d->dl);
	memset(d, 0, sizeof(*d));
}

/* Where libdwfl looks for separate debug files: its default (never written). */
static char *debuginfo_path;

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

KS_PRINTF(2, 3) static void warn(const struct ks_sym *s, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	if (!s->cfg.warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->cfg.warn(s->cfg.warn_ctx, msg);
}

/* KBUILD_MODNAME: "-" and "," become "_". */
static void normalise(char *name)
{
	for (char *p = name; *p; p++)
		if (*p == '-' || *p == ',')
			*p = '_';
}

/* ---- Module files ---------------------------------------------------------------- */

/* "foo.ko", "foo.ko.debug", "foo.ko.xz"...: length of "foo", or 0. */
static size_t module_stem(const char *file)
{
	static const char *const suffixes[] = { ".ko", ".ko.debug", ".ko.xz", ".ko.gz", ".ko.zst" };
	size_t n = strlen(file);

	for (size_t i = 0; i < KS_ARRAY_SIZE(suffixes); i++) {
		size_t k = strlen(suffixes[i]);

		if (n > k && strcmp(file + n - k, suffixes[i]) == 0)
			return n - k;
	}
	return 0;
}

static int add_modfile(struct ks_sym *s, const char *file, size_t stem, const char *path)
{
	struct modfile *m;

	if (s->nfiles == s->capfiles) {
		size_t cap = s->capfiles ? s->capfiles * 2 : 64;
		struct modfile *v = realloc(s->files, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->files = v;
		s->capfiles = cap;
	}
	m = &s->files[s->nfiles];
	m->name = strndup(file, stem);
	m->path = strdup(path);
	if (!m->name || !m->path) {
		free(m->name);
		free(m->path);
		return -ENOMEM;
	}
	normalise(m->name);
	s->nfiles++;
	return 0;
}

static void scan_modules(struct ks_sym *s, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;

	if (depth > MODULE_DIR_DEPTH || !(d = opendir(dir)))
		return;
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		size_t stem;

		if (e->d_name[0] == '.' ||
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		/* Never follow a link out of the directory the user named. */
		if (lstat(path, &st) < 0 || S_ISLNK(st.st_mode))
			continue;
		if (S_ISDIR(st.st_mode))
			scan_modules(s, path, depth + 1);
		else if (S_ISREG(st.st_mode) && (stem = module_stem(e->d_name)))
			add_modfile(s, e->d_name, stem, path);
	}
	closedir(d);
}

static int cmp_modfile(const void *a, const void *b)
{
	const struct modfile *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	/* Among files of one module, those with debug info (".debug", /usr/lib/debug) first. */
	if (c == 0)
		c = (strstr(y->path, "debug") != NULL) - (strstr(x->path, "debug") != NULL);
	return c ? c : strcmp(x->path, y->path);
}

static void index_module_files(struct ks_sym *s)
{
	if (s->scanned)
		return;
	s->scanned = true;
	for (size_t i = 0; i < s->nmod_dirs; i++)
		scan_modules(s, s->mod_dirs[i], 0);
	if (s->nfiles)
		qsort(s->files, s->nfiles, sizeof(*s->files), cmp_modfile);
}

/* ---- Opening a symbol file --------------------------------------------------------- */

static bool is_code_section(Dwfl_Module *mod, GElf_Word shndx)
{
	GElf_Addr bias;
	Elf *elf = dwfl_module_getelf(mod, &bias);
	Elf_Scn *scn = elf ? elf_getscn(elf, shndx) : NULL;
	GElf_Shdr shdr;

	return scn && gelf_getshdr(scn, &shdr) && (shdr.sh_flags & SHF_EXECINSTR);
}

/* The functions and code labels of @mod, at the addresses libdwfl laid them out. */
static int elf_symtab(Dwfl_Module *mod, struct ks_symtab **ret)
{
	struct ks_symtab *t;
	int n = dwfl_module_getsymtab(mod), r;

	if (n <= 0)
		return -ENOENT;
	if ((r = ks_symtab_new(&t)) < 0)
		return r;
	for (int i = 0; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *name = dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx, NULL, NULL);
		int type = GELF_ST_TYPE(sym.st_info);

		if (!name || !*name || name[0] == '$' || (type != STT_FUNC && type != STT_NOTYPE) ||
		    shndx == SHN_UNDEF || shndx == SHN_ABS || !is_code_section(mod, shndx))
			continue;
		if ((r = ks_symtab_add(t, addr, sym.st_size, shndx, GELF_ST_BIND(sym.st_info) == STB_WEAK,
				       name, NULL)) < 0)
			goto fail;
	}
	if ((r = ks_symtab_finish(t)) < 0)
		goto fail;
	*ret = t;
	return 0;
fail:
	ks_symtab_free(t);
	return r;
}

static void hex(char *out, size_t size, const unsigned char *bits, int len)
{
	out[0] = '\0';
	for (int i = 0; i < len && (size_t)i * 2 + 2 < size; i++)
		snprintf(out + i * 2, 3, "%02x", bits[i]);
}

static void image_close(struct image *img)
{
	if (img->dwfl)
		dwfl_end(img->dwfl);
	img->dwfl = NULL;
	img->mod = NULL;
	ks_symtab_free(img->syms);
	img->syms = NULL;
	free(img->path);
	img->path = NULL;
	ks_dwline_free(img->lines);
	img->lines = NULL;
	img->buildid[0] = '\0';
	img->state = IMG_UNOPENED;
}

/* @path (and @fd, owned from now on, or -1) as @img. -errno with a message in s->err. */
static int image_open_elf(struct ks_sym *s, struct image *img, const char *path, int fd)
{
	const unsigned char *bits;
	GElf_Addr vaddr;
	int len, r;

	img->dwfl = dwfl_begin(&offline_callbacks);
	if (!img->dwfl) {
		if (fd >= 0)
			close(fd);
		return -ENOMEM;
	}
	dwfl_report_begin(img->dwfl);
	img->mod = dwfl_report_offline(img->dwfl, img->name, path, fd);
	dwfl_report_end(img->dwfl, NULL, NULL);
	if (!img->mod) {
		snprintf(s->err, sizeof(s->err), "not an ELF file ksplat can read (%s)",
			 dwfl_errmsg(-1));
		image_close(img);
		return -EINVAL;
	}
	if ((r = elf_symtab(img->mod, &img->syms)) < 0) {
		snprintf(s->err, sizeof(s->err), "%s", r == -ENOENT ? "it has no symbol table" : strerror(-r));
		image_close(img);
		return r == -ENOENT ? -EINVAL : r;
	}
	len = dwfl_module_build_id(img->mod, &bits, &vaddr);
	if (len > 0)
		hex(img->buildid, sizeof(img->buildid), bits, len);
	img->path = strdup(path);
	img->state = IMG_OPEN;
	return img->path ? 0 : -ENOMEM;
}

static int image_open_map(struct ks_sym *s, struct image *img, const char *path)
{
	int r = ks_symtab_load_map(path, &img->syms, s->err, sizeof(s->err));

	if (r < 0)
		return r;
	img->path = strdup(path);
	img->state = IMG_OPEN;
	return img->path ? 0 : -ENOMEM;
}

/* From the debuginfod servers, by the build id the log printed. */
static int image_fetch(struct ks_sym *s, struct image *img, const char *buildid)
{
	char *path = NULL;
	int fd, r;

	if (!s->debuginfod.client || !buildid)
		return -ENOENT;
	fd = s->debuginfod.find_debuginfo(s->debuginfod.client, (const unsigned char *)buildid, 0, &path);
	if (fd < 0) {
		warn(s, "debuginfod has no %s with build id %s (%s)", img->name, buildid, strerror(-fd));
		return fd;
	}
	r = image_open_elf(s, img, path, fd);
	if (r < 0)
		warn(s, "%s from debuginfod: %s", path, s->err);
	free(path);
	return r;
}

static bool buildid_differs(const struct image *img, const char *log_id)
{
	return log_id && img->buildid[0] && strcasecmp(img->buildid, log_id) != 0;
}

/*
 * Module @img from the files found for it: the one with the log's build id,
 * else debuginfod's, else the first that opens (vetting will then say it is
 * another build).
 */
/*
 * DIR/.build-id/ab/cdef....debug, the layout of debug packages
 * (/usr/lib/debug/.build-id): a file found by the build id the log printed.
 */
static bool open_by_buildid(struct ks_sym *s, struct image *img, const char *dir, const char *log_id)
{
	char path[4096];
	size_t n = log_id ? strlen(log_id) : 0;

	if (n < 4 || n > 128 || strspn(log_id, "0123456789abcdefABCDEF") != n ||
	    snprintf(path, sizeof(path), "%s/.build-id/%.2s/%s.debug", dir, log_id, log_id + 2) >=
		    (int)sizeof(path) ||
	    access(path, R_OK) != 0)
		return false;
	if (image_open_elf(s, img, path, -1) < 0)
		return false;
	if (!buildid_differs(img, log_id))
		return true;
	image_close(img);
	return false;
}

/* The debug files of this machine's packages, by build id: any release. */
static bool open_host_buildid(struct ks_sym *s, struct image *img, const char *log_id)
{
	char dir[1024];

	if (!s->cfg.host_release || !log_id)
		return false;
	snprintf(dir, sizeof(dir), "%s/usr/lib/debug", s->cfg.host_root ? s->cfg.host_root : "");
	return open_by_buildid(s, img, dir, log_id);
}

static void module_open(struct ks_sym *s, struct image *img, const char *log_id)
{
	size_t first, end;

	for (size_t i = 0; i < s->nmod_dirs; i++)
		if (open_by_buildid(s, img, s->mod_dirs[i], log_id))
			return;
	if (open_host_buildid(s, img, log_id))
		return;
	index_module_files(s);
	for (first = 0; first < s->nfiles && strcmp(s->files[first].name, img->name) != 0; first++)
		;
	for (end = first; end < s->nfiles && strcmp(s->files[end].name, img->name) == 0; end++)
		;
	for (size_t i = first; i < end; i++) {
		if (image_open_elf(s, img, s->files[i].path, -1) < 0) {
			warn(s, "%s: %s", s->files[i].path, s->err);
			continue;
		}
		if (!buildid_differs(img, log_id))
			return;
		image_close(img);
	}
	if (image_fetch(s, img, log_id) == 0)
		return;
	for (size_t i = first; i < end; i++)
		if (image_open_elf(s, img, s->files[i].path, -1) == 0)
			return;
	if (first == end && s->nmod_dirs)
		warn(s, "no %s.ko under %s: its frames keep their names only", img->name,
		     s->mod_dirs[0]);
}

static int open_kernel_file(struct ks_sym *s, const char *vmlinux, const char *map)
{
	struct image *k = &s->kernel;

	if (access(vmlinux ? vmlinux : map, R_OK) < 0) {
		int r = -errno;

		snprintf(s->err, sizeof(s->err), "%s", strerror(-r));
		return r;
	}
	if (vmlinux)
		return image_open_elf(s, k, vmlinux, -1);
	return image_open_map(s, k, map);
}

static void kernel_open(struct ks_sym *s, const char *log_id)
{
	struct image *k = &s->kernel;

	if (open_host_buildid(s, k, log_id))
		return;
	if (s->host_vmlinux[0] && open_kernel_file(s, s->host_vmlinux, NULL) == 0) {
		if (!buildid_differs(k, log_id) || !s->debuginfod.client)
			return;
		image_close(k);
	}
	if (image_fetch(s, k, log_id) == 0)
		return;
	if (s->host_vmlinux[0] && open_kernel_file(s, s->host_vmlinux, NULL) == 0)
		return;
	if (s->host_map[0] && open_kernel_file(s, NULL, s->host_map) == 0)
		return;
	k->state = IMG_NONE;
}

static struct image *module_image(struct ks_sym *s, const char *module)
{
	char name[256];
	struct image *img;

	snprintf(name, sizeof(name), "%s", module);
	normalise(name);
	for (size_t i = 0; i < s->nmods; i++)
		if (strcmp(s->mods[i]->name, name) == 0)
			return s->mods[i];
	if (s->nmods == s->capmods) {
		size_t cap = s->capmods ? s->capmods * 2 : 8;
		struct image **v = realloc(s->mods, cap * sizeof(*v));

		if (!v)
			return NULL;
		s->mods = v;
		s->capmods = cap;
	}
	img = calloc(1, sizeof(*img));
	if (!img || !(img->name = strdup(name))) {
		free(img);
		return NULL;
	}
	s->mods[s->nmods++] = img;
	return img;
}

/* The image of a frame's module (NULL: the kernel), opened on first use; NULL if none. */
static struct image *image_of(struct ks_sym *s, const char *module, const char *log_id)
{
	struct image *img = module ? module_image(s, module) : &s->kernel;

	if (!img)
		return NULL;
	if (img->state == IMG_UNOPENED) {
		if (module)
			module_open(s, img, log_id);
		else
			kernel_open(s, log_id);
		if (img->state != IMG_OPEN)
			img->state = IMG_NONE;
	}
	return img->state == IMG_OPEN ? img : NULL;
}

/* ---- Set-up ------------------------------------------------------------------------ */

static int add_module_dir(struct ks_sym *s, const char *dir)
{
	if (s->nmod_dirs == MAX_MODULE_DIRS)
		return -ENOSPC;
	if (!(s->mod_dirs[s->nmod_dirs] = strdup(dir)))
		return -ENOMEM;
	s->nmod_dirs++;
	return 0;
}

/* "FILE: what is wrong with it". */
static void prefix_error(struct ks_sym *s, const char *file)
{
	char msg[sizeof(s->err)];

	snprintf(msg, sizeof(msg), "%.200s: %.300s", file, s->err);
	memcpy(s->err, msg, sizeof(msg));
}

/* Files the user named must all be usable: say which is not, now. */
static int open_named_files(struct ks_sym *s)
{
	const struct ks_sym_config *c = &s->cfg;
	int r;

	if (c->vmlinux || c->system_map) {
		r = open_kernel_file(s, c->vmlinux, c->vmlinux ? NULL : c->system_map);
		if (r < 0) {
			prefix_error(s, c->vmlinux ? c->vmlinux : c->system_map);
			return r;
		}
	}
	if (c->kallsyms) {
		r = ks_symtab_load_map(c->kallsyms, &s->kallsyms, s->err, sizeof(s->err));
		if (r < 0) {
			prefix_error(s, c->kallsyms);
			return r;
		}
	}
	if (c->modules_dir) {
		struct stat st;

		r = stat(c->modules_dir, &st) < 0 ? -errno : S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
		if (r < 0) {
			snprintf(s->err, sizeof(s->err), "%.200s: %s", c->modules_dir, strerror(-r));
			return r;
		}
		if ((r = add_module_dir(s, c->modules_dir)) < 0)
			return r;
	}
	if (c->srcdir && (r = ks_srcdir_new(c->srcdir, &s->srcdir)) < 0) {
		snprintf(s->err, sizeof(s->err), "%.200s: %s", c->srcdir, strerror(-r));
		return r;
	}
	return 0;
}

/*
 * kallsyms and the link-time symbols name the same functions: the distance
 * between them is the kernel offset of the boot kallsyms was saved in.
 */
static void kallsyms_offset(struct ks_sym *s)
{
	static const char *const anchors[] = { "_text", "_stext", "startup_64", "start_kernel" };
	const struct ks_symtab *k;

	if (!s->kallsyms || !(k = s->kernel.syms))
		return;
	for (size_t i = 0; i < KS_ARRAY_SIZE(anchors); i++) {
		size_t nr, nl;
		const struct ks_symbol *const *run = ks_symtab_by_name(s->kallsyms, anchors[i], &nr);
		const struct ks_symbol *const *lnk = ks_symtab_by_name(k, anchors[i], &nl);

		if (run && lnk && !run[0]->module) {
			s->kallsyms_koff = run[0]->addr - lnk[0]->addr;
			s->has_kallsyms_koff = true;
			return;
		}
	}
}

int ks_sym_new(const struct ks_sym_config *cfg, struct ks_sym **ret)
{
	struct ks_sym *s = calloc(1, sizeof(*s));
	int r;

	if (!s)
		return -ENOMEM;
	*ret = s; /* even on failure, for ks_sym_error(); the caller frees it */
	s->cfg = *cfg;
	s->kernel.name = strdup("kernel");
	if (!s->kernel.name)
		return -ENOMEM;
	if ((r = open_named_files(s)) < 0)
		return r;
	if (cfg->debuginfod) {
		const char *urls = getenv("DEBUGINFOD_URLS");
		char why[256];

		if (!urls || !*urls)
			warn(s, "--debuginfod: DEBUGINFOD_URLS is not set, nothing will be fetched");
		else if (debuginfod_load(&s->debuginfod, why, sizeof(why)) < 0) {
			debuginfod_unload(&s->debuginfod);
			warn(s, "--debuginfod: no debuginfod client: %s", why);
		}
	}
	kallsyms_offset(s);
	return 0;
}

const char *ks_sym_error(const struct ks_sym *s)
{
	return s->err[0] ? s->err : "unknown error";
}

static void image_free(struct image *img)
{
	image_close(img);
	free(img->name);
}

void ks_sym_free(struct ks_sym *s)
{
	if (!s)
		return;
	image_free(&s->kernel);
	for (size_t i = 0; i < s->nmods; i++) {
		image_free(s->mods[i]);
		free(s->mods[i]);
	}
	free(s->mods);
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].name);
		free(s->files[i].path);
	}
	free(s->files);
	for (size_t i = 0; i < s->nmod_dirs; i++)
		free(s->mod_dirs[i]);
	ks_symtab_free(s->kallsyms);
	debuginfod_unload(&s->debuginfod);
	ks_srcdir_free(s->srcdir);
	free(s);
}

/*
 * The running kernel's files, when the log comes from it: Debian's and
 * Fedora's debug packages, /boot's System.map and the installed modules.
 */
/* host_root/DIR/PREFIX<release>SUFFIX into @buf, or "" when it is not readable. */
static void host_path(const struct ks_sym *s, char *buf, size_t size, const char *dir,
		      const char *prefix, const char *suffix)
{
	const char *root = s->cfg.host_root ? s->cfg.host_root : "";

	if (snprintf(buf, size, "%s%s%s%s%s", root, dir, prefix, s->cfg.host_release, suffix) >=
		    (int)size ||
	    access(buf, R_OK) != 0)
		buf[0] = '\0';
}

static void discover_host(struct ks_sym *s, const char *release)
{
	char dir[256];

	/* The log's release is untrusted: it only ever equals the running one here. */
	if (s->host_done || !s->cfg.host_release || !release || strcmp(s->cfg.host_release, release))
		return;
	s->host_done = true;
	if (s->kernel.state != IMG_OPEN) {
		s->kernel.state = IMG_UNOPENED;
		host_path(s, s->host_vmlinux, sizeof(s->host_vmlinux), "/usr/lib/debug/boot/", "vmlinux-", "");
		if (!s->host_vmlinux[0])
			host_path(s, s->host_vmlinux, sizeof(s->host_vmlinux), "/usr/lib/debug/lib/modules/",
				  "", "/vmlinux");
		host_path(s, s->host_map, sizeof(s->host_map), "/boot/", "System.map-", "");
	}
	if (s->cfg.modules_dir)
		return;
	host_path(s, dir, sizeof(dir), "/usr/lib/debug/lib/modules/", "", "");
	if (dir[0])
		add_module_dir(s, dir);
	host_path(s, dir, sizeof(dir), "/lib/modules/", "", "");
	if (dir[0])
		add_module_dir(s, dir);
	s->scanned = false;
	for (size_t i = 0; i < s->nmods; i++)
		if (s->mods[i]->state == IMG_NONE)
			s->mods[i]->state = IMG_UNOPENED;
}

/* ---- Addresses a log teaches ------------------------------------------------------ */

static struct learned *learned_for(struct ks_sym *s, uint32_t source)
{
	struct learned *l = &s->learned;

	/* Reports never span inputs, and neither do boots as far as ksplat can tell. */
	if (!l->valid || l->source != source) {
		memset(l, 0, sizeof(*l));
		l->valid = true;
		l->source = source;
	}
	return l;
}

void ks_sym_note_line(struct ks_sym *s, uint32_t source, const char *line, size_t len)
{
	struct learned *l;
	uint64_t off;
	size_t i;

	if (!ks_has_prefix(line, len, "Kernel Offset: "))
		return;
	l = learned_for(s, source);
	i = 15;
	if (ks_has_prefix(line + i, len - i, "disabled")) {
		l->has_koff = true;
		l->koff = 0;
	} else if (ks_has_prefix(line + i, len - i, "0x") &&
		   ks_parse_u64(line + i + 2, len - i - 2, 16, &off) > 0) {
		l->has_koff = true;
		l->koff = off;
	}
}

/* ---- Frames of a report ------------------------------------------------------------- */

typedef void frame_fn(struct ks_sym *s, struct ks_report *r, struct ks_frame *f, void *ctx);

static void each_frame(struct ks_sym *s, struct ks_report *r, frame_fn *fn, void *ctx)
{
	struct ks_frame *extra[] = { r->pc, r->preempt_site, r->irqs_off_site, r->site, r->nmi_pc,
				     r->caller_frame };

	for (uint32_t i = 0; i < r->trace.n; i++)
		fn(s, r, &r->trace.v[i], ctx);
	for (size_t i = 0; i < KS_ARRAY_SIZE(extra); i++)
		if (extra[i])
			fn(s, r, extra[i], ctx);
	for (uint32_t i = 0; i < r->held.n; i++)
		if (r->held.v[i].has_at)
			fn(s, r, &r->held.v[i].at, ctx);
	for (uint32_t i = 0; i < r->involved.n; i++)
		if (r->involved.v[i].has_at)
			fn(s, r, &r->involved.v[i].at, ctx);
	if (r->acquiring && r->acquiring->has_at)
		fn(s, r, &r->acquiring->at, ctx);
}

static bool is_named(const struct ks_frame *f)
{
	return f->func && f->has_off;
}

static const char *log_buildid(const struct ks_report *r, const struct ks_frame *f)
{
	return f->module ? f->buildid : r->kernel_buildid;
}

/* The image for @f, if it may serve this report. */
static struct image *usable_image(struct ks_sym *s, const struct ks_report *r,
				  const struct ks_frame *f)
{
	struct image *img = image_of(s, f->module, log_buildid(r, f));

	return img && img->unusable != s->serial ? img : NULL;
}

enum fit { FIT_NO, FIT_WEAK, FIT_EXACT };

/*
 * kallsyms has no sizes: it prints the distance to the next symbol, or to
 * the end of the module's memory for the last one of a section
 * ("splat_init+0xd7/0x1000"), which proves little.
 */
static enum fit size_fit(const struct ks_symbol *sym, uint64_t size)
{
	if (size && (sym->size == size || sym->span == size))
		return FIT_EXACT;
	return !size || (sym->last && size >= sym->size) ? FIT_WEAK : FIT_NO;
}

/*
 * The symbol a "func+off/size" frame names. Several static functions may
 * share a name: the printed size tells them apart. NULL when no symbol of
 * that name has that size: the file is not the one the kernel ran.
 */
static const struct ks_symbol *named_symbol(const struct image *img, const struct ks_frame *f,
					    enum fit *ret_fit)
{
	size_t n;
	const struct ks_symbol *const *c = ks_symtab_by_name(img->syms, f->func, &n);
	const struct ks_symbol *weak = NULL;

	for (size_t i = 0; c && i < n; i++) {
		enum fit fit = size_fit(c[i], f->size);

		if (fit == FIT_EXACT) {
			*ret_fit = fit;
			return c[i];
		}
		if (fit == FIT_WEAK && !weak)
			weak = c[i];
	}
	*ret_fit = weak ? FIT_WEAK : FIT_NO;
	return weak;
}

static void mark_unusable(struct ks_sym *s, struct image *img, const char *why)
{
	img->unusable = s->serial;
	img->distrusted = true;
	if (img->warned_build)
		return;
	img->warned_build = true;
	warn(s, "%s: %s: it is another build, its lines are not used", img->path, why);
}

/* Pass 1: the build ids and sizes the log prints must be the file's. */
static void vet_frame(struct ks_sym *s, struct ks_report *r, struct ks_frame *f, void *ctx)
{
	struct image *img;
	char why[256];

	(void)ctx;
	if (!is_named(f) || !(img = usable_image(s, r, f)))
		return;
	if (buildid_differs(img, log_buildid(r, f))) {
		snprintf(why, sizeof(why), "build id %s, the log's %s was built as %s", img->buildid,
			 f->module ? f->module : "kernel", log_buildid(r, f));
		mark_unusable(s, img, why);
		return;
	}
	if (f->size) {
		enum fit fit;

		named_symbol(img, f, &fit);
		img->sizes_ok += fit == FIT_EXACT;
		img->sizes_bad += fit == FIT_NO;
	}
	/* A build id that matches vouches for the file whatever the sizes say. */
	if (log_buildid(r, f))
		img->vouched = true;
}

/* More than one printed size in eight that fits no symbol: not a stray alias, another build. */
static void judge_sizes(struct ks_sym *s, struct image *img)
{
	char why[128];

	if (img->state == IMG_OPEN && img->unusable != s->serial && img->sizes_bad &&
	    img->sizes_bad * 8 > img->sizes_ok) {
		snprintf(why, sizeof(why), "%u of the %u function sizes the log prints differ",
			 img->sizes_bad, img->sizes_bad + img->sizes_ok);
		mark_unusable(s, img, why);
	}
	if (img->sizes_ok && img->unusable != s->serial)
		img->vouched = true;
	img->sizes_ok = img->sizes_bad = 0;
}

/* Where libdwfl laid out the section of link address @addr of @img: [lo, hi). */
static bool section_range(const struct image *img, uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	Dwarf_Addr rel = addr, bias;
	Elf_Scn *scn;
	GElf_Shdr shdr;

	if (!img->mod)
		return false;
	scn = dwfl_module_address_section(img->mod, &rel, &bias);
	if (!scn || !gelf_getshdr(scn, &shdr))
		return false;
	*lo = addr - rel;
	*hi = *lo + shdr.sh_size;
	return true;
}

struct learning {
	struct learned *l;
	bool has_koff, koff_conflict;
	uint64_t koff;
};

static void learn_delta(struct learned *l, struct image *img, uint64_t lo, uint64_t hi,
			uint64_t delta)
{
	size_t i;

	for (i = 0; i < l->nd && !(l->d[i].img == img && l->d[i].lo == lo); i++)
		;
	if (i == l->nd) {
		if (l->nd == MAX_DELTAS)
			return;
		l->nd++;
	}
	l->d[i] = (struct delta){ .img = img, .lo = lo, .hi = hi, .delta = delta };
}

/* Pass 2: a frame that prints an address and a name pins where its image was loaded. */
static void learn_frame(struct ks_sym *s, struct ks_report *r, struct ks_frame *f, void *ctx)
{
	struct learning *lg = ctx;
	struct image *img;
	const struct ks_symbol *sym;
	uint64_t link, lo, hi;

	enum fit fit;

	if (!is_named(f) || !f->addr || !(img = usable_image(s, r, f)) ||
	    !(sym = named_symbol(img, f, &fit)))
		return;
	link = sym->addr + f->off;
	if (!f->module) {
		if (lg->has_koff && lg->koff != f->addr - link)
			lg->koff_conflict = true;
		lg->has_koff = true;
		lg->koff = f->addr - link;
	} else if (section_range(img, link, &lo, &hi)) {
		learn_delta(lg->l, img, lo, hi, f->addr - link);
	}
}

static bool set_name(struct ks_report *r, struct ks_frame *f, const struct ks_symbol *sym,
		     uint64_t off, const char *module)
{
	const char *func = ks_report_strdup(r, sym->name, strlen(sym->name));

	if (!func || (module && !(module = ks_report_strdup(r, module, strlen(module)))))
		return false;
	f->func = func;
	f->module = module;
	f->off = off;
	f->size = sym->size ? sym->size : sym->span;
	f->has_off = true;
	return true;
}

/*
 * Nothing in a bare address tells a wrong file from the right one: only a
 * file that no report has shown to be of another build names them.
 */
static bool trusted(const struct ks_sym *s, const struct image *img)
{
	return img->unusable != s->serial && !img->distrusted;
}

/* Bytes of @img's file just before link address @addr, into @buf (@n of them). */
static bool code_before(const struct image *img, uint64_t addr, unsigned char *buf, size_t n)
{
	Dwarf_Addr rel = addr - 1, bias;
	Elf_Scn *scn = img->mod ? dwfl_module_address_section(img->mod, &rel, &bias) : NULL;
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;

	if (!data || !data->d_buf || rel + 1 < n || rel + 1 > data->d_size)
		return false;
	memcpy(buf, (const unsigned char *)data->d_buf + rel + 1 - n, n);
	return true;
}

/*
 * A return address follows a call instruction: x86 "call rel32" and the
 * indirect "call *r/m" forms, arm64 BL/BLR/BLRA*. Other machines, or code
 * the file does not hold: unknown, taken as yes.
 */
static bool follows_call(const struct image *img, uint64_t addr)
{
	GElf_Addr bias;
	Elf *elf = img->mod ? dwfl_module_getelf(img->mod, &bias) : NULL;
	GElf_Ehdr eh;
	unsigned char b[8];

	if (!elf || !gelf_getehdr(elf, &eh) || !code_before(img, addr, b, sizeof(b)))
		return true;
	if (eh.e_machine == EM_X86_64 || eh.e_machine == EM_386) {
		const unsigned char *e = b + sizeof(b); /* e[-k]: k bytes before the return address */

		return e[-5] == 0xe8 || (e[-2] == 0xff && (e[-1] & 0xf8) == 0xd0) ||
		       (e[-3] == 0xff && (e[-2] & 0xf8) == 0x50) ||
		       (e[-6] == 0xff && ((e[-5] & 0xf8) == 0x90 || e[-5] == 0x15)) ||
		       (e[-7] == 0xff && e[-6] == 0x14);
	}
	if (eh.e_machine == EM_AARCH64) {
		uint32_t insn = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 |
				(uint32_t)b[7] << 24;

		return (insn & 0xfc000000) == 0x94000000 || (insn & 0xfffffc1f) == 0xd63f0000 ||
		       (insn & 0xfefff800) == 0xd63f0800;
	}
	return true;
}

/* The link-time symbol of a raw address, through the kernel offset or a module's load address. */
static const struct ks_symbol *link_symbol(struct ks_sym *s, const struct ks_report *r,
					   const struct learned *l, const struct ks_frame *f,
					   struct image **ret_img, uint64_t *ret_delta)
{
	uint64_t q = (f->flags & KS_FRAME_PC) ? f->addr : f->addr - 1;
	bool has_koff = l->has_koff || s->has_kallsyms_koff;
	uint64_t koff = l->has_koff ? l->koff : s->kallsyms_koff;
	const struct ks_symbol *sym;

	if (has_koff && image_of(s, NULL, r->kernel_buildid) && trusted(s, &s->kernel) &&
	    (sym = ks_symtab_by_addr(s->kernel.syms, q - koff))) {
		*ret_img = &s->kernel;
		*ret_delta = koff;
		return sym;
	}
	for (size_t i = 0; i < l->nd; i++) {
		const struct delta *d = &l->d[i];
		uint64_t link = q - d->delta;

		if (link >= d->lo && link < d->hi && trusted(s, d->img) &&
		    (sym = ks_symtab_by_addr(d->img->syms, link))) {
			*ret_img = d->img;
			*ret_delta = d->delta;
			return sym;
		}
	}
	return NULL;
}

static bool is_raw_return(const struct ks_frame *f)
{
	return !f->func && f->addr && !(f->flags & (KS_FRAME_PC | KS_FRAME_UNRELIABLE));
}

/* Pass 3: do the report's bare return addresses land after calls in the files? */
static void check_frame(struct ks_sym *s, struct ks_report *r, struct ks_frame *f, void *ctx)
{
	struct image *img;
	uint64_t delta;

	if (is_raw_return(f) && link_symbol(s, r, ctx, f, &img, &delta)) {
		if (follows_call(img, f->addr - delta))
			img->calls_ok++;
		else
			img->calls_bad++;
	}
}

static void judge_calls(struct ks_sym *s, struct image *img)
{
	char why[128];

	if (img->calls_bad >= 2 && img->calls_bad > img->calls_ok) {
		snprintf(why, sizeof(why), "%u of the %u return addresses the log prints follow no call",
			 img->calls_bad, img->calls_bad + img->calls_ok);
		mark_unusable(s, img, why);
	}
	img->calls_ok = img->calls_bad = 0;
}

/*
 * kallsyms has no sizes: an address past a module's last function (its
 * .init.text, freed and unlisted) would look like an offset into it. The
 * module's own file knows the function's size.
 */
static bool within_module_symbol(struct ks_sym *s, const struct ks_symbol *sym, uint64_t off)
{
	struct image *img;
	size_t n;
	const struct ks_symbol *const *c;

	if (!sym->module || !(img = image_of(s, sym->module, NULL)) ||
	    !(c = ks_symtab_by_name(img->syms, sym->name, &n)))
		return true;
	for (size_t i = 0; i < n; i++)
		if (!c[i]->size || off <= c[i]->size)
			return true;
	return false;
}

/* Pass 4: a raw address to "func+off" through the learnt offsets, else kallsyms. */
static void name_frame(struct ks_sym *s, struct ks_report *r, struct ks_frame *f, void *ctx)
{
	const struct ks_symbol *sym;
	struct image *img;
	uint64_t delta, q = (f->flags & KS_FRAME_PC) ? f->addr : f->addr - 1;

	if (f->func || !f->addr)
		return;
	if ((sym = link_symbol(s, r, ctx, f, &img, &delta))) {
		/* A return address that follows no call is stack garbage, or a wrong file. */
		if (!(f->flags & KS_FRAME_PC) && !follows_call(img, f->addr - delta))
			return;
		set_name(r, f, sym, f->addr - delta - sym->addr, img == &s->kernel ? NULL : img->name);
		return;
	}
	if (s->kallsyms && (sym = ks_symtab_by_addr(s->kallsyms, q)) &&
	    within_module_symbol(s, sym, f->addr - sym->addr))
		set_name(r, f, sym, f->addr - sym->addr, sym->module);
}

static void copy_inlines(struct ks_report *r, struct ks_frame *f, const struct ks_dwline_result *l)
{
	struct ks_inlined *v;

	if (!l->ninlined || !(v = ks_arena_alloc(r->arena, l->ninlined * sizeof(*v))))
		return;
	for (uint16_t i = 0; i < l->ninlined; i++) {
		v[i].func = ks_report_strdup_or_null(r, l->inlined[i].func);
		v[i].file = ks_report_strdup_or_null(r, l->inlined[i].file);
		v[i].line = l->inlined[i].line;
		if (!v[i].file)
			return;
	}
	f->inlined = v;
	f->ninlined = l->ninlined;
}

/* Pass 5: file:line of a named frame of a file that fits the log. */
static void line_frame(struct ks_sym *s, struct ks_report *r, struct ks_frame *f, void *ctx)
{
	struct image *img;
	const struct ks_symbol *sym;
	struct ks_dwline_result l;
	uint64_t addr;
	enum fit fit;

	(void)ctx;
	if (!is_named(f) || f->file || !(img = usable_image(s, r, f)) || !img->mod ||
	    !(sym = named_symbol(img, f, &fit)) || (fit == FIT_WEAK && !img->vouched))
		return;
	if (!img->lines && ks_dwline_new(img->mod, &img->lines) < 0)
		return;
	/* A return address points after the call: look up the call itself. */
	addr = sym->addr + f->off;
	if (!(f->flags & KS_FRAME_PC) && f->off > 0)
		addr -= 1;
	if (!ks_dwline_lookup(img->lines, addr, f->func, &l) || !(f->file = ks_report_strdup_or_null(r, l.file)))
		return;
	f->line = l.line;
	copy_inlines(r, f, &l);
}

void ks_sym_resolve_report(struct ks_sym *s, struct ks_report *r)
{
	struct learning lg = { .l = learned_for(s, r->source) };

	s->serial++;
	discover_host(s, r->kernel);
	each_frame(s, r, vet_frame, NULL);
	judge_sizes(s, &s->kernel);
	for (size_t i = 0; i < s->nmods; i++)
		judge_sizes(s, s->mods[i]);
	each_frame(s, r, learn_frame, &lg);
	if (lg.has_koff && !lg.koff_conflict) {
		lg.l->has_koff = true;
		lg.l->koff = lg.koff;
	} else if (lg.koff_conflict && s->kernel.state == IMG_OPEN) {
		mark_unusable(s, &s->kernel, "the addresses the log prints do not fit its symbols");
	}
	each_frame(s, r, check_frame, lg.l);
	judge_calls(s, &s->kernel);
	for (size_t i = 0; i < s->nmods; i++)
		judge_calls(s, s->mods[i]);
	each_frame(s, r, name_frame, lg.l);
	each_frame(s, r, line_frame, NULL);
}

/* ---- Source lines ----------------------------------------------------------------------- */

static void add_source(struct ks_sym *s, struct ks_report *r, const struct ks_frame *target)
{
	char text[SOURCE_LINE_MAX];
	struct ks_frame *f = NULL;

	if (!target || !target->file || target->source)
		return;
	/* Analysis points into the report: find the frame to write to. */
	for (uint32_t i = 0; i < r->trace.n && !f; i++)
		if (&r->trace.v[i] == target)
			f = &r->trace.v[i];
	for (uint32_t i = 0; i < r->held.n && !f; i++)
		if (&r->held.v[i].at == target)
			f = &r->held.v[i].at;
	for (uint32_t i = 0; i < r->involved.n && !f; i++)
		if (&r->involved.v[i].at == target)
			f = &r->involved.v[i].at;
	if (!f && r->acquiring && &r->acquiring->at == target)
		f = &r->acquiring->at;
	if (f && ks_srcdir_line(s->srcdir, f->file, f->line, text, sizeof(text)) == 0)
		f->source = ks_report_strdup_or_null(r, text);
}

void ks_sym_add_source(struct ks_sym *s, struct ks_report *r)
{
	const struct ks_analysis *a = &r->a;

	if (!s->srcdir)
		return;
	add_source(s, r, a->culprit);
	if (a->lock && a->lock->has_at)
		add_source(s, r, &a->lock->at);
	if (a->holding && a->holding->has_at)
		add_source(s, r, &a->holding->at);
}
