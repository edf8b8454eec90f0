"""The annual report pack as a Word document in the minutes' house style (headings in order, en-GB, the
protective marking on every page, tables with a repeating header row), each chart an image whose
alternative text states its numbers; and the same figures as CSV.

Charts are drawn from the page's own Vega-Lite specs by vl-convert (no browser), so the report and the
Insight page cannot show different numbers.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
import vl_convert
from docx.document import Document as WordDocument
from docx.shared import Cm

from documents.action_log import csv_bytes, neutralise
from documents.minutes_docx import clean_for_word, saved, set_alt_text, start_document, write_table
from features.insight.charts import Chart
from features.insight.report import AnnualReport, ReportSection, ReportTable

CHART_WIDTH_PX = 560
READABLE = 13  # px at CHART_WIDTH_PX: about 10 pt once the image is 16 cm wide
CHART_CONFIG = {"font": "DejaVu Sans", "axis": {"labelFontSize": READABLE, "titleFontSize": READABLE},
                "legend": {"labelFontSize": READABLE}, "text": {"fontSize": READABLE}}
CHART_SCALE = 2  # sharp when printed
CHART_WIDTH = Cm(16)

Progress = Callable[[float, str], None]  # (fraction done, what is happening), for a progress bar


def chart_png(chart: Chart) -> bytes:
    """The chart as a PNG, a fixed width for the page (the app's spec stretches to its container)."""
    spec = {**chart.spec, "width": CHART_WIDTH_PX, "config": CHART_CONFIG}
    return bytes(vl_convert.vegalite_to_png(vl_spec=spec, scale=CHART_SCALE))


def _chart(document: WordDocument, chart: Chart, number: int, image: bytes) -> None:
    caption = document.add_paragraph()
    caption.add_run(clean_for_word(f"Figure {number}: {chart.title}")).bold = True
    caption.paragraph_format.keep_with_next = True
    shape = document.add_picture(io.BytesIO(image), width=CHART_WIDTH)
    set_alt_text(shape, chart.description, name=f"Figure {number}")


def _table(document: WordDocument, table: ReportTable) -> None:
    caption = document.add_paragraph()
    caption.add_run(clean_for_word(f"Table: {table.caption}")).bold = True
    caption.paragraph_format.keep_with_next = True
    if not table.rows:
        document.add_paragraph(clean_for_word(table.empty))
        return
    write_table(document, table.header, table.rows)
    document.add_paragraph()  # a gap before what follows


def _section(document: WordDocument, section: ReportSection, level: int, images: dict[int, bytes],
             numbers: dict[int, int]) -> None:
    document.add_heading(clean_for_word(section.heading), level=level)
    for part in section.parts:
        if isinstance(part, Chart):
            _chart(document, part, numbers[id(part)], images[id(part)])
        elif isinstance(part, ReportTable):
            _table(document, part)
        else:
            document.add_paragraph(clean_for_word(part))
    for sub in section.subsections:
        _section(document, sub, level + 1, images, numbers)


def report_docx(report: AnnualReport, progress: Progress | None = None) -> bytes:
    """Charts drawn first (the slow part, reported chart by chart), then the document written."""
    say = progress or (lambda _fraction, _words: None)
    charts = report.charts
    images: dict[int, bytes] = {}
    steps = len(charts) + 2  # each chart, the document, done
    for n, chart in enumerate(charts, start=1):
        say(n / steps, f"Drawing chart {n} of {len(charts)}: {chart.title}")
        images[id(chart)] = chart_png(chart)
    say((len(charts) + 1) / steps, "Writing the document")
    document = start_document(title=report.title, marking=report.marking)
    for paragraph in report.introduction:
        document.add_paragraph(clean_for_word(paragraph))
    numbers = {id(chart): n for n, chart in enumerate(charts, start=1)}
    for section in report.sections:
        _section(document, section, 1, images, numbers)
    payload = saved(document)
    say(1.0, "The report is ready")
    return payload


def report_csv(report: AnnualReport) -> bytes:
    """One number a row (section, what, measure, value), written the one way the app writes CSV."""
    frame = pd.DataFrame.from_records(list(report.figure_rows), columns=["Section", "What", "Measure", "Value"])
    return csv_bytes(frame.map(neutralise))
