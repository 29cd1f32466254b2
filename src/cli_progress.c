/* cli_progress.c - the progress report of a long `nerq` run, on stderr:
 * on a terminal, one line rewritten in place ("nerq: 1200 docs, 35.2 MB,
 * 4.1 MB/s, 62% ETA 0:14"); with --progress=json, one JSON object per
 * line every few seconds, for job runners. Nothing is written when stderr
 * is not a terminal unless --progress asks, nor with -q. Everything runs
 * on the thread that reads the input and writes the records. */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

struct cli_progress {
  int mode;                              /* CLI_PROGRESS_LINE or CLI_PROGRESS_JSON */
  double interval;                       /* seconds between reports */
  double start, last;                    /* monotonic seconds */
  unsigned long long docs, bytes, total; /* total 0: unknown */
  int shown;                             /* a terminal line is on the screen */
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long tree_bytes;

static int add_file(const char *path, const struct stat *st, int type, struct FTW *f) {
  (void)path;
  (void)f;
  if (type == FTW_F && S_ISREG(st->st_mode)) tree_bytes += (unsigned long long)st->st_size;
  return 0;
}

/* The bytes of the regular files under the inputs ("-": standard input
 * when it is a file), or 0 when some input has no known size. */
static unsigned long long input_size(char **paths, size_t n, int use_stdin) {
  unsigned long long sum = 0;
  struct stat st;
  for (size_t i = 0; i < n + (use_stdin != 0); i++) {
    const char *p = i < n ? paths[i] : "-";
    int ok = !strcmp(p, "-") ? fstat(STDIN_FILENO, &st) == 0 : stat(p, &st) == 0;
    if (!ok) continue;
    if (S_ISREG(st.st_mode)) sum += (unsigned long long)st.st_size;
    else if (S_ISDIR(st.st_mode)) {
      tree_bytes = 0;
      if (nftw(p, add_file, 16, FTW_PHYS) == 0) sum += tree_bytes;
    } else return 0; /* a pipe or a terminal */
  }
  return sum;
}

cli_progress *cli_progress_new(int mode, double interval, char **paths, size_t npaths,
                               int use_stdin) {
  if (mode == CLI_PROGRESS_AUTO) mode = isatty(STDERR_FILENO) ? CLI_PROGRESS_LINE : CLI_PROGRESS_OFF;
  if (mode == CLI_PROGRESS_OFF) return NULL;
  cli_progress *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->mode = mode;
  p->interval = interval >= 0 ? interval : mode == CLI_PROGRESS_JSON ? 2.0
                                                                     : 0.25;
  p->start = p->last = now();
  p->total = input_size(paths, npaths, use_stdin);
  return p;
}

/* Writes one report; `done` marks the last. */
static void report(cli_progress *p, int done) {
  double t = now() - p->start, mb = (double)p->bytes / 1e6;
  double rate = t > 0 ? mb / t : 0;
  int eta_known = p->total && p->bytes && !done;
  double left = p->total > p->bytes ? (double)(p->total - p->bytes) / 1e6 : 0;
  double eta = eta_known && rate > 0 ? left / rate : 0;
  if (p->mode == CLI_PROGRESS_JSON) {
    fprintf(stderr, "{\"progress\":\"nerq\",\"docs\":%llu,\"bytes\":%llu,\"total_bytes\":", p->docs, p->bytes);
    if (p->total) fprintf(stderr, "%llu", p->total);
    else fputs("null", stderr);
    fprintf(stderr, ",\"seconds\":%.3f,\"mb_per_s\":%.3f,\"eta_seconds\":", t, rate);
    if (eta_known && rate > 0) fprintf(stderr, "%.1f", eta);
    else fputs("null", stderr);
    fprintf(stderr, ",\"done\":%s}\n", done ? "true" : "false");
  } else {
    fprintf(stderr, "\rnerq: %llu docs, %.1f MB, %.1f MB/s", p->docs, mb, rate);
    if (eta_known && rate > 0)
      fprintf(stderr, ", %d%% ETA %d:%02d", (int)(100.0 * (double)p->bytes / (double)p->total),
              (int)eta / 60, (int)eta % 60);
    fputs(done ? "\033[K\n" : "\033[K", stderr);
    p->shown = !done;
  }
  fflush(stderr);
}

void cli_progress_input(cli_progress *p, size_t bytes) {
  if (p) p->bytes += bytes;
}

void cli_progress_doc(cli_progress *p) {
  if (!p) return;
  p->docs++;
  double t = now();
  if (t - p->last >= p->interval) {
    p->last = t;
    report(p, 0);
  }
}

void cli_progress_finish(cli_progress *p) {
  if (!p) return;
  report(p, 1);
  free(p);
}
