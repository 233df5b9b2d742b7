# plots/tradeoff.gp — one summary metric against another over every
# setting of a sweep, each with its 95 % confidence intervals on both axes;
# the efficient settings (no other as good on both and better on one) are
# highlighted, joined and named. Variables: data (prepared by
# cli/plot_sweep.c: block 0 every point, block 1 the efficient ones in
# order of x; columns x, y, x low, x high, y low, y high, label,
# efficient), xlabel, ylabel, nefficient, target (y units, NaN: none),
# xlow, xhigh, ylow, yhigh (the ends of every interval; +-1e308 for none).

set xlabel xlabel noenhanced
set ylabel ylabel noenhanced
set key outside below center horizontal height 1
set rmargin 12
# The ranges from every interval's ends (xlow ... yhigh), padded; one
# value on an axis (every setting costs the same) gets a range around it.
if (target == target && ylow <= yhigh) {
  ylow = target < ylow ? target : ylow
  yhigh = target > yhigh ? target : yhigh
}
pad(lo, hi) = hi > lo ? (hi - lo) * 0.08 : (lo == 0 ? 1 : abs(lo) * 0.1)
if (xlow <= xhigh) { set xrange [xlow - pad(xlow, xhigh) : xhigh + pad(xlow, xhigh)] }
if (ylow <= yhigh) { set yrange [ylow - pad(ylow, yhigh) : yhigh + pad(ylow, yhigh) * 1.5] }
if (target == target) {
  set arrow 1 from graph 0, first target to graph 1, first target nohead @threshold_style back
  set label 1 sprintf("target\n%g%%", target) at graph 1, first target offset char 0.8, 0 left textcolor rgb "#444444"
}
if (nefficient > 0) {
  plot data index 0 using 1:2:3:4:5:6 with xyerrorbars lc rgb "#999999" pt 6 ps 1.4 title "setting (95% intervals)", \
       data index 1 using 1:2 with linespoints lt 2 pt 7 ps 1.8 title "efficient", \
       data index 1 using 1:2:7 with labels offset char 0,1.2 textcolor rgb "#333333" noenhanced notitle
} else {
  plot data index 0 using 1:2:3:4:5:6 with xyerrorbars lc rgb "#0072B2" pt 7 ps 1.4 title "setting (95% intervals)", \
       data index 0 using 1:2:7 with labels offset char 0,1.2 textcolor rgb "#333333" noenhanced notitle
}
