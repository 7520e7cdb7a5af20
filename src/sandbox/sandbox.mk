# The partition sandbox: setup (SPM side, before exec) and enter (partition side).
SANDBOX_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard src/sandbox/*.c))
