/*
 * cli/staff_output.h — the files and the summary of `loket staff`
 * (cli/staff_output.c), written by the command (cli/staff.c); not a public
 * interface. The functions are described where they are defined.
 */
#ifndef LOKET_CLI_STAFF_OUTPUT_H
#define LOKET_CLI_STAFF_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "cli/staff.h"
#include "models/model.h"
#include "sim/csv.h"

void staff_write_staffing(struct sim_csv *csv, const struct model *m,
                          const struct staff_plan *p);

void staff_write_roster(struct sim_csv *csv, const struct model *m,
                        const struct staff_plan *p);

int staff_write_csv(const char *dir, const char *name, const struct model *m,
                    const struct staff_plan *p,
                    void (*writer)(struct sim_csv *, const struct model *,
                                   const struct staff_plan *),
                    char *err, size_t errlen);

void staff_print_roster(FILE *out, const struct model *m, const struct staff_plan *p);

int staff_write_file(const char *dir, const char *name, const char *text,
                     char *err, size_t errlen);

int staff_write_run(const char *dir, const struct model *m, unsigned jobs,
                    char *err, size_t errlen);

void staff_print_summary(FILE *out, const struct model *m, const struct staff_plan *p,
                         const char *dir);

#endif
