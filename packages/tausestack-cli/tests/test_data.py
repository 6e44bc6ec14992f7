"""``tausestack storage ...`` and ``tausestack secrets ...`` on real backends (files, memory)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tausestack.cli._app import app


@pytest.fixture
def project(tmp_path: Path) -> Path:
    directory = tmp_path / "proj"
    directory.mkdir()
    return directory


def run(runner: CliRunner, *args: str, input: str | bytes | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=input)
    return result.exit_code, result.output + result.stderr


def test_storage_put_ls_get_rm_binary(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    source = tmp_path / "photo.png"
    source.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    code, output = run(runner, "storage", "put", "images/photo.png", str(source), "--app-dir", str(project))
    assert code == 0, output
    assert (project / ".tausestack" / "storage").is_dir()
    code, output = run(runner, "storage", "ls", "images/", "--app-dir", str(project))
    assert code == 0, output
    assert "images/photo.png" in output
    assert "image/png" in output
    target = tmp_path / "copy.png"
    code, output = run(
        runner, "storage", "get", "images/photo.png", "-o", str(target), "--app-dir", str(project)
    )
    assert code == 0, output
    assert target.read_bytes() == source.read_bytes()
    code, output = run(runner, "storage", "rm", "images/photo.png", "--app-dir", str(project))
    assert code == 0, output
    code, output = run(runner, "storage", "rm", "images/photo.png", "--app-dir", str(project))
    assert code == 1
    assert "no binary object under key 'images/photo.png'" in output
    assert "storage ls" in output


def test_storage_json_and_text_through_stdin(runner: CliRunner, project: Path) -> None:
    code, output = run(
        runner,
        "storage",
        "put",
        "conf",
        "-",
        "--kind",
        "json",
        "--app-dir",
        str(project),
        input='{"a": [1, 2]}',
    )
    assert code == 0, output
    code, output = run(runner, "storage", "get", "conf", "--kind", "json", "--app-dir", str(project))
    assert code == 0
    assert json.loads(output) == {"a": [1, 2]}
    code, output = run(
        runner, "storage", "put", "note", "-", "--kind", "text", "--app-dir", str(project), input="héllo"
    )
    assert code == 0, output
    code, output = run(runner, "storage", "get", "note", "--kind", "text", "--app-dir", str(project))
    assert output == "héllo"
    code, output = run(runner, "storage", "ls", "--app-dir", str(project))
    assert "json" in output
    assert "conf" in output
    assert "text" in output
    assert "note" in output


def test_storage_dataframe_csv_round_trip(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    source = tmp_path / "sales.csv"
    source.write_text("region,amount\nnorth,10\nsouth,20\n")
    code, output = run(
        runner, "storage", "put", "sales", str(source), "--kind", "dataframe", "--app-dir", str(project)
    )
    assert code == 0, output
    code, output = run(runner, "storage", "get", "sales", "--kind", "dataframe", "--app-dir", str(project))
    assert code == 0, output
    assert output.splitlines() == ["region,amount", "north,10", "south,20"]


def test_storage_refuses_bad_input(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    code, output = run(runner, "storage", "put", "../escape", "-", "--app-dir", str(project), input="x")
    assert code == 1
    assert output.startswith("Error: ")
    assert "Traceback" not in output
    code, output = run(
        runner, "storage", "put", "k", str(tmp_path / "missing.bin"), "--app-dir", str(project)
    )
    assert code == 1
    assert "is not a file" in output
    code, output = run(
        runner, "storage", "put", "k", "-", "--kind", "json", "--app-dir", str(project), input="{nope"
    )
    assert code == 1
    assert "not valid JSON" in output
    code, output = run(runner, "storage", "get", "nothing", "--app-dir", str(project))
    assert code == 1
    assert "Next step:" in output
    assert not (project / ".tausestack" / "storage" / "binary" / "k").exists()


def test_storage_uses_the_project_env_file(runner: CliRunner, project: Path) -> None:
    (project / ".env").write_text("TAUSESTACK_STORAGE_URL=file://data/store\n")
    code, output = run(runner, "storage", "put", "k", "-", "--app-dir", str(project), input="v")
    assert code == 0, output
    assert "file://data/store" in output
    assert (project / "data" / "store").is_dir()


def test_secrets_set_get_list_rm(runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAUSESTACK_SECRETS_URL", "memory://")
    code, output = run(
        runner, "secrets", "set", "OPENAI_API_KEY", "sk-test-value-123", "--app-dir", str(project)
    )
    assert code == 0, output
    assert "sk-test-value-123" not in output
    code, output = run(
        runner, "secrets", "set", "SMTP_PASSWORD", "--app-dir", str(project), input="pw-9876\npw-9876\n"
    )
    assert code == 0, output
    assert "pw-9876" not in output
    code, output = run(runner, "secrets", "list", "--app-dir", str(project))
    assert output.split() == ["OPENAI_API_KEY", "SMTP_PASSWORD"]
    code, output = run(runner, "secrets", "get", "OPENAI_API_KEY", "--app-dir", str(project))
    assert code == 0
    assert "is set (17 characters)" in output
    assert "sk-test-value-123" not in output
    code, output = run(runner, "secrets", "get", "OPENAI_API_KEY", "--reveal", "--app-dir", str(project))
    assert output == "sk-test-value-123\n"
    code, output = run(runner, "secrets", "rm", "OPENAI_API_KEY", "--app-dir", str(project))
    assert code == 0
    code, output = run(runner, "secrets", "get", "OPENAI_API_KEY", "--app-dir", str(project))
    assert code == 1
    assert output.startswith("Error: ")
    code, output = run(runner, "secrets", "rm", "OPENAI_API_KEY", "--app-dir", str(project))
    assert code == 1
    assert "secrets list" in output


def test_secrets_from_the_project_env_file(runner: CliRunner, project: Path) -> None:
    (project / ".env").write_text("SERVICE_TOKEN=tok-abc\n")
    code, output = run(runner, "secrets", "get", "SERVICE_TOKEN", "--app-dir", str(project))
    assert code == 0, output
    assert "is set (7 characters)" in output


def test_secrets_refuses_an_empty_value(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAUSESTACK_SECRETS_URL", "memory://")
    code, output = run(runner, "secrets", "set", "X", "-", "--app-dir", str(project), input="\n")
    assert code == 1
    assert "empty secret" in output
