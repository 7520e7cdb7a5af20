# Command-line tools.
$(BIN)/psa-manifest: $(OBJ)/src/tools/psa_manifest.o $(MANIFEST_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lyaml -o $@

$(OBJ)/src/tools/psa_manifest.o: ALL_CPPFLAGS += -Isrc/manifest -Isrc/common

ALL_TARGETS += $(BIN)/psa-manifest

# The shipped manifests where psa-client looks for its default list, as
# installed (platform.yaml: the Makefile's, for psa-spm).
SHARE_MANIFESTS := $(patsubst manifests/%,$(BUILD)/share/partix/manifests/%,\
                     $(filter-out manifests/platform.yaml,$(wildcard manifests/*.yaml)))
$(SHARE_MANIFESTS): $(BUILD)/share/partix/manifests/%: manifests/%
	@mkdir -p $(@D)
	cp $< $@
ALL_TARGETS += $(SHARE_MANIFESTS)
