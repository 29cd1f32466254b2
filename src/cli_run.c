/* cli_run.c - the inputs of `nerq [PATH...]`: files, streams (standard
 * input, FIFOs and devices named on the command line) and directory
 * walks. Each document goes to the pool (cli_pool.c: -j threads), which
 * hands the records back in input order to cli_sink (cli_out.c).
 *
 * Walks skip dot files, never follow a symbolic link to a directory
 * unless --follow (and then stop at a loop, found by device and inode),
 * never read the output file, and give an error record for a special
 * file, for a directory nested too deep, for a document over
 * --max-doc-bytes (checked on the size before reading, and bounded while
 * streaming) and, in text mode, for a binary file (a NUL byte in the
 * first 8 KiB) or a gzip file. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define BINARY_PROBE 8192 /* bytes looked at for a NUL, as ripgrep does */
#define CHUNK 65536

struct cli_walk {
  size_t depth;
  struct {
    unsigned long long dev, ino;
  } up[CLI_MAX_DEPTH + 1];
};

/* Queues one document for the pool, which owns id, text and meta (all
 * malloc'd; meta may be NULL) from here on. */
static void emit_doc(cli_run *c, char *id, int id_flags, char *text, size_t len, char *meta) {
  if (!id || !text) {
    free(id), free(text), free(meta);
    cli_pool_submit_record(c->pool, NULL, NULL);
    c->write_errno = ENOMEM;
    return;
  }
  if (c->input != CLI_INPUT_JSONL) cli_progress_input(c->progress, len);
  cli_pool_submit(c->pool, id, id_flags, text, len, meta);
}

static char *dup_bytes(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) memcpy(d, s, n), d[n] = '\0';
  return d;
}

/* An error record in place of a document (unless the run is stopping). */
static void emit_error(cli_run *c, const char *doc, const char *msg) {
  if (cli_stopped(c)) return;
  char *err_line = NULL, *rec = cli_error_record(doc, msg, c->flags, &err_line);
  cli_pool_submit_record(c->pool, rec, err_line ? err_line : strdup("nerq: out of memory\n"));
}

/* Reads all of fd, at most max bytes: 0, EFBIG when there is more, or
 * an errno value (EINTR once a signal came). */
static int read_bounded(int fd, size_t max, char **buf, size_t *len) {
  size_t cap = CHUNK, n = 0;
  char *b = malloc(cap);
  if (!b) return ENOMEM;
  for (;;) {
    if (n == cap) {
      char *nb = cap > max ? NULL : realloc(b, cap *= 2);
      if (!nb) {
        free(b);
        return n > max ? EFBIG : ENOMEM;
      }
      b = nb;
    }
    ssize_t got = read(fd, b + n, cap - n);
    if (got < 0 && errno == EINTR && !cli_signal()) continue;
    if (got < 0) {
      int e = errno;
      free(b);
      return e;
    }
    if (got == 0) break;
    if ((n += (size_t)got) > max) {
      free(b);
      return EFBIG;
    }
  }
  *buf = b;
  *len = n;
  return 0;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcmp(s + n - k, suffix);
}

/* Why a text file is skipped, or NULL. */
static const char *not_text(const char *path, const char *buf, size_t len) {
  if ((len >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b) ||
      ends_with(path, ".gz"))
    return "compressed file (gzip); skipped";
  if (memchr(buf, '\0', len < BINARY_PROBE ? len : BINARY_PROBE))
    return "binary file (a NUL byte in the first 8 KiB); skipped";
  return NULL;
}

static void too_big(cli_run *c, const char *path) {
  char msg[128];
  snprintf(msg, sizeof msg, "document larger than --max-doc-bytes (%zu bytes); skipped",
           c->max_doc_bytes);
  emit_error(c, path, msg);
}

static void run_text(cli_run *c, const char *path, int fd) {
  char *buf = NULL;
  size_t len = 0;
  int err = read_bounded(fd, c->max_doc_bytes, &buf, &len);
  if (err == EFBIG) {
    too_big(c, path);
    return;
  }
  if (err) {
    emit_error(c, path, strerror(err));
    return;
  }
  const char *why = not_text(path, buf, len);
  if (why) {
    emit_error(c, path, why);
    free(buf);
  } else emit_doc(c, strdup(path), 0, buf, len, NULL);
}

/* ------------------------------------------------------------------ */
/* JSON Lines: lines end at LF, CRLF or a lone CR; a BOM is dropped.  */

typedef struct {
  int fd, eof, err;
  char *buf;
  size_t cap, start, end, max;
  cli_pool *pool;
} lines;

