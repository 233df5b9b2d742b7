# plots/compare_day.gp — the service level through the day of each
# variant, with its 95 % band, on one figure; the legend outside the plot.
# Variables: day (prepared by cli/plot_compare.c: one block per variant
# of t_start, clock, mean, low, high), nvariants and variant1, variant2,
# ... (their names), clock, unit, within, target (NaN: none).

if (clock) {
  set xdata time
  set timefmt "%H:%M"
  set format x "%H:%M"
  set xlabel "time of day"
} else {
  set xlabel sprintf("time since opening (%s)", unit)
}
set ylabel sprintf("served within %g %s", within, unit)
set yrange [0:105]
set format y "%g%%"
xv(c) = clock ? timecolumn(2, "%H:%M") : column(1)
if (target == target) {
  set arrow 1 from graph 0, first target * 100 to graph 1, first target * 100 nohead @threshold_style
  set label 1 sprintf("target %g%%", target * 100) at graph 0.01, first target * 100 + 2.5 left textcolor rgb "#444444"
}
set key outside right top vertical
set rmargin 22
set style fill transparent solid 0.18 noborder
name(i) = value(sprintf("variant%d", i))
plot for [i = 1:nvariants] day index (i - 1) using (xv(0)):($4 * 100):($5 * 100) with filledcurves lt i notitle, \
     for [i = 1:nvariants] day index (i - 1) using (xv(0)):($3 * 100) with linespoints lt i title name(i)
