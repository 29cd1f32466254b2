/* cli.h - helpers shared by the nerq command's source files (not part of
 * libnerq). */
#ifndef NERQ_CLI_H
#define NERQ_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "nerq.h"

#ifndef NERQ_DATADIR
#define NERQ_DATADIR "/usr/local/share/nerq"
#endif

/* Loads the rules from `dir`, or else from $NERQ_RULES, rules/ beside
 * the binary, or NERQ_DATADIR/rules. Prints any error to stderr and
 * returns NULL. The caller frees the result with nerq_rules_free. */
nerq_rules *cli_load_rules(const char *dir);

/* Reads a whole file ("-" is standard input) into a malloc'd buffer
 * (caller frees). Returns 0, or an errno value. */
int cli_read_file(const char *path, char **buf, size_t *len);

/* Runs the pipeline on one text and returns the malloc'd JSON record
 * (caller frees), or NULL with *status set. */
char *cli_extract(const nerq_rules *rules, const char *id, const char *text,
                  size_t len, const char *meta, int flags, nerq_status *status);

/* Subcommands: each returns the process exit status. */
int cli_eval(int argc, char **argv);
int cli_test(int argc, char **argv);
int cli_explain(int argc, char **argv);

#endif
