# ksplat - find kernel reports in logs and say what went wrong, where, and
# under which lock.
#
# The default target of this Makefile is... all:
#   make              build ./ksplat
#   make check        unit, golden, live-source, hostile-input and real-log tests
#   make asan         the same suite built with AddressSanitizer + UBSan
#   make valgrind     unit and golden tests under valgrind's memcheck
#   make fuzz         libFuzzer targets, FUZZ_TIME seconds each (clang)
#   make install      PREFIX=/usr/local, DESTDIR for staging
#   make lint         mandoc -Tlint on the man page
#   make bench        scanning speed and memory against grep and ripgrep
#   make bench-symbolize  symbolization speed against addr2line & co (../shared)
# CFLAGS and LDFLAGS are yours to override; ksplat's own flags live in KS_CFLAGS.
# CC=clang works as well as gcc.

-include config.mak

CC ?= cc
CFLAGS ?= -O2 -g
LDFLAGS ?=
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
BUILD ?= build
KSPLAT_BIN ?= ksplat

VERSION := 0.1.0
WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wvla -Wstrict-prototypes -Werror
KS_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -DKSPLAT_VERSION='"$(VERSION)"' \
	$(shell $(PKG_CONFIG) --cflags libpcre2-8 libdw libdebuginfod libsystemd libarchive json-c)
KS_LIBS := $(shell $(PKG_CONFIG) --libs libpcre2-8 libdw libsystemd libarchive json-c)
TEST_LIBS := $(shell $(PKG_CONFIG) --libs cmocka)

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

all: $(KSPLAT_BIN)

$(KSPLAT_BIN): $(BUILD)/main.o $(BUILD)/libksplat.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(KS_LIBS)

