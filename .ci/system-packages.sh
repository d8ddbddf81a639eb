#!/usr/bin/env bash
# Debian packages the project needs beyond Python's: libzbar0 (pyzbar's decoder), poppler-utils (tests read PDFs
# back), xvfb (the real window on a virtual screen: screenshots, the GUI measurements), what Qt needs offscreen
# (fonts, GL, xkbcommon) and what its xcb platform plugin loads on X (the libxcb-* helpers, xkbcommon-x11);
# chromium and chromium-driver: the head-office console's browser tests (tests/console, Selenium, headless).
# Installs only what is missing; safe to run again. Needs root.
set -euo pipefail
wanted=(libzbar0 poppler-utils xvfb fonts-dejavu-core libgl1 libegl1 libxkbcommon0 libfontconfig1
        libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
        libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xkb1 libxcb-xfixes0 chromium chromium-driver)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
