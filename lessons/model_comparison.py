"""Explaining, in one or two sentences, why the sigmoid and softmax models disagree.

The "Try your own image" page shows both models' outputs for the same picture. When
their readings differ, the learner should be told which lesson explains it: two
shapes split a softmax's single unit of probability, an empty picture still gets a
full unit from softmax, and so on. The explanation is computed from the numbers,
never written per sample.
"""

import numpy as np

from lessons.parsing import parse_with_threshold


def _names(class_names, indices) -> str:
    names = [class_names[index] for index in indices]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def explain_disagreement(class_names, sigmoid_probs, softmax_probs, threshold: float) -> str | None:
    """A sentence on why the two models read the picture differently, or None if they agree.

    The sigmoid model is read with `threshold`; the softmax model is read as a
    single-label model would be, by its most probable class.
    """
    sigmoid_probs = np.asarray(sigmoid_probs, dtype=float)
    softmax_probs = np.asarray(softmax_probs, dtype=float)
    said = np.flatnonzero(parse_with_threshold(sigmoid_probs[None, :], threshold)[0])
    top = int(np.argmax(softmax_probs))
    top_text = f"{class_names[top]} ({softmax_probs[top]:.2f})"
    if len(said) >= 2:
        shares = ", ".join(f"{class_names[i]} {softmax_probs[i]:.2f}" for i in said)
        return (
            f"The sigmoid model says yes to {_names(class_names, said)} at once. The softmax "
            f"model has one unit of probability to share, so it splits it ({shares}) and, read "
            f"as a single answer, can only name {class_names[top]}."
        )
    if len(said) == 0:
        return (
            f"No sigmoid output passes the threshold of {threshold:.2f}: the sigmoid model sees "
            f"none of the shapes it knows. The softmax outputs still add up to 1, and the "
            f"largest share goes to {top_text}, although that may not be in the picture."
        )
    if said[0] != top:
        return (
            f"The sigmoid model says {class_names[said[0]]}, while the softmax model's "
            f"favourite is {top_text}. They were trained separately and disagree on the "
            f"shape itself, not on how many there are."
        )
    return None
