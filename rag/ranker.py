"""Which answering sentence says it best: the order an answer quotes sentences in.

The gate (rag.answerability) decides *whether* the articles answer: relevance times the
share kept after each failed requirement, with severities chosen for refusals. Which of
the retrieved sentences should lead the answer, and which may follow it, is a different
question, and one the gate's product answers poorly: a requirement severe enough to
refuse on ("no value of the kind asked for") also buries the paraphrase that states the
answer under a sentence that merely holds a number.

So the order is its own model: a logistic regression over every signal (`Signals`),
fitted on the dev split of eval/gold.jsonl by scripts/fit_answerability.py to tell a
question's sentences that state one of its required facts from its other retrieved
sentences. It orders; it never decides answerability.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from rag.answerability import SIGNALS, Signals

# Fitted on dev (scripts/fit_answerability.py, L2 1.0); signals the fit left at zero are
# omitted. Positive: more likely to state the answer. Re-fit after changing any signal.
FITTED: Mapping[str, float] = MappingProxyType(
    {
        "similarity": 1.25,
        "term_cover": 1.38,
        "context_cover": 1.83,
        "entity_cover": -0.109,
        "retrieval": 2.49,
        "context_similarity": 1.42,
        "soft_cover": 2.33,
        "type_missing": -1.06,
        "slot_missing": -0.0473,
        "predicate_missing": 0.0398,
        "reason_missing": -0.0682,
        "conflict": 0.0277,
        "owner_conflict": -0.0105,
        "value_conflict": -0.147,
        "negation": 0.423,
        "denied": -0.0998,
        "ranking_missing": -0.318,
        "anticipated": -0.171,
        "reason_elsewhere": -1.12,
        "unknown_terms": 0.936,
        "term_missing": -0.161,
        "compound_missing": -0.0711,
        "foreign": 0.0149,
        "source_mismatch": -0.843,
        "speaker_silent": -0.547,
        "undefined": 0.0278,
        "entity_absent": -0.848,
    }
)
FITTED_BIAS = -4.77


@dataclass(frozen=True)
class Ranker:
    """P(the sentence states the answer) = sigmoid(bias + sum(weight * signal))."""

    bias: float = FITTED_BIAS
    weights: Mapping[str, float] = field(default_factory=lambda: FITTED)

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(SIGNALS)
        if unknown:
            raise ValueError(f"no such signal: {', '.join(sorted(unknown))}")

    def probability(self, signals: Signals) -> float:
        z = self.bias + sum(w * getattr(signals, name) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))


RANKER = Ranker()
