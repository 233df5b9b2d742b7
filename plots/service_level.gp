# plots/service_level.gp — service level per interval of the day, per
# department, with its 95 % band (over replications), against the target. Variables: day (the averaged series, one
# block per department), ndepts and dept1, dept2, ... (their names), clock,
# unit, within, target (NaN: none).

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
# The key below the plot and the target's label in the right margin:
# neither covers a line.
set rmargin 12
if (target == target) {
  set arrow 1 from graph 0, first target * 100 to graph 1, first target * 100 nohead @threshold_style
  set label 1 sprintf("target\n%g%%", target * 100) at graph 1, first target * 100 offset char 0.8, 0 left textcolor rgb "#444444"
}
set key outside below center horizontal height 1
name(i) = value(sprintf("dept%d", i))
# Each department's 95 % band (columns 7 and 8, empty where unknown) under
# its line.
set style fill transparent solid 0.15 noborder
plot for [i = 1:ndepts] day index (i - 1) using (xv(0)):($7 * 100):($8 * 100) with filledcurves lt i notitle, \
     for [i = 1:ndepts] day index (i - 1) using (xv(0)):($6 * 100) with linespoints lt i title name(i)
