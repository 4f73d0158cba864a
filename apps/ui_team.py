"""Team mode (``mcda-qualify app --team``): who may write what. No page rendering besides the sidebar
badge and the facilitator's link maker.

Outside team mode everyone may do everything (one laptop in a meeting room). In team mode the link a
person opens carries ``?token=...``: the facilitator's token lets them make the stakeholders' links
and set the judges' weights; a stakeholder's token lets them answer and save their own judgments
only; without a valid token the app is read-only (nothing is written to the decision store).
Tokens are checked against salted hashes in the store (:mod:`mcda_qualify.io.store_tokens`).
"""
from __future__ import annotations

import os
from typing import Any

import streamlit as st
import ui_state

from mcda_qualify.errors import InputError
from mcda_qualify.io import store_tokens

S = ui_state.S
#: set to 1 by ``mcda-qualify app --team``
TEAM_ENV = "MCDA_QUALIFY_TEAM"


def team_mode() -> bool:
    return os.environ.get(TEAM_ENV, "") == "1"


def identity() -> dict[str, Any] | None:
    """The holder of this session's token: ``{"role", "judge"}``, or None (no or invalid token)."""
    if not team_mode():
        return None
    token = st.query_params.get("token")
    if S.get("_token_checked") != token:
        S._token_checked = token
        S._identity = store_tokens.check_token(ui_state.db_path(), S.decision_name, token)
        if S._identity and S._identity["judge"]:
            me = S._identity["judge"]
            if me not in S.get("judges", {}):
                import ui_judges

                ui_judges.add_judge(me)  # the newcomer is selected at once
            S.judge = S.judge_select = me
    return S.get("_identity")


def is_facilitator() -> bool:
    """True outside team mode, or with the facilitator's token."""
    who = identity()
    return not team_mode() or (who is not None and who["role"] == store_tokens.FACILITATOR)


def can_edit(judge: str) -> bool:
    """May this session change ``judge``'s judgments? Outside team mode: yes; in team mode only the
    holder of that judge's token."""
    if not team_mode():
        return True
    who = identity()
    return who is not None and who["role"] == "judge" and who["judge"] == judge


def can_write() -> bool:
    """May this session write to the decision store at all (save versions, restore)?"""
    return not team_mode() or identity() is not None


def my_judge() -> str | None:
    """In team mode, the stakeholder whose token this session holds."""
    who = identity()
    return who["judge"] if who else None


def badge() -> None:
    """Who you are in team mode (sidebar)."""
    if not team_mode():
        return
    who = identity()
    if who is None:
        st.sidebar.warning("Team mode, read-only: open the personal link your facilitator gave you to answer.")
    elif who["role"] == store_tokens.FACILITATOR:
        st.sidebar.success("Team mode: you are the facilitator.")
    else:
        st.sidebar.success(f"Team mode: you answer as {who['judge']}.")


def link_maker() -> None:
    """The facilitator's personal links for the stakeholders (each secret shown once)."""
    if not team_mode() or not is_facilitator():
        return
    with st.expander("Links for the stakeholders (facilitator)"):
        c1, c2 = st.columns([3, 1])
        who = c1.text_input("Stakeholder", key="link_judge", placeholder="e.g. CFO")
        if c2.button("Make a link", key="make_link") and who.strip():
            try:
                token = store_tokens.create_token(ui_state.db_path(), S.decision_name, who.strip())
            except InputError as exc:
                st.error(str(exc))
            else:
                S.last_link = (who.strip(), f"{_base_url()}?token={token}")
        if S.get("last_link"):
            name, url = S.last_link
            st.markdown(f"Link for **{name}** (shown once; making a new one revokes it):")
            st.code(url, language=None)
        links = store_tokens.list_tokens(ui_state.db_path(), S.decision_name)
        if len(links):
            st.dataframe(links.fillna(""), hide_index=True, width="stretch", key="links_table")


def _base_url() -> str:
    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - AppTest has no browser URL
        url = ""
    return url.split("?")[0] or "http://127.0.0.1:8501/"
