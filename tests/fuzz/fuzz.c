/* The two fuzz targets' work; see fuzz.h. */
#include "fuzz.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "models/metrics.h"
#include "models/office.h"
#include "models/scenario.h"

/* A simulated day is cut to this horizon, and a model that would still
 * bring more customers than this (arrival rates, schedules, traces and the
 * backlog together) is not simulated: each input must take milliseconds,
 * and a rate of 1e300 is refused by other means (or not at all), not found
 * by waiting. */
#define FUZZ_HORIZON 50.0
#define FUZZ_MAX_CUSTOMERS 5000.0

#define FUZZ_MAX_SETS 16

struct input {
  char *text;                 /* the whole input, NUL-terminated */
  size_t yaml_len;
  const char *sets[FUZZ_MAX_SETS];
  size_t nsets;
};

/* Splits off the overrides after a "%%" line. */
static bool input_init(struct input *in, const uint8_t *data, size_t size)
{
  *in = (struct input){.text = malloc(size + 1), .yaml_len = size};
  if (!in->text)
    return false;
  memcpy(in->text, data, size);
  in->text[size] = '\0';
  char *mark = strstr(in->text, "\n%%\n");
  if (mark) {
    /* The YAML keeps its last line end; the NUL that ends it goes after,
     * outside what the loader reads (a NUL inside is refused as not
     * UTF-8, which would stop every input with overrides at the door). */
    in->yaml_len = (size_t)(mark - in->text) + 1;
    char *line = mark + 4, *save = NULL;
    mark[1] = '\0';
    for (char *s = strtok_r(line, "\n", &save); s && in->nsets < FUZZ_MAX_SETS;
         s = strtok_r(NULL, "\n", &save))
      in->sets[in->nsets++] = s;
  }
  return true;
}

/* Files named in a scenario are found next to it: the inputs stand for a
 * file among the examples, so those seeded from scenarios/ find the
 * trace files the examples use. */
#ifndef LOKET_SOURCE_DIR
#define LOKET_SOURCE_DIR "."
#endif

static struct model *input_load(const struct input *in)
{
  char err[MODEL_ERROR_MAX];
  return model_scenario_load_text(LOKET_SOURCE_DIR "/scenarios/fuzz.yaml", in->text, in->yaml_len, in->sets,
                                  in->nsets, err, sizeof err);
}

int fuzz_load(const uint8_t *data, size_t size)
{
  struct input in;
  if (!input_init(&in, data, size))
    return 0;
  model_free(input_load(&in));
  char err[MODEL_ERROR_MAX];
  for (size_t i = 0; i < in.nsets; i++) {
    const char *eq = strchr(in.sets[i], '=');
    struct model_axis axis = {0};
    model_axis_values(&axis, eq ? eq + 1 : in.sets[i], err, sizeof err);
    model_axis_fini(&axis);
  }
  free(in.text);
  return 0;
}

/* Customers expected over [0, horizon]: rate streams and schedules by
 * their rates, traces by their times, appointments by their slots, plus
 * the backlog. */
static double expected_customers(const struct model *m)
{
  double n = 0;
  for (size_t i = 0; i < m->narrivals; i++) {
    const struct model_arrival *a = &m->arrivals[i];
    switch (a->kind) {
    case MODEL_ARRIVAL_RATE:
      n += a->rate * m->horizon;
      break;
    case MODEL_ARRIVAL_SCHEDULE:
      for (size_t k = 0; k < a->nsteps && a->schedule[k].at < m->horizon; k++) {
        double end = k + 1 < a->nsteps ? fmin(a->schedule[k + 1].at, m->horizon)
                                       : m->horizon;
        n += a->schedule[k].value * (end - a->schedule[k].at);
      }
      break;
    case MODEL_ARRIVAL_TRACE:
      n += (double)a->ntimes;
      break;
    case MODEL_ARRIVAL_APPOINTMENTS: {
      const struct model_appointments *ap = &a->appointments;
      n += (floor((ap->to - ap->from) / ap->every + 1e-9) + 1) * ap->per_slot;
      break;
    }
    }
  }
  for (size_t d = 0; d < m->ndepartments; d++)
    n += (double)m->departments[d].backlog;
  return n;
}

/* A shorter day for the same model, one replication: the horizon at most FUZZ_HORIZON, the
 * warm-up shortened in proportion when it would reach past it, and the
 * time series' intervals counted again as the loader counts them
 * (models/scenario.c, load_output). Schedule steps and trace times after
 * the new horizon stay in the model; the office ignores what lies beyond
 * the closing, as it must for any model. */
static void shorten_day(struct model *m)
{
  m->replications = 1;
  if (!(m->horizon > FUZZ_HORIZON))
    return;
  double scale = FUZZ_HORIZON / m->horizon;
  m->horizon = FUZZ_HORIZON;
  if (m->warmup >= m->horizon)
    m->warmup *= scale;
  double count = ceil(m->horizon / m->interval - 1e-9);
  m->nintervals = count < 1 ? 1 : (uint32_t)count;
}

int fuzz_simulate(const uint8_t *data, size_t size)
{
  struct input in;
  if (!input_init(&in, data, size))
    return 0;
  struct model *m = input_load(&in);
  free(in.text);
  if (!m)
    return 0;
  shorten_day(m);
  int simulated = 0;
  if (expected_customers(m) <= FUZZ_MAX_CUSTOMERS) {
    struct model_result result;
    model_result_init(&result, m);
    model_office_run(m, m->seed, 0, &result);
    model_result_fini(&result);
    simulated = 1;
  }
  model_free(m);
  return simulated;
}
