"""Receipts through the real ``pos-app``: a real TCP receipt printer (a socket server on 127.0.0.1 in a thread),
printers that are off or drop the job halfway, a till killed between the commit and the printout — and in every
case the sale stays committed and the reprint is byte-identical."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import CASHIER_PIN, MANAGER_PIN, Shop

ROOT = Path(__file__).resolve().parents[2]


class NetworkPrinter:
    """A raw port-9100 printer. Each connection is one job. ``mode``: "ok" reads the whole job, "reset" reads a
    little and drops the connection (RST), "silent" takes the connection and never reads."""

    def __init__(self, port: int = 0, mode: str = "ok") -> None:
        self.mode = mode
        self.server = socket.create_server(("127.0.0.1", port))
        self.port = int(self.server.getsockname()[1])
        self.jobs: list[bytes] = []
        self.accepted = threading.Event()
        self.finished = threading.Condition()
        self._held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def setting(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.accepted.set()
            if self.mode == "silent":
                self._held.append(conn)
                continue
            with conn:
                if self.mode == "reset":
                    conn.recv(64)
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    continue
                job = bytearray()
                while chunk := conn.recv(65536):
                    job += chunk
            with self.finished:
                self.jobs.append(bytes(job))
                self.finished.notify_all()

    def wait_for(self, count: int, timeout: float = 10) -> list[bytes]:
        with self.finished:
            self.finished.wait_for(lambda: len(self.jobs) >= count, timeout)
        return self.jobs

    def close(self) -> None:
        """Switch it off: nothing listens on its port any more (shutdown wakes the thread blocked in accept)."""
        with contextlib.suppress(OSError):
            self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        for conn in self._held:
            conn.close()


@pytest.fixture
def printers() -> Iterator[list[NetworkPrinter]]:
    made: list[NetworkPrinter] = []
    yield made
    for printer in made:
        printer.close()


def start_printer(printers: list[NetworkPrinter], port: int = 0, mode: str = "ok") -> NetworkPrinter:
    printer = NetworkPrinter(port, mode)
    printers.append(printer)
    return printer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def use_printer(shop: Shop, setting: str) -> None:
    shop.ok("printer", "set", "--destination", setting, "--profile", "TM-T20II", "--paper", "80mm",
            "--footer", "Thank you!", "--shop-line", "1 Main Street")


def jobs(shop: Shop) -> list[dict[str, Any]]:
    with sqlite3.connect(shop.data_dir / "till.sqlite3") as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM print_jobs ORDER BY created_at, rowid")]


def balance(shop: Shop, code: str) -> int:
    return int(shop.ok("card", "show", code, "--json").json()["balance"])


def receipt_bytes(shop: Shop, entry_id: str, fmt: str, out: Path) -> bytes:
    shop.ok("receipt", entry_id, "--format", fmt, "--out", str(out))
    return out.read_bytes()


def test_a_redemption_prints_its_receipt_on_the_network_printer(shop: Shop, sold_card: str, tmp_path: Path,
                                                                printers: list[NetworkPrinter]) -> None:
    printer = start_printer(printers)
    use_printer(shop, printer.setting)
    paid = shop.ok("redeem", sold_card, "12.50", "--json", pin=CASHIER_PIN).json()
    assert paid["remaining_balance"] == 3750
    assert paid["receipt"]["status"] == "printed" and paid["receipt"]["destination"] == printer.setting
    [printed] = printer.wait_for(1)
    assert b"37.50" in printed and b"1 Main Street" in printed and b"Thank you!" in printed
    assert sold_card.encode() not in printed and sold_card[-4:].encode() in printed, "the code is masked"
    assert receipt_bytes(shop, paid["id"], "escpos", tmp_path / "copy.bin") == printed
    [job] = jobs(shop)
    assert (job["status"], job["attempts"], job["destination"]) == ("printed", 1, printer.setting)

    said = shop.ok("redeem", sold_card, "1.00", pin=CASHIER_PIN)
    assert f"Receipt printed on {printer.setting}" in said.out and said.err == ""
    assert len(printer.wait_for(2)) == 2


def test_a_printer_that_is_off_leaves_the_sale_committed_and_a_reprint_possible(
        shop: Shop, sold_card: str, tmp_path: Path, printers: list[NetworkPrinter]) -> None:
    port = free_port()  # nobody listening: the printer is off
    use_printer(shop, f"tcp://127.0.0.1:{port}")
    before = shop.ledger_size()
    sale = shop.run("redeem", sold_card, "12.50", pin=CASHIER_PIN)
    assert sale.code == 0, sale.err
    entry_id = sale.out.strip().splitlines()[-1].removeprefix("entry ").strip()
    assert "Redeemed €12.50" in sale.out
    assert "Sale done. The receipt did not print: The printer at 127.0.0.1 does not answer" in sale.err
    assert f"Reprint with `pos-app receipt {entry_id} --print`." in sale.err and "Traceback" not in sale.err
    assert balance(shop, sold_card) == 3750 and shop.ledger_size() == before + 1
    [job] = jobs(shop)
    assert (job["status"], job["entry_id"], job["attempts"]) == ("failed", entry_id, 1)
    assert "does not answer" in job["last_error"]

    printer = start_printer(printers, port)  # the printer is back
    again = shop.ok("receipt", entry_id, "--print", pin=CASHIER_PIN)
    assert f"Printed the receipt of entry {entry_id}" in again.out
    [printed] = printer.wait_for(1)
    assert printed == bytes(job["data"]) == receipt_bytes(shop, entry_id, "escpos", tmp_path / "r.bin")
    [job] = jobs(shop)
    assert (job["status"], job["attempts"]) == ("printed", 2)
    assert balance(shop, sold_card) == 3750, "a reprint moves no money"


def test_a_printer_that_drops_the_job_halfway_leaves_the_sale_and_a_reprint(
        shop: Shop, sold_card: str, tmp_path: Path, printers: list[NetworkPrinter]) -> None:
    broken = start_printer(printers, mode="reset")
    use_printer(shop, broken.setting)
    sale = shop.run("redeem", sold_card, "5.00", "--json", pin=CASHIER_PIN)
    assert sale.code == 0, sale.err
    paid = sale.json()
    assert paid["receipt"]["status"] == "failed" and "stopped answering while printing" in paid["receipt"]["message"]
    assert "The receipt did not print" in sale.err
    assert balance(shop, sold_card) == 4500 and jobs(shop)[0]["status"] == "failed"

    fixed = start_printer(printers)
    use_printer(shop, fixed.setting)
    shop.ok("receipt", paid["id"], "--print")
    assert fixed.wait_for(1) == [receipt_bytes(shop, paid["id"], "escpos", tmp_path / "r.bin")]


def test_a_reprint_on_a_printer_that_is_still_off_is_refused_in_words(shop: Shop, sold_card: str) -> None:
    use_printer(shop, f"tcp://127.0.0.1:{free_port()}")
    entry_id = shop.ok("redeem", sold_card, "1.00", "--json").json()["id"]
    again = shop.run("receipt", entry_id, "--print")
    assert again.code == 1 and "printer_unavailable" in again.err and "does not answer" in again.err
    assert jobs(shop)[0]["attempts"] == 2


@pytest.mark.parametrize("fmt", ["escpos", "text", "pdf"])
def test_reprints_are_byte_identical_in_every_format(shop: Shop, sold_card: str, tmp_path: Path, fmt: str) -> None:
    suffix = {"escpos": ".bin", "text": ".txt", "pdf": ".pdf"}[fmt]
    paid = shop.ok("redeem", sold_card, "12.50", "--json", "--receipt", str(tmp_path / f"sale{suffix}")).json()
    assert paid["receipt"]["status"] == "no_printer" and paid["receipt"]["file"]["written"] is True
    first = (tmp_path / f"sale{suffix}").read_bytes()
    # The shop changes what its receipts say; the receipt of this sale stays what it was.
    shop.ok("printer", "set", "--footer", "New footer", "--paper", "58mm")
    copy = shop.ok("receipt", paid["id"], "--format", fmt, "--out", str(tmp_path / "copy"), "--json").json()
    assert copy["reprint"] is True and copy["format"] == fmt
    assert (tmp_path / "copy").read_bytes() == first
    assert len([j for j in jobs(shop) if j["format"] == fmt]) == 1
    if fmt == "pdf":
        assert first.startswith(b"%PDF")
        text = subprocess.run(["pdftotext", str(tmp_path / "copy"), "-"], capture_output=True, text=True,
                              check=True).stdout
    else:
        text = first.decode("utf-8" if fmt == "text" else "latin-1")
    assert "37.50" in text and sold_card[-4:] in text
    assert sold_card not in text, "the code is masked"
    assert "New footer" not in text


def test_the_receipt_on_standard_output_is_text_with_the_code_masked(shop: Shop, sold_card: str) -> None:
    entry_id = shop.ok("redeem", sold_card, "2.00", "--json", pin=CASHIER_PIN).json()["id"]
    shown = shop.ok("receipt", entry_id, pin=CASHIER_PIN).out
    assert "GIFT CARD PAYMENT" in shown and "€48.00" in shown and entry_id in shown
    assert sold_card not in shown and f"•••• {sold_card[-4:]}" in shown
    assert shop.ok("receipt", entry_id.upper(), "--out", "-").out == shown


def test_a_till_killed_between_the_commit_and_the_printout_keeps_the_sale(
        shop: Shop, sold_card: str, tmp_path: Path, printers: list[NetworkPrinter]) -> None:
    printer = start_printer(printers)
    use_printer(shop, printer.setting)
    # The real command line, whose process dies the moment the sale has committed and printing would begin.
    script = (
        "import os, signal, sys\n"
        "from pos_app.printing import spool\n"
        "spool.Spool.print_receipt = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from pos_app.cli import main\n"
        f"main(['--data-dir', {str(shop.data_dir)!r}, 'redeem', {sold_card!r}, '12.50', '--json'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "POS_APP_DATA_DIR"} | {"POS_APP_PIN": MANAGER_PIN}
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT,
                            timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert balance(shop, sold_card) == 3750, "the sale committed before the till died"
    assert jobs(shop) == [] and printer.jobs == []
    entry_id = shop.ok("card", "show", sold_card, "--json").json()["entries"][0]["id"]

    made = shop.ok("receipt", entry_id, "--print")  # no job: rendered from the committed entry, stored, printed
    assert "Printed the receipt" in made.out
    [printed] = printer.wait_for(1)
    assert b"37.50" in printed
    assert receipt_bytes(shop, entry_id, "escpos", tmp_path / "r.bin") == printed
    assert [(j["status"], j["format"]) for j in jobs(shop)] == [("printed", "escpos")]


def test_a_till_killed_while_the_printer_takes_the_job_leaves_it_to_reprint(
        shop: Shop, sold_card: str, tmp_path: Path, printers: list[NetworkPrinter]) -> None:
    silent = start_printer(printers, mode="silent")
    use_printer(shop, silent.setting)
    env = {k: v for k, v in os.environ.items() if k != "POS_APP_DATA_DIR"} | {"POS_APP_PIN": MANAGER_PIN}
    proc = subprocess.Popen([sys.executable, "-m", "pos_app", "--data-dir", str(shop.data_dir), "redeem",
                             sold_card, "12.50"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        assert silent.accepted.wait(60), "the till never reached the printer"
        proc.send_signal(signal.SIGKILL)  # mid-send: the job is stored (it is stored before the send)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert balance(shop, sold_card) == 3750
    [job] = jobs(shop)
    assert (job["status"], job["attempts"]) == ("pending", 0)

    printer = start_printer(printers)
    use_printer(shop, printer.setting)
    shop.ok("receipt", job["entry_id"], "--print")
    assert printer.wait_for(1) == [bytes(job["data"])]


def test_every_operation_that_moves_money_has_its_receipt(shop: Shop, sold_card: str, tmp_path: Path,
                                                          printers: list[NetworkPrinter]) -> None:
    printer = start_printer(printers)
    use_printer(shop, printer.setting)
    rows = shop.ok("export", "vouchers", "--out", "-").out.splitlines()[1:]
    fresh = next(row for row in rows if ",inactive," in row).split(",")[0]
    shop.ok("sell", fresh, "--receipt", str(tmp_path / "sell.txt"))
    paid = shop.ok("redeem", fresh, "10.00", "--json", "--receipt", str(tmp_path / "redeem.txt")).json()
    shop.ok("topup", fresh, "5.00", "--reason", "birthday", "--receipt", str(tmp_path / "topup.txt"))
    shop.ok("refund", paid["id"], "--receipt", str(tmp_path / "refund.txt"))
    shop.ok("correct", fresh, "+1.00", "--reason", "till count", "--receipt", str(tmp_path / "correct.txt"))
    titles = {"sell": "GIFT CARD SOLD", "redeem": "GIFT CARD PAYMENT", "topup": "GIFT CARD TOP-UP",
              "refund": "REFUND TO GIFT CARD", "correct": "BALANCE CORRECTION"}
    for what, title in titles.items():
        text = (tmp_path / f"{what}.txt").read_text("utf-8")
        assert title in text and fresh not in text, what
    assert "+€1.00" in (tmp_path / "correct.txt").read_text("utf-8")
    assert len(printer.wait_for(5)) == 5
    assert all(j["status"] == "printed" for j in jobs(shop) if j["format"] == "escpos")


def test_no_print_skips_the_printer(shop: Shop, sold_card: str, printers: list[NetworkPrinter]) -> None:
    printer = start_printer(printers)
    use_printer(shop, printer.setting)
    paid = shop.ok("redeem", sold_card, "1.00", "--no-print", "--json").json()
    assert paid["receipt"]["status"] == "skipped" and jobs(shop) == []
    shop.ok("redeem", sold_card, "1.00")
    assert len(printer.wait_for(1)) == 1, "the next sale prints again"


def test_a_refused_attempt_has_no_receipt(shop: Shop, sold_card: str) -> None:
    refused = shop.run("redeem", sold_card, "80.00", pin=CASHIER_PIN)
    assert refused.code == 1 and "gift_amount_exceeded" in refused.err
    failed = shop.ok("card", "show", sold_card, "--json").json()["entries"][0]
    assert failed["result"] == "FAILURE"
    for args in ([], ["--print"], ["--format", "pdf", "--out", "x.pdf"]):
        result = shop.run("receipt", failed["id"], *args)
        assert result.code == 1 and "no_receipt" in result.err and "refused attempt" in result.err, args
    assert jobs(shop) == []
    unknown = shop.run("receipt", "00000000-0000-4000-8000-00000000dead")
    assert unknown.code == 1 and "not_found" in unknown.err
    assert shop.run("receipt", "not-an-id").code == 1


def test_a_receipt_file_with_an_unknown_extension_is_refused_before_the_sale(shop: Shop, sold_card: str) -> None:
    before = shop.ledger_size()
    result = shop.run("redeem", sold_card, "1.00", "--receipt", "receipt.docx")
    assert result.code == 2 and ".txt" in result.err
    assert shop.ledger_size() == before and balance(shop, sold_card) == 5000


def test_a_receipt_file_that_cannot_be_written_does_not_undo_the_sale(shop: Shop, sold_card: str,
                                                                      tmp_path: Path) -> None:
    result = shop.run("redeem", sold_card, "1.00", "--receipt", str(tmp_path / "missing" / "r.txt"))
    assert result.code == 0 and "The receipt was not written to" in result.err
    assert balance(shop, sold_card) == 4900
    entry_id = shop.ok("card", "show", sold_card, "--json").json()["entries"][0]["id"]
    assert f"pos-app receipt {entry_id} --format text --out" in result.err


def test_printer_settings_are_a_managers_and_the_test_page_says_if_the_printer_answered(
        shop: Shop, printers: list[NetworkPrinter]) -> None:
    refused = shop.run("printer", "set", "--destination", "tcp://10.0.0.9", pin=CASHIER_PIN)
    assert refused.code == 1 and "forbidden" in refused.err
    bad = shop.run("printer", "set", "--destination", "gopher://x")
    assert bad.code == 1 and "invalid_printer_settings" in bad.err
    none = shop.run("printer", "test")
    assert none.code == 1 and "printer_not_configured" in none.err

    printer = start_printer(printers)
    use_printer(shop, printer.setting)
    shown = shop.ok("printer", "show", "--json", pin=CASHIER_PIN).json()
    assert shown | {"jobs": []} == {"destination": printer.setting, "profile": "TM-T20II", "paper": "80mm",
                                    "footer": ["Thank you!"], "shop_lines": ["1 Main Street"], "jobs": []}
    answered = shop.ok("printer", "test", pin=CASHIER_PIN)
    assert f"The printer answered: the test page went to {printer.setting}." in answered.out
    [page] = printer.wait_for(1)
    assert b"PRINTER TEST" in page and b"TM-T20II" in page

    printer.close()
    off = shop.run("printer", "test")
    assert off.code == 1 and "The test page did not print. The printer at 127.0.0.1 does not answer" in off.err
    shop.ok("printer", "set", "--destination", "")
    assert shop.ok("printer", "show", "--json").json()["destination"] is None
    json.dumps(shown)  # plain JSON


def test_a_receipt_written_to_a_file_is_done_not_pending(shop: Shop, sold_card: str, tmp_path: Path) -> None:
    """After the sale (``--receipt FILE``) and on demand (``receipt ENTRY --out FILE``): the job is no longer
    pending in ``printer show``, and names the file it went to."""
    after_sale = tmp_path / "sale.txt"
    shop.ok("redeem", sold_card, "1.00", "--no-print", "--receipt", str(after_sale), pin=CASHIER_PIN)
    first = shop.ok("card", "show", sold_card, "--json").json()["entries"][0]["id"]
    shop.ok("redeem", sold_card, "2.00", "--no-print", pin=CASHIER_PIN)
    second = shop.ok("card", "show", sold_card, "--json").json()["entries"][0]["id"]
    on_demand = tmp_path / "again.txt"
    shop.ok("receipt", second, "--out", str(on_demand))

    jobs = {job["entry_id"]: job for job in shop.ok("printer", "show", "--json").json()["jobs"]}

    assert after_sale.read_bytes() and on_demand.read_bytes()
    assert (jobs[first]["status"], jobs[first]["destination"]) == ("printed", f"file:{after_sale.resolve()}")
    assert (jobs[second]["status"], jobs[second]["destination"]) == ("printed", f"file:{on_demand.resolve()}")
    assert "pending" not in shop.ok("printer", "show").out
