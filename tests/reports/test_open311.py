"""Open311 GeoReport v2: the fields the specification lists, well-formed XML, filters, paging."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from fieldapp.reports.open311 import REQUEST_FIELDS
from tests.reports.conftest import at

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]
EVERYTHING = "start_date=2000-01-01T00:00:00%2B07:00&page_size=1000"
SERVICE_FIELDS = (
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
)


def xml(client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.mimetype == "text/xml"
    return ET.fromstring(response.data)  # raises on anything not well-formed


def test_discovery_names_the_endpoint_and_its_formats(client):
    for path in ("/open311/v2/", "/open311/v2/discovery.json"):
        body = client.get(path).get_json()
        assert {"changeset", "contact", "key_service", "endpoints"} <= body.keys()
        endpoint = body["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"].endswith("/open311/v2")
        assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml(client, "/open311/v2/discovery.xml")
    assert root.tag == "discovery"
    assert [f.text for f in root.iter("format")] == ["text/xml", "application/json"]


def test_services_are_our_categories(client):
    services = client.get("/open311/v2/services.json").get_json()
    assert {s["service_code"] for s in services} >= {"roads", "water", "waste"}
    for service in services:
        assert set(service) == set(SERVICE_FIELDS)
        assert service["metadata"] is False and service["type"] == "realtime"
    root = xml(client, "/open311/v2/services.xml")
    assert root.tag == "services"
    assert len(root.findall("service")) == len(services)
    assert all(root.find("service").find(name) is not None for name in SERVICE_FIELDS)


def test_requests_carry_every_field_in_both_formats(client, province):
    found = client.get(f"/open311/v2/requests.json?{EVERYTHING}").get_json()
    assert len(found) == len(province.concerns)
    for request in found:
        assert set(request) == set(REQUEST_FIELDS)
        assert request["status"] in ("open", "closed")
        # Rounded to about 100 m: three decimals at most.
        assert round(request["lat"], 3) == request["lat"]
    root = xml(client, f"/open311/v2/requests.xml?{EVERYTHING}")
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert len(requests) == len(found)
    for node in requests:
        assert [child.tag for child in node] == list(REQUEST_FIELDS)


def test_statuses_map_to_open_and_closed_with_the_detail_in_the_notes(client, province):
    by_id = {
        r["service_request_id"]: r
        for r in client.get(f"/open311/v2/requests.json?{EVERYTHING}").get_json()
    }
    for concern in province.concerns:
        request = by_id[concern.tracking_code]
        expected = "open" if concern.status in ("new", "accepted", "in_progress") else "closed"
        assert request["status"] == expected
        assert request["status_notes"].startswith(concern.status + ":")
    resolved = by_id[province.concerns[3].tracking_code]
    assert resolved["media_url"].endswith(f"/public/photos/{province.publishable_sha}/display")


def test_filters(client, province):
    def ids(query: str) -> set[str]:
        found = client.get(f"/open311/v2/requests.json?{query}").get_json()
        return {r["service_request_id"] for r in found}

    codes = {c.tracking_code: c for c in province.concerns}
    opened = {k for k, c in codes.items() if c.status in ("new", "accepted", "in_progress")}
    assert ids(f"{EVERYTHING}&status=open") == opened
    assert ids(f"{EVERYTHING}&status=closed") == set(codes) - opened
    assert ids(f"{EVERYTHING}&service_code=water,waste") == {
        k for k, c in codes.items() if c.category_code in ("water", "waste")
    }
    two = sorted(codes)[:2]
    assert ids(f"service_request_id={','.join(two)}") == set(two)
    # Without dates: the last 90 days (the concern reported 120 days ago is out).
    assert ids("") == {k for k, c in codes.items() if c is not province.concerns[-1]}
    recent = {k for k, c in codes.items() if c.reported_at.timestamp() >= _days_ago(16)}
    assert ids(f"start_date={_iso_days_ago(16)}") == recent
    assert ids(f"start_date=2000-01-01T00:00:00Z&end_date={_iso_days_ago(16)}") == (
        set(codes) - recent
    )


def test_paging_walks_every_request_once(client, province):
    seen = []
    for page in range(1, 6):
        found = client.get(f"/open311/v2/requests.json?{EVERYTHING}&page_size=3&page={page}")
        seen += [r["service_request_id"] for r in found.get_json()]
    assert len(seen) == len(set(seen)) == len(province.concerns)


def test_one_request_and_errors(client, province):
    code = province.concerns[0].tracking_code
    one = client.get(f"/open311/v2/requests/{code}.json").get_json()
    assert [r["service_request_id"] for r in one] == [code]
    root = xml(client, f"/open311/v2/requests/{code}.xml")
    assert root.find("request/service_request_id").text == code
    missing = client.get("/open311/v2/requests/PL-2222-2222.json")
    assert missing.status_code == 404
    assert missing.get_json()[0]["code"] == 404
    bad = client.get("/open311/v2/requests.xml?status=maybe")
    assert bad.status_code == 400
    assert ET.fromstring(bad.data).find("error/code").text == "400"
    assert client.get("/open311/v2/requests.json?page_size=5000").status_code == 400
    assert client.get("/open311/v2/requests.yaml").status_code == 404


def _days_ago(days: int) -> float:
    return at(days, hour=0).timestamp()


def _iso_days_ago(days: int) -> str:
    return at(days, hour=0).isoformat().replace("+", "%2B")
