# The manifest library, shared by psa-manifest and psa-spm; wire.c has the
# one encoding of a stateless handle.
MANIFEST_SRCS := $(wildcard src/manifest/*.c) src/common/wire.c
MANIFEST_LIB := $(LIB)/libpartix-manifest.a

$(OBJ)/src/manifest/%.o: ALL_CPPFLAGS += -Isrc/common

$(MANIFEST_LIB): $(MANIFEST_SRCS:%.c=$(OBJ)/%.o)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

ALL_TARGETS += $(MANIFEST_LIB)
