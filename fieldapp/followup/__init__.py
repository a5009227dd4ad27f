"""Concern workflow: states and transitions (pure), and the operations that apply them."""
