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
        "similarity": 1.52,
        "term_cover": 1.09,
        "context_cover": 2.05,
        "entity_cover": 0.0313,
        "retrieval": 4.13,
        "context_similarity": 1.55,
        "soft_cover": 2.9,
        "type_missing": -0.838,
        "slot_missing": -0.0864,
        "predicate_missing": -0.0143,
        "reason_missing": -0.79,
        "conflict": 0.0774,
        "owner_conflict": -0.299,
        "value_conflict": -0.721,
        "negation": 0.554,
        "affirmed": -0.117,
        "denied": -0.183,
        "ranking_missing": -0.52,
        "anticipated": -0.585,
        "reason_elsewhere": -0.243,
        "unknown_entity": 0.0666,
        "unknown_terms": 1.46,
        "term_missing": 0.444,
        "compound_missing": 0.358,
        "foreign": 0.00799,
        "source_mismatch": -0.75,
        "parties_apart": 0.0171,
        "speaker_silent": -1.06,
        "unsettled": -0.241,
        "undefined": 0.0527,
        "entity_absent": -0.418,
    }
)
FITTED_BIAS = -7.29


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
