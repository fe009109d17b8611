"""Schemas every operation shares: the error document."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import BaseModel


class Error(Schema):
    """The error document of every 4xx answer.

    ``code`` is a stable slug for scripts, ``message`` a sentence for people, and
    ``fields`` maps each offending field (dotted for nested documents, ``body`` for the
    whole request) to its messages.
    """

    code: str
    message: str
    fields: dict[str, list[str]] = {}


# Merge into an operation's ``response=`` so that every operation documents its errors.
ERRORS: dict[int, type[Error]] = {
    400: Error,
    401: Error,
    403: Error,
    404: Error,
    409: Error,
    422: Error,
    429: Error,
}


def request_body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON Schema for an operation's ``openapi_extra`` (a body ninja does not parse).

    Pydantic writes nested models as ``$defs`` with ``#/$defs/Name`` references, which in
    the OpenAPI document point at its root, where there is no ``$defs``: each reference is
    replaced by the definition itself (the engine's documents are not recursive).
    """
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return {**inline(definitions[ref.removeprefix("#/$defs/")]), **inline(rest)}
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    inlined: dict[str, Any] = inline(schema)
    return inlined
