"""Printed sheets carry their Chinese text in the bundled font, embedded, so any printer shows characters."""
from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader
from reportlab.platypus import Paragraph

from app.reports import styles


def test_chinese_text_is_written_in_the_embedded_bundled_font(tmp_path):
    out = BytesIO()
    doc = styles.a4_document(out, title="来访登记")
    doc.build([Paragraph("来访客户登记表 王先生 138****5678", styles.title())])
    reader = PdfReader(BytesIO(out.getvalue()))
    page = reader.pages[0]
    assert "来访客户登记表" in page.extract_text()
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    names = {str(f["/BaseFont"]) for f in fonts}
    assert all(styles.FONT in name for name in names), names  # no other font is referenced
    descendants = [d.get_object() for f in fonts for d in f.get("/DescendantFonts", [])]
    descriptors = [d["/FontDescriptor"].get_object() for d in descendants] or \
                  [f["/FontDescriptor"].get_object() for f in fonts]
    assert descriptors and all("/FontFile2" in d for d in descriptors)  # TrueType outlines embedded
