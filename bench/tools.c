/* tools.c - helpers of `make bench` (bench/run.sh):
 *
 *   tools jsonl OUT MB FILE...  JSON Lines {"id","text"} of about MB
 *                               megabytes, the texts repeated in turn
 *   tools doc OUT MB FILE...    one plain-text document of MB megabytes,
 *                               the texts joined by blank lines
 *   tools run N CMD [ARG...]    runs CMD N times (stdin and stdout
 *                               /dev/null); prints the median wall time
 *                               and the median CPU time (user + system)
 *                               in seconds, and the largest peak RSS in KB
 *
 * A FILE ending in .jsonl gives the "text" of each line; any other FILE
 * is one text. */
#define _DEFAULT_SOURCE /* wait4 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

typedef struct {
  char **text;
  size_t *len, n, cap;
} texts;

static void add(texts *t, const char *s, size_t n) {
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 64;
    t->text = realloc(t->text, t->cap * sizeof *t->text);
    t->len = realloc(t->len, t->cap * sizeof *t->len);
    if (!t->text || !t->len) exit(1);
  }
  t->text[t->n] = malloc(n + 1);
  if (!t->text[t->n]) exit(1);
  memcpy(t->text[t->n], s, n);
  t->len[t->n++] = n;
}

static void read_file(texts *t, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  size_t n = strlen(path);
  int jsonl = n > 6 && !strcmp(path + n - 6, ".jsonl");
  char *line = NULL;
  size_t cap = 0;
  ssize_t k;
  if (!jsonl) {
    while ((k = getdelim(&line, &cap, '\0', f)) > 0) add(t, line, (size_t)k);
  } else {
    while ((k = getline(&line, &cap, f)) > 0) {
      json_t *o = json_loadb(line, (size_t)k, 0, NULL), *s = json_object_get(o, "text");
      if (json_is_string(s)) add(t, json_string_value(s), json_string_length(s));
      json_decref(o);
    }
  }
  free(line);
  fclose(f);
}

static void make(const char *out, double mb, int as_jsonl, texts *t) {
  FILE *f = fopen(out, "wb");
  if (!f || !t->n) { perror(out); exit(1); }
  size_t goal = (size_t)(mb * 1e6), done = 0;
  for (size_t i = 0; done < goal; i++) {
    size_t k = i % t->n;
    if (as_jsonl) {
      char id[32];
      snprintf(id, sizeof id, "bench-%zu", i + 1);
      json_t *o = json_pack("{s:s,s:s%}", "id", id, "text", t->text[k], t->len[k]);
      char *s = json_dumps(o, JSON_COMPACT);
      done += (size_t)fprintf(f, "%s\n", s);
      free(s);
      json_decref(o);
    } else {
      done += fwrite(t->text[k], 1, t->len[k], f) + (size_t)fprintf(f, "\n\n");
    }
  }
  if (fclose(f)) { perror(out); exit(1); }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

/* One run: wall seconds, and the CPU seconds and peak RSS of the child. */
static double run_once(char **argv, double *cpu, long *rss_kb) {
  double t = now();
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    execvp(argv[0], argv);
    _exit(127);
  }
  int st;
  struct rusage ru;
  if (pid < 0 || wait4(pid, &st, 0, &ru) < 0) { perror("run"); exit(1); }
  t = now() - t;
  if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
    fprintf(stderr, "tools: %s failed\n", argv[0]);
    exit(1);
  }
  *rss_kb = ru.ru_maxrss;
  *cpu = tv(ru.ru_utime) + tv(ru.ru_stime);
  return t;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int run(int n, char **argv) {
  double *t = calloc((size_t)n * 2, sizeof *t);
  long rss = 0, r;
  if (!t) return 1;
  for (int i = 0; i < n; i++) {
    t[i] = run_once(argv, &t[n + i], &r);
    if (r > rss) rss = r;
  }
  double wall = median(t, n);
  printf("%.4f %.4f %ld\n", wall, median(t + n, n), rss);
  free(t);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "run")) return run(atoi(argv[2]) > 0 ? atoi(argv[2]) : 1, argv + 3);
  if (argc < 5 || (strcmp(argv[1], "jsonl") && strcmp(argv[1], "doc"))) {
    fputs("usage: tools jsonl|doc OUT MB FILE... | tools run N CMD [ARG...]\n", stderr);
    return 2;
  }
  texts t = {0};
  for (int i = 4; i < argc; i++) read_file(&t, argv[i]);
  make(argv[2], atof(argv[3]), !strcmp(argv[1], "jsonl"), &t);
  for (size_t i = 0; i < t.n; i++) free(t.text[i]);
  free(t.text);
  free(t.len);
  return 0;
}
