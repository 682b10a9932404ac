"""Closed forms and limits of docs/science.md."""
