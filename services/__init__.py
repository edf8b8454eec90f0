"""The rules of the app, as plain Python. Nothing here imports streamlit (a test enforces it)."""
