"""A tiny numpy evaluator for the ONNX operators that the aaren step graph uses.

onnxruntime is not packaged for Debian and onnx 1.12 has no reference evaluator, so the
export scripts check step.onnx numerically with this (float32 throughout, like a runtime).
Only the operators and attributes torch.onnx.export (opset 17) emits for Aaren are handled;
anything else raises.
"""
import numpy as np
import onnx
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def run(model_or_path, feeds):
    model = onnx.load(model_or_path) if isinstance(model_or_path, str) else model_or_path
    env = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    env.update({k: np.asarray(v) for k, v in feeds.items()})
    for node in model.graph.node:
        a = _attrs(node)
        x = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Constant":
            y = numpy_helper.to_array(a["value"])
        elif op == "Identity":
            y = x[0]
        elif op in ("Add", "Sub", "Mul", "Div", "Max", "Pow"):
            f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide,
                 "Max": np.maximum, "Pow": np.power}[op]
            y = x[0]
            for other in x[1:]:
                with np.errstate(invalid="ignore", over="ignore"):
                    y = f(y, other)
            y = y.astype(x[0].dtype)
        elif op in ("Exp", "Tanh", "Sqrt", "Relu", "Sigmoid", "Neg", "Erf"):
            with np.errstate(over="ignore"):
                if op == "Exp":
                    y = np.exp(x[0])
                elif op == "Tanh":
                    y = np.tanh(x[0])
                elif op == "Sqrt":
                    y = np.sqrt(x[0])
                elif op == "Relu":
                    y = np.maximum(x[0], 0)
                elif op == "Sigmoid":
                    y = 1 / (1 + np.exp(-x[0]))
                elif op == "Neg":
                    y = -x[0]
                else:
                    import scipy.special
                    y = scipy.special.erf(x[0])
            y = y.astype(x[0].dtype)
        elif op == "Gemm":
            A, B = x[0], x[1]
            if a.get("transA", 0):
                A = A.T
            if a.get("transB", 0):
                B = B.T
            y = a.get("alpha", 1.0) * (A @ B)
            if len(x) > 2 and x[2] is not None:
                y = y + a.get("beta", 1.0) * x[2]
            y = y.astype(A.dtype)
        elif op == "MatMul":
            y = np.matmul(x[0], x[1])
        elif op == "Reshape":
            shape = [int(s) for s in x[1]]
            shape = [x[0].shape[i] if s == 0 and not a.get("allowzero", 0) else s for i, s in enumerate(shape)]
            y = x[0].reshape(shape)
        elif op == "Unsqueeze":
            y = x[0]
            axes = sorted(int(v) for v in (x[1] if len(x) > 1 else a["axes"]))
            for ax in axes:
                y = np.expand_dims(y, ax if ax >= 0 else ax + y.ndim + 1)
        elif op == "Squeeze":
            axes = tuple(int(v) for v in (x[1] if len(x) > 1 and x[1] is not None else a.get("axes", ())))
            y = np.squeeze(x[0], axis=axes if axes else None)
        elif op == "Gather":
            y = np.take(x[0], x[1], axis=a.get("axis", 0))
        elif op == "Concat":
            y = np.concatenate(x, axis=a["axis"])
        elif op == "ReduceSum":
            axes = x[1] if len(x) > 1 and x[1] is not None else None
            axes = tuple(int(v) for v in axes) if axes is not None else None
            y = np.sum(x[0], axis=axes, keepdims=bool(a.get("keepdims", 1))).astype(x[0].dtype)
        elif op == "LayerNormalization":
            axis = a.get("axis", -1)
            eps = a.get("epsilon", 1e-5)
            axes = tuple(range(axis if axis >= 0 else x[0].ndim + axis, x[0].ndim))
            mu = x[0].mean(axis=axes, keepdims=True)
            var = ((x[0] - mu) ** 2).mean(axis=axes, keepdims=True)
            y = (x[0] - mu) / np.sqrt(var + np.float32(eps)) * x[1]
            if len(x) > 2 and x[2] is not None:
                y = y + x[2]
            y = y.astype(x[0].dtype)
        elif op == "Transpose":
            y = np.transpose(x[0], a.get("perm"))
        elif op == "Cast":
            y = x[0].astype(onnx.helper.tensor_dtype_to_np_dtype(a["to"]))
        elif op == "Slice":
            data, starts, ends = x[0], x[1], x[2]
            axes = x[3] if len(x) > 3 and x[3] is not None else range(len(starts))
            steps = x[4] if len(x) > 4 and x[4] is not None else [1] * len(starts)
            sl = [slice(None)] * data.ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                sl[int(ax)] = slice(int(s), int(e), int(st))
            y = data[tuple(sl)]
        else:
            raise NotImplementedError(f"onnx_eval: operator {op}")
        env[node.output[0]] = np.asarray(y)
    return {o.name: env[o.name] for o in model.graph.output}


def check_step_onnx(path, model, X, state_names=("m", "c", "a"), atol=1e-4):
    """Run step.onnx over X [T,F] from the initial state and compare with model.run_recurrent
    (float32). Returns the worst difference of output and final state, relative to
    max(1, max |reference|) of each tensor."""
    import torch
    graph = onnx.load(path)
    st = {k: v.numpy() for k, v in model.initial_state().items()}
    outs = []
    for t in range(X.shape[0]):
        feeds = {"input": X[t:t + 1].astype(np.float32)}
        feeds.update(st)
        r = run(graph, feeds)
        outs.append(r["output"][0])
        st = {k: r[k + "_out"] for k in state_names}
    outs = np.stack(outs)
    ref, ref_state = model.float().run_recurrent(X)
    pairs = [("output", outs, ref.numpy())] + [(k, st[k], ref_state[k].numpy()) for k in state_names]
    worst = 0.0
    for name, got, want in pairs:  # error relative to the tensor's magnitude (at least 1)
        rel = float(np.abs(got - want).max()) / max(1.0, float(np.abs(want).max()))
        assert rel <= atol, f"step.onnx {name} differs from the reference by {rel} (relative)"
        worst = max(worst, rel)
    return worst
