"""Heard: casework for complaints, compliments and representations in Children's Services."""

__version__ = "0.1.0"