/* Reads more into the buffer (compacting or growing it). 0 at EOF. */
static int fill(lines *r) {
  if (r->start) {
    memmove(r->buf, r->buf + r->start, r->end - r->start);
    r->end -= r->start;
    r->start = 0;
  }
  if (r->end == r->cap) {
    char *nb = realloc(r->buf, r->cap ? r->cap * 2 : CHUNK);
    if (!nb) return r->err = ENOMEM, 0;
    r->buf = nb;
    r->cap = r->cap ? r->cap * 2 : CHUNK;
  }
  struct pollfd pf = {r->fd, POLLIN, 0};
  if (poll(&pf, 1, 0) == 0) cli_pool_flush(r->pool); /* nothing to read yet */
  for (;;) {
    ssize_t got = read(r->fd, r->buf + r->end, r->cap - r->end);
    if (got < 0 && errno == EINTR && !cli_signal()) continue;
    if (got < 0) return r->err = errno, 0;
    if (got == 0) return r->eof = 1, 0;
    r->end += (size_t)got;
    return 1;
  }
}

/* The first '\n' or '\r' in buf[i, end), or end (memchr: a few
 * instructions per line, not per byte). */
static size_t line_end(const char *buf, size_t i, size_t end) {
  if (i >= end) return end; /* (buf may be NULL: nothing read yet) */
  const char *nl = memchr(buf + i, '\n', end - i);
  size_t stop = nl ? (size_t)(nl - buf) : end;
  const char *cr = memchr(buf + i, '\r', stop - i);
  return cr ? (size_t)(cr - buf) : stop;
}

/* The next line in *line, *n: 1, or 0 at the end or on an error. A line
 * over r->max bytes is skipped to its end and returned with *n = SIZE_MAX. */
static int next_line(lines *r, const char **line, size_t *n) {
  size_t off = 0; /* bytes after r->start known to hold no line end */
  int skipped = 0;
  for (;;) {
    size_t i = line_end(r->buf, r->start + off, r->end);
    if (i < r->end && (r->buf[i] == '\n' || i + 1 < r->end || r->eof)) {
      *line = r->buf + r->start;
      *n = skipped || i - r->start > r->max ? SIZE_MAX : i - r->start;
      r->start = i + 1 + (r->buf[i] == '\r' && i + 1 < r->end && r->buf[i + 1] == '\n');
      return 1;
    }
    off = i - r->start;
    if (off > r->max) {
      skipped = 1;
      r->start = i;
      off = 0;
    } /* drop what we hold */
    if (r->eof || r->err) break;
    if (!fill(r) && !r->eof) return 0;
  }
  *line = r->buf + r->start;
  *n = skipped ? SIZE_MAX : r->end - r->start;
  r->start = r->end;
  return skipped || *n != 0;
}

static void jsonl_line(cli_run *c, const char *line, size_t n, const char *where) {
  cli_jsonl_rec rec;
  const char *err = cli_jsonl_parse(line, n, &c->fields, &rec);
  if (err) {
    emit_error(c, where, err);
    return;
  }
  emit_doc(c, rec.id ? rec.id : strdup(where), rec.id ? NERQ_JSON_RAW_ID : 0, rec.text, rec.len,
           rec.meta);
}

static void run_jsonl(cli_run *c, const char *path, int fd) {
  lines r = {fd, 0, 0, NULL, 0, 0, 0, c->max_doc_bytes, c->pool};
  char where[PATH_MAX + 32];
  const char *line;
  size_t n, lineno = 0;
  while (!cli_stopped(c) && next_line(&r, &line, &n)) {
    snprintf(where, sizeof where, "%s:%zu", path, ++lineno);
    cli_progress_input(c->progress, n == SIZE_MAX ? 0 : n + 1);
    if (lineno == 1 && n != SIZE_MAX && n >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) line += 3, n -= 3;
    if (n == SIZE_MAX) {
      too_big(c, where);
      continue;
    }
    size_t k = 0;
    while (k < n && (line[k] == ' ' || line[k] == '\t')) k++;
    if (k < n) jsonl_line(c, line, n, where);
  }
  if (r.err && !cli_signal()) emit_error(c, path, strerror(r.err));
  free(r.buf);
}

/* Each CoNLL document is one record, with the id "PATH#N". */
static void run_conll(cli_run *c, const char *path) {
  cli_conll *r = NULL;
  cli_conll_doc d;
  int err = cli_conll_open(path, "nerq", &r);
  while (!err && !cli_stopped(c) && !(err = cli_conll_next(r, &d)))
    emit_doc(c, strdup(d.id), 0, dup_bytes(d.text, d.len), d.len, NULL);
  if (err && err != EOF) emit_error(c, path, strerror(err));
  cli_conll_close(r);
}

/* A file or stream: st is NULL for standard input. */
static void run_file(cli_run *c, const char *path, const struct stat *st) {
  if (st && S_ISREG(st->st_mode) && (unsigned long long)st->st_size > c->max_doc_bytes &&
      c->input == CLI_INPUT_TEXT) {
    too_big(c, path);
    return;
  }
  if (c->input == CLI_INPUT_CONLL) {
    run_conll(c, path);
    return;
  }
  int fd = st ? open(path, O_RDONLY) : 0;
  if (fd < 0) {
    emit_error(c, path, strerror(errno));
    return;
  }
  if (c->input == CLI_INPUT_JSONL) run_jsonl(c, path, fd);
  else run_text(c, path, fd);
  if (fd) close(fd);
}

