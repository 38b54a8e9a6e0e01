"""The live views: decision map / fit curve, training curves, weights and gradients."""
