# Partition executables: the partition's code, its generated load_info, and
# the runtime.  psa-spm finds them in $(LIBEXEC) by manifest file name.
LIBEXEC := $(BUILD)/libexec/partix

# $(call partition,MANIFEST_BASENAME,SOURCES)
define partition
$(LIBEXEC)/$(1): $(patsubst %.c,$(OBJ)/%.o,$(2)) $(OBJ)/gen/load_info_$(1).o $(RUNTIME_LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_LDFLAGS) $$^ $$(PARTITION_LIBS) -lseccomp -o $$@
$(patsubst %.c,$(OBJ)/%.o,$(2)): $(SHIPPED_STAMP)
ALL_TARGETS += $(LIBEXEC)/$(1)
PARTITION_EXES += $(LIBEXEC)/$(1)
endef

$(OBJ)/gen/load_info_%.o: $(SHIPPED_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c $(GEN)/auto_generated/load_info_$*.c -o $@

$(eval $(call partition,tfm_echo_service,src/partitions/echo_service/echo_service.c))
# FOO/BAR: its dispatch is generated from its interface (src/idl/idl.mk).
$(eval $(call partition,tfm_my_custom_service,src/partitions/my_custom_service/my_custom_service.c \
    $(OBJ)/idl/tfm_my_custom_service_service.o))
# The storage partitions share their file and request code (not a partition).
STORAGE_SHARED := src/partitions/storage/storage_file.c src/partitions/storage/storage_req.c \
                  src/partitions/storage/storage_quota.c
$(OBJ)/src/partitions/storage/%.o: ALL_CPPFLAGS += -Isrc/common
$(OBJ)/src/partitions/internal_trusted_storage/%.o: ALL_CPPFLAGS += -Isrc/common -Isrc/partitions/storage
$(eval $(call partition,tfm_internal_trusted_storage,src/partitions/internal_trusted_storage/its_req.c src/partitions/internal_trusted_storage/its_store.c $(STORAGE_SHARED)))

# Crypto: Mbed TLS's PSA core runs inside the partition, linked statically
# so that its key storage calls bind to crypto_its.c at link time (why:
# the top of crypto_its.c).
$(OBJ)/src/partitions/crypto/%.o: ALL_CPPFLAGS += -Isrc/common -Isrc/partitions/internal_trusted_storage
$(LIBEXEC)/tfm_crypto: PARTITION_LIBS := -l:libmbedcrypto.a
$(eval $(call partition,tfm_crypto,$(wildcard src/partitions/crypto/*.c)))

# Platform: NV counters in its storage directory (durable_file.h), system reset.
$(OBJ)/src/partitions/platform/%.o: ALL_CPPFLAGS += -Isrc/common
$(eval $(call partition,tfm_platform,$(wildcard src/partitions/platform/*.c)))

# Initial Attestation: signs with Mbed TLS inside the partition; the token's
# CBOR and COSE come from src/cbor/.  Its token profile is chosen at build
# time, as TF-M chooses it: RFC 9783's by default (TF-M's PSA 2.0.0), PSA IoT
# profile 1 with "make ATTEST_TOKEN_PROFILE_PSA_IOT_1=ON".  The choice is
# kept in a file whose change rebuilds the partition.
ATTEST_TOKEN_PROFILE_PSA_IOT_1 ?= OFF
ifeq ($(filter ON OFF,$(ATTEST_TOKEN_PROFILE_PSA_IOT_1)),)
$(error ATTEST_TOKEN_PROFILE_PSA_IOT_1 is ON or OFF, not "$(ATTEST_TOKEN_PROFILE_PSA_IOT_1)")
endif
ATTEST_PROFILE_CPPFLAGS := $(if $(filter ON,$(ATTEST_TOKEN_PROFILE_PSA_IOT_1)),-DATTEST_TOKEN_PROFILE_PSA_IOT_1=1)
ATTEST_PROFILE_FILE := $(OBJ)/src/partitions/initial_attestation/profile
ifneq ($(shell cat $(ATTEST_PROFILE_FILE) 2>/dev/null),$(ATTEST_TOKEN_PROFILE_PSA_IOT_1))
$(shell mkdir -p $(dir $(ATTEST_PROFILE_FILE)) && echo $(ATTEST_TOKEN_PROFILE_PSA_IOT_1) > $(ATTEST_PROFILE_FILE))
endif
$(OBJ)/src/partitions/initial_attestation/%.o: ALL_CPPFLAGS += -Isrc/cbor $(ATTEST_PROFILE_CPPFLAGS)
$(patsubst %.c,$(OBJ)/%.o,$(wildcard src/partitions/initial_attestation/*.c)): $(ATTEST_PROFILE_FILE)
$(LIBEXEC)/tfm_initial_attestation: PARTITION_LIBS := -lmbedcrypto
$(LIBEXEC)/tfm_initial_attestation: $(CBOR_OBJS)
$(eval $(call partition,tfm_initial_attestation,$(wildcard src/partitions/initial_attestation/*.c)))

# Protected Storage: the storage code ITS has, Mbed TLS's PSA core for the
# key and AEAD, the hardware unique key from the OTP.
$(OBJ)/src/partitions/protected_storage/%.o: ALL_CPPFLAGS += -Isrc/common -Isrc/partitions/storage
$(LIBEXEC)/tfm_protected_storage: PARTITION_LIBS := -lmbedcrypto
$(eval $(call partition,tfm_protected_storage,$(wildcard src/partitions/protected_storage/*.c) $(STORAGE_SHARED)))

# BLS12-381 signing HSM (issue 6): the keystore on the BLS12-381 library,
# persisted through Internal Trusted Storage.
$(OBJ)/src/partitions/bls_hsm/%.o: ALL_CPPFLAGS += $(BLS_CPPFLAGS) -Isrc/partitions/internal_trusted_storage
$(LIBEXEC)/partix_bls_hsm: PARTITION_LIBS := $(BLS_LDLIBS)
$(LIBEXEC)/partix_bls_hsm: $(BLS_LIB)
$(eval $(call partition,partix_bls_hsm,$(wildcard src/partitions/bls_hsm/*.c)))

# The TinyMaix inference service (issue 15): the engine (src/lib/tinymaix),
# and the Crypto service's client stubs, through which it derives the model
# keys from the hardware unique key (libpsa-client's crypto_api.c and the
# codec; the partition's own psa_connect/psa_call are the runtime's).
# DEV_MODE=1 builds the variant that seals in any lifecycle state and
# exports the model key (docs/model-encryption.md); the tests build that
# variant beside the shipped one whatever DEV_MODE says.
TINYMAIX_SP_SRCS := $(wildcard src/partitions/tinymaix_inference/*.c)
TINYMAIX_SP_DEPS := $(OBJ)/src/client/services/crypto_api.o $(OBJ)/src/common/crypto_wire.o \
                    $(TINYMAIX_LIB)
DEV_MODE ?= 0
ifeq ($(filter 0 1,$(DEV_MODE)),)
$(error DEV_MODE is 0 or 1, not "$(DEV_MODE)")
endif
# the choice is kept in a file whose change rebuilds the partition
TINYMAIX_MODE_FILE := $(OBJ)/src/partitions/tinymaix_inference/dev_mode
ifneq ($(shell cat $(TINYMAIX_MODE_FILE) 2>/dev/null),$(DEV_MODE))
$(shell mkdir -p $(dir $(TINYMAIX_MODE_FILE)) && echo $(DEV_MODE) > $(TINYMAIX_MODE_FILE))
endif
$(patsubst %.c,$(OBJ)/%.o,$(TINYMAIX_SP_SRCS)): $(TINYMAIX_MODE_FILE)
$(OBJ)/src/partitions/tinymaix_inference/%.o: ALL_CPPFLAGS += $(TINYMAIX_CPPFLAGS) \
    $(if $(filter 1,$(DEV_MODE)),-DDEV_MODE=1)
# the runtime again after the Crypto stubs, which call its psa_connect/psa_call
$(LIBEXEC)/tfm_tinymaix_inference: PARTITION_LIBS := $(RUNTIME_LIB) $(TINYMAIX_LDLIBS)
$(LIBEXEC)/tfm_tinymaix_inference: $(TINYMAIX_SP_DEPS)
$(eval $(call partition,tfm_tinymaix_inference,$(TINYMAIX_SP_SRCS)))
# Hardware root of trust (issue 16): the TPM 2.0 driver, its codec, the key
# and capability table (a durable file of its storage directory); Mbed TLS
# for SHA-256 only.
$(OBJ)/src/partitions/hrot/%.o: ALL_CPPFLAGS += -Isrc/common
$(LIBEXEC)/partix_hrot: PARTITION_LIBS := -l:libmbedcrypto.a
# its dispatch is generated from its interface (src/idl/idl.mk)
$(LIBEXEC)/partix_hrot: $(OBJ)/idl/hrot_service.o
$(eval $(call partition,partix_hrot,$(wildcard src/partitions/hrot/*.c)))
