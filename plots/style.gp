# plots/style.gp — the look shared by every loket figure.
#
# Called first, after a variables script that loket writes (cli/gnuplot.h;
# every string in it is a constant gnuplot cannot run):
#   fmt    "png", "svg" or "pdf"     out    the file to write
#   title  the figure's title        sub    a subtitle (scenario, replications)
# Sizes fit a 16:9 slide. Colours are the Okabe-Ito palette, readable by
# colour-blind viewers; every series also differs in dash pattern or point
# shape, so the figures survive printing in grey.

if (fmt eq "png") {
  set terminal pngcairo size 1600,900 enhanced font "DejaVu Sans,20" linewidth 2
} else {
  if (fmt eq "svg") {
    set terminal svg size 1600,900 enhanced font "DejaVu Sans,20" linewidth 2 background "white"
  } else {
    set terminal pdfcairo size 16cm,9cm enhanced font "DejaVu Sans,9" linewidth 1.5
  }
}
set output out
set encoding utf8

set border 3 lw 1 lc rgb "#444444"
set tics nomirror out scale 0.6 textcolor rgb "#333333"
set grid ytics lc rgb "#dddddd" lw 1 dt 1
set key top right noopaque samplen 2.5 textcolor rgb "#333333" noenhanced
set xtics noenhanced
set title sprintf("{/:Bold %s}\n{/*0.7 %s}", title, sub) textcolor rgb "#222222"
set datafile separator comma
set datafile missing ""

# Okabe-Ito, with distinct dash types and points for grey print.
set linetype 1 lc rgb "#0072B2" dt 1 pt 7  ps 1.2 lw 2.5
set linetype 2 lc rgb "#D55E00" dt 2 pt 5  ps 1.2 lw 2.5
set linetype 3 lc rgb "#009E73" dt 4 pt 9  ps 1.4 lw 2.5
set linetype 4 lc rgb "#CC79A7" dt 5 pt 11 ps 1.4 lw 2.5
set linetype 5 lc rgb "#E69F00" dt 3 pt 13 ps 1.4 lw 2.5
set linetype 6 lc rgb "#56B4E9" dt 6 pt 3  ps 1.4 lw 2.5
set linetype 7 lc rgb "#000000" dt 1 pt 1  ps 1.4 lw 2.5
set linetype cycle 7

# Threshold and target lines: dark grey, dashed.
threshold_style = "lc rgb '#555555' dt 2 lw 2"
