# Tests: make test builds and runs them all.
test: all
	@echo "tests: none yet"
