#ifndef TIPLINE_CSODIUM_SHIM_H
#define TIPLINE_CSODIUM_SHIM_H
#include <sodium.h>
#include <stdlib.h>

/* crypto_generichash_state is declared with 64-byte alignment, which Swift
   cannot import; these wrappers keep the state behind an opaque pointer in
   suitably aligned memory. */
static inline void *tipline_generichash_new(size_t outlen) {
    void *state = aligned_alloc(64, (crypto_generichash_statebytes() + 63) & ~(size_t)63);
    if (state != NULL) {
        crypto_generichash_init((crypto_generichash_state *)state, NULL, 0, outlen);
    }
    return state;
}

static inline void tipline_generichash_update(void *state, const unsigned char *in, unsigned long long inlen) {
    crypto_generichash_update((crypto_generichash_state *)state, in, inlen);
}

static inline void tipline_generichash_final_free(void *state, unsigned char *out, size_t outlen) {
    crypto_generichash_final((crypto_generichash_state *)state, out, outlen);
    sodium_memzero(state, crypto_generichash_statebytes());
    free(state);
}
#endif
