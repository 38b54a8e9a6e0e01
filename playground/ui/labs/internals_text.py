"""The selected racer's internals as the notes' formulas (chapter 2) filled in with its current
numbers, as HTML for the internals panel. Qt-free: tests read the same text the panel shows."""
from __future__ import annotations

import html

import numpy as np

from playground.labs import Racer
from playground.labs.race import kind_name


#: hats as superscript carets: Qt's text engine misplaces combining circumflexes (m̂ drew as "m" with
#: a stray "^" beside the next letter)
M_HAT = "m<sup>^</sup>"
V_HAT = "v<sup>^</sup>"


def num(x: float) -> str:
    """4 significant digits, a real minus sign."""
    return f"{x:.4g}".replace("-", "−")


def vec(v) -> str:
    v = np.asarray(v, np.float64).reshape(-1)
    return "(" + ", ".join(num(x) for x in v) + ")"


def _row(name: str, formula: str, filled: str, result: str, tip: str = "") -> str:
    """One line: name = formula = the numbers = value (the parts that exist)."""
    parts = [f"<b>{name}</b>"] + [p for p in (formula, filled) if p] + [f"<b>{result}</b>"]
    muted = f' <span style="color:#7a828c">— {html.escape(tip)}</span>' if tip else ""
    return f"<tr><td>{' = '.join(parts)}{muted}</td></tr>"


def rows(racer: Racer) -> list[tuple[str, str, str, str, str]]:
    """(name, formula, formula with numbers, value, tooltip) for the racer's last step."""
    if not racer.internals:
        return []
    c = racer.config
    t = racer.steps
    now = racer.internals[-1]
    before = racer.internals[-2] if len(racer.internals) > 1 else None
    g = now["gradient"]
    lr = num(c["lr"])
    out = [("g", "∇J(θ)", "", vec(g), "The gradient at the point the step started from")]
    kind = kind_name(c)
    if kind == "SGD":
        out.append(("step", "lr·g", f"{lr}·{vec(g)}", vec(now["effective_step"]),
                    "Plain gradient descent: θ ← θ − lr·g"))
    elif kind == "Momentum":
        prev = before["velocity"] if before else np.zeros(2)
        out.append(("v", "ρ·v + lr·g", f"{num(c['rho'])}·{vec(prev)} + {lr}·{vec(g)}",
                    vec(now["velocity"]),
                    "The velocity (notes 2.2.1): θ ← θ − v. It grows while the gradient keeps "
                    "its direction and cancels when it flips."))
    elif kind == "RMSProp":
        prev = before["square_avg"] if before else np.zeros(2)
        a = num(c["alpha"])
        out.append(("s", "α·s + (1 − α)·g²", f"{a}·{vec(prev)} + (1 − {a})·{vec(g ** 2)}",
                    vec(now["square_avg"]), "The moving average of the squared gradient"))
        out.append(("step", "lr·g / (√s + ε)",
                    f"{lr}·{vec(g)} / ({vec(np.sqrt(now['square_avg']))} + {num(c['eps'])})",
                    vec(now["effective_step"]), "θ ← θ − step: each coordinate scaled by its "
                    "own recent gradient size"))
    else:
        b1, b2 = c["betas"]
        m_prev = before["m"] if before else np.zeros(2)
        v_prev = before["v"] if before else np.zeros(2)
        out += [
            ("m", "β₁·m + (1 − β₁)·g", f"{num(b1)}·{vec(m_prev)} + {num(1 - b1)}·{vec(g)}",
             vec(now["m"]), "First moment: the moving average of the gradient (momentum)"),
            ("v", "β₂·v + (1 − β₂)·g²", f"{num(b2)}·{vec(v_prev)} + {num(1 - b2)}·{vec(g ** 2)}",
             vec(now["v"]), "Second moment: the moving average of the squared gradient"),
            ("1/(1 − β₁ᵗ)", "", f"1/(1 − {num(b1)}<sup>{t}</sup>)", num(now["bias_correction1"]),
             "Bias correction of m: m starts at 0, so early averages are too small"),
            ("1/(1 − β₂ᵗ)", "", f"1/(1 − {num(b2)}<sup>{t}</sup>)", num(now["bias_correction2"]),
             "Bias correction of v"),
            (M_HAT, "m/(1 − β₁ᵗ)", f"{vec(now['m'])}·{num(now['bias_correction1'])}",
             vec(now["m_hat"]), "Bias-corrected first moment"),
            (V_HAT, "v/(1 − β₂ᵗ)", f"{vec(now['v'])}·{num(now['bias_correction2'])}",
             vec(now["v_hat"]), "Bias-corrected second moment"),
        ]
        denom = V_HAT
        if c["amsgrad"]:
            out.append((V_HAT + "max", f"max({V_HAT}max, {V_HAT})",
                        "the running maximum of v, times 1/(1 − β₂ᵗ)",
                        vec(now["v_max_hat"]),
                        "AMSGrad: the step divides by the largest second moment so far, so it "
                        "can never grow because v shrank (the engine, like PyTorch, keeps the "
                        "maximum of v and applies the bias correction after)"))
            denom = V_HAT + "max"
            root = np.sqrt(now["v_max_hat"])
        else:
            root = np.sqrt(now["v_hat"])
        out.append(("step", f"lr·{M_HAT}/(√{denom} + ε)",
                    f"{lr}·{vec(now['m_hat'])}/({vec(root)} + {num(c['eps'])})",
                    vec(now["effective_step"]), "θ ← θ − step: the effective step of each "
                    "coordinate"))
    out.append(("θ", "θ − step", "", vec(racer.path[-1]), "Where the racer is now"))
    return out


def internals_html(racer: Racer | None, color: str = "#000000") -> str:
    if racer is None:
        return "<p>Select a racer in the table to see its internals.</p>"
    head = (f'<p><span style="color:{color}; font-size:14pt">●</span> <b>{html.escape(racer.label)}'
            f"</b> after step t = {racer.steps:,}, J = {num(racer.loss)}</p>")
    if racer.stopped:
        head += f"<p><b>Stopped:</b> {html.escape(racer.stopped)}.</p>"
    body = rows(racer)
    if not body:
        return head + "<p>Press Step or Play to take the first step.</p>"
    table = "".join(_row(*r) for r in body)
    return head + '<table cellspacing="0" cellpadding="1">' + table + "</table>"
