#ifndef C_TIPLINE_FUZZ_DRIVER_H
#define C_TIPLINE_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// Hands control to libFuzzer's driver when the binary was linked with
/// `-sanitize=fuzzer`; returns -1 at once when it was not (a normal build),
/// so the same `main` serves both builds.
int tipline_fuzz_run_driver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
