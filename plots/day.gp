# plots/day.gp — one department over the day: people waiting (with its
# 95 % band), staff on duty and busy staff, averaged over replications (a
# staffing cut is a step).
# Variables: day (the averaged series prepared by cli/plot.c, one block per
# department), dept (its block), clock (1: x axis in clock time), unit.

if (clock) {
  set xdata time
  set timefmt "%H:%M"
  set format x "%H:%M"
  set xlabel "time of day"
} else {
  set xlabel sprintf("time since opening (%s)", unit)
}
set ylabel "people"
set yrange [0:*]
set key outside below center horizontal height 1
xv(c) = clock ? timecolumn(2, "%H:%M") : column(1)
# People waiting with its 95 % band (columns 9 and 10, empty where
# unknown).
set style fill transparent solid 0.15 noborder
plot day index dept using (xv(0)):9:10 with filledcurves lt 1 title "95% band", \
     day index dept using (xv(0)):3 with lines lt 1 title "waiting (mean)", \
     day index dept using (xv(0)):4 with steps lt 2 title "staff on duty", \
     day index dept using (xv(0)):5 with lines lt 3 title "busy staff"