$(BUILD)/libksplat.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: src/%.c $(wildcard include/ksplat/*.h) | $(BUILD)
	$(CC) $(CFLAGS) $(KS_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libksplat.a tests/unit/unit.h | $(BUILD)/tests
	$(CC) $(CFLAGS) $(KS_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(BUILD)/libksplat.a \
		$(KS_LIBS) $(TEST_LIBS)

# The symbolizer's tests read a small ELF with DWARF built here (any machine).
include tests/fixtures/sym/rules.mk
$(BUILD)/tests/test_symbolize: $(SYMFIX_DIR)/stamp

$(BUILD) $(BUILD)/tests:
	mkdir -p $@

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; \
		KSPLAT_FIXTURE=$(SYMFIX_DIR) $(TEST_WRAPPER) $$t; done

golden: $(KSPLAT_BIN)
	@KSPLAT="$(TEST_WRAPPER) $(CURDIR)/$(KSPLAT_BIN)" sh tests/golden/run.sh

shared: $(KSPLAT_BIN)
	@KSPLAT="$(TEST_WRAPPER) $(CURDIR)/$(KSPLAT_BIN)" sh tests/shared/run.sh

# Live sources: followed files and pipes, /dev/kmsg records, compressed inputs.
live: $(KSPLAT_BIN)
	@set -e; for t in tests/live/check_*.py; do \
		python3 $$t --ksplat "$(TEST_WRAPPER) $(CURDIR)/$(KSPLAT_BIN)" --samples samples; done

# Hostile inputs (tests/hostile): each case's outcome, time and peak memory asserted.
# HOSTILE_RSS_MB=0 drops the memory bound (sanitizers and valgrind need more).
HOSTILE_RSS_MB ?= 16
hostile: $(KSPLAT_BIN) $(SYMFIX_DIR)/stamp
	@python3 tests/hostile/check_hostile.py --ksplat "$(TEST_WRAPPER) $(CURDIR)/$(KSPLAT_BIN)" \
		--samples samples --fixture $(SYMFIX_DIR) --rss-limit-mb $(if $(TEST_WRAPPER),0,$(HOSTILE_RSS_MB))

check: unit golden live hostile shared

# Sanitizer build in its own directory, running the whole suite.
asan:
	$(MAKE) BUILD=build-asan KSPLAT_BIN=build-asan/ksplat CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" HOSTILE_RSS_MB=0 check

# The unit tests and the golden suite under memcheck; an error or a leak fails.
valgrind: all
	$(MAKE) TEST_WRAPPER="valgrind -q --error-exitcode=3 --leak-check=full" unit golden

# libFuzzer targets (tests/fuzz), built by clang with ASan+UBSan in their own
# directory. fuzz runs each for FUZZ_TIME seconds (make -j2 fuzz: two at once),
# its corpus seeded from samples/ and ../shared; fuzz-replay runs the seeds and
# tests/fuzz/regress/ (inputs that once failed) through every target.
FUZZ_BUILD := build-fuzz
FUZZ_TIME ?= 60
FUZZ_NAMES ?= envelope detect assemble pipeline kmsg merge symbolize
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OPTS := -timeout=10 -rss_limit_mb=1024 -max_len=65536 -print_final_stats=1
FUZZ_ENV := KSPLAT_FIXTURE=$(FUZZ_BUILD)/fixtures/sym ASAN_OPTIONS=detect_leaks=1 \
	UBSAN_OPTIONS=print_stacktrace=1

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.c tests/fuzz/fuzz.h $(BUILD)/libksplat.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(KS_CFLAGS) -Itests/fuzz $(LDFLAGS) -o $@ $< \
		tests/fuzz/fuzz.c $(BUILD)/libksplat.a $(KS_LIBS)

fuzz-build:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang CFLAGS="-O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link" \
		LDFLAGS="$(FUZZ_SAN)" $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz/fuzz_%) $(FUZZ_BUILD)/fixtures/sym/stamp

fuzz-seed: $(KSPLAT_BIN) fuzz-build
	rm -rf $(FUZZ_BUILD)/seeds
	python3 tests/fuzz/seed.py $(FUZZ_BUILD)/seeds --samples samples --shared ../shared \
		--ksplat $(CURDIR)/$(KSPLAT_BIN) --fixture $(FUZZ_BUILD)/fixtures/sym

fuzz-replay: fuzz-seed
	@set -e; mkdir -p $(FUZZ_BUILD)/findings; for t in $(FUZZ_NAMES); do mkdir -p tests/fuzz/regress/$$t; \
		echo "== replay $$t: $$(find $(FUZZ_BUILD)/seeds/$$t tests/fuzz/regress/$$t -type f | wc -l) inputs"; \
		$(FUZZ_ENV) $(FUZZ_BUILD)/fuzz/fuzz_$$t $(FUZZ_OPTS) -runs=0 -artifact_prefix=$(FUZZ_BUILD)/findings/$$t- \
			$(FUZZ_BUILD)/seeds/$$t tests/fuzz/regress/$$t >$(FUZZ_BUILD)/replay-$$t.log 2>&1 || \
			{ tail -50 $(FUZZ_BUILD)/replay-$$t.log; exit 1; }; done

fuzz: $(FUZZ_NAMES:%=fuzz-run-%)

fuzz-run-%: fuzz-seed
	@mkdir -p $(FUZZ_BUILD)/corpus/$* $(FUZZ_BUILD)/findings tests/fuzz/regress/$*
	@echo "== fuzz $* for $(FUZZ_TIME) s (log: $(FUZZ_BUILD)/fuzz-$*.log)"
	@$(FUZZ_ENV) $(FUZZ_BUILD)/fuzz/fuzz_$* $(FUZZ_OPTS) -max_total_time=$(FUZZ_TIME) \
		-artifact_prefix=$(FUZZ_BUILD)/findings/$*- $(FUZZ_BUILD)/corpus/$* \
		$(FUZZ_BUILD)/seeds/$* tests/fuzz/regress/$* >$(FUZZ_BUILD)/fuzz-$*.log 2>&1 || \
		{ tail -60 $(FUZZ_BUILD)/fuzz-$*.log; exit 1; }
	@grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done' $(FUZZ_BUILD)/fuzz-$*.log | \
		sed 's/^/   $*: /'

lint:
	mandoc -Tlint -Wwarning man/ksplat.1

# Scanning speed and peak RSS against grep -cE and rg -c on generated logs (1 GB
# sparse, 100 MB dense in reports) and the rig's logs repeated; inputs are kept
# in $(BUILD)/bench. Not part of check.
bench: $(KSPLAT_BIN)
	python3 bench/scan.py --ksplat $(CURDIR)/$(KSPLAT_BIN) --dir $(BUILD)/bench --shared ../shared

# Symbolization speed against decode_stacktrace.sh, llvm-symbolizer, eu-addr2line and
# addr2line over every frame of the rig's logs (needs ../shared; not part of check).
bench-symbolize: $(KSPLAT_BIN)
	KSPLAT=$(CURDIR)/$(KSPLAT_BIN) python3 bench/symbolize.py

# Peak RSS while following an endless generated stream, after 10^3..10^6 reports.
bench-follow: $(KSPLAT_BIN)
	KSPLAT=$(CURDIR)/$(KSPLAT_BIN) python3 bench/follow_memory.py

golden-update: ksplat
	@KSPLAT="$(CURDIR)/ksplat" UPDATE=1 sh tests/golden/run.sh

install: ksplat
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(UNITDIR)
	install -m 755 ksplat $(DESTDIR)$(BINDIR)/ksplat
	install -m 644 man/ksplat.1 $(DESTDIR)$(MANDIR)/man1/ksplat.1
	sed 's|@BINDIR@|$(BINDIR)|g' systemd/ksplat.service.in > $(DESTDIR)$(UNITDIR)/ksplat.service
	chmod 644 $(DESTDIR)$(UNITDIR)/ksplat.service
	install -d $(DESTDIR)$(DATADIR)/bash-completion/completions $(DESTDIR)$(DATADIR)/zsh/site-functions
	install -m 644 completions/ksplat.bash $(DESTDIR)$(DATADIR)/bash-completion/completions/ksplat
	install -m 644 completions/_ksplat $(DESTDIR)$(DATADIR)/zsh/site-functions/_ksplat

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ksplat $(DESTDIR)$(MANDIR)/man1/ksplat.1 \
		$(DESTDIR)$(UNITDIR)/ksplat.service \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/ksplat \
		$(DESTDIR)$(DATADIR)/zsh/site-functions/_ksplat

clean:
	rm -rf build build-asan build-fuzz ksplat

.PHONY: accuracy all unit golden live hostile shared check asan valgrind lint golden-update install uninstall clean \
	bench bench-symbolize bench-follow fuzz fuzz-build fuzz-seed fuzz-replay

# Title accuracy on the syzkaller corpus in ../shared, per family, with every miss.
accuracy: $(KSPLAT_BIN)
	python3 bench/accuracy.py --ksplat $(CURDIR)/$(KSPLAT_BIN) --misses
