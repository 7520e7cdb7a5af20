# libpsa-client: the PSA client API and the shipped services' client APIs.
CLIENT_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/client/*.c src/client/services/*.c))
# generated from an interface by psa-idl (src/idl/idl.mk)
CLIENT_OBJS += $(OBJ)/idl/tfm_my_custom_service_client.o $(OBJ)/idl/hrot_client.o
CLIENT_A := $(LIB)/libpsa-client.a
CLIENT_SO := $(LIB)/libpsa-client.so.0

$(OBJ)/src/client/%.o: ALL_CPPFLAGS += -Isrc/common
$(CLIENT_OBJS): $(SHIPPED_STAMP)

$(CLIENT_A): $(CLIENT_OBJS) $(COMMON_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(CLIENT_SO): $(CLIENT_OBJS) $(COMMON_OBJS)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,libpsa-client.so.0 $(ALL_LDFLAGS) $^ -lpthread -o $@
	ln -sf libpsa-client.so.0 $(LIB)/libpsa-client.so

ALL_TARGETS += $(CLIENT_A) $(CLIENT_SO)

# A service's call types live with the partition (TF-M's *_defs.h).
$(OBJ)/src/client/services/its_api.o: ALL_CPPFLAGS += -Isrc/partitions/internal_trusted_storage
$(OBJ)/src/client/services/attest_api.o: ALL_CPPFLAGS += -Isrc/partitions/initial_attestation
$(OBJ)/src/client/services/ps_api.o: ALL_CPPFLAGS += -Isrc/partitions/protected_storage
$(OBJ)/src/client/services/bls_hsm_api.o: ALL_CPPFLAGS += -Isrc/partitions/bls_hsm
