# Tests.  "make test" builds and runs every one and fails if any fails;
# "make check" is the same after installing missing packages.
TEST_BIN := $(BIN)/tests

$(OBJ)/test/unit/%.o: ALL_CPPFLAGS += -Isrc/manifest

$(TEST_BIN)/test_manifest_corpus: $(OBJ)/test/unit/test_manifest_corpus.o $(MANIFEST_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lyaml -lcmocka -o $@

$(TEST_BIN)/test_manifest_unit: $(OBJ)/test/unit/test_manifest_unit.o $(MANIFEST_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lyaml -lcmocka -o $@

# The public headers with Mbed TLS's <psa/crypto.h>, in both orders.
$(TEST_BIN)/test_headers: $(OBJ)/test/headers/crypto_first.o $(OBJ)/test/headers/psa_first.o
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

UNIT_TESTS := $(TEST_BIN)/test_manifest_corpus $(TEST_BIN)/test_manifest_unit \
              $(TEST_BIN)/test_headers

# The end-to-end system: the shipped partitions plus a misbehaving test
# service, the peer it calls, and an SFN partition.
TEST_GEN := $(BUILD)/test-include
TEST_STAMP := $(TEST_GEN)/psa_manifest/.stamp
TEST_LIBEXEC := $(BUILD)/libexec/partix-test
TEST_CPPFLAGS = -D_GNU_SOURCE -Iinclude -I$(TEST_GEN) -I$(IDL_GEN) $(addprefix -I,$(wildcard test/partitions/test_*)) \
                -Itest/e2e \
                -Isrc/partitions/internal_trusted_storage -Isrc/partitions/platform \
                -Isrc/partitions/protected_storage \
                -Isrc/common -MMD -MP

$(TEST_STAMP): $(BIN)/psa-manifest $(wildcard test/manifests/*.yaml test/manifests/extra/*.yaml \
                                               manifests/*.yaml) | $(IDL_STAMPS)
	$(BIN)/psa-manifest generate test/manifests/manifest_list.yaml \
	    test/manifests/extra/manifest_list.yaml -o $(TEST_GEN)
	@touch $@

TEST_SYSTEM_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard test/e2e/*.c test/partitions/*/*.c \
                                                           test/conformance/*.c))
$(TEST_SYSTEM_OBJS): ALL_CPPFLAGS = $(TEST_CPPFLAGS)
$(TEST_SYSTEM_OBJS): $(TEST_STAMP)

$(OBJ)/testgen/load_info_%.o: $(TEST_STAMP)
	@mkdir -p $(@D)
	$(CC) $(TEST_CPPFLAGS) $(ALL_CFLAGS) -c $(TEST_GEN)/auto_generated/load_info_$*.c -o $@

# Every test partition: test/partitions/test_X/test_X.c and its manifest
# test/manifests/partix_test_X.yaml make $(TEST_LIBEXEC)/partix_test_X.
TEST_PARTITIONS := $(patsubst test/partitions/test_%/,%,$(wildcard test/partitions/test_*/))
define test_partition
$(TEST_LIBEXEC)/partix_test_$(1): $(OBJ)/test/partitions/test_$(1)/test_$(1).o \
        $(OBJ)/testgen/load_info_partix_test_$(1).o $(RUNTIME_LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_LDFLAGS) $$^ -lseccomp -o $$@
endef
$(foreach t,$(TEST_PARTITIONS),$(eval $(call test_partition,$(t))))
TEST_PARTITION_EXES := $(TEST_PARTITIONS:%=$(TEST_LIBEXEC)/partix_test_%)

$(TEST_LIBEXEC)/.links: $(PARTITION_EXES)
	@mkdir -p $(@D)
	for p in $(PARTITION_EXES); do ln -sf ../partix/$$(basename $$p) $(@D)/; done
	@touch $@

# Initial Attestation built for PSA IoT profile 1 (ATTEST_TOKEN_PROFILE_PSA_IOT_1,
# whatever the shipped build's profile): the test's second attestation
# partition, which test/manifests/attest_iot1/manifest_list.yaml names.  Its
# manifest is the shipped one, so the shipped load_info serves it.
ATTEST_SRCS := $(wildcard src/partitions/initial_attestation/*.c)
ATTEST_IOT1_OBJS := $(patsubst %.c,$(OBJ)/iot1/%.o,$(ATTEST_SRCS))
$(ATTEST_IOT1_OBJS): $(OBJ)/iot1/%.o: %.c $(SHIPPED_STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -Isrc/cbor -DATTEST_TOKEN_PROFILE_PSA_IOT_1=1 $(ALL_CFLAGS) -c $< -o $@
$(TEST_LIBEXEC)/tfm_initial_attestation_iot1: $(ATTEST_IOT1_OBJS) \
        $(OBJ)/gen/load_info_tfm_initial_attestation.o $(RUNTIME_LIB) $(CBOR_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lmbedcrypto -lseccomp -o $@
TEST_PARTITION_EXES += $(TEST_LIBEXEC)/tfm_initial_attestation_iot1

# The IoT-1 token code in-process (its OTP, boot record and lifecycle stubbed
# by the test), and psa-attest's verifier on tokens of both profiles.
$(OBJ)/test/unit/test_attest_iot1.o: ALL_CPPFLAGS += -Isrc/cbor -Isrc/partitions/initial_attestation \
    -Isrc/tools
$(TEST_BIN)/test_attest_iot1: $(OBJ)/test/unit/test_attest_iot1.o \
        $(OBJ)/iot1/src/partitions/initial_attestation/attest_token.o \
        $(OBJ)/src/tools/attest_verify.o $(CBOR_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lmbedcrypto -lcmocka -o $@
UNIT_TESTS += $(TEST_BIN)/test_attest_iot1

# Initial Attestation: the test reads tokens with the strict decoder too.
$(OBJ)/test/e2e/test_attest.o: ALL_CPPFLAGS += -Isrc/cbor -Isrc/partitions/initial_attestation
$(TEST_BIN)/test_attest: $(OBJ)/test/e2e/test_attest.o $(OBJ)/test/e2e/fixture.o $(CBOR_OBJS) \
        $(CLIENT_A) | $(TEST_LIBEXEC)/tfm_initial_attestation_iot1
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -lpthread -o $@

E2E_TESTS := $(TEST_BIN)/test_client $(TEST_BIN)/test_faults $(TEST_BIN)/test_partitions \
             $(TEST_BIN)/test_policies $(TEST_BIN)/test_sfn $(TEST_BIN)/test_doorbell \
             $(TEST_BIN)/test_irqs $(TEST_BIN)/test_mmio $(TEST_BIN)/test_mmiovec \
             $(TEST_BIN)/test_conformance $(TEST_BIN)/test_lifecycle $(TEST_BIN)/test_resources \
             $(TEST_BIN)/test_its $(TEST_BIN)/test_crypto
# one line per later suite: branches that add suites merge without conflicts
E2E_TESTS += $(TEST_BIN)/test_otp
E2E_TESTS += $(TEST_BIN)/test_crypto_persist
E2E_TESTS += $(TEST_BIN)/test_platform
E2E_TESTS += $(TEST_BIN)/test_attest
E2E_TESTS += $(TEST_BIN)/test_ps
# issue 5's "done when": the example app, every RoT service, two users, kill -9
E2E_TESTS += $(TEST_BIN)/test_rot_app
# hostile clients (a crash, a flood, unread replies): they fail until psa-spm applies backpressure
E2E_TESTS += $(TEST_BIN)/test_hostile
# a stopped or swamped psa-spm: clients time out (PSA_SPM_TIMEOUT_MS), long calls do not
E2E_TESTS += $(TEST_BIN)/test_spm_timeout
# issue 12: descriptors, sockets and the log a client can wear down; operator errors
E2E_TESTS += $(TEST_BIN)/test_exhaustion
E2E_TESTS += $(TEST_BIN)/test_operator
# issue 12 item 6: the router unprivileged and confined, the monitor privileged
E2E_TESTS += $(TEST_BIN)/test_privsep
# issue 12: partitions run as uids of their own (not nobody's), in a bounded address space
E2E_TESTS += $(TEST_BIN)/test_identity
# issue 12: each user's quota of storage, keys, BLS keys and connections
$(OBJ)/test/e2e/test_quota.o: ALL_CPPFLAGS += -Isrc/partitions/crypto -Isrc/partitions/bls_hsm
E2E_TESTS += $(TEST_BIN)/test_quota
# issue 14 items 1 and 4: PROGRAMMER_ERROR ends a connection; psa_close waits for the service
E2E_TESTS += $(TEST_BIN)/test_ffm_close

# Partitions unit-tested in-process with libpsa-partition-test.
PUNIT_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard test/partition-unit/*.c))
$(PUNIT_OBJS): $(SHIPPED_STAMP)

$(TEST_BIN)/test_echo_partition: $(OBJ)/test/partition-unit/test_echo_partition.o \
        $(OBJ)/src/partitions/echo_service/echo_service.o $(OBJ)/gen/load_info_tfm_echo_service.o \
        $(TESTKIT_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

$(TEST_BIN)/test_custom_partition: $(OBJ)/test/partition-unit/test_custom_partition.o \
        $(OBJ)/src/partitions/my_custom_service/my_custom_service.o \
        $(OBJ)/idl/tfm_my_custom_service_service.o \
        $(OBJ)/gen/load_info_tfm_my_custom_service.o $(TESTKIT_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

# The interrupt test partition, in-process (its headers are the test system's).
$(OBJ)/test/partition-unit/test_irq_partition.o: ALL_CPPFLAGS = $(TEST_CPPFLAGS)
$(OBJ)/test/partition-unit/test_irq_partition.o: $(TEST_STAMP)
$(TEST_BIN)/test_irq_partition: $(OBJ)/test/partition-unit/test_irq_partition.o \
        $(OBJ)/test/partitions/test_irq/test_irq.o $(OBJ)/testgen/load_info_partix_test_irq.o \
        $(TESTKIT_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

# The SFN test partition in-process: built against the test system's headers.
$(OBJ)/test/partition-unit/test_sfn_partition.o: ALL_CPPFLAGS = $(TEST_CPPFLAGS)
$(OBJ)/test/partition-unit/test_sfn_partition.o: $(TEST_STAMP)
$(TEST_BIN)/test_sfn_partition: $(OBJ)/test/partition-unit/test_sfn_partition.o \
        $(OBJ)/test/partitions/test_sfn/test_sfn.o $(OBJ)/testgen/load_info_partix_test_sfn.o \
        $(TESTKIT_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

$(TEST_BIN)/test_testkit: $(OBJ)/test/partition-unit/test_testkit.o $(TESTKIT_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

$(OBJ)/test/unit/test_sandbox.o: ALL_CPPFLAGS += -Isrc/sandbox
$(TEST_BIN)/test_sandbox: $(OBJ)/test/unit/test_sandbox.o $(SANDBOX_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lseccomp -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_sandbox

$(OBJ)/test/unit/test_vectors.o: ALL_CPPFLAGS += -Isrc/client
$(TEST_BIN)/test_vectors: $(OBJ)/test/unit/test_vectors.o $(OBJ)/src/client/vectors.o
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lseccomp -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_vectors

$(OBJ)/test/unit/test_policy_wire.o: ALL_CPPFLAGS += -Isrc/spm/core -Isrc/common -Isrc/manifest
$(TEST_BIN)/test_policy_wire: $(OBJ)/test/unit/test_policy_wire.o $(OBJ)/src/spm/core/policy.o \
        $(COMMON_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_policy_wire

# The wire codec: every message type, every refusal, the datagram I/O.
$(OBJ)/test/unit/test_wire.o: ALL_CPPFLAGS += -Isrc/common
$(TEST_BIN)/test_wire: $(OBJ)/test/unit/test_wire.o $(OBJ)/src/common/wire.o
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_wire

# The Crypto service's codec, every row of its table (Mbed TLS: for what
# its inline attribute setters call when not inlined away).
$(OBJ)/test/unit/test_crypto_wire.o: ALL_CPPFLAGS += -Isrc/common
$(TEST_BIN)/test_crypto_wire: $(OBJ)/test/unit/test_crypto_wire.o $(OBJ)/src/common/crypto_wire.o
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -l:libmbedcrypto.a -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_crypto_wire

# The Crypto partition's multi-part AEAD engine on published vectors.
$(OBJ)/test/unit/test_crypto_aead.o: ALL_CPPFLAGS += -Isrc/partitions/crypto
$(TEST_BIN)/test_crypto_aead: $(OBJ)/test/unit/test_crypto_aead.o \
        $(OBJ)/src/partitions/crypto/crypto_aead.o
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -l:libmbedcrypto.a -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_crypto_aead

# The Platform partition's NV counter file format.
$(OBJ)/test/unit/test_nv_counter_file.o: ALL_CPPFLAGS += -Isrc/common -Isrc/partitions/platform
$(TEST_BIN)/test_nv_counter_file: $(OBJ)/test/unit/test_nv_counter_file.o \
        $(OBJ)/src/partitions/platform/nv_counter_file.o $(OBJ)/src/common/durable_file.o
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_nv_counter_file

# The storage partitions' budget check (each user's quota, the capacity).
$(OBJ)/test/unit/test_storage_quota.o: ALL_CPPFLAGS += -Isrc/common -Isrc/partitions/storage
$(TEST_BIN)/test_storage_quota: $(OBJ)/test/unit/test_storage_quota.o \
        $(OBJ)/src/partitions/storage/storage_quota.o
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_storage_quota

$(OBJ)/test/unit/test_sched.o: ALL_CPPFLAGS += -Isrc/spm -Isrc/spm/core -Isrc/common -Isrc/manifest
$(TEST_BIN)/test_sched: $(OBJ)/test/unit/test_sched.o $(OBJ)/src/spm/sched.o
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_sched

# The uids psa-spm as root gives partitions: /etc/subuid read and checked.
$(OBJ)/test/unit/test_subuid.o: ALL_CPPFLAGS += -Isrc/spm -Isrc/spm/core -Isrc/common -Isrc/manifest
$(TEST_BIN)/test_subuid: $(OBJ)/test/unit/test_subuid.o $(OBJ)/src/spm/priv/ids.o
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_subuid

# psa-spm's shell where it stands alone: memory objects, send queues, the log.
$(OBJ)/test/unit/test_shell.o: ALL_CPPFLAGS += -Isrc/spm -Isrc/spm/core -Isrc/common -Isrc/manifest
$(TEST_BIN)/test_shell: $(OBJ)/test/unit/test_shell.o $(OBJ)/src/spm/shell/memobj.o \
        $(OBJ)/src/spm/shell/sendq.o $(OBJ)/src/spm/log.o $(COMMON_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_shell

$(OBJ)/test/unit/test_cbor.o: ALL_CPPFLAGS += -Isrc/cbor
$(TEST_BIN)/test_cbor: $(OBJ)/test/unit/test_cbor.o $(CBOR_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_cbor

UNIT_TESTS += $(TEST_BIN)/test_echo_partition $(TEST_BIN)/test_custom_partition \
              $(TEST_BIN)/test_testkit $(TEST_BIN)/test_irq_partition \
              $(TEST_BIN)/test_sfn_partition

$(TEST_BIN)/test_conformance: $(OBJ)/test/conformance/test_conformance.o \
        $(OBJ)/test/e2e/fixture.o $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -lpthread -o $@

# test_platform writes counter files itself (the maximum, a corrupt file).
$(TEST_BIN)/test_platform: $(OBJ)/test/e2e/test_platform.o $(OBJ)/test/e2e/fixture.o \
        $(OBJ)/src/partitions/platform/nv_counter_file.o $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -lpthread -o $@

# test_hostile pipelines requests, which libpsa-client cannot: raw.c crafts them.
$(TEST_BIN)/test_hostile: $(OBJ)/test/e2e/test_hostile.o $(OBJ)/test/e2e/fixture.o \
        $(OBJ)/test/e2e/raw.o $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -lpthread -o $@

# test_exhaustion sends what no client library sends: raw.c crafts it.
$(TEST_BIN)/test_exhaustion: $(OBJ)/test/e2e/test_exhaustion.o $(OBJ)/test/e2e/fixture.o \
        $(OBJ)/test/e2e/raw.o $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -lpthread -o $@

$(TEST_BIN)/test_%: $(OBJ)/test/e2e/test_%.o $(OBJ)/test/e2e/fixture.o $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lcmocka -lpthread -o $@

E2E_ENV = PARTIX_SPM=$(BIN)/psa-spm PARTIX_TEST_LIST=test/manifests/manifest_list.yaml \
          PARTIX_TEST_EXTRA_LIST=test/manifests/extra/manifest_list.yaml \
          PARTIX_TEST_PARTITIONS=$(TEST_LIBEXEC) PARTIX_TEST_PLATFORM=test/manifests/platform.yaml \
          PARTIX_TEST_SANITIZED=$(if $(SAN),1,0) \
          PARTIX_TEST_ATTEST_IOT1_LIST=test/manifests/attest_iot1/manifest_list.yaml

# Each test binary's output, which the conformance matrix check reads.
RESULTS := $(BUILD)/test-results

# BLS12-381 (issue 6): the library's unit tests read test/vectors/bls/
# (bls_vectors.h) relative to the repository root, where this runs them.
BLS_VEC_OBJ := $(OBJ)/test/unit/bls_vectors.o
$(OBJ)/test/unit/bls_vectors.o $(OBJ)/test/unit/test_bls_%.o: ALL_CPPFLAGS += $(BLS_CPPFLAGS)
$(TEST_BIN)/test_bls_%: $(OBJ)/test/unit/test_bls_%.o $(BLS_VEC_OBJ) $(BLS_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ $(BLS_LDLIBS) -lyaml -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_bls_expand $(TEST_BIN)/test_bls_keygen $(TEST_BIN)/test_bls_vectors

# The library itself: fields (Mbed TLS's bignum as the slow oracle for Fp),
# groups, pairing, hash_to_curve, the signature scheme.
UNIT_TESTS += $(TEST_BIN)/test_bls_field $(TEST_BIN)/test_bls_ec $(TEST_BIN)/test_bls_pairing \
              $(TEST_BIN)/test_bls_h2c $(TEST_BIN)/test_bls_sig

# Second expansion: suites added to UNIT_TESTS / E2E_TESTS below this rule
# are built too (a plain prerequisite list is fixed where the rule is read).
.SECONDEXPANSION:
test: all $$(UNIT_TESTS) $$(E2E_TESTS) $$(TEST_PARTITION_EXES) $(TEST_LIBEXEC)/.links
	@fail=0; rm -rf $(RESULTS); mkdir -p $(RESULTS); \
	for t in $(UNIT_TESTS); do \
	    echo "== $$t"; r=$(RESULTS)/$$(basename $$t).log; \
	    $$t test/manifest >$$r 2>&1 || fail=1; cat $$r; \
	done; \
	for t in $(E2E_TESTS); do \
	    echo "== $$t"; r=$(RESULTS)/$$(basename $$t).log; \
	    $(E2E_ENV) $$t >$$r 2>&1 || fail=1; cat $$r; \
	done; \
	echo "== test/conformance/check.sh"; \
	sh test/conformance/check.sh $(RESULTS) test/conformance/rules.tsv || fail=1; \
	echo "== test/cli/psa_manifest.sh"; \
	sh test/cli/psa_manifest.sh $(BIN)/psa-manifest "$(CC) -D_GNU_SOURCE $(ALL_CFLAGS)" || fail=1; \
	echo "== test/cli/psa_spm_options.sh"; \
	sh test/cli/psa_spm_options.sh $(BIN)/psa-spm || fail=1; \
	echo "== test/install/outside.sh"; \
	OUTSIDE_CFLAGS="$(SAN)" sh test/install/outside.sh $(BUILD) || fail=1; \
	echo "== format"; \
	$(MAKE) --no-print-directory format-check || fail=1; \
	if [ $$fail -ne 0 ]; then echo "TESTS FAILED"; exit 1; fi; \
	echo "all tests passed"

golden: $(TEST_BIN)/test_manifest_corpus
	PARTIX_UPDATE_GOLDEN=1 $(TEST_BIN)/test_manifest_corpus test/manifest

.PHONY: golden


# The BLS HSM partition (issue 6): the test verifies signatures with the
# library and runs both builds of the bls_hsm_ns example.
$(OBJ)/test/e2e/test_bls_hsm.o: ALL_CPPFLAGS += $(BLS_CPPFLAGS) -Isrc/partitions/bls_hsm \
    -DBLS_HSM_NS_BIN='"$(BIN)/bls_hsm_ns"'
$(TEST_BIN)/test_bls_hsm: $(OBJ)/test/e2e/test_bls_hsm.o $(OBJ)/test/e2e/fixture.o $(CLIENT_A) \
        $(BLS_LIB) | $(BIN)/bls_hsm_ns $(BIN)/bls_hsm_ns_direct
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ $(BLS_LDLIBS) -lcmocka -lpthread -o $@
E2E_TESTS += $(TEST_BIN)/test_bls_hsm

# The SPM's routing core (src/spm/core/) on its untrusted paths: driven
# through a fake shell (core_harness.c) over the test system's manifests,
# every message through the codec.
TEST_CORE_OBJS = $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/spm/core/*.c))
$(OBJ)/test/unit/test_core.o $(OBJ)/test/unit/core_harness.o: \
    ALL_CPPFLAGS += -Isrc/spm/core -Isrc/common -Isrc/manifest
$(TEST_BIN)/test_core: $(OBJ)/test/unit/test_core.o $(OBJ)/test/unit/core_harness.o \
        $(TEST_CORE_OBJS) $(OBJ)/src/common/wire.o $(MANIFEST_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lyaml -lcmocka -o $@

UNIT_TESTS += $(TEST_BIN)/test_core

# issue 14: a partition written for TF-M 2.3, built as TF-M builds it (no
# -Wmissing-prototypes: its entry point is declared nowhere, as there)
$(OBJ)/test/partitions/test_tfm23/test_tfm23.o: ALL_CFLAGS += -Wno-missing-prototypes
E2E_TESTS += $(TEST_BIN)/test_tfm23
