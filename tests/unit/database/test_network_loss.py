"""Pulling the network in the middle of a save (SEC-6): a station reaches PostgreSQL through a TCP relay that the test
cuts, before a save or just after the station sends COMMIT (the server commits, its answer is lost). The station
is told clearly, and its retry with the form's token writes the registration exactly once."""
from __future__ import annotations

import socket
import threading
import uuid

import pytest
from sqlalchemy.engine import make_url

from app import cli
from app.database.engine import make_engine, session_factory
from app.errors import Unreachable
from app.models.rotation import RotationEvent
from app.models.visitors import Customer, Visit
from app.services.reception import visits
from app.services.reception.visits import Registration
from app.database.uow import UnitOfWork
from tests import backend
from tests.unit.helpers import assert_chinese, fetch, refused, sign_in

pytestmark = pytest.mark.skipif(not backend.ON_POSTGRES, reason="a network to pull exists only between a station "
                                                                 "and a PostgreSQL server (the second test pass)")

# The simple-protocol query libpq sends for psycopg's commit(): 'Q', its length, the text.
COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"


class _Line:
    """One relayed connection: the station's socket and the server's."""

    def __init__(self, station: socket.socket, server: socket.socket) -> None:
        self.station, self.server = station, server
        self.answer_lost = False

    def close(self) -> None:
        for s in (self.station, self.server):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


class Relay:
    """A loopback TCP relay between the station and the server, with the network cable in the test's hand."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lines: list[_Line] = []
        self._lock = threading.Lock()
        self.down = False
        self._lose_next_commit_answer = False
        self.commit_answers_lost = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        """The cable pulled: every connection dies, and new ones are closed at once."""
        self.down = True
        with self._lock:
            lines, self._lines = self._lines, []
        for line in lines:
            line.close()

    def mend(self) -> None:
        self.down = False

    def lose_next_commit_answer(self) -> None:
        """The next COMMIT reaches the server, which commits; its answer is dropped and the line goes dead."""
        self._lose_next_commit_answer = True

    def close(self) -> None:
        self.cut()
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                station, _address = self._listener.accept()
            except OSError:
                return
            if self.down:
                station.close()
                continue
            line = _Line(station, socket.create_connection(self._target))
            with self._lock:
                self._lines.append(line)
            threading.Thread(target=self._upstream, args=(line,), daemon=True).start()
            threading.Thread(target=self._downstream, args=(line,), daemon=True).start()

    def _upstream(self, line: _Line) -> None:
        try:
            while data := line.station.recv(65536):
                if self._lose_next_commit_answer and COMMIT in data:
                    self._lose_next_commit_answer = False
                    line.answer_lost = True
                line.server.sendall(data)
        except OSError:
            pass

    def _downstream(self, line: _Line) -> None:
        try:
            while data := line.server.recv(65536):
                if line.answer_lost:  # the server has answered the COMMIT: it committed
                    self.commit_answers_lost += 1
                    line.close()
                    return
                line.station.sendall(data)
        except OSError:
            pass


@pytest.fixture
def relay(office):
    url = office.engine.url
    relay = Relay(url.host, url.port)
    yield relay
    relay.close()


@pytest.fixture
def station(office, relay):
    """A station's engine that reaches the office's server through the relay (no TLS, so COMMIT can be seen)."""
    url = office.engine.url.set(host="127.0.0.1", port=relay.port).update_query_dict({"sslmode": "disable"})
    engine = make_engine(url.render_as_string(hide_password=False))
    yield lambda: UnitOfWork(session_factory(engine))
    engine.dispose()


REG = Registration(name="王先生", phone="13812345678", intent="三居室")


def _db_check_passes(office, capsys) -> bool:
    code = cli.main(["--db", office.engine.url.render_as_string(hide_password=False), "db", "check"])
    capsys.readouterr()
    return code == 0


def _written_once(office) -> None:
    assert len(fetch(office, Visit)) == 1 and len(fetch(office, Customer)) == 1
    assert len(fetch(office, RotationEvent, kind="assign")) == 1  # the rotation moved once


def test_a_save_with_the_network_pulled_is_refused_clearly_and_the_retry_writes_once_SEC6(office, relay, station,
                                                                                          capsys):
    sign_in(office, *office.consultants[:2])
    token = str(uuid.uuid4())
    visits.todays_visits(office.receptionist, station())  # the station is connected and working
    relay.cut()
    with refused(office, Unreachable) as info:
        visits.register(office.receptionist, station(), REG, token=token)
    assert "无法连接数据库服务器" in str(info.value)

    relay.mend()
    first = visits.register(office.receptionist, station(), REG, token=token)
    again = visits.register(office.receptionist, station(), REG, token=token)
    assert again == first and first.consultant_id == office.consultants[0].id
    _written_once(office)
    assert _db_check_passes(office, capsys)


def test_a_commit_whose_answer_is_lost_is_not_written_again_by_the_retry_SEC6(office, relay, station, capsys):
    sign_in(office, *office.consultants[:2])
    token = str(uuid.uuid4())
    relay.lose_next_commit_answer()
    with pytest.raises(Unreachable) as info:
        visits.register(office.receptionist, station(), REG, token=token)
    assert_chinese(info.value)
    assert relay.commit_answers_lost == 1
    [visit] = fetch(office, Visit)  # the server did commit

    retried = visits.register(office.receptionist, station(), REG, token=token)
    assert retried.visit_id == visit.id and retried.consultant_id == office.consultants[0].id
    _written_once(office)
    assert _db_check_passes(office, capsys)
