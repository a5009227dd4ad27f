"""Who may see or change what: the one place the rule is written (docs/architecture.md).

The rule has two forms, side by side here and nowhere else:
- SQL (`feed_filter`, `record_filter`) for pull, lists, queues and exports;
- a predicate over one record's scope (`may_see`, `change_refusal`) for push policy, the
  workflow, quarantine and photos.
tests/auth/test_visibility.py checks that both forms agree, role × district ×
own/assigned/other × entity.

Who sees a record:
- reference data (categories, checklist templates): everyone signed in;
- a survey form version: the users it is given to (`form_given`: its roles and districts, an
  empty list meaning all; admins: every form);
- a village: users whose districts hold it (admins: every village);
- a visit, an inspection or a survey: its author, and supervisors of its district (admins: all);
- a concern: its author, its assignee, and every user whose districts hold it;
- a follow-up entry: whoever sees its concern (its scope is the concern's scope);
- the public, without signing in: live concerns and inspections, anonymised, surveys of
  public forms (closed answers only), and the
  derivatives of photos a supervisor marked publishable (`public_filter`,
  `public_photo_filter`).
- a photo: its uploader, and whoever sees a live record naming it; the original (it keeps GPS
  EXIF) only its uploader and supervisors or admins who see such a record;
- a quarantined mutation: its author and supervisors of its district (admins: all);
- a conflict: supervisors of its record's district (admins: all).
- a record's history (every write, field by field, naming users and devices): supervisors of
  its district (admins: all), never officials; reporter names and phones in it as
  `sees_personal_data` says.

Who may change one: a create needs the record's district in the user's districts (a
follow-up: a concern the user sees); an update or delete needs its author, a supervisor of its
district, or (a concern) its assignee; follow-up entries are never changed. Workflow steps are
checked by `fieldapp.followup.transitions` with `supervises` from here. Reporter names and
phones are shown to the record's author and to roles with the personal-data permission who see
the record. A concern is assigned only to an active official or supervisor whose districts
hold it. A villager's word on a concern's fix (the `confirm_fix` step) is recorded by an official
or supervisor whose districts hold the concern (admins: anywhere) or by its assignee
(`hears_villagers`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, or_, select, true

from fieldapp.auth.access import ROLE_PERMISSIONS, Permission
from fieldapp.models import Concern, FollowupEntry, Form, Inspection, Role, Survey, User, Visit
from fieldapp.models.user import user_districts
from sync import Actor

SHARED = ("category", "template", "form")  # a form's content: only where `form_given`
# Seen by their author and their district's supervisors (a quarantine entry's author: the
# user whose mutation it holds).
AUTHORED = ("visit", "inspection", "survey", "quarantine")
CONCERN_SCOPED = ("concern", "followup")  # a follow-up has its concern's scope
PUSHABLE = ("visit", "inspection", "survey", "concern", "followup")
DISTRICT_ONLY = ("village",)
SUPERVISED_ONLY = ("conflict",)
ENTITIES = PUSHABLE + DISTRICT_ONLY + SHARED + ("quarantine",) + SUPERVISED_ONLY
Asked = Callable[[], bool]  # a question answered from the database, asked only when needed
# The author column of a table, where it is not `created_by_id`.
OWNER_COLUMNS = {"quarantine": "user_id"}
# Records a photo may be linked to (PhotoLink.entity -> its table).
PHOTO_HOLDERS = {
    "visit": Visit.__table__,
    "inspection": Inspection.__table__,
    "concern": Concern.__table__,
    "followup": FollowupEntry.__table__,
    "survey": Survey.__table__,
}


@dataclass(frozen=True, slots=True)
class Scope:
    """The values visibility is decided on. For a follow-up: those of its concern."""

    entity: str
    district_code: str | None
    owner_id: int | None = None  # the author (a follow-up: its concern's author)
    assignee_id: int | None = None  # a concern's assignee (a follow-up: its concern's)


def actor_for(user: User, device_id: str) -> Actor:
    """The user behind a request, reduced to what the rules need (an inactive user: nothing)."""
    permissions = ROLE_PERMISSIONS.get(user.role, frozenset()) if user.active else frozenset()
    return Actor(
        user_id=user.id,
        role=str(user.role),
        device_id=device_id,
        district_codes=frozenset(user.district_codes),
        province_wide=user.province_wide,
        permissions=frozenset(str(p) for p in permissions),
    )


def acting_for(author_id: int, device_id: str) -> Actor:
    """An admin re-applying a quarantined mutation: as its author, with an admin's authority."""
    return Actor(
        user_id=author_id,
        role=str(Role.ADMIN),
        device_id=device_id,
        province_wide=True,
        permissions=frozenset(str(p) for p in ROLE_PERMISSIONS[Role.ADMIN]),
    )


