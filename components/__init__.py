"""Reusable Streamlit render functions. They call services/, never the database directly."""
