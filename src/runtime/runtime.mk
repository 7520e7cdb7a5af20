# The partition runtime: main() and the FF-M partition API, linked into
# every partition executable.
RUNTIME_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/runtime/*.c))
RUNTIME_LIB := $(LIB)/libpartix-runtime.a

$(OBJ)/src/runtime/%.o: ALL_CPPFLAGS += -Isrc/common -Isrc/sandbox -Isrc/client

$(RUNTIME_LIB): $(RUNTIME_OBJS) $(OBJ)/src/client/vectors.o $(OBJ)/src/client/call.o \
        $(COMMON_OBJS) $(SANDBOX_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

ALL_TARGETS += $(RUNTIME_LIB)
