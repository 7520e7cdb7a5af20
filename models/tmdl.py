# tmdl.py - partix's own writer of TinyMaix's .tmdl model format (int8), and
# an int8 reference of TinyMaix's arithmetic to measure what the quantized
# model scores before any C runs it.
#
# The format (TinyMaix include/tinymaix.h, tools/tflite2tmdl.py), little
# endian, every part 8-byte aligned:
#   model header, 64 bytes: "MAIX", mdl_type u8 (0 int8), out_deq u8,
#     input_cnt u16, output_cnt u16, layer_cnt u16, buf_size u32,
#     sub_size u32, in_dims u16[4], out_dims u16[4], 28 reserved bytes
#   then each layer: a 48-byte head (type u16, is_out u16, size u32,
#     in_oft u32, out_oft u32, in_dims u16[4], out_dims u16[4], in_s f32,
#     in_zp i32, out_s f32, out_zp i32), then its body.
#   conv2d body: kernel_w, kernel_h, stride_w, stride_h, dilation_w,
#     dilation_h u8, act u16, pad[4] u8 (top, bottom, left, right),
#     depth_mul u32 (0: conv2d), reserved u32, ws_oft, w_oft, b_oft u32
#     (from the layer's start), then per-output-channel weight scales f32,
#     weights int8 [cout][cin][kh][kw] (TinyMaix's co,ci,h,w order of the
#     HWC input patch), biases int32 with -in_zp * sum(w) folded in.
#   fc body: ws_oft, w_oft, b_oft, reserved u32; scales (only [0] is used),
#     weights int8 [cout][cin], biases int32 (zero point folded in).
#   reshape, softmax: no body.
# Quantization: real = scale * (q - zero_point); weights symmetric per
# output channel (fc: per tensor), activations asymmetric per tensor.
import struct

import numpy as np

TML_CONV2D, TML_GAP, TML_FC, TML_SOFTMAX, TML_RESHAPE = 0, 1, 2, 3, 4
TM_ACT_NONE, TM_ACT_RELU = 0, 1
HEAD = 64
LAYER_HEAD = 48


def align8(n):
    return (n + 7) // 8 * 8


def pad8(b):
    return b + bytes(align8(len(b)) - len(b))


def dims(shape):
    """(h, w, c) or (c,) as TinyMaix's [ndims, d0, d1, d2]."""
    shape = list(shape)
    return [len(shape)] + [1] * (3 - len(shape)) + shape


def same_pad(size, k, s):
    """TF's SAME padding, split as TinyMaix's converter splits it."""
    out = (size + s - 1) // s
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2, out


class Q:
    """A tensor's quantization: real = s * (q - zp)."""

    def __init__(self, s, zp):
        self.s = np.float32(s)
        self.zp = int(zp)


def act_q(lo, hi):
    """Asymmetric int8 for a tensor observed in [lo, hi] (0 included)."""
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    s = (hi - lo) / 255.0
    zp = int(round(-128 - lo / s))
    return Q(s, max(-128, min(127, zp)))


def quant_conv(w, b, qin, qout):
    """w: [kh, kw, cin, cout] float, b: [cout]: int8 weights [cout][cin][kh][kw],
    per-channel scales, int32 biases with the input zero point folded in."""
    cout = w.shape[3]
    wc = w.transpose(3, 2, 0, 1).reshape(cout, -1)  # co, ci, h, w
    ws = np.maximum(np.abs(wc).max(axis=1), 1e-8) / 127.0
    wq = np.clip(np.round(wc / ws[:, None]), -127, 127).astype(np.int8)
    bq = np.round(b / (np.float32(qin.s) * ws.astype(np.float32))).astype(np.int64)
    bq -= qin.zp * wq.astype(np.int64).sum(axis=1)
    return wq, ws.astype(np.float32), bq.astype(np.int32)


def quant_fc(w, b, qin):
    """w: [cin, cout]: int8 [cout][cin], one scale, int32 biases."""
    wc = w.T
    s = max(float(np.abs(wc).max()), 1e-8) / 127.0
    wq = np.clip(np.round(wc / s), -127, 127).astype(np.int8)
    bq = np.round(b / (np.float32(qin.s) * np.float32(s))).astype(np.int64)
    bq -= qin.zp * wq.astype(np.int64).sum(axis=1)
    ws = np.full(wc.shape[0], s, dtype=np.float32)
    return wq, ws, bq.astype(np.int32)


def layer_head(ltype, is_out, size, in_oft, out_oft, ind, outd, qin, qout):
    return struct.pack("<HHIII4H4Hfifi", ltype, is_out, size, in_oft, out_oft, *ind, *outd,
                       qin.s, qin.zp, qout.s, qout.zp)


