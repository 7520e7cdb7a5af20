# psa-spm, the daemon: its pure core (core/), the epoll shell around it
# (shell/), the privileged parts (priv/), the simulated board (board/), and
# main.c, log.c, lifecycle.c, sched.c.
SPM_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(shell find src/spm -name '*.c'))

$(OBJ)/src/spm/%.o: ALL_CPPFLAGS += -Isrc/spm -Isrc/spm/core -Isrc/common -Isrc/sandbox \
                                    -Isrc/manifest
# measure.c writes the boot record: the attestation token's software components
$(OBJ)/src/spm/board/measure.o: ALL_CPPFLAGS += -Isrc/cbor -Isrc/partitions/initial_attestation

$(OBJ)/src/spm/board/%.o: ALL_CPPFLAGS += -Isrc/spm/board
$(OBJ)/src/spm/lifecycle.o: ALL_CPPFLAGS += -Isrc/spm/board

# No libpsa-client: every psa_* function in the daemon is Mbed TLS's (the
# OTP's keys); driving its lines from outside is partix-ctl's.
$(BIN)/psa-spm: $(SPM_OBJS) $(SANDBOX_OBJS) $(CBOR_OBJS) $(COMMON_OBJS) $(MANIFEST_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lmbedcrypto -lyaml -lseccomp -ldw -lelf -lpthread -o $@

ALL_TARGETS += $(BIN)/psa-spm
