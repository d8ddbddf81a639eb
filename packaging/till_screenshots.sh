#!/usr/bin/env bash
# The till in kiosk mode on an Xvfb screen of WIDTHxHEIGHT (no window manager), driven by real X key and mouse
# events (xdotool) as a cashier and a manager would; screenshots of the X screen (ImageMagick's import).
#
#   packaging/till_screenshots.sh 1024x768 resources/screenshots     # till, manager's campaign form, Files page
#   packaging/till_screenshots.sh 1920x1080 resources/screenshots    # the till only
#
# Needs: Xvfb, xdotool, imagemagick (apt-get install -y xvfb xdotool imagemagick). Key combinations are sent as
# keydown / key / keyup with a pause: `xdotool key alt+3` presses both within a millisecond, which the till's
# USB-scanner detection takes for a scanner burst (noted in the report of branch till-window).
set -euo pipefail
size=${1:-1024x768}
out=${2:-resources/screenshots}
root=$(cd "$(dirname "$0")/.." && pwd)
app="$root/.venv/bin/pos-app"
number=97
while [ -e "/tmp/.X11-unix/X$number" ]; do number=$((number + 1)); done
export DISPLAY=":$number"
Xvfb "$DISPLAY" -screen 0 "${size}x24" -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
data=$(mktemp -d)
trap 'kill "${till:-0}" "$xvfb" 2>/dev/null || true; rm -rf "$data"' EXIT
sleep 1
"$app" --demo --kiosk --data-dir "$data" >/dev/null 2>&1 &
till=$!
for _ in $(seq 60); do xdotool search --name "gift card till" >/dev/null 2>&1 && break; sleep 0.5; done
window=$(xdotool search --name "gift card till" | head -1)
combo() { xdotool keydown "$1"; sleep 0.1; xdotool key "$2"; sleep 0.1; xdotool keyup "$1"; sleep 0.5; }
shot() { xdotool mousemove 5 5; sleep 0.5; import -window root "$out/$1"; echo "wrote $out/$1"; }
focus() { xdotool windowfocus --sync "$window"; }
width=${size%x*}
height=${size#*x}

focus
xdotool type --delay 150 1234; xdotool key Return; sleep 3        # Chris, cashier
# the "Partly used" demo card held up to the camera: its button is the middle one of the top row of six
if [ "$width" -ge 1200 ]; then xdotool mousemove $((width * 294 / 1920)) $((height * 895 / 1080)) click 1
else xdotool mousemove 265 306 click 1; fi
sleep 3
xdotool type --delay 200 5; xdotool key Return; sleep 3          # redeem 5.00
shot "till-$size.png"

if [ "$size" = "1024x768" ]; then
  focus
  xdotool key F12; sleep 1                                       # lock; Maria, manager, logs in
  xdotool type --delay 150 9876; xdotool key Return; sleep 3
  xdotool key F9; sleep 2
  combo Alt_L 3; combo Control_L n                               # Campaigns › New campaign
  xdotool type --delay 120 "Partner cards"; xdotool key Tab
  xdotool type --delay 120 "20.00"; xdotool key Tab
  xdotool type --delay 120 "100"
  combo Alt_L r; xdotool type --delay 150 3                      # redemption limit
  combo Alt_L g; xdotool type --delay 120 partner                # category
  combo Alt_L o; combo Alt_L p; xdotool type --delay 120 "PX-####-####-####"
  combo Alt_L t; xdotool type --delay 120 -- "-26"               # postfix
  shot "manager-campaign-codes-$size.png"
  printf 'code,value,gift_balance,campaign\nOLD-0001,2000,1500,Old system\nOLD-0002,20.00,2000,Old system\nOLD-0003,2000,-5,Old system\n' \
    > "$data/old-system.csv"
  combo Alt_L 7; combo Control_L o; sleep 2                      # Files › Import…: Qt's own file dialog
  xdotool windowfocus --sync "$(xdotool search --name "Import cards" | head -1)"
  xdotool type --delay 60 "$data/old-system.csv"; xdotool key Return; sleep 4
  shot "manager-files-$size.png"
fi

focus
xdotool key ctrl+shift+q; sleep 1.5                             # kiosk mode: closing needs a manager's PIN
xdotool windowfocus --sync "$(xdotool search --name "manager's PIN" | head -1)"
xdotool type --delay 150 9876; xdotool key Return
for _ in $(seq 30); do kill -0 "$till" 2>/dev/null || break; sleep 0.5; done
kill -0 "$till" 2>/dev/null && { echo "the till did not close" >&2; exit 1; }
echo "the till closed after the manager's PIN"
