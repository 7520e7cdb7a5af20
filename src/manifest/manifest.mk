# The manifest library, shared by psa-manifest and psa-spm.
MANIFEST_SRCS := $(wildcard src/manifest/*.c)
MANIFEST_LIB := $(LIB)/libpartix-manifest.a

$(MANIFEST_LIB): $(MANIFEST_SRCS:%.c=$(OBJ)/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

ALL_TARGETS += $(MANIFEST_LIB)
