# stick: `make` builds bin/stick (./stick is the source directory), `make test` runs every test, `make bench`
# runs the benchmarks.

CC       ?= cc
CFLAGS   ?= -O2 -g
STICK_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
               -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
PKGS     = libcurl libarchive libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

SRCS := $(sort $(wildcard stick/*.c))
OBJS := $(SRCS:.c=.o)
LIB_OBJS := $(filter-out stick/main.o,$(OBJS))

UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNIT_BINS := $(UNIT_SRCS:.c=)

all: bin/stick

bin/stick: $(OBJS)
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(PKG_LIBS)

stick/%.o: stick/%.c $(wildcard stick/*.h)
	$(CC) $(STICK_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

tests/unit/%: tests/unit/%.c $(LIB_OBJS) $(wildcard stick/*.h)
	$(CC) $(STICK_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -Istick -DTOP_DIR=\"$(CURDIR)\" -o $@ $< $(LIB_OBJS) $(PKG_LIBS)

# What only the tests call (tests/helper/test-tool.c), kept out of bin/stick.
tests/helper/test-tool: tests/helper/test-tool.c $(LIB_OBJS) $(wildcard stick/*.h)
	$(CC) $(STICK_CFLAGS) $(CFLAGS) $(PKG_CFLAGS) -Istick -DTOP_DIR=\"$(CURDIR)\" -o $@ $< $(LIB_OBJS) $(PKG_LIBS)

# test_string compiles embed/string.c into itself.
tests/unit/test_string: embed/string.c

test-bins: bin/stick $(UNIT_BINS) tests/httpd tests/helper/test-tool

tests/httpd: tests/httpd.c
	$(CC) $(STICK_CFLAGS) $(CFLAGS) -o $@ $<

test: test-bins
	@tests/run.sh

bench: bin/stick tests/httpd
	@scripts/bench

# CPython's whole test suite on both interpreters of each toolchain (not
# part of `make test`; about an hour on 2 cores). REGRTEST_PYTHON="3.13"
# runs one version. Logs and JUnit reports: tests/out/regrtest/.
regrtest: bin/stick
	@start=$$(date +%s); tests/regrtest.sh; rc=$$?; \
	echo "make regrtest: $$(( $$(date +%s) - start ))s"; exit $$rc

# A slice of CPython's test suite (58 files) on the aarch64 single-file
# interpreter under qemu-user, in one process (not part of `make test`).
regrtest-aarch64: bin/stick
	@start=$$(date +%s); tests/regrtest-aarch64.sh; rc=$$?; \
	echo "make regrtest-aarch64: $$(( $$(date +%s) - start ))s"; exit $$rc

# t6400 with all 66 of CPython's test files built pruned (make test runs 14
# of them; about 9 minutes on 2 cores).
test-prune-stdlib: test-bins
	@STICK_T6400_ALL=1 tests/run.sh t6400

# numpy's own tests (test_multiarray, test_umath, linalg, fft, random) run
# by a static interpreter with numpy 2.2.4 and pytest, in an empty root
# (tests/numpy/run-tests; not part of `make test`; numpy's first build
# takes long). Expected failures: tests/numpy/expected-failures.
numpy-test: bin/stick
	@start=$$(date +%s); tests/numpy/run-tests; rc=$$?; \
	echo "make numpy-test: $$(( $$(date +%s) - start ))s"; exit $$rc

clean:
	rm -f bin/stick stick/*.o $(UNIT_BINS) tests/httpd tests/helper/test-tool
	rm -rf tests/out bin/asan bin/fuzz bin/stick-asan

.PHONY: all test test-bins bench clean regrtest regrtest-aarch64 test-prune-stdlib numpy-test

# `make install [PREFIX=/usr/local] [DESTDIR=]`: the driver in PREFIX/bin and
# what it reads at run time (recipes, patches, embed/ sources, the Python
# helpers) in PREFIX/share/stick, which stick finds as ../share/stick from
# its own binary, so the installed tree may be moved as a whole.
PREFIX ?= /usr/local
DATADIR = $(PREFIX)/share/stick
DATA_DIRS = thirdparty patches embed stick/stickpy
DATA_SKIP = -name __pycache__ -o -name '*.pyc' -o -name '*.md'

install: bin/stick
	install -D -m 755 bin/stick $(DESTDIR)$(PREFIX)/bin/stick
	rm -rf $(DESTDIR)$(DATADIR)
	find $(DATA_DIRS) \( $(DATA_SKIP) \) -prune -o -type f -print | \
	while read -r f; do \
		mode=644; test -x "$$f" && mode=755; \
		install -D -m $$mode "$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/stick
	rm -rf $(DESTDIR)$(DATADIR)
.PHONY: install uninstall

# Fuzzing and the sanitizer builds (tests/fuzz/README.md), with clang-19:
# `make fuzz` builds each target with libFuzzer, ASan and UBSan and runs it
# FUZZ_SECONDS (at nice 19, one at a time; FUZZ_TARGETS picks some);
# `make asan` builds bin/stick-asan, `make test-asan` runs the fast tests
# (tests/fuzz/asan-tests) with it. The regression inputs of every target
# (tests/fuzz/regress/) replay in `make test` (t0950) through
# bin/fuzz/regress_* (standalone.c's main; plain $(CC) without clang-19).
SAN_CC      ?= clang-19
SAN_FLAGS    = -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
SAN_CFLAGS   = $(STICK_CFLAGS) -O1 -g $(PKG_CFLAGS)
FUZZ_ALL    := elfsym ar recipe kvfile manifest extract_path extract
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_SECONDS ?= 300
HAVE_SAN    := $(shell command -v $(SAN_CC) >/dev/null 2>&1 && echo yes)
ASAN_OBJS   := $(patsubst stick/%,bin/asan/stick/%,$(OBJS))
ASAN_LIB_OBJS := $(filter-out bin/asan/stick/main.o,$(ASAN_OBJS))
FUZZ_OBJS   := $(patsubst stick/%,bin/fuzz/stick/%,$(LIB_OBJS))
REGRESS_BINS := $(FUZZ_ALL:%=bin/fuzz/regress_%)
ifeq ($(HAVE_SAN),yes)
REGRESS_CC   = $(SAN_CC) $(SAN_FLAGS) -O1 -g
REGRESS_OBJS = $(ASAN_LIB_OBJS)
else
REGRESS_CC   = $(CC) $(CFLAGS)
REGRESS_OBJS = $(LIB_OBJS)
endif

bin/asan/stick/%.o: stick/%.c $(wildcard stick/*.h)
	@mkdir -p $(@D)
	$(SAN_CC) $(SAN_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

bin/fuzz/stick/%.o: stick/%.c $(wildcard stick/*.h)
	@mkdir -p $(@D)
	$(SAN_CC) $(SAN_CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

bin/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJS)
	$(SAN_CC) $(SAN_CFLAGS) $(SAN_FLAGS) -fsanitize=fuzzer -Istick -o $@ \
		$< $(FUZZ_OBJS) $(PKG_LIBS)

bin/fuzz/regress_%: tests/fuzz/fuzz_%.c tests/fuzz/standalone.c tests/fuzz/fuzz.h $(REGRESS_OBJS)
	@mkdir -p $(@D)
	$(REGRESS_CC) $(STICK_CFLAGS) $(PKG_CFLAGS) -Istick -o $@ $< \
		tests/fuzz/standalone.c $(REGRESS_OBJS) $(PKG_LIBS)

# Objects kept, not removed as intermediates of the pattern rules.
.SECONDARY: $(ASAN_OBJS) $(FUZZ_OBJS)

test-bins: $(REGRESS_BINS)

fuzz: $(FUZZ_TARGETS:%=bin/fuzz/fuzz_%)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) nice -n 19 tests/fuzz/run.sh $(FUZZ_TARGETS)

bin/stick-asan: $(ASAN_OBJS)
	$(SAN_CC) $(SAN_FLAGS) -o $@ $(ASAN_OBJS) $(PKG_LIBS)

asan: bin/stick-asan

ASAN_UNIT_BINS := $(patsubst tests/unit/%,bin/asan/unit/%,$(filter-out tests/unit/test_string,$(UNIT_BINS)))

bin/asan/unit/%: tests/unit/%.c $(ASAN_LIB_OBJS) $(wildcard stick/*.h)
	@mkdir -p $(@D)
	$(SAN_CC) $(SAN_CFLAGS) $(SAN_FLAGS) -Istick -DTOP_DIR=\"$(CURDIR)\" -o $@ $< \
		$(ASAN_LIB_OBJS) $(PKG_LIBS)

test-asan: test-bins bin/stick-asan $(ASAN_UNIT_BINS)
	@tests/fuzz/test-asan.sh

.PHONY: fuzz asan test-asan
