"""The command line's own words in Chinese: usage, help panels, the help option, type labels and
usage errors; help as wide as the text when the output is not a terminal.

typer 0.29 carries its own copy of click whose messages are plain English strings (no gettext
to hook), and typer's help panels take their titles from constants in ``typer.rich_utils``. So
``install(app)`` changes them where they are made, once, for every command of the app,
whichever module registered it:

- the root group class (``ChineseGroup``) turns each usage error into one Chinese message;
- the help option is made with a Chinese text, and its callback puts the panel titles in Chinese
  just before the help is drawn (importing ``typer.rich_utils`` costs 130 ms: only help and
  errors pay it, ``nianbao parse`` does not);
- the usage line starts with 用法：, and a type label reads 文字/整数/路径… instead of str/int/path.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

import typer
from typer import _click
from typer._click import decorators, formatting
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperArgument, TyperGroup

HELP_TEXT = "显示本帮助并退出。"
USAGE = "用法："
WIDE = 160  # columns of help and errors when the output is a file or a pipe (rich's default is 80)
PANELS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "运行 [blue]{command_path} {help_option}[/] 查看帮助。",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已弃用）",
}
TYPES = {
    "str": "文字",
    "int": "整数",
    "float": "数",
    "bool": "开关",
    "Path": "路径",
    "path": "路径",
    "file": "文件",
    "directory": "文件夹",
    "list": "多个",
    "range": "范围",
    "datetime": "日期时间",
}
METAVARS = (("[OPTIONS]", "[选项]"), ("COMMAND [ARGS]...", "命令 [参数]..."))
KINDS = {"argument": "参数", "option": "选项", "parameter": "参数"}
# messages raised with the text only (click's parser, typer's coercion, pydantic): pattern → Chinese
MESSAGES = (
    (re.compile(r"Option '(.+)' requires an argument\.?"), r"选项 \1 需要一个值。"),
    (re.compile(r"Option '(.+)' requires (\d+) arguments\.?"), r"选项 \1 需要 \2 个值。"),
    (re.compile(r"Option '(.+)' does not take a value\.?"), r"选项 \1 不带值。"),
    (re.compile(r"Argument '(.+)' takes (\d+) values\.?"), r"参数 \1 需要 \2 个值。"),
    (
        re.compile(r"No such command '(.+?)'\. Did you mean (.+)\?"),
        r"没有命令 \1（是不是 \2？nianbao --help 列出全部命令）。",
    ),
    (re.compile(r"No such command '(.+)'\.?"), r"没有命令 \1（nianbao --help 列出全部命令）。"),
    (re.compile(r"Missing command\.?"), "缺少命令（nianbao --help 列出全部命令）。"),
    (re.compile(r"Got unexpected extra argument\(s\) \((.*)\)"), r"多余的参数：\1"),
    (re.compile(r"(?:Value error, )?(.+) is not one of (.+?)\.?$"), r"\1 不是可选的值（可选：\2）。"),
    (re.compile(r"Input should be a valid integer.*"), "应为整数。"),
    (re.compile(r"Input should be a valid number.*"), "应为数字。"),
    (re.compile(r"Input should be a valid boolean.*"), "应为 true 或 false。"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"应不小于 \1。"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"应不大于 \1。"),
    (re.compile(r"(.+) is not in the range (.+)\.?"), r"\1 不在范围 \2 内。"),
    (re.compile(r"(File|Directory|Path) '(.+)' does not exist\.?"), r"\2 不存在。"),
    (re.compile(r"(File|Directory|Path) '(.+)' is a file\.?"), r"\2 是文件，应为文件夹。"),
    (re.compile(r"(File|Directory|Path) '(.+)' is a directory\.?"), r"\2 是文件夹，应为文件。"),
    (re.compile(r"(File|Directory|Path) '(.+)' is not readable\.?"), r"\2 不可读。"),
    (re.compile(r"(File|Directory|Path) '(.+)' is not writable\.?"), r"\2 不可写。"),
    (re.compile(r"Value (.+) is not a valid (\w+)\.?"), r"\1 不是有效的\2。"),
)


def in_chinese(text: str) -> str:
    """A framework message in Chinese (one of ``MESSAGES``), or the text as it is (our own
    messages are Chinese already)."""
    for pattern, chinese in MESSAGES:
        if m := pattern.fullmatch(text.strip()):
            return m.expand(chinese)
    return text


def _hint(e: BadParameter) -> str:
    if e.param_hint is not None:
        hints = [e.param_hint] if isinstance(e.param_hint, str) else list(e.param_hint)
        return " / ".join(h.strip("'") for h in hints)
    if e.param is not None:
        return e.param.name if isinstance(e.param, TyperArgument) else e.param.get_error_hint().replace("'", "")
    return ""


def message(e: UsageError) -> str:
    """The Chinese message of a usage error: what is wrong, with which option or argument."""
    if isinstance(e, MissingParameter):
        kind = e.param_type or (e.param.param_type_name if e.param is not None else "parameter")
        return f"缺少{KINDS.get(kind, '参数')} {_hint(e)}。".replace(" 。", "。")
    if isinstance(e, NoSuchOption):
        maybe = f"（是不是 {'、'.join(e.possibilities)}？）" if e.possibilities else ""
        return f"没有选项 {e.option_name}{maybe}"
    if isinstance(e, BadParameter):
        hint = _hint(e)
        return f"{hint} 的值不对：{in_chinese(e.message)}" if hint else f"值不对：{in_chinese(e.message)}"
    if isinstance(e, BadOptionUsage):
        return in_chinese(e.message)
    return in_chinese(e.message)


def _panels() -> None:
    """Typer's panel titles in Chinese, and wide help when the output is not a terminal."""
    from typer import rich_utils

    for name, text in PANELS.items():
        setattr(rich_utils, name, text)
    if rich_utils.MAX_WIDTH is None and not sys.stdout.isatty():
        rich_utils.MAX_WIDTH = WIDE


