# ksplat - find kernel reports in logs and say what went wrong, where, and
# under which lock.
#
# The default target of this Makefile is... all:
#   make              build ./ksplat
#   make check        unit, golden, live-source and real-log tests
#   make asan         the same suite built with AddressSanitizer + UBSan
#   make install      PREFIX=/usr/local, DESTDIR for staging
#   make lint         mandoc -Tlint on the man page
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
KS_LIBS := $(shell $(PKG_CONFIG) --libs libpcre2-8 libdw libdebuginfod libsystemd libarchive json-c)
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

check: unit golden live shared

# Sanitizer build in its own directory, running the whole suite.
asan:
	$(MAKE) BUILD=build-asan KSPLAT_BIN=build-asan/ksplat CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" check

valgrind: all unit
	$(MAKE) TEST_WRAPPER="valgrind -q --error-exitcode=3 --leak-check=full" check

lint:
	mandoc -Tlint -Wwarning man/ksplat.1

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
	rm -rf build build-asan ksplat

.PHONY: accuracy all unit golden live shared check asan valgrind lint golden-update install uninstall clean \
	bench-symbolize bench-follow

# Title accuracy on the syzkaller corpus in ../shared, per family, with every miss.
accuracy: $(KSPLAT_BIN)
	python3 bench/accuracy.py --ksplat $(CURDIR)/$(KSPLAT_BIN) --misses
