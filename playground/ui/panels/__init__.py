"""The side panels: the dataset (DataPanel) and how the network is trained (TrainingPanel)."""
