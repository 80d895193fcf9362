"""Staff accounts and PIN sign-in (SEC-1): salted argon2 hashes, lockout after repeated wrong PINs."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock, validation
from app.errors import NotFound, PermissionDenied, ValidationError
from app.i18n import _
from app.models.office import SettingValue
from app.models.staff import Staff
from app.permissions import Actor, Perm, Role, require
from app.domain.rotation import Event, Kind
from app.services import settings
from app.services.reception import rotation
from app.database.audit_chain import pin_mark
from app.database.uow import UnitOfWork

_hasher = PasswordHasher()


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    role: Role
    active: bool


def _check_pin(pin: str) -> str:
    pin = validation.ascii_digits(pin.strip())
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValidationError(_("A PIN has 4 to 8 digits."), field="pin")
    return pin


def create_staff(actor: Actor | None, uow: UnitOfWork, *, name: str, role: Role, pin: str) -> StaffRow:
    """Add a staff member. The very first account of a new office needs no actor and must be a manager."""
    name, pin = validation.staff_name(name), _check_pin(pin)
    with uow:
        if actor is None:
            if uow.session.scalar(select(Staff.id).limit(1)) is not None:
                raise PermissionDenied(_("Only a manager can add staff accounts."))
            if role != Role.MANAGER:
                raise ValidationError(_("The first account of an office must be a manager."))
        else:
            require(actor, Perm.MANAGE_STAFF)
        staff = Staff(name=name, role=str(role), pin_hash=_hasher.hash(pin), created_at=clock.now())
        uow.session.add(staff)
        uow.session.flush()
        # Role and PIN digest: the staff table is checked against the newest entry of each account (SEC-2).
        uow.audit(actor.id if actor else None, "staff.create", f"staff:{staff.id}",
                  after={"name": name, "role": str(role), "pin": pin_mark(staff.pin_hash)})
        uow.commit()
        return StaffRow(staff.id, staff.name, Role(staff.role), staff.active)


def add_named_consultant(uow: UnitOfWork, name: str, *, by: Actor | None) -> int:
    """A consultant an imported register names but the office has no account for, made inside the import's
    transaction. The PIN is random and told to nobody: a manager sets one before the consultant signs in."""
    staff = Staff(name=validation.staff_name(name), role=str(Role.CONSULTANT), pin_hash=_hasher.hash(secrets.token_hex(16)),
                  created_at=clock.now())
    uow.session.add(staff)
    uow.session.flush()
    uow.audit(by.id if by else None, "staff.create", f"staff:{staff.id}",
              after={"name": staff.name, "role": staff.role, "pin": pin_mark(staff.pin_hash), "source": "import"})
    return staff.id


def list_staff(uow: UnitOfWork, *, role: Role | None = None, include_inactive: bool = False) -> list[StaffRow]:
    """Staff for the sign-in picker (names and roles only); the staff dialog also lists former staff.

    Read without the write lock: panels ask for it on the GUI thread while they are built.
    """
    q = select(Staff.id, Staff.name, Staff.role, Staff.active).order_by(Staff.role, Staff.id)
    if not include_inactive:
        q = q.where(Staff.active.is_(True))
    if role is not None:
        q = q.where(Staff.role == str(role))
    with uow.reading() as conn:
        return [StaffRow(s.id, s.name, Role(s.role), s.active) for s in conn.execute(q)]


def sign_in(uow: UnitOfWork, *, staff_id: int, pin: str) -> Actor:
    """Check a PIN. Wrong PINs count; too many lock the account for a while (SEC-1)."""
    with uow:
        # The row stays locked until the attempt is counted: PINs typed at once at several stations (or sent by
        # a script) are checked one after another, each seeing the failures counted before it.
        staff = _locked_row(uow, staff_id)
        _verify_pin(uow, staff, pin)
        uow.commit()  # the wrong PINs counted before this one are forgotten
        return Actor(staff.id, staff.name, Role(staff.role))


def _locked_row(uow: UnitOfWork, staff_id: int) -> Staff:
    """An active staff member's row, locked until the transaction ends."""
    staff = uow.session.scalar(select(Staff).where(Staff.id == staff_id).with_for_update())
    if staff is None or not staff.active:
        raise NotFound(_("No such staff member."))
    return staff


