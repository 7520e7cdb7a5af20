# The TinyMaix-compatible inference engine (issue 15): libpartix-tinymaix.a.
# Programs compile with $(TINYMAIX_CPPFLAGS) (#include "tinymaix.h") and
# link $(TINYMAIX_LIB) $(TINYMAIX_LDLIBS); installed, pkg-config partix-tinymaix.
# The kernels are built at -O3 without floating-point contraction: int8
# results must be TinyMaix's bit for bit (see tm_i8.c).
TINYMAIX_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/lib/tinymaix/*.c))
TINYMAIX_LIB := $(LIB)/libpartix-tinymaix.a
TINYMAIX_CPPFLAGS := -Isrc/lib/tinymaix/include
TINYMAIX_LDLIBS := -lm

$(OBJ)/src/lib/tinymaix/%.o: ALL_CPPFLAGS += $(TINYMAIX_CPPFLAGS)
$(OBJ)/src/lib/tinymaix/%.o: ALL_CFLAGS += -O3 -ffp-contract=off

$(TINYMAIX_LIB): $(TINYMAIX_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

ALL_TARGETS += $(TINYMAIX_LIB)
