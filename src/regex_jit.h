/* regex_jit.h - PCRE2 JIT compilation on a regex's first use, not at
 * rule load: start-up stays a few milliseconds, and a regex that no
 * document reaches is never JIT-compiled. Rule sets are shared by
 * threads, so the first use compiles under a lock (one per file that
 * includes this) and publishes `done` with release order; later uses
 * read it with acquire order and take no lock. */
#ifndef NERQ_REGEX_JIT_H
#define NERQ_REGEX_JIT_H

#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>

static pthread_mutex_t nerq_jit_lock = PTHREAD_MUTEX_INITIALIZER;

static inline void nerq_jit_once(pcre2_code *re, atomic_int *done) {
  if (atomic_load_explicit(done, memory_order_acquire)) return;
  pthread_mutex_lock(&nerq_jit_lock);
  if (!atomic_load_explicit(done, memory_order_relaxed)) {
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* falls back if no JIT */
    atomic_store_explicit(done, 1, memory_order_release);
  }
  pthread_mutex_unlock(&nerq_jit_lock);
}

#endif
