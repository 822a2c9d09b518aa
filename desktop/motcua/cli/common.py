"""Argument helpers shared by the CLI command modules."""

from __future__ import annotations

import argparse


def json_flag() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--json", action="store_true", help="kết quả dạng JSON cho script")
    return parent


def add_command(sub: argparse._SubParsersAction, name: str, handler, help: str, *,
                needs_store: bool = True, json: bool = True) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help, description=help, parents=[json_flag()] if json else [])
    parser.set_defaults(handler=handler, needs_store=needs_store)
    return parser
