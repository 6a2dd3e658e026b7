"""`disbursement evaluate`: the temporary-housing trial's evaluation figures (T 5; SPEC 2.8) and business case (T 2)
as CSV files and one self-contained HTML report with server-rendered SVG charts (no scripts, no network), Danish
first (labels.py), English with `--lang en`.

The figures are computed by the scheme's rules/evaluation.py and rules/business_case.py from plain values read here
once; the files are rendered by pure functions of those values (csv_files.py, html_report.py), so identical state
gives byte-identical files.
"""
from .report import EvaluationReport, build_report
from .write import EVALUATION_FILES, write_evaluation

__all__ = ["EVALUATION_FILES", "EvaluationReport", "build_report", "write_evaluation"]
