# The strict CBOR encoder and decoder and the COSE_Sign1 envelope: linked
# into psa-spm (the boot record), the Initial Attestation partition (the
# token) and psa-attest (the verifier); not into libpsa-client.
CBOR_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/cbor/*.c))
