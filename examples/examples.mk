# Example applications: ordinary Linux programs linking libpsa-client.
EXAMPLES := $(BIN)/echo_client $(BIN)/custom_client $(BIN)/rot_client

$(BIN)/%_client: $(OBJ)/examples/%_client.o $(CLIENT_A)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $^ -lpthread -o $@

ALL_TARGETS += $(EXAMPLES)
$(OBJ)/examples/echo_client.o: $(SHIPPED_STAMP)
