"""Write the two CRM-style exports of the case study and their import profiles.

Run from the repository root:  python case_studies/telecom_b2b/exports/make_exports.py

Both exports carry the same 14 opportunities as ../opportunities.csv, written the way a sales team's
CRM would write them, so that each export + its profile gives back exactly the clean table:

- salesforce_pipeline.csv: a Salesforce report (en-US): "Opportunity ID", "Amount" as
  "EUR 8,500,000.00" (EUR, not kEUR), "Probability (%)" as 45, the qualitative criteria in the sales
  team's own words ("Med", "Key Account", "Roadmap", ...). Profile: salesforce.profile.yaml.
- dynamics_pipeline.xlsx: a German Dynamics 365 export: a hidden first sheet "hiddenSheet", a title
  block above the header (row 4), a hidden GUID column, decimal comma, "8.500.000,00 €", German
  headers and words. Profile: dynamics.profile.yaml.

The word tables below are the only source of the recoding: the profiles are written from them.
"""
from __future__ import annotations

import csv
import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
CLEAN = HERE.parent / "opportunities.csv"

# criterion id -> (Salesforce column, {our label: their word})
SALESFORCE = {
    "risk": ("Risk", {"very low": "Very Low", "low": "Low", "medium": "Med", "high": "High", "very high": "Very High"}),
    "resources": ("Resources Needed", {"minimal": "Run team", "modest": "Few specialists", "significant": "Dedicated team",
                                       "large": "Several teams", "critical": "New skills"}),
    "financing": ("Upfront Investment", {"none": "None", "low": "Low", "moderate": "Med", "high": "High",
                                         "very high": "Very High"}),
    "commitment": ("Customer Commitment", {"one-off": "One-off", "tentative": "Pilot", "probable": "Multi-year intent",
                                           "committed": "Multi-year contract", "strategic partner": "Partnership"}),
    "strategic_importance": ("Strategic Fit", {"none": "Off strategy", "low": "Adjacent", "medium": "Supporting",
                                               "high": "Core", "critical": "Flagship"}),
    "wider_application": ("Reuse Potential", {"none": "None", "limited": "Parts", "moderate": "Few customers",
                                              "broad": "Segment", "product": "Productise"}),
    "customer_importance": ("Account Tier", {"marginal": "New", "minor": "Occasional", "regular": "Established",
                                             "key": "Key Account", "top": "Top 10"}),
    "requirements_fit": ("Requirements Fit", {"poor": "Poor", "partial": "Gaps", "fair": "Fair", "good": "Good",
                                              "excellent": "Excellent"}),
    "customisation": ("Customization", {"standard": "Standard", "light": "Light", "moderate": "Medium",
                                        "heavy": "Heavy", "bespoke": "Custom build"}),
    "solution_availability": ("Solution Status", {"not available": "Not available", "on roadmap": "Roadmap",
                                                  "in capacity": "Capacity constrained", "available": "Available"}),
}
DYNAMICS = {
    "risk": ("Risiko", {"very low": "Sehr gering", "low": "Gering", "medium": "Mittel", "high": "Hoch",
                        "very high": "Sehr hoch"}),
    "resources": ("Ressourcenbedarf", {"minimal": "Minimal", "modest": "Gering", "significant": "Erheblich",
                                       "large": "Groß", "critical": "Kritisch"}),
    "financing": ("Vorfinanzierung", {"none": "Keine", "low": "Gering", "moderate": "Mittel", "high": "Hoch",
                                      "very high": "Sehr hoch"}),
    "commitment": ("Kundenbindung", {"one-off": "Einmalig", "tentative": "Pilot", "probable": "Wahrscheinlich",
                                     "committed": "Fest", "strategic partner": "Strategischer Partner"}),
    "strategic_importance": ("Strategische Bedeutung", {"none": "Keine", "low": "Gering", "medium": "Mittel",
                                                        "high": "Hoch", "critical": "Kritisch"}),
    "wider_application": ("Übertragbarkeit", {"none": "Keine", "limited": "Begrenzt", "moderate": "Mittel",
                                              "broad": "Breit", "product": "Produkt"}),
    "customer_importance": ("Kundenbedeutung", {"marginal": "Randkunde", "minor": "Gelegenheitskunde",
                                                "regular": "Stammkunde", "key": "Schlüsselkunde", "top": "Top-Kunde"}),
    "requirements_fit": ("Anforderungsfit", {"poor": "Schlecht", "partial": "Teilweise", "fair": "Mittel",
                                             "good": "Gut", "excellent": "Sehr gut"}),
    "customisation": ("Anpassungsgrad", {"standard": "Standard", "light": "Gering", "moderate": "Mittel",
                                         "heavy": "Hoch", "bespoke": "Individuell"}),
    "solution_availability": ("Lösungsverfügbarkeit", {"not available": "Nicht verfügbar", "on roadmap": "Auf Roadmap",
                                                       "in capacity": "Kapazität fehlt", "available": "Verfügbar"}),
}
STAGES = ["Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review"]


def _close(i: int) -> dt.date:
    return dt.date(2025, 10, 1) + dt.timedelta(days=30 + 17 * i)


def _en(x: Decimal) -> str:
    return f"{x:,.2f}"


def _de(x: Decimal, places: int = 2) -> str:
    return f"{x:,.{places}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


def _eur(kilo: str) -> Decimal:
    return Decimal(kilo) * 1000


