"""A strict check of an XML-RPC methodResponse against the specification's grammar (xmlrpc.com/spec):
one <params> with exactly one <param>, or one <fault> with a faultCode and faultString struct; every
<value> of a known type, nothing else anywhere. Python's own client forgives what this refuses."""

from __future__ import annotations

import xml.etree.ElementTree as ET

SCALARS = {"i4", "int", "i8", "boolean", "string", "double", "dateTime.iso8601", "base64", "nil"}


class NotXMLRPC(AssertionError):
    pass


def check_response(body: bytes) -> None:
    root = ET.fromstring(body)
    _expect(root.tag == "methodResponse", f"root is <{root.tag}>")
    [child] = _children(root, 1, "methodResponse")
    if child.tag == "params":
        [param] = _children(child, 1, "params")
        _expect(param.tag == "param", f"<params> holds <{param.tag}>")
        [value] = _children(param, 1, "param")
        _value(value)
    else:
        _expect(child.tag == "fault", f"methodResponse holds <{child.tag}>")
        [value] = _children(child, 1, "fault")
        [struct] = _children(value, 1, "fault value")
        _expect(struct.tag == "struct", "a fault's value is not a struct")
        names = {m.findtext("name") for m in struct}
        _expect(names == {"faultCode", "faultString"}, f"fault members {names}")
        _value(value)


def _children(element: ET.Element, count: int, where: str) -> list[ET.Element]:
    found = list(element)
    _expect(len(found) == count, f"<{where}> has {len(found)} children, not {count}")
    return found


def _value(value: ET.Element) -> None:
    _expect(value.tag == "value", f"<{value.tag}> where a <value> belongs")
    inner = list(value)
    if not inner:
        return  # a bare string
    _expect(len(inner) == 1, "a <value> with several children")
    typed = inner[0]
    if typed.tag in SCALARS:
        _expect(not list(typed), f"<{typed.tag}> has children")
    elif typed.tag == "struct":
        for member in typed:
            _expect(member.tag == "member" and [c.tag for c in member] == ["name", "value"], "a bad <member>")
            _value(member[1])
    elif typed.tag == "array":
        [data] = _children(typed, 1, "array")
        _expect(data.tag == "data", "an <array> without <data>")
        for item in data:
            _value(item)
    else:
        raise NotXMLRPC(f"unknown value type <{typed.tag}>")


def _expect(condition: bool, problem: str) -> None:
    if not condition:
        raise NotXMLRPC(problem)
