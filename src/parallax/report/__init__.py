"""Reports over an analysis.json document: ``render_report`` / ``write_report``."""

from parallax.report.html import render_report, write_report

__all__ = ["render_report", "write_report"]
