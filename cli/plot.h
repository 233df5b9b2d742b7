/*
 * cli/plot.h — `loket plot DIR`: figures from a run's CSV files.
 *
 * The figures are drawn by gnuplot (an external program, found on PATH)
 * with the scripts in plots/: style.gp holds the shared look, one script
 * per figure. Each figure is written to DIR/plots/NAME.FORMAT through a
 * temporary name. From a run:
 *   waits            histogram and cumulative share of waits, threshold marked
 *                    (most did not wait: their share said, the others' bars)
 *   day-DEPARTMENT   waiting, staff on duty and busy staff over the day (the
 *                    name's letters, digits, - and _; -2, -3, ... added when
 *                    two departments give the same name)
 *   service_level    service level per interval and department with 95 %
 *                    bands (timeseries_stats.csv), the target
 *   kpi              each department's service level next to the journey's
 *   satisfaction     low / middle / high satisfaction per department and journey
 *   journeys         time in the building and satisfaction by the number of
 *                    handoffs, when at least two such groups have customers
 * From a sweep (a folder with sweep.csv):
 *   sweep-METRIC     the metric against the first varied parameter with
 *                    numbers for values (else the first that is not the
 *                    variants), one line per combination of the others with
 *                    95 % bands; more than four: one panel each
 *   tradeoff         two summary metrics (staff cost and satisfaction, or
 *                    --x and --y) with 95 % error bars, efficient settings
 *                    joined
 * Names come from the scenario's labels and currency (about.csv); a path
 * without a label is shown readably ("desk staff").
 * From a comparison (a folder with compare.csv, see cli/compare.h):
 *   compare_kpi      service level, abandoned, mean wait and satisfaction of
 *                    each variant side by side with 95 % intervals, and the
 *                    paired difference to the first variant above each bar
 *   compare_day      the service level through the day of every variant
 *                    (whole journeys), with 95 % bands, on one figure
 */
#ifndef LOKET_CLI_PLOT_H
#define LOKET_CLI_PLOT_H

#include <stddef.h>

/* Draws every figure of the run in `dir` as `fmt` (png, svg or pdf) with the
 * scripts in `scripts`. Every file read is checked (sim/csvread.h) and every
 * name reaches gnuplot as data (cli/gnuplot.h). Returns 0, 1 (gnuplot
 * missing or failing, cannot write) or 2 (not a run folder, or a damaged
 * file: the message names its file and line; --x or --y on a run folder
 * or naming no summary metric), with a message in err; *figures counts the
 * figures written. x_metric and y_metric (NULL: not given) choose the
 * trade-off's axes of a sweep. */
int cli_plot(const char *dir, const char *fmt, const char *x_metric,
             const char *y_metric, const char *scripts, char *err, size_t errlen,
             int *figures);

#endif
