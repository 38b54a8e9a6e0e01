"""The notes' formulas read as mathematics in the Lesson panel, not as LaTeX source: tested on
passages of the course notes themselves."""
from __future__ import annotations

import re

import pytest

from playground.project import lesson_notes
from playground.project.examples import example_names, load_example
from playground.project.latex_text import extract_math, math_to_html, plain

COMMAND = re.compile(r"\\[A-Za-z]+")


def test_the_sigmoid_of_notes_1_5_is_a_fraction_with_a_superscript():
    # deep-learning-notes.md, line 155: $$\sigma(x) = \frac{1}{1 + e^{-x}}$$
    out = math_to_html(r"\sigma(x) = \frac{1}{1 + e^{-x}}", display=True)
    assert out == "σ(<i>x</i>) = 1/(1 + <i>e</i><sup>−<i>x</i></sup>)"


def test_backprop_partials_keep_their_indices_as_subscripts_and_superscripts():
    # notes 1.8: \frac{\partial L}{\partial w_{ij}^{(m)}}
    out = math_to_html(r"\frac{\partial L}{\partial w_{ij}^{(m)}}")
    assert out == "∂<i>L</i>/∂<i>w</i><sub><i>i</i><i>j</i></sub><sup>(<i>m</i>)</sup>"
    assert plain(out) == "∂L/∂wij(m)"


def test_bold_vectors_hats_sums_and_operators():
    # notes 1.6.1: $$\hat{y} = g(b + \mathbf{w}^T \mathbf{X})$$
    out = math_to_html(r"\hat{y} = g(b + \mathbf{w}^T \mathbf{X})")
    assert out == ("<i>ŷ</i> = <i>g</i>(<i>b</i> + <b><i>w</i></b><sup><i>T</i></sup>"
                   "<b><i>X</i></b>)")
    assert plain(math_to_html(r"\sum_k e^{z_k}")) == "∑kezk"
    assert "<sub><i>k</i></sub>" in math_to_html(r"\sum_k e^{z_k}")
    assert plain(math_to_html(r"a \odot b \times c \cdot d \in \mathbb{R}^n")) == "a ⊙ b × c · d ∈ ℝn"
    # notes 2.2: \widehat{m}_t = \frac{m_t}{1-\beta_1^t}
    assert plain(math_to_html(r"\widehat{m}_t = \frac{m_t}{1-\beta_1^t}")) == "m̂t = mt/(1 − β1t)"


def test_cases_and_matrices_read_row_by_row():
    # notes 1.2: the step function
    out = math_to_html(r"\text{binary}(x) = \begin{cases} 1, & x \geq 0 \\ 0, & x < 0 \end{cases}",
                       display=True)
    assert plain(out.replace("<br>", "\n")) == "binary(x) = { 1,\u2002x ≥ 0\n0,\u2002x < 0"
    assert "&lt;" in out                                     # HTML-safe
    assert plain(math_to_html(r"\begin{bmatrix} 0 & 1 \\ 1 & 0 \end{bmatrix}")) == "[0\u20031; 1\u20030]"


def test_inline_and_display_formulas_become_placeholders_the_markdown_keeps():
    text = "The **sigmoid**  $\\sigma(z) = \\frac{1}{1+e^{-z}}$  is used.\n\n$$\\dim(z) < \\dim(x)$$\n"
    out, pieces = extract_math(text)
    assert "$" not in out and "\\" not in out
    (inline, (inline_html, inline_display)), (block, (block_html, block_display)) = pieces.items()
    assert not inline_display and block_display
    assert f"  {inline}  is used" in out and f"\n\n{block}\n\n" in out
    assert plain(block_html) == "dim(z) < dim(x)"
    assert "\\$5" in extract_math("costs \\$5 and \\$6")[0]       # escaped dollars are not math


def linked_sections() -> list[tuple[str, str]]:
    notes = lesson_notes.find_notes()
    if notes is None:
        pytest.skip("the course notes are not beside this checkout")
    text = notes.read_text(encoding="utf-8")
    out = []
    for name in example_names():
        for ref in lesson_notes.notes_refs(load_example(name).description):
            found = lesson_notes.section(text, ref)
            assert found, (name, ref)
            out.append((f"{name} §{ref}", found[1]))
    return out


def test_no_raw_latex_command_survives_in_any_examples_section():
    """Every section an example links to, converted: no ``\\word`` left, in or out of formulas."""
    sections = linked_sections()
    assert len(sections) >= 15
    for where, body in sections:
        text, pieces = extract_math(body)
        left = COMMAND.findall(text) + [c for h, _ in pieces.values() for c in COMMAND.findall(h)]
        assert not left, f"{where}: {sorted(set(left))}"
        assert all(plain(h).strip() for h, _ in pieces.values() if h), where