def write_tmdl(layers, in_shape, out_shape):
    """layers: dicts with kind (conv, reshape, fc, softmax), in/out shape,
    qin/qout, and for conv/fc the quantized arrays.  Returns the bytes."""
    # the ping-pong buffer: each layer's input at one end, output at the
    # other (reshape in place); a softmax and the dequantized output keep
    # float room, as TinyMaix's converter lays them out
    sizes = []
    for l in layers:
        isz = align8(int(np.prod(l["in"])))
        if l["is_out"]:
            osz = align8(int(np.prod(l["out"]))) + align8(int(np.prod(l["out"])) * 4)
        elif l["kind"] == "softmax":
            osz = align8(int(np.prod(l["out"])) * 4)
        else:
            osz = align8(int(np.prod(l["out"])))
        l["osz"] = osz
        sizes.append(osz if l["kind"] == "reshape" else isz + osz)
    buf_size = max(sizes)
    out = bytearray()
    out += b"MAIX" + struct.pack("<BBHHHII4H4H", 0, 1, 1, 1, len(layers), buf_size, 0,
                                 *dims(in_shape), *dims(out_shape)) + bytes(28)
    assert len(out) == HEAD
    out_oft = 0
    for l in layers:
        in_oft = out_oft
        if l["kind"] == "reshape":
            out_oft = in_oft
        else:
            out_oft = 0 if out_oft != 0 else buf_size - l["osz"]
        body = b""
        if l["kind"] == "conv":
            kh, kw = l["k"]
            body = struct.pack("<BBBBBBH4BII", kw, kh, l["stride"], l["stride"], 1, 1, l["act"],
                               *l["pad"], 0, 0)
            ws_oft = LAYER_HEAD + len(body) + 12
        elif l["kind"] == "fc":
            ws_oft = LAYER_HEAD + 16
        if l["kind"] in ("conv", "fc"):
            wq, ws, bq = l["wq"], l["ws"], l["bq"]
            w_oft = ws_oft + align8(ws.size * 4)
            b_oft = w_oft + align8(wq.size)
            if l["kind"] == "conv":
                body += struct.pack("<III", ws_oft, w_oft, b_oft)
            else:
                body += struct.pack("<IIII", ws_oft, w_oft, b_oft, 0)
            body += pad8(ws.astype("<f4").tobytes())
            body += pad8(wq.astype(np.int8).tobytes())
            body += pad8(bq.astype("<i4").tobytes())
        ltype = {"conv": TML_CONV2D, "fc": TML_FC, "softmax": TML_SOFTMAX,
                 "reshape": TML_RESHAPE}[l["kind"]]
        size = LAYER_HEAD + len(body)
        out += layer_head(ltype, 1 if l["is_out"] else 0, size, in_oft, out_oft, dims(l["in"]),
                          dims(l["out"]), l["qin"], l["qout"])
        out += body
    return bytes(out)


# ---- the int8 reference: TinyMaix's arithmetic in numpy, batched ----
# float32 throughout, as the C code: sum (int32) * (ws * in_s) in float,
# the activation on the float, / out_s + out_zp, then truncated toward zero
# to int8 (C's conversion).  The caller checks nothing wraps (TinyMaix does
# not saturate).

def _to_i8(f, overflow):
    t = np.trunc(f)
    overflow[0] += int(np.count_nonzero((t < -128) | (t > 127)))
    return np.clip(t, -128, 127).astype(np.int8)


def ref_conv(x, l, overflow):
    """x: int8 [n, h, w, c]."""
    n, h, w, c = x.shape
    kh, kw = l["k"]
    s = l["stride"]
    pt, pb, pl, pr = l["pad"]
    xp = np.full((n, h + pt + pb, w + pl + pr, c), l["qin"].zp, dtype=np.int32)
    xp[:, pt:pt + h, pl:pl + w, :] = x
    oh, ow = l["out"][0], l["out"][1]
    cols = np.empty((n, oh, ow, c, kh, kw), dtype=np.int32)  # ci, h, w order
    for i in range(kh):
        for j in range(kw):
            cols[:, :, :, :, i, j] = xp[:, i:i + s * oh:s, j:j + s * ow:s, :]
    # float64 products and sums of int8 values are exact: BLAS speed
    cols = cols.reshape(n * oh * ow, -1).astype(np.float64)
    acc = (cols @ l["wq"].astype(np.float64).T).astype(np.int64) + l["bq"].astype(np.int64)
    scale = (l["ws"] * l["qin"].s).astype(np.float32)
    f = acc.astype(np.float32) * scale
    if l["act"] == TM_ACT_RELU:
        f = np.maximum(f, np.float32(0))
    f = f / l["qout"].s + np.float32(l["qout"].zp)
    return _to_i8(f, overflow).reshape(n, oh, ow, -1)


def ref_fc(x, l, overflow):
    acc = (x.reshape(x.shape[0], -1).astype(np.float64) @ l["wq"].astype(np.float64).T).astype(
        np.int64)
    acc = (acc + l["bq"].astype(np.int64)).astype(np.float32)
    f = acc * l["qin"].s * np.float32(l["ws"][0]) / l["qout"].s + np.float32(l["qout"].zp)
    return _to_i8(f, overflow)


def ref_softmax(x, l, overflow):
    d = (x.astype(np.int32) - l["qin"].zp).astype(np.float32) * l["qin"].s
    d = d - d.max(axis=1, keepdims=True)
    e = np.exp(d.astype(np.float64)).astype(np.float32)
    ssum = np.zeros(e.shape[0], dtype=np.float32)
    for i in range(e.shape[1]):  # C adds in order, in float
        ssum = (ssum + e[:, i]).astype(np.float32)
    e = (e.astype(np.float64) - 0.000001).astype(np.float32)
    f = e / ssum[:, None] / l["qout"].s + np.float32(l["qout"].zp)
    return _to_i8(f, overflow)


def ref_run(layers, images):
    """images: uint8 [n, 28, 28] -> (dequantized outputs float32 [n, 10],
    how many values wrapped)."""
    overflow = [0]
    x = (images.astype(np.int16) - 128).astype(np.int8)[..., None]  # TMPP_UINT2INT
    for l in layers:
        if l["kind"] == "conv":
            x = ref_conv(x, l, overflow)
        elif l["kind"] == "reshape":
            x = x.reshape(x.shape[0], -1)
        elif l["kind"] == "fc":
            x = ref_fc(x, l, overflow)
        elif l["kind"] == "softmax":
            x = ref_softmax(x, l, overflow)
    q = layers[-1]["qout"]
    return (x.astype(np.int32) - q.zp).astype(np.float32) * q.s, overflow[0]
