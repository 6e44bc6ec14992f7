"""The whole API in-process, on the embedded defaults (SQLite, files, memory cache, memory e-mail)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from conftest import sign_up
from tausestack import notify, storage

REVIEW = (
    "TauseStack is great. Setup was easy and the docs are clear. "
    "The storage layer is fast and reliable. One bug was annoying, but support fixed it quickly."
)


def upload(client: TestClient, headers: dict[str, str], text: str = REVIEW, name: str = "review.txt") -> dict:
    response = client.post(
        f"/api/documents?filename={name}",
        content=text.encode(),
        headers={**headers, "Content-Type": "text/plain"},
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_sign_up_sign_in_and_me(client: TestClient) -> None:
    headers = sign_up(client, "ada@example.com")
    me = client.get("/api/account/me", headers=headers).json()
    assert me["email"] == "ada@example.com"
    token = client.post(
        "/api/account/token", json={"email": "ada@example.com", "password": "correct horse battery"}
    )
    assert token.status_code == 200
    wrong = client.post(
        "/api/account/token", json={"email": "ada@example.com", "password": "not the password"}
    )
    assert wrong.status_code == 401
    again = client.post(
        "/api/account/signup", json={"email": "ada@example.com", "password": "correct horse battery"}
    )
    assert again.status_code == 409
    for email in ("a\x00b@example.com", "ada@exa\x1fmple.com"):  # control characters: 422, not a 5xx
        refused = client.post(
            "/api/account/signup", json={"email": email, "password": "correct horse battery"}
        )
        assert refused.status_code == 422, email


def test_documents_need_a_token(client: TestClient) -> None:
    assert client.get("/api/documents").status_code == 401
    assert client.post("/api/documents", content=b"x").status_code == 401


def test_upload_analyse_history_and_email(client: TestClient) -> None:
    headers = sign_up(client, "ada@example.com")
    document = upload(client, headers)
    assert document["sentences"] == 4
    assert document["filename"] == "review.txt"
    uid = client.get("/api/account/me", headers=headers).json()["uid"]
    folder = f"users/{storage.sanitize_key(uid)}/documents/{document['id']}"
    assert storage.binary.get(f"{folder}/original") == REVIEW.encode()
    assert list(storage.dataframe.get(f"{folder}/sentences").columns) == ["sentence", "words"]

    sentences = client.get(f"/api/documents/{document['id']}/sentences", headers=headers).json()
    assert sentences[0] == {"sentence": "TauseStack is great.", "words": 3}

    first = client.post(f"/api/documents/{document['id']}/analyses", headers=headers)
    assert first.status_code == 201, first.text
    analysis = first.json()
    assert analysis["provider"] == "offline"
    assert analysis["cached"] is False
    assert analysis["sentiment_label"] == "positive"
    assert "storage" in analysis["keywords"]
    second = client.post(f"/api/documents/{document['id']}/analyses", headers=headers).json()
    assert second["cached"] is True
    assert second["summary"] == analysis["summary"]

    history = client.get(f"/api/documents/{document['id']}/analyses", headers=headers).json()
    assert [item["id"] for item in history] == [second["id"], analysis["id"]]

    sent = [message for message in notify.outbox if "ada@example.com" in message.recipients]
    assert len(sent) == 2
    assert sent[0].subject == "Your analysis of review.txt is ready"
    assert "Sentiment: positive" in sent[0].text

    assert [d["id"] for d in client.get("/api/documents", headers=headers).json()] == [document["id"]]
    assert client.delete(f"/api/documents/{document['id']}", headers=headers).status_code == 204
    assert client.get(f"/api/documents/{document['id']}", headers=headers).status_code == 404
    assert not storage.binary.exists(f"{folder}/original")


def test_users_only_see_their_own_documents(client: TestClient) -> None:
    ada = sign_up(client, "ada@example.com")
    bob = sign_up(client, "bob@example.com")
    document = upload(client, ada)
    assert client.get("/api/documents", headers=bob).json() == []
    for method, path in (
        ("GET", f"/api/documents/{document['id']}"),
        ("GET", f"/api/documents/{document['id']}/sentences"),
        ("POST", f"/api/documents/{document['id']}/analyses"),
        ("GET", f"/api/documents/{document['id']}/analyses"),
        ("DELETE", f"/api/documents/{document['id']}"),
    ):
        assert client.request(method, path, headers=bob).status_code == 404, (method, path)
    assert client.get(f"/api/documents/{document['id']}", headers=ada).status_code == 200


def test_bad_uploads_are_refused(client: TestClient, monkeypatch) -> None:
    headers = sign_up(client, "ada@example.com")
    post = client.post
    assert (
        post("/api/documents", content=b"", headers={**headers, "Content-Type": "text/plain"}).status_code
        == 422
    )
    assert (
        post(
            "/api/documents", content=b"\xff\xfe", headers={**headers, "Content-Type": "text/plain"}
        ).status_code
        == 422
    )
    assert (
        post("/api/documents", content=b"x", headers={**headers, "Content-Type": "image/png"}).status_code
        == 415
    )
    assert (
        post(
            "/api/documents?filename=../x", content=b"x", headers={**headers, "Content-Type": "text/plain"}
        ).status_code
        == 422
    )
    # NUL: binary, not text (and PostgreSQL text columns refuse it: a 500 on analysis before)
    nul = post(
        "/api/documents", content=b"Good. \x00 Bad.", headers={**headers, "Content-Type": "text/plain"}
    )
    assert nul.status_code == 422
    assert "NUL" in nul.json()["detail"]
    monkeypatch.setenv("AIAPI_MAX_UPLOAD_BYTES", "10")
    from app.config import get_settings

    get_settings.cache_clear()
    assert (
        post(
            "/api/documents", content=b"x" * 11, headers={**headers, "Content-Type": "text/plain"}
        ).status_code
        == 413
    )
    assert client.get("/api/documents", headers=headers).json() == []


def test_openapi_documents_the_upload_body(client: TestClient) -> None:
    """The raw text body is in the schema, so /docs can upload and schemathesis can fuzz it."""
    operation = client.get("/openapi.json").json()["paths"]["/api/documents"]["post"]
    content = operation["requestBody"]["content"]
    assert operation["requestBody"]["required"] is True
    assert set(content) == {"text/plain", "text/markdown", "text/csv"}
    assert content["text/plain"]["schema"] == {"type": "string"}
