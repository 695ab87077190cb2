"""Names that become path components: project name, version, slugs, package codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate_flow.errors import InputError
from translate_flow.names import MAX_NAME, check_name


@pytest.mark.parametrize("name", ["2024.11", "newsroom", "a", "nato-must-stay-united", "x_1", "a" * MAX_NAME])
def test_safe_names_pass_unchanged(name):
    assert check_name(name, "name") == name


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x/../../outside", "'x/../../outside' must be one path component"),
        ("..", "must be one path component"),
        ("a..b", "must be one path component"),
        (".hidden", "must be one path component"),
        ("", "must be one path component"),
        ("a b", "must be one path component"),
        ("a\\b", "must be one path component"),
        ("a\nb", "must be one path component"),
        ("a" * (MAX_NAME + 1), f"is {MAX_NAME + 1} characters long; at most {MAX_NAME}"),
        (2024.11, "must be a string, not float"),
        (None, "must be a string, not NoneType"),
    ],
)
def test_unsafe_names_are_refused_naming_the_setting(name, message):
    with pytest.raises(InputError) as caught:
        check_name(name, "project.version", "translate-flow.toml", 5)
    assert message in caught.value.message
    assert caught.value.message.startswith("project.version ")
    assert (caught.value.path, caught.value.line) == ("translate-flow.toml", 5)


@given(st.text(max_size=MAX_NAME + 5))
def test_an_accepted_name_is_one_component_that_stays_in_its_folder(name):
    try:
        check_name(name, "name")
    except InputError:
        return
    folder = Path("/srv/project/dist")
    assert Path(name).parts == (name,)
    assert (folder / name).resolve().parent == folder
    assert not name.startswith(".") and len(name) <= MAX_NAME


def test_the_documented_limit_is_80_characters():
    # The README promises "at most 80 characters": a slug or version of 81 is refused, one of 80 is not.
    assert check_name("a" * 80, "article slug") == "a" * 80
    with pytest.raises(InputError, match="is 81 characters long; at most 80"):
        check_name("a" * 81, "article slug")
