/* warn.h - a document's warnings (warn.c). */
#ifndef NERQ_WARN_H
#define NERQ_WARN_H

struct nerq_doc;

/* Records a warning (copied into the document's arena). */
void nerq_doc_warn(struct nerq_doc *doc, const char *msg);
/* The warnings about the decoded input: repaired UTF-8, NUL bytes. */
void nerq_doc_warn_input(struct nerq_doc *doc);

#endif
