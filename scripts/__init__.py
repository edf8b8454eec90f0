"""Small helpers the Makefile calls."""
