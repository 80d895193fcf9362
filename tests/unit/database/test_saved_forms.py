"""A form saved twice with the same token is written once (SEC-6): the retry after a lost connection, or the button
pressed again, answers with the first save's result."""
from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest

from app import clock
from app.domain.rotation import Kind
from app.errors import Conflict, ValidationError
from app.models.audit import AuditEntry, SavedForm
from app.models.bar import BarSeating, BarServing
from app.models.rotation import RotationEvent
from app.models.visitors import Call, Customer, Visit
from app.permissions import Actor
from app.services.reception import bar, followups, visits
from app.services.reception.visits import Registration
from app.database.uow import UnitOfWork
from tests import backend
from tests.conftest import TEN_AM
from tests.unit.helpers import fetch, refused, sign_in
from tests.unit.reception.test_races import _race


def _register(office, token: str, phone: str = "13812345678") -> visits.VisitResult:
    return visits.register(office.receptionist, office.uow(), Registration(name="王先生", phone=phone), token=token)


def test_a_registration_saved_again_with_its_token_is_written_once_and_answers_the_same_SEC6(office):
    a, b = office.consultants[:2]
    sign_in(office, a, b)
    token = str(uuid.uuid4())
    first = _register(office, token)
    again = _register(office, token)
    assert again == first and again.route is Kind.ASSIGN
    assert len(fetch(office, Visit)) == 1 and len(fetch(office, Customer)) == 1
    assert len(fetch(office, RotationEvent, kind="assign")) == 1  # the rotation moved once
    assert len(fetch(office, AuditEntry, action="visits.register")) == 1
    [saved] = fetch(office, SavedForm)
    assert (saved.token, saved.action) == (token, "visits.register")


def test_a_form_changed_after_its_save_answer_was_lost_is_refused_not_saved_twice_or_silently_SEC6(office):
    """The party was registered but the answer lost; the desk then changed the name and pressed again."""
    sign_in(office, office.consultants[0])
    token = str(uuid.uuid4())
    _register(office, token)
    with refused(office, Conflict, match="已经按当时的内容保存"):
        visits.register(office.receptionist, office.uow(), Registration(name="王建国", phone="13812345678"),
                        token=token)
    assert [v.name for v in fetch(office, Visit)] == ["王先生"]


def test_a_new_token_registers_the_next_party_SEC6(office):
    a, b = office.consultants[:2]
    sign_in(office, a, b)
    first = _register(office, str(uuid.uuid4()))
    second = _register(office, str(uuid.uuid4()), phone="13912345678")
    assert first.visit_id != second.visit_id and {first.consultant_id, second.consultant_id} == {a.id, b.id}


def test_a_refused_save_stores_no_token_and_the_corrected_retry_saves_SEC6(office):
    sign_in(office, office.consultants[0])
    token = str(uuid.uuid4())
    with refused(office, ValidationError):
        visits.register(office.receptionist, office.uow(), Registration(name="", phone="13812345678"), token=token)
    assert _register(office, token).consultant_id == office.consultants[0].id
    assert len(fetch(office, Visit)) == 1


def test_a_call_saved_again_with_its_token_is_logged_once_with_its_appointment_SEC6(office):
    token = str(uuid.uuid4())
    appointment = clock.now() + timedelta(days=1)
    save = lambda: followups.record_call(office.receptionist, office.uow(), phone="13712345678",  # noqa: E731
                                         name="赵先生", channel="phone", consultant_id=office.consultants[0].id,
                                         appointment_at=appointment, token=token)
    first = save()
    again = save()
    assert again == first and again.appointment_at == appointment
    assert len(fetch(office, Call)) == 1


def test_a_water_bar_seating_saved_again_is_not_refused_as_taken_and_seats_once_SEC6(office):
    table = bar.tables(office.receptionist, office.uow())[0]
    seat_token, serve_token = str(uuid.uuid4()), str(uuid.uuid4())
    for _attempt in range(2):
        bar.seat(office.receptionist, office.uow(), table_id=table.table_id, party="王先生一家", party_size=3,
                 token=seat_token)
    for _attempt in range(2):
        bar.serve(office.receptionist, office.uow(), table_id=table.table_id, item="tea", quantity=3,
                  token=serve_token)
    assert len(fetch(office, BarSeating)) == 1 and len(fetch(office, BarServing)) == 1


def test_a_token_that_is_not_a_form_s_is_refused_in_chinese(office):
    with refused(office, ValidationError):
        _register(office, "not-a-token")


def test_saved_forms_older_than_a_week_are_pruned_by_the_next_save_SEC6(office):
    sign_in(office, *office.consultants[:2])
    old = str(uuid.uuid4())
    _register(office, old)
    clock.freeze(TEN_AM + timedelta(days=8))
    sign_in(office, office.consultants[0])
    recent = str(uuid.uuid4())
    _register(office, recent, phone="13912345678")
    assert [s.token for s in fetch(office, SavedForm)] == [recent]


def _register_with_token(actor: Actor, uow: UnitOfWork, token: str) -> tuple:
    result = visits.register(actor, uow, Registration(name="林女士", phone="13612345678"), token=token)
    return result.visit_id, result.customer_id


def test_two_stations_saving_the_same_form_at_once_write_it_once_SEC6(office):
    """A retry racing the first try (two processes, one token): one visit, and both are told of it."""
    sign_in(office, *office.consultants[:2])
    token = str(uuid.uuid4())
    outcomes = _race(office, [token, token], works=[_register_with_token, _register_with_token])
    assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
    assert outcomes[0][1:] == outcomes[1][1:]
    assert len(fetch(office, Visit)) == 1 and len(fetch(office, RotationEvent, kind="assign")) == 1


@pytest.mark.skipif(not backend.ON_POSTGRES, reason="on SQLite the token is looked up under the write lock, so a "
                                                     "second try cannot miss a first one still in progress")
def test_a_retry_that_missed_the_first_try_still_in_progress_gives_way_to_it_SEC6(office):
    """PostgreSQL: the second try looks before the first commits; its token clashes at commit, its work is rolled
    back and it answers with the first try's result."""
    token = str(uuid.uuid4())
    first_in, second_looked, first_wrote = threading.Event(), threading.Event(), threading.Event()
    answers: dict[str, object] = {}

    def attempt(name: str, uow: UnitOfWork) -> None:
        def save() -> str:
            with uow:  # the token was looked up on entering
                if name == "first":
                    first_in.set()
                    second_looked.wait(10)
                    uow.audit(None, "test.save", name)
                    first_wrote.set()
                else:
                    second_looked.set()
                    first_wrote.wait(10)
                    uow.audit(None, "test.save", name)  # waits until the first try commits
                uow.commit(name)
                return name

        answers[name] = uow.once(token, "test.save", None, save)

    first = threading.Thread(target=attempt, args=("first", office.uow()))
    first.start()
    first_in.wait(10)
    second = threading.Thread(target=attempt, args=("second", office.uow()))
    second.start()
    first.join(30)
    second.join(30)
    assert answers == {"first": "first", "second": "first"}
    assert [e.target for e in fetch(office, AuditEntry, action="test.save")] == ["first"]
