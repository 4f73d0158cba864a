"""Sensitivity: how fragile is the ranking."""
from __future__ import annotations

import streamlit as st

st.header("Sensitivity")
