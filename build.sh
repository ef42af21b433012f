#!/usr/bin/env bash
# Xen.Sdk build entry point. Run `./build.sh help` for the subcommands.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Debian packages each part of the build needs (tests need them all).
PKGS_TEST="python3 libxen-dev gcc gcc-multilib nasm binutils qemu-system-x86 bochs bochsbios vgabios grub-pc-bin grub-common xorriso mtools util-linux"
PKGS_DEMO="nasm binutils qemu-system-x86"

# need PKG...: installs the missing Debian packages when root, else prints the exact command and fails.
need() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    say "installing missing Debian packages: ${missing[*]}"
    if [ ! -f /var/lib/apt/periodic/xen-sdk-updated ] || ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
      apt-get update -qq >/dev/null && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/xen-sdk-updated
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  else
    die "missing Debian packages; run: sudo apt-get install -y ${missing[*]}"
  fi
}

need_dotnet() { command -v dotnet >/dev/null || die "the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH"; }

cmd_build() { need_dotnet; say "building Xen.Sdk.sln (Release)"; dotnet build Xen.Sdk.sln -c Release -nologo -v q "$@"; }

# Records intended public API additions/removals in each library's PublicAPI.Unshipped.txt,
# from the analyzer's own RS0016/RS0017 diagnostics.
cmd_api() {
  need_dotnet
  local log; log=$(mktemp)
  # --no-incremental: the analyzers only report when the compiler runs.
  dotnet build Xen.Sdk.sln -nologo -v q --no-incremental -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= >"$log" 2>&1 || true
  python3 - "$log" <<'PY'
import re, sys, collections, os
add = collections.defaultdict(set); rem = collections.defaultdict(set)
pat = re.compile(r"^(?P<file>/\S+?\.(?:cs|txt))\(\d+,\d+\): (?:warning|error) (?P<id>RS001[67]): Symbol '(?P<sym>.*?)' is (?:not part of the declared public API|part of the declared API, but is either not public or could not be found).*\[(?P<proj>[^\]:]+\.csproj)")
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = pat.match(line.strip())
    if not m:
        continue
    d = os.path.dirname(m["proj"])
    (add if m["id"] == "RS0016" else rem)[d].add(m["sym"])
for d in sorted(set(add) | set(rem)):
    p = os.path.join(d, "PublicAPI.Unshipped.txt")
    lines = [l.rstrip("\n") for l in open(p)] if os.path.exists(p) else ["#nullable enable"]
    body = set(l for l in lines[1:] if l.strip()) | add[d]
    body -= rem[d]
    open(p, "w").write("#nullable enable\n" + "".join(s + "\n" for s in sorted(body, key=str.lower)))
    print(f"{os.path.relpath(p)}: +{len(add[d])} -{len(rem[d])}")
PY
  rm -f "$log"
}