def salesforce(rows: list[dict[str, str]], path: Path) -> None:
    header = ["Opportunity ID", "Opportunity Name", "Account Name", "Opportunity Owner", "Stage", "Close Date",
              "Amount", "Probability (%)", "Expected Margin", "Presales Effort (days)", "Presales Cost",
              *[col for col, _ in SALESFORCE.values()]]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i, r in enumerate(rows):
            d = _close(i)
            w.writerow([r["id"], r["name"], r["customer"], r["owner"], STAGES[i % len(STAGES)],
                        f"{d.month}/{d.day}/{d.year}", "EUR " + _en(_eur(r["deal_size"])),
                        f"{Decimal(r['win_probability']) * 100:.0f}", "EUR " + _en(_eur(r["value"])),
                        r["sales_effort"], "EUR " + _en(_eur(r["pursuit_cost"])),
                        *[words[r[cid]] for cid, (_, words) in SALESFORCE.items()]])


def dynamics(rows: list[dict[str, str]], path: Path) -> None:
    book = openpyxl.Workbook()
    meta = book.active
    meta.title = "hiddenSheet"
    meta.append(["opportunity", "Vertriebschancen", "Aktive Verkaufschancen", "2025-10-01T09:14:00Z"])
    meta.sheet_state = "hidden"
    ws = book.create_sheet("Vertriebschancen")
    ws.append(["Aktive Verkaufschancen – Export aus Dynamics 365"])
    ws.append(["Erstellt am:", "01.10.2025 09:14"])
    ws.append([])
    ws.append(["(Nicht ändern) Verkaufschance", "Verkaufschancen-Nr.", "Thema", "Potenzieller Kunde", "Besitzer",
               "Status", "Geschätzter Abschluss", "Geschätzter Umsatz", "Wahrscheinlichkeit (%)",
               "Erwarteter Deckungsbeitrag", "Vertriebsaufwand (PT)", "Akquisekosten",
               *[col for col, _ in DYNAMICS.values()]])
    for i, r in enumerate(rows):
        ws.append([str(uuid.uuid5(uuid.NAMESPACE_URL, f"opportunity/{r['id']}")), r["id"], r["name"], r["customer"],
                   r["owner"], "Offen", dt.datetime.combine(_close(i), dt.time()),
                   _de(_eur(r["deal_size"])) + " €", int(Decimal(r["win_probability"]) * 100),
                   _de(_eur(r["value"]), 0) + " €", r["sales_effort"], _de(_eur(r["pursuit_cost"])) + " €",
                   *[words[r[cid]] for cid, (_, words) in DYNAMICS.items()]])
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = "C5"
    book.properties.created = book.properties.modified = dt.datetime(2025, 10, 1, 9, 14)
    book.save(path)


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def profile_text(title: str, columns: dict[str, str | None], words: dict, extra: list[str]) -> str:
    lines = [f"# Import profile: {title}", "# Written by make_exports.py from its word tables; see the README's formats section.",
             "columns:"]
    lines += [f"  {_q(k)}: {v if v is not None else 'null'}" for k, v in columns.items()]
    lines.append("values:")
    for cid, (_, table) in words.items():
        pairs = ", ".join(f"{_q(theirs)}: {_q(ours)}" for ours, theirs in table.items())
        lines.append(f"  {cid}: {{{pairs}}}")
    return "\n".join(lines + extra) + "\n"


def main() -> None:
    with CLEAN.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    salesforce(rows, HERE / "salesforce_pipeline.csv")
    dynamics(rows, HERE / "dynamics_pipeline.xlsx")
    sf_cols = {"Opportunity ID": "id", "Opportunity Name": "name", "Account Name": "customer",
               "Opportunity Owner": "owner", "Amount": "deal_size", "Probability (%)": "win_probability",
               "Expected Margin": "value", "Presales Effort (days)": "sales_effort", "Presales Cost": "pursuit_cost",
               **{col: cid for cid, (col, _) in SALESFORCE.items()}}
    (HERE / "salesforce.profile.yaml").write_text(profile_text(
        "Salesforce opportunity report (en-US CSV)", sf_cols, SALESFORCE,
        ["numbers: {decimal: '.', thousands: ','}",
         "units:", "  deal_size: 0.001        # EUR -> kEUR", "  value: 0.001", "  pursuit_cost: 0.001",
         "  win_probability: percent  # 45 -> 0.45"]), encoding="utf-8")
    dy_cols = {"(Nicht ändern) Verkaufschance": None, "Verkaufschancen-Nr.": "id", "Thema": "name",
               "Potenzieller Kunde": "customer", "Besitzer": "owner", "Geschätzter Umsatz": "deal_size",
               "Wahrscheinlichkeit (%)": "win_probability", "Erwarteter Deckungsbeitrag": "value",
               "Vertriebsaufwand (PT)": "sales_effort", "Akquisekosten": "pursuit_cost",
               **{col: cid for cid, (col, _) in DYNAMICS.items()}}
    (HERE / "dynamics.profile.yaml").write_text(profile_text(
        "Dynamics 365 Vertriebschancen (de-DE XLSX)", dy_cols, DYNAMICS,
        ["numbers: {decimal: ',', thousands: '.'}",
         "units:", "  deal_size: 0.001        # EUR -> kEUR", "  value: 0.001", "  pursuit_cost: 0.001",
         "  win_probability: percent  # 45 -> 0.45",
         "sheet: Vertriebschancen     # the first sheet, 'hiddenSheet', is Dynamics' hidden metadata",
         "header_row: 4               # rows 1-3 are a title block"]), encoding="utf-8")


if __name__ == "__main__":
    main()
