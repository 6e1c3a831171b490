#!/usr/bin/env python3
"""bench/small-stories.py: the clusterer on small stories.

Real feeds have small stories of 2 to 20 items, while the labelled
development sets (../shared/data/stories) hold stories of 3 to 430. This
keeps, for each labelled story, a random 2 to 20 of its items (seeded),
runs `feedfold cluster` on what is left and scores it with story-score:
a check that the defaults tuned on big stories hold on small ones.

usage: bench/small-stories.py [--feedfold BIN] [--seeds N] [-p NAME=VALUE]...
Each -p is one more configuration to score beside the defaults.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
data = os.environ.get("FEEDFOLD_STORIES",
                      os.path.join(root, "..", "shared", "data", "stories"))
score = os.environ.get("FEEDFOLD_STORY_SCORE",
                       os.path.join(root, "..", "shared", "tools", "story-score"))


def one(ff, tmp, name, seed, params):
    rows = [l.rstrip("\n").split("\t") for l in open(f"{data}/{name}.tsv")]
    gold = dict(l.rstrip("\n").split("\t") for l in open(f"{data}/{name}.gold"))
    stories = {}
    for r in rows:
        stories.setdefault(gold[r[0]], []).append(r[0])
    rnd = random.Random(seed)
    keep = set()
    for label in sorted(stories):
        ids = stories[label]
        keep.update(rnd.sample(ids, rnd.randint(2, min(20, len(ids)))))
    base = os.path.join(tmp, f"{name}.{seed}")
    with open(base + ".tsv", "w") as f:
        for r in rows:
            if r[0] in keep:
                f.write("\t".join(r) + "\n")
    with open(base + ".gold", "w") as f:
        for i in sorted(keep):
            f.write(f"{i}\t{gold[i]}\n")
    args = [ff, "cluster"]
    for p in params:
        args += ["-p", p]
    with open(base + ".pred", "w") as out:
        subprocess.run(args + [base + ".tsv"], stdout=out, check=True)
    last = subprocess.run([score, base + ".gold", base + ".pred"],
                          capture_output=True, text=True,
                          check=True).stdout.strip().splitlines()[-1]
    return float(last.split()[0].split("=")[1]), len(keep), len(stories)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--feedfold", default=os.environ.get("FEEDFOLD", "./feedfold"))
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("-p", action="append", default=[], dest="params")
    a = ap.parse_args()
    if not os.path.isdir(data):
        print(f"bench/small-stories.py: {data} not found", file=sys.stderr)
        return 0
    print(f"B-cubed F1 over {a.seeds} seeds (mean, min); stories cut to 2-20 items")
    with tempfile.TemporaryDirectory() as tmp:
        for params in [[]] + [[p] for p in a.params]:
            cols = []
            for name in ("gnews.dev", "uci-jit12.dev"):
                if not os.path.exists(f"{data}/{name}.tsv"):
                    continue
                runs = [one(a.feedfold, tmp, name, s, params)
                        for s in range(1, a.seeds + 1)]
                f1 = [r[0] for r in runs]
                cols.append(f"{name} {sum(f1) / len(f1):.4f} ({min(f1):.4f}, "
                            f"{runs[0][1]} items, {runs[0][2]} stories)")
            print(f"{' '.join(params) or 'defaults':<22} " + "  ".join(cols))
    return 0


if __name__ == "__main__":
    sys.exit(main())
