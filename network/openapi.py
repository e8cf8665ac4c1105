"""How Lotse's APIs are described (drf-spectacular, OpenAPI 3.1).

`AutoSchema` adds the error answers every view can give, so that no status code a client sees
is undocumented; `clean_up` is a postprocessing hook for what drf-spectacular itself writes
in a form OpenAPI validators reject.
"""

import inspect

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer
from drf_spectacular.utils import extend_schema as spectacular_extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

#: A 400: DRF's messages per field, or `detail` (Lotse's inputs middleware, parse errors).
VALIDATION_ERRORS = {
    "type": "object",
    "description": "Messages per parameter or field (nested like the input), or `detail` "
    "for the request as a whole.",
    "additionalProperties": True,
}


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()

    class Meta:
        ref_name = "ErrorDetail"


def error(description, schema=ErrorDetailSerializer):
    return OpenApiResponse(schema, description=description)


class AnyOf(PolymorphicProxySerializer):
    """An answer that is one of several serializers' whose fields overlap (a party's view of a
    handover has every metadata field): `anyOf`, where drf-spectacular's proxy writes `oneOf`,
    which an answer valid under both would fail."""

    def __init__(self, component_name, serializers, **kwargs):
        super().__init__(component_name, serializers, resource_type_field_name=None, **kwargs)


class AnyOfExtension(OpenApiSerializerExtension):
    target_class = AnyOf

    def get_name(self, auto_schema, direction):
        return self.target.component_name

    def get_identity(self, auto_schema, direction):
        return self.target.component_name

    def map_serializer(self, auto_schema, direction):
        refs = [
            auto_schema.resolve_serializer(serializer, direction).ref
            for serializer in self.target.serializers
        ]
        return {"anyOf": refs}


#: status → (answer, when it applies: "always", "login", "lookup", "body" or "throttled").
ERRORS = {
    "400": (
        error(
            "Bad parameters or fields, or a control character in the address.",
            VALIDATION_ERRORS,
        ),
        "always",
    ),
    "401": (error("No or an unknown token (`Authorization: Token …`)."), "login"),
    "403": (error("Not allowed for this account (or signed in by session without one)."), "login"),
    "404": (error("Nothing with this id that this account may see, or no such page."), "lookup"),
    "413": (error("The body is larger than the site accepts."), "body"),
    "415": (error("The body is not in a media type this operation reads."), "body"),
    "429": (error("Too many requests; `Retry-After` says how many seconds to wait."), "throttled"),
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the errors DRF and Lotse's middleware answer with."""

    def applies(self, when):
        view = self.view
        if when == "always":
            # The inputs middleware refuses control characters in any query string with 400.
            return True
        if when == "login":
            return not all(
                issubclass(permission, AllowAny) for permission in view.permission_classes
            )
        if when == "lookup":
            # An id in the path, or a page number past the last page (DRF's pagination).
            return "{" in self.path or (self.method == "GET" and self._get_paginator() is not None)
        if when == "body":
            return self.method in ("POST", "PUT", "PATCH")
        return bool(getattr(view, "throttle_classes", ()))

    def _resolve_path_parameters(self, variables):
        """Django's `int` converter matches digits only: say so, or clients (and fuzzers) send
        negative ids that no address matches."""
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            name = parameter["name"]
            names = {name, "pk"} if name == "id" else {name}
            digits = any(
                f"<int:{n}>" in self.path_regex or f"(?P<{n}>[0-9]+)" in self.path_regex
                for n in names
            )
            if parameter["schema"].get("type") == "integer" and digits:
                parameter["schema"]["minimum"] = 0
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, (answer, when) in ERRORS.items():
            if code not in responses and self.applies(when):
                responses[code] = self._get_response_for_code(answer, code, direction=direction)
        return responses


BLANK = {"type": "string", "maxLength": 0}


def _blank_alternatives(node):
    """drf-spectacular writes a blank-allowing email or URL field as `oneOf: [{format: …},
    {maxLength: 0}]` with its default "" inside the first branch, where it is no email; and
    validators that do not check a format find "" valid under both branches. `anyOf`, with
    the default beside it, says what is meant: a blank, or a value of that format."""
    if isinstance(node, dict):
        alternatives = node.get("oneOf")
        if isinstance(alternatives, list) and BLANK in alternatives:
            node["anyOf"] = node.pop("oneOf")
            for alternative in alternatives:
                if "default" in alternative:
                    node.setdefault("default", alternative.pop("default"))
        for value in node.values():
            _blank_alternatives(value)
    elif isinstance(node, list):
        for value in node:
            _blank_alternatives(value)


def clean_up(result, generator, request, public):
    """drf-spectacular postprocessing hook (after the enum hook)."""
    _blank_alternatives(result.get("components", {}))
    return result


def extend_schema(*args, **kwargs):
    """drf-spectacular's `extend_schema` on top of this module's `AutoSchema`.

    On a view method, drf-spectacular bases the extended schema on the project's
    `REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`, which is the host site's to choose (DRF's own
    by default, which drf-spectacular cannot use). Lotse's views use this one instead.
    """
    decorate = spectacular_extend_schema(*args, **kwargs)

    def decorator(view_or_method):
        if inspect.isclass(view_or_method) or getattr(view_or_method, "kwargs", {}).get("schema"):
            return decorate(view_or_method)
        view_or_method.schema = AutoSchema  # read by drf-spectacular as the base, then dropped
        try:
            return decorate(view_or_method)
        finally:
            del view_or_method.schema

    return decorator
