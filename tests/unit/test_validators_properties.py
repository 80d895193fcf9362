"""What the desk and the register accept, checked on many generated inputs (hypothesis): a phone however it is
written (REC-1) and masked (VIS-7), a register's dates and times in each accepted way (VIS-6), party sizes and
names. Whatever is typed is either taken or refused with a Chinese message, never a crash."""
from __future__ import annotations

import csv
import re
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app import phone as phones
from app import validation
from app.errors import ValidationError
from app.files import register_file
from app.services.reception import visits
from app.services.visitors import register_io
from tests.unit.helpers import assert_chinese, sign_in, walk_in

DIGITS = "0123456789"
PHONE_SHAPED = re.compile(r"(1[3-9][0-9]{9}|0[1-9][0-9]{8,10})")
# Full-width forms, as a Chinese input method in full-width mode types them.
FULL_WIDTH = str.maketrans({**{d: chr(ord(d) + 0xFEE0) for d in DIGITS + "+-()."}, " ": "\u3000"})

mobiles = st.builds(lambda second, rest: "1" + second + rest,
                    st.sampled_from("3456789"), st.text(DIGITS, min_size=9, max_size=9))
# 010 and 020-029 have two digits after the 0; the others (0755, 0371 …) three.
area_codes = st.one_of(st.sampled_from(["010", *(f"02{i}" for i in range(10))]),
                       st.builds(lambda a, b: "0" + a + b, st.sampled_from("3456789"), st.text(DIGITS, min_size=2,
                                                                                               max_size=2)))
landlines = st.tuples(area_codes, st.text(DIGITS, min_size=7, max_size=8))
# Text near a phone (digits of several scripts, separators, prefixes) and any text at all.
phone_like = st.text(DIGITS + " -+()（）.０１２３４５６７８９٣६\u3000\n", max_size=20)


@st.composite
def written(draw: st.DrawFn, digits: str, prefixes: list[str]) -> str:
    """`digits` as a person may write them: cut into groups by spaces, dashes or dots, after a prefix."""
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=3)))
    groups = [digits[i:j] for i, j in zip([0, *cuts], [*cuts, len(digits)])]
    separators = draw(st.lists(st.sampled_from([" ", "-", " - ", ".", "  "]), min_size=len(groups),
                               max_size=len(groups)))
    text = draw(st.sampled_from(prefixes)) + groups[0] + "".join(s + g for s, g in zip(separators, groups[1:]))
    text = draw(st.sampled_from(["", " "])) + text + draw(st.sampled_from(["", " ", "\t"]))
    return text.translate(FULL_WIDTH) if draw(st.booleans()) else text


# --- phones (REC-1, VIS-7) -----------------------------------------------------------------------------------

@given(st.data(), mobiles)
def test_a_mobile_however_written_is_its_11_digits_and_masks_to_3_and_4_REC1_VIS7(data, digits):
    typed = data.draw(written(digits, ["", "+86", "+86 ", "0086", "0086 ", "(+86) "]))
    assert phones.normalize(typed) == digits
    assert phones.mask(digits) == digits[:3] + "****" + digits[-4:]
    assert phones.display(digits) == f"{digits[:3]} {digits[3:7]} {digits[7:]}"


@given(st.data(), landlines)
def test_a_landline_however_written_is_its_digits_and_masks_to_its_area_code_and_last_4_REC1_VIS7(data, landline):
    area, number = landline
    typed = data.draw(written(area + number, [""]))
    assert phones.normalize(typed) == area + number
    assert phones.mask(area + number) == area + "****" + number[-4:]
    assert phones.display(area + number) == f"{area}-{number}"


@given(st.one_of(phone_like, st.text()))
@example("１３８ １２３４ ５６７８")  # full-width: once stored as such, another customer than 13812345678
@example("١٣٨١٢٣٤٥٦٧٨")  # Arabic-Indic digits: once stored as such too
def test_any_text_is_a_phone_in_ascii_digits_or_refused_in_chinese_REC1(typed):
    try:
        number = phones.normalize(typed)
    except ValidationError as e:
        assert e.field == "phone"
        assert_chinese(e)
    else:
        assert PHONE_SHAPED.fullmatch(number)
        assert phones.normalize(number) == number