def supervises(actor: Actor, district_code: str | None) -> bool:
    """May supervise records of this district: a supervisor of it, or an admin."""
    return actor.may(Permission.SUPERVISE) and actor.in_scope(district_code)


def may_review(actor: Actor, scope: Scope) -> bool:
    """Approve a visit or inspection, or ask for a re-inspection: a supervisor of its district
    (an admin anywhere), never of their own work."""
    return (
        scope.entity in AUTHORED
        and scope.owner_id != actor.user_id
        and supervises(actor, scope.district_code)
    )


def hears_villagers(actor: Actor, scope: Scope) -> bool:
    """Record a villager's word on a concern's fix (issue 13): one who records in the
    concern's districts (officials, supervisors; admins anywhere), or its assignee."""
    if scope.entity != "concern" or not actor.may(Permission.RECORD):
        return False
    return actor.in_scope(scope.district_code) or scope.assignee_id == actor.user_id


def may_publish_photo(actor: Actor, scope: Scope) -> bool:
    """Show a concern's photo on the public page (or withdraw it): a supervisor of the
    concern's district, or an admin; the author alone may not (a photo may show a villager)."""
    return scope.entity == "concern" and supervises(actor, scope.district_code)


# -- the predicate -----------------------------------------------------------------------------


def may_see(actor: Actor, scope: Scope) -> bool:
    if not actor.permissions:
        return False  # inactive
    entity = scope.entity
    if entity in SHARED:
        return True
    if entity in DISTRICT_ONLY:
        return actor.in_scope(scope.district_code)
    if entity in SUPERVISED_ONLY:
        return supervises(actor, scope.district_code)
    if scope.owner_id == actor.user_id:
        return True
    if entity in AUTHORED:
        return supervises(actor, scope.district_code)
    if entity in CONCERN_SCOPED:
        return actor.in_scope(scope.district_code) or scope.assignee_id == actor.user_id
    return False


def may_see_evidence(actor: Actor, concern: Scope, matched: Scope | None = None) -> bool:
    """A concern's evidence checks: whoever sees the concern. With `matched`, the concern
    whose photo an after-photo matched: named only to one who sees that concern too."""
    if concern.entity != "concern" or not may_see(actor, concern):
        return False
    return matched is None or may_see(actor, matched)


def form_given(actor: Actor, roles: list[str], district_codes: list[str]) -> bool:
    """A survey form is given to these roles and districts (an empty list: to all); admins
    get every form. Forms are few and read whole, so this has no SQL form: the feed carries
    every form's entries to everyone, and pull shows a form not given as out of scope."""
    if not actor.permissions:
        return False
    if actor.province_wide:
        return True
    if roles and actor.role not in roles:
        return False
    return not district_codes or bool(actor.district_codes & set(district_codes))


def may_see_photo(actor: Actor, uploaded_by_id: int | None, sees_a_holder: Asked) -> bool:
    """Thumb and display size: the uploader, or one who sees a live record naming the photo
    (`sees_a_holder`: asked only when needed; see `photo_holders_seen`)."""
    if not actor.permissions:
        return False
    return uploaded_by_id == actor.user_id or sees_a_holder()


def may_see_photo_original(actor: Actor, uploaded_by_id: int | None, sees_a_holder: Asked) -> bool:
    """The original keeps GPS EXIF: its uploader, or supervisors and admins who see a record
    naming it."""
    if not actor.permissions:
        return False
    if uploaded_by_id == actor.user_id:
        return True
    senior = actor.may(Permission.SUPERVISE) or actor.may(Permission.ADMINISTER)
    return senior and sees_a_holder()


def may_see_history(actor: Actor, scope: Scope) -> bool:
    """A record's history: supervisors of its district and admins who see the record. An
    official sees the timeline, not who changed which field from which phone."""
    return supervises(actor, scope.district_code) and may_see(actor, scope)


def sees_personal_data(actor: Actor, scope: Scope) -> bool:
    """Reporter name and phone: the author, and allowed roles who see the record."""
    if scope.owner_id == actor.user_id and scope.entity == "concern":
        return True
    return actor.may(Permission.SEE_PERSONAL_DATA) and may_see(actor, scope)