def _verify_pin(uow: UnitOfWork, staff: Staff, pin: str) -> None:
    """Refuse a wrong PIN, the failure counted and committed at once; too many lock the account for a while
    (SEC-1). A right one clears the count, to be committed by the caller with its work."""
    now = clock.now()
    if staff.locked_until is not None and staff.locked_until > now:
        minutes = max(1, int((staff.locked_until - now).total_seconds() + 59) // 60)
        raise PermissionDenied(_("Too many wrong PINs: this account is locked for %d more minutes.") % minutes)
    try:
        _hasher.verify(staff.pin_hash, validation.ascii_digits(pin.strip()))
    except (VerificationError, InvalidHashError):
        office = settings.load(uow.session)
        staff.failed_pins += 1
        left = office.lockout_attempts - staff.failed_pins
        if left <= 0:
            staff.failed_pins = 0
            staff.locked_until = now + timedelta(minutes=office.lockout_minutes)
            uow.audit(staff.id, "staff.locked", f"staff:{staff.id}")
            uow.commit()
            raise PermissionDenied(_("Too many wrong PINs: this account is locked for %d minutes.")
                                   % office.lockout_minutes) from None
        uow.commit()
        raise PermissionDenied(_("Wrong PIN. %d tries left before the account is locked.") % left) from None
    staff.failed_pins, staff.locked_until = 0, None


def set_active(actor: Actor, uow: UnitOfWork, *, staff_id: int, active: bool) -> StaffRow:
    """A manager lets someone go (their history stays) or takes them back; a consultant who leaves
    leaves today's rotation too (the one place a shared service reaches into a wing: the reception's)."""
    require(actor, Perm.MANAGE_STAFF)
    if staff_id == actor.id and not active:
        raise ValidationError(_("You cannot switch off your own account."))
    with uow:
        staff = uow.session.get(Staff, staff_id)
        if staff is None:
            raise NotFound(_("No such staff member."))
        if staff.active == active:
            raise ValidationError(_("Nothing was changed."))
        staff.active = active
        if not active and staff.role == Role.CONSULTANT:
            day = rotation.lock_day(uow.session, clock.today())
            if staff_id in rotation.current_queue(uow.session, day.day).order:
                rotation.append(uow.session, day, actor, Event(Kind.SIGN_OUT, staff_id),
                                reason=_("account switched off"))
                uow.touch("rotation")
        uow.audit(actor.id, "staff.set_active", f"staff:{staff_id}", before={"active": not active},
                  after={"active": active})
        uow.commit()
        return StaffRow(staff.id, staff.name, Role(staff.role), staff.active)


def change_pin(actor: Actor, uow: UnitOfWork, *, staff_id: int, new_pin: str, old_pin: str = "") -> None:
    """Everyone changes their own PIN by giving the current one first, checked as at sign-in (wrong ones count
    towards the lock): a station left signed in does not let a passer-by take the account over (SEC-1). A manager
    sets anyone else's, for a PIN forgotten."""
    own = staff_id == actor.id
    if not own:
        require(actor, Perm.MANAGE_STAFF)
    elif not old_pin.strip():
        raise ValidationError(_("Give your current PIN first: Account → Change my PIN asks for it."), field="old_pin")
    new_pin = _check_pin(new_pin)
    with uow:
        staff = _locked_row(uow, staff_id) if own else uow.session.get(Staff, staff_id)
        if staff is None:
            raise NotFound(_("No such staff member."))
        if own:
            _verify_pin(uow, staff, old_pin)
        staff.pin_hash = _hasher.hash(new_pin)
        staff.failed_pins, staff.locked_until = 0, None
        uow.audit(actor.id, "staff.change_pin", f"staff:{staff_id}", after={"pin": pin_mark(staff.pin_hash)})
        uow.commit()


def staff_names(session: Session) -> dict[int, str]:
    """id -> name of every staff member, for showing who did what."""
    return dict(session.execute(select(Staff.id, Staff.name)).all())


DEMO_SIGN_IN_KEY = "demo_sign_in"


def demo_actor(uow: UnitOfWork) -> Actor | None:
    """On a demo database (made by `salesoffice demo`) the window opens signed in as the demo receptionist.

    A real office's database never has this key, so there it returns None and the PIN is asked.
    """
    with uow:
        row = uow.session.get(SettingValue, DEMO_SIGN_IN_KEY)
        staff = uow.session.get(Staff, int(row.value)) if row is not None and row.value.isdigit() else None
        return Actor(staff.id, staff.name, Role(staff.role)) if staff is not None and staff.active else None


def has_staff(uow: UnitOfWork) -> bool:
    with uow:
        return uow.session.scalar(select(Staff.id).limit(1)) is not None
