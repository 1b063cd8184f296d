#!/usr/bin/python3
"""Writes the ONNX fixtures of examples/byom from the churn example's training rows.

Run by hand (not in CI) with Debian's packages:
    apt-get install python3-torch python3-onnx python3-sklearn
    /usr/bin/python3 examples/byom/make_onnx.py

- torch-mlp.onnx: a PyTorch MLP over the four numeric columns, one [N, 4] input named "input"
  (standardisation baked into the graph), softmax output "probabilities", exported with torch.onnx.
- logreg.onnx: scikit-learn's LogisticRegression written as an ONNX graph with onnx.helper from the fitted
  coefficients (skl2onnx is not packaged): one [N, 1] input per column, named after it.
- logreg-logits.onnx: the same graph without its softmax (its output is not probabilities: a bad-input fixture).
Classes are ["no", "yes"], the sorted target labels (modelgate's and scikit-learn's order).
"""
import csv
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from sklearn.linear_model import LogisticRegression

HERE = os.path.dirname(os.path.abspath(__file__))
TRAIN = os.path.join(HERE, "..", "churn", "data", "train.csv")
NUMERIC = ["age", "tenure_months", "monthly_charges", "support_calls"]
LOGREG = NUMERIC + ["has_partner"]


def read_rows():
    with open(TRAIN, newline="") as f:
        rows = list(csv.DictReader(f))
    def value(cell):
        # Missing cells arrive as NaN (modelgate passes them so); the graphs impute the training median.
        return {"true": 1.0, "false": 0.0}[cell] if cell in ("true", "false") else float(cell or "nan")
    x = np.array([[value(r[c]) for c in LOGREG] for r in rows], dtype=np.float32)
    y = np.array([1 if r["churned"] == "yes" else 0 for r in rows], dtype=np.int64)
    return x, y


def torch_mlp(x, y):
    torch.manual_seed(7)
    x = x[:, : len(NUMERIC)]
    median = torch.tensor(np.nanmedian(x, axis=0))
    filled = np.where(np.isnan(x), np.nanmedian(x, axis=0), x)
    mean = torch.tensor(filled.mean(axis=0))
    std = torch.tensor(filled.std(axis=0))

    class Mlp(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("median", median)
            self.register_buffer("mean", mean)
            self.register_buffer("std", std)
            self.hidden = torch.nn.Linear(len(NUMERIC), 8)
            self.out = torch.nn.Linear(8, 2)

        def forward(self, inputs):
            filled = torch.where(torch.isnan(inputs), self.median, inputs)
            z = (filled - self.mean) / self.std
            return torch.softmax(self.out(torch.relu(self.hidden(z))), dim=1)

    model = Mlp()
    features = torch.tensor(x)
    target = torch.tensor(y)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(150):
        optimizer.zero_grad()
        loss = torch.nn.functional.nll_loss(torch.log(model(features) + 1e-7), target)
        loss.backward()
        optimizer.step()
    model.eval()
    torch.onnx.export(
        model,
        features[:1],
        os.path.join(HERE, "torch-mlp.onnx"),
        input_names=["input"],
        output_names=["probabilities"],
        dynamic_axes={"input": {0: "N"}, "probabilities": {0: "N"}},
        opset_version=13,
    )


def logreg(x, y, softmax):
    median = np.nanmedian(x, axis=0)
    x = np.where(np.isnan(x), median, x)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    fitted = LogisticRegression(max_iter=1000).fit((x - mean) / std, y)
    w = fitted.coef_[0].astype(np.float32)
    b = np.float32(fitted.intercept_[0])
    # softmax([-z/2, z/2]) = [1 - sigmoid(z), sigmoid(z)]: the binary model as two class probabilities.
    weights = np.stack([-w / 2, w / 2], axis=1).astype(np.float32)
    bias = np.array([-b / 2, b / 2], dtype=np.float32)
    inputs = [helper.make_tensor_value_info(c, TensorProto.FLOAT, ["N", 1]) for c in LOGREG]
    out_name = "probabilities" if softmax else "logits"
    nodes = [
        helper.make_node("Concat", LOGREG, ["raw"], axis=1),
        helper.make_node("IsNaN", ["raw"], ["missing"]),
        helper.make_node("Where", ["missing", "median", "raw"], ["x"]),
        helper.make_node("Sub", ["x", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "std"], ["scaled"]),
        helper.make_node("MatMul", ["scaled", "weights"], ["product"]),
        helper.make_node("Add", ["product", "bias"], ["logits" if softmax else out_name]),
    ]
    if softmax:
        nodes.append(helper.make_node("Softmax", ["logits"], [out_name], axis=1))
    initializers = [
        numpy_helper.from_array(median.astype(np.float32), "median"),
        numpy_helper.from_array(mean.astype(np.float32), "mean"),
        numpy_helper.from_array(std.astype(np.float32), "std"),
        numpy_helper.from_array(weights, "weights"),
        numpy_helper.from_array(bias, "bias"),
    ]
    graph = helper.make_graph(
        nodes,
        "churn_logreg",
        inputs,
        [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, ["N", 2])],
        initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="make_onnx.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    name = "logreg.onnx" if softmax else "logreg-logits.onnx"
    onnx.save(model, os.path.join(HERE, name))


if __name__ == "__main__":
    x, y = read_rows()
    torch_mlp(x, y)
    logreg(x, y, softmax=True)
    logreg(x, y, softmax=False)
    for name in ("torch-mlp.onnx", "logreg.onnx", "logreg-logits.onnx"):
        print(name, os.path.getsize(os.path.join(HERE, name)), "bytes")
