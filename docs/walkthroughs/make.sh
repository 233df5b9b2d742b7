#!/bin/bash
# Regenerates the walkthroughs: runs every story scenario (and the variants
# each walkthrough compares it with), draws the figures, and renders
# NAME.md from NAME.md.in, replacing every {{RUN:SCOPE:METRIC[:FORMAT]}}
# with that run's mean from stats.csv (FORMAT: 1 decimal by default, 2 for
# two, 0 for none, % for a percentage; METRIC may be a ratio A/B; a colon in
# SCOPE is written %3A). No number in a walkthrough is typed by hand.
#   docs/walkthroughs/make.sh            (uses build/loket, or $LOKET)
#   WALKTHROUGHS_OUT=DIR make.sh         renders into DIR instead (the test
#                                        that checks the committed pages)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
loket=${LOKET:-$root/build/loket}
out=${WALKTHROUGHS_OUT:-$here}
runs=$out/runs
img=$out/img
mkdir -p "$runs" "$img"
cd "$root"

run() {   # run ID SCENARIO [loket run options]
  local id=$1 scenario=$2
  shift 2
  rm -rf "$runs/$id"
  "$loket" run "scenarios/$scenario.yaml" --out "$runs/$id" --quiet "$@"
  "$loket" plot "$runs/$id" > /dev/null
}
figure() {  # figure ID FIGURE -> img/ID-FIGURE.png
  cp "$runs/$1/plots/$2.png" "$img/$1-$2.png"
}

# rode-loper: appointments and seven advisors, against a walk-in counter
# (the same demand at random, four advisors).
run rode-loper rode-loper
run walk-in rode-loper --set departments.advisor.staff=4 \
    --set 'arrivals.0={to: advisor, rate: 0.157}'
figure rode-loper waits
figure walk-in waits

# achter-de-streep: the lunch cut, against no cut (lunch covered).
run lunch-cut achter-de-streep
run no-cut achter-de-streep --set departments.counter.staff=4
figure lunch-cut day-counter
figure lunch-cut service_level
figure no-cut day-counter

# daar-ga-ik-niet-over: handoffs, against first-contact resolution (the
# front desk solves 80 % itself, taking longer).
first_contact=(--set departments.front.staff=7
    --set 'departments.front.service={dist: gamma, mean: 8, sd: 4}'
    --set 'departments.front.routes=[{to: permits, p: 0.1}, {to: taxes, p: 0.1}]'
    --set departments.permits.staff=1 --set departments.taxes.staff=1
    --set departments.permits.handoff.p=0 --set departments.taxes.handoff.p=0)
# ... and both again when a visit may leave the question unsettled, the
# more likely the more desks the visitor was passed along (failure demand).
rework='{p: 0.05, per_handoff: 0.1, after: {dist: exponential, mean: 60}}'
returns=(--set "departments.front.rework=$rework"
    --set "departments.permits.rework=$rework"
    --set "departments.taxes.rework=$rework")
run handoffs daar-ga-ik-niet-over
run first-contact daar-ga-ik-niet-over "${first_contact[@]}"
run handoffs-returns daar-ga-ik-niet-over "${returns[@]}"
run first-contact-returns daar-ga-ik-niet-over "${first_contact[@]}" "${returns[@]}"
figure handoffs kpi
figure first-contact kpi

# op-afspraak: walk-ins and booked customers at one desk, against the
# desk without bookings (nobody booked comes) and bookings without priority.
run booked op-afspraak
run walk-ins-only op-afspraak --set arrivals.1.appointments.no_show=1
run booked-no-priority op-afspraak --set classes.appointment.priority=0

# een-loket: the same six people as specialists only, as specialists
# with a pool of generalists (the scenario), and as generalists only.
run specialists een-loket --set departments.passports.staff=3 \
    --set departments.permits.staff=3 --set 'pools={}'
run mixed een-loket
run one-stop een-loket --set departments.passports.staff=0 \
    --set departments.permits.staff=0 --set pools.generalists.staff=6
figure specialists kpi
figure mixed kpi

# alles-voor-de-klant: every department's KPI against the journey.
run kpi alles-voor-de-klant
figure kpi kpi
figure kpi satisfaction

# callcenter: the day, and a stationary hour against Erlang A.
run callcenter callcenter
figure callcenter day-agents
figure callcenter service_level
run erlang-a callcenter --set departments.agents.staff=18 \
    --set 'arrivals.0={to: agents, rate: 0.1}' --set retrial.p=0 \
    --set horizon=36000 --set warmup=3600

# polariteiten: the staffing sweep.
rm -rf "$runs/polariteiten"
"$loket" sweep scenarios/polariteiten.yaml --out "$runs/polariteiten" --quiet
"$loket" plot "$runs/polariteiten" > /dev/null
cp "$runs/polariteiten/plots/tradeoff.png" "$img/polariteiten-tradeoff.png"
cp "$runs/polariteiten/plots/sweep-service_level.png" "$img/polariteiten-service_level.png"

# Erlang A (M/M/c+M) for the stationary call centre: 18 agents, 0.1 calls a
# second, 180 s a call, patience 120 s, from its birth-death chain.
erlang_a=$(awk 'BEGIN {
  c = 18; l = 0.1; mu = 1 / 180; th = 1 / 120;
  p = 1; tot = 1; q = 0; wait_p = 0;
  for (n = 1; n < 2000; n++) {
    d = (n <= c) ? n * mu : c * mu + (n - c) * th;
    p *= l / d; tot += p;
    if (n > c) q += (n - c) * p;
    if (n >= c) wait_p += p;
  }
  printf "%.1f %.2f", 100 * th * (q / tot) / l, q / tot
}')
read -r erlang_abandon erlang_wait <<< "$erlang_a"

for template in "$here"/*.md.in; do
  page=$out/$(basename "${template%.in}")
  awk -v runs="$runs" -v ea="$erlang_abandon" -v ew="$erlang_wait" '
    function value(key,    parts, n, file, line, f, fmt, v, d, ratio) {
      n = split(key, parts, ":")
      gsub(/%3A/, ":", parts[2])   # "department%3Afront": a scope with a colon
      if (parts[1] == "erlang_a_abandon_pct") return ea
      if (parts[1] == "erlang_a_queue") return ew
      file = runs "/" parts[1] "/stats.csv"
      fmt = n >= 4 ? parts[4] : "1"
      # METRIC may be a ratio of two metrics: abandoned/arrivals.
      split(parts[3], ratio, "/")
      while ((getline line < file) > 0) {
        split(line, f, ",")
        if (f[1] == parts[2] && f[2] == ratio[1]) v = f[3]
        if (f[1] == parts[2] && (2 in ratio) && f[2] == ratio[2]) d = f[3]
      }
      close(file)
      if (2 in ratio) v = (d > 0) ? v / d : ""
      delete ratio
      d = ""
      if (v == "") { print "make.sh: no " key > "/dev/stderr"; exit 1 }
      if (fmt == "%") return sprintf("%.0f %%", 100 * v)
      if (fmt == "%1") return sprintf("%.1f %%", 100 * v)
      if (fmt == "0") return sprintf("%.0f", v)
      if (fmt == "2") return sprintf("%.2f", v)
      return sprintf("%.1f", v)
    }
    {
      while (match($0, /\{\{[^}]+\}\}/)) {
        key = substr($0, RSTART + 2, RLENGTH - 4)
        $0 = substr($0, 1, RSTART - 1) value(key) substr($0, RSTART + RLENGTH)
      }
      print
    }' "$template" > "$page.tmp"
  mv "$page.tmp" "$page"
  echo "make.sh: $(basename "$page")"
done
