# make fuzz: libFuzzer (Debian's clang) on the manifest parser, seeded with
# the corpus, then on the Crypto service's codec (crypto_wire.c), then on the
# strict CBOR and COSE_Sign1 decoders (src/cbor/), seeded with a token; each
# runs FUZZ_SECONDS (default 60) and reports.  Not part of check.
FUZZ_SECONDS ?= 60
FUZZ_DIR := $(BUILD)/fuzz

$(FUZZ_DIR)/fuzz_manifest: fuzz/fuzz_manifest.c $(MANIFEST_SRCS)
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude -Isrc/manifest \
	    -Isrc/common $^ -lyaml -o $@

$(FUZZ_DIR)/fuzz_crypto_wire: fuzz/fuzz_crypto_wire.c src/common/crypto_wire.c
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude -Isrc/common \
	    $^ -l:libmbedcrypto.a -o $@

$(FUZZ_DIR)/fuzz_cbor: fuzz/fuzz_cbor.c src/cbor/cbor.c src/cbor/cose.c
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc/cbor $^ -o $@

fuzz: deps $(FUZZ_DIR)/fuzz_manifest $(FUZZ_DIR)/fuzz_crypto_wire $(FUZZ_DIR)/fuzz_cbor
	@mkdir -p $(FUZZ_DIR)/corpus
	@find test/manifest manifests -name '*.yaml' -o -name '*.json' | \
	    while read f; do cp "$$f" $(FUZZ_DIR)/corpus/$$(echo $$f | tr / _); done
	$(FUZZ_DIR)/fuzz_manifest -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	    $(FUZZ_DIR)/corpus
	@mkdir -p $(FUZZ_DIR)/corpus_crypto_wire
	$(FUZZ_DIR)/fuzz_crypto_wire -max_total_time=$(FUZZ_SECONDS) -max_len=256 \
	    $(FUZZ_DIR)/corpus_crypto_wire
	@mkdir -p $(FUZZ_DIR)/corpus_cbor && cp fuzz/seeds_cbor/* $(FUZZ_DIR)/corpus_cbor/
	$(FUZZ_DIR)/fuzz_cbor -max_total_time=$(FUZZ_SECONDS) -max_len=4096 $(FUZZ_DIR)/corpus_cbor

.PHONY: fuzz
