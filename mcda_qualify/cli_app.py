"""The ``app`` command: the Streamlit app on the bundled case study or your own files, or a team meeting.

Registered on :data:`mcda_qualify.cli.app` when the CLI module is imported (see the end of
:mod:`mcda_qualify.cli`). No ``from __future__ import annotations``: typer reads the option types.
"""
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import InputError
from .cli import CriteriaOpt, JudgmentsOpt, MappingOpt, Missing, _criteria_path, _load, _run, app


#: how the app command hands its files to the Streamlit app (absolute paths)
APP_ENV = {"criteria": "MCDA_QUALIFY_CRITERIA", "opportunities": "MCDA_QUALIFY_OPPORTUNITIES",
           "mapping": "MCDA_QUALIFY_MAPPING", "judgments": "MCDA_QUALIFY_JUDGMENTS", "workspace": "MCDA_QUALIFY_WORKSPACE"}


@app.command("app")
def run_app(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (1 to 65535).", min=1, max=65535)] = 8501,
    address: Annotated[str, typer.Option(help="Address to bind (default: this machine only).")] = "127.0.0.1",
    team: Annotated[bool, typer.Option("--team", help="Serve a team meeting: each stakeholder answers through a personal "
                                        "link with a secret token; without one the app is read-only. Prints the "
                                        "facilitator's link.")] = False,
    decision: Annotated[str, typer.Option(help="Decision name in the store (team mode: the links are for it).")] = "Telecom B2B pipeline",
    db: Annotated[Optional[Path], typer.Option(help="Decision store (default $MCDA_QUALIFY_DB or ~/.mcda-qualify/decisions.sqlite).")] = None,
    criteria: CriteriaOpt = None,
    opportunities: Annotated[Optional[Path], typer.Option("--opportunities", help="Opportunity table or CRM export to open (default: the bundled case study).", show_default=False)] = None,
    mapping: MappingOpt = None,
    judgments: JudgmentsOpt = None,
    workspace: Annotated[Optional[Path], typer.Option("--workspace", help="Open this workspace (JSON from `save -o` or the app's export) instead.", show_default=False)] = None,
) -> None:
    """Open the Streamlit app: the bundled case study, or your criteria, opportunities, judgments or workspace
    (``--team``: a meeting where each stakeholder answers through a personal link)."""
    import os
    import subprocess
    from importlib.util import find_spec

    here = Path(__file__).resolve().parent.parent / "apps" / "app.py"
    if not here.is_file():
        typer.echo(f"error: the app is not installed next to the package ({here} is missing); run from a source checkout", err=True)
        raise typer.Exit(2)
    if find_spec("streamlit") is None:  # pragma: no cover - streamlit is a dependency
        typer.echo("error: streamlit is not installed", err=True)
        raise typer.Exit(2)
    given = {"criteria": criteria, "opportunities": opportunities, "mapping": mapping, "judgments": judgments,
             "workspace": workspace}
    env = dict(os.environ)

    def check() -> None:  # the same files the app will read: refuse them here, every problem at once
        if workspace is not None and any(v is not None for k, v in given.items() if k != "workspace"):
            raise InputError("give --workspace alone (it holds criteria, opportunities and judgments)")
        if mapping is not None and opportunities is None:
            raise InputError("--mapping needs --opportunities (the export it maps)")
        if workspace is not None:
            from .io.workspace import load_workspace

            load_workspace(workspace).portfolio()
        elif criteria is not None or opportunities is not None:
            from .criteria import load_criteria

            crit = load_criteria(_criteria_path(criteria))
            if opportunities is not None:
                _load(opportunities, criteria, None, Missing.error, mapping)
            if judgments is not None:
                from .decision import judgment_weights

                judgment_weights(judgments, crit)
        elif judgments is not None:
            from .criteria import load_criteria
            from .decision import judgment_weights

            judgment_weights(judgments, load_criteria(_criteria_path(None)))
        for k, v in given.items():
            if v is not None:
                env[APP_ENV[k]] = str(v.resolve())

    _run(check)
    cmd = [sys.executable, "-m", "streamlit", "run", str(here), "--server.address", address,
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    env.update(_team_env(team, decision, db, address, port))
    raise typer.Exit(subprocess.call(cmd, cwd=str(here.parent.parent), env=env))


def _team_env(team: bool, decision: str, db: Optional[Path], address: str, port: int) -> dict[str, str]:
    """The app's environment for ``app --team``: team mode on, the decision and store, and a new
    facilitator link printed (its token stored hashed; earlier facilitator links stop working)."""
    env: dict[str, str] = {"MCDA_QUALIFY_DECISION": decision}
    if db is not None:
        env["MCDA_QUALIFY_DB"] = str(db)
    if not team:
        return env
    from .io.store import default_db_path
    from .io.store_tokens import create_token

    env["MCDA_QUALIFY_TEAM"] = "1"
    path = db if db is not None else default_db_path()
    try:
        token = create_token(path, decision)
    except InputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    host = "127.0.0.1" if address in ("0.0.0.0", "::") else address
    typer.echo(f"Team mode for '{decision}' (store {path}).\nFacilitator link (keep it private; make the "
               f"stakeholders' links in the app):\n  http://{host}:{port}/?token={token}"
               + ("\n(the others reach this machine by its network address instead of 127.0.0.1)" if host != address else ""))
    return env


# Bid plan (issue 15) and learning from outcomes (issue 16): commands in their own modules.
