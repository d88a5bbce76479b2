#ifndef TIPLINE_CSODIUM_SHIM_H
#define TIPLINE_CSODIUM_SHIM_H
#include <sodium.h>
#endif
