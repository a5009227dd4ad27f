"""The application's rules for the engine: schemas, references, district scope, workflow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from marshmallow import EXCLUDE, ValidationError

from fieldapp.auth.visibility import (
    change_refusal,
    form_given,
    hears_villagers,
    may_be_assigned,
    scope_of,
    supervises,
)
from fieldapp.followup.locks import LOCKED, Lock, delete_lock, read_only, reported_locks
from fieldapp.followup.states import REPORTED_FIELDS
from fieldapp.followup.tracking import new_tracking_code
from fieldapp.followup.transitions import (
    ConcernState,
    DueDateRule,
    TransitionRequest,
    WorkflowActor,
    plan_transition,
)
from fieldapp.models import User
from fieldapp.schemas.messages import coded_errors, field_paths
from fieldapp.schemas.records import ENTITY_FIELDS, SERVER_FIELDS, WORKFLOW_ONLY, TransitionFields
from fieldapp.surveys.answers import check_answers, raised
from fieldapp.syncstore.tables import DEFAULTS
from sync import Actor, FieldProblems, Lookup, Mutation, Record, Rejection, TransitionPlan

INVALID = "One or more fields are invalid."
KNOWN_FIELDS = {
    entity: frozenset(f.data_key or name for name, f in schema.load_fields.items())
    for entity, schema in ENTITY_FIELDS.items()
}
# Fields a device may send as they are: known to the schema, neither workflow nor server-set.
SENDABLE = {
    entity: known - set(WORKFLOW_ONLY.get(entity, ())) - set(SERVER_FIELDS[entity])
    for entity, known in KNOWN_FIELDS.items()
}
_transition_schema = TransitionFields()
# Maps merged item by item (sync.policy.Policy.item_maps): an update sends only the items it
# changes, an item sent as null is removed.
ITEM_MAPS: dict[str, frozenset[str]] = {
    "inspection": frozenset({"scores"}),
    "survey": frozenset({"answers"}),
}
NO_MAPS: frozenset[str] = frozenset()


def merge_items(current: dict[str, Any] | None, sent: dict[str, Any]) -> dict[str, Any]:
    """The map after an update: the current items, those sent replacing or (None) removing."""
    merged = dict(current or {})
    for key, item in sent.items():
        if item is None:
            merged.pop(key, None)
        else:
            merged[key] = item
    return merged


@dataclass
class Template:
    id: int
    items: dict[str, int]  # item key -> max score
    grades: list[dict[str, Any]]
    active: bool = True

    @property
    def max_total(self) -> int:
        return sum(self.items.values())

    def grade(self, total: int) -> str | None:
        if not self.max_total:
            return None
        percent = 100 * total / self.max_total
        for grade in self.grades:
            if percent >= grade["min_percent"]:
                return grade["grade"]
        return None


@dataclass
class FormRef:
    """A form version a survey names: its questions by name, and who it is given to."""

    id: int
    form_key: str
    version: str
    title_th: str
    retired: bool
    roles: list[str]
    district_codes: list[str]
    questions: dict[str, dict[str, Any]]


@dataclass
class References:
    """Reference data the batch names, loaded by the store before the engine runs."""

    templates: dict[int, Template] = field(default_factory=dict)
    categories: set[str] = field(default_factory=set)
    forms: dict[int, FormRef] = field(default_factory=dict)
    # the users the batch's transitions name as assignees, their district codes known
    assignees: dict[int, User] = field(default_factory=dict)
    # (category_code, urgency) -> days, and today in Asia/Bangkok: the due date that
    # accepting or assigning a concern without one sets (fieldapp/clock.py).
    service_levels: dict[tuple[str, str], int] = field(default_factory=dict)
    today: date | None = None
    # concerns the batch resolves or closes: their after-photos, and the evidence checks
    # failed or pending on them (fieldapp/evidence/store.py)
    after_photos: dict[str, set[str]] = field(default_factory=dict)
    open_checks: dict[str, list[str]] = field(default_factory=dict)

    def after_photo_count(self, mutation: Mutation) -> int:
        named = set(self.after_photos.get(mutation.record_id, ()))
        for ref in mutation.photos:
            if ref.role == "after":
                (named.discard if ref.remove else named.add)(ref.sha256)
        return len(named)

    def due_date_rule(self, concern: Record) -> DueDateRule | None:
        if self.today is None:
            return None
        key = (concern.values.get("category_code"), concern.values.get("urgency"))
        return DueDateRule(self.today, self.service_levels.get(key))


def _refuse(locks: list[Lock | None]) -> None:
    """A `locked` Rejection naming each lock (fieldapp/followup/locks.py), if any."""
    problems = FieldProblems()
    for lock in locks:
        if lock is not None:
            problems.add(lock.field, lock.code, lock.message)
    if problems:
        first = next(iter(problems))
        raise Rejection(LOCKED, first.message, problems)


def _unsendable(entity: str, sent: dict[str, Any]) -> FieldProblems:
    """Per-field problems for the fields a device may not send."""
    errors = FieldProblems()
    workflow = WORKFLOW_ONLY.get(entity, ())
    server = SERVER_FIELDS[entity]
    for name in sent:
        if name in workflow:
            message = f"{name} is a workflow field: change it with a transition."
            errors.add(name, "workflow_field", message, field=name)
        elif name in server:
            errors.add(name, "server_field", f"{name} is set by the server.", field=name)
    known = KNOWN_FIELDS[entity]
    for name in sent:
        if name not in known and name not in errors:
            errors.add(name, "unknown_field", "Unknown field.")  # marshmallow's words
    return errors


class StorePolicy:
    def __init__(self, references: References, now: datetime) -> None:
        self.refs = references
        self.now = now

    # -- create and update --------------------------------------------------------------------

    def prepare(
        self, mutation: Mutation, record: Record | None, actor: Actor, lookup: Lookup
    ) -> dict[str, Any]:
        values = self._checked(mutation.entity, mutation.fields, record, lookup, actor, mutation)
        if record is not None:
            changed = [k for k, v in values.items() if record.values.get(k) != v]
            _refuse(reported_locks(record.entity, record.values, changed))
        return values

    def _checked(
        self,
        entity: str,
        sent: dict[str, Any],
        record: Record | None,
        lookup: Lookup,
        actor: Actor | None = None,
        mutation: Mutation | None = None,
    ) -> dict[str, Any]:
        """The values to store: validated, with the derived ones (an update: only those).
        A survey's checks also need who sends it and the mutation (`prepare` gives both)."""
        errors = FieldProblems()
        clean = sent
        if not sent.keys() <= SENDABLE[entity]:
            errors = _unsendable(entity, sent)
            clean = {k: v for k, v in sent.items() if k not in errors}
        try:
            data = ENTITY_FIELDS[entity].load(clean, partial=record is not None, unknown=EXCLUDE)
        except ValidationError as exc:
            errors.add_coded(*coded_errors(exc.messages))
            raise Rejection("validation", INVALID, errors) from None
        # A field the device may not send does not stop the checks below: the device hears
        # about every problem of the mutation at once.
        for name in self.item_maps(entity) & data.keys():
            data[name] = merge_items(record.values.get(name) if record else None, data[name])
        merged = dict(record.values) if record else dict(DEFAULTS[entity])
        merged.update(data)
        if entity == "survey":
            derived = self._derive_survey(data, merged, lookup, errors, record, actor, mutation)
        else:
            derived = getattr(self, f"_derive_{entity}")(data, merged, lookup, errors)
        if errors:
            raise Rejection("validation", INVALID, errors)
        if record is not None:
            data.update(derived)
            return data
        merged.update(derived)  # a create: every column, defaults for what was not sent
        return merged

    def _village_district(
        self, data: dict[str, Any], lookup: Lookup, errors: FieldProblems
    ) -> dict[str, Any]:
        if "village_id" not in data:
            return {}
        village = lookup.get("village", data["village_id"])
        if village is None or village.deleted:
            errors.add("village_id", "unknown_village", "Unknown village.")
            return {}
        return {"district_code": village.district_code}

    def _derive_visit(self, data, merged, lookup, errors) -> dict[str, Any]:
        return self._village_district(data, lookup, errors)

    def _derive_concern(self, data, merged, lookup, errors) -> dict[str, Any]:
        derived = self._village_district(data, lookup, errors)
        if merged.get("tracking_code") is None:
            # A create (or a row from before codes): a fresh code; a push that collides with
            # another's is retried whole (syncstore/push.py), drawing new codes.
            derived["tracking_code"] = new_tracking_code()
        if "category_code" in data and data["category_code"] not in self.refs.categories:
            errors.add("category_code", "unknown_category", "Unknown category.")
        if data.get("visit_id") and lookup.get("visit", data["visit_id"]) is None:
            errors.add("visit_id", "unknown_visit", "Unknown visit.")
        if not merged.get("reporter_consent"):
            for name in ("reporter_name", "reporter_phone"):
                if data.get(name):
                    message = "Only with the reporter's consent (reporter_consent: true)."
                    errors.add(name, "needs_consent", message)
                elif merged.get(name):
                    derived[name] = None  # consent withdrawn: the personal data goes
        return derived

    def _derive_inspection(self, data, merged, lookup, errors) -> dict[str, Any]:
        derived = self._village_district(data, lookup, errors)
        if data.get("reinspection_of_id") and (
            lookup.get("inspection", data["reinspection_of_id"]) is None
        ):
            errors.add("reinspection_of_id", "unknown_inspection", "Unknown inspection.")
        template = self.refs.templates.get(merged.get("template_id"))
        if template is None:
            errors.add("template_id", "unknown_template", "Unknown checklist template.")
            return derived
        if "template_id" in data and not template.active:
            message = "This checklist template is retired."
            errors.add("template_id", "template_retired", message)
        scores = merged.get("scores") or {}
        total = 0
        for key, item in scores.items():
            maximum = template.items.get(key)
            if maximum is None:
                message = "Not an item of this checklist template."
                errors.add(f"scores.{key}", "not_template_item", message)
            elif item["score"] > maximum:
                errors.add(
                    f"scores.{key}.score", "score_too_high", f"At most {maximum}.", max=maximum
                )
            else:
                total += item["score"]
        derived.update(total=total, max_total=template.max_total, grade=template.grade(total))
        return derived

    def _derive_survey(self, data, merged, lookup, errors, record, actor, mutation):
        """Village -> district, the form version named, and every answer checked against it
        (fieldapp/surveys/answers.py; what only the phone evaluates is listed there)."""
        derived = self._village_district(data, lookup, errors)
        if data.get("visit_id") and lookup.get("visit", data["visit_id"]) is None:
            errors.add("visit_id", "unknown_visit", "Unknown visit.")
        if (
            record is not None
            and data.get("form_id", record.values["form_id"]) != (record.values["form_id"])
        ):
            message = "A survey keeps the form version it was created with."
            errors.add("form_id", "form_fixed", message)
            return derived
        form = self.refs.forms.get(merged.get("form_id"))
        if form is None:
            errors.add("form_id", "unknown_form", "Unknown form.")
            return derived
        if record is None and form.retired:
            errors.add("form_id", "form_retired", "This form is retired: no new surveys.")
        elif record is None and not form_given(actor, form.roles, form.district_codes):
            errors.add("form_id", "form_not_given", "This form is not given to you.")
        if "answers" in data:
            check_answers(data["answers"], form.questions, errors)
        derived.update(form_key=form.form_key, form_version=form.version)
        # The concerns its marked answers raise (created by fieldapp/syncstore/surveyconcerns.py);
        # one raised stays listed when the answer changes later.
        answers = merged.get("answers") or {}
        raising = raised(mutation.record_id, answers, form.questions, self.refs.categories)
        listed = set(merged.get("concern_ids") or [])
        if not raising.keys() <= listed:
            derived["concern_ids"] = sorted(listed | raising.keys())
        return derived
        return derived

    def _derive_followup(self, data, merged, lookup, errors) -> dict[str, Any]:
        concern = lookup.get("concern", data.get("concern_id", merged.get("concern_id")))
        if concern is None or concern.deleted:
            errors.add("concern_id", "unknown_concern", "Unknown concern.")
            return {}
        return {"district_code": concern.district_code, "kind": "comment"}

    def item_maps(self, entity: str) -> frozenset[str]:
        return ITEM_MAPS.get(entity, NO_MAPS)

    # -- who may -------------------------------------------------------------------------------

    def authorise(self, op: str, record: Record, actor: Actor, lookup: Lookup) -> None:
        concern = None
        if record.entity == "followup":
            concern = lookup.get("concern", record.values["concern_id"])
            if concern is None and op == "create":
                raise Rejection("out_of_scope", "The concern is outside your districts.")
        scope = scope_of(record.entity, record, concern)
        refusal = change_refusal(actor, op, scope, record.created_by_id)
        if refusal is not None:
            raise Rejection(*refusal)
        if op == "update":
            _refuse([read_only(record.entity, record.values)])
        elif op == "delete":
            _refuse([delete_lock(record.entity, record.values)])

    # -- workflow ------------------------------------------------------------------------------

    def plan_transition(
        self, mutation: Mutation, record: Record, actor: Actor, lookup: Lookup
    ) -> TransitionPlan:
        if mutation.entity != "concern":
            errors = FieldProblems()
            errors.add("op", "no_transitions", "Only concerns have transitions.")
            raise Rejection("validation", INVALID, errors)
        errors = FieldProblems()
        try:
            data = _transition_schema.load(mutation.transition or {})
        except ValidationError as exc:
            errors.add_coded(*coded_errors(field_paths(exc.messages, "transition")))
            raise Rejection("validation", INVALID, errors) from exc
        assignee = data.get("assignee_id")
        if assignee is not None:
            user = self.refs.assignees.get(assignee)
            if user is None or not may_be_assigned(user, record.district_code):
                message = "Name an active official or supervisor of the concern's district."
                errors.add("transition.assignee_id", "not_assignable", message)
        duplicate_of = data.get("duplicate_of_id")
        if duplicate_of is not None and (
            duplicate_of == record.id or lookup.get("concern", duplicate_of) is None
        ):
            message = "Name another existing concern."
            errors.add("transition.duplicate_of_id", "not_another_concern", message)
        if errors:
            raise Rejection("validation", INVALID, errors)
        values = {k: v for k, v in data.items() if k not in ("action", "from_status", "note")}
        request = TransitionRequest(
            data["action"], data.get("from_status"), data.get("note"), values
        )
        state = ConcernState(
            record.id,
            record.values["status"],
            record.assignee_id,
            record.district_code,
            record.field_versions,
            record.values.get("due_date"),
            record.values.get("villager_confirmed"),
            self.refs.after_photo_count(mutation),
            tuple(self.refs.open_checks.get(record.id, ())),
        )
        hears = hears_villagers(actor, scope_of("concern", record))
        who = WorkflowActor(actor.user_id, supervises(actor, record.district_code), hears)
        due = self.refs.due_date_rule(record)
        plan = plan_transition(state, request, who, mutation.base_version, self.now, due)
        if plan.action == "correct":  # allowed: now the corrected values are checked
            plan.changes.update(self._corrections(values["corrections"], record, actor, lookup))
        return TransitionPlan(plan.action, plan.changes, plan.entries)

    def _corrections(
        self, sent: dict[str, Any], record: Record, actor: Actor, lookup: Lookup
    ) -> dict[str, Any]:
        """A correction's values, checked as an update's are (the derived ones added: a
        village names its district, which the supervisor must supervise too)."""
        errors = FieldProblems()
        for name in sent:
            if name not in REPORTED_FIELDS:
                message = "Only what the citizen reported is corrected."
                errors.add(f"transition.corrections.{name}", "not_correctable", message)
        if errors:
            raise Rejection("validation", INVALID, errors)
        try:
            values = self._checked("concern", sent, record, lookup, actor, None)
        except Rejection as rejection:
            for problem in rejection.problems:
                name = f"transition.corrections.{problem.field}"
                errors.add(name, problem.code, problem.message, **problem.params)
            raise Rejection(rejection.reason, rejection.detail, errors) from None
        district = values.get("district_code", record.district_code)
        if not supervises(actor, district):
            raise Rejection("out_of_scope", f"District {district} is outside your districts.")
        return values

    def district_hint(self, mutation: Mutation, lookup: Lookup) -> str | None:
        fields = mutation.fields or {}
        village_id = fields.get("village_id")
        if isinstance(village_id, str):
            village = lookup.get("village", village_id.lower())
            if village is not None:
                return village.district_code
        concern_id = fields.get("concern_id")
        if isinstance(concern_id, str):
            concern = lookup.get("concern", concern_id.lower())
            if concern is not None:
                return concern.district_code
        return None
