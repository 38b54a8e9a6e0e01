"""The notes' LaTeX formulas as readable rich text (HTML that Qt's text widgets show): Greek
letters and operators as Unicode, ``^{}``/``_{}`` as superscripts and subscripts, fractions as
a/b, ``\\mathbf``/``\\vec`` in bold, variables in italics, environments (aligned, cases,
matrices) row by row. Qt-free; no TeX engine. A command it does not know is shown by its name,
never as a raw ``\\command``.

``math_to_html(src)`` converts one formula; ``extract_math(text)`` replaces every ``$...$`` and
``$$...$$`` in a Markdown text by a placeholder word and returns the formulas' HTML, so the text
around them can go through a Markdown renderer first.
"""
from __future__ import annotations

import html
import re
import unicodedata

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
#: relations and binary operators: spaced on both sides (not inside a sub- or superscript)
SPACED = {
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
    "sim": "∼", "simeq": "≃", "equiv": "≡", "propto": "∝", "in": "∈", "notin": "∉",
    "subset": "⊂", "subseteq": "⊆", "rightarrow": "→", "to": "→", "leftarrow": "←",
    "gets": "←", "Rightarrow": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔",
    "leftrightarrow": "↔", "implies": "⇒", "iff": "⇔", "mapsto": "↦", "times": "×",
    "cdot": "·", "circ": "∘", "odot": "⊙", "otimes": "⊗", "oplus": "⊕", "pm": "±", "mp": "∓",
    "ast": "∗", "div": "÷", "cap": "∩", "cup": "∪", "land": "∧", "lor": "∨", "mid": "|",
    "ll": "≪", "gg": "≫",
}
SYMBOLS = {
    "partial": "∂", "nabla": "∇", "infty": "∞", "sum": "∑", "prod": "∏", "int": "∫",
    "oint": "∮", "dots": "…", "ldots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱",
    "langle": "⟨", "rangle": "⟩", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉",
    "forall": "∀", "exists": "∃", "emptyset": "∅", "varnothing": "∅", "prime": "′", "ell": "ℓ",
    "neg": "¬", "lnot": "¬", "top": "⊤", "perp": "⊥", "angle": "∠", "star": "⋆", "dagger": "†",
    "hbar": "ℏ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "backslash": "∖", "vert": "|",
    "Vert": "‖", "lvert": "|", "rvert": "|", "lVert": "‖", "rVert": "‖",
    "{": "{", "}": "}", "|": "‖", "%": "%", "$": "$", "#": "#", "&": "&amp;", "_": "_",
}
#: written upright, as in print
FUNCTIONS = {"log", "ln", "exp", "max", "min", "sup", "inf", "lim", "sin", "cos", "tan",
             "sinh", "cosh", "tanh", "arg", "argmax", "argmin", "det", "dim", "sgn", "ker",
             "deg", "gcd", "Pr", "trace", "tr", "diag"}
SPACES = {" ": " ", ",": "\u2009", ";": " ", ":": "\u2009", "!": "", "quad": "\u2003",
          "qquad": "\u2003\u2003", "enspace": "\u2002", "thinspace": "\u2009"}
#: sizing and style words that change nothing here
IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
           "biggl", "biggr", "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits",
           "middle", "nonumber", "notag"}
ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305",
           "tilde": "\u0303", "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308",
           "check": "\u030c", "breve": "\u0306"}
BOLD = {"mathbf", "boldsymbol", "bm", "vec", "mathbold", "textbf"}
TEXT = {"text", "textrm", "mathrm", "operatorname", "mathit", "textit", "mathsf", "texttt",
        "mathtt", "textsf", "mbox", "hbox", "operatorname*"}
FRACTIONS = {"frac", "dfrac", "tfrac", "cfrac"}
DOUBLE_STRUCK = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "P": "ℙ", "E": "𝔼",
                 "1": "𝟙", "H": "ℍ"}
SCRIPT = {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ",
          "e": "ℯ", "g": "ℊ", "o": "ℴ"}
MATRICES = {"matrix": ("", ""), "bmatrix": ("[", "]"), "pmatrix": ("(", ")"),
            "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"), "Bmatrix": ("{", "}"),
            "smallmatrix": ("", ""), "array": ("", "")}

_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|\\$|[{}^_&]|\s+|.", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def plain(fragment: str) -> str:
    """The text of an HTML fragment, tags dropped and entities decoded."""
    return html.unescape(_TAGS.sub("", fragment))


