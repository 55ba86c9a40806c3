"""The scale benchmark (`python bench/run.py`); see bench/run.py for what it measures.

Modules by job: `measure` (paths, clocks, memory, percentiles), `corpus` (the synthetic
scale corpus), `vectors` (timing/recording/replaying embedding wrappers), `stages` (our
pipeline's timed stages) and `baselines` (llama-index's defaults, ONNX vs torch), each run
in its own process; `extrapolate`, `tables`, `report` and `plot` (results.md/.png);
`chroma_server` (a real `chroma run`, shared with the tests); `run` (the CLI).
"""
