# The interface compiler (docs/idl.md): its library, on the manifest
# library's YAML reading and diagnostics, and the psa-idl command.
IDL_SRCS := $(wildcard src/idl/*.c)
IDL_LIB := $(LIB)/libpartix-idl.a

$(OBJ)/src/idl/%.o $(OBJ)/src/tools/psa_idl.o: ALL_CPPFLAGS += -Isrc/idl -Isrc/manifest -Isrc/common

$(IDL_LIB): $(IDL_SRCS:%.c=$(OBJ)/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(BIN)/psa-idl: $(OBJ)/src/tools/psa_idl.o $(IDL_LIB) $(MANIFEST_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lyaml -o $@

ALL_TARGETS += $(IDL_LIB) $(BIN)/psa-idl

# $(call idl,FILE.idl.yaml,PREFIX[,CLIENT_HEADER]): psa-idl generates the
# four files of an interface into $(IDL_GEN) at build time (they are not
# committed: the .idl.yaml is their one source, as manifests are of
# psa_manifest/); $(IDL_GEN) is on every include path.  The objects
# $(OBJ)/idl/PREFIX_client.o (for libpsa-client or an app) and
# $(OBJ)/idl/PREFIX_service.o (for the partition) are compiled from them,
# the stubs after the shipped psa_manifest/sid.h (<NAME>_SID, _HANDLE); an
# interface of the test system overrides ALL_CPPFLAGS for its two objects
# (test/test.mk).
# CLIENT_HEADER is the interface's client.header (default PREFIX_api.h).
IDL_GEN := $(BUILD)/idl
ALL_CPPFLAGS += -I$(IDL_GEN)
define idl
$(IDL_GEN)/$(2)_client.c $(IDL_GEN)/$(2)_service.c $(IDL_GEN)/$(2)_service.h \
    $(IDL_GEN)/$(or $(3),$(2)_api.h): $(IDL_GEN)/.$(2).stamp
$(IDL_GEN)/.$(2).stamp: $(1) $(BIN)/psa-idl
	$(BIN)/psa-idl generate $(1) -o $(IDL_GEN)
	@touch $$@
$(OBJ)/idl/$(2)_client.o: $(IDL_GEN)/.$(2).stamp $(GEN)/psa_manifest/.stamp
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_CPPFLAGS) $$(ALL_CFLAGS) -c $(IDL_GEN)/$(2)_client.c -o $$@
$(OBJ)/idl/$(2)_service.o: $(IDL_GEN)/.$(2).stamp
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_CPPFLAGS) $$(ALL_CFLAGS) -c $(IDL_GEN)/$(2)_service.c -o $$@
IDL_STAMPS += $(IDL_GEN)/.$(2).stamp
IDL_HEADERS += $(IDL_GEN)/$(or $(3),$(2)_api.h)
endef

# The shipped interfaces: their client stubs go into libpsa-client, their
# client headers are installed with the public ones.  A stamp is an
# order-only prerequisite of the psa_manifest/ stamps, so every object that
# includes a generated header (the .d files track it afterwards) finds it.
$(eval $(call idl,src/partitions/my_custom_service/tfm_my_custom_service.idl.yaml,tfm_my_custom_service))
$(OBJ)/idl/tfm_my_custom_service_client.o: $(GEN)/psa_manifest/.stamp
# The hardware root of trust (issue 16): its client header is public.
$(eval $(call idl,src/partitions/hrot/partix_hrot.idl.yaml,hrot,partix_hrot_api.h))
$(OBJ)/idl/hrot_client.o: $(GEN)/psa_manifest/.stamp
# (one line per shipped interface above this one: these headers are installed)
IDL_PUBLIC_HEADERS := $(IDL_HEADERS)
