# Evidently's default drift tests for large data, written out with pandas + scipy (Evidently itself is
# not installed): reference > 1000 rows, so normalised Wasserstein for numeric columns with > 5 values,
# Jensen-Shannon (Sturges bins or value counts, as its get_binned_data) for the rest; thresholds 0.1;
# dataset drift when >= half the columns drifted.
import json, resource, sys
import numpy as np, pandas as pd
from scipy import stats
from scipy.spatial import distance

ref = pd.read_csv(sys.argv[1]); cur = pd.read_csv(sys.argv[2])
def binned(r, c, numeric):
    if numeric and r.nunique() > 20:
        bins = np.histogram_bin_edges(pd.concat([r, c]).values, bins="sturges")
        return np.histogram(r, bins)[0] / len(r), np.histogram(c, bins)[0] / len(c)
    keys = list(set(r.unique()) | set(c.unique())); rv, cv = r.value_counts(), c.value_counts()
    return np.array([rv.get(k, 0) / len(r) for k in keys]), np.array([cv.get(k, 0) / len(c) for k in keys])
drifted, scores = [], {}
for col in ref.columns:
    r, c = ref[col].dropna(), cur[col].dropna()
    numeric = pd.api.types.is_numeric_dtype(r)
    if numeric and pd.concat([r, c]).nunique() > 5:
        s = stats.wasserstein_distance(r, c) / max(np.std(r), 0.001)
    else:
        a, b = binned(r, c, numeric); s = distance.jensenshannon(a, b, 2)
    scores[col] = float(s)
    if s >= 0.1: drifted.append(col)
print(json.dumps({"drift": len(drifted) / len(ref.columns) >= 0.5, "drifted": drifted, "scores": scores}))
