"""Documents: upload text, analyse it, read the history. Every route needs a signed-in user,
and each user only ever sees their own documents.

- upload: the bytes go to storage (binary), the sentence table to storage (dataframe), the
  record to the database;
- analyse: the AI step (cached), a history record in the database, an e-mail to the user.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Annotated, Any

import pandas as pd
from fastapi import Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel

from app.ai import analyze, split_sentences, words
from app.config import Settings, get_settings
from app.models import AnalysisRecord, Document
from tausestack import database, notify, storage, web
from tausestack.auth import AuthorizedUser

router = web.router(prefix="/documents", tags=["documents"])

DocumentId = Annotated[str, PathParam(pattern="^[0-9a-f]{32}$")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
TEXT_TYPES = ("text/plain", "text/markdown", "text/csv", "application/octet-stream")
#: The upload's raw body, described in the OpenAPI schema (the route reads the request itself).
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": "The document: UTF-8 text, up to AIAPI_MAX_UPLOAD_BYTES bytes.",
        "content": {media_type: {"schema": {"type": "string"}} for media_type in TEXT_TYPES[:3]},
    }
}


class DocumentOut(BaseModel):
    id: str
    filename: str
    content_type: str
    size: int
    sentences: int
    words: int
    created_at: datetime


class AnalysisOut(BaseModel):
    id: int
    document_id: str
    provider: str
    summary: str
    keywords: list[str]
    sentiment: float
    sentiment_label: str
    cached: bool
    created_at: datetime


def _folder(user: AuthorizedUser) -> str:
    return f"users/{storage.sanitize_key(user.uid)}/documents"


def _own_document(document_id: str, user: AuthorizedUser) -> Document:
    document = database.get(Document, document_id)
    if document is None or document.owner != user.uid:
        raise HTTPException(status_code=404, detail="no such document")
    return document


def _out(document: Document) -> DocumentOut:
    return DocumentOut.model_validate(document, from_attributes=True)


@router.post("", status_code=201, openapi_extra=UPLOAD_BODY)
async def upload(
    request: Request,
    user: AuthorizedUser,
    settings: SettingsDep,
    filename: Annotated[str, Query(min_length=1, max_length=200, pattern=r"^[\w.\- ]+$")] = "document.txt",
) -> DocumentOut:
    """Upload a UTF-8 text document as the request body (Content-Type text/plain)."""
    content_type = request.headers.get("content-type", "text/plain").split(";")[0].strip() or "text/plain"
    if content_type not in TEXT_TYPES:
        raise HTTPException(
            status_code=415, detail=f"send text ({', '.join(TEXT_TYPES[:3])}), not {content_type}"
        )
    body = await request.body()
    if not body:
        raise HTTPException(status_code=422, detail="the document is empty")
    if len(body) > settings.max_upload_bytes:
        raise HTTPException(
            status_code=413, detail=f"documents are limited to {settings.max_upload_bytes} bytes"
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(status_code=422, detail="the document is not UTF-8 text") from None
    if "\x00" in text:
        # binary, not text; and PostgreSQL text columns (the analysis summary) refuse NUL
        raise HTTPException(status_code=422, detail="the document is not text: it contains NUL characters")
    sentences = split_sentences(text)
    document_id = uuid.uuid4().hex
    folder = f"{_folder(user)}/{document_id}"
    await storage.binary.aput(f"{folder}/original", body, content_type=content_type)
    table = pd.DataFrame(
        {"sentence": sentences, "words": [len(words(sentence)) for sentence in sentences]},
        columns=["sentence", "words"],
    )
    await storage.dataframe.aput(f"{folder}/sentences", table)
    document = await database.acreate(
        Document,
        {
            "id": document_id,
            "owner": user.uid,
            "filename": filename,
            "content_type": content_type,
            "size": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
            "sentences": len(sentences),
            "words": int(table["words"].sum()) if len(table) else 0,
        },
    )
    return _out(document)


@router.get("")
def list_documents(user: AuthorizedUser) -> list[DocumentOut]:
    """The caller's documents, newest first."""
    return [_out(doc) for doc in database.find(Document, where={"owner": user.uid}, order_by="-created_at")]


@router.get("/{document_id}")
def get_document(document_id: DocumentId, user: AuthorizedUser) -> DocumentOut:
    """One of the caller's documents."""
    return _out(_own_document(document_id, user))


@router.get("/{document_id}/sentences")
def get_sentences(document_id: DocumentId, user: AuthorizedUser) -> list[dict[str, Any]]:
    """The document's sentence table (a dataframe in storage)."""
    _own_document(document_id, user)
    frame = storage.dataframe.get(f"{_folder(user)}/{document_id}/sentences")
    return [{"sentence": str(row.sentence), "words": int(row.words)} for row in frame.itertuples()]


@router.post("/{document_id}/analyses", status_code=201)
def analyse(document_id: DocumentId, user: AuthorizedUser, settings: SettingsDep) -> AnalysisOut:
    """Run the AI step on the document, record it in the history and e-mail the user."""
    document = _own_document(document_id, user)
    text = storage.binary.get(f"{_folder(user)}/{document_id}/original").decode("utf-8")
    result, cached = analyze(text, settings)
    record = database.create(
        AnalysisRecord,
        {
            "document_id": document.id,
            "owner": user.uid,
            "provider": result.provider,
            "summary": result.summary,
            "keywords": result.keywords,
            "sentiment": result.sentiment,
            "sentiment_label": result.sentiment_label,
            "cached": cached,
        },
    )
    if user.email:
        notify.email(
            to=user.email,
            subject=f"Your analysis of {document.filename} is ready",
            content_text=(
                f"Summary: {result.summary}\n\nKeywords: {', '.join(result.keywords)}\n"
                f"Sentiment: {result.sentiment_label} ({result.sentiment:+.2f})\nProvider: {result.provider}\n"
            ),
            from_=settings.notify_from,
        )
    return AnalysisOut.model_validate(record, from_attributes=True)


@router.get("/{document_id}/analyses")
def history(document_id: DocumentId, user: AuthorizedUser) -> list[AnalysisOut]:
    """Every analysis of the document, newest first."""
    _own_document(document_id, user)
    records = database.find(
        AnalysisRecord, where={"document_id": document_id}, order_by=["-created_at", "-id"]
    )
    return [AnalysisOut.model_validate(record, from_attributes=True) for record in records]


@router.delete("/{document_id}", status_code=204)
def delete_document(document_id: DocumentId, user: AuthorizedUser) -> None:
    """Delete the document, its stored files and its history."""
    _own_document(document_id, user)
    folder = f"{_folder(user)}/{document_id}"
    storage.binary.delete(f"{folder}/original")
    storage.dataframe.delete(f"{folder}/sentences")
    with database.transaction():
        for record in database.find(AnalysisRecord, where={"document_id": document_id}):
            database.delete(AnalysisRecord, record.id)
        database.delete(Document, document_id)
