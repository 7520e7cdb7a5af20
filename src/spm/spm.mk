# psa-spm, the daemon.
SPM_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/spm/*.c))

$(OBJ)/src/spm/%.o: ALL_CPPFLAGS += -Isrc/common -Isrc/sandbox -Isrc/manifest
# measure.c writes the boot record: the attestation token's software components
$(OBJ)/src/spm/measure.o: ALL_CPPFLAGS += -Isrc/cbor -Isrc/partitions/initial_attestation

# Mbed TLS before libpsa-client: the daemon's own psa_* crypto calls (making
# the OTP's keys) are Mbed TLS's, not the client stubs that call the Crypto
# partition; the daemon takes only the control functions from libpsa-client.
$(BIN)/psa-spm: $(SPM_OBJS) $(SANDBOX_OBJS) $(CBOR_OBJS) $(MANIFEST_LIB) $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $(filter-out $(CLIENT_A),$^) -lmbedcrypto $(CLIENT_A) -lyaml -lseccomp \
	    -lpthread -o $@

ALL_TARGETS += $(BIN)/psa-spm
