"""Roles and what each may do (SEC-2): anything not granted is denied."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.errors import PermissionDenied
from app.i18n import N_, _


class Role(StrEnum):
    RECEPTIONIST = "receptionist"
    CONSULTANT = "consultant"
    DOCENT = "docent"
    CLEANER = "cleaner"
    SECURITY = "security"
    MAINTENANCE = "maintenance"
    ENGINEERING_LEAD = "engineering_lead"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"


ROLE_LABEL = {
    Role.RECEPTIONIST: N_("Reception"),
    Role.CONSULTANT: N_("Sales consultant"),
    Role.DOCENT: N_("Showroom docent"),
    Role.CLEANER: N_("Cleaner"),
    Role.SECURITY: N_("Security"),
    Role.MAINTENANCE: N_("Maintenance"),
    Role.ENGINEERING_LEAD: N_("Engineering lead"),
    Role.SUPERVISOR: N_("Customer-service supervisor"),
    Role.MANAGER: N_("Sales-office manager"),
}


class Perm(StrEnum):
    REGISTER_VISIT = "register_visit"
    CORRECT_VISIT = "correct_visit"
    VIEW_CUSTOMERS = "view_customers"  # full phone numbers and customer details (VIS-7)
    ROTATION = "rotation"
    RECORD_CALL = "record_call"
    FOLLOW_UP = "follow_up"
    CLAIM_CUSTOMER = "claim_customer"
    WATER_BAR = "water_bar"
    CHANGE_SETTINGS = "change_settings"
    MANAGE_STAFF = "manage_staff"
    BACKUP = "backup"
    RESTORE = "restore"  # replaces everyone's data and rights with a backup's: managers only
    VIEW_AUDIT = "view_audit"
    SEARCH_VISITOR_LOGS = "search_visitor_logs"  # the history of visits and calls; phones masked without VIEW_CUSTOMERS
    VIEW_FIGURES = "view_figures"  # traffic and the sales funnel (VIS-2, VIS-3)
    RECORD_DEAL = "record_deal"  # deposits (认购) and contracts (签约), and asking for a unit to be held
    CONFIRM_UNIT = "confirm_unit"  # unit control (销控): confirm a unit is free and hold it (VIS-8)
    EXPORT_REGISTER = "export_register"  # the visitor register to a file (VIS-5)
    IMPORT_REGISTER = "import_register"  # registers kept elsewhere into this one (VIS-6)
    SHOWROOM_CHECK = "showroom_check"  # do the model apartments' checks and the night patrol (SHW-2, SHW-9)
    MANAGE_SHOWROOM = "manage_showroom"  # the apartments, their item lists and the check templates (SHW-1, SHW-2)
    APPROVE_FOR_SERVICE = "approve_for_service"  # customer service's word on a settlement or a slip (SHW-4, SHW-6)
    APPROVE_FOR_MARKETING = "approve_for_marketing"  # marketing's word on a settlement (SHW-4)
    APPROVE_WORK_ORDER = "approve_work_order"  # the engineering lead's approval before workers enter (SHW-5)


PERM_LABEL = {
    Perm.REGISTER_VISIT: N_("register visitors"),
    Perm.CORRECT_VISIT: N_("correct registrations"),
    Perm.VIEW_CUSTOMERS: N_("see customers' details"),
    Perm.ROTATION: N_("change the rotation"),
    Perm.RECORD_CALL: N_("record phone calls"),
    Perm.FOLLOW_UP: N_("record follow-ups"),
    Perm.CLAIM_CUSTOMER: N_("claim customers"),
    Perm.WATER_BAR: N_("serve at the water bar"),
    Perm.CHANGE_SETTINGS: N_("change the settings"),
    Perm.MANAGE_STAFF: N_("manage staff accounts"),
    Perm.BACKUP: N_("make backups"),
    Perm.RESTORE: N_("restore a backup"),
    Perm.VIEW_AUDIT: N_("read the audit log"),
    Perm.SEARCH_VISITOR_LOGS: N_("search the visitor logs"),
    Perm.VIEW_FIGURES: N_("see traffic and sales figures"),
    Perm.RECORD_DEAL: N_("record deposits and contracts"),
    Perm.CONFIRM_UNIT: N_("confirm units are free (unit control)"),
    Perm.EXPORT_REGISTER: N_("export the visitor register"),
    Perm.IMPORT_REGISTER: N_("import visitor registers"),
    Perm.SHOWROOM_CHECK: N_("do the model apartments' checks"),
    Perm.MANAGE_SHOWROOM: N_("keep the model apartments' item lists and check templates"),
    Perm.APPROVE_FOR_SERVICE: N_("approve settlements and release slips for customer service"),
    Perm.APPROVE_FOR_MARKETING: N_("approve settlements for marketing"),
    Perm.APPROVE_WORK_ORDER: N_("approve work orders"),
}

_DESK = {Perm.REGISTER_VISIT, Perm.CORRECT_VISIT, Perm.ROTATION, Perm.RECORD_CALL, Perm.WATER_BAR,
         Perm.SEARCH_VISITOR_LOGS}
GRANTS: dict[Role, frozenset[Perm]] = {
    Role.RECEPTIONIST: frozenset(_DESK),
    Role.CONSULTANT: frozenset({Perm.REGISTER_VISIT, Perm.VIEW_CUSTOMERS, Perm.RECORD_CALL, Perm.FOLLOW_UP,
                                Perm.CLAIM_CUSTOMER, Perm.SEARCH_VISITOR_LOGS, Perm.RECORD_DEAL}),
    Role.DOCENT: frozenset({Perm.WATER_BAR, Perm.SHOWROOM_CHECK}),
    Role.CLEANER: frozenset(),
    Role.SECURITY: frozenset({Perm.SHOWROOM_CHECK}),  # the night patrol
    Role.MAINTENANCE: frozenset(),
    Role.ENGINEERING_LEAD: frozenset({Perm.APPROVE_WORK_ORDER}),
    Role.SUPERVISOR: frozenset(_DESK | {Perm.VIEW_CUSTOMERS, Perm.FOLLOW_UP, Perm.BACKUP, Perm.VIEW_AUDIT,
                                      Perm.VIEW_FIGURES, Perm.EXPORT_REGISTER, Perm.SHOWROOM_CHECK,
                                      Perm.MANAGE_SHOWROOM, Perm.APPROVE_FOR_SERVICE}),
    # Managers may do everything but own customers (ownership belongs to the consultants, REC-7) and approve
    # work orders (the developer's engineering lead does, SHW-5); they speak for marketing (营销中心).
    Role.MANAGER: frozenset(set(Perm) - {Perm.CLAIM_CUSTOMER, Perm.APPROVE_WORK_ORDER}),
}


# The front-desk kiosk faces the public: whoever signs in there, customers' details stay masked (VIS-7).
# Sales figures and deals are the office's business, not the public's.
KIOSK_WITHHELD = frozenset({Perm.VIEW_CUSTOMERS, Perm.VIEW_AUDIT, Perm.MANAGE_STAFF, Perm.BACKUP, Perm.RESTORE,
                            Perm.VIEW_FIGURES, Perm.RECORD_DEAL, Perm.CONFIRM_UNIT, Perm.EXPORT_REGISTER, Perm.IMPORT_REGISTER})


@dataclass(frozen=True)
class Actor:
    """The signed-in staff member every service call names, and whether they sit at the kiosk."""

    id: int
    name: str
    role: Role
    at_kiosk: bool = False

    def can(self, perm: Perm) -> bool:
        if self.at_kiosk and perm in KIOSK_WITHHELD:
            return False
        return perm in GRANTS.get(self.role, frozenset())


def require(actor: Actor | None, perm: Perm) -> None:
    if actor is None or not actor.can(perm):
        raise PermissionDenied(_("You are not allowed to %s.") % _(PERM_LABEL[perm]))


def require_any(actor: Actor | None, *perms: Perm) -> None:
    """Allowed when any one of `perms` is granted."""
    if actor is None or not any(actor.can(p) for p in perms):
        require(actor, perms[0])
