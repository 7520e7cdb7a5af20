# The shipped manifests and the headers generated from them.
SHIPPED_LIST := manifests/manifest_list.yaml
SHIPPED_STAMP := $(GEN)/psa_manifest/.stamp

$(SHIPPED_STAMP): $(BIN)/psa-manifest $(wildcard manifests/*.yaml) | $(IDL_STAMPS)
	$(BIN)/psa-manifest generate $(SHIPPED_LIST) -o $(GEN)
	@touch $@

ALL_TARGETS += $(SHIPPED_STAMP)
