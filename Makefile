# partix - PSA Firmware Framework-M partitions as sandboxed Linux processes.
#
#   make          build everything into build/
#   make check    install missing Debian packages (as root), build, run all tests
#   make demo     install missing packages, build, run the demo
#   make model    retrain models/fashion_mnist_q.tmdl (numpy; about 15 minutes)
#   make asan     run the tests under AddressSanitizer + UBSan (build/asan/)
#   make install  PREFIX=/usr/local DESTDIR=... (SYSTEMD_UNIT_DIR=$PREFIX/lib/systemd/system)
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
.PHONY: all check test demo asan install clean deps format format-check model
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
include src/lib/tinymaix/tinymaix.mk
include src/sandbox/sandbox.mk
include src/runtime/runtime.mk
include src/client/client.mk
include src/tools/psa_attest.mk
include src/tools/psa_client.mk
include src/tools/psa_model.mk
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

# Retrains the shipped Fashion-MNIST model, seeded (models/README.md); not
# part of make check.  Debian's python3, whatever python3 the PATH finds.
model:
	@sh mk/deps.sh model
	/usr/bin/python3 models/train.py --out models/fashion_mnist_q.tmdl

asan:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" test

FORMAT_SRCS = $(shell find include src test -name '*.[ch]' -not -path 'test/manifest/*' -not -path 'test/idl/*')

format:
	clang-format -i $(FORMAT_SRCS)

format-check:
	@clang-format --dry-run -Werror $(FORMAT_SRCS) && echo "format: ok"

PC_FILES := psa-ffm psa-client psa-partition psa-partition-test partix-tinymaix
PUBLIC_HEADERS := $(wildcard include/*.h)
# every installed command has its man page in man/ (test/install/outside.sh checks)
INSTALL_BINS := psa-manifest psa-spm psa-attest partix-ctl psa-client psa-model psa-idl
VERSION := $(shell sed -n 's/^\#define PARTIX_VERSION "\(.*\)"$$/\1/p' src/common/version.h)
SYSTEMD_UNIT_DIR ?= $(PREFIX)/lib/systemd/system
# psa-client.pc: programs find the installed libpsa-client without
# LD_LIBRARY_PATH (the loader's own folders need no run path)
comma := ,
PC_RPATH = $(if $(filter /usr /usr/,$(PREFIX)),,-Wl$(comma)-rpath$(comma)$${libdir} )

install: all
	install -d $(DESTDIR)$(PREFIX)/include/psa $(DESTDIR)$(PREFIX)/include/partix \
	    $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/libexec/partix $(DESTDIR)$(PREFIX)/share/partix/manifests \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man8 \
	    $(DESTDIR)$(SYSTEMD_UNIT_DIR)
	install -m 644 include/psa/*.h $(DESTDIR)$(PREFIX)/include/psa/
	install -m 644 include/partix/*.h $(DESTDIR)$(PREFIX)/include/partix/
	install -m 644 $(PUBLIC_HEADERS) $(IDL_PUBLIC_HEADERS) $(DESTDIR)$(PREFIX)/include/
	install -m 755 $(addprefix $(BIN)/,$(INSTALL_BINS)) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/*.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	for u in psa-spm.service psa-spm.socket; do \
	    sed 's|@PREFIX@|$(PREFIX)|g' systemd/$$u.in > $(DESTDIR)$(SYSTEMD_UNIT_DIR)/$$u; \
	done
	install -m 644 $(CLIENT_A) $(RUNTIME_LIB) $(TESTKIT_LIB) $(TINYMAIX_LIB) $(DESTDIR)$(PREFIX)/lib/
	install -d $(DESTDIR)$(PREFIX)/include/partix-tinymaix
	install -m 644 src/lib/tinymaix/include/*.h $(DESTDIR)$(PREFIX)/include/partix-tinymaix/
	install -m 755 $(CLIENT_SO) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libpsa-client.so.0 $(DESTDIR)$(PREFIX)/lib/libpsa-client.so
	install -m 755 $(PARTITION_EXES) $(DESTDIR)$(PREFIX)/libexec/partix/
	install -m 644 manifests/*.yaml $(DESTDIR)$(PREFIX)/share/partix/manifests/
	for pc in $(PC_FILES); do \
	    sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@RPATH@|$(PC_RPATH)|' \
	        mk/$$pc.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/$$pc.pc; \
	done

clean:
	rm -rf $(BUILD)

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
