"""A training program of your own, in Python with Debian's python3-numpy: softmax regression on the churn data.

modelgate runs it as model.command (see README "Bring your own training program"):
    python3 train.py TRAIN_CSV OUT_DIR TARGET EPOCHS LEARNING_RATE
It writes a modelgate model folder into OUT_DIR: model.json + weights.bin (a one-layer tfjs model) and
modelgate.json (the preprocessing it used, in modelgate's terms, so evaluation and serving apply the same).
The same program as train.mjs, which the tests run so CI needs no Python.
"""
import csv
import json
import os
import sys

import numpy as np

train_csv, out, target, epochs, learning_rate = sys.argv[1:6]
epochs, learning_rate = int(epochs), float(learning_rate)
with open(train_csv, newline="") as f:
    rows = list(csv.DictReader(f))
MISSING = {"", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"}
BOOLEAN = {"true": 1, "false": 0, "yes": 1, "no": 0}


def number(v):
    try:
        x = float(v)
        return x if np.isfinite(x) else None
    except ValueError:
        return None


def fit(name):
    values = [r[name].strip() for r in rows]
    present = [v for v in values if v not in MISSING]
    if all(number(v) is not None for v in present):
        xs = np.sort(np.array([number(v) for v in present]))
        std = float(xs.std()) or 1.0
        return {"name": name, "kind": "numeric", "median": float(np.median(xs)), "mean": float(xs.mean()),
                "std": std, "missingIndicator": len(present) < len(values)}
    if all(v.lower() in BOOLEAN for v in present):
        return {"name": name, "kind": "boolean", "fill": sum(BOOLEAN[v.lower()] for v in present) / len(present)}
    counts = {}
    for v in present:
        counts[v] = counts.get(v, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:100]
    return {"name": name, "kind": "categorical", "categories": [v for v, _ in ranked]}


def encode(feature, value):
    value = value.strip()
    missing = value in MISSING
    if feature["kind"] == "numeric":
        z = ((feature["median"] if missing else number(value)) - feature["mean"]) / feature["std"]
        return [z, 1.0 if missing else 0.0] if feature["missingIndicator"] else [z]
    if feature["kind"] == "boolean":
        return [feature["fill"] if missing else BOOLEAN[value.lower()]]
    slots = [0.0] * (len(feature["categories"]) + 1)
    cats = feature["categories"]
    slots[cats.index(value) if value in cats else len(cats)] = 1.0
    return slots


# customer_id is this data's row key (data.id in modelgate.yml): never a feature.
features = [fit(n) for n in rows[0] if n not in (target, "customer_id")]
classes = sorted({r[target].strip() for r in rows})
x = np.array([[v for f in features for v in encode(f, r[f["name"]])] for r in rows])
y = np.eye(len(classes))[[classes.index(r[target].strip()) for r in rows]]
w = np.zeros((x.shape[1], len(classes)))
b = np.zeros(len(classes))
for epoch in range(epochs):
    z = x @ w + b
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    w -= learning_rate * x.T @ (p - y) / len(x)
    b -= learning_rate * (p - y).sum(axis=0) / len(x)
    if (epoch + 1) % 50 == 0:
        print(f"epoch {epoch + 1}: loss {-np.mean(np.log((p * y).sum(axis=1))):.4f}", flush=True)

os.makedirs(out, exist_ok=True)
dense = "dense_Dense1"
width, k = x.shape[1], len(classes)
model = {
    "modelTopology": {
        "class_name": "Sequential",
        "config": {"name": "byom", "layers": [{"class_name": "Dense", "config": {
            "units": k, "activation": "softmax", "use_bias": True, "name": dense, "trainable": True,
            "batch_input_shape": [None, width], "dtype": "float32"}}]},
        "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"},
    "format": "layers-model", "generatedBy": "examples/byom/script/train.py", "convertedBy": None,
    "weightsManifest": [{"paths": ["weights.bin"], "weights": [
        {"name": f"{dense}/kernel", "shape": [width, k], "dtype": "float32"},
        {"name": f"{dense}/bias", "shape": [k], "dtype": "float32"}]}],
}
with open(os.path.join(out, "model.json"), "w") as f:
    json.dump(model, f)
with open(os.path.join(out, "weights.bin"), "wb") as f:
    f.write(np.concatenate([w.ravel(), b]).astype("<f4").tobytes())
manifest = {
    "format": 1, "task": "classification", "target": target,
    "features": [{"name": f["name"], "kind": f["kind"]} for f in features], "classes": classes,
    "preprocessor": {"features": features, "target": {"task": "classification", "name": target, "classes": classes},
                     "id": "customer_id"},
    "config": {"hidden": [], "epochs": epochs, "learningRate": learning_rate},
    "inputDim": width, "backend": "python script",
}
with open(os.path.join(out, "modelgate.json"), "w") as f:
    json.dump(manifest, f, indent=2)
print(f"wrote {out}: {width} inputs, {k} classes")
