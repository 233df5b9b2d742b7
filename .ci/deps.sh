# Installs the Debian packages loket needs, if any is missing.
# Sourced by run.sh and test.sh; needs root (or sudo) only when installing.
loket_packages="cmake gcc make pkg-config libgsl-dev libcmocka-dev libfyaml-dev libglpk-dev gnuplot-nox"
# What the tests use on top: MPI, GNU parallel and Slurm for the cluster
# tests, dieharder for the generator's test.
loket_test_packages="libopenmpi-dev openmpi-bin parallel slurm-wlm dieharder"

loket_install_deps() {
  missing=""
  for p in $loket_packages ${1:-}; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
      missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  echo "loket: installing Debian packages:$missing" >&2
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
  elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "loket: error: please install as root: apt-get install$missing" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq &&
    $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}
