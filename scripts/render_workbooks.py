"""Render every workbook the command line writes with LibreOffice (headless) and count PDF pages.

    python scripts/render_workbooks.py               # into a temporary folder
    python scripts/render_workbooks.py --keep out/   # keep the workbooks and PDFs in out/

Needs LibreOffice's Calc (Debian: ``apt-get install libreoffice-calc``); not run
in CI. Each workbook is converted to PDF as LibreOffice would print it (every
sheet, with the page set-up the workbook asks for), and the page count of each
is printed: the national decision table of 79 förbund should print on at most
3 A4 pages.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import finsam_opt as fo
from finsam_opt.cli import main as cli
from finsam_opt.datasets.national import data_file


def write_workbooks(folder: Path) -> list[Path]:
    """Run every command that writes a workbook, on the national example; the files written."""
    units = folder / "forbund.xlsx"
    national = ["--municipalities", str(data_file("national_municipalities.csv")),
                "--memberships", str(data_file("national_memberships.csv")),
                "--unit-data", str(data_file("national_units.csv"))]  # fmt: skip
    applications = folder / "ansokningar.csv"
    names = fo.national_example().units.index[:4]
    applications.write_text(
        "Förbund;Ansökan ofördelade medel (kr)\n" + "".join(f"{n};5000000\n" for n in names),
        encoding="utf-8",
    )
    templates = folder / "svarsmallar"
    templates.mkdir()
    runs = [
        ["example", "-o", str(folder / "beslutsunderlag.xlsx")],
        ["allocate", *national, "-o", str(units)],
        ["ideal", str(units), "-o", str(folder / "preliminar.xlsx")],
        ["template", str(units), "-d", str(templates), "--combined"],
        ["answers", str(templates), "--units", str(units), "-o", str(folder / "svar.xlsx")],
        ["surplus", str(applications), "--units", str(units), "-o",
         str(folder / "ofordelade_medel.xlsx")],
        ["compare", str(units), "--budget", "290 Mkr", "-o", str(folder / "jamforelse.xlsx"),
         "--summary", str(folder / "jamforelse_utfall.xlsx")],
        ["simulate", str(units), "--years", "3", "--no-progress", "-o",
         str(folder / "simulering.xlsx"), "--summary", str(folder / "simulering_ar.xlsx")],
        ["synthetic", "80", "-o", str(folder / "syntetiska.xlsx")],
        ["forecast", str(units), "--years", "3", "--futures", "50", "-o",
         str(folder / "prognos.xlsx")],
    ]  # fmt: skip
    for argv in runs:
        if cli(argv) != 0:
            raise SystemExit(f"finsam-opt {' '.join(argv)} failed")
    return sorted(folder.glob("*.xlsx")) + sorted(templates.glob("*.xlsx"))


def pdf_pages(pdf: Path) -> int:
    """Pages of a PDF LibreOffice wrote (its page objects; none are compressed away)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))


def render(workbook: Path, out: Path) -> Path:
    """``workbook`` converted to PDF by LibreOffice in ``out``."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        raise SystemExit("LibreOffice is not installed (apt-get install libreoffice-calc)")
    subprocess.run(
        [binary, "--headless", f"-env:UserInstallation=file://{out / 'profile'}",
         "--convert-to", "pdf", "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return out / f"{workbook.stem}.pdf"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="folder to keep the workbooks and PDFs in")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        print("| workbook | sheets | PDF pages |\n|---|---|---:|")
        for workbook in write_workbooks(folder):
            import openpyxl

            sheets = ", ".join(openpyxl.load_workbook(workbook, read_only=True).sheetnames)
            pages = pdf_pages(render(workbook, folder))
            print(f"| {workbook.name} | {sheets} | {pages} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
