# make bench: prints figures (never asserted); see bench/bench.c.
$(OBJ)/bench/bench.o: $(SHIPPED_STAMP)

$(BIN)/bench: $(OBJ)/bench/bench.o $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lpthread -o $@

bench: deps
	@$(MAKE) --no-print-directory all $(BIN)/bench
	@$(BIN)/bench $(BIN)/psa-spm manifests/manifest_list.yaml manifests/platform.yaml

.PHONY: bench

# The BLS12-381 library's figures (issue 6).
$(OBJ)/bench/bench_bls.o: ALL_CPPFLAGS += $(BLS_CPPFLAGS)
$(BIN)/bench_bls: $(OBJ)/bench/bench_bls.o $(BLS_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ $(BLS_LDLIBS) -o $@

bench: bench-bls
bench-bls: $(BIN)/bench_bls
	@$(BIN)/bench_bls

.PHONY: bench-bls

# The TinyMaix-compatible engine's figures (issue 15): in-process inference
# on the models in ../shared/tinymaix (SKIP when absent).
$(OBJ)/bench/bench_tinymaix.o: ALL_CPPFLAGS += $(TINYMAIX_CPPFLAGS) -Itest/unit
$(BIN)/bench_tinymaix: $(OBJ)/bench/bench_tinymaix.o $(OBJ)/test/unit/tmdl_build.o $(TINYMAIX_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ $(TINYMAIX_LDLIBS) -o $@

bench: bench-tinymaix
bench-tinymaix: $(BIN)/bench_tinymaix
	@$(BIN)/bench_tinymaix

.PHONY: bench-tinymaix

# The shipped model in-process and through the inference partition (issue 15).
$(OBJ)/bench/bench_tinymaix_service.o: ALL_CPPFLAGS += $(TINYMAIX_CPPFLAGS)
$(OBJ)/bench/bench_tinymaix_service.o: $(SHIPPED_STAMP)
$(BIN)/bench_tinymaix_service: $(OBJ)/bench/bench_tinymaix_service.o $(CLIENT_A) $(TINYMAIX_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ $(TINYMAIX_LDLIBS) -lpthread -o $@

bench: bench-tinymaix-service
bench-tinymaix-service: all $(BIN)/bench_tinymaix_service
	@$(BIN)/bench_tinymaix_service $(BIN)/psa-spm manifests/manifest_list.yaml \
	    manifests/platform.yaml models/fashion_mnist_q.tmdl

.PHONY: bench-tinymaix-service
# The hardware root of trust against swtpm (issue 16): through the partition
# and straight to a swtpm of the bench's own.
$(OBJ)/bench/bench_hrot.o: ALL_CPPFLAGS += -Isrc/partitions/hrot
$(BIN)/bench_hrot: $(OBJ)/bench/bench_hrot.o $(OBJ)/src/partitions/hrot/tpm2_codec.o $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lmbedcrypto -lpthread -o $@

bench: bench-hrot
bench-hrot: $(BIN)/bench_hrot all
	@$(BIN)/bench_hrot $(BIN)/psa-spm manifests/manifest_list.yaml manifests/platform.yaml

.PHONY: bench-hrot
