# plots/staffing.gp — the plan of `loket staff` for one department.
# Variables: data (comma-separated: clock, t_start, arrivals, required,
# paid, erlang_c, service level %, its 95 % low and high, the Erlang C
# plan's service level %), clock (1: clock times on the x axis), unit,
# within, target (the plan's staffing.target.service_level; NaN: none),
# lowest (the lowest service level or band edge drawn, %), interval
# (planning interval in seconds of the clock axis). An empty Erlang C
# staff (none up to max_staff) is a gap in its steps, not the last value
# carried on. Top: arrivals and staff per interval; bottom: the
# service level per interval with its band, the Erlang C plan's, the
# target.

stats data using 3 nooutput
arrivals_max = STATS_max
set multiplot layout 2,1 margins 0.09, 0.91, 0.13, 0.86 spacing 0, 0.06
if (clock) {
  set xdata time
  set timefmt "%H:%M"
  set format x "%H:%M"
}
xs(c) = clock ? timecolumn(1, "%H:%M") : column(2)
xv(c) = xs(c) + interval / 2
set ylabel "staff"
set y2label "arrivals per interval"
set y2tics nomirror
set ytics nomirror
set yrange [0:*]
set offsets 0, 0, graph 0.3, 0
set y2range [0:(arrivals_max > 0 ? arrivals_max * 1.4 : 1)]
set key top right horizontal maxrows 2 width -2
set format x ""
set style fill transparent solid 0.25 noborder
set boxwidth interval * 0.9 absolute
plot data using (xv(0)):3 axes x1y2 with boxes lc rgb "#56B4E9" title "arrivals", \
     data using (xs(0)):5 with steps lt 2 title "paid staff", \
     data using (xs(0)):4 with steps lt 1 lw 3.5 title "required (simulation)", \
     data using (xs(0)):6 with steps lt 7 dt 3 title "Erlang C"
set xrange [GPVAL_X_MIN:GPVAL_X_MAX]
unset y2label
set offsets 0, 0, 0, 0
unset y2tics
set ytics mirror
set title ""
if (clock) { set format x "%H:%M"; set xlabel "time of day" } else { set format x "%g"; set xlabel sprintf("time since opening (%s)", unit) }
set ylabel sprintf("served within %g %s", within, unit)
# From below the lowest point drawn (a miss shows how deep it is) and the
# target, to 101.
ylow = lowest
if (target == target && target * 100 < ylow) { ylow = target * 100 }
ylow = ylow - 10 < 0 ? 0 : floor((ylow - 10) / 10) * 10
set yrange [ylow:101]
set format y "%g%%"
set key bottom right horizontal
if (target == target) {
  set arrow 1 from graph 0, first target * 100 to graph 1, first target * 100 nohead @threshold_style
  set label 1 sprintf("target %g%%", target * 100) at graph 0.01, first target * 100 + 1.5 left textcolor rgb "#444444"
}
plot data using (xv(0)):8:9 with filledcurves lc rgb "#0072B2" title "95% band", \
     data using (xv(0)):7 with linespoints lt 1 title "plan found", \
     data using (xv(0)):10 with linespoints lt 2 title "Erlang C plan"
unset multiplot
