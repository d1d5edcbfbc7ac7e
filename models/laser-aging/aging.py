"""Load the generated aging runs and turn them into the model features (shared by the models).

The feature vector of one sample (what every laser model reads, in this order):
    0 rel_bias    bias_ma / bias_ref - 1        relative rise of the operating current
    1 rel_bias_tc (bias_ma / bias_ref) * exp(-d_temp / T0_DATASHEET) - 1
                                                the same, corrected to the reference temperature
    2 rel_monitor monitor_ua / monitor_ref - 1  relative change of the monitor photodiode
    3 case_temp_c case temperature, degC        (sets the aging rate: Arrhenius)
    4 d_temp      case_temp_c - temp_ref        (the bias current follows it: exp(dT / T0))
T0_DATASHEET = 80 K is the nominal characteristic temperature (a datasheet figure); each
unit's own T0 differs by a few kelvin, so the correction is good, not exact.
The references bias_ref, monitor_ref, temp_ref are the medians of the unit's first
REF_SAMPLES readings (24 h at 2 h per sample; median of an even count = mean of the two
middle values), so a single glitch in the first day does not move them. A streaming
pipeline collects those readings first, then feeds them and every later one.
"""
import csv
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
REF_SAMPLES = 12
FEATURES = ("rel_bias", "rel_bias_tc", "rel_monitor", "case_temp_c", "d_temp")
T0_DATASHEET = 80.0
EOL_RISE = 0.20
DT_H = 2.0


def read_labels():
    with open(os.path.join(DATA, "labels.csv")) as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for k in ("unit_id", "samples"):
            r[k] = int(r[k])
        for k in ("set_temp_c", "i0_ma", "ea_ev", "degradation_onset_h", "anomaly_h", "eol_h", "end_h"):
            r[k] = float(r[k])
        r["sudden_failure_h"] = float(r["sudden_failure_h"]) if r["sudden_failure_h"] else None
    return rows


def read_events():
    out = {}
    with open(os.path.join(DATA, "events.csv")) as f:
        for r in csv.DictReader(f):
            out.setdefault(int(r["unit_id"]), []).append((float(r["time_h"]), r["channel"], r["kind"]))
    return out


def read_unit(split, unit_id):
    """[N, 5] float64: time_h, bias_ma, monitor_ua, case_temp_c, vibration_g."""
    path = os.path.join(DATA, split, f"unit_{unit_id:03d}.csv")
    a = np.loadtxt(path, delimiter=",", skiprows=1)
    assert (a[:, 0] == unit_id).all()
    return a[:, 1:]


def features(raw):
    """[N, 5] float64 feature vectors (module docstring) from read_unit's array."""
    ref = np.median(raw[:REF_SAMPLES], axis=0)
    bias, mon, temp = raw[:, 1], raw[:, 2], raw[:, 3]
    d_temp = temp - ref[3]
    return np.stack([bias / ref[1] - 1.0, bias / ref[1] * np.exp(-d_temp / T0_DATASHEET) - 1.0,
                     mon / ref[2] - 1.0, temp, d_temp], 1)


def load_split(split):
    """List of dicts (unit label + time, raw, feat, glitch mask) for one split, in unit order."""
    events = read_events()
    units = []
    for lab in read_labels():
        if lab["split"] != split:
            continue
        raw = read_unit(split, lab["unit_id"])
        t = raw[:, 0]
        glitch = np.zeros(len(t), dtype=bool)
        for (te, ch, kind) in events.get(lab["unit_id"], []):
            if ch in ("bias_ma", "monitor_ua") and kind in ("spike", "dropout", "stuck"):
                glitch[int(round(te / DT_H))] = True
        u = dict(lab)
        u.update(time=t, raw=raw, feat=features(raw), glitch=glitch,
                 anomaly=t >= lab["anomaly_h"], rul=np.maximum(lab["eol_h"] - t, 0.0))
        units.append(u)
    return units
