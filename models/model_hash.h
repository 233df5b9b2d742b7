/*
 * models/model_hash.h — a fingerprint of a loaded model.
 *
 * model_hash() folds everything a replication's results depend on into 64
 * bits (FNV-1a): every number, count, flag and name of the model, and the
 * values read from the files a scenario names (arrival traces, empirical
 * distributions), so that two models with the same hash simulate the same
 * way. A resumed sweep compares it with the hash pinned in its plan: a
 * scenario file, an override or a data file that changed since the sweep
 * started is caught instead of being averaged with the old results.
 *
 * What is left out on purpose: the output settings that change no result
 * (output.customers, the scenario's sweep: block, which the plan records
 * itself). A field added to a struct of models/model.h must be added to
 * model_hash() too: static assertions on the structs' sizes in
 * models/model_hash.c fail to compile until it is. tests/test_sweep.c
 * changes a trace file and an override and expects a refusal.
 */
#ifndef LOKET_MODELS_MODEL_HASH_H
#define LOKET_MODELS_MODEL_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "models/model.h"

uint64_t model_hash(const struct model *m);
/* FNV-1a of bytes, continuing from h (start with MODEL_HASH_START). */
#define MODEL_HASH_START UINT64_C(0xcbf29ce484222325)
uint64_t model_hash_bytes(uint64_t h, const void *bytes, size_t n);

#endif
