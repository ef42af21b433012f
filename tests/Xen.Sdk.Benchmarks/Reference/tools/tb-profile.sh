#!/bin/bash
# Per-exit TB profile of the bench guest under QEMU TCG (see tb-profile.py). Run from the repository root after
# `dotnet build src/Xen.Sdk.Reference/Kernel/Image -c Release`. The log of a short run is ~0.5 GB: it goes to /tmp.
set -euo pipefail
log=${TMPDIR:-/tmp}/xensdk-qemu-exec.log
qemu-system-x86_64 -machine pc,accel=tcg -cpu qemu64,+svm,+npt -m 256M -kernel artifacts/kernel/kernel.bin \
  -initrd artifacts/kernel/guests/bench.bin -append "run=all bench-iterations=4 bench-batches=2" \
  -display none -serial null -monitor none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -d exec,nochain -D "$log" || true
python3 "$(dirname "$0")/tb-profile.py" "$log" artifacts/kernel/kernel.elf "${1:-6}"
rm -f "$log"