class _Parser:
    def __init__(self, src: str, display: bool):
        self.tokens = _TOKEN.findall(src)
        self.i = 0
        self.display = display
        self.script = 0                 # depth of sub- and superscripts: operators unspaced there
        self.after_operand = False      # a minus after an operand is binary, else a sign

    # -- tokens ---------------------------------------------------------------------------
    def peek(self, skip_space: bool = True) -> str | None:
        j = self.i
        while skip_space and j < len(self.tokens) and self.tokens[j].isspace():
            j += 1
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self) -> str | None:
        while self.i < len(self.tokens) and self.tokens[self.i].isspace():
            self.i += 1
        if self.i >= len(self.tokens):
            return None
        self.i += 1
        return self.tokens[self.i - 1]

    def raw_group(self) -> str:
        """The source of a ``{...}`` argument as written (for \\text and environment names)."""
        if self.peek() != "{":
            token = self.take()
            return token or ""
        self.take()
        depth, out = 1, []
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            self.i += 1
            depth += token == "{"
            depth -= token == "}"
            if depth == 0:
                break
            out.append(token)
        return "".join(out)

    def optional(self) -> str | None:
        """A ``[...]`` option, if there is one."""
        if self.peek() != "[":
            return None
        self.take()
        out = []
        while (token := self.take()) not in (None, "]"):
            out.append(token)
        return "".join(out)

    # -- structure ------------------------------------------------------------------------
    def sequence(self, stop=("}",)) -> str:
        out = []
        while True:
            token = self.peek(skip_space=False)
            if token is None or token in stop:
                return "".join(out)
            if token.isspace():
                self.i += 1
                continue
            out.append(self.atom())

    def argument(self) -> str:
        """One argument: a ``{group}``, or a single token."""
        if self.peek() == "{":
            self.take()
            was = self.after_operand
            self.after_operand = False
            inner = self.sequence()
            self.take()                 # the closing brace
            self.after_operand = was
            return inner
        return self.atom()

    def script_of(self, tag: str) -> str:
        self.script += 1
        was = self.after_operand
        self.after_operand = False
        inner = self.argument()
        self.after_operand = was
        self.script -= 1
        return f"<{tag}>{inner}</{tag}>"

    def spaced(self, symbol: str) -> str:
        self.after_operand = False
        return symbol if self.script else f" {symbol} "

    def operand(self, text: str) -> str:
        self.after_operand = True
        return text

    def atom(self) -> str:
        token = self.take()
        if token is None:
            return ""
        if token == "{":
            inner = self.sequence()
            self.take()
            return self.operand(inner)
        if token == "}":
            return ""
        if token == "^":
            return self.script_of("sup")
        if token == "_":
            return self.script_of("sub")
        if token == "&":
            return ""
        if token.startswith("\\"):
            return self.command(token[1:])
        if token.isalpha() and token.isascii():
            return self.operand(f"<i>{token}</i>")
        if token in "+=<>":
            return self.spaced(html.escape({"+": "+"}.get(token, token)))
        if token == "-":
            if self.after_operand:
                return self.spaced("−")
            return "−"
        if token == "'":
            return self.operand("′")
        if token == "~":
            return " "
        if token == ",":
            self.after_operand = False
            return "," if self.script else ", "
        if token in "([":
            self.after_operand = False
            return token
        return self.operand(html.escape(token))

    def command(self, name: str) -> str:
        if name == "\\":                           # a line break
            self.optional()
            self.after_operand = False
            return "<br>" if self.display else "; "
        if name in SPACES:
            return SPACES[name]
        if name in IGNORED:
            if self.peek() == ".":                  # \left. and \right.: no delimiter
                self.take()
            return ""
        if name in GREEK:
            return self.operand(GREEK[name])
        if name in SPACED:
            return self.spaced(SPACED[name])
        if name in SYMBOLS:
            return self.operand(SYMBOLS[name])
        if name in FUNCTIONS:
            self.after_operand = False
            return name + ("" if self.peek() in ("(", "_", "^", "{", "\\left") else "\u2009")
        if name in FRACTIONS:
            top, bottom = self.argument(), self.argument()
            return self.operand(f"{grouped(top)}/{grouped(bottom)}")
        if name == "sqrt":
            index = self.optional()
            body = self.argument()
            root = f"<sup>{html.escape(index)}</sup>√" if index else "√"
            return self.operand(root + grouped(body))
        if name in ACCENTS:
            body = self.argument()
            return self.operand(accented(body, ACCENTS[name]))
        if name in BOLD:
            return self.operand(f"<b>{self.argument()}</b>")
        if name in TEXT:
            words = self.raw_group()
            return self.operand(html.escape(re.sub(r"\\(.)", r"\1", words)))
        if name == "mathbb":
            return self.operand(lettered(self.raw_group(), DOUBLE_STRUCK))
        if name in ("mathcal", "mathscr"):
            return self.operand(lettered(self.raw_group(), SCRIPT))
        if name in ("underset", "overset", "stackrel"):
            over, base = self.argument(), self.argument()
            tag = "sub" if name == "underset" else "sup"
            return self.operand(f"{base}<{tag}>{over}</{tag}>")
        if name == "begin":
            return self.environment(self.raw_group())
        if name == "end":
            self.raw_group()
            return ""
        # not known: its name, upright, never a raw command
        return self.operand(html.escape(name))

    def environment(self, name: str) -> str:
        if name == "array":
            self.raw_group()                        # the column spec
        rows = []
        row, cells = [], None
        while True:
            token = self.peek()
            if token is None:
                break
            if token == "\\end":
                self.take()
                self.raw_group()
                break
            if token == "\\\\":
                self.take()
                self.optional()
                rows.append(row)
                row = []
                continue
            if token == "&":
                self.take()
                row.append("")
                continue
            cells = self.atom()
            if row:
                row[-1] += cells
            else:
                row.append(cells)
        if row:
            rows.append(row)
        self.after_operand = True
        if name in MATRICES:
            left, right = MATRICES[name]
            body = "; ".join("\u2003".join(cell.strip() for cell in r) for r in rows)
            return f"{left}{body}{right}"
        joiner = "<br>" if self.display else "; "
        if name == "cases":
            lines = ["\u2002".join(c.strip() for c in r if c.strip()) for r in rows]
            return "{ " + joiner.join(lines)
        return joiner.join("".join(r).strip() for r in rows)


