# plots/sweep_metric.gp — one metric against the first varied parameter,
# with its 95 % confidence band; one line per combination of the other
# varied parameters. Variables: data (prepared by cli/plot.c: blocks of x,
# label, mean, low, high), xlabel, ylabel, scale, nseries
# and series1, series2, ... (the series names).

set xlabel xlabel noenhanced
set ylabel ylabel
set key top left
set style fill transparent solid 0.18 noborder
title_of(i) = value(sprintf("series%d", i))
plot for [i = 0:nseries - 1] data index i using 1:($4 * scale):($5 * scale) with filledcurves lt (i + 1) notitle, \
     for [i = 0:nseries - 1] data index i using 1:($3 * scale):xtic(2) with linespoints lt (i + 1) \
         title (nseries > 1 ? title_of(i + 1) : "mean")
