# partix-ctl: the OTP (Mbed TLS, the OTP file and the state lock of psa-spm)
# and interrupt lines (libpsa-client's control calls: its core objects only,
# none of the service stubs, so every psa_* crypto function is Mbed TLS's).
PARTIX_CTL_OBJS := $(OBJ)/src/tools/partix_ctl.o $(OBJ)/src/tools/ctl_otp.o \
                   $(OBJ)/src/spm/board/otp_file.o $(OBJ)/src/spm/statelock.o
$(OBJ)/src/tools/partix_ctl.o $(OBJ)/src/tools/ctl_otp.o: ALL_CPPFLAGS += -Isrc/spm \
    -Isrc/spm/core -Isrc/spm/board -Isrc/common -Isrc/manifest
CLIENT_CORE_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/client/*.c))

$(BIN)/partix-ctl: $(PARTIX_CTL_OBJS) $(CLIENT_CORE_OBJS) $(COMMON_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lmbedcrypto -lpthread -o $@

ALL_TARGETS += $(BIN)/partix-ctl
