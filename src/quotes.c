/* quotes.c - stage 6: direct quotes and their speakers. */
#include "internal.h"

nerq_status nerq_quotes_find(nerq_doc *doc) {
  nerq_vec_init(&doc->quotes, sizeof(nerq_quote));
  return NERQ_OK;
}
