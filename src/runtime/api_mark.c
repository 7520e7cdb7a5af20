/*
 * api_mark.c - the FF-M function a partition last called, which every
 * public function of the runtime records (runtime.h's rt_stack_mark()) and
 * a crash report names (crash.c).  A file of its own: libpsa-partition-test
 * has it too.
 */
#include "runtime.h"

const char *rt_api_entered;
