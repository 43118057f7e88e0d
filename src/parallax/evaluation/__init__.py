"""Evaluation commands on public gold data, read in each dataset's own layout."""
