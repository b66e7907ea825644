#!/usr/bin/env bash
# Finds what only the tests need: a Chromium or Chrome with its ChromeDriver, and Python's venv module
# (scripts/keras_verify.sh). Uses what is installed: $CHROMIUM and $CHROMEDRIVER, else the usual names
# on PATH (and macOS's apps). Installs Debian's packages only when it runs as root on Debian; otherwise
# says exactly what to install. Exports CHROMIUM and CHROMEDRIVER for the tests. Sourced by test.sh
# after setup.sh.

browser_names=(chromium chromium-browser google-chrome google-chrome-stable chrome
  "/Applications/Chromium.app/Contents/MacOS/Chromium"
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
driver_names=(chromedriver chromium.chromedriver)

# Prints the path of the first of "$@" that is an executable command or file.
first_command() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

find_test_tools() {
  browser=$(first_command ${CHROMIUM:+"$CHROMIUM"} "${browser_names[@]}" || true)
  driver=$(first_command ${CHROMEDRIVER:+"$CHROMEDRIVER"} "${driver_names[@]}" || true)
  venv_ok=1
  python3 -c 'import ensurepip, venv' 2>/dev/null || venv_ok=0
}

find_test_tools
if [ -z "$browser" ] || [ -z "$driver" ] || [ "$venv_ok" = 0 ]; then
  if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
    packages=()
    if [ -z "$browser" ] || [ -z "$driver" ]; then packages+=(chromium chromium-driver); fi
    if [ "$venv_ok" = 0 ]; then packages+=(python3-venv); fi
    say "installing Debian ${packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
    find_test_tools
  fi
fi

if [ -n "${CHROMIUM:-}" ] && [ "$browser" != "$(command -v "$CHROMIUM" 2>/dev/null)" ]; then
  need_thing "the browser CHROMIUM names ($CHROMIUM is not an executable)" \
    "unset CHROMIUM, or set it to the path of chromium or google-chrome" \
    "unset CHROMIUM, or set it to \"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome\""
elif [ -z "$browser" ]; then
  need_thing "Chromium or Chrome (the browser tests run it headless; or set CHROMIUM=/path/to/it)" \
    "sudo apt-get install chromium chromium-driver   (Ubuntu: sudo snap install chromium)" \
    "brew install --cask chromium chromedriver"
fi
if [ -z "$driver" ]; then
  need_thing "ChromeDriver matching the browser (the wasm tests in Chromium; or set CHROMEDRIVER=/path/to/it)" \
    "sudo apt-get install chromium-driver   (Ubuntu's chromium snap has chromium.chromedriver)" \
    "brew install --cask chromedriver"
fi
if [ "$venv_ok" = 0 ]; then
  need_thing "Python 3 with its venv module (the Keras check makes a virtual environment)" \
    "sudo apt-get install python3-venv" "brew install python"
fi
stop_if_missing scripts/test.sh

export CHROMIUM="$browser" CHROMEDRIVER="$driver"
