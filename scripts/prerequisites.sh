#!/usr/bin/env bash
# Checks what the scripts cannot install for the user, and stops with ONE message that lists everything
# missing and how to get it on Debian/Ubuntu and macOS, instead of a stack of errors later.
# Sourced by setup.sh and setup-test.sh. Works in macOS's bash 3.2.
#   need_tool <command> <what it is> <Debian/Ubuntu: how> <macOS: how>   records it if <command> is absent
#   need_thing <what it is> <Debian/Ubuntu: how> <macOS: how>            records it unconditionally
#   stop_if_missing <script name>                                         prints the list and exits 1

missing_things=""

need_thing() {
  missing_things="${missing_things}  - $1
      Debian/Ubuntu: $2
      macOS:         $3
"
}

need_tool() {
  command -v "$1" >/dev/null 2>&1 || need_thing "$2" "$3" "$4"
}

stop_if_missing() {
  [ -z "$missing_things" ] && return 0
  printf '\033[1m[setup]\033[0m %s needs what is not installed here:\n%s' "$1" "$missing_things" >&2
  printf 'Install it, open a new shell, and run %s again.\n' "$1" >&2
  exit 1
}

# Checks what building the wasm engine needs: Rust through rustup (it adds the wasm32 target), a C
# linker (build scripts and proc-macros link natively), Node.js 18+ with npm (the page's packages and
# the server).
need_build_tools() {
  local rustup_how="curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh"
  if ! command -v cargo >/dev/null 2>&1; then
    need_thing "Rust through rustup (cargo; rustup adds the wasm32 target)" "$rustup_how" "$rustup_how"
  elif ! command -v rustup >/dev/null 2>&1; then
    need_thing "rustup (cargo is here, but without rustup it cannot add the wasm32 target)" \
      "$rustup_how   (then remove the distribution's cargo and rustc)" "$rustup_how"
  fi
  need_tool cc "a C compiler and linker (cc)" "sudo apt-get install build-essential" "xcode-select --install"
  if command -v node >/dev/null 2>&1; then
    local major
    major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
    if [ "$major" -lt 18 ]; then
      need_thing "Node.js 18 or newer (found $(node --version 2>/dev/null))" \
        "sudo apt-get install nodejs npm   (Debian 12 / Ubuntu 24.04 have 18+)" "brew install node"
    fi
  else
    need_thing "node (Node.js 18 or newer)" "sudo apt-get install nodejs npm" "brew install node"
  fi
  need_tool npm "npm (Node.js's package manager)" "sudo apt-get install npm" "brew install node"
}
