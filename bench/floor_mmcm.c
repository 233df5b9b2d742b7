/*
 * bench/floor_mmcm.c — the speed floor for an M/M/c+M queue.
 *
 * A FIFO queue with c identical servers and impatient customers can be
 * simulated without an event list by remembering only when each server
 * will next be free. Customers are taken in arrival order (a Poisson
 * process); for each one:
 *
 *   - if some server is free at the arrival time, service starts at once;
 *   - otherwise the customer draws a patience and is served by the server
 *     that frees up first, provided that happens no later than the arrival
 *     time plus the patience; else the customer abandons.
 *
 * This is exact for FIFO: customers who abandon never occupy a server, and
 * earlier customers always take the earliest free server before later ones.
 * The c free-at times are scanned linearly, which is fast for c = 10.
 * bench/run.sh times this against `loket run bench/mmcm.yaml`.
 *
 * Patience is drawn only for customers who would have to wait, as loket
 * does (it draws patience when a customer joins the queue). Service times
 * are drawn when service starts, and starts happen in arrival order, as in
 * loket. With separate streams seeded like loket's (floor_common.h), the
 * floor therefore replays the very customers of loket's replication 1 when
 * it uses loket's generator.
 *
 * The parameters match bench/mmcm.yaml: arrival rate 9 per minute, 10
 * servers with exponential service of mean 1 minute, exponential patience
 * of mean 5 minutes, threshold 1 minute.
 *
 * usage: floor_mmcm_{gsl,fast} [CUSTOMERS [SEED]]
 * Prints one line of key=value pairs: customers, seconds, served,
 * abandoned, wait_mean (over served customers, as loket's wait_mean),
 * abandon_fraction and service_level (served within the threshold, as a
 * share of all customers).
 */
#include <stdint.h>
#include <stdio.h>

#include "floor_common.h"

#define ARRIVAL_RATE 9.0
#define SERVERS 10
#define SERVICE_MEAN 1.0
#define PATIENCE_MEAN 5.0
#define WITHIN 1.0

int main(int argc, char **argv)
{
  uint64_t customers = 5000000, seed = 20261124;
  floor_arg(argc, argv, 1, &customers);
  floor_arg(argc, argv, 2, &seed);

  double t0 = floor_now();
  struct floor_rng arrivals;
  floor_rng_init(&arrivals, seed, FLOOR_STREAM_ARRIVALS);
  struct floor_rng service;
  floor_rng_init(&service, seed, FLOOR_STREAM_SERVICE);
  struct floor_rng patience;
  floor_rng_init(&patience, seed, FLOOR_STREAM_PATIENCE);
  const double interarrival_mean = 1.0 / ARRIVAL_RATE;

  double free_at[SERVERS] = {0};
  double now = 0.0, wait_sum = 0.0;
  uint64_t served = 0, abandoned = 0, within = 0;
  for (uint64_t n = 0; n < customers; n++) {
    now += floor_exponential(&arrivals, interarrival_mean);
    int k = 0;
    for (int i = 1; i < SERVERS; i++)
      if (free_at[i] < free_at[k])
        k = i;
    double start = now;
    if (free_at[k] > now) {
      double give_up = now + floor_exponential(&patience, PATIENCE_MEAN);
      if (free_at[k] > give_up) {
        abandoned++;
        continue;
      }
      start = free_at[k];
    }
    double wait = start - now;
    served++;
    wait_sum += wait;
    within += wait <= WITHIN;
    free_at[k] = start + floor_exponential(&service, SERVICE_MEAN);
  }
  double seconds = floor_now() - t0;

  double total = customers ? (double)customers : 1.0;
  printf("customers=%llu seconds=%.6f served=%llu abandoned=%llu "
         "wait_mean=%.6f abandon_fraction=%.6f service_level=%.6f\n",
         (unsigned long long)customers, seconds, (unsigned long long)served,
         (unsigned long long)abandoned,
         served ? wait_sum / (double)served : 0.0, (double)abandoned / total,
         (double)within / total);
  floor_rng_fini(&arrivals);
  floor_rng_fini(&service);
  floor_rng_fini(&patience);
  return 0;
}
