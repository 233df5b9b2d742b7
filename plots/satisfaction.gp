# plots/satisfaction.gp — the shares of low (0-6), middle (7-8) and high
# (9-10) satisfaction scores per department and for the whole journey.
# Variables: sat, a data file prepared by cli/plot.c with columns bar,
# label, low, mid, high, mean (journey last).

set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border lc rgb "#333333"
set boxwidth 0.6
set ylabel "share of journeys"
set yrange [0:100]
set format y "%g%%"
set key outside right top invert
set datafile separator comma
# Low hatched vermillion, middle light yellow, high dark blue: three
# different greys as well as three colours.
set style fill solid 0.9 border lc rgb "#333333"
plot sat using ($3 * 100):xtic(2) lc rgb "#D55E00" dt 1 fs pattern 2 border lc rgb "#333333" title "0-6 (low)", \
     '' using ($4 * 100) lc rgb "#F0E442" dt 1 title "7-8", \
     '' using ($5 * 100) lc rgb "#0072B2" dt 1 title "9-10 (high)"
