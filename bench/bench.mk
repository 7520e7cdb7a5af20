# make bench: prints figures (never asserted); see bench/bench.c.
$(OBJ)/bench/bench.o: $(SHIPPED_STAMP)

$(BIN)/bench: $(OBJ)/bench/bench.o $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lpthread -o $@

bench: deps
	@$(MAKE) --no-print-directory all $(BIN)/bench
	@$(BIN)/bench $(BIN)/psa-spm manifests/manifest_list.yaml manifests/platform.yaml

.PHONY: bench
