"""The probe file: both forms read with each entry's line, and every problem
reported against the line it is on."""

import textwrap

import pytest

pytestmark = pytest.mark.engine


def parse(text):
    from splice import _engine
    return _engine.parse_probe_file(textwrap.dedent(text))


def summary(probes):
    return [(p["place"], p["line"], p["config_line"], p["enabled"], p["when"]) for p in probes]


def test_wilma_form_keeps_lines_and_file_order():
    parsed = parse('''\
        imports = ["rich as r",
                   "os.path"]
        [dependencies]
        rich = ">=13"
        attrs = "latest"
        [probes]
        "z.py:4" = "print('The secret is:', secret)"
        "lib/mod.py:12" = """
        x = 1
        print(x)"""
        ''')
    assert parsed["problems"] == []
    assert parsed["imports"] == [("rich as r", 1), ("os.path", 2)]
    assert parsed["dependencies"] == [("rich", ">=13", 4), ("attrs", "", 5)]
    assert summary(parsed["probes"]) == [("z.py", 4, 7, True, ""), ("lib/mod.py", 12, 8, True, "")]
    assert parsed["probes"][1]["run"] == "x = 1\nprint(x)"


def test_full_form():
    parsed = parse('''\
        [[probe]]
        at = "app/orders.py:42"
        run = "print(f'{total=}')"
        when = "total > 100"

        [[probe]]
        at = "json.decoder:45"
        run = "pass"
        enabled = false
        ''')
    assert parsed["problems"] == []
    assert summary(parsed["probes"]) == [("app/orders.py", 42, 1, True, "total > 100"),
                                         ("json.decoder", 45, 6, False, "")]
    assert parsed["probes"][0]["at"] == "app/orders.py:42"


def test_a_place_is_split_on_its_last_colon():
    probe, = parse('"C:/work/app.py:7" = "pass"\n'.join(["[probes]\n", ""]))["probes"]
    assert (probe["place"], probe["line"]) == ("C:/work/app.py", 7)


@pytest.mark.parametrize("text, line, message", [
    ('colour = 1\n', 1, "unknown key 'colour'"),
    ('[probes]\n"a.py" = "pass"\n', 2, "'a.py' is not a place and a line"),
    ('[probes]\n"a.py:0" = "pass"\n', 2, "is not a place and a line"),
    ('[probes]\n"a.py:x" = "pass"\n', 2, "is not a place and a line"),
    ('[probes]\n"a.py:3" = 5\n', 2, "must be a string of Python code"),
    ('\n[[probe]]\nat = "a.py:3"\n', 2, "needs 'run'"),
    ('[[probe]]\nrun = "pass"\n', 1, "needs 'at'"),
    ('[[probe]]\nat = "a.py:3"\nrun = "pass"\nenabeld = false\n', 4, "unknown key 'enabeld' in [[probe]]"),
    ('[[probe]]\nat = "a.py:3"\nrun = "pass"\nenabled = "no"\n', 4, "'enabled' must be true or false"),
    ('imports = "rich"\n', 1, "'imports' must be a list"),
    ('[dependencies]\nrich = 13\n', 2, "needs a version string"),
    ('[probes]\n"a.py:3" = "pass"\n\nx = [\n', 4, "invalid TOML"),
])
def test_problems_name_their_line(text, line, message):
    parsed = parse(text)
    assert len(parsed["problems"]) == 1, parsed["problems"]
    got_line, got_message = parsed["problems"][0]
    assert got_line == line and message in got_message, parsed["problems"][0]


def test_a_bad_entry_leaves_the_others():
    parsed = parse('''\
        [probes]
        "a.py:1" = "pass"
        "a.py" = "pass"
        "b.py:2" = "pass"
        ''')
    assert [p["at"] for p in parsed["probes"]] == ["a.py:1", "b.py:2"]
    assert [line for line, _ in parsed["problems"]] == [3]
