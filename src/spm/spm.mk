# psa-spm, the daemon.
SPM_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/spm/*.c))

$(OBJ)/src/spm/%.o: ALL_CPPFLAGS += -Isrc/common -Isrc/sandbox -Isrc/manifest

$(BIN)/psa-spm: $(SPM_OBJS) $(COMMON_OBJS) $(SANDBOX_OBJS) $(MANIFEST_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lyaml -lseccomp -o $@

ALL_TARGETS += $(BIN)/psa-spm
