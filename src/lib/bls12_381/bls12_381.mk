# The BLS12-381 library (issue 6): fields, curves, pairing, hash_to_curve
# and the signature scheme; a static library that the BLS HSM partition,
# its tests, the bench and the bls_hsm_ns example link (with Mbed TLS's
# SHA-256 for expand_message_xmd and HKDF).
BLS_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/lib/bls12_381/*.c))
BLS_LIB := $(LIB)/libbls12_381.a

$(BLS_LIB): $(BLS_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

ALL_TARGETS += $(BLS_LIB)
