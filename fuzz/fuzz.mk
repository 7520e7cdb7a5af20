# make fuzz: libFuzzer (Debian's clang) on the manifest parser, seeded with
# the corpus, then on the interface compiler (psa-idl's parser and
# generators), seeded with every .idl.yaml, then on the Crypto service's codec (crypto_wire.c), then on the
# strict CBOR and COSE_Sign1 decoders (src/cbor/), seeded with a token, then
# on the wire codec (wire.c), then on the SPM's routing core (event
# sequences, seeded from fuzz/seeds_core/); each runs FUZZ_SECONDS (default
# 60) and reports, the core's fuzzer FUZZ_CORE_RUNS executions instead if
# that is set.  "make fuzz-core" runs that one alone.  Not part of check.
FUZZ_SECONDS ?= 60
FUZZ_CORE_RUNS ?=
FUZZ_DIR := $(BUILD)/fuzz

$(FUZZ_DIR)/fuzz_manifest: fuzz/fuzz_manifest.c $(MANIFEST_SRCS)
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude -Isrc/manifest \
	    -Isrc/common $^ -lyaml -o $@

$(FUZZ_DIR)/fuzz_idl: fuzz/fuzz_idl.c $(IDL_SRCS) $(MANIFEST_SRCS)
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude -Isrc/idl \
	    -Isrc/manifest -Isrc/common $^ -lyaml -o $@

$(FUZZ_DIR)/fuzz_crypto_wire: fuzz/fuzz_crypto_wire.c src/common/crypto_wire.c
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude -Isrc/common \
	    $^ -l:libmbedcrypto.a -o $@

$(FUZZ_DIR)/fuzz_cbor: fuzz/fuzz_cbor.c src/cbor/cbor.c src/cbor/cose.c
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc/cbor $^ -o $@

$(FUZZ_DIR)/fuzz_wire: fuzz/fuzz_wire.c src/common/wire.c
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc/common $^ -o $@

# The HRoT partition's TPM 2.0 response readers and its key table (issue 16).
$(FUZZ_DIR)/fuzz_tpm2: fuzz/fuzz_tpm2.c src/partitions/hrot/tpm2_codec.c \
        src/partitions/hrot/hrot_caps.c src/common/durable_file.c $(IDL_GEN)/.hrot.stamp
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude -Isrc/common \
	    -I$(IDL_GEN) -Isrc/partitions/hrot $(filter %.c,$^) -o $@

