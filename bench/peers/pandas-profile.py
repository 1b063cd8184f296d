# validate + profile with pandas: read_csv, then per column nulls, describe (count, mean, std, min,
# quartiles, max), quantiles, distinct counts, top values of text and integer columns, duplicated rows.
import json, sys
import pandas as pd

df = pd.read_csv(sys.argv[1])
num = df.select_dtypes("number")
discrete = [c for c in df.columns if not pd.api.types.is_float_dtype(df[c])]
out = {"nulls": df.isna().sum().to_dict(), "describe": num.describe().to_dict(),
       "quantiles": num.quantile([0.01, 0.25, 0.5, 0.75, 0.99]).to_dict(),
       "top": {c: df[c].value_counts().head(10).to_dict() for c in discrete},
       "distinct": df.nunique().to_dict(), "duplicates": int(df.duplicated().sum())}
print(json.dumps({"rows": len(df), "duplicates": out["duplicates"]}))
