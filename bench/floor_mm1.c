/*
 * bench/floor_mm1.c — the speed floor for an M/M/1 queue.
 *
 * The fastest honest way to simulate a FIFO single-server queue needs no
 * event list at all: the waits obey Lindley's recursion
 *
 *     W(n+1) = max(0, W(n) + S(n) - A(n+1)),
 *
 * where S(n) is the service time of customer n and A(n+1) the time between
 * the arrivals of customers n and n+1. This program runs that recursion for
 * a fixed number of customers and keeps only what a user minimally wants:
 * the mean wait and how many waited at most the service-level threshold.
 * bench/run.sh times it against `loket run bench/mm1.yaml`.
 *
 * The parameters match bench/mm1.yaml: arrival rate 0.9 and exponential
 * service with mean 1 (per minute), threshold 1 minute. Arrivals and
 * service draw from separate streams seeded like loket's (see
 * floor_common.h for the two generators, floor_mm1_gsl and floor_mm1_fast),
 * so with the scenario's seed and loket's generator the customers are the
 * same as loket's replication 1.
 *
 * usage: floor_mm1_{gsl,fast} [CUSTOMERS [SEED]]
 * Prints one line of key=value pairs: customers, seconds (of the loop, set
 * up included), wait_mean and service_level (share of customers whose wait
 * was at most the threshold).
 */
#include <stdint.h>
#include <stdio.h>

#include "floor_common.h"

#define ARRIVAL_RATE 0.9
#define SERVICE_MEAN 1.0
#define WITHIN 1.0

int main(int argc, char **argv)
{
  uint64_t customers = 10000000, seed = 20261123;
  floor_arg(argc, argv, 1, &customers);
  floor_arg(argc, argv, 2, &seed);

  double t0 = floor_now();
  struct floor_rng arrivals;
  floor_rng_init(&arrivals, seed, FLOOR_STREAM_ARRIVALS);
  struct floor_rng service;
  floor_rng_init(&service, seed, FLOOR_STREAM_SERVICE);
  const double interarrival_mean = 1.0 / ARRIVAL_RATE;

  /* The first draw of the arrival stream is the first customer's arrival
   * time; the recursion only needs the gaps after it, but the draw keeps
   * the stream aligned with loket's. */
  (void)floor_exponential(&arrivals, interarrival_mean);

  double wait = 0.0, wait_sum = 0.0;
  uint64_t within = 0;
  for (uint64_t n = 0; n < customers; n++) {
    wait_sum += wait;
    within += wait <= WITHIN;
    double s = floor_exponential(&service, SERVICE_MEAN);
    double a = floor_exponential(&arrivals, interarrival_mean);
    wait += s - a;
    if (wait < 0.0)
      wait = 0.0;
  }
  double seconds = floor_now() - t0;

  printf("customers=%llu seconds=%.6f wait_mean=%.6f service_level=%.6f\n",
         (unsigned long long)customers, seconds,
         customers ? wait_sum / (double)customers : 0.0,
         customers ? (double)within / (double)customers : 0.0);
  floor_rng_fini(&arrivals);
  floor_rng_fini(&service);
  return 0;
}
