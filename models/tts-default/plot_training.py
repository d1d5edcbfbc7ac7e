"""out/loss.csv -> loss.png (training and validation cross-entropy, guided-attention loss over
minutes of training); the last out/attention-*.png -> attention.png. Run after train.py."""
import csv
import glob
import os
import shutil

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    rows = list(csv.DictReader(open(os.path.join(HERE, "out", "loss.csv"))))
    # a resumed run appends; keep the last row written for each step
    by_step = {int(r["step"]): r for r in rows}
    steps = sorted(by_step)
    minutes = [float(by_step[s]["minutes"]) for s in steps]
    ce = [float(by_step[s]["ce"]) for s in steps]
    ga = [float(by_step[s]["guided"]) for s in steps]
    val = [(float(by_step[s]["minutes"]), float(by_step[s]["val_ce"])) for s in steps if by_step[s]["val_ce"]]
    fig, ax = plt.subplots(1, 2, figsize=(11, 3.8))
    k = 20
    smooth = [sum(ce[max(0, i - k):i + 1]) / len(ce[max(0, i - k):i + 1]) for i in range(len(ce))]
    ax[0].plot(minutes, ce, color="0.8", lw=0.6, label="training batch")
    ax[0].plot(minutes, smooth, color="C0", label=f"training (mean of {k + 1} steps)")
    if val:
        ax[0].plot(*zip(*val), "o-", color="C1", label="validation (20 utterances)")
    ax[0].set_xlabel("minutes of training (one core)")
    ax[0].set_ylabel("cross-entropy per code (nats)")
    ax[0].set_title(f"codes: {steps[-1]} steps")
    ax[0].legend()
    ax[1].plot(minutes, ga, color="C2", lw=0.8)
    ax[1].set_xlabel("minutes of training (one core)")
    ax[1].set_ylabel("attention mass off the diagonal band")
    ax[1].set_title("guided-attention loss")
    fig.tight_layout()
    fig.savefig(os.path.join(HERE, "loss.png"), dpi=80)
    last = sorted(glob.glob(os.path.join(HERE, "out", "attention-*.png")))
    if last:
        shutil.copy(last[-1], os.path.join(HERE, "attention.png"))
    print(f"loss.png: {steps[-1]} steps, {minutes[-1]:.1f} min; attention.png from {os.path.basename(last[-1]) if last else '-'}")


if __name__ == "__main__":
    main()
