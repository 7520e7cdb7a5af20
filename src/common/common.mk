# What client, SPM and runtime share: the wire codec and the socket path.
COMMON_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/common/*.c))