def _chinese(e: UsageError) -> UsageError:
    _panels()
    if isinstance(e, NoArgsIsHelpError):
        return e
    out = UsageError(message(e), e.ctx)
    out.exit_code = e.exit_code
    return out


class ChineseGroup(TyperGroup):
    """The root group: a usage error anywhere below it leaves in Chinese."""

    def make_context(self, *args: Any, **kwargs: Any) -> _click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as e:
            raise _chinese(e) from None

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help:
            _panels()  # the help is drawn as the error is made
        return super().parse_args(ctx, args)

    def invoke(self, ctx: _click.Context) -> Any:
        if not ctx.args and ctx._protected_args:  # a command given alone: a group shows its help
            command = self.get_command(ctx, ctx._protected_args[0])
            if getattr(command, "no_args_is_help", False):
                _panels()
        try:
            return super().invoke(ctx)
        except UsageError as e:
            raise _chinese(e) from None


def _help_option(make: Callable) -> Callable:
    def help_option(names: list[str]) -> Callable:
        add = make(names)

        def decorate(command: Any) -> Any:
            add(command)
            option = command.params[-1]
            option.help = HELP_TEXT
            show = option.callback

            def show_in_chinese(ctx: Any, param: Any, value: bool) -> None:
                if value and not ctx.resilient_parsing:
                    _panels()
                show(ctx, param, value)

            option.callback = show_in_chinese
            return command

        return decorate

    return help_option


class ChineseFormatter(formatting.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, chinese in METAVARS:
            args = args.replace(english, chinese)
        super().write_usage(prog, args, USAGE if prefix is None else prefix)


def _typed(display_type: Callable) -> Callable:
    words = re.compile(r"\b(" + "|".join(TYPES) + r")\b")

    def display(self: Any, ctx: Any) -> str:
        label = display_type(self, ctx)
        return label if self.type_descriptor.is_choice else words.sub(lambda m: TYPES[m[1]], label)

    return display


def install(app: typer.Typer) -> None:
    """Everything ``app`` (made with ``cls=ChineseGroup``) prints about itself in Chinese (see the module's docstring)."""
    if app.info.cls is not ChineseGroup:
        raise TypeError("typer.Typer(cls=ChineseGroup) expected")
    if not getattr(decorators.help_option, "chinese", False):
        decorators.help_option = _help_option(decorators.help_option)
        decorators.help_option.chinese = True  # type: ignore[attr-defined]
        _click.Context.formatter_class = ChineseFormatter
        base = next(c for c in TyperArgument.__mro__ if "display_type" in c.__dict__)
        base.display_type = _typed(base.display_type)  # type: ignore[method-assign]
