/* cli_out.c - where records go: the output file, checked against the
 * inputs before anything is written; every record written whole with
 * one writev() call (so O_APPEND writers never interleave and an
 * interrupted run never leaves half a line), but for a document of
 * CLI_STREAM_BYTES or more, whose record is written in pieces as it is
 * made; the first failed write stops the run; SIGINT and SIGTERM let the
 * current record finish. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cli.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig) { got_signal = sig; }

void cli_signals_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns, then we stop */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

int cli_signal(void) { return got_signal; }

int cli_stopped(const cli_run *c) { return got_signal || c->write_errno; }

/* path made absolute, its directory resolved (the file need not exist):
 * "/real/dir/name" in buf, or NULL. */
static const char *canonical(const char *path, char *buf, size_t size) {
  char dir[PATH_MAX], *copy = strdup(path);
  if (!copy) return NULL;
  char *slash = strrchr(copy, '/');
  const char *base = slash ? slash + 1 : copy;
  if (slash == copy) strcpy(dir, "/");
  else if (!realpath(slash ? (*slash = '\0', copy) : ".", dir)) {
    free(copy);
    return NULL;
  }
  int n = snprintf(buf, size, "%s/%s", dir, base);
  free(copy);
  return n > 0 && (size_t)n < size ? buf : NULL;
}

/* Whether input `path` is the file `out` names (same device and inode,
 * or, when either is missing, the same resolved path). */
static int same_file(const char *path, const char *out, const struct stat *ost, int have) {
  struct stat st;
  if (!strcmp(path, "-")) return have && fstat(0, &st) == 0 && st.st_dev == ost->st_dev && st.st_ino == ost->st_ino;
  if (stat(path, &st) == 0 && have)
    return S_ISREG(st.st_mode) && st.st_dev == ost->st_dev && st.st_ino == ost->st_ino;
  char a[PATH_MAX + 256], b[PATH_MAX + 256];
  return out && canonical(path, a, sizeof a) && canonical(out, b, sizeof b) && !strcmp(a, b);
}

/* The first input that is also the output, or NULL. */
static const char *input_is_output(cli_run *c, char **paths, size_t n, int stdin_used) {
  struct stat ost;
  int have = c->out_path ? stat(c->out_path, &ost) == 0 : fstat(1, &ost) == 0;
  if (have && !S_ISREG(ost.st_mode)) return NULL; /* /dev/null, a pipe, a terminal */
  if (!have && !c->out_path) return NULL;
  if (stdin_used && same_file("-", c->out_path, &ost, have)) return "-";
  for (size_t i = 0; i < n; i++)
    if (same_file(paths[i], c->out_path, &ost, have)) return paths[i];
  return NULL;
}

int cli_out_open(cli_run *c, char **paths, size_t n, int stdin_used) {
  const char *name = c->out_path ? c->out_path : "standard output";
  const char *clash = input_is_output(c, paths, n, stdin_used);
  if (clash) {
    fprintf(stderr, "nerq: %s: the output file is also an input (%s); nothing written\n", name,
            strcmp(clash, "-") ? clash : "standard input");
    return 2;
  }
  c->fd = 1;
  if (c->out_path && (c->fd = open(c->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0666)) < 0) {
    fprintf(stderr, "nerq: %s: %s\n", c->out_path, strerror(errno));
    return 2;
  }
  struct stat st;
  c->out_known = fstat(c->fd, &st) == 0 && S_ISREG(st.st_mode);
  if (c->out_known) c->out_dev = st.st_dev, c->out_ino = st.st_ino;
  return 0;
}

int cli_is_output(const cli_run *c, const struct stat *st) {
  return c->out_known && S_ISREG(st->st_mode) && (unsigned long long)st->st_dev == c->out_dev &&
         (unsigned long long)st->st_ino == c->out_ino;
}

/* Writes the n buffers of v with one writev() call (looping only if the
 * system writes less, as it may to a pipe); 0, or -1 after a failure,
 * which is reported and stops the run. */
static int write_all(cli_run *c, struct iovec *v, int n) {
  for (int i = 0; i < n;) {
    ssize_t w = writev(c->fd, v + i, n - i);
    if (w < 0 && errno == EINTR) continue; /* finish the record */
    if (w <= 0) {
      c->write_errno = w < 0 ? errno : EIO;
      fprintf(stderr, "nerq: %s: %s\n", c->out_path ? c->out_path : "standard output",
              strerror(c->write_errno));
      return -1;
    }
    size_t done = (size_t)w;
    while (i < n && done >= v[i].iov_len) done -= v[i++].iov_len;
    if (i < n) v[i].iov_base = (char *)v[i].iov_base + done, v[i].iov_len -= done;
  }
  return 0;
}

/* A record and its newline, at once: no copy of the record. (A big
 * document's record comes in pieces through cli_write instead, then ""
 * here.) */
static void write_record(cli_run *c, const char *rec) {
  struct iovec v[2] = {{(void *)rec, strlen(rec)}, {"\n", 1}};
  write_all(c, v, 2);
}

int cli_write(void *ctx, const char *bytes, size_t n) {
  cli_run *c = ctx;
  struct iovec v[1] = {{(void *)bytes, n}};
  return c->write_errno ? -1 : write_all(c, v, 1);
}

/* Counts one document for each rule named in `names` (one a line). */
static void tally_runaway(cli_run *c, const char *names) {
  for (const char *p = names, *nl; p && (nl = strchr(p, '\n')); p = nl + 1) {
    size_t n = (size_t)(nl - p), i = 0;
    while (i < c->nrunaway && (strlen(c->runaway[i]) != n || strncmp(c->runaway[i], p, n))) i++;
    if (i == c->nrunaway) {
      char **r = realloc(c->runaway, (i + 1) * sizeof *r);
      size_t *d = r ? realloc(c->runaway_docs, (i + 1) * sizeof *d) : NULL;
      if (r) c->runaway = r;
      if (d) c->runaway_docs = d;
      if (!r || !d || !(r[i] = strndup(p, n))) return; /* the summary loses it */
      d[i] = 0;
      c->nrunaway++;
    }
    c->runaway_docs[i]++;
  }
}

void cli_sink(void *ctx, const char *record, const char *err_line, size_t warnings,
              const char *runaway) {
  cli_run *c = ctx;
  tally_runaway(c, runaway);
  if (c->write_errno) return;
  if (!record) {
    fprintf(stderr, "nerq: out of memory\n");
    c->write_errno = ENOMEM;
    return;
  }
  c->read++;
  if (err_line) c->failed++, fputs(err_line, stderr);
  else c->ok++, c->warnings += warnings;
  write_record(c, record);
  cli_progress_doc(c->progress);
}

int cli_out_close(cli_run *c) {
  if (c->fd > 1 && close(c->fd) != 0 && !c->write_errno) {
    c->write_errno = errno;
    fprintf(stderr, "nerq: %s: %s\n", c->out_path, strerror(errno));
  }
  return c->write_errno ? 1 : 0;
}

void cli_summary(const cli_run *c) {
  if (c->quiet) return;
  for (size_t i = 0; i < c->nrunaway; i++)
    fprintf(stderr, "nerq: warning: runaway rule %s ran out of its match budget in %zu document%s\n",
            c->runaway[i], c->runaway_docs[i], c->runaway_docs[i] == 1 ? "" : "s");
  fprintf(stderr, "nerq: %zu document%s read, %zu succeeded, %zu failed, %zu warning%s%s\n",
          c->read, c->read == 1 ? "" : "s", c->ok, c->failed, c->warnings,
          c->warnings == 1 ? "" : "s", got_signal ? " (interrupted)" : "");
}
