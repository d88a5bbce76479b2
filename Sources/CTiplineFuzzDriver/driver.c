#include "CTiplineFuzzDriver.h"

// libFuzzer's entry for a program that has its own main (LLVM 11 and later).
// Weak, so that a build without libFuzzer links and sees NULL here.
extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size))
    __attribute__((weak));

int tipline_fuzz_run_driver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size)) {
    if (LLVMFuzzerRunDriver == NULL) {
        return -1;
    }
    return LLVMFuzzerRunDriver(argc, argv, callback);
}
