# plots/tradeoff.gp — one summary metric against another over every
# setting of a sweep, each with its 95 % confidence intervals on both axes;
# the efficient settings (no other as good on both and better on one) are
# highlighted, joined and named. Variables: data (prepared by
# cli/plot_sweep.c: block 0 every point, block 1 the efficient ones in
# order of x; columns x, y, x low, x high, y low, y high, label,
# efficient), xlabel, ylabel, nefficient, target (y units, NaN: none).

set xlabel xlabel noenhanced
set ylabel ylabel noenhanced
set key outside below center horizontal height 1
set rmargin 12
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1
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
