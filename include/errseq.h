/*
 * errseq_t: a writeback error that every observer sees once, after
 * Linux's lib/errseq.c. One 32-bit word holds the last error (-errno in
 * the low bits), a "seen" flag and a counter bumped whenever a new error
 * is recorded after the last one was seen. Each observer (an open file,
 * the `sync` caller) keeps a sample of the word; an error recorded since
 * its sample is its to report, once, whatever other observers did. An
 * error nobody has seen yet is reported to observers that arrive later
 * too, so internal writeback never swallows it.
 */
#ifndef _ERRSEQ_H
#define _ERRSEQ_H

#include "types.h"

typedef u32 errseq_t;

/* Record err (a -errno; 0 is ignored). Safe in interrupt context. */
void errseq_set(errseq_t *eseq, int err);
/* A new observer's starting point: unseen errors stay ahead of it. */
errseq_t errseq_sample(errseq_t *eseq);
/* The error recorded since the sample, or 0; the sample does not move. */
int errseq_check(errseq_t *eseq, errseq_t since);
/* The same, then move the sample past it and mark it seen. */
int errseq_check_and_advance(errseq_t *eseq, errseq_t *since);

#endif
