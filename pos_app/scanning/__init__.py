"""Scanner input (DESIGN.md §4, §8): codes read from camera frames, USB scanners and serial scanners.

Knows only the domain (import-linter); never Qt (``ui`` owns the event filter and the preview).

Modules:

* ``results``  — :class:`Read` (one decoded symbol) and the symbology names used everywhere.
* ``frames``   — images to grayscale frames (transparent PNGs composited on white), fitted to a size.
* ``decoders`` — one decoder per library (zxing-cpp, pyzbar, OpenCV-located regions), each degrading to
  "unavailable" with a logged warning when its library is missing.
* ``chain``    — :class:`~pos_app.scanning.chain.DecoderChain`: zxing-cpp on every frame, the fallbacks only
  on frames where it found nothing, and at a lower rate on a live stream.
* ``confirm``  — a read counts when the same text is read twice in a row; one card held in view is one scan.
* ``sources``  — frame sources: an OpenCV camera, an image file, a folder of images, a video file.
* ``camera``   — the capture/decode worker: latest frame only (frames dropped, never queued), confirmed scans
  and preview frames delivered by callbacks.
* ``payload``  — scanned or typed text to a card code: bare or in a URL, scanner prefix/suffix and control
  characters stripped, check character verified, keyboard-layout garbling recognised and named.
* ``wedge``    — the keyboard-wedge classifier: a scanner's burst told from a person typing, by timing alone.
* ``serial_scanner`` — scanners on a serial port (pyserial).
"""
