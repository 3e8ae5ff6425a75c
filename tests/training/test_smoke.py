from tests.training.conftest import log_all, start


def test_smoke(client, app, athlete):
    assert client.get("/training").status_code == 200
    sid = start(client)
    page = client.get(f"/training/sessions/{sid}")
    assert page.status_code == 200
    log_all(client, app, sid)
    r = client.post(f"/training/sessions/{sid}/finish")
    assert r.status_code == 303
    page = client.get(f"/training/sessions/{sid}").get_data(as_text=True)
    assert "Counts toward" in page, page
    assert client.get("/training/timeline").status_code == 200
