# Example applications: ordinary Linux programs linking libpsa-client.
EXAMPLES := $(BIN)/echo_client $(BIN)/custom_client $(BIN)/rot_client

$(BIN)/%_client: $(OBJ)/examples/%_client.o $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lpthread -o $@

ALL_TARGETS += $(EXAMPLES)
$(OBJ)/examples/echo_client.o: $(SHIPPED_STAMP)
$(OBJ)/examples/custom_client.o: $(IDL_GEN)/.tfm_my_custom_service.stamp

# The BLS HSM design's non-secure side (issue 6), twice: through the
# partition, and with -DBLS_HSM_DIRECT calling the keystore in-process.
# Both verify with the BLS12-381 library in-process (public data only).
EXAMPLES += $(BIN)/bls_hsm_ns $(BIN)/bls_hsm_ns_direct
$(OBJ)/examples/bls_hsm_ns.o: ALL_CPPFLAGS += $(BLS_CPPFLAGS)
$(OBJ)/examples/bls_hsm_ns.o: $(SHIPPED_STAMP)
$(OBJ)/examples/bls_hsm_ns_direct.o: examples/bls_hsm_ns.c $(SHIPPED_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(BLS_CPPFLAGS) -Isrc/partitions/bls_hsm -DBLS_HSM_DIRECT $(ALL_CFLAGS) \
	    -c $< -o $@
$(BIN)/bls_hsm_ns: $(OBJ)/examples/bls_hsm_ns.o $(CLIENT_A) $(BLS_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ $(BLS_LDLIBS) -lpthread -o $@
$(BIN)/bls_hsm_ns_direct: $(OBJ)/examples/bls_hsm_ns_direct.o \
        $(OBJ)/src/partitions/bls_hsm/bls_hsm.o $(BLS_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ $(BLS_LDLIBS) -o $@
ALL_TARGETS += $(BIN)/bls_hsm_ns $(BIN)/bls_hsm_ns_direct

# The hardware root of trust (issue 16): Mbed TLS checks the TPM's
# signatures and encrypts to its key, on public data only.
EXAMPLES += $(BIN)/hrot_client
$(OBJ)/examples/hrot_client.o: $(SHIPPED_STAMP)
$(BIN)/hrot_client: $(OBJ)/examples/hrot_client.o $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lmbedcrypto -lpthread -o $@
ALL_TARGETS += $(BIN)/hrot_client