/* ------------------------------------------------------------------ */
/* Directory walks                                                      */

static void run_entry(cli_run *c, const char *path, int top);

/* The sorted names in dir, without dot files; NULL (with errno) on error. */
static char **list_dir(const char *path, size_t *count) {
  DIR *d = opendir(path);
  if (!d) return NULL;
  char **names = malloc(sizeof *names);
  size_t n = 0, cap = 1;
  struct dirent *de;
  while (names && (de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    if (n + 1 >= cap) {
      char **nn = realloc(names, (cap *= 2) * sizeof *nn);
      if (!nn) break;
      names = nn;
    }
    if ((names[n] = strdup(de->d_name))) n++;
  }
  closedir(d);
  if (names) qsort(names, n, sizeof *names, nerq_str_cmp);
  *count = n;
  if (!names) errno = ENOMEM;
  return names;
}

/* Whether the directory (dev, ino) is one of those being walked. */
static int on_walk(const cli_walk *w, const struct stat *st) {
  for (size_t i = 0; i < w->depth; i++)
    if (w->up[i].dev == (unsigned long long)st->st_dev && w->up[i].ino == (unsigned long long)st->st_ino)
      return 1;
  return 0;
}

static void walk_children(cli_run *c, const char *path) {
  size_t n = 0;
  char **names = list_dir(path, &n);
  if (!names) {
    emit_error(c, path, strerror(errno));
    return;
  }
  size_t plen = strlen(path);
  for (size_t i = 0; i < n; i++) {
    size_t l = plen + strlen(names[i]) + 2;
    char *child = malloc(l);
    if (child && !cli_stopped(c)) {
      snprintf(child, l, "%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/", names[i]);
      run_entry(c, child, 0);
    }
    free(child);
    free(names[i]);
  }
  free(names);
}

static void run_dir(cli_run *c, const char *path, const struct stat *st) {
  cli_walk *w = c->walk;
  char msg[96];
  if (on_walk(w, st)) {
    emit_error(c, path, "filesystem loop (a directory inside itself); not walked");
    return;
  }
  if (w->depth >= CLI_MAX_DEPTH) {
    snprintf(msg, sizeof msg, "directory nested deeper than %d levels; not walked", CLI_MAX_DEPTH);
    emit_error(c, path, msg);
    return;
  }
  w->up[w->depth].dev = (unsigned long long)st->st_dev;
  w->up[w->depth++].ino = (unsigned long long)st->st_ino;
  walk_children(c, path);
  w->depth--;
}

static const char *kind_of(mode_t m) {
  return S_ISFIFO(m) ? "FIFO" : S_ISCHR(m) ? "character device"
                            : S_ISBLK(m)   ? "block device"
                            : S_ISSOCK(m)  ? "socket"
                                           : "special file";
}

static void run_entry(cli_run *c, const char *path, int top) {
  struct stat st;
  if (!strcmp(path, "-")) {
    run_file(c, "-", NULL);
    return;
  }
  if ((top ? stat(path, &st) : lstat(path, &st)) != 0) {
    emit_error(c, path, strerror(errno));
    return;
  }
  if (S_ISLNK(st.st_mode)) {
    struct stat t;
    if (stat(path, &t) != 0) {
      emit_error(c, path, strerror(errno));
      return;
    }
    if (S_ISDIR(t.st_mode) && !c->follow) return; /* as find and ripgrep do */
    st = t;
  }
  if (S_ISDIR(st.st_mode)) {
    run_dir(c, path, &st);
    return;
  }
  if (cli_is_output(c, &st)) {
    fprintf(stderr, "nerq: %s: the output file; not read\n", path);
    return;
  }
  if (!top && !S_ISREG(st.st_mode)) {
    char msg[96];
    snprintf(msg, sizeof msg, "not a regular file (%s); skipped", kind_of(st.st_mode));
    emit_error(c, path, msg);
    return;
  }
  run_file(c, path, &st);
}

void cli_run_path(cli_run *c, const char *path) {
  if (!c->walk && !(c->walk = calloc(1, sizeof *c->walk))) {
    emit_error(c, path, strerror(ENOMEM));
    return;
  }
  if (!cli_stopped(c)) run_entry(c, path, 1);
}

void cli_run_free(cli_run *c) {
  free(c->walk);
  c->walk = NULL;
  for (size_t i = 0; i < c->nrunaway; i++) free(c->runaway[i]);
  free(c->runaway);
  free(c->runaway_docs);
  c->runaway = NULL, c->runaway_docs = NULL, c->nrunaway = 0;
}
