/*
 * errseq_t (see errno.h). Layout of the word, as in Linux: bits 0-11
 * the last error as a positive errno, bit 12 "seen", bits 13-31 a
 * counter. Recording an error over a seen one bumps the counter, so an
 * observer holding the old value finds the word changed even when the
 * errno is the same; recording one over an unseen one need not, as
 * nobody has reported the first yet.
 */
#include "compiler.h"
#include "errno.h"

#define ERRSEQ_ERR_MASK ((errseq_t)MAX_ERRNO)
#define ERRSEQ_SEEN (1U << 12)
#define ERRSEQ_CTR_INC (1U << 13)

void errseq_set(errseq_t *eseq, int err)
{
	errseq_t old = __atomic_load_n(eseq, __ATOMIC_SEQ_CST), new;

	if (err >= 0 || (unsigned int)-err > ERRSEQ_ERR_MASK)
		return;
	do {
		new = (old & ~(ERRSEQ_ERR_MASK | ERRSEQ_SEEN)) | (errseq_t)-err;
		if (old & ERRSEQ_SEEN)
			new += ERRSEQ_CTR_INC;
		if (new == old)
			return;
	} while (!__atomic_compare_exchange_n(
		eseq, &old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
}

errseq_t errseq_sample(errseq_t *eseq)
{
	errseq_t old = __atomic_load_n(eseq, __ATOMIC_SEQ_CST);

	/* Nobody saw it yet: the new observer must see it too. */
	return (old & ERRSEQ_SEEN) ? old : 0;
}

int errseq_check(errseq_t *eseq, errseq_t since)
{
	errseq_t cur = __atomic_load_n(eseq, __ATOMIC_SEQ_CST);

	if ((cur | ERRSEQ_SEEN) == (since | ERRSEQ_SEEN))
		return 0;
	return -(int)(cur & ERRSEQ_ERR_MASK);
}

int errseq_check_and_advance(errseq_t *eseq, errseq_t *since)
{
	errseq_t old = __atomic_load_n(eseq, __ATOMIC_SEQ_CST), new;

	if (old == *since)
		return 0;
	new = old | ERRSEQ_SEEN;
	/* Losing this race means a newer error: the next check reports it. */
	if (new != old)
		__atomic_compare_exchange_n(eseq, &old, new, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	*since = new;
	return -(int)(new &ERRSEQ_ERR_MASK);
}
