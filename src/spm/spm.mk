# psa-spm, the daemon: its pure core (core/), the epoll shell around it
# (shell/), the privileged parts (priv/), the simulated board (board/), and
# main.c, log.c, lifecycle.c, sched.c.
SPM_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(shell find src/spm -name '*.c'))

$(OBJ)/src/spm/%.o: ALL_CPPFLAGS += -Isrc/spm -Isrc/spm/core -Isrc/common -Isrc/sandbox \
                                    -Isrc/manifest
# measure.c writes the boot record: the attestation token's software components
$(OBJ)/src/spm/board/measure.o: ALL_CPPFLAGS += -Isrc/cbor -Isrc/partitions/initial_attestation

# Mbed TLS before libpsa-client: the daemon's own psa_* crypto calls (making
# the OTP's keys) are Mbed TLS's, not the client stubs that call the Crypto
# partition; the daemon takes only the control functions from libpsa-client.
$(BIN)/psa-spm: $(SPM_OBJS) $(SANDBOX_OBJS) $(CBOR_OBJS) $(MANIFEST_LIB) $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $(filter-out $(CLIENT_A),$^) -lmbedcrypto $(CLIENT_A) -lyaml -lseccomp \
	    -lpthread -o $@

ALL_TARGETS += $(BIN)/psa-spm
