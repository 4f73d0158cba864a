import mcda_qualify as mq
from mcda_qualify.sensitivity import smaa, stability_intervals

crit = mq.load_criteria("criteria/qualify_selling_opportunity.yaml")
opps = mq.load_portfolio("case_studies/telecom_b2b/opportunities.csv", crit)
print(stability_intervals(opps).head(4).round(3).to_string(index=False))
f = smaa(opps, 10_000, weight_model="dirichlet", concentration=100, seed=7)
print(f.acceptability.iloc[:, :3].sort_values(1, ascending=False).head(4).to_string())