# The core with the fake shell of its unit tests; it reads test/manifests/.
# Coverage feedback comes from the core alone (fuzz/core_coverage.txt): the
# harness, the codec and the manifest loader run the same way on every input
# and, instrumented, would cost 2/3 of the time and drown the core's features.
FUZZ_CORE_SRCS = $(sort fuzz/fuzz_core.c test/unit/core_harness.c $(wildcard src/spm/core/*.c) \
                 src/common/wire.c $(MANIFEST_SRCS))
$(FUZZ_DIR)/fuzz_core: $(FUZZ_CORE_SRCS) fuzz/core_coverage.txt \
        $(wildcard src/spm/core/*.h test/unit/core_harness.h src/common/wire.h)
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fsanitize-coverage-allowlist=fuzz/core_coverage.txt -D_GNU_SOURCE -Iinclude \
	    -Isrc/spm/core -Isrc/common -Isrc/manifest -Itest/unit $(FUZZ_CORE_SRCS) -lyaml -o $@

FUZZ_CORE_LIMIT = $(if $(FUZZ_CORE_RUNS),-runs=$(FUZZ_CORE_RUNS),-max_total_time=$(FUZZ_SECONDS))

fuzz-core: deps $(FUZZ_DIR)/fuzz_core
	@mkdir -p $(FUZZ_DIR)/corpus_core && cp fuzz/seeds_core/* $(FUZZ_DIR)/corpus_core/
	$(FUZZ_DIR)/fuzz_core $(FUZZ_CORE_LIMIT) -max_len=1024 -artifact_prefix=$(FUZZ_DIR)/core- \
	    $(FUZZ_DIR)/corpus_core

fuzz: deps $(FUZZ_DIR)/fuzz_manifest $(FUZZ_DIR)/fuzz_idl $(FUZZ_DIR)/fuzz_crypto_wire $(FUZZ_DIR)/fuzz_cbor \
        $(FUZZ_DIR)/fuzz_wire $(FUZZ_DIR)/fuzz_tpm2
	@mkdir -p $(FUZZ_DIR)/corpus
	@find test/manifest manifests -name '*.yaml' -o -name '*.json' | \
	    while read f; do cp "$$f" $(FUZZ_DIR)/corpus/$$(echo $$f | tr / _); done
	$(FUZZ_DIR)/fuzz_manifest -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	    $(FUZZ_DIR)/corpus
	@mkdir -p $(FUZZ_DIR)/corpus_idl
	@find src test -name '*.idl.yaml' | \
	    while read f; do cp "$$f" $(FUZZ_DIR)/corpus_idl/$$(echo $$f | tr / _); done
	@cp fuzz/seeds_idl/* $(FUZZ_DIR)/corpus_idl/
	$(FUZZ_DIR)/fuzz_idl -max_total_time=$(FUZZ_SECONDS) -max_len=4096 $(FUZZ_DIR)/corpus_idl
	@mkdir -p $(FUZZ_DIR)/corpus_crypto_wire
	$(FUZZ_DIR)/fuzz_crypto_wire -max_total_time=$(FUZZ_SECONDS) -max_len=256 \
	    $(FUZZ_DIR)/corpus_crypto_wire
	@mkdir -p $(FUZZ_DIR)/corpus_cbor && cp fuzz/seeds_cbor/* $(FUZZ_DIR)/corpus_cbor/
	$(FUZZ_DIR)/fuzz_cbor -max_total_time=$(FUZZ_SECONDS) -max_len=4096 $(FUZZ_DIR)/corpus_cbor
	@mkdir -p $(FUZZ_DIR)/corpus_wire
	$(FUZZ_DIR)/fuzz_wire -max_total_time=$(FUZZ_SECONDS) -max_len=4096 $(FUZZ_DIR)/corpus_wire
	@mkdir -p $(FUZZ_DIR)/corpus_tpm2 && cp fuzz/seeds_tpm2/* $(FUZZ_DIR)/corpus_tpm2/
	$(FUZZ_DIR)/fuzz_tpm2 -max_total_time=$(FUZZ_SECONDS) -max_len=4097 $(FUZZ_DIR)/corpus_tpm2
	@$(MAKE) --no-print-directory fuzz-core

.PHONY: fuzz fuzz-core

# The TinyMaix-compatible engine (issue 15): the loader and tm_run() on
# model bytes, seeded with models of every layer type (fuzz/tinymaix_seeds.c)
# and TinyMaix's models in ../shared/tinymaix when present.
TINYMAIX_SRCS = $(wildcard src/lib/tinymaix/*.c)
$(FUZZ_DIR)/fuzz_tinymaix: fuzz/fuzz_tinymaix.c $(TINYMAIX_SRCS) $(wildcard src/lib/tinymaix/*.h)
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -ffp-contract=off -Isrc/lib/tinymaix/include \
	    -Isrc/lib/tinymaix fuzz/fuzz_tinymaix.c $(TINYMAIX_SRCS) -lm -o $@

$(FUZZ_DIR)/tinymaix_seeds: fuzz/tinymaix_seeds.c test/unit/tmdl_build.c test/unit/tmdl_build.h
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra -Werror -Itest/unit fuzz/tinymaix_seeds.c test/unit/tmdl_build.c -o $@

fuzz-tinymaix: deps $(FUZZ_DIR)/fuzz_tinymaix $(FUZZ_DIR)/tinymaix_seeds
	@mkdir -p $(FUZZ_DIR)/corpus_tinymaix
	$(FUZZ_DIR)/tinymaix_seeds $(FUZZ_DIR)/corpus_tinymaix
	@if [ -d ../shared/tinymaix ]; then cp ../shared/tinymaix/*.tmdl $(FUZZ_DIR)/corpus_tinymaix/; \
	else echo "fuzz-tinymaix: ../shared/tinymaix absent, the built seeds only"; fi
	$(FUZZ_DIR)/fuzz_tinymaix -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
	    -artifact_prefix=$(FUZZ_DIR)/tinymaix- $(FUZZ_DIR)/corpus_tinymaix

fuzz: fuzz-tinymaix
.PHONY: fuzz-tinymaix
