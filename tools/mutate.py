"""A small mutation tester for the engine and the snapshot feed (issue 12, item 6).

    python tools/mutate.py [--jobs 2] [--only 3,17] [--timeout 600]

Each mutant is one hand-picked edit (an operator, a constant, a sign, an index off by one, an
optimizer formula) applied to a private copy of the repository; the tests named with it run with
``-x``, and the mutant is *killed* when they fail or time out, *survived* when they pass. The
working tree is never touched. A mutant whose text is not found exactly once is reported as
stale (the code moved), not silently skipped.

numba caches compiled kernels per file (keyed on the file's time stamp), so a mutated file's own
kernels recompile; but a cached kernel that inlined a function from another file does not notice
that file change. Activations are inlined everywhere, so their mutants mark every engine file as
changed (a full recompile). Elsewhere a stale caller can only hide a mutant (report it as
survived), never invent a kill.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
E = "playground/engine/"
T = "tests/engine/"

FAST = (T + "test_fast_path.py", T + "test_fast_path_penalty.py")
SNAP = (T + "test_snapshot.py", T + "test_snapshot_maps.py", T + "test_trainer.py")
CONV = (T + "test_conv.py", T + "test_conv_direct.py")
POOL = (T + "test_pool.py",)
OPT = (T + "test_optimizers.py",)
LOSS = (T + "test_losses.py",)
ACT = (T + "test_dense_and_activations.py",)
BN = (T + "test_batchnorm.py",)
MAP = (T + "test_every_activation.py",)


@dataclass
class Mutant:
    path: str
    old: str
    new: str
    tests: tuple[str, ...]
    why: str


M = Mutant
MUTANTS = [
    # the fused MLP (loss, backward, penalty, frozen layers)
    M(E + "fused.py", "delta[j, n] = 2.0 * (yv - tv) / (k * nb)", "delta[j, n] = 2.0 * (yv - tv) / nb",
      FAST, "MSE gradient not averaged over the outputs"),
    M(E + "fused.py", "loss -= tv * max(math.log(yv), -100.0) + (1 - tv) * max(math.log(1 - yv), -100.0)",
      "loss -= tv * max(math.log(yv), -100.0)", FAST, "BCE loss value drops the (1 - t) term"),
    M(E + "fused.py", "delta[j, n] = -tv / max(yv, 1e-12) / nb", "delta[j, n] = tv / max(yv, 1e-12) / nb",
      FAST, "CCE gradient sign"),
    M(E + "fused.py", "return loss / (k * nb) if loss_code != 2 else loss / nb",
      "return loss / nb if loss_code != 2 else loss / nb", FAST, "loss value not averaged over outputs"),
    M(E + "fused.py", "grads[b_off + j] = s", "grads[b_off + j] = -s", FAST, "bias gradient sign"),
    M(E + "fused.py", "        if l == 0:\n            break", "        if l == 1:\n            break",
      FAST, "backward stops a layer early"),
    M(E + "fused.py", "kernels.grad_rows(table[l - 1, 4], alphas[l - 1],",
      "kernels.grad_rows(table[l, 4], alphas[l],", FAST, "hidden derivative of the wrong layer"),
    M(E + "fused.py", "grads[i] += rate if w > 0 else (-rate if w < 0 else 0.0)", "grads[i] += rate",
      FAST, "L1 gradient ignores the sign"),
    M(E + "fused.py", "                grads[i] += rate * w\n", "                grads[i] += 2 * rate * w\n",
      FAST, "L2 gradient doubled"),
    M(E + "fused.py", "            if frozen[i]:\n                params[i] = backup[i]",
      "            if frozen[i]:\n                pass", FAST + BN, "frozen layers move"),
    M(E + "fused.py", "tbuf[j, n] = t[idx, j]", "tbuf[j, n] = t[idx, 0]", FAST,
      "every output gets the first target"),
    M(E + "fused.py", "row[1] = offset if layer.use_bias else -1", "row[1] = -1", FAST,
      "biases ignored"),
    # the decision map's blocked forward
    M(E + "fused_map.py", "bias = params[b_off + j] if b_off >= 0 else 0.0", "bias = 0.0",
      FAST + MAP, "forward without biases"),
    M(E + "fused_map.py", "out[b0 + n, r - first_row] = src[n]", "out[b0 + n, r - first_row] = src[n - 1]",
      FAST + MAP, "predict's rows shifted by one point"),
    M(E + "fused_map.py", "                    dst[b0 + n] = src[n]", "                    dst[b0 + n] = src[0]",
      SNAP + MAP, "map rows all equal the block's first point"),
    M(E + "fused_map.py", "                row[n] = x[b0 + n, i]", "                row[n] = x[b0 + n, 0]",
      FAST + MAP, "second input feature replaced by the first"),
    # optimizers
    M(E + "optimizers.py", "        p[i] -= lr * g[i]\n\n", "        p[i] += lr * g[i]\n\n", OPT, "SGD ascends"),
    M(E + "optimizers.py", "v[i] = rho * v[i] + lr * g[i]", "v[i] = rho * v[i] + g[i]", OPT,
      "momentum without the learning rate"),
    M(E + "optimizers.py", "s[i] = alpha * s[i] + (1.0 - alpha) * g[i] * g[i]",
      "s[i] = alpha * s[i] + g[i] * g[i]", OPT, "RMSProp average not weighted"),
    M(E + "optimizers.py", "bc1 = 1.0 - b1 ** t", "bc1 = 1.0 - b1 ** (t + 1)", OPT,
      "Adam bias correction off by one step"),
    M(E + "optimizers.py", "gi += wd * p[i]", "gi -= wd * p[i]", OPT, "weight decay sign"),
    M(E + "optimizers.py", "if v[i] > vmax[i]:", "if v[i] < vmax[i]:", OPT, "AMSGrad keeps the minimum"),
    M(E + "optimizers.py", "denom = math.sqrt(v[i]) / bc2_sqrt + eps", "denom = math.sqrt(v[i]) / bc2_sqrt",
      OPT, "Adam without eps"),
    M(E + "optimizers.py", "gi = -g[i] if maximize else g[i]", "gi = g[i]", OPT, "maximize ignored"),
    M(E + "optimizers.py", "step = lr / bc1", "step = lr", OPT, "Adam first-moment correction dropped"),
    # direct convolution
    M(E + "kernels/direct.py", "acc[p] += w0 * src[p] + w1 * src[p + 1] + w2 * src[p + 2]",
      "acc[p] += w0 * src[p] + w1 * src[p + 1] + w2 * src[p + 1]", CONV, "3-tap row reads tap 1 twice"),
    M(E + "kernels/direct.py", "            gb[f] += s", "            gb[f] = s", CONV,
      "bias gradient of the last image only"),
    M(E + "kernels/direct.py", "grow[j + 4] += s4", "grow[j + 4] += s3", CONV, "5th tap's weight gradient"),
    M(E + "kernels/direct.py", "dst[p] += w * dz[p]", "dst[p] -= w * dz[p]", CONV, "input gradient sign"),
    M(E + "kernels/direct.py", "                base = (h + ph) * row_w + pw\n                for w in range(width):\n                    dst[base + w]",
      "                base = (h + ph) * row_w\n                for w in range(width):\n                    dst[base + w]",
      CONV, "padding left out on the left"),
    # im2col / col2im
    M(E + "kernels/im2col.py", "_gather_row(padded, (oh * sh + i) * padded_w + j, sw, dst,",
      "_gather_row(padded, (oh * sh + i) * padded_w + j + 1, sw, dst,", CONV, "im2col column off by one"),
    M(E + "kernels/im2col.py", "(oh * sh + i) * padded_w + j, sw, out_w)",
      "(oh * sh + i) * padded_w + j, sw, out_w - 1)", CONV, "col2im drops each row's last output"),
    M(E + "kernels/im2col.py", "dst[np.uint64(start + 2 * o)] += src[np.uint64(base + o)]",
      "dst[np.uint64(start + 2 * o)] = src[np.uint64(base + o)]", CONV,
      "stride-2 scatter overwrites instead of adding"),
    # layout kernels
    M(E + "kernels/layout.py", "_act_row(code, alpha, z[f, n * n_pos:(n + 1) * n_pos], bias[f], out[n, f])",
      "_act_row(code, alpha, z[f, n * n_pos:(n + 1) * n_pos], bias[0], out[n, f])", CONV,
      "every filter gets the first bias"),
    M(E + "kernels/layout.py", "out[c, n * n_pos:(n + 1) * n_pos] = x[n, c]",
      "out[c, n * n_pos:(n + 1) * n_pos] = x[n, 0]", CONV, "transposed conv reads channel 0 only"),
    # pooling
    M(E + "kernels/pooling.py", "right_top = b > a", "right_top = b >= a", POOL,
      "ties go to the later maximum"),
    M(E + "kernels/pooling.py", "at_bottom = width + 1 if right_bottom else width",
      "at_bottom = width if right_bottom else width + 1", POOL, "2x2 argmax bottom row swapped"),
    M(E + "kernels/pooling.py", "    scale = 1.0 / (kh * kw)\n    for m in range(n_planes):\n        plane = x[m]",
      "    scale = 1.0 / kh\n    for m in range(n_planes):\n        plane = x[m]", POOL, "average over kh only"),
    M(E + "kernels/pooling.py", "grad_in[np.uint64(m * n_in + where[k])] += grad_out[k]",
      "grad_in[np.uint64(m * n_in + where[k])] = grad_out[k]", POOL,
      "overlapping windows overwrite their shared maximum's gradient"),
    # activations (derivatives; the kernels are generated from these)
    M(E + "activations/tanh.py", "    return 1.0 - y * y", "    return 1.0 - y", ACT, "tanh'"),
    M(E + "activations/sigmoid.py", "return y * (1.0 - y)", "return y * (1.0 + y)", ACT, "sigmoid'"),
    M(E + "activations/leaky_relu.py", "return 1.0 if y > 0 else a", "return 1.0 if y > 0 else 0.1",
      ACT + FAST, "the review's bug: leaky slope hard-coded"),
    M(E + "activations/relu.py", "return 1.0 if y > 0 else 0.0", "return 1.0 if y >= 0 else 0.0", ACT,
      "relu' is 1 at 0"),
    # losses and regularization (general path)
    M(E + "losses.py", "self.y.dtype.type(2.0 / self.y.size)", "self.y.dtype.type(1.0 / self.y.size)",
      LOSS, "MSE gradient halved"),
    M(E + "losses.py", "np.maximum(y * (1 - y), y.dtype.type(_EPS))", "np.maximum(y * (1 + y), y.dtype.type(_EPS))",
      LOSS, "BCE gradient denominator"),
    M(E + "losses.py", "return -np.sum(self.t * log_y, dtype=np.float64) / len(self.y)",
      "return -np.sum(self.t * log_y, dtype=np.float64) / self.y.size", LOSS, "CCE averaged over classes too"),
    M(E + "regularization.py", "            total += 0.5 * w[i] * w[i]", "            total += w[i] * w[i]",
      FAST + (T + "test_trainer.py",), "L2 penalty value doubled"),
    # batch norm
    M(E + "layers/batchnorm.py", "unbiased = var * (count / (count - 1)) if count > 1 else var",
      "unbiased = var", BN, "running variance biased"),
    M(E + "layers/batchnorm.py", "rm *= 1 - m", "rm *= m", BN, "running mean momentum inverted"),
    M(E + "layers/batchnorm.py", "return scale * (dy - mean_dy - xhat * mean_dy_xhat)",
      "return scale * (dy - mean_dy)", BN, "input gradient ignores the variance's dependence"),
    M(E + "layers/batchnorm.py", "(1.0 / np.sqrt(var + self.eps))", "(1.0 / np.sqrt(var))", BN,
      "eps left out"),
    # the snapshot feed
    M(E + "trainer.py", "gradients={k: v.copy() for k, v in self.net.gradients().items()}",
      "gradients={k: v.copy() for k, v in self.net.parameters().items()}", SNAP,
      "the review's mutant: gradients replaced by the weights"),
    M(E + "trainer.py", "snap.grad_norms[key[:-len(\".weight\")]] = float(np.sqrt(flat @ flat))",
      "snap.grad_norms[key[:-len(\".weight\")]] = 1.0", SNAP, "the review's mutant: every norm 1.0"),
    M(E + "trainer.py", "snap.grad_norms[key[:-len(\".weight\")]] = float(np.sqrt(flat @ flat))",
      "snap.grad_norms[key[:-len(\".weight\")]] = float(flat @ flat)", SNAP, "squared norm"),
    M(E + "trainer.py", "weights=self.net.get_weights(),", "weights=self.net.parameters(),", SNAP,
      "live weights instead of copies"),
    M(E + "trainer.py", "acts[offs[i + 1]:offs[i + 2]].reshape(-1, r, r).copy()",
      "acts[offs[i]:offs[i + 1]].reshape(-1, r, r).copy()", SNAP, "map of the layer before"),
    M(E + "trainer.py", "snap.grid_inputs = self.grid.T.reshape(-1, r, r).copy()",
      "snap.grid_inputs = self.grid.reshape(-1, r, r).copy()", SNAP, "input maps not transposed"),
    M(E + "trainer.py", "snap.probe_activations[layer.id] = layer.output.copy()",
      "snap.probe_activations[layer.id] = layer.output", SNAP, "probe maps are live arrays"),
    M("playground/ui/bridge.py", "snap.running = self._mode != \"idle\"", "snap.running = True",
      ("tests/ui/test_bridge.py",), "snapshot says running while idle"),
]


def _copy_tree(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def run_one(index: int, mutant: Mutant, tree: Path, timeout: float) -> tuple[str, float]:
    target = tree / mutant.path
    text = target.read_text()
    if text.count(mutant.old) != 1:
        return f"stale ({text.count(mutant.old)} matches)", 0.0
    start = time.perf_counter()
    target.write_text(text.replace(mutant.old, mutant.new))
    if "/activations/" in mutant.path:
        for path in (tree / E).rglob("*.py"):
            path.touch()
    cache = str(tree / ".numba-cache")
    env = {**os.environ, "PLAYGROUND_CACHE_DIR": cache, "NUMBA_CACHE_DIR": cache,
           "QT_QPA_PLATFORM": "offscreen"}
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                               *mutant.tests], cwd=tree, env=env, capture_output=True, text=True,
                              timeout=timeout)
        verdict = "survived" if proc.returncode == 0 else \
            "killed" if proc.returncode == 1 else f"killed (pytest exit {proc.returncode})"
    except subprocess.TimeoutExpired:
        verdict = "killed (timeout)"
    finally:
        target.write_text(text)
    return verdict, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=1, help="mutants run side by side")
    parser.add_argument("--only", help="comma-separated mutant numbers")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per mutant")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--workdir", help="keep the copies (and their compiled kernels) here "
                                          "between runs; default: a temporary directory")
    args = parser.parse_args(argv)
    chosen = [int(i) for i in args.only.split(",")] if args.only else list(range(len(MUTANTS)))
    if args.list:
        for i in chosen:
            print(f"{i:3d} {MUTANTS[i].path}: {MUTANTS[i].why}")
        return 0
    with tempfile.TemporaryDirectory(prefix="mutate-") as scratch:
        work = args.workdir or scratch
        trees = []
        for j in range(args.jobs):
            tree = Path(work) / f"tree{j}"
            _copy_tree(tree)
            trees.append(tree)
        free = list(trees)
        results: dict[int, tuple[str, float]] = {}

        def job(i: int) -> None:
            tree = free.pop()
            try:
                results[i] = run_one(i, MUTANTS[i], tree, args.timeout)
            finally:
                free.append(tree)
            verdict, secs = results[i]
            print(f"{i:3d} {verdict:<24s} {secs:6.0f} s  {MUTANTS[i].path}: {MUTANTS[i].why}",
                  flush=True)

        with ThreadPoolExecutor(args.jobs) as pool:
            list(pool.map(job, chosen))
    killed = sum(v.startswith("killed") for v, _ in results.values())
    survived = [i for i, (v, _) in results.items() if v == "survived"]
    stale = [i for i, (v, _) in results.items() if v.startswith("stale")]
    print(f"\n{len(results)} mutants: {killed} killed, {len(survived)} survived "
          f"{sorted(survived)}, {len(stale)} stale {sorted(stale)}")
    return 1 if survived or stale else 0


if __name__ == "__main__":
    sys.exit(main())
