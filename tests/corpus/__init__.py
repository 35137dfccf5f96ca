"""Hostile and broken workbook files, generated from code (see build_corpus.py)."""
