# plots/compare_kpi.gp — the key figures of each variant side by side, one
# panel per metric, each bar with its 95 % confidence interval, and above
# every bar after the first its paired difference to the first variant
# (mean ± 95 % half-width, starred when the interval excludes 0).
# Variables: kpi (prepared by cli/plot_compare.c: four blocks, service
# level, abandoned, mean wait, satisfaction, each with rows bar, label,
# mean, low, high, difference text), last (the last bar's number), unit,
# within, target (NaN: none), ymax1, ymax2, ymax3 (the top of the axes
# of the panels after the first, never 0: gnuplot warns on an empty range).

unset title
set multiplot layout 1,4 title sprintf("{/:Bold %s}\n{/*0.7 %s}", title, sub) textcolor rgb "#222222"
set style fill solid 0.75 border lc rgb "#333333"
set boxwidth 0.6
set xrange [-0.6:last + 0.6]
set xtics nomirror font ",15"
if (last > 1) { set xtics rotate by 30 right }
set key off
set grid ytics
set datafile separator comma
top(c) = column(c) * scale

do for [panel = 0:3] {
  scale = panel == 0 ? 100 : 1
  if (panel == 0) {
    set title sprintf("served within %g %s", within, unit)
    set format y "%g%%"
    set yrange [0:110]
    if (target == target) {
      set arrow 1 from graph 0, first target * 100 to graph 1, first target * 100 nohead @threshold_style front
    }
  }
  if (panel > 0) { set yrange [0:value(sprintf("ymax%d", panel))] }
  if (panel == 1) { set title "abandoned"; set format y "%g"; unset arrow 1 }
  if (panel == 2) { set title sprintf("wait, mean (%s)", unit) }
  if (panel == 3) { set title "satisfaction (0-10)" }
  plot kpi index panel using 1:(top(3)):xtic(2) with boxes lc rgb "#0072B2", \
       kpi index panel using 1:(top(3)):(top(4)):(top(5)) with yerrorbars lc rgb "#222222" dt 1 pt 0 lw 2, \
       kpi index panel using 1:(top(5)):6 with labels offset 0, 0.8 textcolor rgb "#222222" font ",14"
}
unset multiplot
