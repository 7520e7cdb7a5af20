# psa-spm, the daemon.
SPM_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/spm/*.c))

$(OBJ)/src/spm/%.o: ALL_CPPFLAGS += -Isrc/common -Isrc/sandbox -Isrc/manifest

$(BIN)/psa-spm: $(SPM_OBJS) $(SANDBOX_OBJS) $(MANIFEST_LIB) $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lyaml -lseccomp -lpthread -o $@

ALL_TARGETS += $(BIN)/psa-spm
