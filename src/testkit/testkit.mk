# libpsa-partition-test: unit-testing partitions in-process (partix/partition_test.h).
TESTKIT_LIB := $(LIB)/libpsa-partition-test.a

$(OBJ)/src/testkit/%.o: ALL_CPPFLAGS += -Isrc/common -Isrc/runtime -Isrc/client

$(TESTKIT_LIB): $(OBJ)/src/testkit/testkit.o $(OBJ)/src/runtime/msg.o $(OBJ)/src/runtime/wait.o \
        $(OBJ)/src/runtime/sfn.o $(OBJ)/src/runtime/client.o $(OBJ)/src/runtime/otp.o \
        $(OBJ)/src/runtime/reset.o $(OBJ)/src/runtime/log.o $(OBJ)/src/runtime/probe.o \
        $(OBJ)/src/runtime/direct.o \
        $(OBJ)/src/runtime/api_mark.o \
        $(OBJ)/src/client/vectors.o $(OBJ)/src/client/call.o \
        $(COMMON_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

ALL_TARGETS += $(TESTKIT_LIB)
