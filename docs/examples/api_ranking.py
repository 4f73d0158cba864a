import mcda_qualify as mq

crit = mq.load_criteria("criteria/qualify_selling_opportunity.yaml")
opps = mq.load_portfolio("case_studies/telecom_b2b/opportunities.csv", crit)

decision = mq.qualify(opps, {**crit.weights, "risk": 0.30})   # risk matters more; renormalised
print(decision.sorted()[["id", "score", "rank", "status"]].head(5).to_string(index=False))

ranking = decision.ranking
top = ranking.contributions().query("id == 'OPP-03'")
print(top.nlargest(3, "share_of_distance_to_ideal")[["criterion", "share_of_distance_to_ideal"]].to_string(index=False))

print(mq.topsis([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], [0.3, 0.4, 0.3], [1, 1, 1]).round(4))
