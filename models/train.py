#!/usr/bin/python3
# train.py - trains the shipped Fashion-MNIST CNN with numpy alone, quantizes
# it to int8 and writes it as a TinyMaix .tmdl (tmdl.py).  "make model" runs
# it; models/README.md says what it makes and what it scores.
#
#   train.py [--data DIR] [--out FILE] [--epochs N] [--seed S]
#
# The network (28x28x1 in, HWC):
#   conv 3x3 1->16 stride 2 SAME, relu      14x14x16
#   conv 3x3 16->32 stride 1 SAME, relu     14x14x32
#   conv 3x3 32->32 stride 2 SAME, relu      7x7x32
#   reshape 1568, fully connected 10, softmax
# Every random draw comes from one seeded generator; numpy's BLAS adds in a
# fixed order per element, so a run on the same machine and BLAS gives the
# same bytes.
import argparse
import gzip
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmdl  # noqa: E402

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
           "Sneaker", "Bag", "Ankle boot"]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    nd = magic & 0xFF
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(nd)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * nd).reshape(shape)


# conv layers: (kernel, cin, cout, stride); padding is SAME
CONVS = [(3, 1, 16, 2), (3, 16, 32, 1), (3, 32, 32, 2)]
FC_IN, FC_OUT = 7 * 7 * 32, 10


def conv_geom(h, k, s):
    top, bottom, out = tmdl.same_pad(h, k, s)
    return top, bottom, out


def im2col(x, k, s):
    n, h, w, c = x.shape
    pt, pb, oh = conv_geom(h, k, s)
    pl, pr, ow = conv_geom(w, k, s)
    xp = np.zeros((n, h + pt + pb, w + pl + pr, c), dtype=x.dtype)
    xp[:, pt:pt + h, pl:pl + w, :] = x
    cols = np.empty((n, oh, ow, k, k, c), dtype=x.dtype)
    for i in range(k):
        for j in range(k):
            cols[:, :, :, i, j, :] = xp[:, i:i + s * oh:s, j:j + s * ow:s, :]
    return cols.reshape(n * oh * ow, k * k * c), (n, h, w, c, oh, ow, pt, pl, xp.shape)


def col2im(dcols, k, s, geom):
    n, h, w, c, oh, ow, pt, pl, pshape = geom
    dxp = np.zeros(pshape, dtype=dcols.dtype)
    d = dcols.reshape(n, oh, ow, k, k, c)
    for i in range(k):
        for j in range(k):
            dxp[:, i:i + s * oh:s, j:j + s * ow:s, :] += d[:, :, :, i, j, :]
    return dxp[:, pt:pt + h, pl:pl + w, :]


def init(rng):
    p = {}
    for i, (k, ci, co, _) in enumerate(CONVS):
        p["w%d" % i] = (rng.standard_normal((k, k, ci, co)) * np.sqrt(2.0 / (k * k * ci))).astype(
            np.float32)
        p["b%d" % i] = np.zeros(co, dtype=np.float32)
    p["wf"] = (rng.standard_normal((FC_IN, FC_OUT)) * np.sqrt(1.0 / FC_IN)).astype(np.float32)
    p["bf"] = np.zeros(FC_OUT, dtype=np.float32)
    return p


def forward(p, x, keep=False):
    """x: float32 [n, 28, 28, 1] in 0..1.  Logits, and what backward needs."""
    cache = []
    for i, (k, ci, co, s) in enumerate(CONVS):
        cols, geom = im2col(x, k, s)
        z = cols @ p["w%d" % i].reshape(-1, co) + p["b%d" % i]
        a = np.maximum(z, 0)
        if keep:
            cache.append((cols, geom, z))
        n, oh, ow = geom[0], geom[4], geom[5]
        x = a.reshape(n, oh, ow, co)
    flat = x.reshape(x.shape[0], -1)
    logits = flat @ p["wf"] + p["bf"]
    return logits, cache, flat


