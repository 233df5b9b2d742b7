# plots/waits.gp — the distribution of waiting times: histogram (bars) and
# cumulative share (line), the service-level threshold marked.
# Variables: data (waits.csv as cli/plot.c checked it: columns wait, share,
# cumulative), unit, within, binwidth, xmax, nowait (the share of served
# customers who did not wait at all).
#
# When most customers did not wait, their bar would dwarf every other: it
# is left out and said as a number, and the bars show how the waits of
# those who did wait are spread (shares of them).

bin(x) = binwidth * floor(x / binwidth + 1e-9)
set xlabel sprintf("total wait per customer (%s)", unit)
most = nowait > 0.5
set ylabel most ? "of those who waited, per bin" : "customers per bin"
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
# The threshold's name sits above the plot (a tic of the top axis), where
# neither a bar nor the cumulative line can be.
set arrow 1 from within, graph 0 to within, graph 1 nohead @threshold_style front
set x2range [0:xmax]
set x2tics (sprintf("served within %g %s", within, unit) within) scale 0 textcolor rgb "#444444"
set key outside below center horizontal height 1
if (most) {
  # (One sprintf per part: gnuplot cuts a long sprintf result short.)
  note = sprintf("{/*0.8 {/:Bold %.0f%%} did not wait at all; the bars: those who did}", nowait * 100)
  set title sprintf("{/:Bold %s}\n{/*0.7 %s}", title, sub) . "\n" . note textcolor rgb "#222222"
}
bar(w, share) = most ? (w > 0 ? share * 100 / (1 - nowait) : 0) : share * 100
plot data using (bin($1) + binwidth / 2):(bar($1, $2)) smooth frequency with boxes lt 1 title (most ? "customers who waited" : "customers"), \
     data using 1:($3 * 100) axes x1y2 with steps lt 2 title "cumulative"
