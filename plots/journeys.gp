# plots/journeys.gp — the time in the building and the satisfaction of
# journeys by their number of handoffs (routes and mid-service handoffs
# alike), each bar a mean over replications with its 95 % interval, the
# customers of each group a day written under the bars.
# Variables: data (prepared by cli/plot_journeys.c: rows bar, label,
# sojourn mean, low, high, satisfaction mean, low, high, customers), last
# (the last bar's number), unit, ymax (the top of the time axis).

unset title
set multiplot layout 1,2 title sprintf("{/:Bold %s}\n{/*0.7 %s}", title, sub) textcolor rgb "#222222"
set style fill solid 0.75 border lc rgb "#333333"
set boxwidth 0.6
set xrange [-0.6:last + 0.6]
set xtics nomirror
set key off
set datafile separator comma
set xlabel "handoffs in the journey"

set title sprintf("time in the building of the served, mean (%s)", unit)
set yrange [0:ymax]
plot data using 1:3:xtic(2) with boxes lc rgb "#0072B2", \
     data using 1:3:4:5 with yerrorbars lc rgb "#222222" dt 1 pt 0 lw 2, \
     data using 1:(0):(sprintf("%.0f a day", $9)) with labels offset 0, 0.8 textcolor rgb "#ffffff" font ",14"

set title "satisfaction (0-10), mean"
set yrange [0:10.5]
plot data using 1:6:xtic(2) with boxes lc rgb "#D55E00" fs pattern 2 border lc rgb "#333333", \
     data using 1:6:7:8 with yerrorbars lc rgb "#222222" dt 1 pt 0 lw 2
unset multiplot
