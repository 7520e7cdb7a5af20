# psa-attest: verify links Mbed TLS, get links libpsa-client.  Mbed TLS comes
# first, so that every psa_* crypto function is Mbed TLS's and none of
# libpsa-client's client stubs (which call the Crypto partition) is pulled in.
PSA_ATTEST_OBJS := $(OBJ)/src/tools/psa_attest.o $(OBJ)/src/tools/attest_verify.o
$(PSA_ATTEST_OBJS): ALL_CPPFLAGS += -Isrc/common -Isrc/cbor -Isrc/partitions/initial_attestation

$(BIN)/psa-attest: $(PSA_ATTEST_OBJS) $(CBOR_OBJS) $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $(filter-out $(CLIENT_A),$^) -lmbedcrypto $(CLIENT_A) -lpthread -o $@

ALL_TARGETS += $(BIN)/psa-attest