def change_refusal(
    actor: Actor, op: str, scope: Scope, created_by_id: int | None
) -> tuple[str, str] | None:
    """(reason, detail) when `actor` may not `op` the record with this scope, else None.

    `created_by_id` is the record's own author (for a follow-up, `scope.owner_id` is its
    concern's author)."""
    if scope.entity == "followup":
        if op != "create":
            return "append_only", "Follow-up entries cannot be changed or deleted."
        if not may_see(actor, scope):
            return "out_of_scope", "The concern is outside your districts."
        return None
    if not actor.in_scope(scope.district_code):
        assigned = scope.entity == "concern" and scope.assignee_id == actor.user_id
        if op == "create" or not assigned:
            return "out_of_scope", f"District {scope.district_code} is outside your districts."
    if op == "create":
        return None
    if (
        created_by_id == actor.user_id
        or supervises(actor, scope.district_code)
        or (scope.entity == "concern" and scope.assignee_id == actor.user_id)
    ):
        return None
    return "forbidden", f"Only its author or a supervisor may {op} this record."


# -- the SQL form ------------------------------------------------------------------------------


def _in_districts(actor: Actor, district: Any) -> ColumnElement[bool]:
    if actor.province_wide:
        return true()
    if not actor.district_codes:
        return false()
    return district.in_(sorted(actor.district_codes))


def scope_clause(
    actor: Actor, entity: str | Any, district: Any, owner: Any, assignee: Any
) -> ColumnElement[bool]:
    """`may_see` as SQL over scope columns, branch for branch. `entity` is one entity name (a
    record table) or a column (the change feed: a CASE on it, each entity's own clause)."""
    if not actor.permissions:
        return false()
    if not isinstance(entity, str):
        # One test of the entity per row, then only that entity's columns: pull tests every
        # feed row it walks past.
        clauses = {name: scope_clause(actor, name, district, owner, assignee) for name in ENTITIES}
        return case(clauses, value=entity, else_=false())
    if entity in SHARED:
        return true()
    in_districts = _in_districts(actor, district)
    if entity in DISTRICT_ONLY:
        return in_districts
    supervised = in_districts if actor.may(Permission.SUPERVISE) else false()
    if entity in SUPERVISED_ONLY:
        return supervised
    own = owner == actor.user_id if owner is not None else false()
    if entity in AUTHORED:
        return or_(own, supervised)
    if entity in CONCERN_SCOPED:
        assigned = assignee == actor.user_id if assignee is not None else false()
        return or_(own, in_districts, assigned)
    return false()


def feed_filter(actor: Actor, columns: Any) -> ColumnElement[bool]:
    """Change-feed rows (`entity`, `district_code`, `owner_id`, `assignee_id`) the actor sees."""
    return scope_clause(
        actor, columns.entity, columns.district_code, columns.owner_id, columns.assignee_id
    )


def record_filter(actor: Actor, entity: str, table: Any) -> ColumnElement[bool]:
    """Rows of a record table the actor sees (lists, queues, exports). A follow-up is seen
    with its concern: the filter reads the concern's columns through a subquery."""
    c = table.c
    if entity == "followup":
        concerns = Concern.__table__
        visible = select(concerns.c.id).where(record_filter(actor, "concern", concerns))
        return c.concern_id.in_(visible)
    district = c.district_code if "district_code" in c else None
    owner_column = OWNER_COLUMNS.get(entity, "created_by_id")
    owner = c.get(owner_column)
    assignee = c.assignee_id if "assignee_id" in c else None
    return scope_clause(actor, entity, district, owner, assignee)


def record_filter_parts(actor: Actor, entity: str, table: Any) -> list[ColumnElement[bool]]:
    """`record_filter` as disjoint parts whose OR is `record_filter`: the user's districts,
    then their own records outside them, then (a concern) those assigned to them outside both.

    A database answers an OR across columns by visiting every row it matches; each part alone
    is read from an index led by its column, and counts add up because no row is in two
    parts (the concern queue, fieldapp/followup/queue.py)."""
    c = table.c
    if entity not in ("concern", *AUTHORED) or actor.province_wide or not actor.permissions:
        return [record_filter(actor, entity, table)]
    owner = c[OWNER_COLUMNS.get(entity, "created_by_id")]
    districts = sorted(actor.district_codes)
    parts: list[ColumnElement[bool]] = []
    outside: list[ColumnElement[bool]] = []
    if districts and (entity == "concern" or actor.may(Permission.SUPERVISE)):
        parts.append(c.district_code.in_(districts))
        outside.append(c.district_code.not_in(districts))
    parts.append(and_(owner == actor.user_id, *outside))
    if entity == "concern":
        not_own = or_(owner.is_(None), owner != actor.user_id)
        parts.append(and_(c.assignee_id == actor.user_id, not_own, *outside))
    return parts


