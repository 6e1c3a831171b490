#!/usr/bin/env python3
"""Make a long item stream for `bench/cluster` from the story dev sets.

usage: gen-stream.py [--items N] [--seed S] [--gap-days D] OUT_PREFIX SET...

Each SET is a path prefix with SET.tsv and SET.gold (lines as in
../shared/data/stories). The sets are replicated until N items are
written: replica k of every set starts k * D days after the first, every
item gets a fresh id ("r<k>-<id>") and a seeded jitter of up to
+-5 minutes, and gold labels are made per replica ("r<k>-<label>"), so
that the same news a week later counts as a different story. The sets of
one replica are interleaved in time, so unrelated sets compete for the
same index. Writes OUT_PREFIX.tsv and OUT_PREFIX.gold, sorted by time.
Standard library only.
"""
import argparse
import calendar
import random
import time


def parse_time(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


def fmt_time(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=1000000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gap-days", type=float, default=7.0)
    ap.add_argument("out")
    ap.add_argument("sets", nargs="+")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    sets = []
    for prefix in a.sets:
        gold = {}
        with open(prefix + ".gold", encoding="utf-8") as f:
            for line in f:
                k, v = line.rstrip("\n").split("\t")[:2]
                gold[k] = v
        rows = []
        with open(prefix + ".tsv", encoding="utf-8") as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                rows.append(fields)
        t0 = min(parse_time(r[1]) for r in rows)
        sets.append((rows, gold, t0))
    base = parse_time("2020-01-06T00:00:00Z")
    n = 0
    k = 0
    with open(a.out + ".tsv", "w", encoding="utf-8") as out, \
            open(a.out + ".gold", "w", encoding="utf-8") as gout:
        while n < a.items:
            start = base + int(k * a.gap_days * 86400)
            batch = []
            for rows, gold, t0 in sets:
                for r in rows:
                    t = start + parse_time(r[1]) - t0 + rng.randint(-300, 300)
                    batch.append((t, r, gold.get(r[0], r[0])))
            batch.sort(key=lambda x: x[0])
            for t, r, label in batch:
                if n >= a.items:
                    break
                nid = "r%d-%s" % (k, r[0])
                out.write("\t".join([nid, fmt_time(t)] + r[2:]) + "\n")
                gout.write("%s\tr%d-%s\n" % (nid, k, label))
                n += 1
            k += 1


if __name__ == "__main__":
    main()
