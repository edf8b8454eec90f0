"""The floor the app is measured against: one screen of plain Streamlit with no database and no sign-in.

A title, a 20-row table, a radio and a button, served by the same Streamlit on the same machine and driven
by the same client in the same run, so a page's time can be read as a multiple of what any Streamlit page
costs here. Deliberately untuned (no gc.freeze): it is what Streamlit itself costs.
"""

import pandas as pd
import streamlit as st

st.title("Floor page")
st.dataframe(pd.DataFrame({"Review": [f"LDR-{n:04d}" for n in range(20)], "Items": range(20)}), hide_index=True)
choice = st.radio("Choose one", ["Sign off", "Sign off with changes", "Do not sign off"], index=None)
if st.button("Send"):
    st.write(f"Sent: {choice}")
