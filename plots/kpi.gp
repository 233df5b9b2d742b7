# plots/kpi.gp — each department's own service level next to the whole
# journey's, with 95 % confidence intervals and the target.
# Variables: within, unit, target, plus a data file prepared by
# cli/plot.c: kpi.dat with columns bar, label, mean, low, high (journey last).

set style data histogram
set style fill solid 0.75 border lc rgb "#333333"
set boxwidth 0.6
set xrange [-0.6:last + 0.6]
set ylabel sprintf("served within %g %s", within, unit)
set yrange [0:105]
set format y "%g%%"
set xtics nomirror rotate by 0
set key off
set datafile separator comma
# The target's label sits in the right margin, where no bar is.
set rmargin 12
if (target == target) {
  set arrow 1 from graph 0, first target * 100 to graph 1, first target * 100 nohead @threshold_style front
  set label 1 sprintf("target\n%g%%", target * 100) at graph 1, first target * 100 offset char 0.8, 0 left textcolor rgb "#444444"
}
# Departments in blue, the whole journey (the last bar) in vermillion and
# hatched, so the two also differ in grey. Columns: bar, label, mean, low,
# high.
plot kpi using 1:($1 < last ? $3 * 100 : 1/0):xtic(2) with boxes lc rgb "#0072B2" dt 1 fs solid 0.75, \
     kpi using 1:($1 == last ? $3 * 100 : 1/0):xtic(2) with boxes lc rgb "#D55E00" dt 1 fs pattern 2 border lc rgb "#333333", \
     kpi using 1:($3 * 100):($4 * 100):($5 * 100) with yerrorbars lc rgb "#222222" pt 0 lw 2 dt 1, \
     kpi using 1:($5 * 100 + 3.5):(sprintf("%.0f%%", $3 * 100)) with labels textcolor rgb "#222222"
