# psa-model: seals TinyMaix models for the device and uses them through the
# inference service (libpsa-client; zlib reads the gzipped dataset).
$(BIN)/psa-model: $(OBJ)/src/tools/psa_model.o $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lz -lpthread -o $@

$(OBJ)/src/tools/psa_model.o: $(SHIPPED_STAMP)
$(OBJ)/src/tools/psa_model.o: ALL_CPPFLAGS += -Isrc/common

ALL_TARGETS += $(BIN)/psa-model