@pytest.mark.parametrize("typed", ["13７11110015", "１３７１１１１００１５", "١٣٧١١١١٠٠١٥", "१३७११११००१५", "137 1111 ००15"])
def test_every_script_s_digits_are_the_same_number_and_so_the_same_customer_REC1_REC3(typed):
    assert phones.normalize(typed) == "13711110015"


# --- the register's dates and times (VIS-6) ------------------------------------------------------------------

DATES = ["{y:04d}-{m:02d}-{d:02d}", "{y:04d}-{m}-{d}", "{y:04d}/{m}/{d}", "{y:04d}.{m:02d}.{d:02d}",
         "{y:04d}年{m}月{d}日", "{y:04d} 年 {m:02d} 月 {d:02d} 日"]
TIMES = [" {H:02d}:{M:02d}", " {H}:{M:02d}", "T{H:02d}:{M:02d}", " {H}：{M:02d}"]
TIMES_WITH_SECONDS = [" {H:02d}:{M:02d}:{S:02d}", "T{H:02d}:{M:02d}:{S:02d}.5", " {H}：{M:02d}：{S:02d}"]
whole_minutes = st.times().map(lambda t: t.replace(second=0, microsecond=0))
whole_seconds = st.times().map(lambda t: t.replace(microsecond=0))


def _written(day: date, at: time | None, day_way: str, time_way: str) -> str:
    fields = {"y": day.year, "m": day.month, "d": day.day}
    if at is not None:
        fields |= {"H": at.hour, "M": at.minute, "S": at.second}
    return (day_way + time_way).format(**fields)


@given(st.dates(), st.sampled_from(DATES))
def test_a_date_written_each_accepted_way_is_that_day_VIS6(day, way):
    assert register_file.moment(_written(day, None, way, "")) == (day, None, None)


@given(st.dates(), whole_minutes, st.sampled_from(DATES), st.sampled_from(TIMES))
def test_a_date_and_time_written_each_accepted_way_is_that_minute_VIS6(day, at, day_way, time_way):
    assert register_file.moment(_written(day, at, day_way, time_way)) == (day, at, timedelta(minutes=1))


@given(st.dates(), whole_seconds, st.sampled_from(DATES), st.sampled_from(TIMES_WITH_SECONDS))
def test_a_time_written_to_the_second_is_that_second_VIS6(day, at, day_way, time_way):
    assert register_file.moment(_written(day, at, day_way, time_way)) == (day, at, timedelta(seconds=1))


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 30)).map(
    lambda t: t.replace(second=0, microsecond=0)))
@example(datetime(2079, 7, 1, 1, 1))  # once read as 01:01:00.000001, a float's residue
def test_an_excel_date_cell_and_serial_number_are_their_day_and_minute_VIS6(moment):
    at = None if moment.time() == time(0) else moment.time()
    expected = (moment.date(), at, None if at is None else timedelta(minutes=1))
    serial = (moment - datetime(1899, 12, 30)) / timedelta(days=1)
    assert register_file.moment(moment) == expected
    assert register_file.moment(serial) == expected


@given(whole_seconds, st.booleans())
def test_a_time_column_is_its_time_to_the_minute_or_second_VIS6(at, seconds):
    typed = f"{at.hour}:{at.minute:02d}" + (f":{at.second:02d}" if seconds else "")
    expected = at if seconds else at.replace(second=0)
    assert register_file.clock_time(typed) == (expected, timedelta(seconds=1) if seconds else timedelta(minutes=1))


cell_text = st.one_of(st.text(), st.text(DIGITS + "-/.:：年月日T ", max_size=25))


@given(cell_text)
def test_any_date_or_time_cell_is_read_or_said_not_to_be_one_VIS6(cell):
    for read in (register_file.moment, register_file.clock_time):
        try:
            read(cell)
        except ValueError:  # the register's row is refused with its reason (NoSuchDate is one)
            pass


