"""The OpenAI-compatible provider, used when the API key secret is set.

No OpenAI-compatible server can run on this machine, so these tests stand up a small local HTTP
server that speaks the same ``POST /v1/chat/completions`` protocol (recorded response shape) and
check what the app sends and how it uses the answer.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient

from conftest import sign_up


class FakeProvider(BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, Any]]] = []
    status = 200

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeProvider.requests.append({"path": self.path, "auth": self.headers["Authorization"], "body": body})
        answer = {"summary": "A short summary.", "keywords": ["alpha", "beta"], "sentiment": 0.9}
        payload = json.dumps(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": json.dumps(answer)},
                        "finish_reason": "stop",
                    }
                ],
            }
        ).encode()
        self.send_response(FakeProvider.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    FakeProvider.requests = []
    FakeProvider.status = 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/v1"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret-key")
    monkeypatch.setenv("AIAPI_OPENAI_BASE_URL", base)
    from app.config import get_settings

    get_settings.cache_clear()
    yield base
    server.shutdown()
    server.server_close()


def test_the_provider_is_used_when_the_secret_is_set(provider: str, client: TestClient) -> None:
    headers = sign_up(client, "ada@example.com")
    document = client.post(
        "/api/documents", content=b"Some text. More text.", headers={**headers, "Content-Type": "text/plain"}
    ).json()
    analysis = client.post(f"/api/documents/{document['id']}/analyses", headers=headers).json()
    assert analysis["provider"] == "openai:gpt-4o-mini"
    assert analysis["summary"] == "A short summary."
    assert analysis["keywords"] == ["alpha", "beta"]
    assert analysis["sentiment_label"] == "positive"
    (sent,) = FakeProvider.requests
    assert sent["path"] == "/v1/chat/completions"
    assert sent["auth"] == "Bearer sk-test-secret-key"
    assert sent["body"]["messages"][1]["content"] == "Some text. More text."
    # the second analysis of the same text comes from the cache: no second call
    again = client.post(f"/api/documents/{document['id']}/analyses", headers=headers).json()
    assert again["cached"] is True
    assert len(FakeProvider.requests) == 1


def test_a_failing_provider_is_an_error_not_a_silent_fallback(provider: str, client: TestClient) -> None:
    FakeProvider.status = 500
    headers = sign_up(client, "ada@example.com")
    document = client.post(
        "/api/documents", content=b"Some text.", headers={**headers, "Content-Type": "text/plain"}
    ).json()
    response = client.post(f"/api/documents/{document['id']}/analyses", headers=headers)
    assert response.status_code >= 500
    assert "sk-test-secret-key" not in response.text
    assert client.get(f"/api/documents/{document['id']}/analyses", headers=headers).json() == []
