# psa-client: the service table from the manifest lists (the daemon's own
# parser), every call through libpsa-client's public API.
$(OBJ)/src/tools/psa_client.o: ALL_CPPFLAGS += -Isrc/manifest -Isrc/common
$(BIN)/psa-client: $(OBJ)/src/tools/psa_client.o $(MANIFEST_LIB) $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lyaml -lpthread -o $@

ALL_TARGETS += $(BIN)/psa-client

