"""Thin page scripts: each file defines render() for app.py's st.Page and holds no rules or SQL.

Each file ends by handing control to app.main() when Streamlit runs it directly as a script (its old
multipage mode), so a page asked for by name still shows only the sign-in form to a stranger.
"""
