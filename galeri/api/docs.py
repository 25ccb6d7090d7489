"""The API reference page, rendered on the server from the OpenAPI schema (no script, no CDN)."""

import json

from galeri.api import problems


def _type_of(schema, components):
    if not isinstance(schema, dict):
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(t for t in (_type_of(s, components) for s in schema["anyOf"]) if t)
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    kind = schema.get("type", "")
    if kind == "array":
        return f"[{_type_of(schema.get('items', {}), components)}]"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return kind


def _limits(schema):
    parts = []
    for key, label in (("minimum", "≥"), ("maximum", "≤"), ("maxLength", "maks. panjang")):
        if key in schema:
            parts.append(f"{label} {schema[key]}")
    if "default" in schema and schema["default"] not in ("", None):
        parts.append(f"default {schema['default']}")
    return ", ".join(parts)


def docs_context(request, api):
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    components = schema.get("components", {}).get("schemas", {})
    groups = {}
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "type": _type_of(p.get("schema", {}), components),
                    "limits": _limits(p.get("schema", {})),
                    "description": p.get("description") or p.get("schema", {}).get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            body = None
            if "requestBody" in op:
                content = op["requestBody"].get("content", {}).get("application/json", {})
                ref = _type_of(content.get("schema", {}), components)
                body = {"name": ref, "fields": _fields(components.get(ref, {}), components)}
            responses = []
            for code, spec in op.get("responses", {}).items():
                content = spec.get("content", {})
                media = next(iter(content), "")
                responses.append(
                    {"code": code, "type": _type_of(content.get(media, {}).get("schema", {}), components), "media": media}
                )
            tag = (op.get("tags") or [""])[0]
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "secured": bool(op.get("security")),
                    "params": params,
                    "body": body,
                    "responses": responses,
                    "anchor": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "").strip("-"),
                }
            )
    shapes = [
        {"name": name, "fields": _fields(spec, components)}
        for name, spec in sorted(components.items())
        if spec.get("type") == "object"
    ]
    problem_kinds = [
        {"kind": kind, "status": status, "title_id": titles[0], "title_en": titles[1]}
        for kind, (status, titles, _details) in problems.PROBLEMS.items()
    ]
    example = json.dumps(problems.body(None, "not-found"), ensure_ascii=False, indent=2)
    return {
        "groups": groups,
        "shapes": shapes,
        "problem_kinds": problem_kinds,
        "problem_example": example,
        "openapi_url": "/api/v1/openapi.json",
        "base_url": request.build_absolute_uri("/api/v1/"),
    }


def _fields(spec, components):
    required = set(spec.get("required", []))
    return [
        {
            "name": name,
            "type": _type_of(prop, components),
            "required": name in required,
            "description": prop.get("description", ""),
            "limits": _limits(prop),
        }
        for name, prop in spec.get("properties", {}).items()
    ]
