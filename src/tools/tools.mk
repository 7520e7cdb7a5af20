# Command-line tools.
$(BIN)/psa-manifest: $(OBJ)/src/tools/psa_manifest.o $(MANIFEST_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lyaml -o $@

$(OBJ)/src/tools/psa_manifest.o: ALL_CPPFLAGS += -Isrc/manifest

ALL_TARGETS += $(BIN)/psa-manifest