cmd_pack() {
  need_dotnet
  say "packing libraries into artifacts/packages/"
  rm -rf artifacts/packages
  dotnet pack Xen.Sdk.sln -c Release -nologo -v q -warnaserror
  ls artifacts/packages/*.nupkg artifacts/packages/*.snupkg >&2
}

# One line from the test platform's own totals (the "total/failed/succeeded/skipped" block `dotnet test` prints for
# the whole solution). The xunit TRX files are kept in artifacts/test-results for tools, but their names carry only
# the host and a timestamp, so two test projects starting together can write the same name: they are not counted.
test_summary() {
  local log=$1 passed failed skipped
  passed=$(grep -E '^[[:space:]]*succeeded: [0-9]+[[:space:]]*$' "$log" | tail -n1 | grep -o '[0-9]*' || true)
  failed=$(grep -E '^[[:space:]]*failed: [0-9]+[[:space:]]*$' "$log" | tail -n1 | grep -o '[0-9]*' || true)
  skipped=$(grep -E '^[[:space:]]*skipped: [0-9]+[[:space:]]*$' "$log" | tail -n1 | grep -o '[0-9]*' || true)
  if [ -z "$passed" ] || [ -z "$failed" ] || [ -z "$skipped" ]; then
    echo "no test totals found in $log"; return 1
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
}

cmd_test() {
  need $PKGS_TEST; need_dotnet
  cmd_pack
  say "building tests"
  dotnet build Xen.Sdk.sln -c Release -nologo -v q
  local results=$ROOT/artifacts/test-results rc=0
  rm -rf "$results"
  say "running tests"
  mkdir -p "$results"
  dotnet test --solution Xen.Sdk.sln -c Release --no-build --report-xunit-trx --results-directory "$results" "$@" \
    2>&1 | tee "$results/dotnet-test.log" || rc=$?
  test_summary "$results/dotnet-test.log" || rc=1
  return $rc
}

# Reference kernel helper: boots artifacts/kernel/kernel.bin under QEMU TCG (AMD SVM + NPT) with the given guest
# modules; prints the serial log on stdout. Exit status of QEMU: 33 = kernel success, 35 = kernel failure.
kernel_qemu() {
  local run=$1; shift
  local initrd; initrd=$(IFS=,; echo "$*")
  timeout 120 qemu-system-x86_64 -machine pc,accel=tcg -cpu qemu64,+svm,+npt -m 256M \
    -kernel artifacts/kernel/kernel.bin -initrd "$initrd" -append "run=$run ${XENSDK_KERNEL_ARGS:-}" \
    -display none -serial stdio -monitor none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
}

cmd_demo() {
  need $PKGS_DEMO; need_dotnet
  local t0=$SECONDS
  say "[1/3] building the reference hypervisor image (dotnet build: core library, facades, freestanding check, ilc, nasm, ld)"
  dotnet build src/Xen.Sdk.Reference/Kernel/Image -c Release -nologo -v q -p:XenSdkSkipIso=true >&2 || die "kernel build failed"
  local size; size=$(stat -c %s artifacts/kernel/kernel.bin)
  say "[2/3] booting it under QEMU TCG (-cpu qemu64,+svm,+npt), image $size bytes, demo guest: long64"
  say "[3/3] running; guest console follows"
  local log; log=$(mktemp)
  set +e
  kernel_qemu long64 artifacts/kernel/guests/long64.bin | tee "$log" | while IFS= read -r line; do
    case "$line" in
      "XENSDK CONSOLE "*) printf '  \033[36mguest |\033[0m %s\n' "${line#XENSDK CONSOLE long64: }" ;;
      "XENSDK RUN "*) printf '  hypervisor | entering the guest (%s)\n' "${line#XENSDK RUN }" ;;
      "XENSDK PANIC"*|"XENSDK TRAP"*) printf '  \033[31m%s\033[0m\n' "$line" ;;
      "XENSDK BOOT"*|"XENSDK PLATFORM"*|"XENSDK TIMING"*) printf '  hypervisor | %s\n' "${line#XENSDK }" ;;
    esac
  done
  local rc=${PIPESTATUS[0]}
  set -e
  local result; result=$(grep '^XENSDK RESULT ' "$log" | head -n1)
  rm -f "$log"
  [ -n "$result" ] || die "no result line (QEMU status $rc)"
  kv() { printf '%s\n' "$result" | tr ' ' '\n' | grep "^$1=" | cut -d= -f2; }
  echo
  say "summary"
  printf '  vendor           %s (QEMU TCG, NRIP save absent: lengths decoded by the kernel)\n' "$(kv vendor)"
  printf '  guest result     %s (%s), fault %s\n' "$(kv outcome)" "$(kv reason)" "$(kv fault)"
  printf '  exits handled    %s: cpuid %s, io %s, msr read %s, msr write %s, hypercall %s (console_io %s, xen_version %s, sched_op %s), hlt %s, npf %s, timer %s\n' \
    "$(kv exits)" "$(kv cpuid)" "$(kv io)" "$(kv msr_read)" "$(kv msr_write)" "$(kv hypercall)" "$(kv console_io)" "$(kv xen_version)" "$(kv sched_op)" "$(kv hlt)" "$(kv npf)" "$(kv intr)"
  printf '  guest run time   %s ms (allocations while the guest ran: %s)\n' "$(kv ms)" "$(kv allocs)"
  printf '  total time       %s s (build + boot + run)\n' "$((SECONDS - t0))"
  [ "$(kv outcome)" = shutdown ] && [ "$(kv reason)" = poweroff ]
}

cmd_bench() {
  need gcc; need_dotnet
  say "running benchmarks (BenchmarkDotNet); pass a filter, e.g. ./build.sh bench --filter '*Ring*'"
  local args=("$@"); [ ${#args[@]} -eq 0 ] && args=(--filter '*')
  dotnet run -c Release --project tests/Xen.Sdk.Benchmarks -- "${args[@]}"
}

# The reference kernel's dispatcher overhead under QEMU (docs/reference.md "Dispatcher overhead"): the bench guest in
# N boots (default 3), each 32 interleaved batches of 200 iterations; prints the medians and ratios of every boot.
cmd_bench_kernel() {
  need $PKGS_DEMO; need_dotnet
  local boots=${1:-3} i line
  say "building the reference hypervisor image (Release)"
  dotnet build src/Xen.Sdk.Reference/Kernel/Image -c Release -nologo -v q -p:XenSdkSkipIso=true >&2 || die "kernel build failed"
  say "bench guest under QEMU TCG, $boots boots (load now: $(cut -d' ' -f1-3 /proc/loadavg))"
  for ((i = 1; i <= boots; i++)); do
    line=$(XENSDK_KERNEL_ARGS="bench-iterations=200 bench-batches=32" kernel_qemu all artifacts/kernel/guests/bench.bin | grep '^XENSDK BENCH ' || true)
    [ -n "$line" ] || die "boot $i printed no XENSDK BENCH line"
    printf '  boot %d: %s\n' "$i" "$(printf '%s\n' "$line" | tr ' ' '\n' | grep -E '_median=|^ratio_' | tr '\n' ' ')"
  done
}

# Runs the gcc layout oracle of Xen.Sdk.Abi alone; the last line is the oracle's one-line summary.
cmd_abi_check() {
  need libxen-dev gcc gcc-multilib binutils python3; need_dotnet
  local sum rc=0; sum=$(mktemp)
  say "Xen ABI oracle: C# metadata vs gcc -m64/-m32 on /usr/include/xen"
  XEN_SDK_ABI_CHECK_SUMMARY=$sum dotnet test --project tests/Xen.Sdk.Abi.Tests -c Release -v q --filter-namespace 'Xen.Sdk.Abi.Tests.Oracle' >&2 || rc=$?
  if [ ! -s "$sum" ]; then rm -f "$sum"; echo "abi: the layout oracle did not run"; return 1; fi
  cat "$sum"; rm -f "$sum"
  return $rc
}

usage() {
  cat <<'USAGE'
usage: ./build.sh <command>
  demo        build the reference hypervisor and boot it under QEMU with the demo guest
  test        build and run every test (layout oracle, properties, emulator integration);
              ends with 'N passed, N failed, N skipped'
  pack        write one .nupkg and .snupkg per library to artifacts/packages/
  bench       run the benchmarks (BenchmarkDotNet and C baselines); figures go to docs/
  bench-kernel [N]  the reference hypervisor's exit cost next to the bare VMRUN round trip, N QEMU boots
  abi-check   run the Xen ABI layout oracle alone (gcc + Xen 4.17 headers, x86_64 and x86_32)
  api         record new/removed public API in each library's PublicAPI.Unshipped.txt
  build       build the solution (Release)
USAGE
}

case "${1:-help}" in
  build) shift; cmd_build "$@" ;;
  api) cmd_api ;;
  abi-check) cmd_abi_check ;;
  pack) cmd_pack ;;
  bench) shift; cmd_bench "$@" ;;
  bench-kernel) shift; cmd_bench_kernel "$@" ;;
  test) shift; cmd_test "$@" ;;
  demo) shift; cmd_demo "$@" ;;
  help|-h|--help) usage ;;
  *) usage; exit 2 ;;
esac
