"""Helpers for the LLM tests: a scripted OpenAI-compatible stub server, a real
llama.cpp server launcher, and a tiny fixture corpus (corpus/)."""
