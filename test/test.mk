# Tests.  "make test" builds and runs every one and fails if any fails;
# "make check" is the same after installing missing packages.
TEST_BIN := $(BIN)/tests

$(OBJ)/test/unit/%.o: ALL_CPPFLAGS += -Isrc/manifest

$(TEST_BIN)/test_manifest_corpus: $(OBJ)/test/unit/test_manifest_corpus.o $(MANIFEST_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lyaml -lcmocka -o $@

$(TEST_BIN)/test_manifest_unit: $(OBJ)/test/unit/test_manifest_unit.o $(MANIFEST_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lyaml -lcmocka -o $@

# The public headers with Mbed TLS's <psa/crypto.h>, in both orders.
$(TEST_BIN)/test_headers: $(OBJ)/test/headers/crypto_first.o $(OBJ)/test/headers/psa_first.o
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

UNIT_TESTS := $(TEST_BIN)/test_manifest_corpus $(TEST_BIN)/test_manifest_unit \
              $(TEST_BIN)/test_headers

test: all $(UNIT_TESTS)
	@fail=0; \
	for t in $(UNIT_TESTS); do \
	    echo "== $$t"; $$t test/manifest || fail=1; \
	done; \
	echo "== test/cli/psa_manifest.sh"; \
	sh test/cli/psa_manifest.sh $(BIN)/psa-manifest "$(CC) -D_GNU_SOURCE $(ALL_CFLAGS)" || fail=1; \
	echo "== format"; \
	$(MAKE) --no-print-directory format-check || fail=1; \
	if [ $$fail -ne 0 ]; then echo "TESTS FAILED"; exit 1; fi; \
	echo "all tests passed"

golden: $(TEST_BIN)/test_manifest_corpus
	PARTIX_UPDATE_GOLDEN=1 $(TEST_BIN)/test_manifest_corpus test/manifest

.PHONY: golden
