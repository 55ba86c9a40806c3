"""Which answering sentence says it best: the order an answer quotes sentences in.

The gate (rag.answerability) decides *whether* the articles answer: relevance times the
share kept after each failed requirement, with severities chosen for refusals. Which of
the retrieved sentences should lead the answer, and which may follow it, is a different
question, and one the gate's product answers poorly: a requirement severe enough to
refuse on ("no value of the kind asked for") also buries the paraphrase that states the
answer under a sentence that merely holds a number.

So the order is its own model: a logistic regression over every signal (`Signals`),
fitted by scripts/fit_answerability.py on the dev split of eval/gold.jsonl and the read
probe sets (eval/probes/*.jsonl) to tell a question's sentences that state one of its
required facts from its other retrieved sentences. It orders; it never decides
answerability.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from rag.answerability import SIGNALS, Signals

# Fitted on dev and the read probes (scripts/fit_answerability.py, L2 1.0); signals the
# fit left at zero are omitted. Positive: more likely to state the answer. Re-fit after
# changing any signal.
FITTED: Mapping[str, float] = MappingProxyType(
    {
        "similarity": 1.5,
        "term_cover": 1.08,
        "context_cover": 2.06,
        "entity_cover": 0.0699,
        "retrieval": 4.12,
        "context_similarity": 1.54,
        "soft_cover": 2.9,
        "type_missing": -0.858,
        "slot_missing": -0.0727,
        "predicate_missing": -0.0255,
        "reason_missing": -0.799,
        "conflict": 0.0329,
        "owner_conflict": -0.285,
        "value_conflict": -0.738,
        "negation": 0.531,
        "affirmed": -0.107,
        "denied": -0.243,
        "ranking_missing": -0.568,
        "anticipated": -0.579,
        "reason_elsewhere": -0.233,
        "unknown_entity": 0.0746,
        "unknown_terms": 1.46,
        "term_missing": 0.447,
        "compound_missing": 0.413,
        "foreign": 0.012,
        "source_mismatch": -0.746,
        "parties_apart": 0.025,
        "speaker_silent": -1.07,
        "unsettled": -0.316,
        "undefined": 0.0521,
        "entity_absent": -0.386,
    }
)
FITTED_BIAS = -7.3


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
