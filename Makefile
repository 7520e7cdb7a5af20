# partix - PSA Firmware Framework-M partitions as sandboxed Linux processes.
#
#   make          build everything into build/
#   make check    install missing Debian packages (as root), build, run all tests
#   make demo     install missing packages, build, run the demo
#   make asan     run the tests under AddressSanitizer + UBSan (build/asan/)
#   make install  PREFIX=/usr/local DESTDIR=...
#
# GNU make only; no other build system.

MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
OPT     ?= -O2 -g
SAN     ?=

WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wcast-qual

BIN := $(BUILD)/bin
LIB := $(BUILD)/lib
OBJ := $(BUILD)/obj
GEN := $(BUILD)/include

ALL_CPPFLAGS = -D_GNU_SOURCE -Iinclude -I$(GEN) -MMD -MP $(CPPFLAGS)
ALL_CFLAGS = $(WARN) $(OPT) $(SAN) -fPIC $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

.DEFAULT_GOAL := all
.PHONY: all check test demo asan install clean deps format format-check
.DELETE_ON_ERROR:

$(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

include src/manifest/manifest.mk
include src/tools/tools.mk
include manifests/manifests.mk
include src/common/common.mk
include src/sandbox/sandbox.mk
include src/runtime/runtime.mk
include src/spm/spm.mk
include src/client/client.mk
include src/partitions/partitions.mk
include src/testkit/testkit.mk
include examples/examples.mk
include bench/bench.mk
include test/test.mk

all: $(ALL_TARGETS)

deps:
	@sh mk/deps.sh

check: deps
	@$(MAKE) --no-print-directory test

demo: deps
	@$(MAKE) --no-print-directory all
	@sh mk/demo.sh $(BUILD)

asan:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" test

FORMAT_SRCS = $(shell find include src test -name '*.[ch]' -not -path 'test/manifest/*')

format:
	clang-format -i $(FORMAT_SRCS)

format-check:
	@clang-format --dry-run -Werror $(FORMAT_SRCS) && echo "format: ok"

install: all
	install -d $(DESTDIR)$(PREFIX)/include/psa $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/psa/*.h $(DESTDIR)$(PREFIX)/include/psa/
	install -m 755 $(BIN)/psa-manifest $(DESTDIR)$(PREFIX)/bin/
	sed 's|@PREFIX@|$(PREFIX)|' mk/psa-ffm.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/psa-ffm.pc

clean:
	rm -rf $(BUILD)

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