# --- party sizes and names ----------------------------------------------------------------------------------

@given(st.integers(1, visits.MAX_PARTY), st.sampled_from(["{}", " {} ", "{}人", "{}位"]))
def test_a_party_size_as_a_register_writes_it_is_that_number_VIS6(size, way):
    assert visits.check_party_size(way.format(size).rstrip("人位")) == size


@given(st.one_of(st.text(), st.integers(), st.text(DIGITS + " -+.", max_size=6)))
def test_any_party_size_is_1_to_50_or_refused_in_chinese(typed):
    try:
        size = visits.check_party_size(typed)
    except ValidationError as e:
        assert e.field == "party_size"
        assert_chinese(e)
    else:
        assert 1 <= size <= visits.MAX_PARTY


@given(st.text())
def test_any_name_is_kept_tidy_or_refused_in_chinese(typed):
    try:
        name = validation.visitor_name(typed)
    except ValidationError as e:
        assert e.field == "name"
        assert_chinese(e)
    else:
        assert name == " ".join(name.split()) and 1 <= len(name) <= 40


# --- through the services, on the database under test --------------------------------------------------------

# The office is made once for all of a test's examples: each example is a registration or an import of its own,
# whose outcome does not depend on what the others saved.
on_the_database = settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def desk(office):
    sign_in(office, *office.consultants[:2])
    return office


@on_the_database
@given(name=st.text(max_size=45), phone=st.one_of(mobiles, phone_like), note=st.text(max_size=30))
def test_whatever_the_desk_types_is_registered_or_refused_in_chinese_REC1(desk, name, phone, note):
    try:
        walk_in(desk, phone, name, note=note)
    except ValidationError as e:
        assert_chinese(e)


@on_the_database
@given(when=st.one_of(cell_text, st.builds(_written, st.dates(), st.none(), st.sampled_from(DATES), st.just(""))),
       name=st.text(max_size=45), phone=st.one_of(mobiles, phone_like), party=st.text(max_size=4))
def test_any_register_row_is_imported_or_refused_with_a_chinese_reason_VIS6(desk, tmp_path, when, name, phone,
                                                                             party):
    path = tmp_path / "register.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["来访时间", "姓名", "手机", "人数"], [when, name, phone, party]])
    try:
        result = register_io.import_logs(desk.manager, desk.uow(), path=str(path))
    except ValidationError as e:  # a file with no row under its header: a blank or footer-like row
        assert_chinese(e)
        return
    for refusal in result.rejected:
        assert_chinese(refusal.reason)


@on_the_database
@given(name=st.text(max_size=45), intent=st.text(max_size=60), note=st.text(max_size=60),
       suffix=st.sampled_from(["csv", "xlsx"]))
def test_whatever_the_desk_keeps_exports_and_reads_back_unchanged_VIS5_VIS6(desk, tmp_path_factory, name, intent,
                                                                            note, suffix):
    from datetime import timedelta as minutes

    from app import clock
    from app.models.visitors import Visit
    from app.services.visitors.visitor_logs import LogQuery
    from tests.unit.helpers import fetch

    clock.advance(minutes(minutes=1))
    try:
        done = walk_in(desk, "13812345678", name, intent=intent, note=note)
    except ValidationError as e:
        assert_chinese(e)
        return
    [kept] = fetch(desk, Visit, id=done.visit_id)
    path = tmp_path_factory.mktemp("export") / f"register.{suffix}"
    register_io.export_logs(desk.manager, desk.uow(), LogQuery(phone="13812345678"), path=str(path), reason="核对")
    layout = register_file.inspect(str(path))
    newest = [register_file.text(v) for v in next(register_file.rows(str(path), layout.header_row))[1]]
    columns = register_file.COLUMNS
    assert (newest[columns.index("姓名")], newest[columns.index("意向")], newest[columns.index("备注")]) \
        == (kept.name, kept.intent, kept.note)
