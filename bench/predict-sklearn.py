# scikit-learn's side of `npm run bench -- predict`:
#   fit  <train.csv> <model.pkl> <hidden,sizes> <epochs>: preprocessing as modelgate's (standardised numbers,
#        one-hot categories, unknown ones ignored) and an MLPClassifier of the same layer sizes, pickled;
#   run  <model.pkl> <rows.csv> <out.bin> <warm calls>: loads it, reads the rows (outside every timing),
#        predict_proba once cold and then <warm calls> times, with the pipeline (encode + network) and the
#        network alone on rows already encoded; prints the timings as JSON, writes the cold probabilities.
import csv
import json
import pickle
import sys
import time

import numpy as np


def read(file):
    with open(file, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    text = [i for i, name in enumerate(header) if name.startswith("c")]
    numbers = [i for i, name in enumerate(header) if name != "label" and i not in text]
    x = np.empty((len(body), len(numbers) + len(text)), dtype=object)
    for r, row in enumerate(body):
        for k, i in enumerate(numbers):
            x[r, k] = float(row[i])
        for k, i in enumerate(text):
            x[r, len(numbers) + k] = row[i]
    y = np.array([row[header.index("label")] for row in body])
    return x, y, len(numbers)


def measure(call):
    cpu, wall = time.process_time(), time.perf_counter()
    value = call()
    return value, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


if sys.argv[1] == "fit":
    from sklearn.compose import ColumnTransformer
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    x, y, numeric = read(sys.argv[2])
    hidden = tuple(int(h) for h in sys.argv[4].split(","))
    encode = ColumnTransformer(
        [
            ("numbers", StandardScaler(), list(range(numeric))),
            ("categories", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
             list(range(numeric, x.shape[1]))),
        ]
    )
    mlp = MLPClassifier(hidden_layer_sizes=hidden, max_iter=int(sys.argv[5]), batch_size=128,
                        learning_rate_init=0.002, random_state=0)
    model = Pipeline([("encode", encode), ("mlp", mlp)]).fit(x, y)
    with open(sys.argv[3], "wb") as f:
        pickle.dump(model, f)
else:
    model, load, _ = measure(lambda: pickle.load(open(sys.argv[2], "rb")))
    (x, y, _), read_ms, _ = measure(lambda: read(sys.argv[3]))
    encoded = model.named_steps["encode"].transform(x).astype(np.float32)
    mlp = model.named_steps["mlp"]
    cold, wall, cpu = measure(lambda: model.predict_proba(x))
    warm, network = [], []
    for _ in range(int(sys.argv[5])):
        _, w, c = measure(lambda: model.predict_proba(x))
        warm.append({"wall": w, "cpu": c})
        _, w, c = measure(lambda: mlp.predict_proba(encoded))
        network.append({"wall": w, "cpu": c})
    cold.astype(np.float32).tofile(sys.argv[4])
    accuracy = float((model.classes_[cold.argmax(1)] == y).mean())
    print(json.dumps({"load": load, "read": read_ms, "cold": {"wall": wall, "cpu": cpu}, "warm": warm,
                      "network": network, "accuracy": accuracy}))
