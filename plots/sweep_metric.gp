# plots/sweep_metric.gp — one metric against a varied parameter, with its
# 95 % confidence band, one series per combination of the other varied
# parameters (and variants). Variables: data (prepared by cli/plot_sweep.c:
# one block per series of x, label, mean, low, high, in shown units),
# xlabel, ylabel, nseries and series1, series2, ... (the series names),
# numeric (1: x values are numbers, placed at their value; 0: names, at
# their position), xlow and xhigh (the range of x), slant (1: long names, set at a slant), ylow and yhigh (the range of every band), target (the
# target in shown units, NaN: none) and layout: 1 every series in one
# panel with its band, 2 one panel per series (small multiples, on one y
# range), 3 lines without bands or key (too many series to tell apart).
#
# The key sits below the plot and the target's label in the right margin,
# so neither covers data.

set xlabel xlabel noenhanced
set ylabel ylabel noenhanced
set style fill transparent solid 0.18 noborder
set key outside below center horizontal maxrows 4 height 1
set rmargin 12
pad = (yhigh - ylow) * 0.08 + (yhigh == ylow ? 1 : 0)
set yrange [ylow - pad : yhigh + pad]
if (!numeric) { set offsets 0.3, 0.3, 0, 0 }
# One x value: a range around it (gnuplot would warn of an empty range).
if (xhigh <= xlow) { set xrange [xlow - (xlow == 0 ? 1 : abs(xlow) * 0.1) : xhigh + (xhigh == 0 ? 1 : abs(xhigh) * 0.1)] }
if (slant) { set xtics rotate by 20 right; set offsets 1, 0.5, 0, 0; set lmargin 14 }
title_of(i) = value(sprintf("series%d", i))
# x tick labels from column 2, or gnuplot's own tics when there are too
# many values to name (a macro of this script, not of loket's variables).
XT = ticks ? ":xtic(2)" : ""
LP = ticks ? "linespoints" : "lines"
if (target == target) {
  set arrow 1 from graph 0, first target to graph 1, first target nohead @threshold_style back
  set label 1 sprintf("target\n%g%%", target) at graph 1, first target offset char 0.8, 0 left textcolor rgb "#444444"
  if (target > yhigh + pad || target < ylow - pad) {
    set yrange [(target < ylow - pad ? target - pad : ylow - pad) : (target > yhigh + pad ? target + pad : yhigh + pad)]
  }
}

if (layout == 2) {
  # Small multiples: one panel per series, the same y range on every one.
  cols = nseries <= 6 ? 3 : 4
  rows = ceil(nseries * 1.0 / cols)
  unset title
  set key off
  set tics font ",14"
  set xlabel font ",14"
  set ylabel font ",14"
  # The target's line is in every panel, its label once, in the subtitle
  # (a label beside each panel would run into its neighbour).
  unset label 1
  note = target == target ? sprintf("; dashed: target %g%%", target) : ""
  set multiplot layout rows, cols title sprintf("{/:Bold %s}\n{/*0.7 %s%s}", title, sub, note) margins 0.08, 0.97, 0.13, 0.84 spacing 0.05, 0.14
  do for [i = 0 : nseries - 1] {
    set title title_of(i + 1) noenhanced font ",14"
    if (i % cols != 0) { set ylabel "" } else { set ylabel ylabel noenhanced }
    if (i < nseries - cols) { set xlabel "" } else { set xlabel xlabel noenhanced }
    if (numeric) {
      plot data index i using 1:4:5 with filledcurves lt 1 notitle, \
           data index i using 1:3@XT with @LP lt 1 ps 0.8 notitle
    } else {
      plot data index i using 1:3:4:5@XT with yerrorbars lt 1 notitle
    }
  }
  unset multiplot
} else {
  if (layout == 1 && numeric) {
    plot for [i = 0:nseries - 1] data index i using 1:4:5 with filledcurves lt (i + 1) notitle, \
         for [i = 0:nseries - 1] data index i using 1:3@XT with @LP lt (i + 1) \
             title title_of(i + 1)
  } else {
    if (layout == 3) {
      # Too many series to name: lines only, said in the subtitle.
      set key off
      set autoscale y
      set title sprintf("{/:Bold %s}\n{/*0.7 %d series, too many to name: means only, see sweep.csv}", title, nseries)
    }
    if (numeric) {
      plot for [i = 0:nseries - 1] data index i using 1:3@XT with lines lt (i + 1) \
           title title_of(i + 1)
    } else {
      # Names on the x axis: each value a point with its interval, the
      # series side by side.
      shift(i) = nseries > 1 ? (i - (nseries - 1) / 2.0) * 0.6 / nseries : 0
      plot for [i = 0:nseries - 1] data index i using ($1 + shift(i)):3:4:5@XT \
           with yerrorbars lt (i + 1) title title_of(i + 1)
    }
  }
}