def grouped(fragment: str) -> str:
    """A fraction's part in brackets when it is more than one term (1/(1 + e^−x))."""
    text = plain(fragment).strip()
    while (inner := re.sub(r"\([^()]*\)|\[[^\[\]]*\]", "x", text)) != text:
        text = inner                    # what is inside brackets does not count
    if " " in text or "/" in text or (text.startswith("−") and len(text) > 1):
        return f"({fragment.strip()})"
    return fragment.strip()


def accented(fragment: str, mark: str) -> str:
    """``fragment`` with a combining accent on its (last) letter: x̂, ȳ."""
    match = re.search(r"([^<>\s])((?:</[^>]+>)*)$", fragment)
    if not match:
        return fragment
    letter = unicodedata.normalize("NFC", match.group(1) + mark)      # ŷ precomposed where it can
    return fragment[:match.start()] + letter + match.group(2)


def lettered(letters: str, table: dict[str, str]) -> str:
    return "".join(table.get(c, f"<i>{html.escape(c)}</i>" if c.isalpha() else html.escape(c))
                   for c in letters.strip())


def math_to_html(src: str, display: bool = False) -> str:
    """One formula (without its $ signs) as an HTML fragment."""
    out = _Parser(src, display).sequence(stop=())
    return re.sub(r" {2,}", " ", out).strip()


#: $$display$$ (over several lines too) and $inline$ (not an escaped \$, not across lines)
_MATH = re.compile(r"\$\$(.+?)\$\$|(?<!\\)\$([^$\n]+?)(?<!\\)\$", re.DOTALL)


def placeholder(index: int, display: bool) -> str:
    """A word no Markdown renderer changes and no text contains."""
    return f"MATHXD{index}X" if display else f"MATHXI{index}X"


def extract_math(text: str) -> tuple[str, dict[str, tuple[str, bool]]]:
    """``text`` with each formula replaced by a placeholder word, and {word: (html, display)}."""
    pieces: dict[str, tuple[str, bool]] = {}

    def swap(match: re.Match) -> str:
        display = match.group(1) is not None
        src = match.group(1) if display else match.group(2)
        word = placeholder(len(pieces), display)
        pieces[word] = (math_to_html(src, display), display)
        return f"\n\n{word}\n\n" if display else word

    return _MATH.sub(swap, text), pieces