def personal_data_filter(actor: Actor, table: Any) -> ColumnElement[bool]:
    """`sees_personal_data` as SQL over a concern table: rows whose reporter name and phone
    the actor may read (an export shows them only where this holds)."""
    own = table.c.created_by_id == actor.user_id
    if not actor.may(Permission.SEE_PERSONAL_DATA):
        return own
    return or_(own, record_filter(actor, "concern", table))


# -- the public --------------------------------------------------------------------------------

# Anonymised by the reader: a concern without reporter, author, assignee or staff notes; an
# inspection as its scores only (docs/open311.md, docs/open-data.md).
PUBLIC = ("concern", "inspection", "survey")


def public_filter(entity: str, table: Any) -> ColumnElement[bool]:
    """Rows anyone may see without signing in (anonymised by the reader): live concerns,
    Clean & Tidy inspections, and surveys of forms an admin marked public (their closed
    answers only: docs/open-data.md)."""
    if entity not in PUBLIC:
        return false()
    if entity == "survey":
        forms = Form.__table__
        public_forms = select(forms.c.form_key).where(forms.c.public.is_(True))
        return and_(table.c.deleted.is_(False), table.c.form_key.in_(public_forms))
    return table.c.deleted.is_(False)


def public_photo_filter(links: Any) -> ColumnElement[bool]:
    """Photo links whose derivatives (never the original) the public may see: marked
    publishable by a supervisor, on a concern the public sees."""
    concerns = Concern.__table__
    public = select(concerns.c.id).where(public_filter("concern", concerns))
    return and_(
        links.c.publishable.is_(True),
        links.c.entity == "concern",
        links.c.record_id.in_(public),
    )


def photo_holders_seen(actor: Actor, links: Any) -> ColumnElement[bool]:
    """Photo links (rows of `links`, the photo_links table) naming a live record the actor
    sees."""
    return or_(
        *(
            and_(
                links.c.entity == entity,
                links.c.record_id.in_(
                    select(t.c.id).where(t.c.deleted.is_(False), record_filter(actor, entity, t))
                ),
            )
            for entity, t in PHOTO_HOLDERS.items()
        )
    )


def scope_of(entity: str, record: Any, concern: Any = None) -> Scope:
    """The Scope of a loaded record (a sync Record, an ORM object or a row). A follow-up needs
    its concern."""
    if entity == "followup":
        if concern is None:
            return Scope(entity, _value(record, "district_code"))
        return Scope(
            entity,
            _value(concern, "district_code"),
            _value(concern, "created_by_id"),
            _value(concern, "assignee_id"),
        )
    return Scope(
        entity,
        _value(record, "district_code"),
        _value(record, OWNER_COLUMNS.get(entity, "created_by_id")),
        _value(record, "assignee_id") if entity == "concern" else None,
    )


def _value(record: Any, name: str) -> Any:
    if isinstance(record, Mapping):  # a record as JSON, or a row's mapping
        return record.get(name)
    values = getattr(record, "values", None)  # a sync Record keeps its fields in `values`
    if isinstance(values, dict) and name in values:
        return values[name]
    return getattr(record, name, None)


# -- assignment --------------------------------------------------------------------------------


def may_be_assigned(user: User, district_code: str | None) -> bool:
    """A concern goes only to an active official or supervisor whose districts hold it."""
    return (
        user.active
        and user.role in (Role.OFFICIAL, Role.SUPERVISOR)
        and district_code is not None
        and district_code in user.district_codes
    )


def eligible_assignees(district_code: str) -> Any:
    """The users a concern of this district may be assigned to, as a select of User."""
    return (
        select(User)
        .join(user_districts, user_districts.c.user_id == User.id)
        .where(
            User.active.is_(True),
            User.role.in_((Role.OFFICIAL, Role.SUPERVISOR)),
            user_districts.c.district_code == district_code,
        )
        .order_by(User.display_name, User.id)
    )


__all__ = [
    "Scope",
    "acting_for",
    "actor_for",
    "change_refusal",
    "eligible_assignees",
    "feed_filter",
    "form_given",
    "hears_villagers",
    "may_be_assigned",
    "may_review",
    "may_see",
    "may_see_history",
    "may_see_photo",
    "may_see_photo_original",
    "personal_data_filter",
    "photo_holders_seen",
    "public_filter",
    "public_photo_filter",
    "record_filter",
    "record_filter_parts",
    "scope_clause",
    "scope_of",
    "sees_personal_data",
    "supervises",
]
