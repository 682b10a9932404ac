"""Closed forms and limits of SCIENCE.md."""
