# plots/tradeoff.gp — staff cost against satisfaction: every setting of the
# sweep, the efficient ones (no other is at most as costly and at least as
# satisfying) highlighted and joined. Variables: data (prepared by
# cli/plot.c: block 0 every point, block 1 the efficient ones by cost;
# columns cost, satisfaction, label, efficient).

set xlabel "staff cost per replication"
set ylabel "satisfaction (0-10)"
set key bottom right
set offsets graph 0.05, graph 0.05, graph 0.08, graph 0.08
plot data index 0 using 1:2 with points lc rgb "#999999" pt 6 ps 1.6 title "setting", \
     data index 1 using 1:2 with linespoints lt 2 pt 7 ps 1.8 title "efficient", \
     data index 1 using 1:2:3 with labels offset char 0,1.2 textcolor rgb "#333333" noenhanced notitle
