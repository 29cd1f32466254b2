/* fuzz_rules_once.h - the one LLVMFuzzerInitialize of the harnesses that
 * run documents: the rules from $NERQ_RULES (default "rules"), loaded once
 * into `rules` and kept for the whole run. Include once, in a harness. */
#ifndef NERQ_FUZZ_RULES_ONCE_H
#define NERQ_FUZZ_RULES_ONCE_H
#include <stdlib.h>

#include "nerq.h"

static nerq_rules *rules;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *dir = getenv("NERQ_RULES");
  if (nerq_rules_load(dir ? dir : "rules", &rules, NULL)) abort();
  return 0;
}
#endif
