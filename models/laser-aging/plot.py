"""Plot a few generated units (units.png in this folder). Run after make_data.py."""
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from aging import load_split  # noqa: E402

SHOW = (17, 19, 38, 57, 59)     # held-out units: 70, 70 (sudden), 85, 100, 100 (wear-out, then sudden) degC


def main():
    units = {u["unit_id"]: u for u in load_split("test")}
    fig, axes = plt.subplots(3, 1, figsize=(10, 9), sharex=False)
    for uid in SHOW:
        u = units[uid]
        line, = axes[0].plot(u["time"], u["raw"][:, 1], lw=0.6,
                             label=f"unit {uid}, {u['set_temp_c']:.0f} degC, {u['end_reason']}")
        axes[0].axvline(u["anomaly_h"], color=line.get_color(), ls="--", lw=0.8)
        axes[0].axvline(u["eol_h"], color=line.get_color(), ls=":", lw=1.2)
        axes[1].plot(u["time"], u["feat"][:, 0], lw=0.6, color=line.get_color())
        axes[2].plot(u["time"], u["raw"][:, 2], lw=0.6, color=line.get_color())
    axes[1].axhline(0.2, color="k", lw=0.8, ls=":")
    axes[1].axhline(0.0, color="k", lw=0.5)
    axes[0].set_ylabel("bias current (mA)")
    axes[0].set_title("held-out units: dashed = anomaly label, dotted = end of life")
    axes[0].legend(fontsize=8)
    axes[1].set_ylabel("bias / bias_ref - 1")
    axes[1].set_ylim(-0.1, 0.7)
    axes[1].set_title("relative rise (end-of-life criterion 0.2); spikes and dropouts are sensor glitches")
    axes[2].set_ylabel("monitor photodiode (uA)")
    axes[2].set_ylim(-5, 250)
    axes[2].set_xlabel("time (h)")
    fig.tight_layout()
    fig.savefig(os.path.join(HERE, "units.png"), dpi=90)


if __name__ == "__main__":
    main()
