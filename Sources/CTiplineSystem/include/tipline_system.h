#ifndef TIPLINE_SYSTEM_H
#define TIPLINE_SYSTEM_H

/// prctl(2) is variadic, so Swift cannot import it; this wrapper makes the one
/// call we need. Marking the process non-dumpable stops core dumps and blocks
/// ptrace attachment by other processes of the same user.
int tipline_set_not_dumpable(void);

/// The process's dumpable flag as prctl(PR_GET_DUMPABLE) reports it: 0 when
/// non-dumpable, 1 or 2 otherwise, -1 on error.
int tipline_is_dumpable(void);

#endif
