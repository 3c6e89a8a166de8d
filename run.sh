#!/usr/bin/env bash
# Task runner for the course. Usage: ./run.sh [start|setup|test|lint|format|release|site|student-edition|help]
set -euo pipefail
cd "$(dirname "$0")"
VENV=.venv
PY="$VENV/bin/python"

usage() {
  cat <<'TXT'
./run.sh start     set everything up in .venv and open the course in JupyterLab
./run.sh setup     set everything up in .venv, without starting JupyterLab
./run.sh test      run the whole test suite (sets up first if needed)
./run.sh lint      check code and notebooks with ruff
./run.sh format    format code and notebooks with ruff
./run.sh release   regenerate release/ from source/ with nbgrader generate_assignment
./run.sh site [OUT]   build the static website of the course (default site/)
./run.sh student-edition [OUT]   build the student edition (default ../stalin-course-student)
TXT
}

setup() {
  if [ ! -x "$PY" ]; then
    if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      echo "This course needs Python 3.10 or newer as 'python3'." >&2; exit 1
    fi
    python3 -m venv "$VENV" || {
      echo "Could not create .venv. On Debian/Ubuntu run: sudo apt-get install python3-venv" >&2; exit 1; }
  fi
  local stamp="$VENV/.setup-stamp" want
  want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$PY" -m pip install --quiet --disable-pip-version-check -e ".[test]"
    "$PY" -m stalin_course kernel-setup >/dev/null
    "$PY" -m stalin_course lab-setup >/dev/null
    echo "$want" > "$stamp"
  fi
  # nbgrader calls `alembic` by name when it creates a gradebook.
  export PATH="$PWD/$VENV/bin:$PATH"
}

case "${1:-help}" in
  start)
    setup
    shift
    # The file browser opens at the course's top folder (notebooks/ and release/ both in
    # reach), with the start page in front; further arguments go to JupyterLab.
    root=(); [ "$(id -u)" = 0 ] && root=(--allow-root)  # containers and some school servers
    exec "$VENV/bin/jupyter" lab "${root[@]}" --ServerApp.root_dir="$PWD" \
      --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb "$@" ;;
  setup) setup; echo "Set-up done: .venv is ready." ;;
  test)
    setup
    shift
    exec "$VENV/bin/python" -m pytest "$@" ;;
  lint) setup; "$VENV/bin/ruff" check . && "$VENV/bin/ruff" format --check . ;;
  format) setup; "$VENV/bin/ruff" format . && "$VENV/bin/ruff" check --fix . ;;
  release)
    setup
    "$VENV/bin/python" -m stalin_course release ;;
  site)
    setup
    shift
    exec "$VENV/bin/python" -m stalin_course site "${@:-site}" ;;
  student-edition)
    setup
    shift
    exec "$VENV/bin/python" -m stalin_course student-edition "${@:-../stalin-course-student}" ;;
  help|-h|--help) usage ;;
  *) usage; exit 1 ;;
esac
