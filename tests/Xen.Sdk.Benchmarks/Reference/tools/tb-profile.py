#!/usr/bin/env python3
"""Per-exit profile of the reference kernel under QEMU TCG, from QEMU's own execution log.

QEMU's `-d exec,nochain` log names every translation block (TB) the vCPU enters, with its guest PC and TB flags.
Under SVM, QEMU's TB flags carry HF_GUEST_MASK (bit 21) while the CPU runs a guest, so the log splits into host
segments, one per #VMEXIT -> VMRUN. This script maps each host TB to the kernel symbol containing it (nm of
kernel.elf) and prints, for the most frequent segment shapes, how many TBs each function contributes.

Under TCG a dispatched exit costs about (host TBs entered) plus (distinct 4 KiB pages touched, because TCG flushes its
software TLB at VMRUN and #VMEXIT); this profile shows the first, docs/reference.md "Dispatcher overhead" the second.

usage: tb-profile.py <qemu-exec.log> <kernel.elf> [segments]
"""
import bisect
import collections
import re
import subprocess
import sys

GUEST_FLAG = 1 << 21   # HF_GUEST_MASK in QEMU's x86 hflags (target/i386/cpu.h)
TB_LINE = re.compile(r"Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/([0-9a-f]+)/")


def symbols(elf):
    out = subprocess.run(["nm", "-n", elf], capture_output=True, text=True, check=True).stdout
    table = [(int(p[0], 16), p[2]) for p in (line.split() for line in out.splitlines())
             if len(p) == 3 and p[1] in "tTwW"]
    return [a for a, _ in table], [n for _, n in table]


def main():
    log, elf = sys.argv[1], sys.argv[2]
    shown = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    addresses, names = symbols(elf)

    def name_of(pc):
        i = bisect.bisect_right(addresses, pc) - 1
        return names[i].split("<")[0] if i >= 0 else "?"

    shapes = collections.Counter()
    current = []
    seen_guest = False
    with open(log, "rb") as f:
        for raw in f:
            m = TB_LINE.search(raw.decode("latin-1"))
            if not m:
                continue
            pc, flags = int(m.group(1), 16), int(m.group(2), 16)
            if flags & GUEST_FLAG:
                if seen_guest and current:
                    shapes[tuple(current)] += 1
                current, seen_guest = [], True
            elif seen_guest:
                current.append(pc)
    for shape, count in shapes.most_common(shown):
        per_function = collections.Counter(name_of(pc) for pc in shape)
        print(f"{count} exits, {len(shape)} host TBs:")
        for function, tbs in per_function.most_common():
            print(f"  {tbs:4d}  {function}")


if __name__ == "__main__":
    main()
