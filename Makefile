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
.SECONDARY:

$(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

include src/manifest/manifest.mk
include src/tools/tools.mk
include src/idl/idl.mk
include manifests/manifests.mk
include src/common/common.mk
include src/cbor/cbor.mk
include src/lib/bls12_381/bls12_381.mk
include src/sandbox/sandbox.mk
include src/runtime/runtime.mk
include src/client/client.mk
include src/tools/psa_attest.mk
include src/spm/spm.mk
include src/tools/partix_ctl.mk
include src/partitions/partitions.mk
include src/testkit/testkit.mk
include examples/examples.mk
include bench/bench.mk
include fuzz/fuzz.mk
include test/test.mk

# The shipped board where psa-spm looks for its default, as installed.
$(BUILD)/share/partix/manifests/platform.yaml: manifests/platform.yaml
	@mkdir -p $(@D)
	cp $< $@
ALL_TARGETS += $(BUILD)/share/partix/manifests/platform.yaml

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

FORMAT_SRCS = $(shell find include src test -name '*.[ch]' -not -path 'test/manifest/*' -not -path 'test/idl/*')

format:
	clang-format -i $(FORMAT_SRCS)

format-check:
	@clang-format --dry-run -Werror $(FORMAT_SRCS) && echo "format: ok"

PC_FILES := psa-ffm psa-client psa-partition psa-partition-test
PUBLIC_HEADERS := $(wildcard include/*.h)

install: all
	install -d $(DESTDIR)$(PREFIX)/include/psa $(DESTDIR)$(PREFIX)/include/partix \
	    $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/libexec/partix $(DESTDIR)$(PREFIX)/share/partix/manifests
	install -m 644 include/psa/*.h $(DESTDIR)$(PREFIX)/include/psa/
	install -m 644 include/partix/*.h $(DESTDIR)$(PREFIX)/include/partix/
	install -m 644 $(PUBLIC_HEADERS) $(IDL_PUBLIC_HEADERS) $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(BIN)/psa-manifest $(BIN)/psa-idl $(BIN)/psa-spm $(BIN)/psa-attest $(BIN)/partix-ctl $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(CLIENT_A) $(RUNTIME_LIB) $(TESTKIT_LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(CLIENT_SO) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libpsa-client.so.0 $(DESTDIR)$(PREFIX)/lib/libpsa-client.so
	install -m 755 $(PARTITION_EXES) $(DESTDIR)$(PREFIX)/libexec/partix/
	install -m 644 manifests/*.yaml $(DESTDIR)$(PREFIX)/share/partix/manifests/
	for pc in $(PC_FILES); do \
	    sed 's|@PREFIX@|$(PREFIX)|' mk/$$pc.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/$$pc.pc; \
	done

clean:
	rm -rf $(BUILD)

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
