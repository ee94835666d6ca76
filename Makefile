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
	rm -rf tests/out

.PHONY: all test test-bins bench clean regrtest test-prune-stdlib numpy-test

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
