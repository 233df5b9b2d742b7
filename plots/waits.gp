# plots/waits.gp — the distribution of waiting times: histogram (bars) and
# cumulative share (line), the service-level threshold marked.
# Variables: data (waits.csv as cli/plot.c checked it: columns wait, share,
# cumulative), unit, within, binwidth, xmax.

bin(x) = binwidth * floor(x / binwidth + 1e-9)
set xlabel sprintf("total wait per customer (%s)", unit)
set ylabel "customers per bin"
set y2label "waited at most this long"
set xrange [0:xmax]
set yrange [0:*]
set y2range [0:100]
set format y "%g%%"
set format y2 "%g%%"
set ytics nomirror
set y2tics 20
set style fill solid 0.55 border lc rgb "#0072B2"
set boxwidth binwidth * 0.92 absolute
set arrow 1 from within, graph 0 to within, graph 1 nohead @threshold_style front
set label 1 sprintf(" served within %g %s", within, unit) at within, graph 0.95 left textcolor rgb "#444444" front
set key outside below center horizontal height 1
plot data using (bin($1) + binwidth / 2):($2 * 100) smooth frequency with boxes lt 1 title "customers", \
     data using 1:($3 * 100) axes x1y2 with steps lt 2 title "cumulative"
