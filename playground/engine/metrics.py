"""Metrics per task: accuracy (and per class) for classification, element accuracy for multi-label,
MSE and R^2 for regression."""
from __future__ import annotations

import numpy as np

TASKS = ("classification", "multilabel", "regression")


def predicted_classes(y: np.ndarray) -> np.ndarray:
    """Class per row: argmax over K outputs, or the 0.5 threshold of a single output."""
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1)
    return (y.reshape(len(y), -1)[:, 0] >= 0.5).astype(np.int64)


def classification(y: np.ndarray, labels: np.ndarray, n_classes: int) -> dict[str, float]:
    pred = predicted_classes(y)
    labels = labels.astype(np.int64).reshape(-1)
    out = {"accuracy": float(np.mean(pred == labels)) if len(labels) else float("nan")}
    for k in range(n_classes):
        mask = labels == k
        out[f"accuracy_class_{k}"] = float(np.mean(pred[mask] == k)) if mask.any() else float("nan")
    return out


def multilabel(y: np.ndarray, target: np.ndarray) -> dict[str, float]:
    hit = (y >= 0.5) == (target >= 0.5)
    return {"accuracy": float(hit.mean()), "exact_match": float(hit.all(axis=1).mean())}


def regression(y: np.ndarray, target: np.ndarray) -> dict[str, float]:
    target = target.reshape(y.shape)
    err = np.mean((y - target) ** 2, dtype=np.float64)
    var = np.mean((target - target.mean(axis=0)) ** 2, dtype=np.float64)
    return {"mse": float(err), "r2": float(1 - err / var) if var > 0 else float("nan")}


def compute(task: str, y: np.ndarray, target: np.ndarray, n_classes: int) -> dict[str, float]:
    if task == "classification":
        return classification(y, target, n_classes)
    if task == "multilabel":
        return multilabel(y, target)
    return regression(y, target)


def confusion_matrix(y: np.ndarray, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Rows: true class, columns: predicted class."""
    matrix = np.zeros((n_classes, n_classes), np.int64)
    np.add.at(matrix, (labels.astype(np.int64).reshape(-1), predicted_classes(y)), 1)
    return matrix
