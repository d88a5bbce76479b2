#ifndef TIPLINE_SYSTEM_H
#define TIPLINE_SYSTEM_H

#include <spawn.h>

/// prctl(2) is variadic, so Swift cannot import it; this wrapper makes the one
/// call we need. Marking the process non-dumpable stops core dumps and blocks
/// ptrace attachment by other processes of the same user.
int tipline_set_not_dumpable(void);

/// The process's dumpable flag as prctl(PR_GET_DUMPABLE) reports it: 0 when
/// non-dumpable, 1 or 2 otherwise, -1 on error.
int tipline_is_dumpable(void);

/// posix_spawn_file_actions_addclosefrom_np, which glibc declares only under
/// _GNU_SOURCE (so Swift cannot see it): a child we start gets no descriptor
/// of ours from `lowest` up, whether or not it was opened close-on-exec.
int tipline_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// pipe2(fds, O_CLOEXEC), also declared only under _GNU_SOURCE: a pipe
/// that no program started at the same moment by another thread inherits.
int tipline_pipe_cloexec(int fds[2]);

/// 1 when the signal's disposition is "ignore" (as `nohup` leaves SIGHUP, or
/// a non-interactive shell leaves SIGINT for a background job), 0 when not,
/// -1 on error. The handler pointers are C function pointers that Swift
/// cannot compare with SIG_IGN.
int tipline_signal_is_ignored(int signal_number);

#endif
