#include "sim/rng.h"

#include <gsl/gsl_errno.h>

#include "sim/check.h"

static uint64_t splitmix64(uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

unsigned long sim_rng_stream_seed(uint64_t seed, uint64_t replication,
                                  uint64_t stream)
{
  uint64_t h = splitmix64(seed);
  h = splitmix64(h ^ replication);
  h = splitmix64(h ^ (stream * 0xd6e8feb86659fd93ULL));
  unsigned long s = (unsigned long)(h >> 32);
  return s ? s : 0x5eed5eedUL;
}

gsl_rng *sim_rng_new(uint64_t seed, uint64_t replication, uint64_t stream)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (!r)
    sim_out_of_memory(sizeof(gsl_rng));
  gsl_rng_set(r, sim_rng_stream_seed(seed, replication, stream));
  return r;
}

void sim_rng_quiet_gsl_errors(void)
{
  gsl_set_error_handler_off();
}
