"""`salesoffice print checklist` (SHW-8): the day's sheets of the model apartments to a PDF, and its refusals."""
from __future__ import annotations

from datetime import datetime

import pytest
from pypdf import PdfReader

from app import clock
from app.services.showroom import items
from app.services.showroom.items import ItemDraft
from tests.conftest import TEN_AM


def db(office) -> str:
    return office.engine.url.render_as_string(hide_password=False)


@pytest.fixture
def flats(office):
    clock.freeze(datetime(2026, 11, 22, 17, 0))
    for name in ("A户型", "B户型"):
        flat = items.add_apartment(office.manager, office.uow(), name=name)
        items.add_item(office.manager, office.uow(), apartment_id=flat.id,
                       draft=ItemDraft(room="客厅", name=f"{name}的沙发", quantity=1))
    clock.freeze(TEN_AM)


def test_the_day_s_checklists_of_every_apartment_or_of_one_are_printed_SHW8(run, office, flats, tmp_path):
    out = tmp_path / "today.pdf"
    result = run("--db", db(office), "print", "checklist", "--date", "2026-11-23", "--out", out)
    assert result.code == 0 and str(out) in result.out
    pages = [p.extract_text() for p in PdfReader(out).pages]
    assert any("A户型的沙发" in p for p in pages) and any("B户型的沙发" in p for p in pages)
    one = tmp_path / "b.pdf"
    assert run("--db", db(office), "print", "checklist", "--date", "2026-11-23", "--apartment", "B户型",
               "--out", one).code == 0
    text = "".join(p.extract_text() for p in PdfReader(one).pages)
    assert "B户型的沙发" in text and "A户型" not in text


@pytest.mark.parametrize(("args", "said"), [
    (["--apartment", "C户型"], "--apartment: 没有名为 C户型 的样板房"),
    (["--date", "0001-01-01"], "--date: 日期 0001-01-01 超出"),
    (["--out", "{dir}/sheet.txt"], "--out: 检查表的文件名须以 .pdf 结尾"),
    (["--out", "{dir}/existing.pdf"], "已存在"),
])
def test_a_wrong_apartment_date_or_file_is_refused_in_one_line_and_writes_nothing_SHW8(run, office, flats, tmp_path,
                                                                                      args, said):
    (tmp_path / "existing.pdf").write_bytes(b"an earlier sheet")
    values = {"--date": "2026-11-23", "--out": str(tmp_path / "new.pdf")}
    for option, value in zip(args[::2], args[1::2]):
        values[option] = value.format(dir=tmp_path)
    result = run("--db", db(office), "print", "checklist", *[x for pair in values.items() for x in pair])
    assert result.code == 1 and said in result.err and len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "new.pdf").exists() and (tmp_path / "existing.pdf").read_bytes() == b"an earlier sheet"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".pdf"] == ["existing.pdf"]


def test_an_office_without_model_apartments_is_told_where_to_add_them_SHW8(run, office, tmp_path):
    result = run("--db", db(office), "print", "checklist", "--date", "2026-11-23", "--out", tmp_path / "x.pdf")
    assert result.code == 1 and "还没有样板房" in result.err
