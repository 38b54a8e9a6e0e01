"""Ring 1 on real data: LeNet on the MNIST digits in ../shared/data/mnist.

First 8,000 test-set images to train, last 2,000 to test, 3 epochs, Adam 1e-3, batch 64
(PyTorch reaches 96.5 % on this split).
"""
import numpy as np

from playground.bench_workloads import LENET
from playground.data.readers import read_idx_pair
from playground.engine import Network, TrainData, Trainer, TrainingSettings, optimizer_config


def test_lenet_learns_real_mnist_digits(mnist_dir):
    images, labels = read_idx_pair(mnist_dir / "t10k-images-idx3-ubyte.gz",
                                   mnist_dir / "t10k-labels-idx1-ubyte.gz")
    x = (images.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    labels = labels.astype(np.int64)
    data = TrainData(x[:8000], labels[:8000], x[8000:], labels[8000:], "classification", 10)
    settings = TrainingSettings(optimizer=optimizer_config("adam", lr=1e-3), batch_size=64, seed=0)
    trainer = Trainer(Network.from_spec(LENET, seed=0), settings, data)
    for _ in range(3):
        trainer.run_epoch()
    assert [h["epoch"] for h in trainer.history] == [1, 2, 3]
    assert trainer.history[0]["test_loss"] > trainer.history[-1]["test_loss"]
    assert trainer.history[-1]["test_accuracy"] >= 0.955