def backward(p, cache, flat, dlogits):
    g = {"wf": flat.T @ dlogits, "bf": dlogits.sum(axis=0)}
    dx = (dlogits @ p["wf"].T)
    for i in reversed(range(len(CONVS))):
        k, ci, co, s = CONVS[i]
        cols, geom, z = cache[i]
        dz = dx.reshape(-1, co) * (z > 0)
        g["w%d" % i] = (cols.T @ dz).reshape(k, k, ci, co)
        g["b%d" % i] = dz.sum(axis=0)
        if i > 0:
            dx = col2im(dz @ p["w%d" % i].reshape(-1, co).T, k, s, geom)
    return g


def softmax_xent(logits, y):
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    pr = e / e.sum(axis=1, keepdims=True)
    loss = -np.log(pr[np.arange(len(y)), y] + 1e-12).mean()
    pr[np.arange(len(y)), y] -= 1
    return loss, pr / len(y)


def predict(p, x, batch=1000):
    out = []
    for i in range(0, len(x), batch):
        out.append(forward(p, x[i:i + batch])[0])
    return np.concatenate(out)


def train(p, xtr, ytr, epochs, rng, batch=128, lr0=2e-3, wd=1e-4):
    m = {k: np.zeros_like(v) for k, v in p.items()}
    v = {k: np.zeros_like(v) for k, v in p.items()}
    b1, b2, eps, t = 0.9, 0.999, 1e-8, 0
    steps = epochs * (len(xtr) // batch)
    for ep in range(epochs):
        t0 = time.time()
        order = rng.permutation(len(xtr))
        tot = 0.0
        for bi in range(len(xtr) // batch):
            idx = order[bi * batch:(bi + 1) * batch]
            x = xtr[idx]
            flip = rng.random(len(idx)) < 0.5  # clothes are left-right symmetric
            x = np.where(flip[:, None, None, None], x[:, :, ::-1, :], x)
            logits, cache, flat = forward(p, x, keep=True)
            loss, dl = softmax_xent(logits, ytr[idx])
            tot += loss
            g = backward(p, cache, flat, dl.astype(np.float32))
            t += 1
            lr = lr0 * 0.5 * (1 + np.cos(np.pi * t / steps))  # cosine to zero
            for k in p:
                if k.startswith("w"):
                    g[k] = g[k] + wd * p[k]
                m[k] = b1 * m[k] + (1 - b1) * g[k]
                v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k]
                mh = m[k] / (1 - b1 ** t)
                vh = v[k] / (1 - b2 ** t)
                p[k] = (p[k] - lr * mh / (np.sqrt(vh) + eps)).astype(np.float32)
        print("epoch %d/%d: loss %.4f (%.0f s)" % (ep + 1, epochs, tot / (bi + 1), time.time() - t0),
              flush=True)


def calibrate(p, x, batch=1000):
    """The largest value after each conv's relu and the logits' range, over x."""
    hi = [0.0] * len(CONVS)
    lo_l, hi_l = 0.0, 0.0
    for i in range(0, len(x), batch):
        a = x[i:i + batch]
        for j, (k, ci, co, s) in enumerate(CONVS):
            cols, geom = im2col(a, k, s)
            a = np.maximum(cols @ p["w%d" % j].reshape(-1, co) + p["b%d" % j], 0)
            hi[j] = max(hi[j], float(a.max()))
            a = a.reshape(geom[0], geom[4], geom[5], co)
        lg = a.reshape(a.shape[0], -1) @ p["wf"] + p["bf"]
        lo_l, hi_l = min(lo_l, float(lg.min())), max(hi_l, float(lg.max()))
    return hi, lo_l, hi_l


def quantize(p, hi, lo_l, hi_l, margin):
    qin = tmdl.Q(1.0 / 255.0, -128)  # u8/255, as TMPP_UINT2INT gives u8-128
    layers, h = [], 28
    cin_shape = (28, 28, 1)
    for j, (k, ci, co, s) in enumerate(CONVS):
        pt, pb, oh = conv_geom(h, k, s)
        qout = tmdl.act_q(0.0, hi[j] * margin)
        wq, ws, bq = tmdl.quant_conv(p["w%d" % j], p["b%d" % j], qin, qout)
        layers.append(dict(kind="conv", k=(k, k), stride=s, pad=(pt, pb, pt, pb),
                           act=tmdl.TM_ACT_RELU, **{"in": cin_shape}, out=(oh, oh, co), qin=qin,
                           qout=qout, wq=wq, ws=ws, bq=bq, is_out=False))
        qin, h, cin_shape = qout, oh, (oh, oh, co)
    layers.append(dict(kind="reshape", **{"in": cin_shape}, out=(FC_IN,), qin=qin, qout=qin,
                       is_out=False))
    qlog = tmdl.act_q(lo_l * margin, hi_l * margin)
    wq, ws, bq = tmdl.quant_fc(p["wf"], p["bf"], qin)
    layers.append(dict(kind="fc", **{"in": (FC_IN,)}, out=(FC_OUT,), qin=qin, qout=qlog, wq=wq,
                       ws=ws, bq=bq, is_out=False))
    layers.append(dict(kind="softmax", **{"in": (FC_OUT,)}, out=(FC_OUT,), qin=qlog,
                       qout=tmdl.Q(1.0 / 256.0, -128), is_out=True))
    return layers


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__),
                                                  "fashion_mnist_q.tmdl"))
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--margin", type=float, default=1.05)
    ap.add_argument("--params", help="keep the float weights in this .npz: trained and "
                    "saved if absent, loaded (no training) if present")
    a = ap.parse_args()

    xtr = read_idx(os.path.join(a.data, "train-images-idx3-ubyte.gz"))
    ytr = read_idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    xte = read_idx(os.path.join(a.data, "t10k-images-idx3-ubyte.gz"))
    yte = read_idx(os.path.join(a.data, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    ftr = (xtr.astype(np.float32) / 255.0)[..., None]
    fte = (xte.astype(np.float32) / 255.0)[..., None]

    rng = np.random.default_rng(a.seed)
    p = init(rng)
    if a.params and os.path.exists(a.params):
        p = {k: v.astype(np.float32) for k, v in np.load(a.params).items()}
    else:
        train(p, ftr, ytr, a.epochs, rng)
        if a.params:
            np.savez(a.params, **p)
    acc_f = float((predict(p, fte).argmax(axis=1) == yte).mean())
    print("float32 top-1 on the 10000 test images: %.2f%%" % (100 * acc_f))

    hi, lo_l, hi_l = calibrate(p, ftr)
    print("calibration (training set): relu max %s, logits %.2f..%.2f" %
          (["%.2f" % v for v in hi], lo_l, hi_l))
    # TinyMaix does not saturate: an activation past its int8 range wraps.
    # Widen the ranges until no test image wraps one.
    margin = a.margin
    while True:
        layers = quantize(p, hi, lo_l, hi_l, margin)
        out, wrapped = tmdl.ref_run(layers, xte)
        acc_q = float((out.argmax(axis=1) == yte).mean())
        print("int8 (TinyMaix arithmetic), ranges x%.2f: top-1 on the 10000 test images "
              "%.2f%% (%d values out of int8 range)" % (margin, 100 * acc_q, wrapped))
        if wrapped == 0:
            break
        margin = round(margin + 0.1, 2)
        if margin > 3:
            sys.exit("train.py: activations out of int8 range")
    blob = tmdl.write_tmdl(layers, (28, 28, 1), (FC_OUT,))
    with open(a.out, "wb") as f:
        f.write(blob)
    print("wrote %s: %d bytes" % (a.out, len(blob)))


if __name__ == "__main__":
    main()
