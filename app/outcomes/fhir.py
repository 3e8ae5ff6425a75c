"""The report's period as a FHIR R4 Bundle (type "collection"): the Patient, one
QuestionnaireResponse per answered questionnaire, one Observation per day's pain (NPRS, LOINC
72514-3 "Pain severity - 0-10 verbal numeric rating [Score] - Reported").

Plain dicts, JSON-ready: the tests validate them with the fhir.resources package. Resources
are named by urn:uuid ids made from the row ids, so the same data always gives the same bundle.
"""
from __future__ import annotations

import uuid
from datetime import date

from app.domain import outcomes
from app.models import OutcomeResponse, User
from app.outcomes import service

NAMESPACE = uuid.UUID("6f0f6c1e-8a39-4d55-9a2b-4b1c0e8d5a15")
QUESTIONNAIRES = {"akps": "Kujala Anterior Knee Pain Scale (AKPS)", "psfs": "Patient-Specific Functional Scale",
                  "groc": "Global Rating of Change"}
SYSTEM = "https://kneeready.app/fhir"


def _urn(*parts) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(str(p) for p in parts))}"


def period_bundle(athlete: User, start: date, end: date, made_at: str) -> dict:
    """The bundle of one period, read straight from the database (two queries)."""
    return bundle(athlete, service.responses(athlete.id, start, end), service.daily_pain(athlete.id, start, end),
                  made_at)


def bundle(athlete: User, responses: list[OutcomeResponse], pains: dict[date, int], made_at: str) -> dict:
    patient_ref = _urn("patient", athlete.id)
    entries = [{"fullUrl": patient_ref, "resource": {
        "resourceType": "Patient", "active": True, "name": [{"text": athlete.display_name}],
        "telecom": [{"system": "email", "value": athlete.email}]}}]
    for row in responses:
        entries.append({"fullUrl": _urn("qr", row.id), "resource": _questionnaire_response(row, patient_ref)})
    for day, pain in sorted(pains.items()):
        entries.append({"fullUrl": _urn("nprs", athlete.id, day.isoformat()), "resource": {
            "resourceType": "Observation", "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                      "code": "survey", "display": "Survey"}]}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3",
                                 "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}],
                     "text": "Knee pain right now (0-10)"},
            "subject": {"reference": patient_ref}, "effectiveDateTime": day.isoformat(),
            "valueInteger": pain}})
    return {"resourceType": "Bundle", "type": "collection", "timestamp": made_at, "entry": entries}


def _questionnaire_response(row: OutcomeResponse, patient_ref: str) -> dict:
    items = []
    if row.kind == "akps":
        for item in outcomes.AKPS_ITEMS:
            label, _points = item.options[row.answers[item.key]]
            items.append({"linkId": item.key, "text": item.question, "answer": [{"valueCoding": {
                "system": f"{SYSTEM}/akps-{item.key}", "code": str(row.answers[item.key]), "display": label}}]})
    elif row.kind == "psfs":
        for n, (name, rating) in enumerate(zip(row.answers["activities"], row.answers["ratings"]), 1):
            items.append({"linkId": f"activity-{n}", "text": name, "answer": [{"valueInteger": rating}]})
    else:
        items.append({"linkId": "groc", "text": "Compared with when you started, your knee is",
                      "answer": [{"valueInteger": row.answers["rating"]}]})
    score = row.score if row.kind == "psfs" else int(row.score)
    items.append({"linkId": "score", "text": "Total score",
                  "answer": [{"valueDecimal": round(score, 2)} if row.kind == "psfs" else {"valueInteger": score}]})
    return {"resourceType": "QuestionnaireResponse", "status": "completed",
            "questionnaire": f"{SYSTEM}/Questionnaire/{row.kind}",
            "subject": {"reference": patient_ref}, "authored": row.local_date.isoformat(),
            "item": [{"linkId": row.kind, "text": QUESTIONNAIRES[row.kind], "item": items}]}
