"""Plain command-line values (text, whole numbers, paths, choices, lists of them) turned into
Python values without pydantic.

typer 0.29 sends every value through a pydantic ``TypeAdapter``; importing pydantic and building
the adapters costs about 70 ms of every run. ``install()`` puts a quick path in front of typer's
own coercion: a value it knows gives the same result typer gives; anything else, and every value
it cannot take (a wrong number, a missing file…), goes to typer's coercion as before, so the
errors and their wording stay typer's.
"""

import re
from enum import Enum
from pathlib import Path
from typing import Any

import typer.core
from typer import _coercion
from typer._param_types import coerce_cli_choice, coerce_cli_path, lenient_issubclass
from typer._typing import get_args

WHOLE = re.compile(r"-?(?:0|[1-9][0-9]*)")


class Unknown(Exception):
    """A value the quick path leaves to typer."""


def _leaf(value: Any, annotation: Any, info: Any, param: Any, ctx: Any) -> Any:
    if info.parser is not None:
        raise Unknown
    if annotation is str and isinstance(value, str):
        return value
    if annotation is int and not info.clamp:
        number = (
            value if type(value) is int else int(value) if isinstance(value, str) and WHOLE.fullmatch(value) else None
        )
        if number is not None and (info.min is None or number >= info.min) and (info.max is None or number <= info.max):
            return number
    elif lenient_issubclass(annotation, Enum) and isinstance(value, (str, annotation)):
        return coerce_cli_choice(value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
    elif (
        lenient_issubclass(annotation, Path)
        and info.path_type is None
        and value
        and isinstance(value, (str, annotation))
    ):
        path = value if isinstance(value, annotation) else annotation(value)
        return coerce_cli_path(path, info, path_type=annotation, param=param, ctx=ctx)
    raise Unknown


class QuickParam(_coercion.RuntimeParam):
    """typer's coercion for one parameter, with the quick path in front."""

    def __init__(self, descriptor: _coercion.TypeDescriptor) -> None:
        super().__init__(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
        object.__setattr__(self, "descriptor", descriptor)
        object.__setattr__(self, "typer_param", None)

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            if isinstance(value, (list, tuple)) and self.descriptor.is_list:
                (item,) = get_args(self.annotation)
                return [_leaf(v, item, self.parameter_info, param, ctx) for v in value]
            return _leaf(value, self.annotation, self.parameter_info, param, ctx)
        except Exception:
            if self.typer_param is None:
                object.__setattr__(self, "typer_param", _coercion.build_runtime_param(self.descriptor))
            return self.typer_param._coerce_value(value, param=param, ctx=ctx)


def _build(descriptor: _coercion.TypeDescriptor) -> _coercion.RuntimeParam:
    if descriptor.file_annotation is not None:
        return _coercion.build_runtime_param(descriptor)
    return QuickParam(descriptor)


def install() -> None:
    """Put the quick path in front of typer's coercion, for every command."""
    typer.core.build_runtime_param = _build  # type: ignore[attr-defined]
