# The BLS12-381 library (issue 6): every .c here joins libpartix-bls.a.
# Users compile with $(BLS_CPPFLAGS) and link $(BLS_LIB) $(BLS_LDLIBS):
# SHA-256 and HKDF come from Mbed TLS's libmbedcrypto (never from
# libpsa-client, whose psa_* are client stubs).
BLS_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/lib/bls12_381/*.c))
BLS_LIB := $(LIB)/libpartix-bls.a
BLS_CPPFLAGS := -Isrc/lib/bls12_381
BLS_LDLIBS := -lmbedcrypto

$(OBJ)/src/lib/bls12_381/%.o: ALL_CPPFLAGS += $(BLS_CPPFLAGS)

$(BLS_LIB): $(BLS_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

ALL_TARGETS += $(BLS_LIB)
