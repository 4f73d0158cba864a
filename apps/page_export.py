"""Export results, charts and the workspace."""
from __future__ import annotations

import streamlit as st

st.header("Export")
