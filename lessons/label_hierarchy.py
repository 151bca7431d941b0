"""A parent label above child labels: "has corners" above the shapes that have corners.

Shapes world labels say which shapes an image holds. A parent label groups some of them:
an image *has corners* when it holds a square, a triangle, a star, a hexagon or a cross
(a circle has none). The parent's truth follows from the children's truth. A model
trained on the six shapes gives no probability for the parent, so it has to be derived
from the children's probabilities, and there is more than one honest way to do that:

- **max over the children**: the probability of the likeliest child. If the model's
  probabilities were right, the chance that *at least one* child is present could never
  be lower than the chance of any single child, so this is a cautious estimate (a lower
  bound). It keeps the hierarchy consistent: whenever a child passes a threshold, the
  parent passes it too.
- **noisy-or**, 1 - prod(1 - p_child): right when the children's outputs are independent
  pieces of evidence. It is never below the max, and several hesitant children add up to
  a confident parent.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lessons.parsing import check_probabilities


@dataclass(frozen=True)
class ParentLabel:
    """A label that is present whenever at least one of its children is."""

    name: str
    children: tuple[str, ...]

    def child_columns(self, class_names: Sequence[str]) -> np.ndarray:
        """The column index of every child in a matrix whose columns are `class_names`."""
        missing = [child for child in self.children if child not in class_names]
        if missing:
            raise ValueError(
                f"The parent label {self.name!r} needs the classes {', '.join(missing)}, "
                f"which are not among {', '.join(class_names)}."
            )
        return np.array([list(class_names).index(child) for child in self.children])

    def truth(self, y_true, class_names: Sequence[str]) -> np.ndarray:
        """1 for every sample that has at least one child label, else 0; shape (N,)."""
        y_true = np.asarray(y_true)
        self._check_columns(y_true, class_names)
        return y_true[:, self.child_columns(class_names)].max(axis=1).astype(int)

    def probability_by_max(self, probabilities, class_names: Sequence[str]) -> np.ndarray:
        """The probability of the likeliest child, per sample; shape (N,)."""
        children = self._child_probabilities(probabilities, class_names)
        return children.max(axis=1)

    def probability_by_noisy_or(self, probabilities, class_names: Sequence[str]) -> np.ndarray:
        """1 - prod(1 - p) over the children: the chance of any, if they were independent."""
        children = self._child_probabilities(probabilities, class_names)
        return 1.0 - np.prod(1.0 - children, axis=1)

    def _child_probabilities(self, probabilities, class_names) -> np.ndarray:
        probabilities = check_probabilities(probabilities)
        self._check_columns(probabilities, class_names)
        return probabilities[:, self.child_columns(class_names)]

    @staticmethod
    def _check_columns(matrix: np.ndarray, class_names) -> None:
        if matrix.ndim != 2 or matrix.shape[1] != len(class_names):
            raise ValueError(
                f"Expected a matrix with one column per class ({len(class_names)}), "
                f"got shape {matrix.shape}."
            )


HAS_CORNERS = ParentLabel("has corners", ("square", "triangle", "star", "hexagon", "cross"))


def with_parent_column(matrix, parent_column) -> np.ndarray:
    """The matrix with the parent's column added on the right, as a (K + 1)-th class."""
    matrix = np.asarray(matrix)
    parent_column = np.asarray(parent_column)
    if parent_column.shape != (matrix.shape[0],):
        raise ValueError(
            f"Expected one parent value per row ({matrix.shape[0]}), "
            f"got shape {parent_column.shape}."
        )
    return np.column_stack([matrix, parent_column])


def share_saying_two_labels(probabilities, threshold: float = 0.5) -> float:
    """The share of samples with at least two probabilities at or above the threshold.

    For softmax outputs and a threshold above 0.5 this is always 0: the outputs add up to
    one, so two of them cannot both pass it.
    """
    probabilities = check_probabilities(probabilities)
    return float(np.mean((probabilities >= threshold).sum(axis=1) >= 2))
